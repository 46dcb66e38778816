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

Status values: ``running``, ``ok`` (ran to its end, or to ``max_articles``), ``degraded`` (ran to its end, but the
outlet's rules no longer fit the site: its selectors missed on most article pages, so the generic extractor did
the work, or its discovery pages answered without linking a single article), ``interrupted`` (graceful shutdown,
resumable), ``failed`` (closed for another reason, raised in a callback or in an item pipeline, could not write
to the database, got no successful response at all, or none of its discovery pages: items may be missing, so the
next run walks listings to their end), ``crashed`` (the process died without closing). A status other than
``ok`` comes with its reason in one line (``status_reason``), see :func:`run_status`; a ``degraded`` one names
the command that shows what to change (``python -m crawler doctor <outlet>``).

Every ended run also records its health (``crawl_runs.health``, :func:`crawler.health.run_health`): per discovery
channel the pages fetched, the pages that failed and the article links found, and per extraction field the share
of article pages where the outlet's selectors matched.
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

from crawler import stats_keys
from crawler.health import COMPLETE_STATUSES, degradation, run_health
from crawler.incremental import IncrementalSpider
from crawler.pidfile import PID_FILE, JobDirInUse, jobdir_in_use, live_owner, pid_alive, write_pid_file
from crawler.storage import open_database, utc_timestamp, write_transaction

logger = logging.getLogger(__name__)

#: Finish reasons of a run that did what it was asked.
SUCCESSFUL_REASONS = {"finished", "max_articles"}
#: Runs whose coverage lets the next run stop a listing at the first page with nothing new.
FULL_MODE = "full"


# --- the crawl_runs table ------------------------------------------------------------------------------------------


def mark_crashed_runs(db: sqlite_utils.Database, outlet: str) -> int:
    """Mark the outlet's ``running`` rows whose process is gone as ``crashed``; return how many."""
    rows = db.execute("SELECT id, pid FROM crawl_runs WHERE outlet = ? AND status = 'running'", [outlet]).fetchall()
    dead = [run_id for run_id, pid in rows if not pid_alive(pid)]
    if dead:
        with write_transaction(db):
            for run_id in dead:
                db.execute("UPDATE crawl_runs SET status = 'crashed' WHERE id = ? AND status = 'running'", [run_id])
    return len(dead)


def start_run(
    db: sqlite_utils.Database, outlet: str, *, batch: str | None, mode: str, arguments: dict[str, Any]
) -> int:
    mark_crashed_runs(db, outlet)
    row = {
        "batch": batch,
        "outlet": outlet,
        "mode": mode,
        "arguments": json.dumps(arguments, ensure_ascii=False, sort_keys=True),
        "pid": os.getpid(),
        "started": utc_timestamp(),
        "status": "running",
    }
    with write_transaction(db):
        run_id = db.table("crawl_runs").insert(row).last_pk
    assert isinstance(run_id, int)  # the new row's integer id: never None after an insert
    return run_id


def finish_run(
    db: sqlite_utils.Database,
    run_id: int,
    *,
    status: str,
    reason: str,
    stats: dict[str, Any],
    status_reason: str | None = None,
) -> None:
    """Complete the run's row from its stats: counts, status and reason, health (:func:`crawler.health.run_health`)."""
    failed = sum(
        value for key, value in stats.items() if key.startswith(stats_keys.FAILURES_PREFIX) and isinstance(value, int)
    )
    with write_transaction(db):
        db.table("crawl_runs").update(
            run_id,
            {
                "finished": utc_timestamp(),
                "status": status,
                "status_reason": status_reason,
                "finish_reason": reason,
                "requests": stats.get(stats_keys.REQUEST_COUNT, 0),
                "new": stats.get(stats_keys.ARTICLES_NEW, 0),
                "updated": stats.get(stats_keys.ARTICLES_UPDATED, 0),
                "skipped": stats.get(stats_keys.SKIPPED, 0) + stats.get(stats_keys.SKIPPED_FAILED, 0),
                "failed": failed,
                "stats": json.dumps(stats, default=str, sort_keys=True),
                "health": json.dumps(run_health(stats), sort_keys=True),
            },
        )


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
    """True when the outlet's latest ended run was a full crawl that ran to its end (status ``ok`` or ``degraded``,
    mode ``full``): everything listed then is stored, so a listing page with nothing new ends the listing."""
    mark_crashed_runs(db, outlet)
    run = last_finished_run(db, outlet)
    return run is not None and run["status"] in COMPLETE_STATUSES and run["mode"] == FULL_MODE


#: Exceptions raised by item pipelines (Scrapy logs them, drops the item and counts nothing): counted by CrawlRuns.
#: Stats that count lost work, with what they mean: one of them makes the run ``failed``, whatever its finish
#: reason.
ERROR_STATS = {
    stats_keys.SPIDER_EXCEPTIONS: "exception(s) raised in spider callbacks",
    stats_keys.STORAGE_WRITE_ERRORS: "database write error(s): items were not stored",
    stats_keys.PIPELINE_ITEM_ERRORS: "exception(s) raised in item pipelines: items were lost",
}


def run_status(reason: str, stats: dict[str, Any], outlet: str) -> tuple[str, str | None]:
    """The status of ``outlet``'s run that closed with finish reason ``reason`` and these Scrapy stats, and unless
    it is ``ok`` why, in one line. A run that fetched nothing is not ``ok``: with no DNS, refused connections or a
    wrong replica URL every request fails and every page is "recorded", so the crawl itself finishes normally. A
    run that fetched pages is ``degraded`` when the outlet's rules no longer fit them
    (:func:`crawler.health.degradation`)."""
    if reason == "shutdown":
        return "interrupted", "stopped gracefully (SIGTERM or SIGINT): the next run resumes its queue"
    if reason not in SUCCESSFUL_REASONS:
        return "failed", f"closed with finish reason {reason!r}"
    for name, what in ERROR_STATS.items():
        if count := stats.get(name, 0):
            return "failed", f"{count} {what} (see the log)"
    requests = stats.get(stats_keys.REQUEST_COUNT, 0)
    if requests and not successful_responses(stats):
        return "failed", f"no successful response to {requests} requests ({_failure_summary(stats)})"
    if stats.get(stats_keys.DISCOVERY_FAILED, 0) and not stats.get(stats_keys.DISCOVERY_FETCHED, 0):
        return "failed", (
            f"discovery failed: none of its {stats[stats_keys.DISCOVERY_FAILED]} pages (sitemaps, feeds, "
            f"listings) could be fetched ({_failure_summary(stats)})"
        )
    if why := degradation(stats):
        return "degraded", f"{why}: see python -m crawler doctor {outlet}"
    return "ok", None


def successful_responses(stats: dict[str, Any]) -> int:
    """Responses with a 2xx status, or 304 to a conditional re-check."""
    prefix = stats_keys.RESPONSE_STATUS_COUNT_PREFIX
    return sum(
        count
        for key, count in stats.items()
        if key.startswith(prefix) and (key[len(prefix) :].startswith("2") or key.endswith("/304"))
    )


def _failure_summary(stats: dict[str, Any]) -> str:
    """The most frequent reason requests failed, as the failures recorded count them (``connection_refused 12``),
    else as the downloader's exceptions do."""
    counts = {
        key.removeprefix(stats_keys.FAILURES_PREFIX): value
        for key, value in stats.items()
        if key.startswith(stats_keys.FAILURES_PREFIX) and isinstance(value, int)
    }
    if not counts:
        counts = {
            key.rsplit(".", 1)[-1]: value
            for key, value in stats.items()
            if key.startswith(stats_keys.EXCEPTION_TYPE_COUNT_PREFIX)
        }
    if not counts:
        return "no failure recorded"
    top = max(counts, key=lambda reason: counts[reason])
    return f"{top} {counts[top]}" + (f", {len(counts) - 1} other reason(s)" if len(counts) > 1 else "")


class CrawlRuns:
    """Extension: one ``crawl_runs`` row per run of an outlet spider (settings ``DATABASE_PATH``, ``CRAWL_BATCH``).
    Other spiders, such as the one ``scrapy shell`` and ``scrapy fetch`` run (``default``), are not crawls of the
    corpus: they write no row, which would otherwise be an outlet's "last run"."""

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
        self.crawler.stats.inc_value(stats_keys.PIPELINE_ITEM_ERRORS)

    def spider_opened(self, spider: Spider) -> None:
        if not isinstance(spider, IncrementalSpider):
            return
        with open_database(self.database_path) as db:
            self.run_id = start_run(
                db,
                spider.name,
                batch=self.batch,
                mode=getattr(spider, "run_mode", FULL_MODE),
                arguments=getattr(spider, "run_arguments", {}),
            )
        self.crawler.stats.set_value(stats_keys.CRAWL_RUN_ID, self.run_id)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        stats = dict(self.crawler.stats.get_stats())
        status, why = run_status(reason, stats, spider.name)
        if why:
            logger.log(logging.ERROR if status == "failed" else logging.WARNING, "Run %s: %s", status, why)
        with open_database(self.database_path) as db:
            finish_run(db, self.run_id, status=status, reason=reason, stats=stats, status_reason=why)


# --- JOBDIR ----------------------------------------------------------------------------------------------------------

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
            if (owner := live_owner(self.pid_file)) is not None:
                raise JobDirInUse(jobdir_in_use(self.jobdir, owner))
            # The previous run died without closing (its pid is gone, or now names another process): its queue and
            # dupefilter cannot be trusted.
            logger.warning(
                "Previous run in %s (pid file %r) did not close; starting its job afresh",
                self.jobdir,
                self.pid_file.read_text().strip(),
            )
            reset_jobdir(self.jobdir)
            self.crawler.stats.set_value(stats_keys.JOBDIR_RESET_AFTER_CRASH, 1)
        elif (self.jobdir / "requests.queue").exists():
            self.crawler.stats.set_value(stats_keys.JOBDIR_RESUMED, 1)
        write_pid_file(self.pid_file)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if reason != "shutdown":
            reset_jobdir(self.jobdir)  # finished (or failed for good): the next run starts a new job
        self.pid_file.unlink(missing_ok=True)
