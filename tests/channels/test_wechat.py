"""The WeChat official-account channel against a real Rasa server, action server and API.

The tests play WeChat's servers (signed, optionally AES-encrypted XML posts) and run a local fake of
the official API; the channel is served by a second Rasa with test credentials (conftest.py).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from bot.channels.wechat import NOT_UNDERSTOOD_VOICE, UNSUPPORTED
from tests.channels.conftest import AES_KEY, APPID, TOKEN
from tests.channels.wechat_server import (
    ACCOUNT,
    WeChatServer,
    event_xml,
    image_xml,
    reply_content,
    text_xml,
    voice_xml,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def wechat(wechat_rasa) -> WeChatServer:
    wechat_rasa.actions.delay = 0.0
    return WeChatServer(wechat_rasa.webhook, TOKEN, APPID, AES_KEY)


def user_texts(wechat_rasa, openid: str) -> list[str]:
    with urllib.request.urlopen(f"{wechat_rasa.url}/conversations/{openid}/tracker", timeout=30) as answer:
        tracker = json.loads(answer.read())
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


def test_url_verification_echoes_echostr_only_for_a_valid_fresh_signature(wechat):
    assert wechat.request("GET", wechat.query(echostr="8362541"))[:2] == (200, "8362541")
    assert wechat.request("GET", wechat.query(echostr="8362541", forged=True))[0] == 403
    stale = wechat.query(echostr="8362541", timestamp=int(time.time()) - 3600)
    assert wechat.request("GET", stale)[0] == 403


def test_text_message_gets_a_passive_reply_within_five_seconds(wechat):
    status, body, seconds = wechat.post(text_xml("o-text", "居住证怎么办", 1001))
    reply = reply_content(body)
    assert status == 200 and seconds < 5, (status, seconds)
    assert (reply["ToUserName"], reply["FromUserName"], reply["MsgType"]) == ("o-text", ACCOUNT, "text")
    assert reply["Content"].startswith("【") and "居住证" in reply["Content"].splitlines()[0]
    assert "service_card" not in reply["Content"]  # the card payload is skipped: the text says it all


def test_forged_or_stale_posts_get_403_and_never_reach_the_bot(wechat, wechat_rasa):
    assert wechat.post(text_xml("o-forged", "居住证怎么办", 1101), forged=True)[0] == 403
    assert wechat.post(text_xml("o-forged", "居住证怎么办", 1102), timestamp=int(time.time()) - 3600)[0] == 403
    assert wechat.post(text_xml("o-forged", "居住证怎么办", 1103), safe=True, forged_msg_signature=True)[0] == 403
    assert user_texts(wechat_rasa, "o-forged") == []


def test_safe_mode_decrypts_the_message_and_encrypts_the_reply(wechat):
    status, body, _ = wechat.post(text_xml("o-safe", "孩子上户口去哪里", 1201), safe=True)
    assert status == 200 and "<Encrypt>" in body and "【" not in body
    reply = reply_content(wechat.decrypt(body))
    assert reply["ToUserName"] == "o-safe"
    first_line = reply["Content"].splitlines()[0]
    assert "户口" in first_line or "落户" in first_line, first_line


def test_voice_uses_the_recognition_text_or_asks_again(wechat, wechat_rasa):
    reply = reply_content(wechat.post(voice_xml("o-voice", "居住证怎么办", 1301))[1])
    assert reply["Content"].startswith("【") and "居住证" in reply["Content"].splitlines()[0]
    unheard = reply_content(wechat.post(voice_xml("o-voice", "", 1302))[1])
    assert unheard["Content"] == NOT_UNDERSTOOD_VOICE
    assert user_texts(wechat_rasa, "o-voice") == ["居住证怎么办"]


def test_other_message_types_get_a_plain_hint(wechat):
    assert reply_content(wechat.post(image_xml("o-image", 1401))[1])["Content"] == UNSUPPORTED


def test_subscribe_is_greeted_by_the_bot_and_unsubscribe_is_acknowledged(wechat, wechat_rasa):
    greeting = reply_content(wechat.post(event_xml("o-follow", "subscribe"))[1])["Content"]
    assert greeting.startswith("您好！我是江阴 24 小时便民服务助手")
    assert user_texts(wechat_rasa, "o-follow") == ["/greet"]
    assert wechat.post(event_xml("o-follow", "unsubscribe"))[:2] == (200, "success")
    assert user_texts(wechat_rasa, "o-follow") == ["/greet"]


def test_a_retried_msgid_is_answered_once(wechat, wechat_rasa):
    first = wechat.post(text_xml("o-retry", "居住证怎么办", 1501))
    again = wechat.post(text_xml("o-retry", "居住证怎么办", 1501), nonce="another")
    assert first[0] == again[0] == 200
    assert reply_content(first[1])["Content"] == reply_content(again[1])["Content"]
    assert user_texts(wechat_rasa, "o-retry") == ["居住证怎么办"]


def test_a_slow_answer_goes_out_once_through_the_customer_service_api(wechat, wechat_rasa):
    official = wechat_rasa.official
    sent_before = len(official.sent)
    official.expire_next_send = True  # the cached access token is refused once: fetch a new one, retry
    tokens_before = official.tokens_issued
    wechat_rasa.actions.delay = 6.0
    status, body, seconds = wechat.post(text_xml("o-slow", "居住证怎么办", 1601))
    assert (status, body) == (200, "success") and seconds < 5, (status, body, seconds)
    # WeChat retries the message it had no passive answer for: acknowledged, not processed again.
    assert wechat.post(text_xml("o-slow", "居住证怎么办", 1601), nonce="retry1")[:2] == (200, "success")
    sent = official.wait_for_sent(sent_before + 1, timeout=60)[sent_before:]
    time.sleep(2)
    assert len(official.sent) == sent_before + 1
    assert sent[0]["touser"] == "o-slow" and sent[0]["msgtype"] == "text"
    assert sent[0]["text"]["content"].startswith("【") and "居住证" in sent[0]["text"]["content"]
    # A first token (unless one was cached), then a fresh one after the refusal.
    assert official.tokens_issued == tokens_before + (2 if tokens_before == 0 else 1)
    assert user_texts(wechat_rasa, "o-slow") == ["居住证怎么办"]


def test_an_unconfigured_channel_answers_503_on_the_default_stack(stack):
    url = f"{stack.settings.rasa_base_url}/webhooks/wechat/webhook?signature=x&timestamp=1&nonce=n&echostr=e"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=30)
    with refused.value:
        assert refused.value.code == 503


def test_a_message_pushed_through_rasas_api_goes_out_by_the_customer_service_api(wechat, wechat_rasa):
    from tests.e2e.test_conversation import post_json

    official = wechat_rasa.official
    wechat.post(text_xml("o-push", "你好", 1701))
    before = len(official.sent)
    post_json(f"{wechat_rasa.url}/conversations/o-push/execute?output_channel=latest", {"name": "utter_goodbye"})
    sent = official.wait_for_sent(before + 1, timeout=30)[before:]
    assert [(m["touser"], m["text"]["content"]) for m in sent] == [("o-push", "好的，有需要随时找我，祝您生活愉快！")]
