"""`lifebot booking list|export` over a real database."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from catalog.store import CatalogStore
from lifebot.cli import main
from tests.booking.samples import ENTRIES, NOW, SATURDAY, open_store


def test_list_and_export_a_halls_day(tmp_path):
    url = f"sqlite:///{tmp_path / 'lifebot.db'}"
    catalog = CatalogStore(url)
    catalog.put_many(list(ENTRIES.values()), author="test", reason="cli")
    catalog.close()
    store = open_store(url)
    first = store.book("gov-passport", "江阴市民中心", SATURDAY, "10:00-10:30", "张三", "13912345678", NOW,
                       id_number="320281198506123017")
    second = store.book("gov-passport", "江阴市民中心", SATURDAY, "09:00-09:30", "李四", "13800001111", NOW)
    store.cancel(second["code"], "13800001111", NOW)
    store.close()
    runner = CliRunner()
    env = {"LIFEBOT_DATABASE_URL": url, "LIFEBOT_VAR_DIR": str(tmp_path)}

    listed = runner.invoke(main, ["booking", "list", "江阴市民中心", "--date", "2026-11-28"], env=env)
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == ["江阴市民中心 2026-11-28：1 个预约",
                                          f"10:00-10:30  {first['code']}  普通护照签发  张*  139****5678"]
    everything = runner.invoke(main, ["booking", "list", "江阴市民中心", "--date", "2026-11-28", "--all"], env=env)
    assert "（已取消）" in everything.output and second["code"] in everything.output

    exported = runner.invoke(main, ["booking", "export", "江阴市民中心", "--date", "2026-11-28"], env=env)
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert [(r["code"], r["name"], r["phone"], r["id_number"]) for r in rows] == [
        (first["code"], "张三", "13912345678", "320281********3017")]
    out = tmp_path / "day.csv"
    runner.invoke(main, ["booking", "export", "江阴市民中心", "--date", "2026-11-28", "-o", str(out)], env=env)
    assert out.read_text(encoding="utf-8-sig").splitlines()[1].startswith("10:00-10:30,")

    unknown = runner.invoke(main, ["booking", "list", "不存在的大厅"], env=env)
    assert unknown.exit_code == 2 and "没有叫“不存在的大厅”的大厅" in unknown.output


def test_help_has_examples():
    runner = CliRunner()
    for args in (["booking", "--help"], ["booking", "list", "--help"], ["booking", "export", "--help"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0 and "Example: lifebot booking" in result.output
