"""How a listing's pages and a site's sections are found without knowing the site: the generic pagination and the
home page's navigation, shared by the spider (crawler/spider.py) and ``doctor`` (crawler/doctor/). No Scrapy: both
hand in the links they read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from crawler.outlet import Outlet
from crawler.urls import canonical_url

#: The "next page" links a site may mark as such, whatever the outlet's own selectors say.
NEXT_PAGE_SELECTORS = ("a[rel=next]", "link[rel=next]")
#: Links of the site's navigation: in a nav or header block, or in a block whose class or id names a menu.
NAVIGATION_LINKS = (
    "//nav//a/@href | //header//a/@href | //*[contains(@class, 'menu') or contains(@id, 'menu') "
    "or contains(@class, 'nav') or contains(@id, 'nav')]//a/@href"
)
#: Links in a navigation that are no section: files, feeds, sitemaps.
NOT_A_SECTION = re.compile(
    r"\.(?:rss|xml|jpe?g|png|gif|svg|webp|ico|pdf|mp3|mp4|css|js)$|/(?:rss|feed)s?(?:/|$)", re.IGNORECASE
)
#: How listings number their pages in URLs, with the number of their first page (which usually has none):
#: ``?page=N`` (and ``p=``, ``trang=``), ``/trang-N``, ``/pN`` (``/p2.html``), MasterCMS's ``&BRSR=<offset>``.
PAGE_NUMBER_FORMS = (
    (re.compile(r"[?&](?:page|trang|p)=(\d+)"), 1),
    (re.compile(r"/trang-(\d+)(?=\.html$|/?$)"), 1),
    (re.compile(r"/p(\d+)(?=\.html$|/?$)"), 1),
    (re.compile(r"(?:&s_cond=)?&BRSR=(\d+)"), 0),
)
#: Texts of a "next page" link (compared case-folded, whitespace collapsed).
NEXT_PAGE_TEXTS = frozenset(
    {"trang sau", "trang tiếp", "trang tiếp theo", "tiếp theo", "xem thêm", "sau", "tiếp", "»", "›", ">", ">>", "next"}
)


def navigation_sections(
    hrefs: Iterable[str], base_url: str, outlet: type[Outlet], limit: int
) -> tuple[list[str], bool]:
    """The sections among the links of a home page's navigation (``hrefs``, read with :data:`NAVIGATION_LINKS`):
    same-host pages that are not articles, files or feeds, nor the home page, in order, without fragments; at most
    ``limit``, and whether the limit cut the list."""
    home = canonical_url(outlet.home, outlet)
    sections: dict[str, None] = {}
    for href in hrefs:
        url = urljoin(base_url, href.strip()).split("#", 1)[0]
        if (
            not url.startswith(("http://", "https://"))
            or not outlet.owns(url)
            or outlet.is_article_url(url)
            or NOT_A_SECTION.search(urlsplit(url).path)
            or canonical_url(url, outlet) == home
        ):
            continue
        sections[url] = None
        if len(sections) >= limit:
            return list(sections), True
    return list(sections), False


def generic_next_page(url: str, page: int, links: Iterable[tuple[str, str]]) -> str | None:
    """The next page of the listing page at ``url`` (page number ``page`` of its walk) among ``links`` ((URL,
    text) of its same-host, non-article links), however the site numbers its pages: the link numbering the same
    listing (the URL without its number) with the smallest number above this page's (:data:`PAGE_NUMBER_FORMS`),
    else a link saying "next page" (:data:`NEXT_PAGE_TEXTS`), else the link whose text is the next page number."""
    links = [(link, text) for link, text in links if link.split("#", 1)[0] != url]
    for form, first in PAGE_NUMBER_FORMS:
        found = form.search(url)
        current = int(found.group(1)) if found else first
        listing = _without_page_number(url, form)
        numbered = [
            (int(match.group(1)), link)
            for link, _ in links
            if (match := form.search(link))
            and _without_page_number(link, form) == listing
            and int(match.group(1)) > current
        ]
        if numbered:
            return min(numbered)[1]
    for wanted in (
        lambda text: " ".join(text.casefold().split()) in NEXT_PAGE_TEXTS,
        lambda text: text.strip() == str(page + 1),
    ):
        if chosen := next((link for link, text in links if wanted(text)), None):
            return chosen
    return None


def _without_page_number(url: str, form: re.Pattern[str]) -> str:
    """The listing a page URL belongs to: the URL without its page number, the query's first separator kept as
    ``?`` and without a trailing slash."""
    stripped = form.sub(lambda match: "?" if match.group(0).startswith("?") else "", url, count=1)
    return stripped.rstrip("?&").rstrip("/")
