"""Outlet and date filters shared by ``search``, ``export``, ``stats`` and ``report``: :class:`ArticleFilter`, the
SQL it stands for (:func:`where`), and its command-line options (:func:`add_filter_arguments`, read back into a
filter by :func:`article_filter`, the one place a command's parsed arguments become a filter).

An article's date is its publication date in Vietnam time (the date part of ``published``); for an article whose
page states none, the UTC date it was first stored (``first_seen``). It is the column
``articles.article_date`` (kept by triggers, indexed; migration ``article_date``), so that every command and
Datasette agree on it.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date

from crawler import outlets


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a corpus function reads; the default selects every article."""

    outlets: tuple[str, ...] = ()
    """Only these outlets (spider names); empty: all."""
    since: str | None = None
    """Only articles dated on or after this day (``YYYY-MM-DD``)."""
    until: str | None = None
    """Only articles dated on or before this day (``YYYY-MM-DD``)."""


ALL_ARTICLES = ArticleFilter()


def article_date_sql(alias: str = "articles") -> str:
    return f"{alias}.article_date"


def where(selected: ArticleFilter, alias: str = "articles") -> tuple[str, dict[str, object]]:
    """SQL conditions (joined by AND, "1" when none) with named parameters (``:outlet0``, ``:since``, ``:until``)
    for the articles ``selected``."""
    conditions: list[str] = []
    params: dict[str, object] = {}
    if selected.outlets:
        names = [f"outlet{i}" for i in range(len(selected.outlets))]
        conditions.append(f"{alias}.outlet IN ({', '.join(':' + name for name in names)})")
        params.update(zip(names, selected.outlets))
    if selected.since:
        conditions.append(f"{article_date_sql(alias)} >= :since")
        params["since"] = selected.since
    if selected.until:
        conditions.append(f"{article_date_sql(alias)} <= :until")
        params["until"] = selected.until
    return (" AND ".join(conditions) or "1"), params


# --- command line ----------------------------------------------------------------------------------------------------


def iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--outlet",
        action="append",
        choices=outlets.names(),
        metavar="OUTLET",
        help=f"only this outlet ({', '.join(outlets.names())}); repeat for several",
    )
    parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="only articles dated on or after")
    parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="only articles dated on or before")


def article_filter(args: argparse.Namespace) -> ArticleFilter:
    """The filter the options of :func:`add_filter_arguments` ask for."""
    return ArticleFilter(outlets=tuple(args.outlet or ()), since=args.since, until=args.until)
