"""Classification floors, the dispatch desk, urgency."""

from __future__ import annotations

from routing.bench import evaluate
from routing.classify.baseline import KeywordBaseline
from routing.classify.model import THRESHOLD
from routing.classify.taxonomy import DESK_DEPARTMENT, DISPATCH, categories, labelled, routable, teams
from routing.urgent import advice, is_urgent


def test_labelled_set_covers_every_category_department_and_team():
    tune, heldout = labelled("tune"), labelled("heldout")
    assert len(tune) + len(heldout) >= 400
    assert not {e["text"] for e in tune} & {e["text"] for e in heldout}
    used = {e["category"] for e in tune + heldout}
    assert used == {c.name for c in routable()}
    assert {c.team for c in routable() if c.team} == set(teams())
    assert all(categories()[name].department for name in used)


def test_held_out_routing_beats_the_keyword_baseline_and_keeps_its_floor(classifier):
    heldout = labelled("heldout")
    model = evaluate(classifier.predict, heldout, THRESHOLD)
    baseline = evaluate(KeywordBaseline().predict, heldout)
    # The floor sits a little under the figure in docs/benchmarks.md, so a regression fails here.
    assert model["routing_accuracy"] >= 0.80, model
    assert model["routing_accuracy"] >= baseline["routing_accuracy"] + 0.10, (model, baseline)
    assert model["desk_rate"] <= 0.10


def test_the_issue_examples_reach_who_must_act(router):
    expected = {
        "楼下饭店油烟太大": ("江阴市城市管理局", None),
        "小区门口路灯坏了一个月": ("江阴市城市管理局", None),
        "工地晚上十二点还在施工": ("江阴市住房和城乡建设局", "城乡建设综合行政执法大队"),
        "老板拖欠工资三个月": ("江阴市人力资源和社会保障局", None),
    }
    for text, (department, team) in expected.items():
        routed = router.route(text)
        assert (routed.department, routed.team) == (department, team), (text, routed)


def test_noise_goes_to_the_police_and_a_building_site_s_noise_to_construction(router):
    """Noise from neighbours, shops and entertainment is the police's (噪声扰民); a building site's stays
    with the construction enforcement team. None of these sentences is in the labelled set."""
    for text in ("楼下麻将馆太吵了", "KTV噪音太大", "我要投诉噪音扰民"):
        routed = router.route(text)
        assert (routed.category, routed.department, routed.team) == ("噪声扰民", "江阴市公安局", None), (text, routed)
    routed = router.route("半夜工地还在切割钢筋，噪音大得很")
    assert (routed.category, routed.team) == ("施工扰民", "城乡建设综合行政执法大队"), routed


def test_traditional_characters_are_routed_as_simplified(router):
    typed = router.route("華士鎮華西村有人亂倒垃圾，臭死了").to_dict()
    assert typed == router.route("华士镇华西村有人乱倒垃圾，臭死了").to_dict()
    assert typed["grid"]["name"] == "华西新市村"
    assert router.route("樓下飯店油煙太大", address="華士鎮華西村").place.grid.name == "华西新市村"


def test_low_confidence_goes_to_the_dispatch_desk(classifier):
    from routing.router import Router

    cautious = Router(classifier)
    cautious.classifier = type(classifier)(classifier.encoder, threshold=1.01)
    cautious.classifier._vectorizer, cautious.classifier._model = classifier._vectorizer, classifier._model
    body = cautious.route("楼下饭店油烟太大").to_dict()
    assert (body["category"], body["department"], body["team"]) == (DISPATCH, DESK_DEPARTMENT, None)


def test_route_body_has_exactly_the_documented_fields(router):
    body = router.route("华士镇华西村有人乱倒垃圾").to_dict()
    assert set(body) == {"department", "team", "grid", "category", "confidence", "urgent"}
    assert body["grid"]["name"] == "华西新市村" and 0 < body["confidence"] <= 1 and body["urgent"] is False


def test_urgent_matters_are_flagged_with_emergency_numbers():
    for text in ("楼道里闻到煤气味", "隔壁着火了", "有人拿刀砍人", "有人落水了快来救命"):
        assert is_urgent(text), text
        assert "110" in advice(text) and "119" in advice(text) and "120" in advice(text)
    assert "燃气抢修" in advice("厨房燃气泄漏了")
    for text in ("楼下饭店油烟太大", "燃气费怎么这么贵", "电梯老是坏"):
        assert not is_urgent(text) and advice(text) == ""
