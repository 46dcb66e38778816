"""Feed exports (``scrapy crawl <outlet> -O articles.jsonl``, ``FEEDS``) hold articles only.

A spider yields two kinds of items: :class:`~crawler.items.Article` and :class:`~crawler.items.PageFailure` (a page
that did not become an article, for the ``failures`` table). A feed is read as a list of articles, and the two have
no field telling them apart, so :class:`ArticlesOnlyFeeds` (an add-on) gives every feed that chose no items of its
own Scrapy's ``item_classes`` option with the Article class. A feed that sets ``item_classes`` (or its own
``item_filter``) keeps it:
``{"failures.jsonl": {"format": "jsonlines", "item_classes": ["crawler.items.PageFailure"]}}`` exports the failures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import Settings

ARTICLE_CLASS = "crawler.items.Article"


class ArticlesOnlyFeeds:
    def update_settings(self, settings: Settings) -> None:
        feeds = settings.getdict("FEEDS")
        if not feeds:
            return
        articles_only = {
            uri: options
            if options.get("item_classes") or options.get("item_filter")
            else {**options, "item_classes": [ARTICLE_CLASS]}
            for uri, options in feeds.items()
        }
        # FEEDS has feeds, so it was set, with a priority (0, the default's, would only stand for a missing one).
        settings.set("FEEDS", articles_only, priority=settings.getpriority("FEEDS") or 0)
