"""A phone number is never read out of the middle of an ID number (found by the personal-data test:
the report form took 028119880715 from 320281198807154321 as the contact phone)."""

from __future__ import annotations

import pytest

from actions.report_form import PHONE as REPORT_PHONE
from booking.policy import PHONE as BOOKING_PHONE

ID_NUMBER = "320281198807154321"


@pytest.mark.parametrize("pattern", [REPORT_PHONE, BOOKING_PHONE], ids=["report", "booking"])
def test_no_phone_inside_an_id_number(pattern):
    assert pattern.search(f"我身份证号{ID_NUMBER}") is None
    assert pattern.search(f"身份证{ID_NUMBER}，手机13957712468").group(0) == "13957712468"


def test_report_still_takes_a_landline():
    assert REPORT_PHONE.search("电话0510-86860001").group(0) == "0510-86860001"
