"""A stand-in for actions.booking_client in the booking action tests: a real timetable, no server."""

from __future__ import annotations

from typing import Any

from actions import booking_client

FREE = ["09:00-09:30", "09:30-10:00", "14:00-14:30", "14:30-15:00"]


class FakeBooking:
    def __init__(self) -> None:
        self.full_days: set[str] = set()
        self.booked: list[dict[str, Any]] = []
        self.cancelled: list[str] = []

    async def slots(self, service_id: str, day: str, hall: str | None = None) -> dict[str, Any]:
        if day.startswith("2027"):
            raise booking_client.Refused(409, "calendar_not_covered", "2027 年的法定节假日安排还没有收录，暂时不能预约这一天。")
        remaining = 0 if day in self.full_days else 3
        return {"service_id": service_id, "date": day, "halls": ["江阴市民中心"],
                "slots": [{"hall": "江阴市民中心", "slot": s, "capacity": 3, "remaining": remaining} for s in FREE]}

    async def book(self, request: dict[str, Any]) -> dict[str, Any]:
        self.booked.append(request)
        return {"code": "K7M2QX", "service_id": request["service_id"], "service_name": "居住证申领",
                "hall": request["hall"], "date": request["date"], "slot": request["slot"], "name": "张*",
                "phone": "139****5678", "address": request.get("address", ""), "town": "", "status": "booked"}

    async def show(self, code: str, phone: str) -> dict[str, Any]:
        if (code, phone) != ("K7M2QX", "13912345678"):
            raise booking_client.Refused(404, "booking_not_found", "没有找到这个预约：请核对预约码和预约时留的手机号。")
        return {"code": code, "service_id": "gov-residence-permit", "service_name": "居住证申领",
                "hall": "江阴市民中心", "date": "2026-11-30", "slot": "09:00-09:30", "name": "张*",
                "phone": "139****5678", "address": "", "town": "", "status": "booked"}

    async def cancel(self, code: str, phone: str) -> dict[str, Any]:
        shown = await self.show(code, phone)
        self.cancelled.append(code)
        return {**shown, "status": "cancelled"}
