"""Outlet and date filters shared by ``search``, ``export``, ``stats`` and ``report``.

An article's date is its publication date in Vietnam time (the date part of ``published``); for an article whose
page states none, the UTC date it was first stored (``first_seen``). It is the column
``articles.article_date`` (kept by triggers, indexed; migration ``article_date``), so that every command and
Datasette agree on it.
"""

from __future__ import annotations

import argparse
from datetime import date

from crawler import outlets


def article_date_sql(alias: str = "articles") -> str:
    return f"{alias}.article_date"


def iso_date(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--outlet", action="append", choices=outlets.names(), metavar="OUTLET",
                        help=f"only this outlet ({', '.join(outlets.names())}); repeat for several")
    parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="only articles dated on or after")
    parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="only articles dated on or before")


def where(args: argparse.Namespace, alias: str = "articles") -> tuple[str, dict[str, object]]:
    """SQL conditions (joined by AND, "1" when none) with named parameters (``:outlet0``, ``:since``, ``:until``)
    for the filters in ``args``."""
    conditions: list[str] = []
    params: dict[str, object] = {}
    outlets = getattr(args, "outlet", None)
    if outlets:
        names = [f"outlet{i}" for i in range(len(outlets))]
        conditions.append(f"{alias}.outlet IN ({', '.join(':' + name for name in names)})")
        params.update(zip(names, outlets))
    if getattr(args, "since", None):
        conditions.append(f"{article_date_sql(alias)} >= :since")
        params["since"] = args.since
    if getattr(args, "until", None):
        conditions.append(f"{article_date_sql(alias)} <= :until")
        params["until"] = args.until
    return (" AND ".join(conditions) or "1"), params
