"""Write catalog entries as JSONL, CSV or XLSX (the formats ``lifebot catalog import`` reads back)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from catalog.entry import Entry
from catalog.fields import FIELD_NAMES, format_value

FORMATS = ("jsonl", "csv", "xlsx")


def write_jsonl(entries: Iterable[Entry], out: TextIO) -> None:
    for entry in entries:
        out.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")


def rows(entries: Iterable[Entry]) -> Iterable[list[str]]:
    yield list(FIELD_NAMES)
    for entry in entries:
        data = entry.to_dict()
        yield [format_value(name, data[name]) for name in FIELD_NAMES]


def write_csv(entries: Iterable[Entry], out: TextIO) -> None:
    writer = csv.writer(out)
    for row in rows(entries):
        writer.writerow(row)


def write_xlsx(entries: Iterable[Entry], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "catalog"
    for row in rows(entries):
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            # Text such as "=..." must stay text, never become a formula.
            cell.data_type = "s"
    sheet.freeze_panes = "B2"
    book.save(path)
