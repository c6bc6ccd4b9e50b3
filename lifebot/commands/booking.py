"""`lifebot booking`: staff tools for a hall's appointments (list a day, export CSV)."""

from __future__ import annotations

import csv
import sys
from datetime import date

import click

COLUMNS = ("slot", "code", "service_id", "service_name", "name", "phone", "id_number", "address", "status",
           "channel", "created_at")


def _store(settings):
    from booking.policy import Policy
    from booking.store import BookingStore
    from catalog.store import CatalogStore

    catalog = CatalogStore(settings.db_url)
    return BookingStore(settings.db_url, catalog.get, Policy.from_settings(settings.booking)), catalog


def _rows(settings, hall: str, day: date, include_cancelled: bool):
    from booking.halls import HOME, Places

    if hall != HOME and hall not in Places().halls:
        raise click.BadParameter(f"没有叫“{hall}”的大厅；可选：{'、'.join(Places().halls)}、{HOME}", param_hint="HALL")
    store, catalog = _store(settings)
    try:
        return store.day_list(hall, day, include_cancelled)
    finally:
        store.close()
        catalog.close()


DAY = click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None,
                   help="哪一天，如 2026-12-03（默认今天）。")


def _day(value) -> date:
    from datetime import datetime

    from booking.dates import JIANGYIN

    return value.date() if value else datetime.now(JIANGYIN).date()


@click.group()
def booking() -> None:
    """大厅工作人员的预约工具：查看某天的预约、导出 CSV。

    Example: lifebot booking list 江阴市民中心 --date 2026-12-03
    """


@booking.command("list")
@click.argument("hall")
@DAY
@click.option("--all", "include_cancelled", is_flag=True, help="连已取消的预约一起列出。")
@click.pass_obj
def list_day(settings, hall: str, day, include_cancelled: bool) -> None:
    """列出一个大厅某天的预约（按时段；手机号打码显示）。

    Example: lifebot booking list 华士镇政务服务中心 --date 2026-12-03
    """
    from booking.policy import mask_name
    from lifebot.privacy import mask_phone

    rows = _rows(settings, hall, _day(day), include_cancelled)
    click.echo(f"{hall} {_day(day).isoformat()}：{len(rows)} 个预约")
    for row in rows:
        click.echo(f"{row.slot}  {row.code}  {row.service_name}  {mask_name(row.name)}  {mask_phone(row.phone)}"
                   + ("" if row.status == "booked" else "  （已取消）"))


@booking.command("export")
@click.argument("hall")
@DAY
@click.option("--all", "include_cancelled", is_flag=True, help="连已取消的预约一起导出。")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="写到文件（默认输出到屏幕）。")
@click.pass_obj
def export(settings, hall: str, day, include_cancelled: bool, output: str | None) -> None:
    """导出一个大厅某天的预约为 CSV（含姓名、手机号，供工作人员联系；身份证号只有打码形式）。

    Example: lifebot booking export 江阴市民中心 --date 2026-12-03 -o 预约.csv
    """
    rows = _rows(settings, hall, _day(day), include_cancelled)
    handle = open(output, "w", newline="", encoding="utf-8-sig") if output else sys.stdout
    try:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([getattr(row, column) for column in COLUMNS])
    finally:
        if output:
            handle.close()
    if output:
        click.echo(f"已导出 {len(rows)} 个预约到 {output}", err=True)
