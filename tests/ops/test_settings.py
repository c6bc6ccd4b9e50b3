"""Reading settings/lifebot.yaml: what an operator writes is what the assistant does, or a clear error."""

from __future__ import annotations

import pytest

from lifebot.settings import load_settings


@pytest.mark.parametrize(("written", "read"), [("true", "true"), ("false", "false"), ('"true"', "true"),
                                               ("auto", "auto")])
def test_cookie_secure_written_bare_or_quoted_means_the_same(tmp_path, written, read):
    path = tmp_path / "lifebot.yaml"
    path.write_text(f"cookie_secure: {written}\n", encoding="utf-8")
    assert load_settings(path, env={}).cookie_secure == read


def test_an_unknown_setting_or_choice_is_refused_by_name(tmp_path):
    path = tmp_path / "lifebot.yaml"
    path.write_text("cookie_secure: always\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cookie_secure must be one of auto, true, false, not 'always'"):
        load_settings(path, env={})
    path.write_text("cookie_secur: true\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown settings in .*: cookie_secur"):
        load_settings(path, env={})
