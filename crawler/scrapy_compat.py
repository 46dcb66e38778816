"""The Scrapy internals this project relies on, in one place, checked against the Scrapy they were written for.

Scrapy offers no public hook for these, so each use reaches into a private name or a message text. When Scrapy is
upgraded past :data:`WRITTEN_FOR`, :func:`check` (run by the test suite) says which one moved:

- ``SitemapSpider._parse_sitemap``: overridden by :class:`crawler.spider.OutletSpider` to build article requests
  with an errback and to bound nested sitemaps;
- ``scrapy.downloadermiddlewares.httpcompression._DecompressionMaxSizeExceeded``: the cause that tells a
  decompression bomb (``too_large``) from other ignored requests;
- ``RobotsTxtMiddleware._parsers``: the per-host parsers (or the Deferreds of those still downloading) that
  :class:`crawler.middlewares.SharedRobotsTxtMiddleware` reads and replaces;
- :data:`MAX_REDIRECTIONS_MESSAGE`: the text of the one ``IgnoreRequest`` ``RedirectMiddleware`` raises;
- ``EXTENSIONS_BASE``: crawler/settings.py lists Scrapy's own extensions less the unused ones it names.
"""

from __future__ import annotations

import inspect

import scrapy
from scrapy.downloadermiddlewares import httpcompression, redirect
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.spiders import SitemapSpider

#: The Scrapy release these internals were read from (major, minor).
WRITTEN_FOR = (2, 19)
#: ``RedirectMiddleware``'s message when a request was redirected more than ``REDIRECT_MAX_TIMES`` times.
MAX_REDIRECTIONS_MESSAGE = "max redirections reached"
#: The attribute of RobotsTxtMiddleware holding the parsers per host.
ROBOTS_PARSERS_ATTRIBUTE = "_parsers"

DecompressionMaxSizeExceeded: type[Exception] = httpcompression._DecompressionMaxSizeExceeded


def check() -> list[str]:
    """What no longer holds in the installed Scrapy (empty when everything this module names is still there)."""
    problems = []
    if tuple(int(part) for part in scrapy.__version__.split(".")[:2]) != WRITTEN_FOR:
        problems.append(f"Scrapy {scrapy.__version__}, not {'.'.join(map(str, WRITTEN_FOR))}: re-read the internals")
    if not callable(getattr(SitemapSpider, "_parse_sitemap", None)):
        problems.append("SitemapSpider._parse_sitemap is gone")
    if ROBOTS_PARSERS_ATTRIBUTE not in RobotsTxtMiddleware.__init__.__code__.co_names:
        problems.append(f"RobotsTxtMiddleware.{ROBOTS_PARSERS_ATTRIBUTE} is gone")
    from scrapy.settings import default_settings

    from crawler import settings

    expected = {
        name: order
        for name, order in default_settings.EXTENSIONS_BASE.items()
        if name not in settings.UNUSED_SCRAPY_EXTENSIONS
    }
    if expected != settings.EXTENSIONS_BASE:
        problems.append("Scrapy's EXTENSIONS_BASE changed: update crawler/settings.py's")
    if MAX_REDIRECTIONS_MESSAGE not in inspect.getsource(redirect):
        problems.append(f"RedirectMiddleware no longer says {MAX_REDIRECTIONS_MESSAGE!r}")
    return problems
