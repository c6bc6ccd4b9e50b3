"""bot/rasa_server.py hands Rasa the token whatever it looks like (CI once drew one starting with "-")."""

from __future__ import annotations

import pytest

from bot.rasa_server import rasa_argv


@pytest.mark.parametrize("token", ["-Kq3x_token-with-a-leading-dash", "--looks-like-an-option", "plain_token"])
def test_rasas_own_parser_reads_the_token_as_given(token):
    from rasa.__main__ import create_argument_parser

    argv = rasa_argv(["--enable-api", "--port", "5005"], token)
    assert argv[:2] == ["rasa", "run"]
    parsed = create_argument_parser().parse_args(argv[1:])
    assert parsed.auth_token == token and parsed.port == 5005 and parsed.enable_api
