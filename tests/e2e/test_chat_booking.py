"""A resident books in the web chat page by clicking the form's buttons; the confirmation is a card."""

from __future__ import annotations

import pytest

from actions import clock
from actions.booking_form import day_text

from .test_chat_page import browser  # noqa: F401 (the module-scoped chromium fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_booking_through_the_buttons_ends_with_a_confirmation_card(stack, browser):  # noqa: F811
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(f"{stack.settings.api_base_url}/chat")
    page.get_by_text("在线").wait_for(timeout=20_000)

    def say(text: str, then: str) -> None:
        page.get_by_label("输入您的问题").fill(text)
        page.get_by_role("button", name="发送").click()
        page.locator(".msg.bot", has_text=then).last.wait_for(timeout=60_000)

    def click_first(after: str, then: str, unless: str | None = None) -> None:
        page.locator(".msg.bot", has_text=after).last.wait_for(timeout=60_000)
        offered = page.locator(".buttons").last.locator("button")
        (offered.filter(has_not_text=unless) if unless else offered).first.click()
        page.locator(".msg.bot", has_text=then).last.wait_for(timeout=60_000)

    say("我要预约", "您想预约办什么事")
    say("办护照", "想约哪一天")
    # not today: its slots close an hour before each starts, one may close while the test types
    click_first("想约哪一天", "还有这些时段可以约", unless=day_text(clock.now().date().isoformat()))
    click_first("还有这些时段可以约", "请告诉我办事人的姓名")
    say("张三", "请留一个手机号")
    say("13912345678", "请确认预约信息")
    page.get_by_role("button", name="确认预约").click()
    card = page.locator("article.card.booking")
    expect(card).to_have_count(1, timeout=60_000)
    assert card.locator("h2").text_content() == "预约确认：已预约"
    code = card.locator("dt", has_text="预约号").locator("xpath=following-sibling::dd[1]").text_content()
    assert len(code) == 6 and code.isalnum(), code
    assert "普通护照签发" in card.text_content() and "江阴市民中心" in card.text_content()
    page.close()
