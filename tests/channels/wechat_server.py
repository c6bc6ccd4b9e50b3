"""The tests' side of the WeChat protocol: what WeChat's servers send to an official account's URL."""

from __future__ import annotations

import hashlib
import time
import urllib.error
import urllib.parse
import urllib.request

import xmltodict
from wechatpy.crypto import WeChatCrypto

ACCOUNT = "gh_lifebot_test"


def signature(token: str, *parts: str) -> str:
    return hashlib.sha1("".join(sorted([token, *parts])).encode()).hexdigest()


def text_xml(openid: str, content: str, msg_id: int) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def voice_xml(openid: str, recognition: str, msg_id: int) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[voice]]></MsgType>"
            f"<MediaId><![CDATA[media-{msg_id}]]></MediaId><Format><![CDATA[amr]]></Format>"
            f"<Recognition><![CDATA[{recognition}]]></Recognition><MsgId>{msg_id}</MsgId></xml>")


def image_xml(openid: str, msg_id: int) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[image]]></MsgType>"
            f"<PicUrl><![CDATA[http://127.0.0.1/x.jpg]]></PicUrl><MediaId><![CDATA[m]]></MediaId>"
            f"<MsgId>{msg_id}</MsgId></xml>")


def event_xml(openid: str, event: str, create_time: int | None = None) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event></xml>")


class WeChatServer:
    """Signs (and in safe mode encrypts) requests as WeChat does; returns (status, body, seconds)."""

    def __init__(self, webhook: str, token: str, appid: str = "", aes_key: str = ""):
        self.webhook, self.token = webhook, token
        self.crypto = WeChatCrypto(token, aes_key, appid) if aes_key else None

    def query(self, timestamp: int | None = None, nonce: str = "n0nce", forged: bool = False, **extra) -> dict:
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        sign = signature(self.token, timestamp, nonce)
        return {"signature": "0" * 40 if forged else sign, "timestamp": timestamp, "nonce": nonce, **extra}

    def request(self, method: str, query: dict, body: str | None = None) -> tuple[int, str, float]:
        url = f"{self.webhook}?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(url, data=body.encode() if body is not None else None, method=method,
                                         headers={"Content-Type": "text/xml"})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, answer.read().decode(), time.monotonic() - started
        except urllib.error.HTTPError as refused:
            with refused:
                return refused.code, refused.read().decode(), time.monotonic() - started

    def post(self, xml: str, safe: bool = False, forged_msg_signature: bool = False, **query_options) -> tuple[int, str, float]:
        query = self.query(**query_options)
        if not safe:
            return self.request("POST", query, xml)
        envelope = xmltodict.parse(self.crypto.encrypt_message(xml, query["nonce"], query["timestamp"]))["xml"]
        query.update(encrypt_type="aes", openid="o",
                     msg_signature="0" * 40 if forged_msg_signature else envelope["MsgSignature"])
        body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
        return self.request("POST", query, body)

    def decrypt(self, reply: str, nonce: str = "n0nce") -> str:
        envelope = xmltodict.parse(reply)["xml"]
        return self.crypto.decrypt_message(reply, envelope["MsgSignature"], envelope["TimeStamp"], nonce)


def reply_content(xml: str) -> dict:
    return xmltodict.parse(xml)["xml"]
