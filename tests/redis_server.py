"""A private redis-server for a test (lifebot/scaled/redis.py), on a free port in the test's tmp_path.

Where redis-server is missing the test skips loudly; under CI=true it fails.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lifebot.scaled import redis as redis_server
from tests.pg import free_port, in_ci


@pytest.fixture()
def redis_port(tmp_path) -> Iterator[int]:
    binary = redis_server.find_redis_server()
    if binary is None:
        if in_ci():
            pytest.fail("redis-server is missing; CI=true, so this is a failure, not a skip.", pytrace=False)
        pytest.skip(f"!!! redis-server is missing: {redis_server.INSTALL_HINT}")
    server = redis_server.RedisServer(binary, tmp_path / "redis", free_port())
    server.start()
    yield server.port
    server.stop()
