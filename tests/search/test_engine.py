import dataclasses
import json

import numpy as np
import pytest

from catalog.entry import Entry
from catalog.search import SearchEngine
from catalog.search.vectors import entry_texts

from .conftest import CountingEncoder, MemoryStore, fixture_entries

KEYS = {"id", "name", "kind", "category", "department", "score"}


def top_id(engine, q, **kw):
    return engine.search(q, top=1, **kw)["results"][0]["id"]


def test_result_shape(engine):
    out = engine.search("孩子要上户口", top=3)
    assert set(out) == {"query", "confident", "results"}
    assert out["query"] == "孩子要上户口"
    assert len(out["results"]) == 3
    assert all(set(r) == KEYS for r in out["results"])
    scores = [r["score"] for r in out["results"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("q, expected", [
    ("孩子要上户口", "gov-ga-001"),
    ("房子过户去哪里办", "gov-bdc-001"),
    ("两口子过不下去了", "gov-mz-002"),
    ("社保从外地转回来", "gov-rs-001"),
    ("公积金取钱", "gov-gjj-001"),
    ("马桶堵了", "con-002"),
])
def test_colloquial_queries_find_the_service(engine, q, expected):
    out = engine.search(q)
    assert out["confident"]
    assert out["results"][0]["id"] == expected


@pytest.mark.parametrize("q", ["今天天气怎么样", "推荐一部电影", "asdfghjkl", "中午吃什么好呢"])
def test_not_confident_on_nonsense(engine, q):
    assert engine.search(q)["confident"] is False


def test_filters(engine):
    out = engine.search("办证", top=10, kind="welfare")
    assert out["results"] and all(r["kind"] == "welfare" for r in out["results"])
    out = engine.search("登记", top=10, category="不动产")
    assert out["results"] and all(r["category"] == "不动产" for r in out["results"])
    out = engine.search("登记", top=10, department="江阴市民政局")
    assert out["results"] and all(r["department"] == "江阴市民政局" for r in out["results"])
    out = engine.search("登记", top=50, online=True, bookable=True)
    assert out["results"]
    for r in out["results"]:
        e = engine.entry(r["id"])
        assert e.online and e.appointment
    assert engine.search("登记", kind="no-such-kind")["results"] == []
    assert engine.search("登记", kind="no-such-kind")["confident"] is False


def test_explain(engine):
    item = engine.search("房子过户", top=1, explain=True)["results"][0]
    ex = item["explain"]
    assert "过户" in ex["matched"]["aliases"]
    assert ex["synonyms"] == [{"said": "房子过户", "official": ["不动产转移登记"]}]
    assert "语义相似度" in ex["summary"]
    assert "explain" not in engine.search("房子过户", top=1)["results"][0]


def test_entry_cache(engine):
    e = engine.entry("gov-ga-001")
    assert isinstance(e, Entry) and e.materials
    assert engine.entry("nope") is None
    assert engine.size == len(fixture_entries())


def test_index_folder_is_self_describing_and_round_trips(engine, encoder, tokenizer, tmp_path):
    folder = tmp_path / "idx"
    engine.save(folder)
    info = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert info["model"] == encoder.name and info["dimensions"] == 384
    assert info["catalog_version"] == engine.catalog_version
    assert sorted(s for s in info["slots"] if s) == engine.ids()
    assert {"built_at", "faiss", "entries"} <= set(info)
    assert not [p for p in folder.iterdir() if p.suffix in (".pkl", ".pickle")]
    store = MemoryStore(fixture_entries())
    counting = CountingEncoder(encoder)
    loaded = SearchEngine.load_or_build(folder, store, counting, tokenizer=tokenizer)
    assert counting.passages == 0  # loaded, not rebuilt
    for q in ("孩子要上户口", "驾照到期", "老人吃饭"):
        assert loaded.search(q, explain=True) == engine.search(q, explain=True)


def test_model_change_forces_rebuild(engine, encoder, tokenizer, tmp_path):
    folder = tmp_path / "idx"
    engine.save(folder)
    counting = CountingEncoder(encoder)
    counting.name = "another-model"
    SearchEngine.load_or_build(folder, MemoryStore(fixture_entries()), counting, tokenizer=tokenizer)
    assert counting.passages == sum(len(entry_texts(e)) for e in fixture_entries())
    assert json.loads((folder / "config.json").read_text())["model"] == "another-model"


def test_other_dictionary_words_force_a_rebuild(encoder, tmp_path):
    """The saved tokens were cut with the tokenizer's words: a new colloquialism or alias (here 因私出国)
    cuts an entry's text differently, so the index is rebuilt, not loaded with the old cuts."""
    from catalog.search.jieba_tokenizer import dictionary_words, make_jieba_tokenizer
    from catalog.search.synonyms import Synonyms

    store, folder = MemoryStore(fixture_entries()), tmp_path / "idx"
    words = dictionary_words(fixture_entries(), Synonyms.load().terms())
    counting = CountingEncoder(encoder)
    SearchEngine.load_or_build(folder, store, counting, tokenizer=make_jieba_tokenizer(words=words))
    built = counting.passages
    SearchEngine.load_or_build(folder, store, counting, tokenizer=make_jieba_tokenizer(words=reversed(words)))
    assert counting.passages == built  # the same words in another order: loaded
    wider = make_jieba_tokenizer(words=[*words, "因私出国"])
    loaded = SearchEngine.load_or_build(folder, store, counting, tokenizer=wider)
    assert counting.passages == 2 * built
    assert "因私出国" in loaded.state.tokens["gov-ga-006"]["description"]
    assert json.loads((folder / "config.json").read_text())["lexicon"] == wider.lexicon


def _assert_same_results(a, b, queries):
    for q in queries:
        ra, rb = a.search(q, top=10, explain=True), b.search(q, top=10, explain=True)
        assert [r["id"] for r in ra["results"]] == [r["id"] for r in rb["results"]], q
        assert np.allclose([r["score"] for r in ra["results"]], [r["score"] for r in rb["results"]], atol=2e-4)
        assert ra["confident"] == rb["confident"]


QUERIES = ("孩子要上户口", "房子过户", "社保转回来", "水表过户", "宠物狗登记", "离婚", "老年卡", "营业执照", "天气")


def test_incremental_refresh_equals_full_rebuild(encoder, tokenizer, tmp_path):
    store = MemoryStore(fixture_entries())
    counting = CountingEncoder(encoder)
    engine = SearchEngine.load_or_build(tmp_path / "idx", store, counting, tokenizer=tokenizer)
    built = counting.passages
    divorce = store.update("gov-mz-002", aliases=["协议离婚", "两口子分开"], description="夫妻双方自愿离婚。")
    store.update("con-003", status="retired")
    dog = Entry(id="pub-dog-001", name="犬只登记", kind="public", category="便民生活",
                department="江阴市公安局", description="养犬人为宠物狗办理犬证。", aliases=["狗证", "宠物狗登记"])
    store.put(dog)
    touched = engine.refresh(store)
    assert touched == 3
    # only the two changed entries are embedded; the retired one is dropped
    assert counting.passages - built == len(entry_texts(divorce)) + len(entry_texts(dog))
    assert engine.catalog_version == store.version()
    assert engine.entry("con-003") is None and engine.entry("pub-dog-001").name == "犬只登记"
    assert engine.refresh(store) == 0
    full = SearchEngine(encoder, tokenizer)
    full.build(store.entries(), store.version())
    _assert_same_results(engine, full, QUERIES)
    # the refreshed index was persisted and loads as is
    counting2 = CountingEncoder(encoder)
    reloaded = SearchEngine.load_or_build(tmp_path / "idx", store, counting2, tokenizer=tokenizer)
    assert counting2.passages == 0
    _assert_same_results(reloaded, full, QUERIES)


def test_stale_folder_is_brought_up_to_date_incrementally(encoder, tokenizer, tmp_path):
    store = MemoryStore(fixture_entries())
    SearchEngine.load_or_build(tmp_path / "idx", store, encoder, tokenizer=tokenizer)
    changed = store.update("wel-001", name="老年人助餐点")
    counting = CountingEncoder(encoder)
    engine = SearchEngine.load_or_build(tmp_path / "idx", store, counting, tokenizer=tokenizer)
    assert counting.passages == len(entry_texts(changed))
    assert engine.catalog_version == store.version()
    assert engine.entry("wel-001").name == "老年人助餐点"


def test_concurrent_search_during_refresh(encoder, tokenizer, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    store = MemoryStore(fixture_entries())
    engine = SearchEngine.load_or_build(tmp_path / "idx", store, encoder, tokenizer=tokenizer)
    expected = engine.search("公积金取钱")["results"][0]["id"]

    def ask(_):
        return engine.search("公积金取钱")["results"][0]["id"]

    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(ask, i) for i in range(40)]
        for i in range(5):
            store.update("con-001", description=f"上门维修 {i}")
            engine.refresh(store)
        assert {f.result() for f in futures} == {expected}


def test_empty_catalog(encoder, tokenizer, tmp_path):
    store = MemoryStore([])
    store._version = 0
    engine = SearchEngine.load_or_build(tmp_path / "idx", store, encoder, tokenizer=tokenizer)
    assert engine.size == 0
    assert engine.search("户口") == {"query": "户口", "confident": False, "results": []}
    entry = dataclasses.replace(fixture_entries()[0])
    store.put(entry)
    assert engine.refresh(store) == 1
    assert engine.search("上户口")["results"][0]["id"] == entry.id


def test_digits_alone_are_no_dictionary_words():
    """"12345" (the hotline, in some names) as a word cut 13812345678 into 138 / 12345 / 678."""
    from catalog.entry import Entry
    from catalog.search.jieba_tokenizer import dictionary_words, make_jieba_tokenizer

    entry = Entry(id="x", name="12345热线（市民服务）", kind="information", category="热线", department="市政府",
                  aliases=["12345", "2017"])
    words = dictionary_words([entry])
    assert "热线" not in words and "市民服务" in words and not any(w.isdigit() for w in words)
    assert make_jieba_tokenizer(words=words)("电话13812345678") == ["电话", "13812345678"]


@pytest.fixture(scope="module")
def shared_alias_store():
    """Four social-insurance entries that all carry the alias “社保”, as the real catalog's do."""
    return MemoryStore([dataclasses.replace(e, aliases=[*e.aliases, "社保"]) if e.id.startswith("gov-rs-") else e
                        for e in fixture_entries()])


def test_a_topic_several_entries_share_is_a_choice_not_an_answer(encoder, tokenizer, shared_alias_store, tmp_path):
    engine = SearchEngine.load_or_build(tmp_path / "idx", shared_alias_store, encoder, tokenizer=tokenizer)
    for q in ("社保", "社保怎么弄"):
        out = engine.search(q, top=3)
        assert out["confident"] is False, out
        assert {r["id"] for r in out["results"]} <= {"gov-rs-001", "gov-rs-002", "gov-rs-003", "gov-rs-004"}, out
    # a question that says which one is still answered
    out = engine.search("社保从外地转回来")
    assert out["confident"] and out["results"][0]["id"] == "gov-rs-001"
    # the rule, not the threshold, made "社保" unsure
    engine.config = dataclasses.replace(engine.config, confidence_ties=0)
    assert engine.search("社保")["confident"] is True


def test_the_benchmark_counts_a_shared_topic_as_unsure(encoder, tokenizer, shared_alias_store, tmp_path):
    from catalog.search.bench import GoldenQuery, collect, evaluate

    engine = SearchEngine.load_or_build(tmp_path / "idx", shared_alias_store, encoder, tokenizer=tokenizer)
    runs = collect(engine, [GoldenQuery("社保", ("gov-rs-003",), "tune"),
                            GoldenQuery("社保从外地转回来", ("gov-rs-001",), "tune")])
    assert [engine.search(r.q.q)["confident"] for r in runs] == [False, True]
    assert evaluate(runs, [], "hybrid", engine.config).confident == 0.5
    off = dataclasses.replace(engine.config, confidence_ties=0)
    assert evaluate(runs, [], "hybrid", off).confident == 1.0


@pytest.mark.parametrize(("keymax", "n", "shared"), [
    ([0.95, 0.95, 0.95, 0.90], 3, True),
    ([0.95, 0.95, 0.94], 3, False),
    ([0.95, 0.95], 3, False),  # fewer results than the rule needs
    ([0.95, 0.95, 0.95], 0, False),  # off
])
def test_shared_match(keymax, n, shared):
    from catalog.search.engine import shared_match

    assert shared_match(np.array(keymax, dtype=np.float32), n) is shared
