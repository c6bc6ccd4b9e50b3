"""The hand-over queue (atomic claims), the search log report and the audit log."""

from __future__ import annotations

import threading

import pytest

from accounts.errors import AccountError
from accounts.searchlog import searched


def test_handover_is_queued_once_while_open(staff):
    first, created = staff.handovers.open("conv-1", "socketio", "转人工")
    again, created_again = staff.handovers.open("conv-1", "socketio", "还在吗")
    assert created and not created_again and again.id == first.id
    assert [h.conversation_id for h in staff.handovers.open_items()] == ["conv-1"]


def test_claim_reply_release_cycle(staff):
    handover, _ = staff.handovers.open("conv-1", "socketio", "转人工")
    claimed = staff.handovers.claim(handover.id, "wang")
    assert (claimed.status, claimed.operator) == ("claimed", "wang")
    with pytest.raises(AccountError) as caught:
        staff.handovers.claim(handover.id, "li")
    assert caught.value.code == "already_claimed" and "wang" in caught.value.message
    with pytest.raises(AccountError) as caught:
        staff.handovers.release(handover.id, "li")
    assert caught.value.code == "not_claimed"
    assert staff.handovers.release(handover.id, "wang").status == "released"
    assert staff.handovers.open_items() == []
    reopened, created = staff.handovers.open("conv-1", "socketio", "又转人工")
    assert created and reopened.id != handover.id


def _race(staff, handover_id: int, operators: list[str]) -> list[str]:
    """Every operator claims at the same moment (a barrier); returns each outcome."""
    barrier = threading.Barrier(len(operators))
    outcomes: list[str] = []

    def claim(operator: str) -> None:
        barrier.wait()
        try:
            staff.handovers.claim(handover_id, operator)
            outcomes.append("won:" + operator)
        except AccountError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=claim, args=(operator,)) for operator in operators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_operators_claiming_at_once_exactly_one_wins(staff):
    for attempt in range(5):
        handover, _ = staff.handovers.open(f"conv-{attempt}", "rest", "转人工")
        outcomes = _race(staff, handover.id, [f"op{n}" for n in range(4)])
        winners = [o for o in outcomes if o.startswith("won:")]
        assert len(winners) == 1 and outcomes.count("already_claimed") == 3
        assert staff.handovers.require(handover.id).operator == winners[0][4:]


def _result(confident: bool, score: float, top_id: str = "gov-x") -> dict:
    return {"confident": confident, "results": [{"id": top_id, "score": score}]}


def test_unmatched_report_is_masked_grouped_and_most_frequent_first(staff):
    at = "2099-01-01T00:00:00+00:00"
    records = [searched("我的电话 13812345678 能办吗", _result(False, 0.5), "bot", at),
               searched("我的电话  13812345678 能办吗", _result(False, 0.6, "gov-y"), "bot", at),
               searched("狗证 怎么办", _result(False, 0.4), "console", at),
               searched("居住证怎么办", _result(True, 0.9), "bot", at),
               searched("空的", {"confident": False, "results": []}, "weird-source", at)]
    staff.search_log.record_many(records)
    report = staff.search_log.unmatched(days=30)
    assert [(r["query"], r["count"]) for r in report][:2] == [("我的电话 138****5678 能办吗", 2),
                                                             ("狗证 怎么办", 1)]
    assert report[0]["best_guess"] == "gov-y" and report[0]["best_score"] == 0.6
    assert "居住证怎么办" not in {r["query"] for r in report}
    assert staff.search_log.counts(days=30) == {"total": 5, "unmatched": 4}
    assert records[-1].source == "other"


def test_audit_log_newest_first_with_filters(staff):
    staff.audit.record("wang", "catalog_edit", "gov-a", {"fields": ["aliases"]})
    staff.audit.record("li", "handover_claim", "conv-1")
    staff.audit.record("wang", "catalog_rollback", "gov-a", {"to_version": 1})
    assert [r["action"] for r in staff.audit.recent()] == ["catalog_rollback", "handover_claim", "catalog_edit"]
    assert [r["target"] for r in staff.audit.recent(actor="li")] == ["conv-1"]
    newest = staff.audit.recent(limit=1)[0]
    assert [r["action"] for r in staff.audit.recent(before=newest["id"])] == ["handover_claim", "catalog_edit"]
    assert staff.audit.recent(action="catalog_edit")[0]["detail"] == {"fields": ["aliases"]}
