"""api/openapi.yaml describes exactly the URLs api/routes.py serves, and the API serves it."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from api.handlers.openapi import load_spec
from api.main import create_app

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
ERROR = {"$ref": "#/components/responses/Error"}
RATE_LIMITED = {"$ref": "#/components/responses/RateLimited"}


def served(app: web.Application) -> set[tuple[str, str]]:
    found = set()
    for route in app.router.routes():
        if route.method == "HEAD":  # aiohttp adds HEAD beside every GET
            continue
        resource = route.resource
        path = resource.canonical
        if isinstance(resource, web.StaticResource):
            path = f"{path}/{{filename}}"
        found.add((route.method.lower(), path))
    return found


def described() -> set[tuple[str, str]]:
    return {(method, path) for path, item in load_spec()["paths"].items() for method in item
            if method in HTTP_METHODS}


def test_every_route_is_described_and_nothing_else(test_settings):
    routes, spec = served(create_app(test_settings)), described()
    assert routes - spec == set(), f"routes.py URLs missing from api/openapi.yaml: {sorted(routes - spec)}"
    assert spec - routes == set(), f"api/openapi.yaml URLs that routes.py does not serve: {sorted(spec - routes)}"
    assert len(routes) > 30


def test_every_api_error_is_described_as_the_json_error():
    for path, item in load_spec()["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS or not path.startswith("/api/"):
                continue
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert response in (ERROR, RATE_LIMITED), (method, path, status)
    limited = load_spec()["components"]["responses"]["RateLimited"]
    assert limited["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in limited["headers"]


def test_the_rate_limited_urls_are_the_ones_described_with_429():
    from api.rate_limit import URL_CLASSES

    with_429 = {(method.upper(), path) for path, item in load_spec()["paths"].items() for method, operation
                in item.items() if method in HTTP_METHODS and operation["responses"].get("429") == RATE_LIMITED}
    assert with_429 == set(URL_CLASSES)


async def test_the_description_is_served_as_json(test_settings, tmp_path):
    import dataclasses

    from tests.api.conftest import seed_entries

    settings = dataclasses.replace(test_settings, var_dir=tmp_path)
    from catalog.store import CatalogStore

    store = CatalogStore(settings.db_url)
    store.put_many(seed_entries(5), author="test", reason="fixture")
    store.close()
    async with TestClient(TestServer(create_app(settings))) as client:
        response = await client.get("/api/openapi.json")
        assert response.status == 200
        body = await response.json()
    assert body["openapi"].startswith("3.") and "/api/tickets" in body["paths"]
