"""`lifebot setup`: make everything the assistant needs, skipping what is already up to date."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import click

from lifebot.settings import ROOT, Settings

BIN = Path(sys.executable).parent
TRAINING_INPUTS = ["config.yml", "bot/domain", "data"]


def training_fingerprint(settings: Settings) -> str:
    """A hash of everything `rasa train` reads: config, domain, training data, jieba dictionary."""
    digest = hashlib.sha256()
    paths: list[Path] = []
    for name in TRAINING_INPUTS:
        path = ROOT / name
        paths.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    paths.extend(sorted(settings.jieba_dict_dir.glob("*")))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _step(text: str) -> None:
    click.secho(f"==> {text}", fg="cyan")


def seed_catalog(settings_path: str | None) -> None:
    _step("目录：载入服务目录种子数据")
    argv = [str(BIN / "lifebot")] + (["--settings", settings_path] if settings_path else [])
    subprocess.run(argv + ["catalog", "seed"], check=True, cwd=ROOT)


def write_dictionary(settings: Settings) -> None:
    """Rasa's jieba dictionary comes from the seed files, not the database: the trained model is a
    build output of the repository, the same for every database (tests included)."""
    from catalog.search import write_jieba_dictionary
    from catalog.seed import SERVICES_DIR, read_seed

    _step("分词词典：由服务名称和别名生成")
    entries = [entry for _, entry in read_seed(sorted(SERVICES_DIR.glob("*.jsonl")))]
    write_jieba_dictionary(entries, settings.jieba_dict_dir)


def build_index(settings: Settings) -> None:
    from catalog.search.factory import engine_from_settings
    from catalog.store import CatalogStore

    store = CatalogStore(settings.db_url)
    try:
        _step("检索索引：检查目录版本，必要时重建")
        engine = engine_from_settings(settings, store, progress=True)
        click.echo(f"    索引就绪：目录版本 {engine.catalog_version}，{engine.size} 项服务")
    finally:
        store.close()


def train_model(settings: Settings, force: bool) -> None:
    _step("对话模型：检查训练数据是否有变化")
    fingerprint = training_fingerprint(settings)
    stamp = settings.models_dir / "fingerprint.txt"
    models = list(settings.models_dir.glob("*.tar.gz"))
    if not force and models and stamp.exists() and stamp.read_text().strip() == fingerprint:
        click.echo("    模型已是最新，跳过训练")
        return
    click.echo("    训练 Rasa 模型（首次约需几分钟）…")
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    for old in models:
        old.unlink()
    argv = [str(BIN / "rasa"), "train", "--config", "config.yml", "--domain", "bot/domain",
                "--data", "data", "--out", str(settings.models_dir), "--fixed-model-name", "lifebot",
                # Rasa's cache does not fingerprint the jieba dictionary files; ours does.
                "--force"]
    subprocess.run(argv, check=True, cwd=ROOT,
                   env={**os.environ, "RASA_TELEMETRY_ENABLED": "false"})
    stamp.write_text(fingerprint + "\n")


@click.command()
@click.option("--no-train", is_flag=True, help="Skip training the Rasa model.")
@click.option("--force-train", is_flag=True, help="Train even when nothing changed.")
@click.pass_context
def setup(ctx: click.Context, no_train: bool, force_train: bool) -> None:
    """准备运行所需的一切：目录数据库、检索索引、分词词典、对话模型（已是最新的跳过）。

    Example: lifebot setup
    """
    settings = ctx.obj
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    seed_catalog(ctx.parent.params.get("settings_path"))
    write_dictionary(settings)
    build_index(settings)
    if not no_train:
        train_model(settings, force_train)
    click.secho("准备完成。", fg="green")
