"""Derive ``catalog/data/services/government_derived.jsonl`` from the real public item lists.

    python -m catalog.sources.derive --shared ../shared/data/sources

The output depends only on the source lists, ``catalog/data/departments.csv`` and the names already
used by the other ``catalog/data/services/*.jsonl`` files (derived names must not repeat them), so
re-running it gives byte-identical JSONL.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

from catalog.sources import rules
from catalog.sources.text import (
    aliases_for,
    bare,
    clean_name,
    empty_if_none,
    localise,
    short_hash,
    split_list,
    time_limit,
)

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "catalog" / "data"
OUTPUT_NAME = "government_derived.jsonl"
ONLINE_URL = "https://www.jszwfw.gov.cn/"
CENTER_ADDRESS = "江阴市澄江中路159号"
CENTER_HOURS = "周一至周五 8:30-12:00，13:30-17:00；周六 9:00-12:00（部分窗口）"
TOWN_HOURS = "周一至周五 8:30-12:00，13:30-17:00"
# Departments that also take these items at the town (street) service centres.
TOWN_DEPARTMENTS = {
    "江阴市人力资源和社会保障局", "江阴市医疗保障局", "江阴市民政局", "江阴市残疾人联合会",
    "江阴市退役军人事务局", "江阴市卫生健康委员会", "江阴市农业农村局",
}
GA_TYPES = {"1": "行政许可", "5": "行政给付", "7": "行政确认", "8": "行政奖励", "9": "行政裁决",
            "10": "其他行政权力", "20": "公共服务"}
# Guang'an items carry no time limits: defaults per task type (legal, promised).
GA_LIMITS = {"1": ("20个工作日", "10个工作日"), "5": ("", "20个工作日"), "7": ("20个工作日", "5个工作日"),
             "8": ("", "按评选通知"), "9": ("60日", "60日"), "10": ("20个工作日", "10个工作日"),
             "20": ("", "即办")}
GA_CONDITIONS = {
    "20": "符合服务对象范围的个人或单位均可申请，具体以窗口一次性告知为准。",
}
GA_DEFAULT_CONDITIONS = "申请人符合法律、法规和规章规定的条件，申请材料齐全、符合法定形式。"
GA_MATERIALS = ["申请人身份证明（居民身份证或营业执照）", "申请表（窗口领取或网上填写）",
                "与申请事项相关的证明材料（窗口一次性告知）"]
# Guangdong public services (queries, consultations) that list no materials.
GD_SERVICE_MATERIALS = ["无需提交材料（现场办理时出示居民身份证）"]


def default_shared() -> Path:
    env = os.environ.get("LIFEBOT_SHARED_SOURCES")
    return Path(env) if env else REPO.parent / "shared" / "data" / "sources"


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def reserved_names(services: Path) -> set[str]:
    names: set[str] = set()
    for path in sorted(services.glob("*.jsonl")):
        if path.name == OUTPUT_NAME:
            continue
        with open(path, encoding="utf-8") as handle:
            names.update(json.loads(line)["name"] for line in handle if line.strip())
    return names


def first_match(text: str, table, default=None):
    for keywords, target in table:
        if any(k in text for k in keywords):
            return target
    return default


def category_for(name: str, department: str) -> str:
    """Department-first rules, then name keywords (the name without its brackets first), then the
    department's default category."""
    for keywords, category in rules.DEPARTMENT_FIRST.get(department, []):
        if not keywords or any(k in name for k in keywords):
            return category
    found = first_match(bare(name), rules.CATEGORY_RULES) or first_match(name, rules.CATEGORY_RULES)
    return found or rules.DEPARTMENT_CATEGORY.get(department, rules.DEFAULT_CATEGORY)


class Builder:
    def __init__(self, departments: list[dict[str, str]], taken: set[str]):
        self.departments = {d["name"]: d for d in departments}
        self.names = set(taken)
        self.ids: set[str] = set()
        self.dropped: Counter[str] = Counter()
        self.entries: list[dict] = []

    def locations(self, department: str) -> list[dict[str, str]]:
        dept = self.departments[department]
        if dept["kind"] in ("enterprise", "public") and "市民中心" not in dept["address"]:
            return [{"name": department, "address": dept["address"], "hours": "周一至周五 8:30-17:00"}]
        out = [{"name": f"江阴市民中心（{dept['short_name']}窗口）", "address": CENTER_ADDRESS,
                "hours": CENTER_HOURS}]
        if department in TOWN_DEPARTMENTS:
            out.append({"name": "各镇（街道、园区）政务服务中心",
                        "address": "就近镇（街道、园区）政务服务中心，地址见网点列表", "hours": TOWN_HOURS})
        return out

    def add(self, entry: dict, reason_if_dup: str) -> None:
        if entry["name"] in rules.SUPERSEDED:
            self.dropped[f"{entry['source']['list']}: covered by an authored entry"] += 1
            return
        if entry["name"] in self.names:
            self.dropped[reason_if_dup] += 1
            return
        if entry["id"] in self.ids:
            entry["id"] = f"{entry['id']}-{short_hash(entry['source']['code'], 6)}"
        assert entry["id"] not in self.ids, entry["id"]
        assert entry["department"] in self.departments, entry["department"]
        self.names.add(entry["name"])
        self.ids.add(entry["id"])
        self.entries.append(entry)

    def entry(self, *, id, name, category, department, description, conditions, materials, legal,
              promised, online, appointment, aliases, source_list, code) -> dict:
        return {
            "id": id, "name": name, "kind": "government", "category": category,
            "department": department, "description": description, "conditions": conditions,
            "materials": materials, "legal_time_limit": legal, "promised_time_limit": promised,
            "fee": "不收费", "locations": self.locations(department), "online": online,
            "online_url": ONLINE_URL if online else "", "phone": self.departments[department]["phone"],
            "appointment": appointment, "aliases": aliases, "status": "active",
            "source": {"list": source_list, "code": code},
        }


def guangan_department(row: dict[str, str]) -> str:
    for keywords, target in rules.GUANGAN_SPLIT.get(row["department"], []):
        if any(k in row["item_name"] for k in keywords):
            return target
    return rules.GUANGAN_DEPARTMENTS[row["department"]]


def gd_department(body: str) -> str | None:
    if any(k in body for k in rules.GD_DROP_BODIES):
        return None
    return first_match(body, rules.GD_BODIES)


def gd_index(gd_rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Guangdong rows by item and catalogue name, to enrich Guang'an items of the same name."""
    index: dict[str, dict[str, str]] = {}
    for row in gd_rows:
        if not split_list(row["材料说明"]):
            continue
        for key in (clean_name(row["事项名称"]), clean_name(row["目录事项名称"])):
            index.setdefault(key, row)
    return index


def derive_guangan(builder: Builder, rows: list[dict[str, str]], enrich: dict) -> None:
    for row in rows:
        name = clean_name(row["item_name"])
        department = guangan_department(row)
        kind = row["task_type_code"]
        legal, promised = GA_LIMITS.get(kind, ("", ""))
        conditions = GA_CONDITIONS.get(kind, GA_DEFAULT_CONDITIONS)
        materials = list(GA_MATERIALS)
        twin = enrich.get(name) or enrich.get(bare(name))
        if twin:
            conditions = localise(empty_if_none(twin["受理条件"])) or conditions
            materials = split_list(twin["材料说明"]) or materials
            legal = time_limit(twin["法定办结时限"]) or legal
            promised = time_limit(twin["承诺办结时限"]) or promised
        main = row["main_item"] if row["main_item"] not in ("", "未分类") else ""
        description = f"{GA_TYPES.get(kind, '政务服务')}事项，由{department}受理。"
        if main:
            description += f"属“{clean_name(main)}”事项。"
        description += "可在江苏政务服务网在线申报，或到江阴市民中心窗口办理。"
        builder.add(builder.entry(
            id=f"gov-ga-{short_hash(row['item_code'])}", name=name,
            category=category_for(name, department), department=department, description=description,
            conditions=conditions, materials=materials, legal=legal, promised=promised, online=True,
            appointment=kind != "20", aliases=aliases_for(name, [clean_name(main)] if main else []),
            source_list="guangan", code=row["item_code"]), "guangan: duplicate name")


def derive_gd(builder: Builder, rows: list[dict[str, str]]) -> None:
    for row in rows:
        department = gd_department(row["实施主体"])
        name = clean_name(row["事项名称"])
        if department == "国网江阴市供电公司" and rules.GRID_PREFIX not in name:
            name = rules.GRID_PREFIX + name
        if department is None:
            builder.dropped["gd: no county-level counterpart of the implementing body"] += 1
            continue
        if row["办理平台"] in rules.GD_DROP_PLATFORMS:
            builder.dropped["gd: page of one provincial venue (exhibition, news, notice)"] += 1
            continue
        if any(k in row["事项名称"] for k in rules.GD_DROP_NAMES):
            builder.dropped["gd: sea, provincial-only or news item"] += 1
            continue
        base, code = row["基本目录编码"], row["实施编码"]
        suffix = code.split(base, 1)[1] if base and base in code else ""
        catalogue, sub = clean_name(row["目录事项名称"]), clean_name(row["子项名称"])
        description = f"{row['事项类型']}事项"
        description += f"“{catalogue}”的子项。" if sub else "。"
        targets = "、".join(t for t in row["服务对象"].split("|") if t)
        if targets:
            description += f"服务对象：{targets}。"
        visits = row["到现场次数"].strip()
        online = row["网上可办_原码"].strip() == "1"
        if online and visits == "0":
            description += "全程网办，无需到现场。"
        elif online:
            description += f"可网上申办，需到现场{visits}次。"
        else:
            description += "需到窗口办理。"
        extra = [a for a in (empty_if_none(row["简称"]), catalogue, sub) if a]
        service = row["事项类型"] == "公共服务"
        legal = time_limit(row["法定办结时限"])
        promised = time_limit(row["承诺办结时限"]) or legal or ("即办" if service else "按法定时限办结")
        conditions = localise(empty_if_none(row["受理条件"])) or (
            GA_CONDITIONS["20"] if service else GA_DEFAULT_CONDITIONS)
        materials = split_list(row["材料说明"]) or (GD_SERVICE_MATERIALS if service else list(GA_MATERIALS))
        builder.add(builder.entry(
            id=f"gov-gd-{base}-{suffix}" if suffix else f"gov-gd-{base}", name=name,
            category=category_for(name, department), department=department, description=description,
            conditions=conditions, materials=list(materials), legal=legal, promised=promised,
            online=online, appointment=row["网上预约"].strip() == "是" or visits not in ("", "0"),
            aliases=aliases_for(name, extra), source_list="gd", code=code), "gd: duplicate name")


def derive(shared: Path, data: Path = DATA) -> Builder:
    departments = read_csv(data / "departments.csv")
    builder = Builder(departments, reserved_names(data / "services"))
    ga_rows = read_csv(shared / "guangan_district_service_items.csv")
    gd_rows = read_csv(shared / "gd_gov_service_items.csv")
    derive_guangan(builder, ga_rows, gd_index(gd_rows))
    derive_gd(builder, gd_rows)
    return builder


def write_jsonl(entries: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for entry in entries:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared(),
                        help="folder with the source lists (default: $LIFEBOT_SHARED_SOURCES or ../shared/data/sources)")
    parser.add_argument("--out", type=Path, default=DATA / "services" / OUTPUT_NAME,
                        help="output JSONL (default: catalog/data/services/government_derived.jsonl)")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        parser.error(f"source folder not found: {args.shared}")
    builder = derive(args.shared)
    write_jsonl(builder.entries, args.out)
    print(f"wrote {len(builder.entries)} entries to {args.out}", file=sys.stderr)
    for reason, count in sorted(builder.dropped.items()):
        print(f"  dropped {count}: {reason}", file=sys.stderr)
    by_source = Counter(e["source"]["list"] for e in builder.entries)
    print(f"  by source: {dict(sorted(by_source.items()))}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
