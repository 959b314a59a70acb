"""Take the README's screenshots: serve the built store on a free local port and photograph each page.

Run after ``srkg build``::

    .venv/bin/python docs/screenshots.py            # every page, into docs/screenshots/
    .venv/bin/python docs/screenshots.py reader     # one page

It drives Debian's headless Chromium the way the browser tests do, and waits for each page's own
readiness signal, never for a fixed time.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.append(str(HERE.parent / "tests"))  # the throwaway service and the browser settings of the tests

from fixtures.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from fixtures.servers import running_service  # noqa: E402
from graph.settings import get_settings  # noqa: E402


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page, what to wait for on it, and what to do before the picture."""

    path: str
    ready: str  # a CSS selector that is visible once the page has drawn
    ready_js: str | None = None  # and a condition the page's script sets once it is stable
    width: int = 1400
    height: int = 900
    type_into: str | None = None  # text typed into the header's search box


SHOTS = {
    "home": Shot("/", "main h1"),
    "search": Shot("/", "[role=option]", type_into="Harbin"),
    "reader": Shot("/sources/pism-spotlight-2024-34#at-728-1004", ".reader-main",
                   "window.srkgReader && window.srkgReader.ready"),
    "timeline": Shot("/view/timeline", ".vis-item", "window.srkg && window.srkg.ready"),
    "stance-matrix": Shot("/view/stances/matrix?a=russia&b=china", "table"),
    "sparql": Shot("/sparql", ".CodeMirror"),
    "overview": Shot("/view/overview", "canvas", "window.srkg && window.srkg.ready"),
}


def take(names: list[str], out: Path) -> None:
    """Photograph the pages ``names`` (keys of :data:`SHOTS`) into ``out``."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with running_service(get_settings()) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in names:
                shot = SHOTS[name]
                page = browser.new_page(viewport={"width": shot.width, "height": shot.height})
                page.goto(base + shot.path)
                if shot.type_into:
                    page.locator("form.search input[name=q]").first.type(shot.type_into)
                page.locator(shot.ready).first.wait_for(state="visible")
                if shot.ready_js:
                    page.wait_for_function(shot.ready_js)
                target = out / f"{name}.png"
                page.screenshot(path=str(target))
                page.close()
                print(f"{target.relative_to(HERE.parent)}  ({shot.path})")
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[[], *SHOTS], help="pages to photograph (default: all)")
    parser.add_argument("--out", type=Path, default=HERE / "screenshots")
    args = parser.parse_args()
    take(args.names or list(SHOTS), args.out)


if __name__ == "__main__":
    main()
