"""The pages' words in Russian and Chinese: the gettext catalogues of ``api`` and ``visualisation``, the pages
rendered with them, and the language menu.

Every message of a package's templates (extracted here as ``make translations`` extracts them, with
Jinja's Babel extractor and the i18n extension) must have a translation in each catalogue that is not empty
and not fuzzy, in the language's own script, with the message's ``%(name)s`` placeholders and markup
characters, no more and no fewer. A template changed without ``make translations`` and new translations
fails here.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from starlette.requests import Request

from api import pages
from graph.language import CATALOGUE_NAMES, LANGUAGES, NATIVE_NAMES, language_links
from graph.settings import REPO_ROOT
from visualisation import reader
from visualisation.render import ServiceLinks

PACKAGES = ("api", "visualisation")
#: the languages with a catalogue, with a pattern their translations must have a character of
SCRIPTS = {"ru": re.compile(r"[\u0400-\u04ff]"), "zh-Hans": re.compile(r"[\u4e00-\u9fff]")}
#: as babel.cfg maps the templates: Jinja's extractor, the i18n extension, newstyle gettext
METHOD_MAP = [("**.html", "jinja2.ext:babel_extract")]
OPTIONS_MAP = {"**.html": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true", "silent": "false",
                           "encoding": "utf-8"}}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
MARKUP = "<>&\""


def extracted(package: str) -> dict[str | tuple[str, ...], list[str]]:
    """The messages of ``package``'s templates (a plural message as its (singular, plural)), each with where it
    is used."""
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(REPO_ROOT / package / "templates"), METHOD_MAP, OPTIONS_MAP):
        found.setdefault(message, []).append(f"{package}/templates/{filename}:{lineno}")
    return found


def catalogue(package: str, language: str) -> Catalog:
    po = REPO_ROOT / package / "locales" / CATALOGUE_NAMES[language] / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        return read_po(f, locale=CATALOGUE_NAMES[language])


def _forms(message: object) -> tuple[str, ...]:
    """A message's (or a translation's) forms: one, or the singular and plurals."""
    if isinstance(message, tuple | list):
        return tuple(str(m) for m in message)
    return (str(message),) if message else ()


def _has_letters(message: str) -> bool:
    return any(c.isalpha() for c in re.sub(r"<[^>]*>|%\(\w+\)s|&\w+;", "", message))


@pytest.mark.parametrize("package", PACKAGES)
def test_the_templates_have_messages_and_the_template_catalogue_lists_them(package):
    messages = extracted(package)
    assert len(messages) > 50, f"{package}'s templates mark their words for translation"
    with (REPO_ROOT / package / "locales" / "messages.pot").open("rb") as f:
        template = read_po(f)
    listed = {m.id for m in template if m.id}
    assert set(messages) == listed, ("run `make translations`: the .pot differs from the templates",
                                     set(messages) ^ listed)


@pytest.mark.parametrize("language", sorted(SCRIPTS))
@pytest.mark.parametrize("package", PACKAGES)
def test_every_message_has_a_translation(package, language):
    messages = extracted(package)
    cat = catalogue(package, language)
    assert cat.num_plurals == {"ru": 3, "zh-Hans": 1}[language]
    script = SCRIPTS[language]
    problems: list[tuple[str, object, object]] = []
    for message, where in messages.items():
        entry = cat.get(message[0] if isinstance(message, tuple) else message)
        forms = _forms(entry.string) if entry is not None else ()
        if entry is None or entry.id != message:
            problems.append(("missing (run `make translations`, then translate)", message, where))
        elif entry.fuzzy:
            problems.append(("fuzzy", message, where))
        elif len(forms) != (cat.num_plurals if isinstance(message, tuple) else 1) or not all(f.strip() for f in forms):
            problems.append(("not translated", message, where))
        else:
            names = {n for m in _forms(message) for n in PLACEHOLDER.findall(m)}
            marks = Counter(c for c in _forms(message)[0] if c in MARKUP)
            for form in forms:
                if set(PLACEHOLDER.findall(form)) != names:
                    problems.append(("placeholders differ", message, form))
                if "%" in PLACEHOLDER.sub("", form).replace("%%", ""):
                    problems.append(("a stray %", message, form))
                if Counter(c for c in form if c in MARKUP) != marks:
                    problems.append(("markup characters differ", message, form))
                if _has_letters(_forms(message)[0]) and not script.search(form):
                    problems.append((f"not in {language}'s script", message, form))
    assert not problems, "\n".join(map(repr, problems))
    assert not [m for m in cat if m.id and m.fuzzy], "no fuzzy entry"


# -- the pages in each language ------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "heading", "nav"), [("ru", "Поиск", "Сущности"), ("zh-Hans", "搜索", "实体")])
def test_an_api_page_in_another_language(language, heading, nav):
    html = pages.render("search.html", q="", kind=None, groups=[], error=None, views=True, lang=language,
                        lang_links=language_links("/search", [], language))
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html and f'<a href="/entities">{nav}</a>' in html
    assert "Search entities and passages" not in html
    # the search box script's words, a data block with the placeholders it fills in
    block = re.search(r'<script type="application/json" id="search-box-strings">(.*?)</script>', html, re.S)
    assert block is not None
    words = json.loads(block.group(1))
    assert "%(n)s" in words["all"] and "%(q)s" in words["all"] and SCRIPTS[language].search(words["all"])
    # the language menu, with this language marked
    found = re.search(r'<nav class="languages"[^>]*>(.*?)</nav>', html, re.S)
    assert found is not None
    menu = found.group(1)
    assert menu.count("<a ") == len(LANGUAGES) and menu.count('aria-current="true"') == 1
    assert re.search(rf'href="/search\?lang={language}"[^>]*aria-current="true"', menu)


def test_an_api_page_in_english_has_no_menu_without_links_and_no_words_block():
    html = pages.render("search.html", q="", kind=None, groups=[], error=None, views=True)
    assert '<html lang="en">' in html and "<h1>Search</h1>" in html
    assert 'class="languages"' not in html and "search-box-strings" not in html


@pytest.mark.parametrize(("language", "heading", "header"),
                         [("ru", "Источники", "источник"), ("zh-Hans", "来源", "来源")])
def test_a_visualisation_page_in_another_language(language, heading, header):
    sources = [("https://w3id.org/srkg/id/source/a-brief", "a-brief", "A Brief")]
    html = reader.render_sources(sources, ServiceLinks(search=True), lang=language,
                                 lang_links=language_links("/sources", [], language))
    assert f'<html lang="{language}">' in html
    assert f'<h1 id="srkg-heading">{heading}</h1>' in html and f"<title>{heading} · srkg</title>" in html
    assert f"<th>{header}</th>" in html and "A Brief" in html  # the data stays as it is
    assert 'class="languages"' in html and "search-box-strings" in html


def test_a_visualisation_page_in_english_is_as_before():
    sources = [("https://w3id.org/srkg/id/source/a-brief", "a-brief", "A Brief")]
    html = reader.render_sources(sources, ServiceLinks())
    assert '<html lang="en">' in html and '<h1 id="srkg-heading">Sources</h1>' in html
    assert "1 source document. Each reader shows the full text" in html
    assert 'class="languages"' not in html  # the static export has no language menu


# -- the language menu's links -------------------------------------------------------------------------

def test_language_links_keep_the_path_and_query_but_lang():
    links = language_links("/view/timeline", [("actor", "china"), ("lang", "ru"), ("q", "a b&c")], "ru")
    assert [link["lang"] for link in links] == list(LANGUAGES)
    assert [link["name"] for link in links] == [NATIVE_NAMES[tag] for tag in LANGUAGES]
    assert [link["current"] for link in links] == [tag == "ru" for tag in LANGUAGES]
    assert links[2]["href"] == "/view/timeline?actor=china&q=a%20b%26c&lang=zh-Hans"
    # a path is kept as it was requested (percent-encoded), made safe, and never a link to another host
    assert language_links("/id/a%20b", [], "en")[1]["href"] == "/id/a%20b?lang=ru"
    assert language_links("/id/a b\u00e9", [], "en")[0]["href"] == "/id/a%20b%C3%A9?lang=en"
    assert language_links("//evil.example/x", [], "en")[0]["href"] == "/evil.example/x?lang=en"


def test_lang_links_from_a_request():
    request = Request({"type": "http", "method": "GET", "path": "/id/caf\u00e9", "raw_path": b"/id/caf%C3%A9",
                       "query_string": b"radius=2&lang=en", "headers": [], "root_path": ""})
    links = pages.lang_links(request, "en")
    assert [link["href"] for link in links] == [f"/id/caf%C3%A9?radius=2&lang={tag}" for tag in LANGUAGES]
    assert [link["current"] for link in links] == [True, False, False]


def test_the_catalogues_are_package_data():
    """An installed package finds its catalogues: pyproject.toml ships the locales folders."""
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for package in PACKAGES:
        assert re.search(rf'^{package} = \[.*"locales/\*\*/\*"', pyproject, re.M), package
        assert (REPO_ROOT / package / "locales" / "messages.pot").is_file()
    assert not list(Path(REPO_ROOT).glob("*/locales/**/*.mo")), "the catalogues are compiled in memory"
