"""Load the catalog's source files (catalog/data/services/*.jsonl) into the store, idempotently.

New ids are added; an entry whose seed document changed since the last seed is updated with a
three-way merge against that last seed document, so a maintainer's later edit of a field the seed
did not change is kept. When the seed and a maintainer changed the same field differently the entry
is left alone and reported as a conflict (resolve it by editing the entry or the seed file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.entry import Entry
from catalog.errors import InvalidEntry
from catalog.fields import content, entry_from_document
from catalog.store import CatalogStore

SEED_AUTHOR = "seed"
# Writers whose versions hold no maintainer's judgement (safe to overwrite without a seed base).
MACHINE_AUTHORS = {SEED_AUTHOR, "system", "migration"}
SERVICES_DIR = Path(__file__).resolve().parent / "data" / "services"


@dataclass
class SeedReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # updated, keeping some maintainer edits
    unchanged: int = 0
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # id -> fields
    not_in_seed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"新增 {len(self.added)} 条，更新 {len(self.updated)} 条（其中保留维护人修改后合并 "
                 f"{len(self.merged)} 条），未变 {self.unchanged} 条，冲突 {len(self.conflicts)} 条"]
        for entry_id, names in sorted(self.conflicts.items()):
            lines.append(f"  冲突 {entry_id}：字段 {', '.join(names)} 在种子数据和维护人修改中都变了，已保留维护人的版本")
        if self.not_in_seed:
            lines.append(f"库中另有 {len(self.not_in_seed)} 条不在种子文件中（未改动）")
        return "\n".join(lines)


def read_seed(paths: list[Path]) -> list[tuple[str, Entry]]:
    """(file:line, entry) for every record; InvalidEntry lists every broken record and duplicate id."""
    records: list[tuple[str, Entry]] = []
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                entry = entry_from_document(json.loads(line))
            except json.JSONDecodeError as exc:
                problems.append(f"{where} 不是合法的 JSON（{exc.msg}）")
                continue
            except InvalidEntry as exc:
                problems.extend(f"{where} {p}" for p in exc.problems)
                continue
            if entry.id in seen:
                problems.append(f"{where} 编号 {entry.id} 与 {seen[entry.id]} 重复")
                continue
            seen[entry.id] = where
            records.append((where, entry))
    if problems:
        raise InvalidEntry(problems)
    return records


def merge(base: dict[str, Any], seed: dict[str, Any], current: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Three-way merge of content dicts: (merged, conflicting fields)."""
    merged, conflicts = dict(current), []
    for name, new in seed.items():
        old, mine = base.get(name), current.get(name)
        if new == old or new == mine:
            continue
        if mine == old:
            merged[name] = new
        else:
            conflicts.append(name)
    return merged, conflicts


def seed(store: CatalogStore, paths: list[Path] | None = None) -> SeedReport:
    """Apply the seed files in one transaction; see the module docstring for the rules."""
    paths = sorted(SERVICES_DIR.glob("*.jsonl")) if paths is None else paths
    records = read_seed(paths)
    report = SeedReport()
    with store.write(SEED_AUTHOR, "种子数据") as writer:
        stored = writer.seed_documents()
        for where, entry in records:
            doc = content(entry)
            reason = f"种子数据 {where.split(':')[0]}"
            row = stored.get(entry.id)
            if row is None:
                writer.put(entry, expect="new", reason=reason, seed_data=doc)
                report.added.append(entry.id)
                continue
            base = row["seed"]
            if base is None:
                base = row["content"] if row["author"] in MACHINE_AUTHORS else {}
            if base == doc:
                report.unchanged += 1
                continue
            merged, conflicts = merge(base, doc, row["content"])
            if conflicts:
                report.conflicts[entry.id] = conflicts
                continue
            if writer.put(Entry.from_dict(merged), expect="existing", reason=reason, seed_data=doc):
                (report.merged if merged != doc else report.updated).append(entry.id)
            else:
                report.unchanged += 1
    seeded = {entry.id for _, entry in records}
    report.not_in_seed = sorted(set(stored) - seeded)
    return report
