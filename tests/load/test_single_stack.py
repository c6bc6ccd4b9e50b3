"""`lifebot bench load --start single` measures what `lifebot run` serves, on a throwaway copy: the
catalog is a snapshot of this instance's database (so a tuned model built for it still serves), and
a database server in the settings is refused rather than written to."""

from __future__ import annotations

import dataclasses

import pytest

from catalog.store import CatalogStore
from lifebot.load.report import serving
from lifebot.load.run import single_stack, snapshot_catalog
from lifebot.settings import Settings


def test_the_snapshot_is_the_same_catalog_database_and_leaves_the_source_alone(tmp_path):
    settings = Settings(var_dir=tmp_path / "real")
    settings.var_dir.mkdir()
    source = CatalogStore(settings.db_url)
    instance, version = source.instance(), source.version()
    source.close()

    throwaway = tmp_path / "bench"
    throwaway.mkdir()
    assert snapshot_catalog(settings, throwaway) == settings.var_dir / "lifebot.db"

    copy = CatalogStore(dataclasses.replace(settings, var_dir=throwaway).db_url)
    try:
        # A tuned model's card names (instance, version): the copy must carry both.
        assert (copy.instance(), copy.version()) == (instance, version)
    finally:
        copy.close()
    assert not any(p.name.endswith(("-wal", "-journal")) for p in throwaway.iterdir())
    reopened = CatalogStore(settings.db_url)
    assert (reopened.instance(), reopened.version()) == (instance, version)
    reopened.close()


def test_without_a_catalog_database_nothing_is_copied(tmp_path):
    assert snapshot_catalog(Settings(var_dir=tmp_path / "none"), tmp_path) is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("server", [{"database_url": "postgresql://bench@127.0.0.1/lifebot"},
                                    {"tracker_url": "postgresql://bench@127.0.0.1/tracker"}])
def test_a_database_server_in_the_settings_is_refused_before_anything_starts(tmp_path, server):
    said = []
    with pytest.raises(RuntimeError, match="--url"):
        with single_stack(Settings(var_dir=tmp_path, **server), None, said.append):
            pass
    assert said == []


def test_the_docs_say_which_embedding_model_served():
    model = {"model": "tuned", "encoder": "tuned-f239534c2508", "reason": "微调模型与目录版本 1 一致"}
    assert serving(model) == "检索用的向量模型 tuned（`tuned-f239534c2508`）"
    assert "未记录" in serving(None)
