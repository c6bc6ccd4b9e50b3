"""`lifebot tickets`: staff look at tickets and move them through their statuses."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click

STATUSES = ["received", "dispatched", "in_progress", "resolved", "closed"]


def _store(settings):
    from routing.tickets.store import TicketStore

    return TicketStore(settings.db_url)


def _fail(exc) -> None:
    click.echo(f"错误：{exc.message}（{exc.code}）", err=True)
    sys.exit(2)


def _show(ticket, as_json: bool) -> None:
    data = ticket.to_dict(full_contact=True)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"工单 {data['number']}  {data['status_label']}  {data['category']}  {data['team'] or data['department']}")
    click.echo(f"  内容：{data['text']}")
    click.echo(f"  网格：{data['grid']['name'] if data['grid'] else '未定'}  联系：{data['contact']['phone']}  "
               f"办理时限：{data['due_at']}" + (f"  承诺回电：{data['callback_by']}" if data["callback_by"] else ""))
    for h in data["history"]:
        click.echo(f"  {h['at']}  {h['label']}  {h['actor']}  {h['note']}")


@click.group()
def tickets() -> None:
    """工单：查看、列出、改状态（工作人员用）。

    Example: lifebot tickets status 202611270001 in_progress --by 城管局张三 --note 已到现场
    """


@tickets.command("show")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
@click.pass_obj
def show(settings, number: str, as_json: bool) -> None:
    """查看一张工单及其状态历史。

    Example: lifebot tickets show 202611270001
    """
    from routing.tickets.validate import TicketError

    try:
        _show(_store(settings).get(number), as_json)
    except TicketError as exc:
        _fail(exc)


@tickets.command("list")
@click.option("--status", type=click.Choice(STATUSES), default=None, help="只看某个状态。")
@click.option("--department", default=None, help="只看某个部门（全称）。")
@click.option("--overdue", is_flag=True, help="只看过了办理时限还没办结的工单。")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 1000))
@click.pass_obj
def list_tickets(settings, status: str | None, department: str | None, overdue: bool, limit: int) -> None:
    """列出最近的工单：工单号、状态、类别、承办、办理时限（超时的标“已超时”）、内容。

    Example: lifebot tickets list --overdue
    """
    from routing.tickets.lifecycle import overdue as is_overdue

    now = datetime.now().astimezone()
    for ticket in _store(settings).list(status, department, limit, overdue_at=now if overdue else None):
        r = ticket.to_dict()
        due = r["due_at"][5:16].replace("T", " ") + (" 已超时" if is_overdue(r["status"], r["due_at"], now) else "")
        click.echo(f"{r['number']}  {r['status_label']:<4}  {r['category']:<6}  {r['team'] or r['department']}  "
                   f"时限 {due}  {r['text'][:30]}")


@tickets.command("status")
@click.argument("number")
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--by", "actor", required=True, help="操作人（部门和姓名）。")
@click.option("--note", default="", help="说明，例如处理结果。")
@click.pass_obj
def set_status(settings, number: str, status: str, actor: str, note: str) -> None:
    """把工单改到下一个状态（已受理→已派单→处理中→已办结→已关闭）。

    Example: lifebot tickets status 202611270001 resolved --by 城管局张三 --note 油烟净化器已安装
    """
    from routing.tickets.validate import TicketError

    try:
        _show(_store(settings).transition(number, status, actor, note), False)
    except TicketError as exc:
        _fail(exc)
