"""The Scrapy internals the crawler relies on (crawler/scrapy_compat.py) are still where it expects them."""

from __future__ import annotations

from scrapy.spiders import SitemapSpider

from crawler import scrapy_compat


def test_the_installed_scrapy_still_has_every_internal_we_use():
    assert scrapy_compat.check() == []


def test_a_moved_internal_is_named(monkeypatch):
    monkeypatch.delattr(SitemapSpider, "_parse_sitemap")
    monkeypatch.setattr(scrapy_compat, "MAX_REDIRECTIONS_MESSAGE", "a message Scrapy never wrote")
    problems = scrapy_compat.check()
    assert any("_parse_sitemap" in problem for problem in problems)
    assert any("a message Scrapy never wrote" in problem for problem in problems)
