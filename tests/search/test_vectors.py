"""The per-entry vector table: scores equal brute force, replace keeps the other entries."""

import numpy as np

from catalog.entry import Entry
from catalog.search.vectors import KEYS_PER_SLOT, VectorTable, entry_texts


def unit(rng, n, dim=16):
    x = rng.normal(size=(n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_entry_texts_passage_first_then_distinct_keys():
    e = Entry(id="x", name="出生登记", kind="government", category="户籍证件", department="公安局",
              aliases=["上户口", "出生登记", " 上户口 ", "报户口"])
    texts = entry_texts(e)
    assert texts[0] == e.search_text()
    assert texts[1:] == ["出生登记", "上户口", "报户口"]


def test_score_matches_brute_force_and_replace():
    rng = np.random.default_rng(0)
    blocks = {s: unit(rng, n) for s, n in enumerate([3, 2, 5, 4])}
    table = VectorTable.from_blocks(blocks, 4, 16)
    q = unit(rng, 1)[0]
    slots = np.array([2, 0, 3])
    passage, keymax = table.score(slots, q)
    for i, s in enumerate(slots):
        sims = blocks[s] @ q
        assert np.isclose(passage[i], sims[0]) and np.isclose(keymax[i], sims[1:].max())
    new = unit(rng, 2)
    replaced = table.replace([1], {3: new}, 4)
    assert replaced.end[1] == replaced.start[1]  # slot 1 dropped
    p3, k3 = replaced.score(np.array([3]), q)
    assert np.isclose(p3[0], new[0] @ q) and np.isclose(k3[0], new[1] @ q)
    assert np.allclose(replaced.score(np.array([0, 2]), q)[1], table.score(np.array([0, 2]), q)[1])
    assert set(table.row_ids([2]) // KEYS_PER_SLOT) == {2}
