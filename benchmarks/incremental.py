"""Incremental cost: scheduled recrawls of a crawled replica that keeps publishing (``ReplicaServer.publish``, as
tests/test_incremental.py uses it). Each round publishes the same number of new articles per outlet, then runs the
``crawl`` command with the scheduled run's settings (re-checks of recent articles included).

``python -m benchmarks.incremental [--articles N] [--published K] [--rounds R]``

Figures per round: requests per new article (every request the replica served, over the articles stored), the
requests that were not for a new article (discovery pages, conditional re-checks), and re-downloads: stored
articles' pages served again with a body (status 200). A re-check answered 304 is a request but no re-download.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path

from benchmarks.common import article_requests, machine, measured_crawl
from benchmarks.crawl import fresh_dir
from crawler.replica.server import ReplicaServer

#: New articles per outlet between two runs: a big outlet's output between two cron runs two hours apart.
DEFAULT_PUBLISHED = 100
DEFAULT_ROUNDS = 3


@dataclasses.dataclass
class RecrawlFigures:
    round: int
    published: int
    stored: int
    requests: int
    not_modified: int
    redownloads: int
    exit_code: int

    @property
    def requests_per_new_article(self) -> float:
        return self.requests / max(1, self.stored)


def recrawl_rounds(
    replica: ReplicaServer, database: Path, workdir: Path, published_per_outlet: int, rounds: int
) -> list[RecrawlFigures]:
    """``rounds`` times: publish ``published_per_outlet`` articles per outlet, recrawl, count. ``database`` holds a
    complete crawl of ``replica`` already."""
    figures = []
    for number in range(1, rounds + 1):
        before = replica_paths(replica)
        replica.publish(published_per_outlet)
        # Told apart by difference: from its second call on, publish() returns earlier rounds' articles.
        new_paths = replica_paths(replica) - before
        log_start = len(replica.access_log)
        crawl = measured_crawl(f"recrawl {number}", replica, database, fresh_dir(workdir / f"recrawl-{number}"))
        pages = article_requests(replica, replica.access_log[log_start:])
        figures.append(
            RecrawlFigures(
                round=number,
                published=len(new_paths),
                stored=crawl.stored,
                requests=crawl.requests,
                not_modified=sum(1 for _, _, status in pages if status == 304),
                redownloads=sum(
                    1 for outlet, path, status in pages if status == 200 and (outlet, path) not in new_paths
                ),
                exit_code=crawl.exit_code,
            )
        )
    return figures


def replica_paths(replica: ReplicaServer) -> set[tuple[str, str]]:
    """``(outlet, path)`` of every article the replica serves."""
    return {(site.name, path) for site in replica.sites.values() for path in site.by_path}


def table(figures: list[RecrawlFigures], stored_before: int) -> str:
    lines = [
        f"Steady-state recrawl of a complete crawl ({stored_before:,} articles), 4 outlets (one run)",
        "",
        "| round | published | stored | requests | requests/new article | other requests | 304 re-checks "
        "| re-downloads | exit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in figures:
        lines.append(
            f"| {row.round} | {row.published} | {row.stored} | {row.requests} "
            f"| {row.requests_per_new_article:.3f} | {row.requests - row.stored} | {row.not_modified} "
            f"| {row.redownloads} | {row.exit_code} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="articles per outlet of the first, full crawl")
    parser.add_argument("--published", type=int, default=DEFAULT_PUBLISHED, help="new articles per outlet per round")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    parser.add_argument("--quick", action="store_true", help="100 articles, 20 published, 2 rounds")
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.published, args.rounds = 100, 20, 2
    workdir = fresh_dir(args.workdir or Path(tempfile.mkdtemp(prefix="bench-incremental-")))
    print(machine())
    with ReplicaServer(articles_per_outlet=args.articles) as replica:
        database = workdir / "articles.db"
        first = measured_crawl("full crawl", replica, database, fresh_dir(workdir / "full"))
        figures = recrawl_rounds(replica, database, workdir, args.published, args.rounds)
    print(table(figures, first.stored))
    return 0 if first.exit_code == 0 and all(row.exit_code == 0 for row in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
