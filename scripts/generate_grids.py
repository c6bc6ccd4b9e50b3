"""Regenerate routing/data/grids.csv from catalog/data/jiangyin_divisions.csv (see routing/grids/generate.py)."""

from pathlib import Path

from routing.grids.generate import build, to_csv

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    rows = build(ROOT / "catalog" / "data" / "jiangyin_divisions.csv")
    (ROOT / "routing" / "data" / "grids.csv").write_text(to_csv(rows), encoding="utf-8")
    levels = [r["level"] for r in rows]
    print(f"routing/data/grids.csv: {levels.count('1')} / {levels.count('2')} / {levels.count('3')} grids")
