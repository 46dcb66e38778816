"""Publication dates: Vietnamese date lines and machine-readable meta values, all returned as ISO 8601 in +07:00.

Forms seen on the four outlets (``shared/outlets/*.md``)::

    ANTV         Thứ Tư, 14/01/2026 03:19 GMT+7            (also the header render date: never use that one)
    CLO          Thứ ba, 03/12/2024 11:19 AM - 0 Trả lời   (12-hour clock, comment counter tail)
    TG&VN        16/11/2024 10:30  or  10:30 16/11/2024    (span.format_time, both orders on MasterCMS)
    Kinhtedothi  Thứ Hai, 08:54 27/12/2021
    old layouts  08-11-2020 15:11, 27/12/2021, "ngày 27 tháng 12 năm 2021"

The parser does not depend on the weekday (it is dropped) nor on the order of date and time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from crawler.extraction.text import normalize
from crawler.vietnam_time import VN_TZ

_DATE = r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>\d{4})"
_DATE_WORDS = r"ngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})"
_TIME = (
    r"(?P<hour>\d{1,2})\s*[:hg]\s*(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?|SA|CH|sáng|chiều|tối)(?!\w))?"
)
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_DATE_RE = re.compile(_DATE)
_DATE_WORDS_RE = re.compile(_DATE_WORDS, re.IGNORECASE)
_TIME_RE = re.compile(_TIME)
# "- 0 Trả lời", "| 3 bình luận", "GMT+7", "(GMT+07:00)", "UTC+7": tails that are not part of the time.
_TAILS = re.compile(
    r"(?:[-|–]\s*)?\d+\s*(?:trả lời|bình luận|comments?)\b.*$"
    r"|\(?\s*(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?\s*\)?",
    re.IGNORECASE,
)
_PM = {"pm", "p.m.", "p.m", "ch", "chiều", "tối"}
_AM = {"am", "a.m.", "a.m", "sa", "sáng"}


def parse_vietnamese_date(text: str | None) -> str | None:
    """The date and time written in ``text`` as ISO 8601 with +07:00, or None when it holds no full date.

    A date without a time gives midnight. Dates outside 1990-2100 and impossible dates give None."""
    text = normalize(text)
    if not text:
        return None
    text = _TAILS.sub(" ", text)
    iso = parse_iso(text) if _ISO.search(text) and not _DATE_RE.search(text) else None
    if iso:
        return iso
    match = _DATE_RE.search(text) or _DATE_WORDS_RE.search(text)
    if not match:
        return None
    day, month, year = int(match["day"]), int(match["month"]), int(match["year"])
    rest = text[: match.start()] + " " + text[match.end() :]
    hour = minute = second = 0
    if time := _TIME_RE.search(rest):
        hour, minute = int(time["hour"]), int(time["minute"])
        second = int(time["second"] or 0)
        ampm = (time["ampm"] or "").replace(" ", "").lower()
        if ampm in _PM and hour < 12:
            hour += 12
        elif ampm in _AM and hour == 12:
            hour = 0
    return _iso(year, month, day, hour, minute, second)


def parse_iso(value: str | None) -> str | None:
    """A machine-readable date (meta ``article:published_time``, JSON-LD, ``time@datetime``) in +07:00.

    Values without a zone are taken as Vietnamese local time; values with another zone are converted."""
    value = normalize(value)
    match = _ISO.search(value) if value else None
    if not match:
        return parse_vietnamese_date(value) if value and _DATE_RE.search(value) else None
    try:
        moment = datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"] or 0),
            int(match["minute"] or 0),
            int(match["second"] or 0),
        )
    except ValueError:
        return None
    tz = match["tz"]
    if tz:
        if tz == "Z":
            offset = UTC
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))
        moment = moment.replace(tzinfo=offset).astimezone(VN_TZ)
    else:
        moment = moment.replace(tzinfo=VN_TZ)
    return _format(moment)


def _iso(year: int, month: int, day: int, hour: int, minute: int, second: int) -> str | None:
    if not 1990 <= year <= 2100:
        return None
    try:
        return _format(datetime(year, month, day, hour, minute, second, tzinfo=VN_TZ))
    except ValueError:
        return None


def _format(moment: datetime) -> str | None:
    if not 1990 <= moment.year <= 2100:
        return None
    return moment.isoformat(timespec="seconds")
