"""A resident uses the web chat page in a real browser (Debian's chromium driven by Playwright)."""

from __future__ import annotations

import shutil

import pytest

from .test_conversation import QUESTIONS

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


def test_resident_asks_two_questions_in_the_web_chat(stack, browser, tmp_path):
    page = browser.new_page()
    page.goto(f"{stack.settings.api_base_url}/chat")
    page.get_by_text("在线").wait_for(timeout=20_000)
    from playwright.sync_api import expect

    answers = page.locator(".msg.bot", has_text="【")
    for turn, (question, expected) in enumerate(QUESTIONS):
        page.get_by_label("输入您的问题").fill(question)
        page.get_by_role("button", name="发送").click()
        expect(answers).to_have_count(turn + 1, timeout=60_000)
        first_line = answers.nth(turn).text_content().splitlines()[0]
        assert any(word in first_line for word in expected), first_line
    page.screenshot(path=str(tmp_path / "chat.png"))
    # The conversation survives a reload.
    page.reload()
    page.locator(".msg.user", has_text="孩子上户口去哪里").wait_for(timeout=10_000)
    page.close()


def test_message_text_is_never_inserted_as_html(stack, browser):
    page = browser.new_page()
    page.goto(f"{stack.settings.api_base_url}/chat")
    page.get_by_text("在线").wait_for(timeout=20_000)
    page.get_by_label("输入您的问题").fill("<img src=x onerror=\"document.title='pwned'\">")
    page.get_by_role("button", name="发送").click()
    page.locator(".msg.bot").nth(1).wait_for(timeout=60_000)
    assert page.title() != "pwned"
    assert page.locator(".log img").count() == 0
    page.close()
