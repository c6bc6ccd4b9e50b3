"""A second Rasa server with the WeChat channel configured for tests, beside the session's stack.

It shares the stack's trained model, action server and API, but has its own credentials (a test
token, AES key and appid, the API base pointing at a local fake of the official API), its own tracker
database, and reaches the action server through a proxy the tests can slow down.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from lifebot.processes import BIN
from lifebot.settings import ROOT
from tests.channels.fakes import DelayingActionProxy, FakeOfficialApi, free_port

TOKEN = "lifebot-test-token"
APPID = "wx0123456789abcdef"
SECRET = "test-app-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


@dataclass
class WeChatRasa:
    url: str
    official: FakeOfficialApi
    actions: DelayingActionProxy

    @property
    def webhook(self) -> str:
        return f"{self.url}/webhooks/wechat/webhook"


def _wait(url: str, process: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the WeChat test Rasa exited with {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the WeChat test Rasa did not answer {url}; see {log}")


@pytest.fixture(scope="session")
def wechat_rasa(stack, tmp_path_factory):
    folder = tmp_path_factory.mktemp("wechat")
    credentials = {"rest": None, "bot.channels.wechat.WeChatInput": {
        "token": TOKEN, "appid": APPID, "encoding_aes_key": AES_KEY, "appsecret": SECRET,
        "api_base": "(set below)", "reply_timeout": 4.0}}
    with FakeOfficialApi(APPID, SECRET) as official, \
            DelayingActionProxy(f"http://{stack.settings.api_host}:{stack.settings.actions_port}") as actions:
        credentials["bot.channels.wechat.WeChatInput"]["api_base"] = official.url
        (folder / "credentials.yml").write_text(yaml.safe_dump(credentials), encoding="utf-8")
        endpoints = {"action_endpoint": {"url": f"{actions.url}/webhook"},
                     "tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(folder / "tracker.db")}}
        (folder / "endpoints.yml").write_text(yaml.safe_dump(endpoints), encoding="utf-8")
        port = free_port()
        log = folder / "rasa.log"
        env = {k: v for k, v in stack.env.items() if not k.startswith("LIFEBOT_WECHAT_")}
        with open(log, "ab") as out:
            process = subprocess.Popen(
                [str(BIN / "rasa"), "run", "--enable-api", "--interface", "127.0.0.1", "--port", str(port),
                 "--model", str(stack.settings.models_dir), "--credentials", str(folder / "credentials.yml"),
                 "--endpoints", str(folder / "endpoints.yml")],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait(f"{url}/status", process, log)
            yield WeChatRasa(url, official, actions)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
