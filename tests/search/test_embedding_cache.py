"""The on-disk passage cache gives the model's own vectors and encodes each text once."""

from __future__ import annotations

import numpy as np

from catalog.search.embedding_cache import CachedEncoder


class CountingEncoder:
    name, dim = "counting/test model", 4

    def __init__(self):
        self.encoded: list[str] = []

    def query(self, texts):
        return self.passage(texts)

    def passage(self, texts):
        self.encoded.extend(texts)
        return np.array([[len(t), t.count("证"), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_cached_vectors_equal_fresh_ones_and_each_text_is_encoded_once(tmp_path):
    model = CountingEncoder()
    first = CachedEncoder(model, tmp_path)
    texts = ["居住证申领", "户口迁出", "居住证申领", "社保卡补办"]
    expected = model.passage(texts)
    model.encoded.clear()
    assert np.array_equal(first.passage(texts), expected)
    assert sorted(model.encoded) == sorted({"居住证申领", "户口迁出", "社保卡补办"})

    model.encoded.clear()
    reopened = CachedEncoder(model, tmp_path)  # a new process reads the file
    assert np.array_equal(reopened.passage(["社保卡补办", "新条目"]), model.passage(["社保卡补办", "新条目"])[:2])
    assert model.encoded == ["新条目", "社保卡补办", "新条目"]  # only the new text, then the reference call
    assert reopened.passage([]).shape == (0, 4)


def test_a_broken_cache_file_is_ignored(tmp_path):
    model = CountingEncoder()
    CachedEncoder(model, tmp_path).passage(["居住证申领"])
    for path in tmp_path.iterdir():
        path.write_bytes(b"not a cache")
    assert CachedEncoder(model, tmp_path).passage(["居住证申领"]).shape == (1, 4)
