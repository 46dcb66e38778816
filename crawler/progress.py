"""Live progress of ``demo`` and ``crawl`` on a terminal: one line per outlet with pages fetched, articles new and
already known, failures and the rate (a bar when the total is known), drawn with rich on standard error.

Only on a terminal: under cron or systemd (standard error not a TTY) nothing is drawn and the commands print
exactly what they always did.

- The demo runs its spiders in one process and reads their stats directly (``crawler/cli.py``).
- ``crawl`` runs one ``scrapy crawl`` per outlet: each writes its counts to a small JSON file every
  :data:`PROGRESS_INTERVAL` seconds (:class:`ProgressFile`, an extension on only when ``PROGRESS_FILE`` is set), and
  the parent reads the files while it waits for the processes (``crawler/crawl_command.py``).

Nothing here imports Scrapy at module level: the ``crawl`` command's parent process stays light.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler import stats_keys

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.internet.task import LoopingCall

#: Seconds between two refreshes of the display, and between two writes of a spider's progress file.
PROGRESS_INTERVAL = 0.5


@dataclass
class ProgressCounts:
    """What an outlet's crawl has done so far, from its Scrapy stats."""

    pages: int = 0
    new: int = 0
    known: int = 0
    failures: int = 0
    finished: bool = False

    @classmethod
    def from_stats(cls, stats: Mapping[str, Any], finished: bool = False) -> ProgressCounts:
        return cls(
            pages=stats.get(stats_keys.RESPONSE_RECEIVED_COUNT, 0),
            new=stats.get(stats_keys.ARTICLES_NEW, 0),
            known=known_articles(stats),
            failures=sum(count for key, count in stats.items() if key.startswith(stats_keys.FAILURES_PREFIX)),
            finished=finished,
        )


def known_articles(stats: Mapping[str, Any]) -> int:
    """Articles found already stored: re-crawled, skipped before download (crawler/incremental.py), or 304 to a
    re-check."""
    return (
        stats.get(stats_keys.ARTICLES_DUPLICATE, 0)
        + stats.get(stats_keys.SKIPPED, 0)
        + stats.get(stats_keys.NOT_MODIFIED, 0)
    )


def on_terminal() -> bool:
    return sys.stderr.isatty()


class ProgressDisplay:
    """A rich Progress on standard error, one task per outlet; ``total`` (articles per outlet, when known) draws
    a bar of new plus known articles."""

    def __init__(self, outlets: list[str], total: int | None = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        self.total = total
        bar = [BarColumn(bar_width=16), TextColumn("{task.percentage:>3.0f}%")] if total else []
        # Compact enough for an 80-column terminal with a bar (rich cuts a line that is still too long).
        self.progress = Progress(
            TextColumn("{task.description:<11}"),
            *bar,
            TextColumn(
                "{task.fields[pages]} pages, {task.fields[new]} new, {task.fields[known]} known, "
                "{task.fields[failures]} failed, {task.fields[rate]}/min {task.fields[state]}"
            ),
            console=Console(file=sys.stderr),
            transient=False,
            refresh_per_second=4,
        )
        self.tasks = {
            outlet: self.progress.add_task(outlet, total=total, **self._fields(ProgressCounts(), 0.0))
            for outlet in outlets
        }

    @staticmethod
    def _fields(counts: ProgressCounts, elapsed: float) -> dict[str, Any]:
        rate = f"{counts.pages * 60 / elapsed:.0f}" if elapsed > 1 else "-"
        return {
            "pages": counts.pages,
            "new": counts.new,
            "known": counts.known,
            "failures": counts.failures,
            "rate": rate,
            "state": "done" if counts.finished else "",
        }

    def update(self, outlet: str, counts: ProgressCounts) -> None:
        task_id = self.tasks[outlet]
        task = self.progress.tasks[task_id]
        if task.stop_time is not None:
            return  # finished: its final counts are shown and its clock stopped
        completed = min(counts.new + counts.known, self.total) if self.total else 0
        self.progress.update(task_id, completed=completed, **self._fields(counts, task.elapsed or 0.0))
        if counts.finished:
            self.progress.stop_task(task_id)

    def __enter__(self) -> ProgressDisplay:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


# --- the spiders' side of ``crawl`` ----------------------------------------------------------------------------------


class ProgressFile:
    """Scrapy extension: writes the crawl's :class:`ProgressCounts` as JSON to ``PROGRESS_FILE`` every
    :data:`PROGRESS_INTERVAL` seconds and when the spider closes (``finished: true``). Off without the setting.
    The file is replaced atomically, so a reader never sees half of it."""

    def __init__(self, crawler: Crawler, path: Path) -> None:
        self.crawler = crawler
        self.path = path
        self.loop: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressFile:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        path = crawler.settings.get("PROGRESS_FILE")
        if not path:
            raise NotConfigured  # without a message: Scrapy would log one warning per crawl about it
        extension = cls(crawler, Path(path))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        from twisted.internet import task

        self.loop = loop = task.LoopingCall(self.write)
        loop.start(PROGRESS_INTERVAL)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.write(finished=True)

    def write(self, finished: bool = False) -> None:
        counts = ProgressCounts.from_stats(self.crawler.stats.get_stats(), finished=finished)
        partial = self.path.with_suffix(".part")
        partial.write_text(json.dumps(asdict(counts)), encoding="utf-8")
        os.replace(partial, self.path)


def read_progress_file(path: Path) -> ProgressCounts | None:
    """The counts a spider last wrote, or None before its first write."""
    try:
        return ProgressCounts(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
