"""``python -m crawler <command>``: the operator's entry point.

Commands:

``demo``     crawl the offline replicas of the four outlets into a database and print what was stored;
``replica``  run the replica server in the foreground, for ``scrapy crawl <outlet> -s REPLICA_URL=...`` by hand;
``crawl``    scheduled runs: one ``scrapy crawl`` per outlet in parallel, recorded in ``crawl_runs``
             (crawler/crawl_command.py);
``drain``    distributed mode: the one writer of the items workers queue in Redis (crawler/distributed/);
``extract``  print the article of a saved HTML page as JSON; ``evaluate``  score extraction, write a report
             (crawler/extract_command.py, crawler/evaluation.py).

Adding a command: write ``run_<name>(args) -> int`` and register its sub-parser in :func:`build_parser` with
``set_defaults(run=run_<name>)``. Scrapy and the replica are imported inside the commands, so that ``--help`` and
argument errors answer at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

DEFAULT_ARTICLES_PER_OUTLET = 50
DEFAULT_REPLICA_PORT = 8800

#: Overrides for a crawl of the local replica: politeness delays protect live sites, not a server on this machine,
#: and INFO logs of four spiders would bury the summary.
REPLICA_DEMO_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "LOG_LEVEL": "WARNING",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m crawler",
        description="Polite, incremental crawler for ANTV, CLO, TG&VN and Kinhtedothi into a SQLite corpus.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="<command>")

    demo = commands.add_parser(
        "demo",
        help="crawl the offline replicas of all four outlets and print a summary",
        description="Start the replica server, crawl all four outlets from it in one process, store the articles "
        "and print a per-outlet summary. Running it again on the same database adds no row.",
    )
    demo.add_argument("--db", metavar="PATH", help="SQLite database to write (default: the DATABASE_PATH setting, "
                      "output/articles.db)")
    demo.add_argument("--articles", metavar="N", type=positive_int, default=DEFAULT_ARTICLES_PER_OUTLET,
                      help=f"articles per outlet in the replica (default: {DEFAULT_ARTICLES_PER_OUTLET})")
    demo.set_defaults(run=run_demo)

    replica = commands.add_parser(
        "replica",
        help="serve the offline replicas in the foreground",
        description="Serve the offline replicas of the four outlets until interrupted. Crawl them with "
        "`scrapy crawl <outlet> -s REPLICA_URL=http://127.0.0.1:PORT`.",
    )
    replica.add_argument("--port", type=int, default=DEFAULT_REPLICA_PORT,
                         help=f"port to listen on (default: {DEFAULT_REPLICA_PORT})")
    replica.add_argument("--articles", metavar="N", type=positive_int, default=DEFAULT_ARTICLES_PER_OUTLET,
                         help=f"articles per outlet (default: {DEFAULT_ARTICLES_PER_OUTLET})")
    replica.set_defaults(run=run_replica)

    from crawler.crawl_command import add_parser as add_crawl_parser  # scheduled runs: crawler/crawl_command.py

    add_crawl_parser(commands)
    from crawler.corpus.commands import add_commands  # search, export, stats, report, reextract, dedupe-near

    add_commands(commands)
    from crawler.distributed.command import add_parser as add_drain_parser  # crawler/distributed/command.py

    add_drain_parser(commands)
    from crawler.extract_command import add_commands as add_extraction_commands  # extract, evaluate

    add_extraction_commands(commands)
    return parser


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


# --- demo ----------------------------------------------------------------------------------------------------------


@dataclass
class OutletRun:
    """What one spider of the demo did, read from its crawler's stats after the crawl."""

    outlet: str
    finish_reason: str | None
    new: int
    already_stored: int
    failures: dict[str, int] = field(default_factory=dict)
    spider_exceptions: int = 0
    write_errors: int = 0

    @classmethod
    def of(cls, crawler: Crawler) -> OutletRun:
        from crawler.runs import ITEM_ERRORS_STAT

        stats = crawler.stats.get_stats()
        return cls(
            outlet=crawler.spidercls.name,
            finish_reason=stats.get("finish_reason"),
            new=stats.get("articles/new", 0),
            # Stored before this run: re-crawled, skipped before download (crawler/incremental.py), or 304 to a re-check.
            already_stored=stats.get("articles/duplicate", 0) + stats.get("incremental/skipped", 0)
            + stats.get("incremental/not_modified", 0),
            failures={key.removeprefix("failures/"): count for key, count in sorted(stats.items())
                      if key.startswith("failures/")},
            spider_exceptions=stats.get("spider_exceptions/count", 0),
            write_errors=stats.get("storage/write_errors", 0) + stats.get(ITEM_ERRORS_STAT, 0),
        )

    @property
    def failed(self) -> bool:
        """The spider did not run to its end, raised in a callback, lost items it could not store, or found no
        article at all. (Single pages that failed are the crawl working as intended: they are recorded.)"""
        found_articles = self.new + self.already_stored > 0
        errors = self.spider_exceptions + self.write_errors
        return self.finish_reason != "finished" or errors > 0 or not found_articles


def run_demo(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawler.replica.server import ReplicaServer

    settings = project_settings()
    database = Path(args.db or settings["DATABASE_PATH"]).resolve()
    with ReplicaServer(articles_per_outlet=args.articles) as replica:
        settings.setdict(
            {**REPLICA_DEMO_SETTINGS, "REPLICA_URL": replica.url, "DATABASE_PATH": str(database)}, priority="cmdline"
        )
        process = CrawlerProcess(settings)
        # Kept here: the process forgets its crawlers, and their stats, once they finish.
        crawlers = [process.create_crawler(name) for name in sorted(process.spider_loader.list())]
        for crawler in crawlers:
            process.crawl(crawler)
        process.start()
    runs = [OutletRun.of(crawler) for crawler in crawlers]
    print(summary(runs, stored_per_outlet(database), database))
    return 1 if any(run.failed for run in runs) else 0


def project_settings() -> Settings:
    """The project's Scrapy settings, from scrapy.cfg when run in the repository, from crawler.settings otherwise."""
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    return get_project_settings()


def stored_per_outlet(database: Path) -> dict[str, int]:
    from crawler.storage import open_database

    with open_database(database) as db:
        return dict(db.execute("SELECT outlet, count(*) FROM articles GROUP BY outlet").fetchall())


def summary(runs: Sequence[OutletRun], stored: dict[str, int], database: Path) -> str:
    """The demo's closing table: one line per outlet, then the totals and where the database is."""
    header = f"{'outlet':<12} {'stored':>7} {'new':>6} {'known':>6}  {'status':<10} failures (this run)"
    lines = [header, "-" * len(header)]
    for run in runs:
        failures = ", ".join(f"{reason} {count}" for reason, count in run.failures.items()) or "-"
        status = "FAILED" if run.failed else "ok"
        lines.append(
            f"{run.outlet:<12} {stored.get(run.outlet, 0):>7} {run.new:>6} {run.already_stored:>6}  {status:<10} "
            f"{failures}"
        )
    total_failures = sum(sum(run.failures.values()) for run in runs)
    lines.append(
        f"{'total':<12} {sum(stored.values()):>7} {sum(run.new for run in runs):>6} "
        f"{sum(run.already_stored for run in runs):>6}  {'':<10} {total_failures}"
    )
    lines += ["", "stored: articles in the database; new: added by this run; known: already stored, not added again",
              f"database: {database}"]
    return "\n".join(lines)


# --- replica -------------------------------------------------------------------------------------------------------


def run_replica(args: argparse.Namespace) -> int:
    from crawler.replica.server import serve

    print(f"Replica on http://127.0.0.1:{args.port} ({args.articles} articles per outlet); Ctrl-C stops it.\n"
          f"Crawl it with: scrapy crawl antv -s REPLICA_URL=http://127.0.0.1:{args.port}", file=sys.stderr)
    try:
        serve(args.port, args.articles)
    except KeyboardInterrupt:
        pass
    return 0
