"""Action unit tests: tracker fixtures, the real domain, a CollectingDispatcher, exact events."""

from __future__ import annotations

import logging

from rasa_sdk.events import SlotSet

from actions.handover import (
    IN_HOURS,
    ActionDeclineHuman,
    ActionHandOver,
    ActionNluFallback,
    ActionReleaseHandover,
    ActionStaySilent,
    consecutive_fallbacks,
)
from actions.search_service import BUSY, NOTHING_FITS, WHICH_ONE, ActionChooseService, ActionSearchService
from actions.service_detail import ActionServiceDetail
from tests.bot.fakes import CLOSED_HOURS, PASSPORT, RESIDENCE_PERMIT, entity, hit, tracker

IN_CONTEXT = [SlotSet("service_id", "gov-residence-permit"), SlotSet("service_name", "居住证申领"),
              SlotSet("human_offered", False)]
HANDED_OVER = [SlotSet("handed_over", True), SlotSet("human_offered", False), SlotSet("operator_message", None)]


def texts(dispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


async def test_confident_search_answers_and_sets_the_service_in_context(api, at, dispatcher, domain):
    events = await ActionSearchService().run(dispatcher, tracker("service_in_context", "居住证怎么办",
                                                                 "ask_service"), domain)
    assert events == [*IN_CONTEXT, SlotSet("service_query", "居住证怎么办")]
    assert api.queries == ["居住证怎么办"]
    answer = texts(dispatcher)
    assert answer.startswith("【居住证申领】江阴市公安局")
    assert "需要材料：居民身份证；近期一寸照片；居住证明（租房合同等）" in answer
    assert "不在办公时间" not in answer


async def test_unsure_search_offers_three_buttons_with_exact_ids(api, at, dispatcher, domain):
    api.answer = {"confident": False, "results": [hit(RESIDENCE_PERMIT, 0.4), hit(PASSPORT, 0.38)]}
    events = await ActionSearchService().run(dispatcher, tracker("service_in_context", "我想办个证",
                                                                 "ask_service"), domain)
    assert events == []
    assert dispatcher.messages[0]["text"] == WHICH_ONE
    assert dispatcher.messages[0]["buttons"] == [
        {"title": "居住证申领", "payload": '/choose_service{"service_id": "gov-residence-permit"}'},
        {"title": "普通护照签发", "payload": '/choose_service{"service_id": "gov-passport"}'},
    ]


async def test_nothing_fits_is_admitted_and_a_human_is_offered(api, at, dispatcher, domain):
    api.answer = {"confident": False, "results": []}
    events = await ActionSearchService().run(dispatcher, tracker("service_in_context", "火星签证",
                                                                 "ask_service"), domain)
    assert events == [SlotSet("human_offered", True)]
    assert texts(dispatcher) == NOTHING_FITS and "12345" in NOTHING_FITS


async def test_api_down_is_said_plainly(api, at, dispatcher, domain):
    api.down = True
    events = await ActionSearchService().run(dispatcher, tracker("service_in_context", "居住证",
                                                                 "ask_service"), domain)
    assert events == [] and texts(dispatcher) == BUSY


async def test_out_of_hours_answer_says_when_it_opens_and_what_to_do_online(api, at, dispatcher, domain):
    at(CLOSED_HOURS)
    await ActionSearchService().run(dispatcher, tracker("service_in_context", "居住证怎么办", "ask_service"),
                                    domain)
    assert texts(dispatcher).splitlines()[-1] == (
        "现在不在办公时间，江阴市民中心下次开门：明天（周六）9:00。"
        "现在就可以在网上办理：https://www.jszwfw.gov.cn/jy/jzz")


async def test_button_choice_answers_exactly_that_service(api, at, dispatcher, domain):
    chosen = tracker("service_in_context", '/choose_service{"service_id":"gov-passport"}', "choose_service",
                     [entity("service_id", "gov-passport")])
    events = await ActionChooseService().run(dispatcher, chosen, domain)
    assert events == [SlotSet("service_id", "gov-passport"), SlotSet("service_name", "普通护照签发"),
                      SlotSet("human_offered", False)]
    assert texts(dispatcher).startswith("【普通护照签发】")
    assert api.queries == []


async def test_materials_follow_up_uses_the_service_in_context(api, at, dispatcher, domain):
    events = await ActionServiceDetail().run(dispatcher, tracker("service_in_context"), domain)
    assert events == IN_CONTEXT
    assert api.queries == []
    assert texts(dispatcher) == ("【居住证申领】需要准备：\n1. 居民身份证\n2. 近期一寸照片\n3. 居住证明（租房合同等）\n"
                                 "办理条件：在江阴居住半年以上")


async def test_saturday_follow_up_answers_saturday_hours(api, at, dispatcher, domain):
    await ActionServiceDetail().run(dispatcher, tracker("service_in_context", "周六能办吗", "ask_location_hours",
                                                        [entity("date_time", "周六")]), domain)
    answer = texts(dispatcher)
    assert "江阴市民中心（江阴市澄江中路159号）" in answer
    assert "周六可以办：9:00-12:00（遇法定节假日除外）" in answer
    assert "现在正在办公，今天 12:00 下班。" in answer


async def test_fee_time_and_online_follow_ups(api, at, domain):
    for intent, expected in (("ask_fee", "【居住证申领】收费：不收费"),
                             ("ask_time_limit", "【居住证申领】承诺办理时限：7个工作日（法定时限：15个工作日）"),
                             ("ask_online", "【居住证申领】可以网上办：https://www.jszwfw.gov.cn/jy/jzz")):
        from rasa_sdk.executor import CollectingDispatcher

        dispatcher = CollectingDispatcher()
        events = await ActionServiceDetail().run(dispatcher, tracker("service_in_context", "这个呢", intent), domain)
        assert (texts(dispatcher), events) == (expected, IN_CONTEXT)


async def test_a_named_service_wins_over_the_one_in_context(api, at, dispatcher, domain):
    api.answer = {"confident": True, "results": [hit(PASSPORT)]}
    events = await ActionServiceDetail().run(dispatcher, tracker(
        "service_in_context", "那护照呢要带啥", "ask_materials", [entity("service", "护照")]), domain)
    assert api.queries == ["护照"]
    assert events == [SlotSet("service_id", "gov-passport"), SlotSet("service_name", "普通护照签发"),
                      SlotSet("human_offered", False), SlotSet("service_query", "护照")]
    assert texts(dispatcher) == "【普通护照签发】需要准备：\n1. 居民身份证\n2. 照片回执\n办理条件：在江阴居住半年以上"


async def test_follow_up_without_context_asks_which_service(api, at, dispatcher, domain):
    api.answer = {"confident": False, "results": [hit(PASSPORT, 0.2)]}
    events = await ActionServiceDetail().run(dispatcher, tracker(
        "service_in_context", "要多久", "ask_time_limit", service_id=None, service_name=None), domain)
    assert events == []
    assert texts(dispatcher) == "您想问哪项服务的办理时限？告诉我服务名称就行，比如“居住证要带什么材料”。"


async def test_hand_over_in_office_hours(api, at, dispatcher, domain):
    state = tracker("service_in_context", "转人工", "request_human")
    events = await ActionHandOver().run(dispatcher, state, domain)
    assert events == HANDED_OVER
    assert texts(dispatcher) == IN_HOURS
    assert api.handovers == [(state.sender_id, state.get_latest_input_channel(), "转人工")]


async def test_hand_over_is_answered_even_when_the_queue_is_unreachable(api, at, dispatcher, domain, caplog):
    api.down = True
    events = await ActionHandOver().run(dispatcher, tracker("service_in_context", "转人工", "request_human"), domain)
    assert events == HANDED_OVER
    assert texts(dispatcher) == IN_HOURS
    assert "could not queue the hand-over" in caplog.text


async def test_first_fallback_asks_to_rephrase(api, dispatcher, domain):
    api.answer = {"confident": False, "results": [hit(PASSPORT, 0.3)]}
    events = await ActionNluFallback().run(dispatcher, tracker("service_in_context", "嗯那个", "nlu_fallback"),
                                           domain)
    assert events == [] and api.queries == ["嗯那个"]
    assert dispatcher.messages[0]["response"] == "utter_default"
    assert "没太明白" in domain["responses"]["utter_default"][0]["text"]
    api.down = True
    dispatcher.messages.clear()
    assert await ActionNluFallback().run(dispatcher, tracker("service_in_context", "嗯那个", "nlu_fallback"),
                                         domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_default"]


async def test_words_the_nlu_cannot_place_are_answered_when_the_catalog_is_sure(api, at, dispatcher, domain):
    """A long, rambling question falls below the NLU's threshold; the catalog search still knows it."""
    said = "我想问一下那个就是办那个居住证的事情要去哪里办要带点什么东西啊谢谢"
    events = await ActionNluFallback().run(dispatcher, tracker("service_in_context", said, "nlu_fallback"), domain)
    assert events == [*IN_CONTEXT, SlotSet("service_query", said)]
    assert texts(dispatcher).startswith("【居住证申领】")
    # an answered fallback is no misunderstanding: the next unclear message is the first in a row
    state = tracker("two_fallbacks")
    state.events.insert(-1, {"event": "slot", "name": "service_id", "value": "gov-residence-permit"})
    assert consecutive_fallbacks(state) == 1 and consecutive_fallbacks(tracker("two_fallbacks")) == 2


async def test_second_fallback_in_a_row_hands_over(api, at, dispatcher, domain):
    api.answer = {"confident": False, "results": []}
    events = await ActionNluFallback().run(dispatcher, tracker("two_fallbacks"), domain)
    assert events == HANDED_OVER
    assert len(api.handovers) == 1
    assert texts(dispatcher) == "抱歉，我还是没弄明白。" + IN_HOURS


async def test_silent_while_handed_over_and_released_by_the_console(at, dispatcher, domain):
    assert await ActionStaySilent().run(dispatcher, tracker("service_in_context", handed_over=True), domain) == []
    assert dispatcher.messages == []
    events = await ActionReleaseHandover().run(dispatcher, tracker(
        "service_in_context", "/release_handover", "release_handover", handed_over=True), domain)
    assert events == [SlotSet("handed_over", False)]
    assert dispatcher.messages[0]["response"] == "utter_released"


async def test_declining_the_human_clears_the_offer(dispatcher, domain):
    events = await ActionDeclineHuman().run(dispatcher, tracker("service_in_context", "不用", "deny"), domain)
    assert events == [SlotSet("human_offered", False)]
    assert "12345" in texts(dispatcher)


async def test_id_numbers_and_phones_are_masked_in_action_logs(api, at, dispatcher, domain, caplog):
    caplog.set_level(logging.INFO, logger="actions")
    said = "身份证320281199001011234 电话13812345678 居住证怎么办"
    await ActionSearchService().run(dispatcher, tracker("service_in_context", said, "ask_service"), domain)
    logged = caplog.text
    assert "320281********1234" in logged and "138****5678" in logged
    assert "320281199001011234" not in logged and "13812345678" not in logged
