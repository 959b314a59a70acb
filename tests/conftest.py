"""Shared fixtures: a store built from the real ontology and data in a
temporary folder, once per test session, and helpers to build variants."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.build import build
from graph.settings import REPO_ROOT, Settings, get_settings
from graph.store import EmbeddedStore, open_store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose store lives in a session temp folder, with the real data built into it."""
    s = get_settings().model_copy(update={"store_dir": tmp_path_factory.mktemp("store")})
    build(s)
    return s


@pytest.fixture(scope="session")
def store(settings: Settings) -> EmbeddedStore:
    """The built store, open for the whole session (read-only use, please)."""
    st = open_store(settings, read_only=True)
    yield st
    st.close()


@pytest.fixture
def data_copy(tmp_path: Path) -> Settings:
    """A private copy of ontology/ and data/ that a test may break, with its own store folder."""
    ontology = tmp_path / "ontology"
    data = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "ontology", ontology)
    shutil.copytree(REPO_ROOT / "data", data)
    return get_settings().model_copy(update={"ontology_dir": ontology, "data_dir": data,
                                             "store_dir": tmp_path / "store"})
