"""``python -m crawler crawl``: a scheduled batch run, one ``scrapy crawl`` process per outlet, in parallel.

Each process gets the same database, its own JOBDIR (``JOBS_DIR/<outlet>``, resumable after a graceful stop, reset
after a crash: crawler/runs.py) and a batch id (``CRAWL_BATCH``) that tags its ``crawl_runs`` row. On a terminal,
the command names the log files at once and shows each outlet's progress while it waits (crawler/progress.py:
each spider writes its counts to a file in a temporary directory, read every PROGRESS_INTERVAL seconds); under cron
it prints nothing until the end. When all have ended, it prints one line per outlet from ``crawl_runs`` and exits:

0  every outlet's run ended with status ``ok``;
1  at least one run failed (it says why: no successful response, discovery failed, errors ...), crashed, was
   interrupted, or left no ``crawl_runs`` row; or the database or the log directory cannot be used (checked
   before any spider starts);
2  bad command line (argparse; spider arguments checked by crawler/spider_arguments.py);
3  no run failed, but at least one is ``degraded``: the outlet's rules no longer fit the site (its selectors
   missed on most pages, or discovery found no article link); its reason names ``python -m crawler doctor``.

The codes are :data:`crawler.health.EXIT_OK`, ``EXIT_FAILED``, ``EXIT_DEGRADED``.

With ``--replica`` the politeness delays are off, as in the demo (``crawler.cli.REPLICA_SETTINGS``).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setting_assignment(text: str) -> str:
    name, equals, _value = text.partition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, not {text!r}")
    return text


def iso_date(text: str) -> str:
    try:
        date.fromisoformat(text[:10])
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r}") from error
    return text


def add_parser(commands: Any) -> None:
    from crawler.cli import add_outlet_arguments, positive_int

    crawl = commands.add_parser(
        "crawl",
        help="run outlets' spiders in parallel (one process each) and record the runs; for cron and systemd",
        description="Crawl the named outlets (or --all), one `scrapy crawl` process per outlet in parallel, into "
        "one database; each run is recorded in `crawl_runs`. Exit code 0 when every run succeeded, 3 when one is "
        "degraded (the outlet's rules no longer fit the site), 1 when one failed.",
    )
    add_outlet_arguments(crawl)
    crawl.add_argument("--db", metavar="PATH", help="SQLite database (default: the DATABASE_PATH setting)")
    crawl.add_argument("--replica", metavar="URL", help="crawl a replica server at URL instead of the live sites")
    crawl.add_argument("--since", type=iso_date, help="only articles published on or after this date (YYYY-MM-DD)")
    crawl.add_argument("--until", type=iso_date, help="only articles published on or before this date")
    crawl.add_argument("--max-articles", type=positive_int, metavar="N", help="stop each outlet after N new articles")
    crawl.add_argument(
        "--backfill",
        action="store_true",
        help="walk listings and sitemaps to their end (with --since/--until: a date range)",
    )
    crawl.add_argument(
        "--jobs-dir",
        metavar="DIR",
        help="parent of the per-outlet JOBDIRs (default: JOBS_DIR, output/jobs); '' disables JOBDIR",
    )
    crawl.add_argument(
        "--log-dir", metavar="DIR", default="output/logs", help="one log file per outlet and run (default: output/logs)"
    )
    crawl.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        type=setting_assignment,
        help="extra Scrapy setting for every outlet (repeatable)",
    )
    crawl.set_defaults(run=run_crawl)


def spider_options(args: argparse.Namespace) -> dict[str, str]:
    """The options that are spider arguments (``-a``), as given."""
    arguments = {name: str(getattr(args, name)) for name in ("since", "until", "max_articles") if getattr(args, name)}
    return {**arguments, "backfill": "1"} if args.backfill else arguments


def spider_command(
    outlet: str, args: argparse.Namespace, database: Path, batch: str, jobs_dir: str | None
) -> list[str]:
    from crawler.cli import REPLICA_SETTINGS

    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        outlet,
        "-s",
        f"DATABASE_PATH={database}",
        "-s",
        f"CRAWL_BATCH={batch}",
    ]
    if jobs_dir:
        command += ["-s", f"JOBDIR={Path(jobs_dir).resolve() / outlet}"]
    if args.replica:
        command += ["-s", f"REPLICA_URL={args.replica}"]
        command += [option for name, value in REPLICA_SETTINGS.items() for option in ("-s", f"{name}={value}")]
    for name, value in spider_options(args).items():
        command += ["-a", f"{name}={value}"]
    for setting in args.set:  # last: the user's settings win
        command += ["-s", setting]
    return command


def run_crawl(args: argparse.Namespace) -> int:
    # This process only starts the spiders and waits for them, so it reads the outlet names and two defaults
    # without loading Scrapy's settings, the spiders or the extractor: 8 MB less for the whole run (BENCHMARKS.md).
    # The spiders run with crawler.settings (see the env below).
    from crawler import settings
    from crawler.cli import chosen_outlets
    from crawler.health import EXIT_DEGRADED, EXIT_FAILED, exit_code
    from crawler.pidfile import PID_FILE, jobdir_in_use, live_owner
    from crawler.spider_arguments import SpiderArgumentError, spider_arguments
    from crawler.storage import database_problem

    if (chosen := chosen_outlets(args, "crawl")) is None:
        return 2
    try:
        spider_arguments(spider_options(args))  # the spiders' own check, before any is started
    except SpiderArgumentError as error:
        print(f"crawl: {error}", file=sys.stderr)
        return 2
    database = Path(args.db or settings.DATABASE_PATH).resolve()
    if problem := database_problem(database):  # before any spider starts: none of them could write
        print(f"crawl: {problem}", file=sys.stderr)
        return EXIT_FAILED
    jobs_dir = settings.JOBS_DIR if args.jobs_dir is None else args.jobs_dir
    batch = uuid.uuid4().hex[:12]
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)

    from crawler.progress import on_terminal

    # On a terminal: where the logs are, at once, and live progress (crawler/progress.py); under cron, neither.
    progress_dir = tempfile.TemporaryDirectory(prefix="vn-news-crawler-progress-") if on_terminal() else None
    progress_files = {outlet: Path(progress_dir.name) / f"{outlet}.json" for outlet in chosen} if progress_dir else {}
    if progress_dir:
        print(f"logs: {log_dir}/<outlet>-{batch}.log ({', '.join(chosen)})", file=sys.stderr)
    processes: dict[str, subprocess.Popen] = {}
    logs = {}
    codes: dict[str, int] = {}
    for outlet in chosen:
        if jobs_dir and (owner := live_owner(Path(jobs_dir).resolve() / outlet / PID_FILE)) is not None:
            # An overlapping run (cron without flock, a slow previous run): say so here, not only in a log.
            print(
                f"crawl: {outlet} not started: {jobdir_in_use(Path(jobs_dir).resolve() / outlet, owner)}",
                file=sys.stderr,
            )
            codes[outlet] = EXIT_FAILED
            continue
        logs[outlet] = open(log_dir / f"{outlet}-{batch}.log", "w", encoding="utf-8")  # noqa: SIM115
        command = spider_command(outlet, args, database, batch, jobs_dir)
        if outlet in progress_files:
            command += ["-s", f"PROGRESS_FILE={progress_files[outlet]}"]
        processes[outlet] = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=logs[outlet],
            stderr=subprocess.STDOUT,
            env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"},
        )

    def forward(signum: int, _frame: object) -> None:  # systemd stop / Ctrl-C: let each spider stop gracefully
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if progress_dir:
            show_progress(processes, progress_files)
        codes.update({outlet: process.wait() for outlet, process in processes.items()})
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for log in logs.values():
            log.close()
        if progress_dir:
            progress_dir.cleanup()
    runs = batch_runs(database, batch)
    print(report(chosen, runs, codes, database, batch, log_dir))
    # A spider process that failed to say how its run went (exit 1 without a row) is a failed run.
    return exit_code([runs.get(o, {}).get("status") if codes[o] in (0, EXIT_DEGRADED) else None for o in chosen])


def show_progress(processes: dict[str, subprocess.Popen], progress_files: dict[str, Path]) -> None:
    """Until every spider process has exited, refresh each outlet's line from the counts it last wrote."""
    from crawler.progress import PROGRESS_INTERVAL, ProgressCounts, ProgressDisplay, read_progress_file

    with ProgressDisplay(list(processes)) as display:
        while True:
            running = [outlet for outlet, process in processes.items() if process.poll() is None]
            for outlet, path in progress_files.items():
                counts = read_progress_file(path) or ProgressCounts()
                # An exited process writes no more: its line is final even if it died before saying so.
                counts.finished = counts.finished or outlet not in running
                display.update(outlet, counts)
            if not running:
                return
            time.sleep(PROGRESS_INTERVAL)


def batch_runs(database: Path, batch: str) -> dict[str, dict[str, Any]]:
    from crawler.storage import open_database

    with open_database(database) as db:
        cursor = db.execute("SELECT * FROM crawl_runs WHERE batch = ? ORDER BY id", [batch])
        columns = [column[0] for column in cursor.description]
        return {row["outlet"]: row for row in (dict(zip(columns, values)) for values in cursor.fetchall())}


def report(
    names: list[str], runs: dict[str, dict[str, Any]], codes: dict[str, int], database: Path, batch: str, log_dir: Path
) -> str:
    header = f"{'outlet':<12} {'status':<12} {'requests':>8} {'new':>5} {'updated':>7} {'skipped':>7} {'failed':>6}"
    lines = [header, "-" * len(header)]
    for outlet in names:
        run = runs.get(outlet)
        if run is None:
            lines.append(f"{outlet:<12} {'no run (exit ' + str(codes[outlet]) + ')':<12}")
            continue
        lines.append(
            f"{outlet:<12} {run['status']:<12} {run['requests'] or 0:>8} {run['new'] or 0:>5} "
            f"{run['updated'] or 0:>7} {run['skipped'] or 0:>7} {run['failed'] or 0:>6}"
        )
    lines += [
        f"{outlet}: {run['status']}: {run['status_reason']}"
        for outlet, run in runs.items()
        if run["status"] != "ok" and run.get("status_reason")
    ]
    lines += ["", f"batch {batch}; database {database}; logs {log_dir}/<outlet>-{batch}.log"]
    return "\n".join(lines)
