"""Maintainers' admin: browse, search and edit catalog entries; history with diffs; roll back.

Built on the catalog store: every write keeps the previous version with its author and reason, and
the same validation as ``lifebot catalog edit`` refuses a bad value before anything is written.
Fields travel in their text form (``catalog.fields.parse_value``), as a maintainer types them.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from api.auth import actor, blocking, staff
from api.errors import ApiError
from api.handlers.staff_io import catalog_call, int_param, json_body, reason_of
from api.typedefs import staff_key, store_key

READ_ROLES = ("maintainer", "reviewer")
MAX_LIMIT = 200


def _summary(entry) -> dict[str, Any]:
    return {"id": entry.id, "name": entry.name, "kind": entry.kind, "category": entry.category,
            "department": entry.department, "status": entry.status, "version": entry.version,
            "updated_at": entry.updated_at}


def _matches(entry, words: list[str]) -> bool:
    text = " ".join([entry.id, entry.name, entry.department, entry.category, *entry.aliases]).lower()
    return all(word in text for word in words)


@staff(*READ_ROLES)
async def browse(request: web.Request) -> web.Response:
    params = request.query
    limit = int_param(params.get("limit"), 50, "limit", MAX_LIMIT) or 50
    offset = int_param(params.get("offset"), 0, "offset", 10**6)
    words = [w for w in params.get("q", "").lower().split() if w][:10]
    entries = await blocking(request, request.app[store_key].entries, True)
    found = [e for e in entries if _matches(e, words)
             and (not params.get("kind") or e.kind == params["kind"])
             and (not params.get("status") or e.status == params["status"])]
    return web.json_response({"total": len(found), "offset": offset,
                              "items": [_summary(e) for e in found[offset:offset + limit]]})


def _detail(store, entry_id: str) -> dict[str, Any]:
    from catalog.errors import NotFound
    from catalog.fields import FIELD_NAMES, LABELS, NOT_EDITABLE, format_value
    from catalog.history import changes

    entry = store.get(entry_id)
    if entry is None:
        raise NotFound("没有这个条目")
    data = entry.to_dict()
    return {"entry": data, "labels": LABELS,
            "fields": {name: format_value(name, data[name]) for name in FIELD_NAMES if name not in NOT_EDITABLE},
            "history": list(reversed(changes(store.history(entry_id))))}


@staff(*READ_ROLES)
async def detail(request: web.Request) -> web.Response:
    return web.json_response(await catalog_call(request, _detail, request.app[store_key],
                                                 request.match_info["id"]))


def _edit(store, entry_id: str, texts: dict[str, Any], base_version: Any, author: str, reason: str):
    from catalog.errors import CatalogError, InvalidEntry
    from catalog.fields import NOT_EDITABLE, entry_from_document, parse_value
    from catalog.validate import check_in_catalog, load_categories, load_departments

    problems, changes = [], {}
    for name, text in texts.items():
        if name in NOT_EDITABLE:
            problems.append(f"字段 {name} 不能在这里修改：{NOT_EDITABLE[name]}")
        elif not isinstance(text, str):
            problems.append(f"字段 {name} 应以文本提交")
        else:
            try:
                changes[name] = parse_value(name, text)
            except InvalidEntry as exc:
                problems.extend(exc.problems)
    if problems:
        raise InvalidEntry(problems)
    current = store.require(entry_id)
    if base_version is not None and base_version != current.version:
        raise CatalogError(f"条目已被他人改到第 {current.version} 版，请刷新后再改")
    entry = entry_from_document({**current.to_dict(), **changes})
    report = check_in_catalog(store.entries(include_retired=True), entry, load_departments(), load_categories())
    if report.errors:
        raise InvalidEntry([str(p) for p in report.errors])
    saved = store.update(entry_id, changes, author, reason)
    return saved, sorted(changes)


async def _audited(request: web.Request, action: str, entry_id: str, detail: dict[str, Any]) -> None:
    await blocking(request, request.app[staff_key].audit.record, actor(request), action, entry_id, detail)


@staff("maintainer")
async def edit(request: web.Request) -> web.Response:
    body = await json_body(request)
    fields, reason = body.get("fields"), reason_of(body)
    if not isinstance(fields, dict) or not fields:
        raise ApiError(400, "bad_parameter", "请提交要修改的字段")
    entry_id = request.match_info["id"]
    saved, names = await catalog_call(request, _edit, request.app[store_key], entry_id, fields,
                                       body.get("base_version"), actor(request), reason)
    if saved is None:
        return web.json_response({"changed": False, "message": "没有变化"})
    await _audited(request, "catalog_edit", entry_id, {"version": saved.version, "fields": names, "reason": reason})
    return web.json_response({"changed": True, "version": saved.version, "message": f"已保存为第 {saved.version} 版"})


@staff("maintainer")
async def rollback(request: web.Request) -> web.Response:
    body = await json_body(request)
    version, reason = body.get("version"), reason_of(body)
    if not isinstance(version, int) or isinstance(version, bool):
        raise ApiError(400, "bad_parameter", "请指定要回滚到的版本号")
    entry_id = request.match_info["id"]
    saved = await catalog_call(request, request.app[store_key].rollback, entry_id, version,
                                actor(request), reason)
    if saved is None:
        return web.json_response({"changed": False, "message": f"条目已经是第 {version} 版的内容"})
    await _audited(request, "catalog_rollback", entry_id, {"to_version": version, "version": saved.version,
                                                           "reason": reason})
    return web.json_response({"changed": True, "version": saved.version,
                              "message": f"已回滚到第 {version} 版的内容（新版本 {saved.version}）"})


@staff("maintainer")
async def set_status(request: web.Request) -> web.Response:
    body = await json_body(request)
    status, reason = body.get("status"), reason_of(body)
    if status not in ("active", "retired"):
        raise ApiError(400, "bad_parameter", "状态只能是 active（启用）或 retired（停用）")
    entry_id = request.match_info["id"]
    saved = await catalog_call(request, request.app[store_key].set_status, entry_id, status,
                                actor(request), reason)
    await _audited(request, f"catalog_{'retire' if status == 'retired' else 'restore'}", entry_id,
                   {"version": saved.version, "reason": reason})
    return web.json_response({"changed": True, "version": saved.version})
