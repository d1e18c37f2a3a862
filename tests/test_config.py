"""Settings: defaults, flat and nested QA_* variables, keyword overrides, and clear errors for bad values."""

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.config import FLAT_NAMES, Settings


def test_defaults_come_in_groups(monkeypatch):
    for name in [n for n in os.environ if n.startswith("QA_")]:
        monkeypatch.delenv(name)
    settings = Settings.from_env()
    assert settings.retrieval.k == 5 and settings.answering.answerer == "extractive"
    assert settings.store.path == Path("data/store") and not settings.uses_server


def test_flat_and_nested_environment_names_and_overrides(monkeypatch):
    monkeypatch.setenv("QA_K", "7")
    monkeypatch.setenv("QA_STORE__COLLECTION", "other")
    monkeypatch.setenv("QA_CHROMA_URL", "http://127.0.0.1:9")
    settings = Settings.from_env(store_path="/tmp/x", k=None)  # None keeps what the environment says
    assert settings.retrieval.k == 7 and settings.store.collection == "other"
    assert settings.store.path == Path("/tmp/x") and settings.uses_server
    assert Settings.from_env(k=3).retrieval.k == 3


def test_every_flat_name_is_a_real_setting():
    settings = Settings.from_env()
    for name, (group, field) in FLAT_NAMES.items():
        assert hasattr(getattr(settings, group), field), name


def test_bad_values_name_the_variable(monkeypatch):
    monkeypatch.setenv("QA_K", "many")
    with pytest.raises(ValueError, match="QA_K='many'"):
        Settings.from_env()
    monkeypatch.delenv("QA_K")
    with pytest.raises(ValueError, match="QA_EMBED_BACKEND"):
        Settings.from_env(embed_backend="gpu")
    with pytest.raises(TypeError, match="unknown setting"):
        Settings.from_env(colour="blue")


def test_updated_copies_and_settings_are_frozen():
    base = Settings.from_env()
    changed = base.updated(chunk_chars=120, api_token="s3cr3t")
    assert changed.ingest.chunk_chars == 120 and changed.server.api_token == "s3cr3t"
    assert base.ingest.chunk_chars == 900
    with pytest.raises(ValidationError):  # frozen: settings change only through updated()
        base.retrieval.k = 9
    assert "s3cr3t" not in repr(changed)  # secrets are not printed
