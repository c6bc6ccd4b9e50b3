"""A short follow-up right after an answer narrows it down; "不是这个" offers the question's other
candidates (actions/follow_up.py). The API is a fake that answers each query as the catalog does."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions import api_client
from actions.choices import WHICH_ONE
from actions.follow_up import OTHERS, ActionOtherServices, is_fragment, just_answered
from actions.search_service import ActionSearchService
from tests.bot.fakes import RESIDENCE_PERMIT, tracker


def _entry(id_: str, name: str) -> dict[str, Any]:
    return {**RESIDENCE_PERMIT, "id": id_, "name": name, "department": "无锡市住房公积金管理中心江阴分中心"}


LEAVING, RETIRED, RENT, BUY = (_entry("hpf-leaving", "住房公积金提取（与单位终止劳动关系）"),
                               _entry("hpf-retired", "住房公积金提取（离休、退休）"),
                               _entry("hpf-rent", "住房公积金提取（租赁住房）"),
                               _entry("hpf-buy", "住房公积金提取（购买自住住房）"))
LEASE = _entry("lease-filing", "房屋租赁登记备案")
PASSPORT = _entry("passport", "普通护照签发")
ENTRIES = {e["id"]: e for e in (LEAVING, RETIRED, RENT, BUY, LEASE, PASSPORT)}
QUESTION = "公积金怎么取出来"
# query -> (confident, ranked entries), as the real search answered on the seed catalog
ANSWERS = {
    QUESTION: (True, [LEAVING, RETIRED, RENT, BUY]),
    f"{QUESTION} 是租房的": (True, [RENT, LEAVING]), "是租房的": (True, [LEASE, RENT]),
    f"{QUESTION} 买房的那种": (True, [BUY, LEAVING]), "买房的那种": (True, [BUY]),
    f"{QUESTION} 护照": (True, [LEAVING]), "护照": (True, [PASSPORT]), "护照在哪办": (True, [PASSPORT]),
    f"{QUESTION} 好的": (True, [LEAVING, RENT]), "好的": (False, [LEASE]),
}


class CatalogFake:
    def __init__(self) -> None:
        self.queries: list[str] = []
        self.down = False

    async def search(self, query: str, top: int = 3) -> dict[str, Any]:
        self.queries.append(query)
        if self.down:
            raise api_client.ApiUnavailable("down")
        confident, ranked = ANSWERS.get(query, (False, []))
        keys = ("id", "name", "kind", "category", "department")
        return {"query": query, "confident": confident,
                "results": [{**{k: e[k] for k in keys}, "score": 0.8} for e in ranked[:top]]}

    async def service(self, entry_id: str) -> dict[str, Any] | None:
        if self.down:
            raise api_client.ApiUnavailable("down")
        return copy.deepcopy(ENTRIES.get(entry_id))


@pytest.fixture
def catalog(monkeypatch) -> CatalogFake:
    fake = CatalogFake()
    monkeypatch.setattr(api_client, "search", fake.search)
    monkeypatch.setattr(api_client, "service", fake.service)
    return fake


def after_answer(text: str, intent: str = "ask_service", **slots: Any) -> Tracker:
    """The resident's ``text`` right after the bot answered QUESTION with LEAVING."""
    values = {"service_id": LEAVING["id"], "service_name": LEAVING["name"], "service_query": QUESTION, **slots}
    return tracker("service_in_context", text, intent, **values)


def slots_set(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_words_that_start_another_service_offer_it_beside_the_narrowed_answer(api, catalog, dispatcher, domain):
    events = await ActionSearchService().run(dispatcher, after_answer("是租房的"), domain)
    assert events == [] and dispatcher.messages[0]["text"] == WHICH_ONE
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [RENT["name"], LEASE["name"]]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == '/choose_service{"service_id": "hpf-rent"}'


async def test_a_narrowing_both_readings_agree_on_is_answered_and_keeps_the_question(api, catalog, dispatcher, domain):
    events = await ActionSearchService().run(dispatcher, after_answer("买房的那种"), domain)
    assert dispatcher.messages[0]["text"].startswith(f"【{BUY['name']}】")
    assert slots_set(events)["service_id"] == BUY["id"] and "service_query" not in slots_set(events)


async def test_a_new_question_is_searched_on_its_own(api, catalog, dispatcher, domain):
    # a few words, but read with the housing-fund question they land on the answer already given
    await ActionSearchService().run(dispatcher, after_answer("护照"), domain)
    assert dispatcher.messages[0]["text"].startswith(f"【{PASSPORT['name']}】")
    # asking with words of its own, or long: never read with the last question
    for question in ("护照在哪办", "我还想问一下护照办理"):
        catalog.queries.clear()
        await ActionSearchService().run(dispatcher, after_answer(question), domain)
        assert catalog.queries == [question]


async def test_no_narrowing_unless_the_bot_just_answered(api, catalog, dispatcher, domain):
    state = after_answer("是租房的")
    state.events.insert(-1, {"event": "action", "name": "utter_greet"})
    assert not just_answered(state)
    await ActionSearchService().run(dispatcher, state, domain)
    assert catalog.queries == ["是租房的"] and dispatcher.messages[0]["text"].startswith(f"【{LEASE['name']}】")
    assert just_answered(after_answer("是租房的"))
    assert is_fragment("是租房的！") and is_fragment("那小孩的呢") and not is_fragment("？？")
    assert not is_fragment("我还想问一下护照在哪办") and not is_fragment("居住证怎么办")


async def test_the_search_down_during_a_narrowing_says_busy_once(api, catalog, dispatcher, domain):
    catalog.down = True
    assert await ActionSearchService().run(dispatcher, after_answer("是租房的"), domain) == []
    assert len(dispatcher.messages) == 1 and "稍后" in dispatcher.messages[0]["text"]


async def test_turned_down_the_question_s_other_candidates_are_offered(api, catalog, dispatcher, domain):
    events = await ActionOtherServices().run(dispatcher, after_answer("不是这个", "deny"), domain)
    assert dispatcher.messages[0]["text"] == OTHERS
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == [RETIRED["name"], RENT["name"], BUY["name"]]
    assert slots_set(events) == {"service_id": None, "service_name": None}


async def test_a_no_with_nothing_answered_is_the_plain_reply(api, catalog, dispatcher, domain):
    assert await ActionOtherServices().run(dispatcher, after_answer("不用了", "deny", service_query=None), domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_deny"] and catalog.queries == []
    dispatcher.messages.clear()
    catalog.down = True
    assert await ActionOtherServices().run(dispatcher, after_answer("不是这个", "deny"), domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_deny"]


async def test_a_yes_is_acknowledged_unless_it_narrows_the_answer_down(api, catalog, dispatcher, domain):
    """The NLU reads short words it cannot place as "yes" ("注销" after the business licence answer)."""
    from actions.search_service import ActionAcknowledge

    assert await ActionAcknowledge().run(dispatcher, after_answer("好的", "affirm"), domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_affirm"]
    dispatcher.messages.clear()
    # answered from a button (RENT, not the question's top hit): "好的" alone finds nothing sure
    assert await ActionAcknowledge().run(dispatcher, after_answer("好的", "affirm", service_id=RENT["id"]), domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_affirm"]
    dispatcher.messages.clear()
    events = await ActionAcknowledge().run(dispatcher, after_answer("买房的那种", "affirm"), domain)
    assert dispatcher.messages[0]["text"].startswith(f"【{BUY['name']}】") and slots_set(events)["service_id"] == BUY["id"]
