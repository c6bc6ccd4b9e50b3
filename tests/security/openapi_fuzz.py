"""Property-based requests from api/openapi.yaml, and the checks each response must pass.

schemathesis cannot share the .venv with Rasa 3.6 (every release pins pytest<8, or needs
jsonschema>=4.18 and attrs>=22.2 where Rasa pins <4.18 and <22.2), so this is the same method built from
the pieces that co-install: hypothesis + hypothesis-jsonschema generate requests from the described
parameters and bodies, jsonschema checks every answer against the described response.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft4Validator, RefResolver

METHODS = ("get", "post", "patch", "delete", "put")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Printable text without surrogates (not encodable in a URL or JSON the server could read back).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                        max_leaves=8)
NOT_JSON = st.sampled_from([b"", b"{", b"\xff\xfe", b"null", b"[1, 2]", b'{"text": "\\ud800"}', b"<xml/>"])


def hostile_json(schema: dict[str, Any]):
    """Bodies as described, with the described keys but any values, or any JSON at all."""
    keys = list(schema.get("properties", {}))
    return st.one_of(from_schema(schema), st.fixed_dictionaries({k: ANY_JSON for k in keys}), ANY_JSON)


@dataclass
class Operation:
    method: str
    path: str
    spec: dict[str, Any]
    parameters: list[dict[str, Any]] = field(default_factory=list)

    @property
    def staff(self) -> bool:
        return bool(self.spec.get("security"))

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"


def resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in item:
        node: Any = spec
        for part in item["$ref"].lstrip("#/").split("/"):
            node = node[part]
        item = node
    return item


def operations(spec: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in spec["paths"].items():
        shared = [resolve(spec, p) for p in item.get("parameters", [])]
        for method in METHODS:
            if method in item:
                own = [resolve(spec, p) for p in item[method].get("parameters", [])]
                found.append(Operation(method, path, item[method], shared + own))
    return found


def _json_schema(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI schema with its references inlined, for hypothesis-jsonschema."""
    schema = resolve(spec, schema)
    clean = {k: v for k, v in schema.items() if k not in ("example", "nullable")}
    if "properties" in clean:
        clean["properties"] = {k: _json_schema(spec, v) for k, v in clean["properties"].items()}
    if isinstance(clean.get("additionalProperties"), dict):
        clean["additionalProperties"] = _json_schema(spec, clean["additionalProperties"])
    return clean


@st.composite
def requests_for(draw, spec: dict[str, Any], operation: Operation) -> dict[str, Any]:
    """One request: path, query and JSON body (or multipart file) drawn from the description."""
    path, query = operation.path, {}
    for parameter in operation.parameters:
        required = parameter.get("required", False)
        if parameter["in"] == "path":
            value = draw(TEXT.filter(lambda s: s not in ("", ".", "..")))
            path = path.replace("{" + parameter["name"] + "}", urllib.parse.quote(value, safe=""))
        elif parameter["in"] == "query" and (required or draw(st.booleans())):
            query[parameter["name"]] = draw(TEXT)
    request: dict[str, Any] = {"method": operation.method.upper(), "path": path, "params": query}
    content = resolve(spec, operation.spec.get("requestBody", {})).get("content", {})
    if "application/json" in content:
        if draw(st.integers(0, 9)) == 0:
            request["data"], request["headers"] = draw(NOT_JSON), {"Content-Type": "application/json"}
        else:
            request["json"] = draw(hostile_json(_json_schema(spec, content["application/json"]["schema"])))
    elif "multipart/form-data" in content:
        name = draw(st.sampled_from(["a.csv", "a.jsonl", "a.xlsx", "a.txt", "", "a.json"]))
        request["files"] = {"file": (name, draw(st.binary(max_size=2000)))}
    return request


class ResponseChecker:
    """Checks an answer against the description: no 500, described status, schema, Chinese errors."""

    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.resolver = RefResolver.from_schema(spec)

    def problems(self, operation: Operation, status: int, content_type: str, body: Any) -> list[str]:
        found = []
        if status >= 500 and status not in (502, 503):
            found.append(f"server error {status}: {body!r}"[:300])
        responses = operation.spec["responses"]
        described = responses.get(str(status))
        if described is None:
            return found + [f"status {status} not described: {body!r}"[:300]]
        described = resolve(self.spec, described)
        schema = described.get("content", {}).get("application/json", {}).get("schema")
        if schema is not None:
            if not content_type.startswith("application/json"):
                return found + [f"{status} answered {content_type}, described JSON"]
            errors = list(Draft4Validator(schema, resolver=self.resolver).iter_errors(body))
            found += [f"{status} does not match the description: {e.message}"[:300] for e in errors]
        if status >= 400 and operation.path.startswith("/api/"):
            message = (body or {}).get("error", {}).get("message", "") if isinstance(body, dict) else ""
            if not CHINESE.search(message):
                found.append(f"{status} error without a Chinese message: {body!r}"[:300])
        return found
