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


def test_a_new_scrapy_extension_is_noticed(monkeypatch):
    from scrapy.settings import default_settings

    monkeypatch.setitem(default_settings.EXTENSIONS_BASE, "scrapy.extensions.newthing.NewThing", 0)
    assert any("EXTENSIONS_BASE" in problem for problem in scrapy_compat.check())


def test_the_crawl_loads_neither_the_remote_control_nor_the_telnet_console():
    # Scrapy imports every extension its EXTENSIONS and EXTENSIONS_BASE name (one set to None too): these two are
    # not even named, so no spider process imports aiohttp or twisted.conch for them.
    from scrapy.settings import Settings

    from crawler import settings

    named = set(
        Settings({name: getattr(settings, name) for name in dir(settings) if name.isupper()}).getwithbase("EXTENSIONS")
    )
    assert "scrapy.extensions.corestats.CoreStats" in named and "crawler.runs.CrawlRuns" in named
    assert not named & {"scrapy.extensions.remote_control.RemoteControl", "scrapy.extensions.telnet.TelnetConsole"}
