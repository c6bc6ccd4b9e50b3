"""The scaled layout really started: nginx -> 2 API workers, 2 Rasa servers, 2 action servers,
PostgreSQL (catalog, tracker store) and Redis (lock store). The tests run in file order and the last
two stop the Rasa servers."""

from __future__ import annotations

import dataclasses
import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from lifebot.messages import BUSY, TOO_FAST
from lifebot.rasa_auth import rasa_token, with_token
from tests.e2e.test_booking_conversation import buttons, later_days, text_of
from tests.socketio_chat import chat

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def post(url: str, body: dict, timeout: float = 120) -> tuple[int, dict, object]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), json.loads(response.read())


def get_json(url: str, timeout: float = 30) -> object:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def say_via_nginx(layout, sender: str, text: str) -> tuple[str, list[dict]]:
    """(the Rasa server nginx chose, the replies)."""
    status, headers, replies = post(f"{layout.public_url}/webhooks/rest/webhook", {"sender": sender, "message": text})
    assert status == 200
    return headers["X-Lifebot-Upstream"], replies


def test_turns_on_different_rasa_servers_keep_one_conversation(layout):
    """A booking form's state lives in the PostgreSQL tracker store, not in one Rasa server."""
    who = "scaled-booking"
    rasa = {f"127.0.0.1:{port}" for port in layout.config.rasa_ports}
    answered = []
    server, replies = say_via_nginx(layout, who, "我要预约")
    answered.append(server)
    assert "您想预约办什么事" in text_of(replies), replies
    server, replies = say_via_nginx(layout, who, "办护照")
    answered.append(server)
    assert "想约哪一天去江阴市民中心" in text_of(replies), replies
    server, replies = say_via_nginx(layout, who, later_days(buttons(replies))[0]["payload"])
    answered.append(server)
    assert "还有这些时段可以约" in text_of(replies), replies
    server, replies = say_via_nginx(layout, who, buttons(replies)[0]["payload"])
    answered.append(server)
    assert "姓名" in text_of(replies), replies
    assert set(answered) <= rasa, answered
    # round robin: consecutive turns, each needing the one before, were answered by both servers
    assert any(a != b for a, b in zip(answered, answered[1:], strict=False)), answered


def redis_calls(port: int, command: str) -> int:
    """How many times Redis ran ``command`` (INFO commandstats; RESP bulk string read whole)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(b"INFO commandstats\r\n")
        data = b""
        while b"\r\n" not in data or len(data) < int(data[1:data.index(b"\r\n")]) + data.index(b"\r\n") + 4:
            chunk = conn.recv(65536)
            assert chunk, data
            data += chunk
    for line in data.decode().splitlines():
        if line.startswith(f"cmdstat_{command}:"):
            return int(line.split("calls=")[1].split(",")[0])
    return 0


def test_concurrent_messages_of_one_sender_are_processed_in_order(layout):
    """Six messages of one sender at once, alternately straight to each Rasa server: the Redis lock
    store queues them, so every turn is whole (user -> bot replies -> action_listen) and none is lost."""
    who = "scaled-concurrent"
    messages = ["你好", "谢谢", "居住证怎么办", "你好呀", "谢谢你", "孩子上户口去哪里"]
    ports = layout.config.rasa_ports
    locks_before = redis_calls(layout.config.redis_port, "set")

    def send(i_text):
        i, text = i_text
        url = f"http://127.0.0.1:{ports[i % len(ports)]}/webhooks/rest/webhook"
        return post(url, {"sender": who, "message": text})

    with ThreadPoolExecutor(len(messages)) as pool:
        results = list(pool.map(send, enumerate(messages)))
    assert all(status == 200 and replies for status, _, replies in results), results
    assert redis_calls(layout.config.redis_port, "set") >= locks_before + len(messages)

    token = rasa_token(layout.stack.settings)
    tracker = get_json(with_token(f"http://127.0.0.1:{ports[0]}/conversations/{who}/tracker", token))
    events = [e for e in tracker["events"] if e["event"] in ("user", "bot", "action")]
    users = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(users) == sorted(messages), users
    turns, current = [], None
    for event in events:
        if event["event"] == "user":
            assert current is None or current[-1] == ("action", "action_listen"), current
            current = [("user", event["text"])]
            turns.append(current)
        elif current is not None:
            current.append((event["event"], event.get("name") or event.get("text")))
    for turn in turns:
        assert any(kind == "bot" for kind, _ in turn), turn
        assert turn[-1] == ("action", "action_listen"), turn
    # the other server reads the same conversation
    other = get_json(with_token(f"http://127.0.0.1:{ports[1]}/conversations/{who}/tracker", token))
    assert [e["text"] for e in other["events"] if e["event"] == "user"] == users


def test_both_api_workers_follow_a_catalog_edit(layout):
    """A maintainer's edit in the shared PostgreSQL catalog reaches every worker's own index."""
    from catalog.store import CatalogStore

    word = "扩容测试专用词"
    query = urllib.parse.quote(word)
    workers = [f"http://127.0.0.1:{port}" for port in layout.config.api_ports]
    store = CatalogStore(layout.stack.settings.db_url)
    try:
        entry_id = "gov-residence-permit"
        with store.write("scale-test", "scaled layout: both workers follow the catalog") as writer:
            entry = writer.require(entry_id)
            writer.put(dataclasses.replace(entry, aliases=[*entry.aliases, word]))
    finally:
        store.close()
    deadline = time.monotonic() + 60
    pending = set(workers)
    while pending and time.monotonic() < deadline:
        for base in sorted(pending):
            hits = get_json(f"{base}/api/search?q={query}&top=1")["results"]
            if hits and hits[0]["id"] == entry_id:
                pending.discard(base)
        time.sleep(0.5)
    assert not pending, f"these workers did not follow the edit: {pending}"


def test_the_rate_limit_counts_each_client_once_behind_nginx(layout):
    """Every connection to the API workers comes from nginx; the limit must still be per client, and
    one limit whichever worker nginx chooses (the workers share their buckets in Redis).
    The test's own X-Forwarded-For plays the hop a front proxy would add before nginx."""
    from tests.scale.conftest import LOOKUPS_PER_MINUTE

    def lookup(client: str) -> int:
        request = urllib.request.Request(f"{layout.public_url}/api/tickets/T00000000?phone=13912345678",
                                         headers={"X-Forwarded-For": client})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    workers = len(layout.config.api_ports)
    first = [lookup("203.0.113.7") for _ in range(LOOKUPS_PER_MINUTE * workers + 4)]
    assert 429 not in first[:LOOKUPS_PER_MINUTE], first  # whichever worker nginx chose
    # all the rest refused (at most one token comes back meanwhile); with a bucket per worker each would
    # have let LOOKUPS_PER_MINUTE through
    assert first.count(429) >= len(first) - LOOKUPS_PER_MINUTE - 1, first
    assert lookup("203.0.113.8") != 429


def test_nginx_limits_chat_per_client_address(layout):
    """A client that starts a new conversation for every message is stopped by its address at nginx,
    with the Chinese answer in the REST format; another address is still answered. 127.0.0.1 (the
    other tests, load benches) is not counted, so this test connects from 127.0.0.2 and 127.0.0.3."""
    from tests.scale.conftest import CHAT_BURST

    def say_from(address: str, sender: str) -> tuple[int, dict, object]:
        conn = http.client.HTTPConnection("127.0.0.1", layout.config.public_port, timeout=120,
                                          source_address=(address, 0))
        try:
            conn.request("POST", "/webhooks/rest/webhook", json.dumps({"sender": sender, "message": "你好"}),
                         {"Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), json.loads(response.read())
        finally:
            conn.close()

    # a limit of one a minute: the first message and the burst pass, at least two of the rest do not
    results = [say_from("127.0.0.2", f"scaled-flood-{i}") for i in range(CHAT_BURST + 4)]
    statuses = [status for status, _, _ in results]
    assert statuses[:CHAT_BURST + 1] == [200] * (CHAT_BURST + 1), statuses
    assert all(replies and replies[0]["text"] != TOO_FAST for _, _, replies in results[:CHAT_BURST + 1])
    refused = [(headers, replies) for status, headers, replies in results if status == 429]
    assert len(refused) >= 2, statuses
    for headers, replies in refused:
        assert replies == [{"recipient_id": "", "text": TOO_FAST}]
        assert headers["Retry-After"] == "60" and headers["Content-Type"].startswith("application/json")
    status, _, replies = say_from("127.0.0.3", "scaled-flood-other")
    assert status == 200 and replies and replies[0]["text"] != TOO_FAST, replies


@pytest.mark.parametrize("transport", ["websocket", "polling"])
async def test_socketio_through_nginx(layout, transport):
    session = f"scaled-socketio-{transport}"
    async with chat(layout.public_url, session, transport) as conversation:
        await conversation.say("居住证怎么办")
        reply = await conversation.next_reply(120)
        sid = conversation.client.eio.sid
    assert reply["text"].startswith("【") and "居住证" in reply["text"], reply
    if transport == "polling":  # several requests per session: all of them on one Rasa server
        log = (layout.root / "nginx" / "access.log").read_text(encoding="utf-8").splitlines()
        upstreams = {line.split("upstream=")[1].split()[0] for line in log if f"sid={sid}" in line}
        assert len(upstreams) == 1, upstreams


async def test_a_message_executed_on_another_rasa_server_reaches_the_resident(layout):
    """An operator's reply (the console's Rasa client) reaches a resident connected to another Rasa
    server: socket.io emits travel through Redis (bot/channels/socketio.py)."""
    import aiohttp

    from api.rasa_client import Rasa

    first, second = (f"http://127.0.0.1:{port}" for port in layout.config.rasa_ports[:2])
    session = "scaled-operator"
    replies = {second: "您好，我是坐席小王（另一台服务器）", layout.internal_url: "您好，我是坐席小王（经内部端口）"}
    seen: list[str] = []
    async with chat(first, session) as conversation, aiohttp.ClientSession() as http:
        await conversation.say("你好")
        await conversation.next_reply(120)
        for rasa_url, text in replies.items():
            await Rasa(http, rasa_url, rasa_token(layout.stack.settings)).say(session, text)
        while not set(replies.values()) <= set(seen):  # the greeting's own replies may come first
            seen.append((await conversation.next_reply(30))["text"])


def test_a_backup_of_the_scaled_layout_holds_its_postgresql_tracker_store(layout, tmp_path):
    from lifebot.backup import make_backup
    from tests.ops.data import backed_up_files

    say_via_nginx(layout, "scaled-backup", "你好")
    lines: list[str] = []
    folder = make_backup(layout.stack.settings, tmp_path, echo=lines.append)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == backed_up_files(layout.stack.settings, "catalog.pgdump", "tracker.pgdump"), lines
    assert manifest["tracker"]["tables"]["events"] > 0


def test_wechat_reaches_one_rasa_server_and_the_next_only_while_it_is_down(layout):
    """The WeChat channel keeps retried MsgIds and numbered choices in its process (docs/wechat.md)."""
    first, second = (f"127.0.0.1:{port}" for port in layout.config.rasa_ports[:2])

    def upstream() -> str:
        with urllib.request.urlopen(f"{layout.public_url}/webhooks/wechat/", timeout=30) as response:
            assert json.loads(response.read())["status"] == "ok"
            return response.headers["X-Lifebot-Upstream"]

    assert {upstream() for _ in range(4)} == {first}
    layout.stop_services("rasa-1")
    assert all(upstream().endswith(second) for _ in range(3))


def test_nginx_answers_busy_when_every_rasa_server_is_down(layout):
    layout.stop_services(*(f"rasa-{i}" for i in range(1, len(layout.config.rasa_ports) + 1)))
    status, headers, body = post(f"{layout.public_url}/webhooks/rest/webhook",
                                 {"sender": "scaled-busy", "message": "你好"})
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert body == [{"recipient_id": "", "text": BUSY}]
    assert get_json(f"{layout.public_url}/health")  # the API side still answers through nginx
