"""``scrapy crawl <outlet>`` whose exit code says whether the run succeeded.

Scrapy's own exits 0 whenever the spider could start: a run that fetched nothing (no DNS, refused connections, a
wrong ``REPLICA_URL``), lost its Redis server or its database writes ends with exit 0 all the same, and cron and
systemd see a success. This one exits 1 unless the run's status (:func:`crawler.runs.run_status`, the status the
``crawl_runs`` row records, also for distributed workers that write none) is ``ok``, and prints why in one line.
"""

from __future__ import annotations

import argparse
import logging

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler.runs import run_status

logger = logging.getLogger(__name__)


class Command(ScrapyCrawlCommand):
    crawler: Crawler | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)  # kept: the process forgets it once it has run
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        if self.exitcode or self.crawler is None:
            return
        stats = self.crawler.stats.get_stats()
        status, why = run_status(stats.get("finish_reason", "unknown"), stats)
        if status != "ok":
            print(f"scrapy crawl: run {status}: {why}", flush=True)
            self.exitcode = 1
