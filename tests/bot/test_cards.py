"""Full service answers carry a service_card payload beside the unchanged text; follow-ups do not."""

from __future__ import annotations

from actions.search_service import ActionChooseService, ActionSearchService
from actions.service_detail import ActionServiceDetail
from tests.bot.fakes import RESIDENCE_PERMIT, entity, tracker

CARD = {"type": "service_card", "service": {
    "id": "gov-residence-permit", "name": "居住证申领",
    "materials": ["居民身份证", "近期一寸照片", "居住证明（租房合同等）"],
    "place": "江阴市民中心（江阴市澄江中路159号）",
    "hours": "周一至周五 8:30-12:00，13:30-17:00；周六 9:00-12:00（部分窗口）",
    "fee": "不收费", "online_url": "https://www.jszwfw.gov.cn/jy/jzz", "phone": "0510-86860001"}}


async def test_search_answer_is_text_then_a_service_card(api, at, dispatcher, domain):
    await ActionSearchService().run(dispatcher, tracker("service_in_context", "居住证怎么办", "ask_service"), domain)
    assert [bool(m.get("text")) for m in dispatcher.messages] == [True, False]
    assert dispatcher.messages[0]["text"].startswith("【居住证申领】")
    assert dispatcher.messages[1]["custom"] == CARD


async def test_button_choice_sends_the_card_of_the_chosen_service(api, at, dispatcher, domain):
    chosen = tracker("service_in_context", "/choose_service", "choose_service",
                     [entity("service_id", "gov-passport")])
    await ActionChooseService().run(dispatcher, chosen, domain)
    card = dispatcher.messages[1]["custom"]
    assert card["type"] == "service_card"
    assert (card["service"]["id"], card["service"]["online_url"], card["service"]["fee"]) == (
        "gov-passport", "", "120元/本")


async def test_follow_up_answers_stay_text_only(api, at, dispatcher, domain):
    await ActionServiceDetail().run(dispatcher, tracker("service_in_context"), domain)
    assert len(dispatcher.messages) == 1 and not dispatcher.messages[0].get("custom")


def test_no_locations_and_not_online_leave_place_hours_and_link_empty():
    # Not online: no link on the card even though the entry still carries a URL.
    api_entry = {**RESIDENCE_PERMIT, "locations": [], "online": False}
    from actions.cards import service_card

    service = service_card(api_entry)["service"]
    assert (service["place"], service["hours"], service["online_url"]) == ("", "", "")
