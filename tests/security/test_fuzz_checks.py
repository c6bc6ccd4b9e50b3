"""The fuzzers' response checks catch what they are there to catch (so a passing fuzz run means something)."""

from __future__ import annotations

from api.handlers.openapi import load_spec
from tests.security.openapi_fuzz import ResponseChecker, operations

SPEC = load_spec()
TICKETS = next(op for op in operations(SPEC) if op.name == "POST /api/tickets")


def problems(status, body, content_type="application/json"):
    return ResponseChecker(SPEC).problems(TICKETS, status, content_type, body)


def test_a_described_chinese_error_passes():
    assert problems(400, {"error": {"code": "missing_text", "message": "请说明要反映的问题"}}) == []


def test_a_server_error_fails_even_in_the_project_shape():
    found = problems(500, {"error": {"code": "internal_error", "message": "系统繁忙，请稍后再试"}})
    assert any("server error 500" in p for p in found)


def test_an_english_or_shapeless_error_fails():
    assert problems(400, {"error": {"code": "bad", "message": "Bad Request"}})
    assert problems(400, "400: Bad Request", "text/plain")
    assert problems(404, {"error": {"code": "not_found", "message": "没有"}})  # 404 is not described here


def test_a_success_must_match_the_described_schema():
    assert problems(201, {"number": "T1"})
    ticket = {"number": "T1", "text": "路灯坏了", "status": "new", "status_label": "待处理",
              "contact": {"phone": "138****5678", "name": None}, "history": []}
    assert problems(201, ticket) == []
