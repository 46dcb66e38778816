"""Scheduled runs: the ``crawl_runs`` table, and a JOBDIR that survives crashes.

:class:`CrawlRuns` (a Scrapy extension, on in ``EXTENSIONS``) writes one ``crawl_runs`` row per outlet and run: a
``running`` row when the spider opens (so that a run killed outright is visible), completed from the crawl's stats
when it closes: end time, requests, new, updated, skipped, failed, status. A ``running`` row whose process is gone
is marked ``crashed`` by the next run of the outlet.

:class:`JobDirGuard` (an extension too) makes Scrapy's ``JOBDIR`` safe to reuse run after run:

* a run stopped gracefully (SIGTERM/SIGINT, reason ``shutdown``) keeps the job directory: the next run resumes its
  request queue, as Scrapy documents;
* a run that ended any other way (finished, or failed) empties it: the next scheduled run starts afresh instead of
  finding every listing in ``requests.seen``;
* a run killed outright (SIGKILL, power loss) leaves a queue Scrapy never wrote completely and a dupefilter that
  knows requests the queue lost. The next run sees the dead process's pid file and empties the job directory before
  Scrapy opens it. Nothing stored is fetched again anyway: stored articles are skipped before they are downloaded
  (crawler/incremental.py), so the database, not the job directory, is what a crashed run resumes from.

Status values: ``running``, ``ok`` (ran to its end, or to ``max_articles``), ``interrupted`` (graceful shutdown,
resumable), ``failed`` (closed for another reason, raised in a callback or in an item pipeline, or could not write to the
database: items may be missing, so the next run walks listings to their end),
``crashed`` (the process died without closing).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

import sqlite_utils
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.storage import open_database, utc_timestamp, write_transaction

logger = logging.getLogger(__name__)

#: Finish reasons of a run that did what it was asked.
SUCCESSFUL_REASONS = {"finished", "max_articles"}
#: Runs whose coverage lets the next run stop a listing at the first page with nothing new.
FULL_MODE = "full"


# --- the crawl_runs table ------------------------------------------------------------------------------------------


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_crashed_runs(db: sqlite_utils.Database, outlet: str) -> int:
    """Mark the outlet's ``running`` rows whose process is gone as ``crashed``; return how many."""
    rows = db.execute("SELECT id, pid FROM crawl_runs WHERE outlet = ? AND status = 'running'", [outlet]).fetchall()
    dead = [run_id for run_id, pid in rows if not pid_alive(pid)]
    if dead:
        with write_transaction(db):
            for run_id in dead:
                db.execute("UPDATE crawl_runs SET status = 'crashed' WHERE id = ? AND status = 'running'", [run_id])
    return len(dead)


def start_run(db: sqlite_utils.Database, outlet: str, *, batch: str | None, mode: str,
              arguments: dict[str, Any]) -> int:
    mark_crashed_runs(db, outlet)
    with write_transaction(db):
        return db["crawl_runs"].insert({
            "batch": batch,
            "outlet": outlet,
            "mode": mode,
            "arguments": json.dumps(arguments, ensure_ascii=False, sort_keys=True),
            "pid": os.getpid(),
            "started": utc_timestamp(),
            "status": "running",
        }).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, *, status: str, reason: str, stats: dict[str, Any]) -> None:
    failed = sum(value for key, value in stats.items() if key.startswith("failures/") and isinstance(value, int))
    with write_transaction(db):
        db["crawl_runs"].update(run_id, {
            "finished": utc_timestamp(),
            "status": status,
            "finish_reason": reason,
            "requests": stats.get("downloader/request_count", 0),
            "new": stats.get("articles/new", 0),
            "updated": stats.get("articles/updated", 0),
            "skipped": stats.get("incremental/skipped", 0) + stats.get("incremental/skipped_failed", 0),
            "failed": failed,
            "stats": json.dumps(stats, default=str, sort_keys=True),
        })


def last_finished_run(db: sqlite_utils.Database, outlet: str, before: int | None = None) -> dict[str, Any] | None:
    """The outlet's latest run that is no longer ``running`` (before run id ``before``), as a dict, or None."""
    row = db.execute(
        "SELECT * FROM crawl_runs WHERE outlet = ? AND status != 'running' AND id < ? ORDER BY id DESC LIMIT 1",
        [outlet, before if before is not None else 2**62],
    ).fetchone()
    if row is None:
        return None
    columns = [column[0] for column in db.execute("SELECT * FROM crawl_runs LIMIT 0").description]
    return dict(zip(columns, row))


def previous_run_was_complete(db: sqlite_utils.Database, outlet: str) -> bool:
    """True when the outlet's latest ended run was a full crawl that ran to its end (status ``ok``, mode
    ``full``): everything listed then is stored, so a listing page with nothing new ends the listing."""
    mark_crashed_runs(db, outlet)
    run = last_finished_run(db, outlet)
    return run is not None and run["status"] == "ok" and run["mode"] == FULL_MODE


#: Exceptions raised by item pipelines (Scrapy logs them, drops the item and counts nothing): counted by CrawlRuns.
ITEM_ERRORS_STAT = "pipeline/item_errors"
#: Stats that count lost work: an exception in a spider callback, a batch the store could not write, an exception
#: in any item pipeline. One of them makes the run ``failed``, whatever its finish reason.
ERROR_STATS = ("spider_exceptions/count", "storage/write_errors", ITEM_ERRORS_STAT)


def run_status(reason: str, stats: dict[str, Any]) -> str:
    if reason == "shutdown":
        return "interrupted"
    errors = sum(stats.get(name, 0) for name in ERROR_STATS)
    return "ok" if reason in SUCCESSFUL_REASONS and not errors else "failed"


class CrawlRuns:
    """Extension: one ``crawl_runs`` row per run of a spider (settings ``DATABASE_PATH``, ``CRAWL_BATCH``)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.database_path = crawler.settings.get("DATABASE_PATH")
        self.batch = crawler.settings.get("CRAWL_BATCH")
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRuns:
        if not crawler.settings.get("DATABASE_PATH") or not crawler.settings.getbool("CRAWL_RUNS_ENABLED", True):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        return extension

    def item_error(self) -> None:
        """A pipeline raised on an item (Scrapy logs it and drops the item, but counts nothing)."""
        self.crawler.stats.inc_value(ITEM_ERRORS_STAT)

    def spider_opened(self, spider: Spider) -> None:
        with open_database(self.database_path) as db:
            self.run_id = start_run(db, spider.name, batch=self.batch, mode=getattr(spider, "run_mode", FULL_MODE),
                                    arguments=getattr(spider, "run_arguments", {}))
        self.crawler.stats.set_value("crawl_runs/id", self.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        stats = dict(self.crawler.stats.get_stats())
        with open_database(self.database_path) as db:
            finish_run(db, self.run_id, status=run_status(reason, stats), reason=reason, stats=stats)


# --- JOBDIR ----------------------------------------------------------------------------------------------------------

PID_FILE = "crawl.pid"
#: What Scrapy keeps in a JOBDIR: the scheduler's disk queue, the dupefilter's fingerprints, the spider's state.
JOB_STATE = ("requests.queue", "requests.seen", "spider.state")


def reset_jobdir(jobdir: Path) -> None:
    for name in JOB_STATE:
        path = jobdir / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()


class JobDirGuard:
    """Extension: see the module docstring. Runs at crawler creation, before Scrapy's scheduler opens JOBDIR."""

    def __init__(self, crawler: Crawler, jobdir: Path) -> None:
        self.crawler = crawler
        self.jobdir = jobdir
        self.pid_file = jobdir / PID_FILE

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobDirGuard:
        jobdir = crawler.settings.get("JOBDIR")
        if not jobdir:
            raise NotConfigured
        guard = cls(crawler, Path(jobdir))
        guard.claim()
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        return guard

    def claim(self) -> None:
        self.jobdir.mkdir(parents=True, exist_ok=True)
        if self.pid_file.exists():
            try:
                pid = int(self.pid_file.read_text().strip() or 0)
            except ValueError:
                pid = 0
            if pid != os.getpid() and pid_alive(pid):
                raise RuntimeError(f"JOBDIR {self.jobdir} is in use by running process {pid}")
            # The previous run died without closing: its queue and dupefilter cannot be trusted.
            logger.warning("Previous run in %s (pid %s) did not close; starting its job afresh", self.jobdir, pid)
            reset_jobdir(self.jobdir)
            self.crawler.stats.set_value("jobdir/reset_after_crash", 1)
        elif (self.jobdir / "requests.queue").exists():
            self.crawler.stats.set_value("jobdir/resumed", 1)
        self.pid_file.write_text(str(os.getpid()))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason != "shutdown":
            reset_jobdir(self.jobdir)  # finished (or failed for good): the next run starts a new job
        self.pid_file.unlink(missing_ok=True)
