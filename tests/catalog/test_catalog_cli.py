"""``lifebot catalog ...`` through click's CliRunner, against a temporary SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalog.store import CatalogStore
from lifebot.cli import main
from lifebot.commands.catalog import catalog
from tests.catalog.samples import DEPARTMENTS, make_entry


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    # Known lists of our own, so the tests do not follow edits of catalog/data.
    data = tmp_path / "data"
    data.mkdir()
    (data / "departments.csv").write_text("name\n" + "\n".join(DEPARTMENTS) + "\n", encoding="utf-8")
    (data / "categories.csv").write_text("name,kind\n户籍证件,government\n家政维修,convenience\n", encoding="utf-8")
    monkeypatch.setattr("catalog.validate.DATA_DIR", data)
    monkeypatch.setenv("LIFEBOT_DATABASE_URL", db_url)
    monkeypatch.setenv("LIFEBOT_AUTHOR", "测试员")
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        return runner.invoke(main, ["catalog", *args], input=input, catch_exceptions=False)

    return run


def read(db_url: str, entry_id: str):
    store = CatalogStore(db_url)
    try:
        return store.get(entry_id), store.history(entry_id) if store.get(entry_id) else [], store.version()
    finally:
        store.close()


def test_every_command_has_an_example_in_its_help(cli) -> None:
    assert "示例" in cli("--help").output
    for name in catalog.commands:
        result = cli(name, "--help")
        assert result.exit_code == 0 and "示例：lifebot catalog " + name in result.output, name


def test_add_show_list(cli, db_url: str) -> None:
    result = cli("add", "--id", "conv-unlock", "--name", "开锁服务", "--kind", "convenience", "--category",
                 "家政维修", "--department", "江阴市公安局", "phone=0510-86862110", "aliases=开锁|换锁",
                 "--reason", "新增")
    assert result.exit_code == 0, result.output
    assert "已新增 conv-unlock 开锁服务（第 1 版）" in result.output
    shown = json.loads(cli("show", "conv-unlock", "--json").output)
    assert shown["aliases"] == ["开锁", "换锁"] and shown["version"] == 1
    assert "电话（phone）：0510-86862110" in cli("show", "conv-unlock").output
    entry, history, _ = read(db_url, "conv-unlock")
    assert (history[0].author, history[0].reason) == ("测试员", "新增")
    listed = json.loads(cli("list", "--kind", "convenience", "--json").output)
    assert [e["id"] for e in listed] == ["conv-unlock"]
    assert cli("list", "--kind", "government", "--json").output.strip() == "[]"


def test_add_from_stdin_and_duplicate_id(cli) -> None:
    doc = json.dumps(make_entry("gov-a").to_dict(), ensure_ascii=False)
    assert cli("add", "-", "--reason", "新增", input=doc).exit_code == 0
    again = cli("add", "-", "--reason", "新增", input=doc)
    assert again.exit_code == 1 and "编号 gov-a 已存在" in again.output


def test_edit_and_its_refusals(cli, db_url: str) -> None:
    cli("add", "-", "--reason", "新增", input=json.dumps(make_entry("gov-a").to_dict()))
    ok = cli("edit", "gov-a", "phone=12345", 'materials=["身份证","照片"]', "online=false", "--author", "李四",
             "--reason", "改热线")
    assert ok.exit_code == 0 and "第 2 版" in ok.output
    entry, history, version = read(db_url, "gov-a")
    assert (entry.phone, entry.materials, entry.online) == ("12345", ["身份证", "照片"], False)
    assert history[-1].author == "李四"
    for args, message in [
        (("colour=red",), "未知字段「colour」"),
        (("online=maybe",), "字段 online 应为 true 或 false"),
        (("locations=nope",), "字段 locations 不是合法的 JSON"),
        (("phone=0510-1",), "电话号码「0510-1」格式不对"),
        (("department=江阴市不存在局",), "部门「江阴市不存在局」不在部门清单"),
        (("status=retired",), "请用 retire / restore"),
        (("phone",), "应写成 字段=值"),
    ]:
        result = cli("edit", "gov-a", *args, "--reason", "x")
        assert result.exit_code == 1 and result.output.startswith("错误：") and message in result.output, result.output
    missing_reason = cli("edit", "gov-a", "fee=1元")
    assert missing_reason.exit_code == 1 and "--reason" in missing_reason.output
    assert cli("edit", "gov-a", "fee=1元", "--author", "seed", "--reason", "x").exit_code == 1
    assert read(db_url, "gov-a")[2] == version  # nothing changed


def test_retire_restore_history_rollback(cli) -> None:
    cli("add", "-", "--reason", "新增", input=json.dumps(make_entry("gov-a").to_dict()))
    cli("edit", "gov-a", "fee=5元", "--reason", "收费调整")
    assert "已停用 gov-a" in cli("retire", "gov-a", "--reason", "停办").output
    assert cli("list", "--json").output.strip() == "[]"
    assert "已停用" in cli("list", "--status", "all").output
    assert cli("retire", "gov-a", "--reason", "again").exit_code == 1
    assert "已恢复 gov-a" in cli("restore", "gov-a", "--reason", "恢复").output
    rolled = cli("rollback", "gov-a", "1", "--reason", "收费改错了")
    assert rolled.exit_code == 0 and "新版本：第 5 版" in rolled.output
    history = cli("history", "gov-a").output
    assert "第 2 版" in history and "原因：收费调整" in history and "fee: 不收费 -> 5元" in history
    assert "原因：回滚到第 1 版：收费改错了" in history
    records = json.loads(cli("history", "gov-a", "--json").output)
    assert [r["version"] for r in records] == [1, 2, 3, 4, 5] and records[4]["changes"] == {"fee": ["5元", "不收费"]}
    assert cli("history", "nope").exit_code == 1


def test_import_dry_run_commit_and_abort(cli, db_url: str, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(make_entry("gov-a").to_dict()) + "\n" + json.dumps(make_entry("gov-b").to_dict())
                    + "\n", encoding="utf-8")
    dry = cli("import", str(good), "--dry-run")
    assert dry.exit_code == 0 and "新增 2 条" in dry.output and "预演，未写入" in dry.output
    assert read(db_url, "gov-a")[2] == 0
    assert cli("import", str(good)).exit_code == 1  # --reason required for a real import
    done = cli("import", str(good), "--reason", "首批")
    assert done.exit_code == 0 and "2 条写入" in done.output
    broken = tmp_path / "broken.csv"
    broken.write_text("id,phone,online\ngov-a,12345,true\ngov-b,12345,maybe\n", encoding="utf-8")
    failed = cli("import", str(broken), "--reason", "x")
    assert failed.exit_code == 1 and "第 3 行" in failed.output and "未写入任何条目" in failed.output
    assert read(db_url, "gov-a")[0].phone == "0510-86862110"


def test_export(cli, tmp_path: Path) -> None:
    cli("add", "-", "--reason", "新增", input=json.dumps(make_entry("gov-a").to_dict()))
    cli("retire", "gov-a", "--reason", "停办")
    cli("add", "-", "--reason", "新增", input=json.dumps(make_entry("gov-b").to_dict()))
    lines = [json.loads(line) for line in cli("export", "--format", "jsonl").output.splitlines()]
    assert [(d["id"], d["status"], d["version"]) for d in lines] == [("gov-a", "retired", 2), ("gov-b", "active", 1)]
    assert all(d["updated_at"] for d in lines)
    assert cli("export", "--format", "xlsx").exit_code == 1
    out = tmp_path / "c.xlsx"
    assert cli("export", "--format", "xlsx", "--output", str(out)).exit_code == 0 and out.stat().st_size > 0
    csv_text = cli("export", "--format", "csv", "--status", "active").output
    assert csv_text.splitlines()[0].startswith("id,name,kind") and len(csv_text.splitlines()) == 2


def test_validate_exit_codes(cli, db_url: str) -> None:
    cli("add", "-", "--reason", "新增", input=json.dumps(make_entry("gov-a").to_dict()))
    assert "不在 convenience 的分类清单" in cli("edit", "gov-a", "kind=convenience", "--reason", "x").output
    clean = cli("validate")
    assert clean.exit_code == 0 and "共 0 个错误" in clean.output
    store = CatalogStore(db_url)  # the CLI refuses bad data, so write it behind its back
    store.put_many([make_entry("gov-b", phone="0510-1", name="测试事项gov-a")], "张三", "坏数据")
    store.close()
    bad = cli("validate")
    assert bad.exit_code == 1 and "电话号码「0510-1」" in bad.output and "重复" in bad.output
    assert json.loads(cli("validate", "--json").output)["errors"]


def test_seed_command(cli, tmp_path: Path) -> None:
    (tmp_path / "s.jsonl").write_text(json.dumps(make_entry("gov-a").to_dict()) + "\n", encoding="utf-8")
    assert "新增 1 条" in cli("seed", "--data-dir", str(tmp_path)).output
    assert "未变 1 条" in cli("seed", "--data-dir", str(tmp_path)).output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("seed", "--data-dir", str(empty)).exit_code == 1


def test_file_and_database_errors_are_plain_chinese(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    missing = cli("add", str(tmp_path / "none.json"), "--reason", "x")
    assert missing.exit_code == 1 and missing.output.startswith("错误：无法读写文件")
    monkeypatch.setenv("LIFEBOT_DATABASE_URL", "postgresql+psycopg2://nobody@127.0.0.1:1/none")
    unreachable = cli("list")
    assert unreachable.exit_code == 1 and unreachable.output.startswith("错误：无法打开目录数据库")
