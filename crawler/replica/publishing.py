"""A replica that keeps publishing: articles that appear, and articles edited, while the server runs.

``ReplicaServer.publish(n)`` adds ``n`` articles per outlet that are newer than every other: synthetic articles
``-1, -2, ...`` of the content model (article ``k`` is ``k`` steps before the newest, so a negative ``k`` is after
it; titles, URLs and texts stay unique, since the slot bijection holds for any integer). They go on top of the
listings, feeds and sitemaps; no existing URL changes. ``ReplicaServer.revise(url, ...)`` serves an edited text
under the same URL, with a later ``Last-Modified``, so conditional requests see the change.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crawler.replica.content import ReplicaArticle, synthetic_article

if TYPE_CHECKING:
    from crawler.replica.site import Site


def fresh_articles(outlet: str, count: int, first_index: int) -> list[ReplicaArticle]:
    """The ``count`` articles published after the replica started, newest first (copies: the content model's
    cached articles are shared)."""
    return [
        dataclasses.replace(synthetic_article(outlet, -k), index=first_index + count - k) for k in range(count, 0, -1)
    ]


def build_site(site_class: type[Site], articles_per_outlet: int, fresh: int) -> Site:
    """A Site of ``site_class`` with ``fresh`` published articles on top."""
    return site_class(articles_per_outlet, fresh)


def revised(
    article: ReplicaArticle, paragraph: str, modified: datetime | None = None
) -> tuple[ReplicaArticle, datetime]:
    """``article`` with ``paragraph`` appended to its body, and the time of the edit (after its publication)."""
    modified = modified or article.listed_at + timedelta(hours=1)
    edited = dataclasses.replace(article, body=[*article.body, paragraph], blocks=[*article.blocks, ("p", paragraph)])
    return edited, modified
