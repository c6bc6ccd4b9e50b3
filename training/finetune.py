"""Fine-tune a sentence-transformers model on catalog pairs (runs in ``.venv-train``, Python 3.11).

    .venv-train/bin/python -m training.finetune --base var/model/converted --pairs var/model/pairs.jsonl \
        --out var/model/tuned-st --epochs 1

MultipleNegativesRankingLoss over (anchor, positive, hard negative) with e5's prompts (anchor as
``query: ``, the others as ``passage: ``), no duplicate texts in a batch. Writes the model and
``training_stats.json`` (settings, steps, seconds, peak memory, machine load) into ``--out``.
Imports only torch, sentence-transformers and the standard library: it never touches the catalog.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from pathlib import Path

# MultipleNegativesRankingLoss's scale (1/temperature): sentence-transformers' default, and what every
# model trained before `--scale` existed used (e5 itself was pre-trained at 100).
DEFAULT_SCALE = 20.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m training.finetune")
    p.add_argument("--base", required=True, help="sentence-transformers directory to start from")
    p.add_argument("--pairs", required=True, help="jsonl with anchor, positive, negative")
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--max-steps", type=int, default=-1, help="stop after this many steps (a smoke run)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-5)
    p.add_argument("--warmup-ratio", type=float, default=0.1)
    p.add_argument("--max-seq-length", type=int, default=64)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--scale", type=float, default=DEFAULT_SCALE,
                   help="MultipleNegativesRankingLoss scale, 1/temperature (e5 was pre-trained at 100)")
    p.add_argument("--train-word-embeddings", action="store_true",
                   help="also update the 250k x 384 word-embedding table (5x slower and memory-hungry)")
    p.add_argument("--threads", type=int, default=int(os.environ.get("LIFEBOT_TRAIN_THREADS", "2")))
    return p.parse_args(argv)


def read_pairs(path: str) -> dict[str, list[str]]:
    cols: dict[str, list[str]] = {"anchor": [], "positive": [], "negative": []}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if not row.get("negative"):
                    continue  # the triplet loss needs all three columns
                for k in cols:
                    cols[k].append(row[k])
    if not cols["anchor"]:
        raise SystemExit(f"no usable pairs in {path}")
    return cols


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.losses import MultipleNegativesRankingLoss
    from sentence_transformers.training_args import BatchSamplers

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    load_before = os.getloadavg()
    started = time.time()
    model = SentenceTransformer(args.base, device="cpu")
    model.max_seq_length = args.max_seq_length
    if not args.train_word_embeddings:
        # 96M of the 118M parameters are the multilingual vocabulary; the catalog's few thousand
        # pairs touch a tiny part of it, and updating all of it with Adam dominates a CPU step.
        model[0].auto_model.embeddings.word_embeddings.weight.requires_grad_(False)
    data = Dataset.from_dict(read_pairs(args.pairs))
    out = Path(args.out)
    targs = SentenceTransformerTrainingArguments(
        output_dir=str(out / "checkpoints"), num_train_epochs=args.epochs, max_steps=args.max_steps,
        per_device_train_batch_size=args.batch_size, learning_rate=args.lr, warmup_steps=args.warmup_ratio,
        seed=args.seed, data_seed=args.seed, batch_sampler=BatchSamplers.NO_DUPLICATES,
        prompts={"anchor": "query: ", "positive": "passage: ", "negative": "passage: "},
        save_strategy="no", report_to=[], use_cpu=True, dataloader_num_workers=0, logging_steps=10,
        disable_tqdm=False,
    )
    trainer = SentenceTransformerTrainer(model=model, args=targs, train_dataset=data,
                                         loss=MultipleNegativesRankingLoss(model, scale=args.scale))
    result = trainer.train()
    model.save(str(out))
    stats = {
        "pairs": len(data), "steps": int(result.global_step), "epochs": args.epochs, "max_steps": args.max_steps,
        "batch_size": args.batch_size, "learning_rate": args.lr, "warmup_ratio": args.warmup_ratio,
        "max_seq_length": args.max_seq_length, "seed": args.seed, "scale": args.scale,
        "word_embeddings_trained": args.train_word_embeddings, "threads": args.threads,
        "loss": "MultipleNegativesRankingLoss (anchor, positive, hard negative)",
        "final_train_loss": round(float(result.training_loss), 4),
        "seconds": round(time.time() - started, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "torch": torch.__version__,
        "sentence_transformers": __import__("sentence_transformers").__version__,
    }
    (out / "training_stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
