"""The console's routing panel and one-click ticket in a real browser.

The routing API's contract (docs/routing.md): ``POST /api/route {"text"}`` -> ``{"department", "team",
"grid", "category", "confidence", "urgent"}`` and ``POST /api/tickets`` -> 201 ``{"number", ...}``. The
first test checks the panel against that contract with the browser's own request interception (what
the page sends and shows); the second runs against the real routing API.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.staff_browser import accounts, chromium, log_in  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ROUTE = {"department": "江阴市城市管理局", "team": "市容环境科", "grid": "澄江街道 03 网格", "category": "市容环境",
         "confidence": 0.82, "urgent": True}
CALLER = "我家楼下的路灯坏了一个礼拜了晚上很黑"


def test_routing_panel_shows_the_route_and_creates_a_ticket_per_the_contract(chromium, accounts):  # noqa: F811
    from playwright.sync_api import expect

    page = log_in(chromium, accounts, "/console", "wang")
    sent: list[dict] = []
    page.route("**/api/route", lambda route: route.fulfill(status=200, content_type="application/json",
                                                           body=json.dumps(ROUTE, ensure_ascii=False)))

    def ticket(route):
        sent.append({"body": json.loads(route.request.post_data), "csrf": route.request.headers.get("x-csrf-token")})
        route.fulfill(status=201, content_type="application/json",
                      body=json.dumps({"number": "JY20261127-0042", "department": ROUTE["department"]},
                                      ensure_ascii=False))

    page.route("**/api/tickets", ticket)
    page.get_by_label("来电内容（边听边输入或粘贴，自动给出建议）").fill(CALLER)
    route_box = page.locator("#route")
    expect(route_box).to_contain_text("江阴市城市管理局", timeout=15_000)
    expect(route_box).to_contain_text("澄江街道 03 网格")
    expect(route_box).to_contain_text("是，请优先处理")
    page.get_by_role("button", name="一键建工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("请先输入来电内容和来电号码")
    assert sent == []
    page.get_by_label("来电号码（必填）").fill("13812345678")
    page.get_by_label("地址").fill("澄江街道人民路 8 号")
    page.get_by_role("button", name="一键建工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("已建工单 JY20261127-0042")
    assert sent[0]["body"] == {"text": CALLER, "phone": "13812345678", "channel": "hotline",
                               "address": "澄江街道人民路 8 号"}
    assert sent[0]["csrf"]
    page.context.close()


def test_routing_panel_against_the_real_routing_api(chromium, accounts):  # noqa: F811
    from playwright.sync_api import expect

    page = log_in(chromium, accounts, "/console", "wang")
    page.get_by_label("来电内容（边听边输入或粘贴，自动给出建议）").fill(CALLER)
    expect(page.locator("#route dd").first).not_to_have_text("—", timeout=15_000)
    page.get_by_label("来电号码（必填）").fill("13812345678")
    page.get_by_role("button", name="一键建工单").click()
    expect(page.locator("#ticket-result")).to_contain_text("已建工单", timeout=15_000)
    page.context.close()
