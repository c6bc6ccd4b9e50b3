"""The manifest of a backup (manifest.json): when, which versions, which files and their sha256."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from lifebot.backup.errors import BackupError
from lifebot.settings import ROOT

NAME = "manifest.json"
FORMAT = 1
NOT_INCLUDED = {
    "index": "检索索引（var/index、var/index-stock）：lifebot setup 按目录重建",
    "rasa_model": "对话模型（var/models）：lifebot setup 在训练数据变化时重训",
    "jieba": "分词词典（var/jieba）：lifebot setup 由种子数据生成",
    "embedding_cache": "向量缓存（var/cache）：重建索引时自动补齐",
    "tuned_model": "微调模型权重（var/model）：make model 重建；备份只存模型卡",
    "logs": "日志（var/logs）",
}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_versions() -> dict[str, str]:
    versions = {"lifebot": metadata.version("lifebot")}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10)
        if commit.returncode == 0:
            versions["git_commit"] = commit.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return versions


def build(directory: Path, parts: dict[str, Any]) -> dict[str, Any]:
    files = sorted(p.name for p in directory.iterdir() if p.is_file() and p.name != NAME)
    return {
        "format": FORMAT,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": code_versions(),
        **parts,
        "files": {name: sha256(directory / name) for name in files},
        "not_included": NOT_INCLUDED,
    }


def write(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_verified(directory: Path) -> dict[str, Any]:
    """The manifest of ``directory`` once every file it lists matches its checksum."""
    if not directory.is_dir():
        raise BackupError("missing_backup", f"备份目录不存在：{directory}")
    path = directory / NAME
    if not path.is_file():
        raise BackupError("missing_manifest", f"{directory} 里没有 {NAME}：这不是 lifebot backup 生成的备份，或备份没有完成")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        files = dict(manifest["files"])
        fmt = manifest["format"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError("bad_manifest", f"{path} 已损坏，无法读取（{exc}）") from exc
    if fmt != FORMAT:
        raise BackupError("bad_manifest", f"备份格式 {fmt} 不是本版本能读的格式 {FORMAT}")
    for name, expected in files.items():
        if not (directory / name).is_file():
            raise BackupError("missing_file", f"备份缺少文件 {name}：备份不完整，不能恢复")
        if sha256(directory / name) != expected:
            raise BackupError("bad_checksum", f"备份文件 {name} 的校验和与清单不符：文件已损坏或被改动，拒绝恢复")
    return manifest
