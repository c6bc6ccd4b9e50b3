"""The colloquialism table's matching: longest phrase first, contained phrases not matched twice."""

from catalog.search.synonyms import Synonyms


def said(table: Synonyms, query: str) -> list[str]:
    return [x.said for x in table.expand(query)]


def test_a_phrase_inside_a_longer_match_is_not_matched_again():
    table = Synonyms({"公积金取钱": ("住房公积金提取",), "取钱": ("取款",)})
    assert said(table, "公积金取钱怎么弄") == ["公积金取钱"]
    # elsewhere in the query the shorter phrase still counts
    assert said(table, "公积金取钱，顺便去银行取钱") == ["公积金取钱", "取钱"]


def test_the_shipped_table_gives_the_direction_of_a_move():
    table = Synonyms.load()
    for query, way, not_way in (("户口迁进来怎么办", "迁入", "迁出"), ("户口想迁过来", "迁入", "迁出"),
                                ("户口要迁走", "迁出", "迁入"), ("户口迁出去", "迁出", "迁入"),
                                ("从江阴迁到南京", "迁出", "迁入"), ("从无锡迁到江阴", "迁入", "迁出"),
                                ("要迁去外地", "迁出", "迁入")):
        official = " ".join(t for x in table.expand(query) for t in x.official)
        assert way in official and not_way not in official, (query, official)
    # 户口 makes it a household registration: 落户 as well; a company moving in is not one
    assert "落户" in [t for x in table.expand("我想把户口迁进来") for t in x.official]
    assert "落户" not in [t for x in table.expand("公司想迁进来") for t in x.official]
