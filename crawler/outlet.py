"""The declarative description of one news outlet.

Every outlet is one subclass of :class:`Outlet`, living in ``spiders/<name>.py`` next to its spider. The class
holds everything known about the outlet: its hosts, the URL forms of its articles, where articles are listed, and
the selectors and text cues the extractor uses. Selectors are hypotheses about markup that may change at any
time: each is a tuple of CSS alternatives tried in order, and the extractor falls back to its generic path (and
says so) when none matches.

Nothing here imports Scrapy: extraction, the CLI and the evaluations use these classes without a crawler.
"""

from __future__ import annotations

import pkgutil
import re
from typing import ClassVar
from urllib.parse import urlsplit


def outlet_names() -> tuple[str, ...]:
    """The names of the outlets described in ``spiders/`` (one module ``spiders/<name>.py`` each), sorted, without
    importing them: cheap enough for command-line choices."""
    import spiders

    return tuple(sorted(module.name for module in pkgutil.iter_modules(spiders.__path__)))


class Outlet:
    """Base class of the outlet descriptions. Subclasses override the class attributes."""

    # --- identity -------------------------------------------------------------------------------------------
    name: ClassVar[str] = ""
    """Short name, also the spider name: ``antv``, ``clo``, ``tgvn``, ``kinhtedothi``."""
    display_name: ClassVar[str] = ""
    """Human name of the outlet, e.g. ``Báo Công luận``."""
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
