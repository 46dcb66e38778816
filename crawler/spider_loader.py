"""SPIDER_LOADER_CLASS: Scrapy's spider loader, with a broken outlet module reported in one line.

The spiders are created from the outlet registry when Scrapy imports ``spiders`` (``spiders/__init__.py``). A module
named in ``VN_NEWS_OUTLETS`` that cannot be used raises :class:`crawler.outlets.OutletError` there, before any
command runs: ``scrapy crawl`` and ``scrapy list`` then stop with that one line and exit code 1, as
``python -m crawler`` does, instead of a traceback from inside Scrapy.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from crawler.outlets import OutletError


class OutletSpiderLoader(SpiderLoader):
    def __init__(self, settings: BaseSettings) -> None:
        try:
            super().__init__(settings)
        except OutletError as error:
            raise SystemExit(f"scrapy: {error}") from None
