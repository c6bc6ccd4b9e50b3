"""Per-address limits on the residents' URLs (api/rate_limit.py), over real HTTP on the real app."""

from __future__ import annotations

import dataclasses
import logging

import pytest
import sqlalchemy as sa

from api.main import create_app
from lifebot.rate_limit import SharedTokenBuckets, TokenBuckets, redis_client
from tests.api.staff_helpers import create_accounts, login
from tests.api.test_bookings_api import PASSPORT, booking_client, open_day  # noqa: F401 (fixture)
from tests.pg import free_port

TOKEN = "t" * 32
PHONE = {"phone": "13912345678"}


@pytest.fixture
def api_settings(api_settings):
    """The API as the test variant, with small limits on (settings/test.yaml turns them off)."""
    return dataclasses.replace(api_settings, rate_limits={"search": 50, "lookup": 3, "write": 2},
                               internal_token=TOKEN)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_its_burst_then_one_request_per_interval():
    clock = Clock()
    buckets = TokenBuckets(per_minute=6, burst=2, clock=clock)
    assert [buckets.take("a"), buckets.take("a")] == [0.0, 0.0]
    assert buckets.take("a") == pytest.approx(10.0)  # one token every 10 s
    assert buckets.take("b") == 0.0  # another key has its own bucket
    clock.now += 9.0
    assert buckets.take("a") == pytest.approx(1.0)  # refused requests spend nothing
    clock.now += 1.0
    assert buckets.take("a") == 0.0
    assert buckets.take("a") > 0


def test_memory_is_bounded_by_forgetting_the_least_recently_used_keys():
    buckets = TokenBuckets(per_minute=1, burst=1, clock=Clock(), max_keys=100)
    buckets.take("first")
    for i in range(150):
        buckets.take(i)
    assert len(buckets) == 100
    assert buckets.take("first") == 0.0  # forgotten, so it starts again with a full bucket


async def test_shared_buckets_count_a_client_once_whichever_process_it_reaches(redis_port):
    url = f"redis://127.0.0.1:{redis_port}/0"
    first, second = redis_client(url), redis_client(url)  # as two API workers
    try:
        one = SharedTokenBuckets(first, "test:rate", per_minute=6, burst=2)
        other = SharedTokenBuckets(second, "test:rate", per_minute=6, burst=2)
        assert [await one.take("a"), await other.take("a")] == [0.0, 0.0]
        wait = await one.take("a")
        assert 9.0 < wait <= 10.0  # one token every 10 s
        assert 0 < await other.take("a") <= wait  # refused requests spend nothing
        assert await other.take("b") == 0.0  # another key has its own bucket
        assert 0 < await first.ttl("test:rate:a") <= 21  # an idle bucket goes once it would be full again
    finally:
        await first.close()
        await second.close()


async def test_an_unreachable_store_lets_requests_through_and_says_so_once(caplog):
    client = redis_client(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        buckets = SharedTokenBuckets(client, "test:rate", per_minute=1, burst=1)
        with caplog.at_level(logging.WARNING, logger="lifebot.rate_limit"):
            assert [await buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    finally:
        await client.close()
    warnings = [r.getMessage() for r in caplog.records if r.name == "lifebot.rate_limit"]
    assert len(warnings) == 1 and "not limited" in warnings[0], warnings


async def test_two_api_workers_with_one_redis_share_the_limit(api_settings, seeded_store, redis_port):
    from aiohttp.test_utils import TestClient, TestServer

    settings = dataclasses.replace(api_settings, rate_limit_redis_url=f"redis://127.0.0.1:{redis_port}/0")
    async with TestClient(TestServer(create_app(settings))) as one, \
            TestClient(TestServer(create_app(settings))) as other:
        statuses = [(await worker.get("/api/tickets/T00000000", params=PHONE)).status
                    for worker in (one, other, one, other, one)]
    assert [s == 429 for s in statuses] == [False, False, False, True, True]  # lookup: 3 a minute in all


def test_bad_settings_stop_the_start(api_settings):
    with pytest.raises(ValueError, match="unknown rate limit classes: searches"):
        create_app(dataclasses.replace(api_settings, rate_limits={"searches": 5}))
    with pytest.raises(ValueError):
        create_app(dataclasses.replace(api_settings, trusted_proxies=("nginx",)))


async def test_over_the_lookup_limit_is_429_with_retry_after_and_a_chinese_message(client):
    statuses = [(await client.get("/api/tickets/T00000000", params=PHONE)).status for _ in range(3)]
    assert 429 not in statuses
    refused = await client.get("/api/tickets/T00000000", params=PHONE)
    assert refused.status == 429
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 20  # lookup: 3 a minute, one every 20 s
    assert await refused.json() == {"error": {"code": "rate_limited", "message": f"请求太频繁，请 {seconds} 秒后再试"}}
    # the same class on another URL shares the bucket; other classes and unlimited URLs do not
    assert (await client.get("/api/bookings/ABC234", params=PHONE)).status == 429
    assert (await client.get("/api/search", params={"q": "居住证"})).status == 200
    assert (await client.get("/health")).status == 200
    assert (await client.get("/api/auth/me")).status == 401


async def test_the_action_servers_token_is_not_counted_and_a_wrong_one_is(client):
    for _ in range(6):
        response = await client.get("/api/tickets/T00000000", params=PHONE, headers={"X-Lifebot-Token": TOKEN})
        assert response.status != 429
    wrong = [(await client.get("/api/tickets/T00000000", params=PHONE, headers={"X-Lifebot-Token": "x" * 32})).status
             for _ in range(4)]
    assert [s == 429 for s in wrong] == [False, False, False, True]


async def test_operators_logged_in_are_not_counted_and_a_forged_session_cookie_is(client, api_settings):
    """The console routes every caller's words and files their tickets; a call centre is one address."""
    create_accounts(api_settings.db_url)
    headers = await login(client, "wang")  # an operator: the session cookie and its CSRF token
    ticket = {"text": "楼下饭店油烟太大，晚上呛得睡不着", "phone": "13912345678", "channel": "hotline"}
    for i in range(4):  # write is 2 a minute, lookup 3
        filed = await client.post("/api/tickets", json={**ticket, "idempotency_key": f"call-{i}"}, headers=headers)
        assert filed.status == 201, await filed.text()
        number = (await filed.json())["number"]
        assert (await client.get(f"/api/tickets/{number}", params=PHONE, headers=headers)).status == 200
    client.session.cookie_jar.clear()
    forged = [(await client.get("/api/tickets/T00000000", params=PHONE,
                                cookies={"lifebot_staff": "f" * 43})).status for _ in range(4)]
    assert [s == 429 for s in forged] == [False, False, False, True]


async def test_a_refused_booking_stores_nothing(booking_client, api_settings):  # noqa: F811
    day, slot = await open_day(booking_client)
    request = {"service_id": PASSPORT.id, "hall": "江阴市民中心", "date": day, "slot": slot, "name": "张三",
               "phone": "13912345678", "id_number": "320281198506123017"}
    first = await booking_client.post("/api/bookings", json=request)
    assert first.status == 201
    # the second write spends the last token: a clear refusal (409 or 400), not a booking
    second = await booking_client.post("/api/bookings", json=request)
    assert second.status in (400, 409)
    third = await booking_client.post("/api/bookings", json={**request, "phone": "13800001111"})
    assert third.status == 429
    engine = sa.create_engine(api_settings.db_url)
    with engine.connect() as conn:
        phones = [row[0] for row in conn.execute(sa.text("SELECT phone FROM bookings"))]
    engine.dispose()
    assert phones == ["13912345678"]


async def test_without_trusted_proxies_a_forwarded_for_header_changes_nothing(client):
    statuses = [(await client.get("/api/tickets/T00000000", params=PHONE,
                                  headers={"X-Forwarded-For": f"203.0.113.{i}"})).status for i in range(4)]
    assert [s == 429 for s in statuses] == [False, False, False, True]


@pytest.mark.parametrize("proxies", [("127.0.0.1",), ("127.0.0.0/8", "::1")])
async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(api_settings, seeded_store, proxies):
    from aiohttp.test_utils import TestClient, TestServer

    app = create_app(dataclasses.replace(api_settings, trusted_proxies=proxies))
    async with TestClient(TestServer(app)) as client:
        async def refused(forwarded: str) -> bool:
            response = await client.get("/api/tickets/T00000000", params=PHONE, headers={"X-Forwarded-For": forwarded})
            return response.status == 429

        assert [await refused("203.0.113.7") for _ in range(4)] == [False, False, False, True]
        assert not await refused("203.0.113.8")
        # what a client writes itself stands left of what the proxy appended: the proxy's hop counts
        assert await refused("198.51.100.1, 203.0.113.7")
        assert not await refused("203.0.113.7, 198.51.100.9, 127.0.0.1")


async def test_the_action_servers_clients_present_the_token_on_every_residents_url(client, api_settings,
                                                                                   monkeypatch):
    """Residents reach the API through the bot: its calls must never be limited as one address."""
    from actions import api_client, routing_client
    from actions import booking_client as bookings

    served = dataclasses.replace(api_settings, api_url=str(client.make_url("")).rstrip("/"))
    for module in (api_client, bookings, routing_client):
        monkeypatch.setattr(module, "settings", lambda: served)
    for _ in range(5):  # lookup is 3 a minute, write 2
        with pytest.raises(bookings.Refused) as refused:
            await bookings.show("ABC234", PHONE["phone"])
        assert refused.value.status == 404
        with pytest.raises(routing_client.ApiRefused) as refused_ticket:
            await routing_client.ticket("T00000000", PHONE["phone"])
        assert refused_ticket.value.status != 429
        with pytest.raises(bookings.Refused) as refused_booking:
            await bookings.book({"service_id": "no-such-service"})
        assert refused_booking.value.status != 429
        assert "results" in await api_client.search("居住证")
    without = dataclasses.replace(served, internal_token="")
    for module in (api_client, bookings, routing_client):
        monkeypatch.setattr(module, "settings", lambda: without)
    statuses = []
    for _ in range(4):  # the token's calls spent nothing: this address still has its 3 lookups
        with pytest.raises(bookings.Refused) as refused:
            await bookings.show("ABC234", PHONE["phone"])
        statuses.append(refused.value.status)
    assert statuses == [404, 404, 404, 429]
