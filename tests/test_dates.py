"""Vietnamese date lines of the four outlets, and machine-readable dates, to ISO 8601 in +07:00."""

import pytest

from crawler.extraction.dates import parse_iso, parse_vietnamese_date


@pytest.mark.parametrize(
    "text, expected",
    [
        # ANTV: weekday capitalised, 24-hour clock, GMT+7 tail
        ("Thứ Tư, 14/01/2026 03:19 GMT+7", "2026-01-14T03:19:00+07:00"),
        ("Chủ Nhật, 18/01/2026 16:20 GMT+7", "2026-01-18T16:20:00+07:00"),
        ("Thứ Bảy, 17/01/2026 11:00 (GMT+07:00)", "2026-01-17T11:00:00+07:00"),
        # CLO: lower-case weekday, 12-hour clock, comment counter tail
        ("Thứ ba, 03/12/2024 11:19 AM - 0 Trả lời", "2024-12-03T11:19:00+07:00"),
        ("Thứ sáu, 21/04/2023 09:40 AM - 0 Trả lời", "2023-04-21T09:40:00+07:00"),
        ("Chủ nhật, 01/12/2024 12:05 AM - 3 Trả lời", "2024-12-01T00:05:00+07:00"),
        ("Thứ hai, 02/12/2024 12:30 PM - 12 Trả lời", "2024-12-02T12:30:00+07:00"),
        ("Thứ tư, 04/12/2024 11:59 PM", "2024-12-04T23:59:00+07:00"),
        ("Thứ năm, 05/12/2024 01:00 PM - 1 Trả lời", "2024-12-05T13:00:00+07:00"),
        # TG&VN span.format_time, both orders
        ("16/11/2024 10:30", "2024-11-16T10:30:00+07:00"),
        ("10:30 16/11/2024", "2024-11-16T10:30:00+07:00"),
        # Kinhtedothi: weekday, time, date
        ("Thứ Hai, 08:54 27/12/2021", "2021-12-27T08:54:00+07:00"),
        ("Chủ Nhật, 00:05 02/01/2022", "2022-01-02T00:05:00+07:00"),
        # older layouts and variants
        ("08-11-2020 15:11", "2020-11-08T15:11:00+07:00"),
        ("Cập nhật: 14h30 ngày 05/06/2023", "2023-06-05T14:30:00+07:00"),
        ("ngày 27 tháng 12 năm 2021", "2021-12-27T00:00:00+07:00"),
        ("27/12/2021", "2021-12-27T00:00:00+07:00"),
    ],
)
def test_vietnamese_dates(text, expected):
    assert parse_vietnamese_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        None,
        "0 Trả lời",
        "26 Feb, 08:54 PM",
        "31/02/2024 10:00",
        "Thứ Hai",
        "Xã hội 13/13/2026",
    ],
)
def test_no_date(text):
    assert parse_vietnamese_date(text) is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-12-03T11:19:00+07:00", "2024-12-03T11:19:00+07:00"),
        ("2024-12-03T04:19:00Z", "2024-12-03T11:19:00+07:00"),
        ("2024-12-03T04:19:00.123+00:00", "2024-12-03T11:19:00+07:00"),
        ("2024-12-03 11:19", "2024-12-03T11:19:00+07:00"),
        ("2024-12-03", "2024-12-03T00:00:00+07:00"),
        ("2024-12-02T23:30:00-05:00", "2024-12-03T11:30:00+07:00"),
        ("03/12/2024 11:19", "2024-12-03T11:19:00+07:00"),
        ("not a date", None),
    ],
)
def test_iso_values(value, expected):
    assert parse_iso(value) == expected
