"""`lifebot route` and `lifebot tickets` (staff moving a ticket through its statuses)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from click.testing import CliRunner

from lifebot.cli import main
from routing.grids.address import resolve
from routing.router import Route
from routing.tickets.store import TicketStore
from routing.tickets.validate import NewTicket


def run(db_url: str, *args: str):
    return CliRunner().invoke(main, list(args), env={"LIFEBOT_DATABASE_URL": db_url}, catch_exceptions=False)


def test_tickets_show_list_and_status(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = TicketStore(db_url)
    route = Route("施工扰民", "江阴市住房和城乡建设局", "城乡建设综合行政执法大队", 0.9, False, resolve("华士镇华西村"))
    number = store.create(NewTicket("工地晚上十二点还在施工", "13812345678"), route,
                          datetime(2026, 11, 27, 10, tzinfo=ZoneInfo("Asia/Shanghai"))).number
    store.close()
    listed = run(db_url, "tickets", "list", "--status", "dispatched")
    assert listed.exit_code == 0 and number in listed.output and "城乡建设综合行政执法大队" in listed.output
    moved = run(db_url, "tickets", "status", number, "in_progress", "--by", "住建局李四", "--note", "已到现场")
    assert moved.exit_code == 0 and "处理中" in moved.output and "住建局李四  已到现场" in moved.output
    refused = run(db_url, "tickets", "status", number, "closed", "--by", "住建局李四")
    assert refused.exit_code == 2 and "bad_transition" in refused.output
    shown = json.loads(run(db_url, "tickets", "show", number, "--json").output)
    assert [h["status"] for h in shown["history"]] == ["received", "dispatched", "in_progress"]
    assert shown["contact"]["phone"] == "13812345678"  # staff see the full contact
    missing = run(db_url, "tickets", "show", "202601010001")
    assert missing.exit_code == 2 and "没有找到工单" in missing.output
    for command in (["tickets", "--help"], ["tickets", "status", "--help"], ["route", "--help"]):
        assert "Example: lifebot" in run(db_url, *command).output


def test_tickets_list_overdue_shows_only_open_tickets_past_their_due_time(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = TicketStore(db_url)
    route = Route("施工扰民", "江阴市住房和城乡建设局", "城乡建设综合行政执法大队", 0.9, False, resolve("华士镇华西村"))
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    late, done, fresh = (store.create(NewTicket(text, "13812345678"), route, created).number for text, created in [
        ("工地晚上十二点还在施工", now - timedelta(days=30)), ("渣土车半夜拉土", now - timedelta(days=30)),
        ("早上六点就开始打桩", now)])
    store.transition(done, "in_progress", "住建局李四", "")
    store.transition(done, "resolved", "住建局李四", "已停工")
    store.close()
    overdue = run(db_url, "tickets", "list", "--overdue")
    assert overdue.exit_code == 0
    assert overdue.output.count("\n") == 1 and late in overdue.output and "已超时" in overdue.output
    everything = run(db_url, "tickets", "list").output
    assert all(n in everything for n in (late, done, fresh)) and everything.count("已超时") == 1


def test_route_json_is_the_api_body(tmp_path):
    result = run(f"sqlite:///{tmp_path / 'cli.db'}", "route", "老板拖欠工资三个月", "--json")
    body = json.loads(result.output)
    assert set(body) == {"department", "team", "grid", "category", "confidence", "urgent"}
    assert (body["department"], body["grid"]) == ("江阴市人力资源和社会保障局", None)
    assert run(f"sqlite:///{tmp_path / 'cli.db'}", "route", " ").exit_code == 2
