"""Property-based fuzzing of every API operation in api/openapi.yaml against the real API process.

Each operation is tried anonymously and, for staff URLs, with a logged-in operator + maintainer
session and its CSRF token: no 500, every answer as described, every error the JSON error with a
Chinese message. LIFEBOT_FUZZ_EXAMPLES sets the examples per operation (default 25).
"""

from __future__ import annotations

import os

import pytest
import requests
from hypothesis import HealthCheck, given, settings

from api.handlers.openapi import load_spec
from tests.security.openapi_fuzz import ResponseChecker, operations, requests_for

pytestmark = pytest.mark.e2e

SPEC = load_spec()
OPERATIONS = operations(SPEC)
EXAMPLES = int(os.environ.get("LIFEBOT_FUZZ_EXAMPLES", "25"))
PASSWORD = "Fuzz-2026-staff-secret"
# Few log-ins: failed ones count against this address's throttle, shared with the other tests.
FEW = {"POST /api/auth/login": 3}


@pytest.fixture(scope="module")
def api(stack):
    from accounts.staff import Staff

    staff = Staff(stack.settings.db_url)
    if staff.users.get("fuzzer") is None:
        staff.users.create("fuzzer", PASSWORD, ["operator", "maintainer"])
    staff.close()
    base = f"http://{stack.settings.api_host}:{stack.settings.api_port}"
    session = requests.Session()
    answer = session.post(f"{base}/api/auth/login", json={"username": "fuzzer", "password": PASSWORD}, timeout=30)
    assert answer.status_code == 200, answer.text
    return {"base": base, "session": session, "csrf": answer.json()["csrf_token"],
            "internal": stack.env["LIFEBOT_INTERNAL_TOKEN"]}


CASES = [pytest.param(op, "anonymous", id=f"{op.name} anonymous") for op in OPERATIONS] + \
    [pytest.param(op, "staff", id=f"{op.name} staff") for op in OPERATIONS
     if op.staff and op.name != "POST /api/auth/logout"]


@pytest.mark.parametrize(("operation", "who"), CASES)
def test_operation_answers_as_described(api, operation, who):
    checker, failures = ResponseChecker(SPEC), []
    client = api["session"] if who == "staff" else requests.Session()
    headers = {"X-CSRF-Token": api["csrf"]} if who == "staff" else {}
    if who == "staff" and operation.path == "/api/internal/handovers":
        headers = {"X-Lifebot-Token": api["internal"]}

    @settings(max_examples=FEW.get(operation.name, EXAMPLES), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(request=requests_for(SPEC, operation))
    def probe(request):
        answer = client.request(request["method"], api["base"] + request["path"], params=request["params"],
                                json=request.get("json"), data=request.get("data"), files=request.get("files"),
                                headers={**headers, **request.get("headers", {})},
                                timeout=60, allow_redirects=False)
        content_type = answer.headers.get("Content-Type", "")
        body = answer.json() if content_type.startswith("application/json") else answer.text
        for problem in checker.problems(operation, answer.status_code, content_type, body):
            failures.append(f"{request['method']} {request['path']} {request['params']} "
                            f"{request.get('json', request.get('data'))!r}: {problem}"[:600])

    probe()
    assert not failures, "\n".join(sorted(set(failures))[:10])
