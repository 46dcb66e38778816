"""The near-duplicate clusters of the replica corpus, written to a JSON file, to compare two versions of the code.

``python -m benchmarks.neardup_clusters --articles 1000 --output clusters.json [--db PATH]``

The replica articles of the four outlets (``replica_articles(outlet, N)``, exactly what the replica serves) are
stored in a new database and :func:`crawler.corpus.neardup.update_near_duplicates` signs and links them, outlet by
outlet as the crawl's pipelines do. Written: the clusters as sorted lists of URLs, and the CPU seconds of the
signing and linking. Run the same module with another checkout's interpreter (e.g. the base commit's) and compare
the two files with ``--compare OLD NEW``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from crawler import outlets
from crawler.corpus.neardup import clusters, update_near_duplicates
from crawler.items import Article
from crawler.replica.content import replica_articles
from crawler.storage import open_database, save_articles

OUTLETS = outlets.names()


def replica_items(articles_per_outlet: int) -> list[Article]:
    return [
        Article(
            outlet=replica.outlet,
            url=replica.url,
            native_id=replica.native_id,
            title=replica.title,
            lead=replica.lead,
            body="\n\n".join(replica.body),
            published=replica.published,
            fetched_at="2026-11-21T00:00:00+00:00",
        )
        for outlet in OUTLETS
        for replica in replica_articles(outlet, articles_per_outlet)
    ]


def replica_clusters(articles_per_outlet: int, database: Path) -> dict:
    items = replica_items(articles_per_outlet)
    with open_database(database) as db:
        save_articles(db, items)
        started = time.process_time()
        for outlet in OUTLETS:
            update_near_duplicates(db, outlet)
        seconds = time.process_time() - started
        groups = sorted(sorted(member["url"] for member in members) for members in clusters(db))
    return {"articles": len(items), "cpu_seconds": seconds, "clusters": groups}


def summary(label: str, result: dict) -> str:
    members = sum(len(group) for group in result["clusters"])
    return (
        f"| {label} | {result['articles']:,} | {len(result['clusters'])} | {members} "
        f"| {1000 * result['cpu_seconds'] / result['articles']:.2f} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles per outlet")
    parser.add_argument("--output", type=Path, help="write the clusters here (JSON)")
    parser.add_argument("--db", type=Path, help="the database to build (default: a temporary file)")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("OLD", "NEW"), help="compare two outputs")
    args = parser.parse_args(argv)
    if args.compare:
        old, new = (json.loads(path.read_text()) for path in args.compare)
        print("| code | articles | clusters | articles in clusters | CPU ms per article (sign and link) |")
        print("|---|---:|---:|---:|---:|")
        print(summary(str(args.compare[0]), old))
        print(summary(str(args.compare[1]), new))
        print(f"\nsame clusters: {'yes' if old['clusters'] == new['clusters'] else 'no'}")
        for group in old["clusters"]:
            if group not in new["clusters"]:
                print(f"only in {args.compare[0]}: {group}")
        for group in new["clusters"]:
            if group not in old["clusters"]:
                print(f"only in {args.compare[1]}: {group}")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-clusters-") as scratch:
        result = replica_clusters(args.articles, args.db or Path(scratch) / "replica.db")
    print(summary(f"{args.articles}/outlet", result))
    if args.output:
        args.output.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
