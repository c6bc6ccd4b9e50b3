"""A resident uses the web chat page in a real browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from lifebot.messages import BUSY
from lifebot.settings import ROOT

from .socket_route import SocketRoute
from .test_conversation import QUESTIONS

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
ANSWER = 60_000


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: `apt-get install chromium` (.ci/run does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(**PHONE)
    opened = context.new_page()
    yield opened
    context.close()


def open_chat(stack, page, route: bool = False) -> SocketRoute | None:
    routed = SocketRoute(page) if route else None
    page.goto(f"{stack.settings.api_base_url}/chat")
    page.get_by_role("status").filter(has_text="在线").wait_for(timeout=20_000)
    return routed


def ask(page, text: str) -> None:
    page.get_by_label("输入您的问题").fill(text)
    page.get_by_role("button", name="发送").click()


def screenshot(page) -> None:
    """docs/img/chat.png for the README (LIFEBOT_SCREENSHOTS=1): one question, its answer and card."""
    from playwright.sync_api import expect

    expect(page.locator("article.card.service")).to_have_count(1, timeout=ANSWER)
    page.set_viewport_size({"width": 390, "height": 1280})
    page.locator("#log").evaluate("log => { log.style.scrollBehavior = 'auto'; log.scrollTop = 0; }")
    (ROOT / "docs" / "img").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ROOT / "docs" / "img" / "chat.png"))
    page.set_viewport_size(PHONE["viewport"])


def test_resident_asks_two_questions_in_the_web_chat(stack, page):
    from playwright.sync_api import expect

    open_chat(stack, page)
    answers = page.locator(".msg.bot", has_text="【")
    for turn, (question, expected) in enumerate(QUESTIONS):
        ask(page, question)
        expect(answers).to_have_count(turn + 1, timeout=ANSWER)
        first_line = answers.nth(turn).text_content().splitlines()[0]
        assert any(word in first_line for word in expected), first_line
        if turn == 0 and os.environ.get("LIFEBOT_SCREENSHOTS"):
            screenshot(page)
    # Each full answer comes with its service card: materials, place, hours, a link to apply online.
    cards = page.locator("article.card.service")
    expect(cards).to_have_count(2, timeout=ANSWER)
    first = cards.first
    assert "居住证" in first.get_by_role("heading").text_content()
    assert first.locator("dt", has_text="需要材料").count() == 1 and first.locator("li").count() >= 1
    assert first.locator("dt", has_text="办理地点").count() == 1
    # The conversation, cards included, survives a reload.
    page.reload()
    page.locator(".msg.user", has_text="孩子上户口去哪里").wait_for(timeout=10_000)
    expect(page.locator("article.card.service")).to_have_count(2)


def test_message_text_is_never_inserted_as_html(stack, page):
    open_chat(stack, page)
    ask(page, "<img src=x onerror=\"document.title='pwned'\">")
    page.locator(".msg.bot").nth(1).wait_for(timeout=ANSWER)
    assert page.title() != "pwned"
    assert page.locator(".log img").count() == 0


def test_quick_reply_button_sends_its_payload_and_shows_its_title(stack, page):
    from playwright.sync_api import expect

    route = open_chat(stack, page, route=True)
    route.inject("bot_uttered", {"text": "您是想办理以下哪一项？", "quick_replies": [
        {"content_type": "text", "title": "收养登记", "payload": '/choose_service{"service_id": "gov-adoption-registration"}'},
        {"content_type": "text", "title": "居住证申领", "payload": "/choose_service"}]})
    choice = page.get_by_role("group", name="可选回答").get_by_role("button", name="收养登记")
    choice.click()
    expect(page.locator(".msg.user").last).to_have_text("我说：收养登记")
    expect(page.locator(".msg.bot", has_text="【收养登记】")).to_have_count(1, timeout=ANSWER)
    assert route.user_messages() == ['/choose_service{"service_id": "gov-adoption-registration"}']
    expect(page.get_by_role("group", name="可选回答").get_by_role("button").first).to_be_disabled()


def test_typed_number_picks_a_quick_reply_unless_the_buttons_are_dates_or_times(stack, page):
    from playwright.sync_api import expect

    route = open_chat(stack, page, route=True)
    adoption = '/choose_service{"service_id": "gov-adoption-registration"}'
    route.inject("bot_uttered", {"text": "您是想办理以下哪一项？", "quick_replies": [
        {"content_type": "text", "title": "居住证申领", "payload": "/choose_service"},
        {"content_type": "text", "title": "收养登记", "payload": adoption}]})
    ask(page, "2")  # as on WeChat, where the same buttons come as a numbered list
    expect(page.locator(".msg.user").last).to_have_text("我说：收养登记")
    expect(page.locator(".msg.bot", has_text="【收养登记】")).to_have_count(1, timeout=ANSWER)
    expect(page.get_by_role("group", name="可选回答").get_by_role("button").first).to_be_disabled()
    # Answered buttons are not picked again: the next number is an ordinary message. (Rasa's answers
    # from here on are held back, so that only the injected buttons are on the page.)
    route.holding = True
    ask(page, "1")
    expect(page.locator(".msg.user").last).to_have_text("我说：1")

    # Among dates a bare "8" may mean the 8th: it goes to the bot as said; "第二个" picks the button.
    days = [{"content_type": "text", "title": title, "payload": f'/inform{{"booking_date": "{iso}"}}'}
            for title, iso in (("12月8日（周二）", "2026-12-08"), ("12月9日（周三）", "2026-12-09"))]
    route.inject("bot_uttered", {"text": "想约哪一天去？", "quick_replies": days})
    ask(page, "8")
    expect(page.locator(".msg.user").last).to_have_text("我说：8")
    route.inject("bot_uttered", {"text": "想约哪一天去？", "quick_replies": days})
    ask(page, "第二个")
    expect(page.locator(".msg.user").last).to_have_text("我说：12月9日（周三）")
    expect(page.get_by_role("group", name="可选回答").last.get_by_role("button").first).to_be_disabled()
    for _ in range(50):  # the routed frames reach the test as the page sends them
        if len(route.user_messages()) == 4:
            break
        page.wait_for_timeout(100)
    assert route.user_messages() == [adoption, "1", "8", days[1]["payload"]]


def test_booking_and_ticket_confirmations_render_as_cards_with_text_only(stack, page):
    from playwright.sync_api import expect

    route = open_chat(stack, page, route=True)
    route.inject("bot_uttered", {"custom": {"type": "booking_confirmation", "booking": {
        "code": "YY2611300007", "service_name": "居住证申领", "hall": "江阴市民中心",
        "date": "2026-11-30", "slot": "09:00-09:30", "status": "booked"}}})
    route.inject("bot_uttered", {"custom": {"type": "ticket_confirmation", "ticket": {
        "number": "GD2611270031", "category": "<img src=x onerror=\"document.title='pwned'\">",
        "department": "江阴市城市管理局", "team": "澄江街道城管中队", "grid": "澄江街道第3网格",
        "status": "assigned", "due": "2026-11-30 17:00"}}})
    route.inject("bot_uttered", {"custom": {"type": "unknown_kind", "x": 1}})
    booking = page.get_by_role("article", name="预约确认：已预约")
    expect(booking).to_contain_text("YY2611300007")
    expect(booking).to_contain_text("09:00-09:30")
    ticket = page.get_by_role("article", name="工单受理：已派单")
    expect(ticket).to_contain_text("GD2611270031")
    expect(ticket).to_contain_text("澄江街道第3网格")
    expect(ticket).to_contain_text("<img src=x")
    assert page.locator(".log img").count() == 0 and page.title() != "pwned"
    assert page.locator(".log article").count() == 2


def test_typing_indicator_shows_until_the_answer_arrives(stack, page):
    from playwright.sync_api import expect

    route = open_chat(stack, page, route=True)
    route.holding = True
    ask(page, "居住证怎么办")
    indicator = page.get_by_role("status").filter(has_text="助手正在输入")
    expect(indicator).to_be_visible()
    page.wait_for_timeout(3000)  # Rasa has answered by now; its messages are held back
    expect(indicator).to_be_visible()
    route.release()
    expect(page.locator(".msg.bot", has_text="【")).to_have_count(1, timeout=ANSWER)
    expect(indicator).to_be_hidden()


def test_messages_typed_while_the_connection_is_down_are_sent_after_reconnecting(stack, page):
    from playwright.sync_api import expect

    route = open_chat(stack, page, route=True)
    route.cut()
    status = page.locator("#status")
    expect(status).not_to_have_text("在线", timeout=10_000)
    expect(page.get_by_role("alert")).to_have_text(BUSY)  # not silence (docs/reliability.md)
    ask(page, "居住证怎么办")
    ask(page, "孩子上户口去哪里")
    expect(page.locator(".msg.user .pending")).to_have_count(2)
    # Still offline across a reload: the queued messages are kept, not lost.
    page.reload()
    expect(page.locator(".msg.user .pending")).to_have_count(2, timeout=10_000)
    route.restore()
    expect(status).to_have_text("在线", timeout=30_000)
    answers = page.locator(".msg.bot", has_text="【")
    expect(answers).to_have_count(2, timeout=2 * ANSWER)
    assert "居住证" in answers.nth(0).text_content().splitlines()[0]
    assert any(w in answers.nth(1).text_content().splitlines()[0] for w in ("户口", "落户"))
    expect(page.locator(".msg.user .pending")).to_have_count(0)
    assert route.user_messages() == ["居住证怎么办", "孩子上户口去哪里"]


def test_busy_shows_when_no_answer_comes_in_time(stack, page):
    from playwright.sync_api import expect

    config = {"rasaPort": stack.settings.rasa_port, "busy": BUSY, "answerMs": 1500}  # 30 s in real use
    page.route("**/chat/config.js", lambda r: r.fulfill(content_type="application/javascript",
                                                        body=f"window.LIFEBOT = {json.dumps(config)};"))
    route = open_chat(stack, page, route=True)
    route.holding = True  # Rasa's answer and acknowledgement do not arrive
    ask(page, "居住证怎么办")
    expect(page.get_by_role("alert")).to_have_text(BUSY, timeout=10_000)
    route.release()
    expect(page.locator(".msg.bot", has_text="【")).to_have_count(1, timeout=ANSWER)
    assert route.user_messages() == ["居住证怎么办"]


def test_keyboard_only_conversation_with_labelled_controls(stack, page):
    from playwright.sync_api import expect

    open_chat(stack, page)
    expect(page.get_by_role("log", name="对话记录")).to_be_visible()
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.get_by_role("link", name="跳到输入框")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("textbox", name="输入您的问题")).to_be_focused()
    page.keyboard.type("居住证怎么办")
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot", has_text="【")).to_have_count(1, timeout=ANSWER)
    suggestion = page.get_by_role("navigation", name="常见问题").get_by_role("button", name="孩子上户口去哪里")
    suggestion.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot", has_text="【")).to_have_count(2, timeout=ANSWER)


CONTRAST = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const v = rgb(c).map((x) => { x /= 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const background = (node) => { for (; node; node = node.parentElement) { const b = getComputedStyle(node).backgroundColor;
                                   if (b && !b.startsWith("rgba(0, 0, 0, 0)")) { return b; } } return "rgb(255, 255, 255)"; };
  const out = [];
  for (const sel of [".bar h1", ".status", ".restart", ".msg.user", ".msg.bot", ".card h2", ".card dt", ".card dd",
                     ".card .actions a", ".suggestions button", ".composer button", ".composer input"]) {
    for (const node of document.querySelectorAll(sel)) {
      const a = lum(getComputedStyle(node).color), b = lum(background(node));
      out.push([sel, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)]);
    }
  }
  return out;
}"""


def test_text_contrast_meets_wcag_aa(stack, page):
    from playwright.sync_api import expect

    route = open_chat(stack, page, route=True)
    route.inject("bot_uttered", {"custom": {"type": "service_card", "service": {
        "id": "x", "name": "居住证申领", "materials": ["居民身份证"], "place": "江阴市民中心", "hours": "周一至周五",
        "fee": "不收费", "online_url": "https://www.jszwfw.gov.cn/", "phone": "0510-86860001"}}})
    ask(page, "你好")
    expect(page.locator(".msg.bot")).to_have_count(2, timeout=ANSWER)
    ratios = page.evaluate(CONTRAST)
    checked = {selector for selector, _ in ratios}
    assert {".msg.user", ".msg.bot", ".card dt", ".card .actions a", ".status"} <= checked
    low = [(selector, round(ratio, 2)) for selector, ratio in ratios if ratio < 4.5]
    assert low == [], low
