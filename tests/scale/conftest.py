"""The scaled layout (lifebot/scaled, docs/scaling.md) started once for the module that uses it.

Its own var dir (beside the test variant's, fresh each run) and ports derived from the test
settings (api_port + 100 ... + 109), so it never meets a running `make run-scaled` or `make run`.
Where nginx, redis-server or PostgreSQL is missing the tests skip loudly; under CI=true they fail.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.pg import in_ci

SKIPPED: list[str] = []
LOOKUPS_PER_MINUTE = 4
# nginx's chat limit per client address: one a minute, three at once (test_nginx_limits_chat_per_client_address)
CHAT_BURST = 3


def scaled_settings(test_settings):
    base = test_settings.api_port + 100
    scaled = {"public_port": base, "actions_proxy_port": base + 1, "postgres_port": base + 2,
              "redis_port": base + 3, "api_ports": [base + 4, base + 5], "actions_ports": [base + 6, base + 7],
              "rasa_ports": [base + 8, base + 9], "chat_per_minute": 1, "chat_burst": CHAT_BURST}
    var_dir = test_settings.var_dir.with_name(test_settings.var_dir.name + "-scaled")
    # a small lookup limit for test_the_rate_limit_counts_each_client_once_behind_nginx; the others stay off
    return dataclasses.replace(test_settings, var_dir=var_dir, scaled=scaled,
                               rate_limits={**test_settings.rate_limits, "lookup": LOOKUPS_PER_MINUTE})


@pytest.fixture(scope="module")
def layout(test_settings) -> Iterator[Any]:
    from lifebot.scaled.layout import Layout

    settings = scaled_settings(test_settings)
    shutil.rmtree(settings.var_dir, ignore_errors=True)
    running = Layout(settings, echo=lambda _: None)
    missing = running.missing()
    if missing:
        message = "scaled-layout tests cannot run: " + "; ".join(missing)
        if in_ci():
            pytest.fail(f"{message}. CI=true, so this is a failure, not a skip.", pytrace=False)
        SKIPPED.append(message)
        pytest.skip(f"!!! {message}")
    running.start()
    yield running
    running.stop()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for message in dict.fromkeys(SKIPPED):
        terminalreporter.write_sep("!", "scaled-layout tests SKIPPED", red=True, bold=True)
        terminalreporter.write_line(message, red=True, bold=True)
    SKIPPED.clear()
