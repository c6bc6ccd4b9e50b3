"""Resident text that looks like HTML is stored and shown as text: never rendered as markup.

The pages (web chat, console, admin) build every element with createElement/textContent; the staff
pages also forbid inline scripts by CSP. The data path is checked on the real stack: a script string
a resident sends to the bot or puts in a ticket comes back from the staff APIs as JSON text, verbatim.
"""

from __future__ import annotations

import re

import pytest
import requests

from lifebot.settings import ROOT

SINKS = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|"
                   r"\.setAttribute\(\s*[\"']on|javascript:")
SCRIPT = "<script>document.title='pwned'</script><img src=x onerror=alert(1)>"


def test_no_page_script_turns_text_into_markup():
    scripts = sorted((ROOT / "api" / "static").rglob("*.js"))
    assert len(scripts) >= 8
    offenders = [f"{path.relative_to(ROOT)}:{n}" for path in scripts
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if SINKS.search(line)]
    assert offenders == []


@pytest.mark.e2e
def test_staff_pages_allow_no_inline_script(stack):
    for page in ("/admin", "/console"):
        answer = requests.get(stack.settings.api_base_url + page, timeout=30)
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, page


@pytest.mark.e2e
def test_script_strings_come_back_as_json_text(stack):
    api = stack.settings.api_base_url
    requests.post(f"{stack.settings.rasa_base_url}/webhooks/rest/webhook",
                  json={"sender": "stored-script", "message": f"{SCRIPT}居住证"}, timeout=120)
    ticket = requests.post(f"{api}/api/tickets", json={"text": f"路灯坏了{SCRIPT}", "phone": "13812345678",
                                                       "address": SCRIPT, "name": "<b>王</b>"}, timeout=60)
    assert ticket.status_code == 201, ticket.text
    shown = requests.get(f"{api}/api/tickets/{ticket.json()['number']}", params={"phone": "13812345678"},
                         timeout=30)
    assert shown.headers["Content-Type"].startswith("application/json")
    assert shown.json()["text"] == f"路灯坏了{SCRIPT}"

    # JSON is never sniffed into HTML by a browser that opens the URL directly.
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
