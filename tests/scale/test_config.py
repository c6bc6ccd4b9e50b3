"""The scaled layout's settings and nginx configuration, without starting anything."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from lifebot.messages import BUSY
from lifebot.scaled import nginx
from lifebot.scaled.config import ScaledConfig
from tests.pg import in_ci

PORTS = dict(public_port=21190, actions_port=21191, api_ports=[21192, 21193], rasa_ports=[21194, 21195, 21196],
             actions_ports=[21197, 21198], read_timeout=60)


def test_defaults_run_beside_make_run():
    config = ScaledConfig.from_mapping({})
    assert config.public_port == 8088 and len(config.rasa_ports) == 2
    assert not {8080, 5005, 5055} & set(config.all_ports())


@pytest.mark.parametrize(("values", "message"), [
    ({"rasa_port": 1}, "unknown scaled settings: rasa_port"),
    ({"rasa_ports": []}, "scaled.rasa_ports needs at least one port"),
    ({"api_ports": [8088]}, "scaled ports must all differ"),
])
def test_bad_scaled_settings_are_refused(values, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ScaledConfig.from_mapping(values)


def test_rendered_config_has_every_server_and_the_busy_answer(tmp_path):
    text = nginx.render(tmp_path, **PORTS)
    assert "{{" not in text
    for port in [*PORTS["api_ports"], *PORTS["rasa_ports"], *PORTS["actions_ports"]]:
        assert f"server 127.0.0.1:{port} " in text
    assert text.count("server 127.0.0.1:21196 ") == 2  # a third Rasa server: both Rasa upstreams
    body = re.search(r"return 200 '(.*)';", text).group(1)
    assert json.loads(body) == [{"recipient_id": "", "text": BUSY}]


def test_nginx_accepts_the_rendered_config(tmp_path):
    binary = nginx.find_nginx()
    if binary is None:
        if in_ci():
            pytest.fail(f"nginx missing under CI: {nginx.INSTALL_HINT}", pytrace=False)
        pytest.skip(f"!!! nginx missing: {nginx.INSTALL_HINT}")
    conf = nginx.write_config(Path(tmp_path), **PORTS)
    result = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
