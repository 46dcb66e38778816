"""``scrapy crawl <outlet>`` that checks what it is given before it starts, and whose exit code says whether the
run succeeded.

- A bad ``-a`` (crawler/spider_arguments.py) is one line on stderr and exit code 2, as for any bad command line.
  Scrapy's own command would create the spider inside the running crawl, where the spider's exception becomes a
  logged traceback and exit code 1.
- A database it must not use (see :func:`crawler.storage.open_database`) is one line and exit 1 before anything
  starts.
- Scrapy's own exits 0 whenever the spider could start: a run that fetched nothing (no DNS, refused connections, a
  wrong ``REPLICA_URL``), lost its Redis server or its database writes ends with exit 0 all the same, and cron and
  systemd see a success. This one exits by the run's status (:func:`crawler.runs.run_status`, the status the
  ``crawl_runs`` row records, also for distributed workers that write none): 0 for ``ok``, 3 for ``degraded`` (the
  outlet's rules no longer fit the site), 1 for anything else, and prints why in one line.
"""

from __future__ import annotations

import argparse
import gc
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler
from scrapy.spiders import Spider

from crawler import stats_keys
from crawler.distributed import redis_url
from crawler.health import EXIT_FAILED, exit_code
from crawler.runs import run_status
from crawler.storage import database_problem

BAD_COMMAND_LINE = 2


class Command(ScrapyCrawlCommand):
    crawler: Crawler | None = None

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)  # kept: the process forgets it once it has run
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if self._bad_arguments(args, opts):
            self.exitcode = BAD_COMMAND_LINE
            return
        # The database refused (not SQLite, not ours, newer than the code): one line, before any component opens
        # it. Distributed workers do not write it (and may have none).
        assert self.settings is not None, "set by Scrapy before run()"
        database = self.settings.get("DATABASE_PATH")
        if database and not redis_url(self.settings) and (problem := database_problem(database)):
            print(f"scrapy crawl: {problem}", file=sys.stderr, flush=True)
            self.exitcode = EXIT_FAILED
            return
        # What is loaded by now (Scrapy, Twisted, the spiders, the extractor and trafilatura: some 70,000 objects)
        # lives as long as the process. Frozen, the garbage collector's full collections stop walking it every time:
        # they were 5% of a spider's CPU (0.36 s of 7 for 1,000 articles, 0.10 s frozen). Collected first, so that
        # no garbage of the start-up is frozen with it.
        gc.collect()
        gc.freeze()
        super().run(args, opts)
        if self.exitcode or self.crawler is None:
            return
        stats = self.crawler.stats.get_stats()
        status, why = run_status(stats.get(stats_keys.FINISH_REASON, "unknown"), stats, self.crawler.spidercls.name)
        if status != "ok":
            print(f"scrapy crawl: run {status}: {why}", flush=True)
            self.exitcode = exit_code([status])

    def _bad_arguments(self, args: list[str], opts: argparse.Namespace) -> bool:
        """Print why the outlet spider's ``-a`` arguments are refused, if they are."""
        from crawler.incremental import IncrementalSpider
        from crawler.spider_arguments import SpiderArgumentError, spider_arguments

        if len(args) != 1 or self.crawler_process is None:
            return False
        try:
            spider_class = self.crawler_process.spider_loader.load(args[0])
        except KeyError:  # an unknown spider: Scrapy's own message
            return False
        if not issubclass(spider_class, IncrementalSpider):
            return False
        try:
            spider_arguments(opts.spargs)
        except SpiderArgumentError as error:
            print(f"scrapy crawl {args[0]}: {error}", file=sys.stderr)
            return True
        return False
