"""``python -m crawler dedupe-near``: link near-duplicate articles into clusters (see crawler/corpus/neardup.py).

Crawls do this batch by batch as they store articles (pipelines/neardup.py); the command catches up a database
written with ``NEAR_DUPLICATES`` off, or one made before the feature, and lists the clusters.
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="database (default: the DATABASE_PATH setting)")
    parser.add_argument("--quiet", action="store_true", help="do not list the clusters")


def run(args: argparse.Namespace) -> int:
    from crawler.corpus.commands import open_existing
    from crawler.corpus.neardup import clusters, update_near_duplicates

    with open_existing(args) as db:
        signed, linked = update_near_duplicates(db)
        groups = clusters(db)
    print(f"signed {signed} articles, {linked} joined a cluster; {len(groups)} clusters of near-duplicates")
    if not args.quiet:
        for members in groups:
            print(f"cluster {members[0]['id']}:")
            for member in members:
                print(f"  {member['id']:>6} {member['outlet']:<12} {member['title']}")
    return 0
