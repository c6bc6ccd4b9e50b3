"""The WeChat channel's own logic without a server: settings, numbered choices, long texts, retries."""

from __future__ import annotations

import asyncio

import pytest
from wechatpy import parse_message

from bot.channels.wechat import CUT_NOTE, WeChatInput, WeChatSettings
from bot.channels.wechat_client import MAX_TEXT_BYTES, split_text
from bot.channels.wechat_replies import CHOOSE_HINT
from tests.channels.wechat_server import text_xml

AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
LONG_ANSWER = "\n".join(f"{i}. 申请人有效身份证件原件及复印件" for i in range(1, 80))  # about 3.5 KB
BUTTONS = [{"title": "居住证申领", "payload": '/choose_service{"service_id": "gov-residence-permit"}'},
           {"title": "普通护照签发", "payload": '/choose_service{"service_id": "gov-passport"}'}]


def test_settings_come_from_credentials_and_environment_variables_override_them():
    settings = WeChatSettings.from_credentials(
        {"token": "from-yaml", "appid": "wx1", "encoding_aes_key": None, "reply_timeout": "3.5"},
        env={"LIFEBOT_WECHAT_TOKEN": "from-env", "LIFEBOT_WECHAT_ENCODING_AES_KEY": AES_KEY})
    assert (settings.token, settings.appid, settings.encoding_aes_key, settings.reply_timeout) == (
        "from-env", "wx1", AES_KEY, 3.5)
    assert settings.api_base == "https://api.weixin.qq.com"


def test_bad_settings_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="EncodingAESKey"):
        WeChatSettings.from_credentials({"token": "t", "encoding_aes_key": "short"}, env={})
    with pytest.raises(ValueError, match="tokn"):
        WeChatSettings.from_credentials({"tokn": "t"}, env={})


def test_long_answers_are_split_at_line_ends_within_the_byte_limit():
    lines = [f"第{i}行：" + "材料" * 40 for i in range(40)]
    pieces = split_text("\n".join(lines))
    assert len(pieces) > 1
    assert all(len(piece.encode()) <= MAX_TEXT_BYTES for piece in pieces)
    assert "\n".join(pieces) == "\n".join(lines)
    single = "长" * 2000  # one line longer than the limit is cut inside the line
    assert "".join(split_text(single)) == single and all(len(p.encode()) <= MAX_TEXT_BYTES for p in split_text(single))


class FakeBot:
    """Stands in for Rasa's message handler: offers two services, or echoes what it heard."""

    def __init__(self, delay: float = 0.0):
        self.heard: list[str] = []
        self.delay = delay

    async def __call__(self, message) -> None:
        self.heard.append(message.text)
        await asyncio.sleep(self.delay)
        if message.text == "我想办个证":
            await message.output_channel.send_text_with_buttons(message.sender_id, "您是想办理以下哪一项？", BUTTONS)
        elif message.text == "要带哪些材料":
            await message.output_channel.send_text_message(message.sender_id, LONG_ANSWER)
        else:
            await message.output_channel.send_text_message(message.sender_id, f"收到：{message.text}")


def channel(**overrides) -> WeChatInput:
    return WeChatInput(WeChatSettings(token="t", **overrides))


async def test_buttons_become_a_numbered_list_and_a_number_answers_with_its_payload():
    wechat, bot = channel(), FakeBot()
    offer = await wechat._answer(parse_message(text_xml("o-1", "我想办个证", 1)), bot)
    assert offer == f"您是想办理以下哪一项？\n{CHOOSE_HINT}\n1. 居住证申领\n2. 普通护照签发"
    await wechat._answer(parse_message(text_xml("o-1", "2", 2)), bot)
    # Another resident's "1" is just text; the offer is used once.
    await wechat._answer(parse_message(text_xml("o-2", "1", 3)), bot)
    await wechat._answer(parse_message(text_xml("o-1", "1", 4)), bot)
    assert bot.heard == ["我想办个证", BUTTONS[1]["payload"], "1", "1"]


async def test_concurrent_retries_of_one_msgid_run_the_bot_once_and_get_the_same_reply():
    wechat, bot = channel(), FakeBot(delay=0.3)
    message = text_xml("o-3", "居住证怎么办", 7)
    replies = await asyncio.gather(*(wechat._answer(parse_message(message), bot) for _ in range(3)))
    assert replies == ["收到：居住证怎么办"] * 3
    assert bot.heard == ["居住证怎么办"]


async def test_a_slow_answer_without_customer_service_settings_is_acknowledged_not_invented(caplog):
    wechat, bot = channel(reply_timeout=0.05), FakeBot(delay=0.3)
    assert await wechat._answer(parse_message(text_xml("o-4", "居住证怎么办", 8)), bot) == ""
    await asyncio.sleep(0.5)
    assert "set appid and appsecret" in caplog.text and bot.heard == ["居住证怎么办"]


class FakeCustomerService:
    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    async def send_text(self, openid: str, text: str) -> bool:
        self.sent.append((openid, text))
        return True


async def test_an_answer_too_long_for_a_passive_reply_goes_out_whole_through_the_customer_service_api():
    wechat, bot = channel(), FakeBot()
    wechat.service = FakeCustomerService()
    assert len(LONG_ANSWER.encode()) > MAX_TEXT_BYTES
    assert await wechat._answer(parse_message(text_xml("o-5", "要带哪些材料", 9)), bot) == ""
    await asyncio.sleep(0.05)
    assert wechat.service.sent == [("o-5", LONG_ANSWER)]
    # a short answer is still a passive reply
    assert await wechat._answer(parse_message(text_xml("o-5", "居住证", 10)), bot) == "收到：居住证"
    assert len(wechat.service.sent) == 1


async def test_without_customer_service_settings_a_long_answer_is_cut_at_a_line_end_with_a_note(caplog):
    wechat, bot = channel(), FakeBot()
    reply = await wechat._answer(parse_message(text_xml("o-6", "要带哪些材料", 11)), bot)
    assert len(reply.encode()) <= MAX_TEXT_BYTES and reply.endswith("\n" + CUT_NOTE)
    shown = reply[:-len("\n" + CUT_NOTE)]
    assert LONG_ANSWER.startswith(shown + "\n") and shown.endswith("申请人有效身份证件原件及复印件")
    assert "long answer to o-6 cut" in caplog.text
