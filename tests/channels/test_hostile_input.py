"""Hostile input on every bot channel (REST, socketio, WeChat) against the real Rasa + action server.

Named hostile cases and hypothesis-generated text: no 5xx, a clear Chinese answer to empty or
over-long messages, and each channel still answers a normal question afterwards. WeChat also gets
forged signatures, stale timestamps and replayed MsgIds.
"""

from __future__ import annotations

import asyncio
import http.client
import itertools
import time
import urllib.parse
from xml.sax.saxutils import escape

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.conftest import AES_KEY, APPID, TOKEN
from tests.channels.hostile import CASES, EXPECTED, NORMAL, messages, xml_safe
from tests.channels.wechat_server import ACCOUNT, WeChatServer, reply_content

pytestmark = pytest.mark.e2e
FUZZ = settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
IDS = itertools.count(int(time.time()) * 1000)


def rest(stack, sender: str, text) -> requests.Response:
    return requests.post(f"{stack.settings.rasa_base_url}/webhooks/rest/webhook",
                         json={"sender": sender, "message": text}, timeout=120)


def answers_normally(replies: list[dict]) -> bool:
    return any(r.get("text", "").startswith("【") and "居住证" in r["text"] for r in replies)


@pytest.mark.parametrize("case", sorted(CASES))
def test_rest_hostile_cases(stack, case):
    answer = rest(stack, f"hostile-rest-{case}", CASES[case])
    assert answer.status_code == 200, answer.text[:300]
    if case in EXPECTED:
        assert [r.get("text") for r in answer.json()] == [EXPECTED[case]]


@FUZZ
@given(text=messages())
def test_rest_fuzz(stack, text):
    assert rest(stack, "hostile-rest-fuzz", text).status_code == 200


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b'{"message": 5, "sender": "x"}', b'{"sender": {"a": 1}}'])
def test_rest_malformed_requests_are_refused_without_a_server_error(stack, body):
    answer = requests.post(f"{stack.settings.rasa_base_url}/webhooks/rest/webhook", data=body,
                           headers={"Content-Type": "application/json"}, timeout=60)
    assert answer.status_code < 500, answer.text[:300]


def test_a_huge_body_is_refused_with_413_before_it_is_read(stack):
    """Sanic's default limit is 100 MB; the Rasa server's is 1 MB (bot/rasa_server.py)."""
    url = urllib.parse.urlsplit(stack.settings.rasa_base_url)
    size = 8 * 1024 * 1024
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        conn.putrequest("POST", "/webhooks/rest/webhook")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        try:
            conn.send(b'{"sender": "hostile-huge", "message": "' + b"a" * (size - 50))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the body was sent
        assert conn.getresponse().status == 413
    finally:
        conn.close()


def test_rest_still_answers_after_the_fuzzing(stack):
    assert answers_normally(rest(stack, "hostile-rest-after", NORMAL).json())


async def socketio_exchange(url: str, session_id: str, events: list) -> list[dict]:
    """Sends each event (a user_uttered payload, or any value) on one socket, then asks a normal
    question in a fresh session on the same socket (the hostile one may rightly have been handed
    over to an operator); collects every answer until that question is answered, and a moment more."""
    import socketio

    client, answered, confirmed = socketio.AsyncClient(), asyncio.Queue(), asyncio.Queue()
    client.on("bot_uttered", answered.put_nowait)
    client.on("session_confirm", confirmed.put_nowait)
    await client.connect(url, transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.get(), 20)
        for event in events:
            await client.emit("user_uttered", event)
        fresh = f"{session_id}-after-{next(IDS)}"
        await client.emit("session_request", {"session_id": fresh})
        await asyncio.wait_for(confirmed.get(), 20)
        await client.emit("user_uttered", {"message": NORMAL, "session_id": fresh})
        replies: list[dict] = []
        while not answers_normally(replies):
            replies.append(await asyncio.wait_for(answered.get(), 120))
        await asyncio.sleep(3)
        while not answered.empty():
            replies.append(answered.get_nowait())
        return replies
    finally:
        await client.disconnect()


async def test_socketio_hostile_cases_then_a_normal_question(stack):
    sid = f"hostile-socketio-{next(IDS)}"
    events = [{"message": text, "session_id": sid} for text in CASES.values()]
    events += ["just a string", None, {"session_id": sid, "message": {"nested": 1}},
               {"session_id": sid, "message": "你好", "customData": "{not json"}]
    replies = await socketio_exchange(stack.settings.rasa_base_url, sid, events)
    texts = [r.get("text") for r in replies]
    assert texts.count(EXPECTED["empty"]) == 3 and texts.count(EXPECTED["100KB"]) == 2, texts


@settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(texts=st.lists(messages(), min_size=1, max_size=3))
def test_socketio_fuzz(stack, texts):
    sid = f"hostile-socketio-fuzz-{next(IDS)}"
    events = [{"message": text, "session_id": sid} for text in texts]
    assert answers_normally(asyncio.run(socketio_exchange(stack.settings.rasa_base_url, sid, events)))


@pytest.fixture
def wechat(wechat_rasa) -> WeChatServer:
    wechat_rasa.actions.delay = 0.0
    return WeChatServer(wechat_rasa.webhook, TOKEN, APPID, AES_KEY)


def text_message(openid: str, content: str, msg_id: int) -> str:
    return (f"<xml><ToUserName>{ACCOUNT}</ToUserName><FromUserName>{openid}</FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType>text</MsgType>"
            f"<Content>{escape(content)}</Content><MsgId>{msg_id}</MsgId></xml>")


def user_texts(wechat_rasa, openid: str) -> list[str]:
    tracker = requests.get(f"{wechat_rasa.url}/conversations/{openid}/tracker", timeout=30).json()
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_wechat_hostile_cases(wechat, case):
    status, body, _ = wechat.post(text_message(f"o-hostile-{len(case)}", xml_safe(CASES[case]), next(IDS)))
    assert status == 200, body[:300]
    if case in EXPECTED:
        assert reply_content(body)["Content"] == EXPECTED[case]


@FUZZ
@given(text=messages(), safe=st.booleans())
def test_wechat_fuzz(wechat, text, safe):
    status, body, _ = wechat.post(text_message("o-hostile-fuzz", xml_safe(text), next(IDS)), safe=safe)
    assert status == 200, body[:300]


@FUZZ
@given(signature=st.text("0123456789abcdef", min_size=0, max_size=40), nonce=st.text(max_size=12),
       skew=st.integers(-10**6, 10**6))
def test_wechat_forged_or_stale_requests_never_reach_the_bot(wechat, wechat_rasa, signature, nonce, skew):
    query = {"signature": signature, "timestamp": str(int(time.time()) + skew), "nonce": nonce}
    status, _, _ = wechat.request("POST", query, text_message("o-forger", "居住证怎么办", next(IDS)))
    assert status == 403
    assert user_texts(wechat_rasa, "o-forger") == []


def test_wechat_replayed_message_is_answered_once_and_old_ones_are_refused(wechat, wechat_rasa):
    xml = text_message("o-replay", NORMAL, next(IDS))
    first, again = wechat.post(xml), wechat.post(xml)
    assert first[0] == again[0] == 200 and reply_content(first[1]) == reply_content(again[1])
    assert wechat.post(xml, timestamp=int(time.time()) - 3600)[0] == 403
    assert user_texts(wechat_rasa, "o-replay") == [NORMAL]


def test_wechat_malformed_xml_is_refused_and_the_channel_still_answers(wechat):
    bomb = ('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><MsgType>text</MsgType><Content>&c;</Content></xml>')
    for body in ("", "<xml>", "<xml><MsgType>text</MsgType>\x00</xml>", "<xml><MsgType>text</MsgType></xml>",
                 bomb):
        assert wechat.post(body)[0] in (200, 400)
    status, body, _ = wechat.post(text_message("o-after", NORMAL, next(IDS)))
    assert status == 200 and reply_content(body)["Content"].startswith("【")
