"""``python -m crawler crawl``: a scheduled batch run, one ``scrapy crawl`` process per outlet, in parallel.

Each process gets the same database, its own JOBDIR (``JOBS_DIR/<outlet>``, resumable after a graceful stop, reset
after a crash: crawler/runs.py) and a batch id (``CRAWL_BATCH``) that tags its ``crawl_runs`` row. When all have
ended, the command prints one line per outlet from ``crawl_runs`` and exits:

0  every outlet's run ended with status ``ok``;
1  at least one run failed (it says why: no successful response, discovery failed, errors ...), crashed, was
   interrupted, or left no ``crawl_runs`` row; or the database cannot be used;
2  bad command line (argparse).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

EXIT_OK, EXIT_FAILED = 0, 1


def iso_date(text: str) -> str:
    try:
        date.fromisoformat(text[:10])
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO date: {text!r}") from error
    return text


def add_parser(commands: Any) -> None:
    from crawler.cli import positive_int

    crawl = commands.add_parser(
        "crawl",
        help="run outlets' spiders in parallel (one process each) and record the runs; for cron and systemd",
        description="Crawl the named outlets (or --all), one `scrapy crawl` process per outlet in parallel, into "
        "one database; each run is recorded in `crawl_runs`. Exit code 0 when every run succeeded, 1 otherwise.",
    )
    crawl.add_argument("outlets", nargs="*", metavar="OUTLET", help="spider names: antv clo tgvn kinhtedothi")
    crawl.add_argument("--all", action="store_true", help="every outlet")
    crawl.add_argument("--db", metavar="PATH", help="SQLite database (default: the DATABASE_PATH setting)")
    crawl.add_argument("--replica", metavar="URL", help="crawl a replica server at URL instead of the live sites")
    crawl.add_argument("--since", type=iso_date, help="only articles published on or after this date (YYYY-MM-DD)")
    crawl.add_argument("--until", type=iso_date, help="only articles published on or before this date")
    crawl.add_argument("--max-articles", type=positive_int, metavar="N", help="stop each outlet after N new articles")
    crawl.add_argument("--backfill", action="store_true",
                       help="walk listings and sitemaps to their end (with --since/--until: a date range)")
    crawl.add_argument("--jobs-dir", metavar="DIR", help="parent of the per-outlet JOBDIRs (default: JOBS_DIR, "
                       "output/jobs); '' disables JOBDIR")
    crawl.add_argument("--log-dir", metavar="DIR", default="output/logs",
                       help="one log file per outlet and run (default: output/logs)")
    crawl.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                       help="extra Scrapy setting for every outlet (repeatable)")
    crawl.set_defaults(run=run_crawl)


def spider_command(outlet: str, args: argparse.Namespace, database: Path, batch: str,
                   jobs_dir: str | None) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", outlet,
               "-s", f"DATABASE_PATH={database}", "-s", f"CRAWL_BATCH={batch}"]
    if jobs_dir:
        command += ["-s", f"JOBDIR={Path(jobs_dir).resolve() / outlet}"]
    if args.replica:
        command += ["-s", f"REPLICA_URL={args.replica}"]
    for name in ("since", "until", "max_articles"):
        if getattr(args, name):
            command += ["-a", f"{name}={getattr(args, name)}"]
    if args.backfill:
        command += ["-a", "backfill=1"]
    for setting in args.set:
        command += ["-s", setting]
    return command


def run_crawl(args: argparse.Namespace) -> int:
    # This process only starts the spiders and waits for them, so it reads the outlet names and two defaults
    # without loading Scrapy's settings, the spiders or the extractor: 8 MB less for the whole run (BENCHMARKS.md).
    # The spiders run with crawler.settings (see the env below).
    from crawler import settings
    from crawler.outlet import outlet_names

    known = list(outlet_names())
    outlets = known if args.all else list(dict.fromkeys(args.outlets))
    unknown = [name for name in outlets if name not in known]
    if not outlets or unknown:
        print(f"crawl: name outlets ({', '.join(known)}) or --all" + (f"; unknown: {', '.join(unknown)}"
              if unknown else ""), file=sys.stderr)
        return 2
    database = Path(args.db or settings.DATABASE_PATH).resolve()
    from crawler.storage import database_problem

    if problem := database_problem(database):  # before any spider starts: none of them could write
        print(f"crawl: {problem}", file=sys.stderr)
        return EXIT_FAILED
    jobs_dir = settings.JOBS_DIR if args.jobs_dir is None else args.jobs_dir
    batch = uuid.uuid4().hex[:12]
    log_dir = Path(args.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)

    processes: dict[str, subprocess.Popen] = {}
    logs = {}
    for outlet in outlets:
        logs[outlet] = open(log_dir / f"{outlet}-{batch}.log", "w", encoding="utf-8")  # noqa: SIM115
        processes[outlet] = subprocess.Popen(
            spider_command(outlet, args, database, batch, jobs_dir), cwd=ROOT, stdout=logs[outlet],
            stderr=subprocess.STDOUT, env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"},
        )

    def forward(signum: int, _frame: object) -> None:  # systemd stop / Ctrl-C: let each spider stop gracefully
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        codes = {outlet: process.wait() for outlet, process in processes.items()}
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for log in logs.values():
            log.close()
    runs = batch_runs(database, batch)
    print(report(outlets, runs, codes, database, batch, log_dir))
    ok = all(codes[o] == 0 and runs.get(o, {}).get("status") == "ok" for o in outlets)
    return EXIT_OK if ok else EXIT_FAILED


def batch_runs(database: Path, batch: str) -> dict[str, dict[str, Any]]:
    from crawler.storage import open_database

    with open_database(database) as db:
        cursor = db.execute("SELECT * FROM crawl_runs WHERE batch = ? ORDER BY id", [batch])
        columns = [column[0] for column in cursor.description]
        return {row["outlet"]: row for row in (dict(zip(columns, values)) for values in cursor.fetchall())}


def report(outlets: list[str], runs: dict[str, dict[str, Any]], codes: dict[str, int], database: Path, batch: str,
           log_dir: Path) -> str:
    header = f"{'outlet':<12} {'status':<12} {'requests':>8} {'new':>5} {'updated':>7} {'skipped':>7} {'failed':>6}"
    lines = [header, "-" * len(header)]
    for outlet in outlets:
        run = runs.get(outlet)
        if run is None:
            lines.append(f"{outlet:<12} {'no run (exit ' + str(codes[outlet]) + ')':<12}")
            continue
        lines.append(f"{outlet:<12} {run['status']:<12} {run['requests'] or 0:>8} {run['new'] or 0:>5} "
                     f"{run['updated'] or 0:>7} {run['skipped'] or 0:>7} {run['failed'] or 0:>6}")
    lines += [f"{outlet}: {run['status']}: {run['status_reason']}" for outlet, run in runs.items()
              if run["status"] != "ok" and run.get("status_reason")]
    lines += ["", f"batch {batch}; database {database}; logs {log_dir}/<outlet>-{batch}.log"]
    return "\n".join(lines)
