"""Traditional characters read as Simplified (catalog/simplified.py)."""

import pytest

from catalog.simplified import to_simplified


@pytest.mark.parametrize("typed, read", [
    ("戶口遷進來怎麼辦", "户口迁进来怎么办"),
    ("後天上午十點，名字是張三", "后天上午十点，名字是张三"),
    ("乾淨", "干净"),
    ("乾隆", "乾隆"),  # phrase-level: a name keeps its character
])
def test_traditional_is_read_as_simplified(typed, read):
    assert to_simplified(typed) == read


@pytest.mark.parametrize("text", [
    "户口迁进来怎么办", "江阴市民中心 澄江街道人民中路268号", "13912345678",
    '/choose_booking_option{"booking_slot": "09:00-09:30"}', "",
])
def test_simplified_text_and_button_payloads_pass_unchanged(text):
    assert to_simplified(text) == text
