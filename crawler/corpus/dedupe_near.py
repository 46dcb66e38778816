"""``python -m crawler dedupe-near``: link near-duplicate articles into clusters (see crawler/corpus/neardup.py).

Crawls do this batch by batch as they store articles (pipelines/neardup.py); the command catches up a database
written with ``NEAR_DUPLICATES`` off, or one made before the feature, and lists the clusters. ``--window-days``
compares articles published further apart than the crawls' 30 days; with ``--relink`` the articles signed already
are compared again with it (their signatures stay).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    parser.add_argument("--quiet", action="store_true", help="do not list the clusters")
    parser.add_argument(
        "--window-days",
        type=_days,
        metavar="N",
        help="compare articles published at most N days apart (default: the NEAR_DUPLICATE_WINDOW_DAYS setting, 30)",
    )
    parser.add_argument(
        "--relink",
        action="store_true",
        help="also compare the articles linked already again (after a wider --window-days); clusters only grow",
    )


def _days(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"not a number of days (0 or more): {value!r}")
    return int(value)


def run(args: argparse.Namespace) -> int:
    from crawler import settings
    from crawler.corpus.commands import open_existing
    from crawler.corpus.neardup import clusters, relink_all, update_near_duplicates

    window = args.window_days if args.window_days is not None else settings.NEAR_DUPLICATE_WINDOW_DAYS
    with open_existing(args) as db:
        signed, linked = update_near_duplicates(db, window_days=window)
        if args.relink:
            linked += relink_all(db, window_days=window)
        groups = clusters(db)
    print(f"signed {signed} articles, {linked} joined a cluster; {len(groups)} clusters of near-duplicates")
    if not args.quiet:
        for members in groups:
            print(f"cluster {members[0]['id']}:")
            for member in members:
                print(f"  {member['id']:>6} {member['outlet']:<12} {member['title']}")
    return 0
