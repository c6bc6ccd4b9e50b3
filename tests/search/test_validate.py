import pytest

from catalog.search import MAX_QUERY_CHARS, QueryError, validate_query


@pytest.mark.parametrize("q, code", [
    ("", "empty_query"),
    ("   \n\t", "empty_query"),
    ("户" * (MAX_QUERY_CHARS + 1), "query_too_long"),
    (None, "malformed_query"),
    (123, "malformed_query"),
    ("？？！！。。", "malformed_query"),
    ("户口\x00登记", "malformed_query"),
])
def test_bad_queries_are_refused_with_a_code_and_a_chinese_message(q, code):
    with pytest.raises(QueryError) as err:
        validate_query(q)
    assert err.value.code == code
    assert err.value.to_dict() == {"error": code, "message": err.value.message}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.value.message)


def test_good_query_is_stripped():
    assert validate_query("  孩子要上户口 ") == "孩子要上户口"
    assert validate_query("户" * MAX_QUERY_CHARS) == "户" * MAX_QUERY_CHARS


def test_traditional_characters_are_searched_as_simplified(engine):
    assert validate_query(" 孩子要上戶口 ") == "孩子要上户口"
    assert engine.search("孩子要上戶口", top=1)["results"][0]["id"] == "gov-ga-001"


def test_engine_validates_too(engine):
    with pytest.raises(QueryError):
        engine.search(" ")


def test_the_traditional_bench_reads_typed_traditional_as_the_simplified_original(engine):
    from catalog.search.bench import GoldenQuery, traditional_quality

    queries = [GoldenQuery("孩子要上户口", ("gov-ga-001",), "tune"), GoldenQuery("房子过户去哪里办", ("gov-bdc-001",), "test")]
    rows = traditional_quality(engine, queries, [GoldenQuery("今天天气怎么样", (), "test")])
    assert list(rows) == ["简体原句", "繁体原样", "繁体读成简体"]
    assert rows["繁体读成简体"] == rows["简体原句"] and rows["简体原句"].hit1 == 1.0
