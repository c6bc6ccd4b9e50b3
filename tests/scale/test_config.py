"""The scaled layout's settings and nginx configuration, without starting anything."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from lifebot.messages import BUSY, TOO_FAST
from lifebot.scaled import nginx
from lifebot.scaled.config import ScaledConfig
from tests.pg import in_ci

PORTS = dict(public_port=21190, actions_port=21191, api_ports=[21192, 21193], rasa_ports=[21194, 21195, 21196],
             actions_ports=[21197, 21198], read_timeout=60, chat_per_minute=300, chat_burst=60)


def test_defaults_run_beside_make_run():
    config = ScaledConfig.from_mapping({})
    assert config.public_port == 8088 and len(config.rasa_ports) == 2
    assert not {8080, 5005, 5055} & set(config.all_ports())


@pytest.mark.parametrize(("values", "message"), [
    ({"rasa_port": 1}, "unknown scaled settings: rasa_port"),
    ({"rasa_ports": []}, "scaled.rasa_ports needs at least one port"),
    ({"api_ports": [8088]}, "scaled ports must all differ"),
    ({"chat_per_minute": -1}, "cannot be negative"),
])
def test_bad_scaled_settings_are_refused(values, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ScaledConfig.from_mapping(values)


def test_rendered_config_has_every_server_and_the_busy_answer(tmp_path):
    text = nginx.render(tmp_path, **PORTS)
    assert "{{" not in text
    for port in [*PORTS["api_ports"], *PORTS["rasa_ports"], *PORTS["actions_ports"]]:
        assert f"server 127.0.0.1:{port} " in text
    assert text.count("server 127.0.0.1:21196 ") == 3  # a third Rasa server: every Rasa upstream
    body = re.search(r"return 200 '(.*)';", text).group(1)
    assert json.loads(body) == [{"recipient_id": "", "text": BUSY}]


def test_chat_requests_are_limited_per_address_but_not_wechat(tmp_path):
    text = nginx.render(tmp_path, **PORTS)
    assert "limit_req_zone $chat_client zone=chat:10m rate=300r/m;" in text
    locations = dict(re.findall(r"location (\S+(?: \S+)?) \{(.*?)\n        \}", text, re.S))
    for limited in ("= /webhooks/rest/webhook", "/socket.io/"):
        assert "limit_req zone=chat burst=60 nodelay;" in locations[limited], limited
    assert "limit_req" not in locations["/webhooks/wechat/"]  # every message comes from WeChat's servers
    assert "limit_req" not in locations["/"]  # the API has its own limits (api/rate_limit.py)
    too_fast = locations["@too_fast"]
    assert "add_header Retry-After 1 always;" in too_fast
    assert json.loads(re.search(r"return 429 '(.*)';", too_fast).group(1)) == [{"recipient_id": "", "text": TOO_FAST}]


def test_wechat_goes_to_one_rasa_server_and_to_the_others_only_while_it_is_down(tmp_path):
    text = nginx.render(tmp_path, **PORTS)
    locations = dict(re.findall(r"location (\S+(?: \S+)?) \{(.*?)\n        \}", text, re.S))
    assert "proxy_pass http://lifebot_rasa_wechat;" in locations["/webhooks/wechat/"]
    upstream = re.search(r"upstream lifebot_rasa_wechat \{(.*?)\}", text, re.S).group(1)
    servers = re.findall(r"server 127\.0\.0\.1:(\d+) ([^;]*);", upstream)
    assert [(int(port), "backup" in flags) for port, flags in servers] == [
        (21194, False), (21195, True), (21196, True)]
    assert "backup" not in re.search(r"upstream lifebot_rasa \{(.*?)\}", text, re.S).group(1)


def test_a_chat_limit_of_0_renders_no_limit(tmp_path):
    text = nginx.render(tmp_path, **{**PORTS, "chat_per_minute": 0})
    assert "limit_req_zone" not in text and "limit_req zone" not in text


@pytest.mark.parametrize("chat_per_minute", [300, 0])
def test_nginx_accepts_the_rendered_config(tmp_path, chat_per_minute):
    binary = nginx.find_nginx()
    if binary is None:
        if in_ci():
            pytest.fail(f"nginx missing under CI: {nginx.INSTALL_HINT}", pytrace=False)
        pytest.skip(f"!!! nginx missing: {nginx.INSTALL_HINT}")
    conf = nginx.write_config(Path(tmp_path), **{**PORTS, "chat_per_minute": chat_per_minute})
    result = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
