"""Shared fixtures: a store built from the real ontology and data in a
temporary folder, once per test session, and helpers to build variants."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest

from fixtures.copies import private_copy
from graph.build import build
from graph.read.projection import build_projection
from graph.settings import Settings, get_settings
from graph.store import Store, open_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

FIXTURES = Path(__file__).parent / "fixtures"
VIEWS_DATA = FIXTURES / "views" / "data"
READER_DATA = FIXTURES / "reader" / "data"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose store lives in a session temp folder, with the real data built into it."""
    s = get_settings().model_copy(update={"store_dir": tmp_path_factory.mktemp("store")})
    build(s)
    return s


@pytest.fixture(scope="session")
def store(settings: Settings) -> Iterator[Store]:
    """The built store, open for the whole session (read-only use, please)."""
    st = open_store(settings, read_only=True)
    yield st
    st.close()


@pytest.fixture
def data_copy(tmp_path: Path) -> Settings:
    """A private copy of ontology/ and data/ that a test may break, with its own store folder."""
    return private_copy(tmp_path, get_settings())


@pytest.fixture(scope="session")
def fixture_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The network views' own test graph (``tests/fixtures/views/data``) built into a session temp store."""
    s = private_copy(tmp_path_factory.mktemp("views-fixture"), get_settings(), data=False).model_copy(
        update={"data_dir": VIEWS_DATA})
    build(s)
    return s


@pytest.fixture(scope="session")
def reader_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The source reader's own test graph (``tests/fixtures/reader/data``: crossing, nested and hostile spans)
    built into a session temp store."""
    s = private_copy(tmp_path_factory.mktemp("reader-fixture"), get_settings(), data=False).model_copy(
        update={"data_dir": READER_DATA})
    build(s)
    return s


@pytest.fixture(scope="session")
def reader_store(reader_settings: Settings) -> Iterator[Store]:
    st = open_store(reader_settings, read_only=True)
    yield st
    st.close()


@pytest.fixture(scope="session")
def fixture_store(fixture_settings: Settings) -> Iterator[Store]:
    st = open_store(fixture_settings)
    yield st
    st.close()


@pytest.fixture(scope="session")
def fixture_graph(fixture_store: Store) -> nx.MultiDiGraph:
    return build_projection(fixture_store)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright, one per session; never a downloaded browser.

    CI installs the package (.ci/run); without it the browser tests fail, they are never skipped.
    """
    from playwright.sync_api import sync_playwright

    from fixtures.browser import CHROMIUM, CHROMIUM_ARGS

    assert os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} is missing: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
