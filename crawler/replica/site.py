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

from crawler.outlet import Outlet
from crawler.replica import render
from crawler.replica.content import HardCase, NonArticle, ReplicaArticle, replica_articles

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
    # --- identity: the outlet's unit (crawler/outlets/), the one statement of its name, hosts and home -----------
    outlet: ClassVar[type[Outlet]]
    """The outlet this site replicates; ``name``, ``display_name``, ``home`` and ``hosts`` come from it."""
    name: ClassVar[str] = ""
    display_name: ClassVar[str] = ""
    home: ClassVar[str] = ""
    """Canonical scheme + bare host + "/"."""
    hosts: ClassVar[tuple[str, ...]] = ()
    """Every host the site answers on (bare host first)."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "outlet" in cls.__dict__:
            cls.name, cls.display_name, cls.home = cls.outlet.name, cls.outlet.display_name, cls.outlet.home
            cls.hosts = cls.outlet.hosts()

    link_hosts: ClassVar[tuple[str, ...]] = ()
    """Host variants the site's own links sometimes use (www., beta.)."""
    sections: ClassVar[tuple[Section, ...]] = ()
    per_page: ClassVar[int] = 20
    dateline: ClassVar[str] = ""
    salt: ClassVar[int] = 0
    """Makes the outlet's synthetic articles differ from the other outlets' ones with the same index."""
    minutes_between: ClassVar[int] = 240
    """Average spacing of synthetic publication times."""
    hard_cases: ClassVar[dict[int, HardCase]] = {}
    """Synthetic index -> the hard case published there (short, photo, video, bulletin pages)."""
    listing_root: ClassVar[str] = "/{slug}.html"
    """Path of a section's first listing page (``{slug}``: the section's slug), as the site links it."""
    next_page_selector: ClassVar[str] = ""
    """CSS selector of the "next page" link on the site's listing pages (how the real site marks it)."""
    published_datelines: ClassVar[tuple[str, ...]] = ()
    """Every dateline form the site's leads open with (the tests check each is published)."""
    noise_headings: ClassVar[tuple[str, ...]] = ()
    """Noise headings every article page of this layout prints (the redesigns carry a wider vocabulary)."""
    soft_404_links: ClassVar[tuple[tuple[str, str], ...]] = ()
    """(path, link text) of deleted articles the home page still links: article URLs answered 200 with a "not
    found" page in full chrome. The first says so in its <title>; the next ones keep the site's generic title."""

    def __init__(self, count: int, fresh: int = 0) -> None:
        """``count`` articles, and ``fresh`` more published since the server started (``ReplicaServer.publish``),
        on top of everything."""
        from crawler.replica.publishing import fresh_articles

        self.revisions: dict[str, tuple[ReplicaArticle, datetime]] = {}
        """Articles edited since publication (``ReplicaServer.revise``): path -> (edited article, edit time)."""
        self.articles = replica_articles(self.name, count)
        self.articles = self.articles + fresh_articles(self.name, fresh, len(self.articles))
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
        if self.soft_404_links:
            soft_404_paths = "|".join(re.escape(path) for path, _ in self.soft_404_links)
            self.routes.insert(0, (re.compile(soft_404_paths), self.render_soft_404))

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
    def video_url(cls, published: datetime, k: int) -> str:
        return f"{cls.home}video/{published:%Y/%m/%d}/{cls.name}-{k}.mp4"

    @classmethod
    def kicker(cls, rng: random.Random, fill: dict) -> str | None:
        return None

    @classmethod
    def non_articles(cls, articles: list[ReplicaArticle]) -> list[NonArticle]:
        """The outlet's linked pages that are not articles (``articles``: the site's articles, for pages built
        from them such as tag pages). Outlets extend this with their own look-alikes."""
        return [
            NonArticle(cls.name, cls.home.rstrip("/") + path, "soft_404", title) for path, title in cls.soft_404_links
        ]

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
        revision = self.revisions.get(path)
        article = revision[0] if revision else self.by_path.get(path)
        if article is not None:  # any query (tracking parameters) serves the same article
            modified = revision[1] if revision else self.last_modified(article)
            return html_response(self.render_article(article), last_modified=modified)
        return html_response(self.render_404(path), status=404)

    def robots(self, match: re.Match, query: str) -> Response:
        return Response(200, self.robots_txt().encode("utf-8"), TEXT)

    # --- shared queries -----------------------------------------------------------------------------------------

    def last_modified(self, article: ReplicaArticle) -> datetime:
        return article.listed_at

    def latest(self, n: int, exclude: ReplicaArticle | None = None, skip: int = 0) -> list[ReplicaArticle]:
        items = [a for a in self.newest[: n + skip + 1] if a is not exclude]
        return items[skip : skip + n]

    def older(self, article: ReplicaArticle, n: int) -> list[ReplicaArticle]:
        """The ``n`` articles listed right after ``article`` in its section ("Tin cũ hơn")."""
        items = self.by_section[article.section]
        at = next(i for i, item in enumerate(items) if item.path == article.path)  # by path: revisions too
        return items[at + 1 : at + 1 + n]

    def related_targets(self, article: ReplicaArticle, n: int) -> list[ReplicaArticle]:
        """``n`` articles for a related box: the older ones of its section, topped up with the latest (an old
        article near the end of its section has few older neighbours)."""
        targets = self.older(article, n)
        picked = {a.url for a in targets}
        return targets + [a for a in self.latest(2 * n, exclude=article) if a.url not in picked][: n - len(targets)]

    def listing(self, slug: str, page: int) -> tuple[list[ReplicaArticle], int] | None:
        """(articles of page ``page``, number of pages) of a section, or None past the end."""
        items = self.by_section.get(slug)
        if items is None:
            return None
        pages = max(1, -(-len(items) // self.per_page))
        if not 1 <= page <= pages:
            return None
        return items[(page - 1) * self.per_page : page * self.per_page], pages

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

    def wrap(self, head: render.Head, main: str) -> str:
        """The outlet's chrome (header, menu, footer) around ``main``."""
        raise NotImplementedError

    def article_head(self, a: ReplicaArticle) -> render.Head:
        """<head> of an article page: title, description, Open Graph and article meta (kept by the redesign)."""
        return render.Head(
            title=a.title,
            canonical=a.url,
            description=a.lead,
            site_name=self.display_name,
            og_type="article",
            image=a.images[0][0] if a.images else None,
            published=a.published,
            section=a.category,
            keywords=a.tags,
        )

    def render_article(self, article: ReplicaArticle) -> str:
        raise NotImplementedError

    def soft_404_box(self) -> str:
        """The home page's links to the deleted articles, in a box of headlines like any other."""
        if not self.soft_404_links:
            return ""
        return render.teaser_list("Tin nổi bật", self.soft_404_links, "box-highlight")

    def render_soft_404(self, match: re.Match, query: str) -> Response:
        """A deleted article: status 200 (the trap), the outlet's full chrome, a "not found" message and the
        latest headlines, on an article URL."""
        path = match.group(0)
        says_so_in_title = path == self.soft_404_links[0][0]
        title = f"Không tìm thấy trang - {self.display_name}" if says_so_in_title else self.display_name
        head = render.Head(title=title, canonical=self.abs(path), site_name=self.display_name)
        message = (
            '<h1 class="notfound__title">Không tìm thấy trang</h1>'
            '<p class="notfound__text">Đường dẫn bạn truy cập không tồn tại hoặc đã bị thay đổi.</p>'
            if says_so_in_title
            else '<p class="notfound__text">Bài viết không tồn tại hoặc đã bị xóa.</p>'
        )
        latest = render.teaser_list(
            "Tin mới nhất", [(self.href(a, 11), a.title) for a in self.latest(6)], "notfound__latest"
        )
        main = (
            f'<div class="notfound">{message}<p><a href="{render.esc(self.home)}">Quay lại trang chủ</a></p>'
            f"{latest}</div>"
        )
        return html_response(self.wrap(head, main), status=200)

    def render_404(self, path: str) -> str:
        head = render.Head(
            title=f"Không tìm thấy trang - {self.display_name}", canonical=self.home, site_name=self.display_name
        )
        body = (
            f'<div class="page-404"><h1>404</h1><p>Trang bạn tìm không tồn tại hoặc đã bị xóa.</p>'
            f'<p><a href="{render.esc(self.home)}">Về trang chủ {render.esc(self.display_name)}</a></p></div>'
        )
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
