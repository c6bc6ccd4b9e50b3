"""nginx in front of the scaled layout: its config is rendered from nginx.conf.template in this folder."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

from lifebot.messages import BUSY, TOO_FAST

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
INSTALL_HINT = "apt-get install nginx (Debian), or put nginx on PATH"


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


def rest_body(text: str) -> str:
    """An answer nginx gives on /webhooks/rest/webhook itself, in Rasa's REST format."""
    return json.dumps([{"recipient_id": "", "text": text}], ensure_ascii=False)


def _quoted(text: str) -> str:
    """``text`` inside nginx's single quotes: backslashes and quotes escaped."""
    return text.replace("\\", "\\\\").replace("'", "\\'")


def _chat_limit(per_minute: int, burst: int) -> dict[str, str]:
    """The limit_req lines for the chat locations, or comments saying the limit is off."""
    if per_minute <= 0:
        off = "# no chat limit per address (scaled.chat_per_minute: 0)"
        return {"chat_zone": f"    {off}", "chat_limit": f"            {off}", "chat_retry_after": "1"}
    return {"chat_zone": f"    limit_req_zone $chat_client zone=chat:10m rate={per_minute}r/m;",
            "chat_limit": f"            limit_req zone=chat burst={burst} nodelay;",
            "chat_retry_after": str(max(1, math.ceil(60 / per_minute)))}


def _servers(ports: list[int], backup: bool = False) -> str:
    # max_fails/fail_timeout: a stopped server is skipped for a few seconds instead of tried each time;
    # a backup server is used only while the others are down.
    flags = " max_fails=1 fail_timeout=5s" + (" backup" if backup else "")
    return "\n".join(f"        server 127.0.0.1:{port}{flags};" for port in ports)


def render(prefix: Path, public_port: int, actions_port: int, api_ports: list[int], rasa_ports: list[int],
           actions_ports: list[int], read_timeout: int, chat_per_minute: int, chat_burst: int) -> str:
    values = {
        "prefix": str(prefix), "public_port": str(public_port), "actions_port": str(actions_port),
        "api_servers": _servers(api_ports), "rasa_servers": _servers(rasa_ports),
        "rasa_wechat_servers": "\n".join(filter(None, [_servers(rasa_ports[:1]),
                                                         _servers(rasa_ports[1:], backup=True)])),
        "actions_servers": _servers(actions_ports), "read_timeout": str(read_timeout),
        "busy_body": _quoted(rest_body(BUSY)), "too_fast_body": _quoted(rest_body(TOO_FAST)),
        **_chat_limit(chat_per_minute, chat_burst),
    }

    def fill(match: re.Match) -> str:
        return values[match.group(1)]  # KeyError: a placeholder the template has and we do not fill

    return re.sub(r"\{\{(\w+)\}\}", fill, TEMPLATE.read_text(encoding="utf-8"))


def write_config(prefix: Path, **ports) -> Path:
    """Render into ``prefix``/nginx.conf (with the temp folders nginx needs); returns its path."""
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / name).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(render(prefix, **ports), encoding="utf-8")
    return conf
