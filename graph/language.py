"""The languages srkg speaks: which label language a reader asked for, and the translated chrome of the pages.

Labels in the graph carry BCP 47 tags (``en``, ``ru``, ``zh-Hans``). A request
names its language with ``?lang=`` or ``Accept-Language``; :func:`negotiate`
picks one of :data:`LANGUAGES` from them, English when nothing matches.
:meth:`graph.read.labels.Labels.pick` then chooses a node's label in that
language, falling back to English.

The words around the data (headings, legends, buttons) come from gettext
catalogues, one per package that has pages (``api/locales``,
``visualisation/locales``), kept as ``.po`` files and compiled in memory by
Babel when first used (:func:`translations`).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import jinja2
from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

#: The label languages, English first: the default, and the fallback for a node without a label in the
#: language asked for.
LANGUAGES: tuple[str, ...] = ("en", "ru", "zh-Hans")
DEFAULT = LANGUAGES[0]
#: Each language's name in itself, for the language menu.
NATIVE_NAMES: dict[str, str] = {"en": "English", "ru": "Русский", "zh-Hans": "中文"}
#: Each language's gettext catalogue folder name (``<package>/locales/<name>/LC_MESSAGES/messages.po``).
CATALOGUE_NAMES: dict[str, str] = {"en": "en", "ru": "ru", "zh-Hans": "zh_Hans"}

_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Negotiated:
    """The language a response is in, and where it came from: ``"query"`` (``?lang=``), ``"header"``
    (``Accept-Language``) or ``"default"``."""

    language: str
    source: str


def supported(tag: str | None) -> str | None:
    """The language of :data:`LANGUAGES` that the BCP 47 tag ``tag`` asks for, or None.

    ``zh``, ``zh-CN``, ``zh-SG`` and ``zh-Hans`` all ask for simplified Chinese
    (the only Chinese labels the graph has); ``zh-TW``, ``zh-HK`` and
    ``zh-Hant`` ask for traditional script, which srkg does not have."""
    if not tag or not _TAG.match(tag.strip()):
        return None
    try:
        locale = Locale.parse(tag.strip().replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    if locale.language == "zh":
        script = locale.script or ("Hant" if locale.territory in {"TW", "HK", "MO"} else "Hans")
        return "zh-Hans" if script == "Hans" else None
    return locale.language if locale.language in LANGUAGES else None


def accept_language(header: str | None) -> list[str]:
    """The language ranges of an ``Accept-Language`` header (RFC 9110 §12.5.4), best first; ranges with
    ``q=0`` and malformed ones are left out, and equal weights keep the header's order."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:32]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        match = re.fullmatch(r"\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*", params) if params else None
        if params and match is None:
            continue
        if match:
            weight = float(match.group(1))
        if tag and weight > 0 and (tag == "*" or _TAG.match(tag)):
            ranked.append((-weight, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate(requested: str | None, header: str | None) -> Negotiated:
    """The response language: ``requested`` (``?lang=``) if srkg has it, else the best range of the
    ``Accept-Language`` ``header`` that it has, else English."""
    if (language := supported(requested)) is not None:
        return Negotiated(language, "query")
    for tag in accept_language(header):
        if tag == "*":
            return Negotiated(DEFAULT, "header")
        if (language := supported(tag)) is not None:
            return Negotiated(language, "header")
    return Negotiated(DEFAULT, "default")


@functools.cache
def translations(locales: Path, language: str) -> NullTranslations:
    """The gettext catalogue of ``language`` under ``locales`` (a package's ``locales`` folder), read from
    its ``.po`` file; English, and a language without a catalogue, get the messages as written."""
    po = locales / CATALOGUE_NAMES.get(language, language) / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not po.is_file():
        return NullTranslations()
    with po.open("rb") as f:
        catalogue = read_po(f, locale=CATALOGUE_NAMES[language])
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled)


def install_gettext(env: jinja2.Environment, locales: Path) -> None:
    """Give ``env``'s templates ``_()``, ``gettext()``, ``ngettext()`` and ``{% trans %}``, translated into the
    ``lang`` of each template's context (English when it has none) from the catalogues under ``locales``."""
    env.add_extension("jinja2.ext.i18n")

    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str) -> str:
        return translations(locales, context.get("lang") or DEFAULT).gettext(message)

    @jinja2.pass_context
    def ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
        return translations(locales, context.get("lang") or DEFAULT).ngettext(singular, plural, n)

    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]


#: The characters a path may keep as they are in a link (RFC 3986 ``pchar``, ``/`` and ``%``, so that an
#: already percent-encoded path stays as it is).
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"


def language_links(path: str, query: Iterable[tuple[str, str]], current: str) -> list[dict[str, object]]:
    """The language menu of a page at ``path`` (as requested, percent-encoded) with the query parameters
    ``query`` (decoded name, value pairs, in order): for each of :data:`LANGUAGES`, ``{"lang", "name",
    "href", "current"}``, its link being the same page with ``lang`` set to it (any other ``lang``
    dropped, every other parameter kept) and ``current`` true for ``current``. The link is always a path
    of this host (``//host`` is not a path)."""
    others = [(k, v) for k, v in query if k != "lang"]
    here = "/" + quote(path, safe=_PATH_SAFE).lstrip("/")
    return [{"lang": tag, "name": NATIVE_NAMES[tag],
             "href": here + "?" + urlencode([*others, ("lang", tag)], quote_via=quote),
             "current": tag == current} for tag in LANGUAGES]
