"""A resident talks to the real, running assistant: Rasa -> action server -> API -> catalog search."""

from __future__ import annotations

import json
import urllib.request

import pytest

from lifebot.rasa_auth import rasa_token, with_token

pytestmark = pytest.mark.e2e


def post_json(url: str, body: dict, timeout: float = 60) -> object:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def get_json(url: str, timeout: float = 30) -> object:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def rasa_api(stack, path: str) -> str:
    """The URL of ``path`` on Rasa's HTTP API, with its token (lifebot/rasa_auth.py)."""
    return with_token(f"{stack.settings.rasa_base_url}{path}", rasa_token(stack.settings))


def say(stack, sender: str, text: str) -> list[dict]:
    url = f"{stack.settings.rasa_base_url}/webhooks/rest/webhook"
    return post_json(url, {"sender": sender, "message": text})


# A question and words one of which the answered service's name must contain.
QUESTIONS = [("居住证怎么办", ("居住证",)), ("孩子上户口去哪里", ("户口", "落户"))]
TRADITIONAL = ("戶口遷進來怎麼辦", ("迁入",))  # typed in Traditional characters: read as Simplified


@pytest.mark.parametrize(("question", "expected"), [*QUESTIONS, TRADITIONAL])
def test_resident_gets_the_matching_service(stack, question, expected):
    replies = say(stack, f"e2e-{question}", question)
    text = "\n".join(r.get("text", "") for r in replies)
    assert replies, "the bot did not answer"
    first_line = text.splitlines()[0]
    assert first_line.startswith("【") and any(word in first_line for word in expected), text
    assert "办理地点" in text or "网上可办" in text, text


def test_answer_is_the_top_search_hit(stack):
    found = get_json(f"{stack.settings.api_base_url}/api/search?q=%E5%B1%85%E4%BD%8F%E8%AF%81%E6%80%8E%E4%B9%88%E5%8A%9E&top=5")
    replies = say(stack, "e2e-top-hit", "居住证怎么办")
    assert found["confident"] is True
    assert replies[0]["text"].startswith(f"【{found['results'][0]['name']}】")


def test_out_of_scope_is_answered_honestly(stack):
    replies = say(stack, "e2e-oos", "今天天气怎么样")
    text = "\n".join(r.get("text", "") for r in replies)
    assert "12345" in text and "【" not in text, text


def _offered(replies: list[dict]) -> list[str]:
    """The services a reply answers (its first line's 【name】) or offers as buttons."""
    names = [b["title"] for r in replies for b in r.get("buttons") or []]
    first = replies[0].get("text", "") if replies else ""
    return ([first[1:first.index("】")]] if first.startswith("【") else []) + names


def test_a_few_words_after_an_answer_narrow_it_down(stack):
    """The housing fund can be taken out in six situations; the resident names theirs in a word."""
    answered = _offered(say(stack, "e2e-narrow", "公积金怎么取出来"))
    assert answered and answered[0].startswith("住房公积金提取"), answered
    offered = _offered(say(stack, "e2e-narrow", "是租房的"))
    assert "住房公积金提取（租赁住房）" in offered, offered


def test_a_question_after_thanks_is_answered_not_thanked_for(stack):
    """"谢谢，那……怎么办" got "不客气" and "好的 那我再问一下……" got "祝您生活愉快": the question was lost."""
    assert _offered(say(stack, "e2e-thanks-then", "居住证怎么办"))[0].startswith("居住证")
    answered = _offered(say(stack, "e2e-thanks-then", "谢谢，那公积金怎么提取"))
    assert answered and answered[0].startswith("住房公积金提取"), answered
    answered = _offered(say(stack, "e2e-thanks-then", "好的 那我再问一下 医保怎么报销"))
    assert answered and "医" in answered[0], answered


def test_a_topic_many_services_share_is_asked_about_not_answered(stack):
    """"社保" is an alias of 43 entries: "社保怎么弄" got one of them (恢复养老保险待遇申请) as if
    it were the answer. Now the resident chooses, or says more."""
    replies = say(stack, "e2e-topic", "社保怎么弄")
    offered = [b["title"] for b in replies[0].get("buttons") or []]
    assert replies[0]["text"] == "您是想办理以下哪一项？" and "【" not in replies[0]["text"], replies
    assert len(offered) == 3 and all("保险" in o or "社会保障" in o for o in offered), offered
    answered = _offered(say(stack, "e2e-topic", "社保卡丢了怎么补办"))
    assert answered and answered[0].startswith("社会保障卡") and len(answered) == 1, answered


def test_the_citizen_centre_s_saturday_hours_are_the_hall_s(stack):
    """It answered from the hall look-up's own place: “线上查询 … 周六可以办：0:00-23:59 … 24 小时开放”."""
    text = "\n".join(r.get("text", "") for r in say(stack, "e2e-hall-hours", "市民中心周六上班吗"))
    assert "江阴市民中心（江阴市澄江中路159号）" in text and "周六可以办：9:00-12:00" in text, text
    assert "0:00-23:59" not in text and "24 小时开放" not in text, text


def test_turning_an_answer_down_offers_the_question_s_other_candidates(stack):
    answered = _offered(say(stack, "e2e-turn-down", "公积金怎么取出来"))[0]
    replies = say(stack, "e2e-turn-down", "不是这个")
    others = [b["title"] for b in replies[0].get("buttons") or []]
    assert replies[0]["text"].startswith("那您是想办理以下哪一项"), replies
    assert len(others) == 3 and answered not in others and all(o.startswith("住房公积金") for o in others), others


def test_conversation_is_kept_in_the_tracker_store(stack):
    say(stack, "e2e-tracker", "你好")
    tracker = get_json(rasa_api(stack, "/conversations/e2e-tracker/tracker"))
    texts = [e.get("text") for e in tracker["events"] if e.get("event") == "user"]
    assert texts == ["你好"]
    assert stack.settings.tracker_db.exists()


def test_health_reports_catalog_and_index(stack):
    health = get_json(f"{stack.settings.api_base_url}/health")
    assert health["status"] == "ok"
    assert health["catalog_version"] >= 1
    assert health["index_size"] > 100


def test_chat_page_and_socketio_client_are_served(stack):
    with urllib.request.urlopen(f"{stack.settings.api_base_url}/chat") as response:
        page = response.read().decode()
    assert "江阴 24 小时便民服务" in page
    with urllib.request.urlopen(f"{stack.settings.api_base_url}/chat/vendor/socket.io.min.js") as response:
        assert response.status == 200 and b"io" in response.read(200)


async def test_socketio_channel_answers_like_the_web_chat(stack):
    from tests.socketio_chat import chat

    async with chat(stack.settings.rasa_base_url, "e2e-socketio") as conversation:
        await conversation.say("居住证怎么办")
        reply = await conversation.next_reply(60)
    assert reply["text"].startswith("【") and "居住证" in reply["text"]
