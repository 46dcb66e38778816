"""What every replica site shares: sections, article indexes, routing, link variants, responses.

An outlet module subclasses :class:`Site`, fills in the class attributes (hosts, sections, URL forms) and the
``render_*`` methods, and lists its extra routes. The server only calls :meth:`Site.handle`.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import ClassVar
from urllib.parse import urlsplit

from crawler.replica import render
from crawler.replica.content import ReplicaArticle, replica_articles

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
XML = "application/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Section:
    slug: str
    """Key of the section, as it appears in the outlet's listing URL ("the-gioi-7", "thoi-su")."""
    name: str
    """Name printed on pages ("Thế giới")."""
    topic: str
    """Topic of the word bank its synthetic articles are written from."""


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None


def html_response(text: str, status: int = 200, last_modified: datetime | None = None) -> Response:
    return Response(status, text.encode("utf-8"), HTML, last_modified=last_modified)


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", HTML, {"Location": location})


Route = tuple[re.Pattern[str], Callable[..., Response]]


class Site:
    # --- identity, overridden by each outlet -------------------------------------------------------------------
    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    home: ClassVar[str] = ""
    """Canonical scheme + bare host + "/"."""
    hosts: ClassVar[tuple[str, ...]] = ()
    """Every host the site answers on (bare host first)."""
    link_hosts: ClassVar[tuple[str, ...]] = ()
    """Host variants the site's own links sometimes use (www., beta.)."""
    sections: ClassVar[tuple[Section, ...]] = ()
    per_page: ClassVar[int] = 20
    dateline: ClassVar[str] = ""
    salt: ClassVar[int] = 0
    """Makes the outlet's synthetic articles differ from the other outlets' ones with the same index."""
    minutes_between: ClassVar[int] = 240
    """Average spacing of synthetic publication times."""

    def __init__(self, count: int) -> None:
        self.articles = replica_articles(self.name, count)
        self.by_path = {a.path: a for a in self.articles}
        self.newest = sorted(self.articles, key=lambda a: (a.listed_at, -a.index), reverse=True)
        self.by_section: dict[str, list[ReplicaArticle]] = {s.slug: [] for s in self.sections}
        for article in self.newest:
            self.by_section[article.section].append(article)
        self.section_of = {s.slug: s for s in self.sections}
        self.routes: list[Route] = [
            (re.compile(r"/robots\.txt"), self.robots),
            *self.extra_routes(),
        ]

    # --- content hooks used by content.py (class level: no instance needed to generate articles) ------------------

    @classmethod
    def article_path(cls, section: Section, title: str, k: int, published: datetime) -> tuple[str, str | None]:
        """(path, native id) of synthetic article ``k``."""
        raise NotImplementedError

    @classmethod
    def image_url(cls, published: datetime, k: int, i: int) -> str:
        raise NotImplementedError

    @classmethod
    def image_alt(cls, title: str, i: int) -> str:
        return title

    @classmethod
    def byline(cls, author: str | None, rng: random.Random) -> tuple[str | None, str | None]:
        """(author name, byline as printed)."""
        return author, author

    @classmethod
    def caption_credit(cls, rng: random.Random, author: str | None) -> str:
        return f"Ảnh: {author or rng.choice(('PV', 'CTV', 'TTXVN'))}"

    @classmethod
    def kicker(cls, rng: random.Random, fill: dict) -> str | None:
        return None

    @classmethod
    def related_after(cls, rng: random.Random) -> int | None:
        """Number of body paragraphs after which an inline related box sits, or None (no inline box)."""
        return None

    # --- routing ------------------------------------------------------------------------------------------------

    def extra_routes(self) -> list[Route]:
        """(full-match path regex, handler(match, query)) of the outlet; the article lookup and the 404 come
        after them."""
        return []

    def handle(self, target: str) -> Response:
        parts = urlsplit(target)
        path, query = parts.path or "/", parts.query
        for pattern, handler in self.routes:
            if match := pattern.fullmatch(path):
                response = handler(match, query)
                if response is not None:
                    return response
        article = self.by_path.get(path)
        if article is not None:  # any query (tracking parameters) serves the same article
            return html_response(self.render_article(article), last_modified=self.last_modified(article))
        return html_response(self.render_404(path), status=404)

    def robots(self, match: re.Match, query: str) -> Response:
        return Response(200, self.robots_txt().encode("utf-8"), TEXT)

    # --- shared queries -----------------------------------------------------------------------------------------

    def last_modified(self, article: ReplicaArticle) -> datetime:
        return article.listed_at

    def latest(self, n: int, exclude: ReplicaArticle | None = None, skip: int = 0) -> list[ReplicaArticle]:
        items = [a for a in self.newest[: n + skip + 1] if a is not exclude]
        return items[skip: skip + n]

    def older(self, article: ReplicaArticle, n: int) -> list[ReplicaArticle]:
        """The ``n`` articles listed right after ``article`` in its section ("Tin cũ hơn")."""
        items = self.by_section[article.section]
        at = items.index(article)
        return items[at + 1: at + 1 + n]

    def listing(self, slug: str, page: int) -> tuple[list[ReplicaArticle], int] | None:
        """(articles of page ``page``, number of pages) of a section, or None past the end."""
        items = self.by_section.get(slug)
        if items is None:
            return None
        pages = max(1, -(-len(items) // self.per_page))
        if not 1 <= page <= pages:
            return None
        return items[(page - 1) * self.per_page: page * self.per_page], pages

    def href(self, article: ReplicaArticle, context: int = 0) -> str:
        """A link to ``article`` as the outlet's pages write it: mostly the canonical URL, sometimes relative, on
        a host variant, or with tracking parameters. Deterministic in (article, context)."""
        roll = zlib.crc32(f"{article.index}/{context}".encode()) % 100
        path = article.path
        if roll < 8 and self.link_hosts:
            host = self.link_hosts[roll % len(self.link_hosts)]
            return f"https://{host}{path}"
        if roll < 13:
            return f"{self.home.rstrip('/')}{path}?utm_source=home&utm_medium=box&utm_campaign=tin-moi"
        if roll < 40:
            return path
        return article.url

    def abs(self, path: str) -> str:
        return self.home.rstrip("/") + path

    # --- templates, overridden by each outlet -------------------------------------------------------------------

    def robots_txt(self) -> str:
        raise NotImplementedError

    def render_article(self, article: ReplicaArticle) -> str:
        raise NotImplementedError

    def render_404(self, path: str) -> str:
        head = render.Head(title=f"Không tìm thấy trang - {self.display_name}", canonical=self.home,
                           site_name=self.display_name)
        body = (f'<div class="page-404"><h1>404</h1><p>Trang bạn tìm không tồn tại hoặc đã bị xóa.</p>'
                f'<p><a href="{render.esc(self.home)}">Về trang chủ {render.esc(self.display_name)}</a></p></div>')
        return render.page(head, body, "page-404")


def if_modified_since(header: str | None, last_modified: datetime | None) -> bool:
    """True when a conditional GET may be answered 304."""
    if not header or last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    return since is not None and int(last_modified.timestamp()) <= int(since.timestamp())
