"""``scrapy crawl <outlet>``, with the spider arguments checked before the crawl starts.

A bad ``-a`` (crawler/spider_arguments.py) is one line on stderr and exit code 2, as for any bad command line.
Scrapy's own command would create the spider inside the running crawl, where the spider's exception becomes a
logged traceback and exit code 1.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl

if TYPE_CHECKING:
    import argparse

BAD_COMMAND_LINE = 2


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from crawler.incremental import IncrementalSpider
        from crawler.spider_arguments import SpiderArgumentError, spider_arguments

        if len(args) == 1 and self.crawler_process is not None:
            try:
                spider_class = self.crawler_process.spider_loader.load(args[0])
            except KeyError:  # an unknown spider: Scrapy's own message
                spider_class = None
            if spider_class is not None and issubclass(spider_class, IncrementalSpider):
                try:
                    spider_arguments(opts.spargs)
                except SpiderArgumentError as error:
                    print(f"scrapy crawl {args[0]}: {error}", file=sys.stderr)
                    self.exitcode = BAD_COMMAND_LINE
                    return
        super().run(args, opts)
