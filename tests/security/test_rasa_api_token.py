"""Rasa's HTTP API answers only with its token (lifebot/rasa_auth.py); the channels' webhooks stay open."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from lifebot.rasa_auth import rasa_token, token_file, with_token
from tests.e2e.test_conversation import rasa_api

pytestmark = pytest.mark.e2e


def test_the_tracker_api_needs_the_token_and_the_chat_webhook_does_not(stack):
    base, sender = stack.settings.rasa_base_url, "security-rasa-token"
    answer = requests.post(f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": "你好"}, timeout=60)
    assert answer.status_code == 200 and answer.json()
    tracker = f"{base}/conversations/{sender}/tracker"
    assert requests.get(tracker, timeout=30).status_code == 401
    assert requests.get(with_token(tracker, "not-the-token"), timeout=30).status_code == 401
    forged = {"event": "slot", "name": "operator_message", "value": "伪造"}
    assert requests.post(f"{base}/conversations/{sender}/tracker/events", json=forged, timeout=30).status_code == 401
    assert requests.put(f"{base}/model", json={"model_file": "/tmp/x.tar.gz"}, timeout=30).status_code == 401
    events = requests.get(rasa_api(stack, f"/conversations/{sender}/tracker"), timeout=30).json()["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == ["你好"]
    assert not any(e.get("name") == "operator_message" for e in events if e["event"] == "slot")


def test_the_token_is_private_and_not_on_rasas_command_line(stack):
    token = rasa_token(stack.settings)
    assert len(token) >= 32 and token_file(stack.settings).stat().st_mode & 0o077 == 0
    rasa = stack.service("rasa").process
    cmdline = Path(f"/proc/{rasa.pid}/cmdline").read_bytes().decode()
    assert "bot.rasa_server" in cmdline and token not in cmdline
    assert token not in (stack.settings.var_dir / "logs" / "rasa.log").read_text(encoding="utf-8", errors="replace")
