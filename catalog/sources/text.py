"""Small text helpers shared by the derivation: localisation, names, time limits, aliases."""

from __future__ import annotations

import hashlib
import re

from catalog.sources.rules import COLLOQUIAL, LOCALISE


def localise(text: str) -> str:
    for old, new in LOCALISE:
        text = text.replace(old, new)
    return text


def clean_name(name: str) -> str:
    """Full-width brackets, no doubled brackets, no county-level qualifier, no stray spaces."""
    name = re.sub(r"\(（([^（）()]*)）\)", r"（\1）", localise(name.strip()))
    name = name.replace("(", "（").replace(")", "）")
    name = re.sub(r"（(市级/县级|县级|区级|市级、县级)）", "", name)
    name = re.sub(r"\s+", "", name)
    return name


def bare(name: str) -> str:
    return re.sub(r"（[^（）]*）", "", name).strip()


def short_hash(text: str, n: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:n]


def time_limit(raw: str) -> str:
    """'20(工作日)' -> '20个工作日'; '90(自然日)' -> '90日'; '无' -> ''."""
    raw = (raw or "").strip()
    match = re.fullmatch(r"(\d+)\((工作日|自然日)\)", raw)
    if not match:
        return ""
    number, unit = match.groups()
    return f"{number}个工作日" if unit == "工作日" else f"{number}日"


def empty_if_none(text: str) -> str:
    text = (text or "").strip()
    empty = ("无", "无。", "无线下办理窗口", "-", "无条件受理", "无受理条件", "无条件办理")
    return "" if text in empty else text


def split_list(text: str) -> list[str]:
    items = []
    for part in empty_if_none(text).split("|"):
        part = localise(part.strip())
        if part and part != "无" and part not in items:
            items.append(part)
    return items


def aliases_for(name: str, extra: list[str]) -> list[str]:
    out: list[str] = []
    candidates = [*extra, bare(name)]
    for key, phrases in COLLOQUIAL.items():
        if key in name:
            candidates.extend(phrases)
    for alias in candidates:
        alias = clean_name(alias) if alias else ""
        if alias and alias != name and alias not in out and len(alias) >= 2:
            out.append(alias)
    return out[:8]
