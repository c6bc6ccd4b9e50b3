"""The approximate index (IVF) against exact search on the same vectors."""

import numpy as np

from catalog.search.dense import DenseIndex


def clustered(n, dim=64, clusters=200, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim))
    x = centres[rng.integers(0, clusters, n)] + 0.35 * rng.normal(size=(n, dim))
    x = x.astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def recall_at(index, vectors, queries, k=10):
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :k]
    hits = 0
    for q, truth in zip(queries, exact, strict=True):
        _, got = index.search(q, k)
        hits += len(set(got.tolist()) & set(truth.tolist()))
    return hits / (k * len(queries))


def test_flat_is_exact():
    x = clustered(2000)
    index = DenseIndex.build(x, np.arange(len(x)), flat_max=5000)
    assert index.kind == "flat"
    assert recall_at(index, x, clustered(50, seed=1)) == 1.0


def test_ivf_recall_against_exact():
    x = clustered(20000)
    index = DenseIndex.build(x, np.arange(len(x)), flat_max=5000, nprobe=16)
    assert index.kind == "ivf"
    assert recall_at(index, x, clustered(100, seed=2)) >= 0.9


def test_remove_and_add_by_slot():
    x = clustered(3000)
    for flat_max in (10000, 1000):
        index = DenseIndex.build(x, np.arange(len(x)), flat_max=flat_max, nprobe=64)
        copy = index.copy()
        copy.remove(np.array([5]))
        assert copy.ntotal == len(x) - 1 and index.ntotal == len(x)
        _, got = copy.search(x[5], 3)
        assert 5 not in got.tolist()
        copy.add(x[5:6], np.array([5]))
        _, got = copy.search(x[5], 1)
        assert got.tolist() == [5]
