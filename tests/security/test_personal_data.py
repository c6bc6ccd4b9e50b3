"""A real report conversation with a phone and an ID number: it completes, yet neither number is in
the logs of the API, the action server or Rasa, nor anywhere in the tracker database (raw SQL)."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
import requests

from bot.tracker_store import ENCRYPTED

pytestmark = pytest.mark.e2e

PHONE = "13957712468"
ID_NUMBER = "320281198807154321"


def say(stack, sender: str, text: str) -> str:
    answer = requests.post(f"{stack.settings.rasa_base_url}/webhooks/rest/webhook",
                           json={"sender": sender, "message": text}, timeout=120)
    assert answer.status_code == 200, answer.text
    return "\n".join(r.get("text", "") for r in answer.json())


def test_report_with_phone_and_id_number_leaves_neither_in_logs_or_tracker(stack):
    sender = "privacy-report"
    asked = say(stack, sender, f"楼下饭店油烟太大，窗户都不敢开，我身份证号{ID_NUMBER}")
    assert "在哪里" in asked, asked
    assert "手机号" in say(stack, sender, "澄江街道人民中路268号")
    summary = say(stack, sender, f"我的手机{PHONE}")
    # The phone came back from the store (each turn reloads the tracker) to be shown masked.
    assert "请确认" in summary and "139****2468" in summary, summary
    done = say(stack, sender, "确认")
    number = re.search(r"工单号：(20\d{10})", done)
    assert number, done
    ticket = requests.get(f"{stack.settings.api_base_url}/api/tickets/{number.group(1)}",
                          params={"phone": PHONE}, timeout=30).json()
    assert ticket["number"] == number.group(1) and ticket["department"] == "江阴市城市管理局"

    with sqlite3.connect(stack.settings.tracker_db) as db:
        rows = [data for (data,) in db.execute("SELECT data FROM events WHERE sender_id = ?", (sender,))]
        everything = "\n".join(" ".join(map(str, row)) for row in db.execute("SELECT * FROM events"))
    assert rows and PHONE not in everything and ID_NUMBER not in everything
    said = [json.loads(r) for r in rows if json.loads(r)["event"] == "user"]
    assert any("320281********4321" in e["text"] for e in said) and any("139****2468" in e["text"] for e in said)
    slots = {e["name"]: e["value"] for e in map(json.loads, rows) if e["event"] == "slot" and e["value"]}
    assert slots["report_phone"].startswith(ENCRYPTED), slots

    logs = sorted((stack.settings.var_dir / "logs").glob("*.log"))
    assert {p.name for p in logs} >= {"api.log", "actions.log", "rasa.log"}
    for path in logs:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert PHONE not in text and ID_NUMBER not in text, path
