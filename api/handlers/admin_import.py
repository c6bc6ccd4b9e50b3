"""Maintainers' admin: import a CSV, XLSX or JSONL file with a preview of the changes first.

POST /api/admin/import (multipart ``file``) plans the import (catalog.importer: diff + validation,
nothing written) and keeps the upload under a random token; POST /api/admin/import/{token} with a
reason applies it, refusing (409) when the catalog changed since the preview, so what is written is
exactly what the maintainer saw.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from aiohttp import web

from api.auth import actor, blocking, staff
from api.errors import ApiError
from api.handlers.staff_io import InvalidProblems, catalog_call, json_body, reason_of
from api.typedefs import settings_key, staff_key, store_key

MAX_UPLOAD = 10 * 1024 * 1024
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".json": "jsonl", ".ndjson": "jsonl"}


def _upload_dir(request: web.Request) -> Path:
    return request.app[settings_key].var_dir / "imports"


def _plan(store, path: Path):
    from catalog import importer
    from catalog.validate import load_categories, load_departments

    return importer.plan(store, path, None, load_departments(), load_categories())


def _preview(planned) -> dict[str, Any]:
    return {
        "ok": planned.ok,
        "added": [{"id": e.id, "name": e.name} for e in planned.added],
        "changed": [{"id": e.id, "name": e.name, "changes": {k: list(v) for k, v in changes.items()}}
                    for e, changes in planned.changed],
        "unchanged": len(planned.unchanged),
        "errors": planned.row_errors + [str(p) for p in planned.report.errors],
        "warnings": [str(p) for p in planned.report.warnings],
    }


def _fingerprint(planned) -> dict[str, Any]:
    return {"added": sorted(e.id for e in planned.added), "base_versions": planned.base_versions,
            "changed": sorted(e.id for e, _ in planned.changed)}


async def _read_upload(request: web.Request) -> tuple[str, bytes]:
    if not request.content_type.startswith("multipart/"):
        raise ApiError(400, "file_required", "请选择要导入的文件")
    reader = await request.multipart()
    async for part in reader:
        if part.name != "file":
            continue
        suffix = Path(part.filename or "").suffix.lower()
        if suffix not in SUFFIXES:
            raise ApiError(400, "bad_format", "只支持 .csv、.xlsx 或 .jsonl 文件")
        data = bytearray()
        while chunk := await part.read_chunk():
            data.extend(chunk)
            if len(data) > MAX_UPLOAD:
                raise ApiError(413, "file_too_large", "文件不能超过 10 MB")
        return suffix, bytes(data)
    raise ApiError(400, "file_required", "请选择要导入的文件")


@staff("maintainer")
async def preview(request: web.Request) -> web.Response:
    from catalog.errors import InvalidEntry

    suffix, data = await _read_upload(request)
    token = secrets.token_hex(16)
    folder = _upload_dir(request)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{token}{suffix}"
    path.write_bytes(data)
    try:
        planned = await blocking(request, _plan, request.app[store_key], path)
    except InvalidEntry as exc:  # unreadable file: nothing to preview or keep
        path.unlink()
        raise InvalidProblems(exc.problems) from None
    (folder / f"{token}.plan.json").write_text(json.dumps(_fingerprint(planned)), encoding="utf-8")
    return web.json_response({"token": token, **_preview(planned)})


def _apply(store, path: Path, expected: dict[str, Any], author: str, reason: str) -> int:
    from catalog import importer
    from catalog.errors import CatalogError

    planned = _plan(store, path)
    if _fingerprint(planned) != expected:
        raise CatalogError("预览之后目录已有变化，请重新上传并预览")
    return importer.apply(store, planned, author, reason)


@staff("maintainer")
async def apply(request: web.Request) -> web.Response:
    body = await json_body(request)
    reason = reason_of(body)
    token = request.match_info["token"]
    folder = _upload_dir(request)
    plan_file = folder / f"{token}.plan.json"
    # The upload is {token}{suffix}; the plan beside it also ends in a suffix the importer reads (.json),
    # so it is named out explicitly: before, the directory's order decided which of the two was read.
    found = [p for p in folder.glob(f"{token}.*") if p.suffix in SUFFIXES and p != plan_file] \
        if len(token) == 32 else []
    if not found or not plan_file.exists():
        raise ApiError(404, "not_found", "没有这次上传，请重新上传文件")
    expected = json.loads(plan_file.read_text(encoding="utf-8"))
    written = await catalog_call(request, _apply, request.app[store_key], found[0], expected,
                                  actor(request), reason)
    for path in (found[0], plan_file):
        path.unlink(missing_ok=True)
    await blocking(request, request.app[staff_key].audit.record, actor(request), "catalog_import",
                   f"{written} 条", {"added": expected["added"], "changed": expected["changed"], "reason": reason})
    return web.json_response({"written": written, "message": f"已导入，{written} 个条目有变化"})
