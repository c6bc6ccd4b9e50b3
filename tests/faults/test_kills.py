"""kill -9 each process mid-conversation, and restart the database (docs/reliability.md).

Each test: the resident sees BUSY (系统繁忙，请稍后再试) while the process is down, the supervisor
(Stack.supervise) starts it again without anyone's help, the resident's next message is answered in
the same conversation, and no conversation, booking or ticket is lost or duplicated (counted in the
databases themselves). One stack for the module (conftest.py); only the killed process restarts.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lifebot.messages import BUSY
from tests.e2e import test_chat_page
from tests.e2e.test_booking_conversation import later_days
from tests.e2e.test_chat_page import ask
from tests.faults.conftest import WECHAT_TOKEN
from tests.faults.live import (
    Databases,
    InFlight,
    back,
    buttons,
    connections_to,
    kill,
    pause,
    say,
    socketio_say,
    text_of,
    wait_until,
    wechat_say,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]
browser = test_chat_page.browser  # the module's chromium (Debian's, through Playwright)


@pytest.fixture(scope="module")
def db(faults_stack):
    databases = Databases(faults_stack)
    yield databases
    databases.close()


def busy_answer(replies: list[dict]) -> bool:
    texts = [r.get("text", "") for r in replies]
    return bool(texts) and texts[-1].startswith(BUSY)


def start_booking(stack, who: str) -> dict:
    """我要预约 -> 办护照: the form asks for a day; the first day button after today."""
    assert "您想预约办什么事" in text_of(say(stack, who, "我要预约"))
    replies = say(stack, who, "办护照")
    assert "想约哪一天去江阴市民中心" in text_of(replies), replies
    return later_days(buttons(replies))[0]


def book_until_confirmation(stack, who: str, phone: str) -> None:
    day = start_booking(stack, who)
    replies = say(stack, who, day["payload"])
    assert "还有这些时段可以约" in text_of(replies), replies
    assert "姓名" in text_of(say(stack, who, buttons(replies)[0]["payload"]))
    assert "手机号" in text_of(say(stack, who, "张三"))
    assert "请确认预约信息" in text_of(say(stack, who, phone))


def report_until_confirmation(stack, who: str, phone: str) -> None:
    assert "在哪里" in text_of(say(stack, who, "楼下饭店油烟太大，窗户都不敢开"))
    assert "手机号" in text_of(say(stack, who, "澄江街道人民中路268号"))
    assert "请确认" in text_of(say(stack, who, phone))


def test_action_server_killed_between_turns(faults_stack, db):
    stack, who = faults_stack, "faults-actions"
    day = start_booking(stack, who)
    before = kill(stack, "actions")

    replies = say(stack, who, day["payload"])
    assert busy_answer(replies), replies
    assert socketio_say(stack, "faults-actions-web", "居住证怎么办")["text"] == BUSY
    assert wechat_say(stack, WECHAT_TOKEN, "o-faults-actions", "居住证怎么办", 9101) == BUSY

    back(stack, "actions", before)
    replies = say(stack, who, day["payload"])  # the resident repeats; the form goes on
    assert "还有这些时段可以约" in text_of(replies), replies
    assert db.said(who) == ["我要预约", "办护照", day["payload"], day["payload"]]
    assert socketio_say(stack, "faults-actions-web", "居住证怎么办")["text"].startswith("【")


def test_action_server_killed_while_a_turn_is_in_flight(faults_stack):
    stack, who = faults_stack, "faults-actions-flight"
    pause(stack, "api", True)  # the action's call to the API hangs: the turn is inside the action server
    try:
        turn = InFlight(stack, who, "居住证怎么办")
        wait_until(lambda: connections_to(stack.settings.api_port) > 0, 120, "the action's call to the API")
        before = kill(stack, "actions")
    finally:
        pause(stack, "api", False)
    turn.join(180)
    assert turn.error is None and busy_answer(turn.replies), (turn.error, turn.replies)
    back(stack, "actions", before)
    assert text_of(say(stack, who, "居住证怎么办")).startswith("【")


def test_api_killed_between_turns(faults_stack, db):
    stack, who = faults_stack, "faults-api"
    assert text_of(say(stack, who, "居住证怎么办")).startswith("【")
    counts = db.count("bookings"), db.count("routing_tickets")
    before = kill(stack, "api")
    replies = say(stack, who, "孩子上户口去哪里")
    assert busy_answer(replies), replies  # the action's own BUSY text: no stack trace, no silence
    back(stack, "api", before)
    replies = say(stack, who, "孩子上户口去哪里")
    assert "落户" in text_of(replies).splitlines()[0], replies
    assert (db.count("bookings"), db.count("routing_tickets")) == counts
    assert db.said(who) == ["居住证怎么办", "孩子上户口去哪里", "孩子上户口去哪里"]


@pytest.mark.browser
def test_rasa_killed_after_the_booking_and_ticket_were_stored_but_before_the_answer(faults_stack, db, browser):
    """The worst moment: the API has stored the booking and the ticket, Rasa has not yet saved the
    turn or answered. Repeating the confirmation must give back the same booking and ticket."""
    from playwright.sync_api import expect

    stack, booker, reporter, waiting = faults_stack, "faults-rasa-book", "faults-rasa-report", "faults-rasa-wait"
    book_phone, report_phone = "13900000001", "13900000002"
    book_until_confirmation(stack, booker, book_phone)
    report_until_confirmation(stack, reporter, report_phone)
    day = start_booking(stack, waiting)  # a third conversation, between turns when Rasa dies
    counts = db.count("bookings"), db.count("routing_tickets")
    page = browser.new_page()  # and a resident in the web chat
    page.goto(f"{stack.settings.api_base_url}/chat")
    page.get_by_role("status").filter(has_text="在线").wait_for(timeout=30_000)

    # Rasa reads trackers freely but cannot write one: both turns stop just before saving.
    with db.tracker.connect() as hold:
        hold.execute(sa.text("LOCK TABLE events IN EXCLUSIVE MODE"))
        turns = [InFlight(stack, booker, "/affirm"), InFlight(stack, reporter, "确认")]
        wait_until(lambda: db.rows("bookings", book_phone) and db.rows("routing_tickets", report_phone), 180,
                   "the booking and the ticket to be stored")
        assert all(t.is_alive() for t in turns)  # stored, and nobody has seen an answer
        before = kill(stack, "rasa")
        hold.rollback()
    for turn in turns:
        turn.join(60)
        assert turn.replies is None and turn.error is not None  # cut off: the resident saw nothing
    expect(page.get_by_role("alert")).to_have_text(BUSY, timeout=10_000)  # the web chat, meanwhile
    ask(page, "居住证怎么办")
    expect(page.locator(".msg.user .pending")).to_have_count(1)
    [booking], [ticket] = db.rows("bookings", book_phone), db.rows("routing_tickets", report_phone)
    assert booking["idempotency_key"].startswith(f"{booker}:") and ticket["idempotency_key"].startswith(reporter)

    back(stack, "rasa", before)
    assert db.said(booker)[-1] != "/affirm"  # the lost turn: Rasa never saved it
    replies = say(stack, booker, "/affirm")  # the resident repeats the confirmation
    assert "预约成功" in text_of(replies) and f"预约码：{booking['id']}" in text_of(replies), replies
    replies = say(stack, reporter, "确认")
    assert f"工单号：{ticket['id']}" in text_of(replies), replies
    assert db.rows("bookings", book_phone) == [booking] and db.rows("routing_tickets", report_phone) == [ticket]
    assert (db.count("bookings"), db.count("routing_tickets")) == (counts[0] + 1, counts[1] + 1)

    replies = say(stack, waiting, day["payload"])  # the conversation between turns goes on
    assert "还有这些时段可以约" in text_of(replies), replies
    # The web chat's outbox sent the message typed during the outage once, after reconnecting.
    expect(page.locator(".msg.bot", has_text="【")).to_have_count(1, timeout=120_000)
    session = page.evaluate("localStorage.getItem('lifebot.session')")
    # Rasa emits a socket.io answer while the turn runs and saves the turn after it: wait for the save.
    wait_until(lambda: db.said(session), 30, "the web chat's turn to be saved")
    assert db.said(session) == ["居住证怎么办"]
    page.close()


def test_database_restart(faults_stack, db):
    stack, who = faults_stack, "faults-postgres"
    day = start_booking(stack, who)
    counts = db.count("bookings"), db.count("routing_tickets")
    restarts = [s.restarts for s in stack.services]
    stack.postgres.crash()
    try:
        assert busy_answer(say(stack, who, day["payload"]))  # no tracker store: BUSY, not an error page
        assert wechat_say(stack, WECHAT_TOKEN, "o-faults-postgres", "居住证怎么办", 9201) == BUSY
    finally:
        stack.postgres.start_again()
    replies = say(stack, who, day["payload"])
    assert "还有这些时段可以约" in text_of(replies), replies
    assert db.said(who) == ["我要预约", "办护照", day["payload"]]  # the BUSY turn was never stored
    assert (db.count("bookings"), db.count("routing_tickets")) == counts
    assert [s.restarts for s in stack.services] == restarts  # no process had to restart

