"""The outlet spiders' arguments (``scrapy crawl <outlet> -a name=value``, the ``crawl`` command's options), read
and checked in one place.

No Scrapy here: the ``crawl`` command's parent process checks its options with it before starting any spider, the
``scrapy crawl`` command (crawler/scrapy_commands/crawl.py) before starting the crawl, and the spider
(:class:`crawler.incremental.IncrementalSpider`) when it is created. A typo (``-a sinse=...``) would otherwise run
a full crawl, a negative ``max_articles`` store nothing, and ``since`` after ``until`` find nothing: all are refused
with :class:`SpiderArgumentError`, whose message is one line naming the argument and what it takes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from crawler.vietnam_time import VN_TZ

#: Every argument an outlet spider takes, and what it expects (for the error message).
ARGUMENTS = {
    "since": "YYYY-MM-DD",
    "until": "YYYY-MM-DD",
    "max_articles": "a positive whole number",
    "urls": "URL,URL,...",
    "backfill": "1 or 0",
}
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off", "")


class SpiderArgumentError(ValueError):
    """A spider argument that is unknown or has no valid value; the message is one line."""


@dataclass(frozen=True)
class SpiderArguments:
    since: datetime | None = None
    until: datetime | None = None
    """The start of the day after ``until`` (so ``until=2026-11-20`` includes all of the 20th)."""
    max_articles: int | None = None
    backfill: bool = False
    urls: list[str] = field(default_factory=list)
    given: dict[str, str] = field(default_factory=dict)
    """The arguments as given, empty ones left out (recorded in ``crawl_runs.arguments``)."""


def parse_moment(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An ISO date or date-time as an aware datetime. A bare date is a Vietnamese calendar day: its start, or with
    ``end_of_day`` the start of the next day (so ``until=2026-11-20`` includes all of the 20th)."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if len(text) == 10:
        day = date.fromisoformat(text)
        moment = datetime.combine(day, time(0), tzinfo=VN_TZ)
        return moment + timedelta(days=1) if end_of_day else moment
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


def spider_arguments(arguments: Mapping[str, object]) -> SpiderArguments:
    """Read the spider's keyword arguments; :class:`SpiderArgumentError` for the first bad one."""
    unknown = sorted(set(arguments) - set(ARGUMENTS))
    if unknown:
        raise SpiderArgumentError(f"unknown spider argument {unknown[0]!r}; known: {', '.join(ARGUMENTS)}")
    given = {name: str(value) for name, value in arguments.items() if value is not None and str(value) != ""}
    since, until = _moment(given, "since"), _moment(given, "until", end_of_day=True)
    if since and until and since >= until:
        raise SpiderArgumentError(f"since={given['since']} is after until={given['until']}: the range is empty")
    max_articles = None
    if "max_articles" in given:
        try:
            max_articles = int(given["max_articles"])
        except ValueError:
            max_articles = 0
        if max_articles < 1:
            raise SpiderArgumentError(f"max_articles={given['max_articles']}: expected {ARGUMENTS['max_articles']}")
    backfill = given.get("backfill", "").lower()
    if backfill not in TRUE_WORDS + FALSE_WORDS:
        raise SpiderArgumentError(f"backfill={given['backfill']}: expected {ARGUMENTS['backfill']}")
    urls = [url.strip() for url in given.get("urls", "").split(",") if url.strip()]
    return SpiderArguments(since, until, max_articles, backfill in TRUE_WORDS, urls, given)


def _moment(given: dict[str, str], name: str, *, end_of_day: bool = False) -> datetime | None:
    try:
        return parse_moment(given.get(name), end_of_day=end_of_day)
    except ValueError:
        raise SpiderArgumentError(f"{name}={given[name]}: not a date, expected {ARGUMENTS[name]}") from None
