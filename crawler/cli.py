"""``python -m crawler <command>``: the operator's entry point.

Commands:

``demo``     crawl the offline replicas of the four outlets into a database and print what was stored;
``replica``  run the replica server in the foreground, for ``scrapy crawl <outlet> -s REPLICA_URL=...`` by hand;
``crawl``    scheduled runs: one ``scrapy crawl`` per outlet in parallel, recorded in ``crawl_runs``
             (crawler/crawl_command.py);
``drain``    distributed mode: the one writer of the items workers queue in Redis (crawler/distributed/);
``extract``  print the article of a saved HTML page as JSON; ``evaluate``  score extraction, write a report
             (crawler/extract_command.py, crawler/evaluation.py);
``doctor``   first-contact check of outlets: channels, selectors, a verdict, selectors to paste (crawler/doctor/).

Adding a command: write ``run_<name>(args) -> int`` and register its sub-parser in :func:`build_parser` with
``set_defaults(run=run_<name>)``. Scrapy and the replica are imported inside the commands, so that ``--help`` and
argument errors answer at once.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from crawler import stats_keys

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings

DEFAULT_ARTICLES_PER_OUTLET = 50
DEFAULT_REPLICA_PORT = 8800

#: Overrides for a crawl of a replica (the demo, `crawl --replica`): politeness delays protect live sites, not a
#: replica server.
REPLICA_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
}
#: The demo's: INFO logs of four spiders would bury its summary.
REPLICA_DEMO_SETTINGS = {**REPLICA_SETTINGS, "LOG_LEVEL": "WARNING"}


class ArgumentParser(argparse.ArgumentParser):
    """argparse's parser with a one-line error (its usage is one ``--help`` away), exit code 2 as before. Sub-parsers
    are of the same class."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser(prog: str = "python -m crawler") -> argparse.ArgumentParser:
    from crawler import __version__

    parser = ArgumentParser(
        prog=prog,
        description="Polite, incremental crawler for ANTV, CLO, TG&VN and Kinhtedothi into a SQLite corpus.",
    )
    parser.add_argument("--version", action="version", version=f"vn-news-crawler {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="<command>")

    demo = commands.add_parser(
        "demo",
        help="crawl the offline replicas of all four outlets and print a summary",
        description="Start the replica server, crawl all four outlets from it in one process, store the articles "
        "and print a per-outlet summary. Running it again on the same database adds no row.",
    )
    demo.add_argument(
        "--db", metavar="PATH", help="SQLite database to write (default: the DATABASE_PATH setting, output/articles.db)"
    )
    demo.add_argument(
        "--articles",
        metavar="N",
        type=positive_int,
        default=DEFAULT_ARTICLES_PER_OUTLET,
        help=f"articles per outlet in the replica (default: {DEFAULT_ARTICLES_PER_OUTLET})",
    )
    demo.set_defaults(run=run_demo)

    replica = commands.add_parser(
        "replica",
        help="serve the offline replicas in the foreground",
        description="Serve the offline replicas of the four outlets until interrupted. Crawl them with "
        "`scrapy crawl <outlet> -s REPLICA_URL=http://127.0.0.1:PORT`.",
    )
    replica.add_argument(
        "--port", type=int, default=DEFAULT_REPLICA_PORT, help=f"port to listen on (default: {DEFAULT_REPLICA_PORT})"
    )
    replica.add_argument(
        "--articles",
        metavar="N",
        type=positive_int,
        default=DEFAULT_ARTICLES_PER_OUTLET,
        help=f"articles per outlet (default: {DEFAULT_ARTICLES_PER_OUTLET})",
    )
    from crawler.replica.sites import LAYOUTS, LISTINGS  # light: the names of the replica's variants

    replica.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="standard",
        help="the pages' templates: the outlets' own, or a redesign their selectors miss",
    )
    replica.add_argument(
        "--listings",
        choices=LISTINGS,
        default="standard",
        help="where sections live: the outlets' own listing URLs, or relocated (those 404, feeds "
        "and sitemaps too: only the home page's navigation leads to the articles)",
    )
    replica.set_defaults(run=run_replica)

    from crawler.crawl_command import add_parser as add_crawl_parser  # scheduled runs: crawler/crawl_command.py

    add_crawl_parser(commands)
    from crawler.corpus.commands import add_commands  # search, export, stats, report, reextract, dedupe-near

    add_commands(commands)
    from crawler.distributed.command import add_parser as add_drain_parser  # crawler/distributed/command.py

    add_drain_parser(commands)
    from crawler.extract_command import add_commands as add_extraction_commands  # extract, evaluate

    add_extraction_commands(commands)
    from crawler.doctor.command import add_parser as add_doctor_parser  # crawler/doctor/

    add_doctor_parser(commands)
    return parser


#: The largest count a command accepts: SQLite's largest integer (a LIMIT beyond it cannot even be bound).
MAX_COUNT = 2**63 - 1


def add_outlet_arguments(parser: argparse.ArgumentParser) -> None:
    """The outlets a command works on: named, or ``--all`` (read back with :func:`chosen_outlets`)."""
    from crawler import outlets

    parser.add_argument("outlets", nargs="*", metavar="OUTLET", help=f"outlet names: {' '.join(outlets.names())}")
    parser.add_argument("--all", action="store_true", help="every outlet")


def chosen_outlets(args: argparse.Namespace, command: str) -> list[str] | None:
    """The outlets named on the command line (each once, in order), or every one with ``--all``; None, after one
    line on stderr, when none or an unknown one is named."""
    from crawler import outlets

    known = list(outlets.names())
    chosen = known if args.all else list(dict.fromkeys(args.outlets))
    unknown = [name for name in chosen if name not in known]
    if not chosen or unknown:
        print(
            f"{command}: name outlets ({', '.join(known)}) or --all"
            + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
            file=sys.stderr,
        )
        return None
    return chosen


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= MAX_COUNT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_COUNT}, not {value}")
    return value


def main(argv: Sequence[str] | None = None, prog: str = "python -m crawler") -> int:
    """Run a command. Bad input ends in one line on stderr and exit code 1 (2 for a bad command line, argparse's),
    never a traceback: an unusable database, a file or directory that cannot be written, a full disk."""
    from crawler.outlets import OutletError, registry

    try:
        registry()  # the command-line choices list the outlets: a broken outlet module stops here, in one line
    except OutletError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 1
    args = build_parser(prog).parse_args(argv)
    from crawler.storage import UnusableDatabase

    try:
        code = args.run(args)
        sys.stdout.flush()  # here, where a closed pipe or a full disk is handled, not at the interpreter's exit
        return code
    except BrokenPipeError:  # `... | head`: the reader has what it wanted
        _discard_stdout()
        return 0
    except UnusableDatabase as error:
        print(f"{args.command}: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        if error.filename is None:  # standard output (`> /dev/full`): what is still buffered cannot be written
            _discard_stdout()
            print(f"{args.command}: cannot write the output: {error.strerror}; write it elsewhere", file=sys.stderr)
        else:
            reason = (
                "a part of the path is a file, not a directory"
                if isinstance(error, (FileExistsError, NotADirectoryError))
                else error.strerror
            )
            print(f"{args.command}: cannot write {error.filename}: {reason}; choose another path", file=sys.stderr)
        return 1


def console_script() -> int:
    """The ``vn-news-crawler`` command (pyproject.toml's ``[project.scripts]``): ``python -m crawler`` by its name."""
    return main(prog="vn-news-crawler")


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that the interpreter's final flush has nowhere to fail."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


# --- demo ----------------------------------------------------------------------------------------------------------


@dataclass
class OutletRun:
    """What one spider of the demo did, read from its crawler's stats after the crawl."""

    outlet: str
    finish_reason: str | None
    new: int
    already_stored: int
    failures: dict[str, int] = field(default_factory=dict)
    status: str = "ok"
    """The run's status (crawler/runs.py)."""
    why_failed: str | None = None
    """Why the run failed or is degraded (one line), or None: see :attr:`failed`."""

    @classmethod
    def of(cls, crawler: Crawler) -> OutletRun:
        from crawler.progress import known_articles
        from crawler.runs import run_status

        stats = crawler.stats.get_stats()
        run = cls(
            outlet=crawler.spidercls.name,
            finish_reason=stats.get(stats_keys.FINISH_REASON),
            new=stats.get(stats_keys.ARTICLES_NEW, 0),
            already_stored=known_articles(stats),
            failures={
                key.removeprefix(stats_keys.FAILURES_PREFIX): count
                for key, count in sorted(stats.items())
                if key.startswith(stats_keys.FAILURES_PREFIX)
            },
        )
        run.status, why = run_status(stats.get(stats_keys.FINISH_REASON, "unknown"), stats, run.outlet)
        if run.status != "ok":
            run.why_failed = f"{run.status}: {why}"
        elif run.new + run.already_stored == 0:
            run.status, run.why_failed = "failed", "found no article in the replica"
        return run

    @property
    def failed(self) -> bool:
        """The run's status is not ``ok`` (crawler/runs.py: it did not run to its end, raised in a callback, lost
        items it could not store, fetched nothing ..., or is ``degraded``), or it found no article at all. (Single
        pages that failed are the crawl working as intended: they are recorded.)"""
        return self.why_failed is not None


def run_demo(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    from crawler.health import exit_code
    from crawler.replica.server import ReplicaServer
    from crawler.storage import database_problem

    settings = project_settings()
    database = Path(args.db or settings["DATABASE_PATH"]).resolve()
    if problem := database_problem(database):
        print(f"demo: {problem}", file=sys.stderr)
        return 1
    with ReplicaServer(articles_per_outlet=args.articles) as replica:
        settings.setdict(
            {**REPLICA_DEMO_SETTINGS, "REPLICA_URL": replica.url, "DATABASE_PATH": str(database)}, priority="cmdline"
        )
        process = CrawlerProcess(settings)
        # Kept here: the process forgets its crawlers, and their stats, once they finish.
        crawlers = [process.create_crawler(name) for name in sorted(process.spider_loader.list())]
        for crawler in crawlers:
            process.crawl(crawler)
        with demo_progress(crawlers, args.articles):
            process.start()
    runs = [OutletRun.of(crawler) for crawler in crawlers]
    print(summary(runs, stored_per_outlet(database), database))
    return exit_code([run.status for run in runs])


@contextmanager
def demo_progress(crawlers: Sequence[Crawler], articles_per_outlet: int) -> Iterator[None]:
    """On a terminal, a live line per outlet while the reactor runs (crawler/progress.py): the spiders' stats read
    every PROGRESS_INTERVAL seconds, with a bar to the replica's articles per outlet. Elsewhere, nothing."""
    from crawler.progress import PROGRESS_INTERVAL, ProgressCounts, ProgressDisplay, on_terminal

    if not on_terminal():
        yield
        return
    from twisted.internet import task

    with ProgressDisplay([crawler.spidercls.name for crawler in crawlers], total=articles_per_outlet) as display:

        def refresh() -> None:
            for crawler in crawlers:
                if crawler.stats is not None:  # None until the crawl starts
                    stats = crawler.stats.get_stats()
                    display.update(
                        crawler.spidercls.name,
                        ProgressCounts.from_stats(stats, finished=stats_keys.FINISH_REASON in stats),
                    )

        loop = task.LoopingCall(refresh)
        loop.start(PROGRESS_INTERVAL)
        yield
        if loop.running:
            loop.stop()
        refresh()


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
        status = "DEGRADED" if run.status == "degraded" else "FAILED" if run.failed else "ok"
        lines.append(
            f"{run.outlet:<12} {stored.get(run.outlet, 0):>7} {run.new:>6} {run.already_stored:>6}  {status:<10} "
            f"{failures}"
        )
    total_failures = sum(sum(run.failures.values()) for run in runs)
    lines.append(
        f"{'total':<12} {sum(stored.values()):>7} {sum(run.new for run in runs):>6} "
        f"{sum(run.already_stored for run in runs):>6}  {'':<10} {total_failures}"
    )
    lines += [f"{run.outlet}: {run.why_failed}" for run in runs if run.failed]
    lines += [
        "",
        "stored: articles in the database; new: added by this run; known: already stored, not added again",
        f"database: {database}",
    ]
    return "\n".join(lines)


# --- replica -------------------------------------------------------------------------------------------------------


def run_replica(args: argparse.Namespace) -> int:
    from crawler.replica.server import serve

    print(
        f"Replica on http://127.0.0.1:{args.port} ({args.articles} articles per outlet, {args.layout} layout, "
        f"{args.listings} listings); Ctrl-C stops it.\n"
        f"Crawl it with: scrapy crawl antv -s REPLICA_URL=http://127.0.0.1:{args.port}",
        file=sys.stderr,
    )
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the way to stop it
        serve(args.port, args.articles, layout=args.layout, listings=args.listings)
    return 0
