"""Staff in a real browser (Debian's chromium through Playwright) against the real running stack:
an operator's live suggestions, a hand-over claimed, answered in the resident's web chat and
released, and a maintainer's edit that residents can find within seconds.

Screenshots go to the test's tmp dir, and to docs/img/ when LIFEBOT_SCREENSHOTS=1.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest

from tests.e2e.staff_browser import accounts, chromium, log_in, screenshot  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def search(base: str, query: str) -> dict:
    url = f"{base}/api/search?" + urllib.parse.urlencode({"q": query, "top": 3})
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_operator_sees_live_suggestions_while_typing(chromium, accounts, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    page = log_in(chromium, accounts, "/console", "wang")
    page.get_by_label("来电内容（边听边输入或粘贴，自动给出建议）").press_sequentially("孩子刚出生户口去哪里上", delay=30)
    expect(page.locator("#services li").first).to_contain_text("出生", timeout=15_000)
    expect(page.locator("#reply")).to_contain_text("您要办的是", timeout=5_000)
    expect(page.locator("#reply")).to_contain_text("江阴市公安局")
    screenshot(page, tmp_path, "console")
    page.context.close()


def test_operator_claims_answers_and_releases_a_web_chat_hand_over(chromium, accounts, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    resident = chromium.new_context().new_page()
    resident.goto(accounts + "/chat")
    resident.get_by_text("在线").wait_for(timeout=20_000)
    resident.get_by_label("输入您的问题").fill("转人工")
    resident.get_by_role("button", name="发送").click()
    expect(resident.locator(".msg.bot", has_text="人工")).to_have_count(1, timeout=60_000)
    conversation = resident.evaluate("localStorage.getItem('lifebot.session')")

    wang = log_in(chromium, accounts, "/console", "wang")
    zhao = log_in(chromium, accounts, "/console", "zhao")
    item = wang.locator(f'#queue li[data-conversation="{conversation}"]')
    item.get_by_role("button", name="接手会话：转人工").click(timeout=15_000)
    expect(wang.locator("#transcript li.resident", has_text="转人工")).to_have_count(1, timeout=10_000)
    # The other operator sees it taken and cannot claim it.
    taken = zhao.locator(f'#queue li[data-conversation="{conversation}"]')
    expect(taken).to_contain_text("wang 接待中", timeout=10_000)
    expect(taken.get_by_role("button")).to_have_count(0)

    wang.get_by_label("回复居民（在居民原来的渠道里送达）").fill("您好，我是话务员小王，请问有什么可以帮您？")
    wang.get_by_role("button", name="发送").click()
    expect(resident.locator(".msg.bot", has_text="我是话务员小王")).to_have_count(1, timeout=15_000)
    expect(wang.locator("#transcript li.operator", has_text="我是话务员小王")).to_have_count(1, timeout=10_000)
    screenshot(wang, tmp_path, "console-handover")

    wang.get_by_role("button", name="结束并交还机器人").click()
    expect(resident.locator(".msg.bot", has_text="人工客服已结束接待")).to_have_count(1, timeout=30_000)
    expect(wang.locator(f'#queue li[data-conversation="{conversation}"]')).to_have_count(0, timeout=10_000)
    # The bot answers again.
    resident.get_by_label("输入您的问题").fill("居住证怎么办")
    resident.get_by_role("button", name="发送").click()
    expect(resident.locator(".msg.bot", has_text="【")).not_to_have_count(0, timeout=60_000)
    for page in (resident, wang, zhao):
        page.context.close()


def test_maintainer_edit_becomes_searchable(chromium, accounts, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    phrase = "蓝鲸牌暗号证明"
    before = search(accounts, phrase)
    page = log_in(chromium, accounts, "/admin", "li")
    page.get_by_label("搜索条目").fill("居住证申领")
    page.get_by_role("button", name="搜索").click()
    page.locator("#entry-rows tr", has_text="居住证申领").first.click()
    expect(page.locator("#edit-title")).to_have_text("居住证申领", timeout=10_000)
    aliases = page.get_by_label("别名（aliases）")
    entry_id = page.locator("#edit-meta").text_content().split(" ")[0]
    assert not (before["confident"] and before["results"][0]["id"] == entry_id)
    aliases.fill((aliases.input_value() + "|" + phrase).strip("|"))
    page.get_by_label("修改原因（必填，记入历史）").fill("居民这样问")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#edit-message")).to_contain_text("已保存为第", timeout=15_000)
    expect(page.locator("#history-list li").first).to_contain_text("居民这样问")
    expect(page.locator("#history-list li").first).to_contain_text(phrase)
    page.set_viewport_size({"width": 1360, "height": 1900})
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, tmp_path, "admin")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = search(accounts, phrase)
        if found["results"] and found["results"][0]["id"] == entry_id:
            break
        time.sleep(0.5)
    assert found["results"][0]["id"] == entry_id, found
    # The audit log shows who changed it.
    page.get_by_role("tab", name="操作日志").click()
    expect(page.locator("#audit-rows tr").first).to_contain_text("修改条目")
    expect(page.locator("#audit-rows tr").first).to_contain_text(entry_id)
    page.context.close()


def test_maintainer_imports_a_file_after_previewing_it(chromium, accounts, tmp_path):  # noqa: F811
    from playwright.sync_api import expect

    upload = tmp_path / "fees.csv"
    upload.write_text("id,fee\ngov-passport,每本 120 元（导入测试）\n", encoding="utf-8")
    page = log_in(chromium, accounts, "/admin", "li")
    page.get_by_role("tab", name="批量导入").click()
    page.get_by_label("选择文件").set_input_files(str(upload))
    page.get_by_role("button", name="预览变化").click()
    expect(page.locator("#import-summary")).to_contain_text("修改 1 条", timeout=15_000)
    expect(page.locator("#import-changes")).to_contain_text("每本 120 元（导入测试）")
    page.get_by_label("导入原因（必填）").fill("新收费标准")
    page.get_by_role("button", name="确认导入").click()
    expect(page.locator("#import-message")).to_contain_text("已导入，1 个条目有变化", timeout=15_000)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the API follows the catalog version within seconds
        with urllib.request.urlopen(f"{accounts}/api/services/gov-passport", timeout=10) as response:
            fee = json.loads(response.read())["fee"]
        if fee == "每本 120 元（导入测试）":
            break
        time.sleep(0.5)
    assert fee == "每本 120 元（导入测试）"
    page.context.close()


def test_a_slow_earlier_answer_never_replaces_a_newer_one(chromium, accounts):  # noqa: F811
    """The maintainer filters the list, then searches before the filter's answer came; then opens one
    entry and another before the first opened. Each panel shows the answer to the newest request:
    the earlier answers are held back by the browser and released last, as a slow server would."""
    from playwright.sync_api import expect

    page = log_in(chromium, accounts, "/admin", "li")
    rows = page.locator("#entry-rows tr")
    expect(rows).not_to_have_count(0, timeout=10_000)
    held = []

    def hold_the_unsearched_list(route):
        if "q=&" in route.request.url:
            held.append(route)
        else:
            route.continue_()

    page.route(lambda url: "/api/admin/services?" in url, hold_the_unsearched_list)
    page.get_by_label("状态").select_option("active")
    page.get_by_label("搜索条目").fill("居住证")
    page.get_by_role("button", name="搜索").click()
    expect(rows.first).to_contain_text("居住证", timeout=10_000)
    searched = rows.all_text_contents()
    assert len(held) == 1 and len(searched) >= 2, (held, searched)
    release(page, held[0])
    assert rows.all_text_contents() == searched

    first, second = rows.nth(0).get_attribute("data-id"), rows.nth(1).get_attribute("data-id")
    page.route(lambda url: url.endswith(f"/api/admin/services/{first}"), lambda route: held.append(route))
    rows.nth(0).click()
    rows.nth(1).click()
    expect(page.locator("#edit-meta")).to_contain_text(second, timeout=10_000)
    assert len(held) == 2, held
    release(page, held[1])
    expect(page.locator("#edit-meta")).to_contain_text(second)
    expect(page.locator("#entry-rows tr.selected")).to_have_attribute("data-id", second)
    page.context.close()


def release(page, route) -> None:
    """Lets a held request through and waits until the page has had time to act on its answer."""
    with page.expect_response(lambda response: response.request == route.request) as answer:
        route.continue_()
    answer.value.finished()
    page.wait_for_timeout(300)
