"""The ticket store: numbers, routing, SLA, out-of-hours callback, life cycle, look-up, PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from routing.classify.taxonomy import CALLBACK, DESK_DEPARTMENT, DISPATCH
from routing.grids.address import resolve
from routing.router import Route
from routing.tickets.store import TicketStore
from routing.tickets.validate import BadTransition, Busy, NewTicket, TicketError, TicketNotFound, new_ticket

JIANGYIN = ZoneInfo("Asia/Shanghai")
FRIDAY_10 = datetime(2026, 11, 27, 10, 0, tzinfo=JIANGYIN)
FRIDAY_20 = datetime(2026, 11, 27, 20, 0, tzinfo=JIANGYIN)
OILY = Route("餐饮油烟", "江阴市城市管理局", None, 0.81, False, resolve("澄江街道人民中路268号"))
SITE = Route("施工扰民", "江阴市住房和城乡建设局", "城乡建设综合行政执法大队", 0.9, False, resolve("华士镇华西村"))


def report(text: str = "楼下饭店油烟太大", phone: str = "13812345678") -> NewTicket:
    return NewTicket(text=text, phone=phone, address="澄江街道人民中路268号", name="王小明", channel="web")


def test_a_confident_ticket_is_numbered_routed_and_dispatched(ticket_store):
    ticket = ticket_store.create(report(), OILY, FRIDAY_10).to_dict()
    assert ticket["number"] == "202611270001"
    assert (ticket["category"], ticket["department"], ticket["team"]) == ("餐饮油烟", "江阴市城市管理局", None)
    assert ticket["grid"]["code"] == "JY01" and ticket["town"] == "澄江街道"
    assert ticket["status"] == "dispatched" and ticket["status_label"] == "已派单"
    assert [(h["status"], h["actor"]) for h in ticket["history"]] == [("received", "系统"), ("dispatched", "系统")]
    assert ticket["history"][1]["note"] == "派至江阴市城市管理局，澄江街道"
    assert ticket["contact"] == {"name": "王**", "phone": "138****5678"}
    assert ticket_store.create(report(), SITE, FRIDAY_10).number == "202611270002"
    assert ticket_store.create(report(), SITE, FRIDAY_10 + timedelta(days=1)).number == "202611280001"


def test_when_every_number_it_tries_is_taken_it_says_try_again_and_files_nothing(ticket_store, monkeypatch):
    taken = ticket_store.create(report(), OILY, FRIDAY_10).number
    monkeypatch.setattr(ticket_store, "_next_number", lambda conn, now: taken)  # other writers always first
    with pytest.raises(Busy) as refused:
        ticket_store.create(report("路灯坏了"), OILY, FRIDAY_10)
    assert (refused.value.status, refused.value.code) == (503, "number_unavailable")
    assert [t.number for t in ticket_store.list()] == [taken]


def test_sla_due_time_follows_the_category(ticket_store):
    oily = ticket_store.create(report(), OILY, FRIDAY_10).to_dict()
    site = ticket_store.create(report(), SITE, FRIDAY_10).to_dict()
    assert oily["due_at"] == (FRIDAY_10 + timedelta(hours=72)).isoformat()
    assert site["due_at"] == (FRIDAY_10 + timedelta(hours=24)).isoformat()
    urgent = Route("燃气", "江阴华润燃气", None, 0.9, True, resolve("华士镇"))
    assert ticket_store.create(report("闻到煤气味"), urgent, FRIDAY_10).to_dict()["due_at"] == \
        (FRIDAY_10 + timedelta(hours=1)).isoformat()


def test_out_of_hours_tickets_promise_a_callback_after_the_desk_opens(ticket_store):
    assert ticket_store.create(report(), OILY, FRIDAY_10).to_dict()["callback_by"] is None
    late = ticket_store.create(report(), OILY, FRIDAY_20).to_dict()
    assert late["callback_by"] == datetime(2026, 11, 30, 10, 30, tzinfo=JIANGYIN).isoformat()  # Monday


def test_unsure_and_callback_tickets_wait_at_the_desk(ticket_store):
    unsure = Route(DISPATCH, DESK_DEPARTMENT, None, 0.1, False, resolve("随便什么地方"))
    ticket = ticket_store.create(report("说不清楚的事"), unsure, FRIDAY_10).to_dict()
    assert ticket["status"] == "received" and ticket["grid"] is None and len(ticket["history"]) == 1
    callback = ticket_store.create(report("转人工"), OILY, FRIDAY_20, category=CALLBACK).to_dict()
    assert (callback["category"], callback["department"], callback["status"]) == (CALLBACK, DESK_DEPARTMENT,
                                                                                 "received")


def test_life_cycle_moves_and_refuses_skips(ticket_store):
    number = ticket_store.create(report(), SITE, FRIDAY_10).number
    with pytest.raises(BadTransition) as refused:
        ticket_store.transition(number, "closed", "住建局李四")
    assert refused.value.code == "bad_transition" and "已派单" in refused.value.message
    for status in ("in_progress", "resolved", "closed"):
        ticket_store.transition(number, status, "住建局李四", f"备注 {status}", FRIDAY_10 + timedelta(hours=1))
    ticket = ticket_store.get(number).to_dict()
    assert [h["status"] for h in ticket["history"]] == ["received", "dispatched", "in_progress", "resolved", "closed"]
    assert ticket["history"][-1] == {"status": "closed", "label": "已关闭", "actor": "住建局李四",
                                     "note": "备注 closed", "at": (FRIDAY_10 + timedelta(hours=1)).isoformat()}
    with pytest.raises(BadTransition):
        ticket_store.transition(number, "in_progress", "住建局李四")
    with pytest.raises(TicketError) as bad:
        ticket_store.transition(number, "done", "x")
    assert bad.value.code == "invalid_status"


def test_a_resident_finds_a_ticket_only_with_its_phone(ticket_store):
    number = ticket_store.create(report(), OILY, FRIDAY_10).number
    assert ticket_store.find(number, "138 1234 5678").number == number
    with pytest.raises(TicketNotFound):
        ticket_store.find(number, "13900000000")
    with pytest.raises(TicketNotFound):
        ticket_store.find("202611279999", "13812345678")
    with pytest.raises(TicketError) as bad:
        ticket_store.find("GD123", "13812345678")
    assert bad.value.code == "invalid_number"


def test_new_ticket_input_is_checked_with_codes():
    cases = [({}, "missing_text"), ({"text": " ", "phone": "13812345678"}, "missing_text"),
             ({"text": "路灯坏了", "phone": "123"}, "invalid_phone"),
             ({"text": "路" * 501, "phone": "13812345678"}, "text_too_long"),
             ({"text": "路灯坏了", "phone": "13812345678", "channel": "fax"}, "invalid_channel"),
             ({"text": "路灯坏了", "phone": "13812345678", "kind": "other"}, "invalid_kind"),
             ([], "invalid_body")]
    for body, code in cases:
        with pytest.raises(TicketError) as failed:
            new_ticket(body)
        assert failed.value.code == code and failed.value.message, body
    assert new_ticket({"text": "路灯坏了", "phone": "0510-86860001"}).phone == "0510-86860001"
    assert new_ticket({"text": "路灯坏了", "phone": "１３８１２３４５６７８"}).phone == "13812345678"  # full width


def test_phones_are_not_logged_in_full(ticket_store, caplog):
    ticket_store.create(report(), OILY, FRIDAY_10)
    assert "13812345678" not in caplog.text


@pytest.mark.postgres
def test_tickets_on_postgresql(postgres_url):
    store = TicketStore(postgres_url)
    try:
        first = store.create(report(), SITE, FRIDAY_10)
        second = store.create(report(), OILY, FRIDAY_10)
        assert (first.number, second.number) == ("202611270001", "202611270002")
        store.transition(first.number, "in_progress", "住建局李四")
        assert [h["status"] for h in store.find(first.number, "13812345678").to_dict()["history"]] == [
            "received", "dispatched", "in_progress"]
        assert [t.number for t in store.list(status="dispatched")] == [second.number]
    finally:
        store.close()


def test_ticket_schema_matches_migration_0004(tmp_path):
    from routing.tickets.schema import metadata
    from tests.catalog.samples import check_schema_matches_migrations

    check_schema_matches_migrations(f"sqlite:///{tmp_path / 'schema.db'}", metadata, "routing_")


@pytest.mark.postgres
def test_ticket_schema_matches_migration_0004_on_postgresql(postgres_url):
    from routing.tickets.schema import metadata
    from tests.catalog.samples import check_schema_matches_migrations

    check_schema_matches_migrations(postgres_url, metadata, "routing_")
