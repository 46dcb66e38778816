"""The declarative description of one news outlet.

Every outlet is one subclass of :class:`Outlet` in ``crawler/outlets/<name>.py``, listed by the registry
(:mod:`crawler.outlets`). The class holds everything known about the outlet: its hosts, the URL forms of its
articles, where articles are listed, the selectors and text cues the extractor uses, how reports show it and where
its offline replica lives. Selectors are hypotheses about markup that may change at any time: each is a tuple of
CSS alternatives tried in order, and the extractor falls back to its generic path (and says so) when none matches.

Nothing here imports Scrapy: extraction, the CLI and the evaluations use these classes without a crawler.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import urlsplit


class Outlet:
    """Base class of the outlet descriptions. Subclasses override the class attributes."""

    # --- identity -------------------------------------------------------------------------------------------
    name: ClassVar[str] = ""
    """Short name, also the spider name and the ``outlet`` column of the corpus (``clo``)."""
    display_name: ClassVar[str] = ""
    """Human name of the outlet, e.g. ``Báo Công luận``: reports, charts, Datasette."""
    report_colour: ClassVar[str] = "#7f7f7f"
    """The outlet's colour in the report's charts (a CSS colour)."""
    home: ClassVar[str] = ""
    """Canonical scheme and host with a trailing slash, e.g. ``https://antv.gov.vn/``."""
    host_aliases: ClassVar[tuple[str, ...]] = ()
    """Other hosts serving the same articles (``www.``, ``beta.``); folded into ``home``'s host."""

    # --- URL forms --------------------------------------------------------------------------------------------
    article_paths: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Patterns matched (``fullmatch``) against the URL path of an article. A named group ``id`` is the
    outlet's native article id."""
    excluded_paths: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Paths that look like articles but are not (radio sections, event pages)."""

    # --- discovery ------------------------------------------------------------------------------------------
    sitemap_paths: ClassVar[tuple[str, ...]] = ()
    """Sitemaps to read besides those named in robots.txt (paths relative to ``home``)."""
    feed_paths: ClassVar[tuple[str, ...]] = ()
    """RSS feeds (paths relative to ``home``)."""
    listing_paths: ClassVar[tuple[str, ...]] = ()
    """Category listings to walk (paths relative to ``home``)."""
    next_page_selectors: ClassVar[tuple[str, ...]] = ()
    """CSS selectors of the "next page" link on a listing page."""

    # --- extraction ------------------------------------------------------------------------------------------
    # Each is a tuple of CSS alternatives tried in order; the first one that matches wins.
    article_selectors: ClassVar[tuple[str, ...]] = ()
    """The element holding title, meta line, lead and body: scopes everything else."""
    title_selectors: ClassVar[tuple[str, ...]] = ()
    lead_selectors: ClassVar[tuple[str, ...]] = ()
    body_selectors: ClassVar[tuple[str, ...]] = ()
    author_selectors: ClassVar[tuple[str, ...]] = ()
    published_selectors: ClassVar[tuple[str, ...]] = ()
    category_selectors: ClassVar[tuple[str, ...]] = ()
    tag_selectors: ClassVar[tuple[str, ...]] = ()
    noise_selectors: ClassVar[tuple[str, ...]] = ()
    """Elements removed from the body container before text extraction (related boxes, share bars, ...)."""
    dateline_prefixes: ClassVar[tuple[str, ...]] = ()
    """How the outlet's leads start ("(CLO)", "(ANTV) -", "Kinhtedothi -"): kept in the lead, used to find it."""
    caption_selectors: ClassVar[tuple[str, ...]] = ()
    """Caption elements inside an image block, beyond the generic ones (figcaption, 2nd cell of a caption table,
    a class naming a caption)."""
    noise_patterns: ClassVar[tuple[re.Pattern[str], ...]] = ()
    """Outlet-specific widget lines (whole-element text, ``search``) removed from the body, beyond the generic
    Vietnamese boilerplate vocabulary of ``crawler.extraction.noise``."""
    trailing_headings: ClassVar[tuple[str, ...]] = ()
    """Headings the outlet prints over blocks after its articles (the block and all after it go), beyond the
    generic Vietnamese ones ("Tin mới", "Đọc nhiều") of ``crawler.extraction.noise``."""
    inline_headings: ClassVar[tuple[str, ...]] = ()
    """Headings of boxes the outlet puts inside its articles (only the box goes), beyond the generic ones."""
    section_label_classes: ClassVar[tuple[str, ...]] = ()
    """Class words of the outlet's breadcrumb or section label ("breadcump"), beyond the generic ones: how the
    generic path still finds the category when the outlet's category selectors miss."""

    # --- replica ----------------------------------------------------------------------------------------------
    replica_site: ClassVar[str] = ""
    """``module:attribute`` of the outlet's offline replica site, a ``crawler.replica.site.Site`` subclass in the
    markup the selectors above were written for; empty for an outlet without a replica."""
    replica_redesign_site: ClassVar[str] = ""
    """``module:attribute`` of the same site in other templates (the ``redesign`` layout, where the selectors miss
    on purpose); empty: the standard site serves that layout too."""
    replica_non_article_kinds: ClassVar[frozenset[str]] = frozenset()
    """Kinds of the replica's linked pages that look like articles but are not (``radio``, ``tag``, ...): what the
    replica tests expect the outlet's ``excluded_paths`` and the extractor to keep out of the corpus."""

    # --- URL helpers ---------------------------------------------------------------------------------------------
    @classmethod
    def host(cls) -> str:
        return urlsplit(cls.home).hostname or ""

    @classmethod
    def hosts(cls) -> tuple[str, ...]:
        return (cls.host(), *cls.host_aliases)

    @classmethod
    def owns(cls, url: str) -> bool:
        """True when ``url`` is on one of the outlet's hosts."""
        return (urlsplit(url).hostname or "").lower() in cls.hosts()

    @classmethod
    def _article_match(cls, url: str) -> re.Match[str] | None:
        if not cls.owns(url):
            return None
        path = urlsplit(url).path
        if any(pattern.fullmatch(path) for pattern in cls.excluded_paths):
            return None
        for pattern in cls.article_paths:
            if match := pattern.fullmatch(path):
                return match
        return None

    @classmethod
    def is_article_url(cls, url: str) -> bool:
        """True when ``url`` has the form of one of the outlet's article URLs."""
        return cls._article_match(url) is not None

    @classmethod
    def native_id(cls, url: str) -> str | None:
        """The outlet's own article id carried by the URL, or None (some URL forms carry none)."""
        match = cls._article_match(url)
        if match is None or "id" not in match.groupdict():
            return None
        return match.group("id")

    @classmethod
    def absolute(cls, path: str) -> str:
        """The live URL of a path relative to the outlet's home."""
        return cls.home + path.lstrip("/")
