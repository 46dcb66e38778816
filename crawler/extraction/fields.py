"""One small function per output field. Each takes the parsed :class:`Page` and tries, in order, the outlet's
declarative selectors (``crawler/outlets/*.py``), the page's machine-readable metadata, then generic structure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.extraction.authors import clean_author, looks_like_byline
from crawler.extraction.dates import parse_iso, parse_vietnamese_date
from crawler.extraction.html import (
    HeadElements,
    class_and_id,
    css,
    following,
    inside,
    json_ld_article,
    meta_values,
    xpath,
)
from crawler.extraction.noise import heading_kind, section_label_classes
from crawler.extraction.text import (
    element_text,
    has_text,
    link_density,
    normalize,
    own_text,
    same_text,
    text_longer_than,
)
from crawler.extraction.thresholds import THRESHOLDS
from crawler.outlet import Outlet
from crawler.urls import canonical_url

#: Containers whose dates are the site's, not the article's: the header bar prints the render date.
SITE_CHROME = re.compile(
    r"(?:^|[\s_-])(?:header|top-?bar|topbar|navbar|menu|footer|site-?date|current-?date|"
    r"today)(?:$|[\s_-])",
    re.IGNORECASE,
)
#: Dateline prefixes used by Vietnamese outlets beyond the four described ones: "(TTXVN) -", "VOV.VN -".
GENERIC_DATELINE = re.compile(
    r"^(?:\((?:[A-ZĐ][A-ZĐa-zđ&.+/ -]{1,20})\)\s*[-–:]?\s*"
    r"|[A-ZĐ][\w.&]{1,20}\.(?:VN|vn)\s*[-–]\s)"
)
SOFT_404 = re.compile(
    r"^(?:404|lỗi 404|error 404|not found)\b|\b404 not found\b"
    r"|không tìm thấy (?:trang|bài viết|nội dung)|"
    r"page not found|đường dẫn không (?:tồn tại|hợp lệ)|(?:trang|bài viết|nội dung)"
    r"(?: (?:bạn|quý vị|quý độc giả))?(?: đang)?(?: (?:yêu cầu|tìm kiếm|tìm|truy cập|muốn xem|xem))? "
    r"(?:không tồn tại|không còn tồn tại|đã bị (?:xóa|xoá|gỡ bỏ|gỡ))",
    re.IGNORECASE,
)
#: The title of a site's search page ("Kết quả tìm kiếm cho: sầu riêng").
SEARCH_PAGE = re.compile(r"^(?:kết quả tìm kiếm|tìm kiếm|search results?)\b", re.IGNORECASE)
HOME_LABELS = {"trang chủ", "home", "trang chu", "homepage"}
SELECTOR_FIELDS = ("title", "lead", "body", "author", "published", "category", "tags")
"""The fields an outlet's selectors supply (its ``<field>_selectors``), as :attr:`Page.matched` names them."""


def selector_attribute(field: str) -> str:
    """The :class:`~crawler.outlet.Outlet` attribute holding the selectors of ``field`` (of :data:`SELECTOR_FIELDS`)."""
    return "tag_selectors" if field == "tags" else f"{field}_selectors"


@dataclass
class Page:
    tree: etree._Element
    url: str
    outlet: type[Outlet] | None
    head: HeadElements
    meta: dict[str, str] = field(default_factory=dict)
    ld: dict = field(default_factory=dict)
    scope: etree._Element | None = None
    """The outlet's article container, when its selector matched."""
    matched: dict[str, str] = field(default_factory=dict)
    """Per field of :data:`SELECTOR_FIELDS`, the outlet selector that supplied it on this page. A field not here
    came from the page's metadata or the generic path, or the page has none: what ``doctor`` reports."""

    @classmethod
    def of(cls, tree: etree._Element, url: str, outlet: type[Outlet] | None) -> Page:
        head = HeadElements.of(tree)
        page = cls(tree, url, outlet, head, meta_values(tree, head.metas), json_ld_article(head.json_ld_scripts))
        page.scope = first(tree, outlet.article_selectors) if outlet else None
        return page

    @property
    def root(self) -> etree._Element:
        return self.scope if self.scope is not None else self.tree

    @property
    def base_url(self) -> str:
        # the first base element still in the page (the rules may have removed one from the body)
        bases = [b.get("href", "") for b in self.head.bases if inside(b, self.tree)]
        return urljoin(self.url, bases[0].strip()) if bases and bases[0].strip() else self.url


def first(root: etree._Element, selectors: Iterable[str]) -> etree._Element | None:
    match = first_match(root, selectors)
    return match[1] if match is not None else None


def first_match(root: etree._Element, selectors: Iterable[str]) -> tuple[str, etree._Element] | None:
    """The first of ``selectors`` that matches an element with text under ``root``, and that element."""
    for selector in selectors:
        for element in css(root, selector):
            if has_text(element) or element.tag in ("img", "time", "meta"):
                return selector, element
    return None


def select_all(root: etree._Element, selectors: Iterable[str]) -> tuple[str, list[etree._Element]]:
    """The first of ``selectors`` that matches under ``root``, and all it matches; ``("", [])`` when none does."""
    for selector in selectors:
        if found := css(root, selector):
            return selector, found
    return "", []


def in_site_chrome(element: etree._Element) -> bool:
    """Inside the site's header bar, menus or footer, whose dates and names are the site's, not the article's.
    A ``<header>`` or ``<nav>`` of the article itself is not (see :func:`_article_header`)."""
    for node in (element, *element.iterancestors()):
        if node.tag in ("header", "nav") and not _article_header(node):
            return True  # a <nav> breadcrumb in the article's own header is the article's
        if node.tag == "footer":
            return True
        if SITE_CHROME.search(class_and_id(node)) and not _article_header(node):
            return True
    return False


def _article_header(node: etree._Element) -> bool:
    """A header or nav of the article itself: inside ``article``/``main``, or a nav in the same block as the
    headline. (A site header holds an ``h1`` too: the logo.)"""
    if any(a.tag in ("article", "main") for a in node.iterancestors()):
        return True
    parent = node.getparent()
    return node.tag == "nav" and parent is not None and parent.find("h1") is not None


# --- url ------------------------------------------------------------------------------------------------------
def canonical(page: Page) -> tuple[str, str | None]:
    """``(url, untrusted)``: the article's canonical URL, and the page's ``link rel=canonical`` when it was not
    believed (else None).

    The canonical link is the article's identity, so a wrong one (a CMS template pointing every page at the home
    page, or at one article) would merge distinct articles into one row. It is believed when it is on the outlet's
    hosts (or the page's host, without an outlet) and, with an outlet, when it names plausibly the same article
    (:func:`same_article`). Otherwise the fetched URL is the article's URL. Canonicalised either way."""
    fetched = canonical_url(page.url, page.outlet)
    for href in (link.get("href", "") for link in page.head.canonical_links):
        candidate = urljoin(page.url, href.strip())
        if page.outlet is not None and page.outlet.owns(candidate):
            candidate = canonical_url(candidate, page.outlet)
            if same_article(page.outlet, fetched, candidate):
                return candidate, None
            return fetched, candidate
        if page.outlet is None and (urlsplit(candidate).hostname or "") == (urlsplit(page.url).hostname or ""):
            return canonical_url(candidate), None
    return fetched, None


def same_article(outlet: type[Outlet], fetched: str, candidate: str) -> bool:
    """Whether the canonical URL ``candidate`` plausibly names the article fetched at ``fetched`` (both canonical):
    it must be an article URL of the outlet, and either the fetched URL is not one (a print, AMP or share link of
    the article), or both carry the same native id, or the same slug (the outlet moved the article to another URL
    form, with or without an id)."""
    if candidate == fetched:
        return True
    if not outlet.is_article_url(candidate):
        return False
    if not outlet.is_article_url(fetched):
        return True
    fetched_id, candidate_id = outlet.native_id(fetched), outlet.native_id(candidate)
    if fetched_id and fetched_id == candidate_id:
        return True
    return _slug(fetched, fetched_id) == _slug(candidate, candidate_id)


def _slug(url: str, native_id: str | None) -> str:
    """The last path segment of an article URL without its extension, its native id and the separators around."""
    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    if native_id:
        name = name.replace(native_id, "")
    return name.strip("-._")


# --- title ----------------------------------------------------------------------------------------------------
def title_element(page: Page) -> etree._Element | None:
    """The headline: the outlet's selector (outside the site chrome unless the article container scopes it),
    the ``h1`` that says what ``og:title`` says, the longest ``h1`` outside the site chrome, a headline marked
    as such (``itemprop=headline``, an ``h2`` classed as a title) where the only ``h1`` is the logo."""
    if page.outlet is not None:
        for selector in page.outlet.title_selectors:
            for element in css(page.root, selector):
                if element_text(element) and (page.scope is not None or not in_site_chrome(element)):
                    page.matched["title"] = selector
                    return element
    headings = [h for h in page.root.iter("h1") if element_text(h)]
    titles = [t for t in _page_titles(page) if t]
    for heading in headings:
        if any(same_text(element_text(heading), t) for t in titles):
            return heading
    if (said := _headline_by_text(page, headings)) is not None:
        return said
    outside = [h for h in headings if not in_site_chrome(h)]
    if outside:
        return max(outside, key=lambda h: len(element_text(h)))
    if (marked := _marked_headline(page)) is not None:
        return marked
    return max(headings, key=lambda h: len(element_text(h)), default=_headline_by_text(page))


def _headline_by_text(page: Page, headings: list[etree._Element] | None = None) -> etree._Element | None:
    """The innermost element whose whole text is the page's title (``og:title``, else ``<title>``, without the
    site name): where no heading element holds the headline (legacy layouts: ``<div class="nwsTit">``), and
    where the page's ``h1`` elements say something else (the site's name, another story's headline, a box's
    title). With ``headings`` (the page's ``h1`` elements), the page's title must say more than any of them."""
    for candidate in _page_titles(page):
        if headings and (
            len(candidate) < THRESHOLDS.min_headline or any(same_text(candidate, element_text(h)) for h in headings)
        ):
            continue
        # no-break spaces (a headline's last words kept together) count as spaces
        found = [
            e
            for e in xpath(page.root, "//body//*[normalize-space(translate(., '\u00a0', ' ')) = $t]", t=candidate)
            if e.tag != "a" and not in_site_chrome(e)
        ]
        if found:
            return found[-1]
    return None


def _page_titles(page: Page) -> list[str]:
    """What the page says its title is: ``og:title`` (or its like), then ``<title>``, each as it is and without
    the site's name."""
    in_head = (t for t in page.head.titles if (parent := t.getparent()) is not None and parent.tag == "head")
    titles = [_og_title(page), *(element_text(t) for t in in_head)]
    return list(dict.fromkeys(c for text in titles if text for c in (text, _strip_site_name(text))))


def _marked_headline(page: Page) -> etree._Element | None:
    """An element marked as the headline where no ``h1`` holds it: ``itemprop=headline``, or an ``h2`` classed
    as a title that is not a link (teaser headlines are links) and not a box heading."""
    candidates = xpath(  # along the attribute axis: a test of every element would cost twice the time
        page.root,
        './/*/@itemprop[. = "headline"]/.. | .//h2/@class[contains(., "title") or contains(., "headline")]/..',
    )
    for element in candidates:
        text = element_text(element)
        if (
            len(text) >= THRESHOLDS.min_headline
            and not heading_kind(text, page.outlet)
            and not in_site_chrome(element)
            and link_density(element) < THRESHOLDS.headline_link_density
        ):
            return element
    return None


def _og_title(page: Page) -> str:
    return normalize(page.meta.get("og:title") or page.meta.get("twitter:title") or page.ld.get("headline") or "")


def title(page: Page, element: etree._Element | None) -> str:
    if element is not None and (text := element_text(element)):
        return text
    if og := _og_title(page):
        return _strip_site_name(og)
    titles = page.head.titles
    return _strip_site_name(element_text(titles[0])) if titles else ""


def _strip_site_name(text: str) -> str:
    parts = re.split(r"\s+[|–-]\s+", text)
    if len(parts) > 1 and len(parts[-1]) < THRESHOLDS.site_name_suffix:
        return " - ".join(parts[:-1]).strip()
    return text


def is_soft_404(page: Page, title_text: str) -> bool:
    candidates = [title_text, *(element_text(t) for t in page.head.titles)]
    return any(SOFT_404.search(c) for c in candidates if c)


# --- published -------------------------------------------------------------------------------------------------
def published(page: Page, title_el: etree._Element | None) -> tuple[str | None, etree._Element | None]:
    """The article's own date: the outlet's date element inside the article, then the meta and JSON-LD
    values, then a date line right under the title. Never a date in the site header (render date)."""
    if page.outlet is not None:
        selector, elements = select_all(page.root, page.outlet.published_selectors)
        for element in elements:
            if page.scope is None and in_site_chrome(element):
                continue
            value = (element.get("datetime") and parse_iso(element.get("datetime"))) or parse_vietnamese_date(
                element_text(element)
            )
            if value:
                page.matched["published"] = selector
                return value, element
    for key in (
        "article:published_time",
        "datepublished",
        "og:published_time",
        "pubdate",
        "publishdate",
        "dc.date.issued",
        "article:published",
    ):
        if value := parse_iso(page.meta.get(key)):
            return value, None
    if value := parse_iso(str(page.ld.get("datePublished") or "")):
        return value, None
    return _date_near_title(page, title_el)


#: The label of a modification time beside the publication time.
UPDATED = re.compile(r"cập nhật|updated|last modified|sửa đổi|chỉnh sửa", re.IGNORECASE)


def _date_near_title(page: Page, title_el: etree._Element | None) -> tuple[str | None, etree._Element | None]:
    """A short date line in the few elements that follow the title (the meta line of the article header)."""
    if title_el is None:
        return None, None
    seen = 0
    updated: tuple[str | None, etree._Element | None] = (None, None)
    for element in following(title_el):
        if not isinstance(element.tag, str):
            continue
        text = element_text(element)
        if not text:
            continue
        seen += 1
        if seen > THRESHOLDS.date_search_blocks or (len(text) > THRESHOLDS.body_started_text and element.tag == "p"):
            break  # the body has started
        if heading_kind(text, page.outlet) is not None or len(own_text(element)) > THRESHOLDS.body_started_text:
            break  # a noise box ("Tin khác") or the body text: the dates from here on are other articles'
        value = None
        if element.tag == "time":
            value = parse_iso(element.get("datetime"))
        if value is None and len(text) <= THRESHOLDS.date_line_text and not in_site_chrome(element):
            value = parse_vietnamese_date(text)
        if value is None:
            continue
        if not UPDATED.search(text):
            return value, element
        if updated[0] is None:
            updated = (value, element)  # "Cập nhật: 16:20, 30/04/2021": the publication time may follow
    return updated


# --- author ----------------------------------------------------------------------------------------------------
def author(page: Page, title_el: etree._Element | None = None) -> tuple[str | None, etree._Element | None]:
    """The outlet's byline element, an element classed or marked as the author, JSON-LD or meta author (not
    the publisher), then a byline-shaped line between the title and the lead ("BT", "Minh Vương")."""
    if page.outlet is not None:
        selector, elements = select_all(page.root, page.outlet.author_selectors)
        for element in elements:
            if name := clean_author(element_text(element)):
                page.matched["author"] = selector
                return name, element
    for element in xpath(  # along the attribute axis: a test of every element would cost 3x the time
        page.root,
        'descendant::*/@class[contains(., "author") or contains(., "byline")]/.. | '
        'descendant::*/@rel[. = "author"]/.. | descendant::*/@itemprop[. = "author"]/..',
    ):
        if in_site_chrome(element):
            continue
        if name := clean_author(element_text(element)):
            return name, element
    ld_author = page.ld.get("author")
    for item in ld_author if isinstance(ld_author, list) else [ld_author]:
        if isinstance(item, dict) and str(item.get("@type", "")).lower() == "organization":
            continue
        raw = item.get("name") if isinstance(item, dict) else item
        if isinstance(raw, str) and (name := clean_author(raw)) and not _is_publisher(page, raw):
            return name, None
    raw = page.meta.get("author") or page.meta.get("article:author")
    if raw and (name := clean_author(raw)) and not _is_publisher(page, raw):
        return name, None
    return _byline_near_title(title_el)


def _byline_near_title(title_el: etree._Element | None) -> tuple[str | None, etree._Element | None]:
    if title_el is None:
        return None, None
    seen = 0
    for element in following(title_el):
        if not has_text(element):
            continue
        seen += 1
        if seen > THRESHOLDS.author_search_blocks or text_longer_than(element, THRESHOLDS.author_line_text):
            break  # the lead or the body has started
        text = element_text(element)
        if (
            len(text) <= THRESHOLDS.lone_byline_text
            and not xpath(element, ".//*[string-length(normalize-space()) > 0]")
            and looks_like_byline(text)
            and not in_site_chrome(element)
        ):
            return clean_author(text), element
    return None, None


def _is_publisher(page: Page, name: str) -> bool:
    """``name`` (an author value as the page gives it) names the publisher, not a person: the site's own name
    (``og:site_name``, the JSON-LD publisher, the ``<title>`` suffix, the host, the outlet's display name), or a
    newspaper, magazine or station."""
    lowered = normalize(name).casefold()
    if lowered.startswith(("báo ", "tạp chí", "đài ", "truyền hình ")) or ".vn" in lowered or "online" in lowered:
        return True
    key = _publisher_key(name)
    return bool(key) and any(
        key == other or (len(min(key, other, key=len)) >= THRESHOLDS.name_overlap and (key in other or other in key))
        for other in _publisher_keys(page)
    )


def _publisher_keys(page: Page) -> set[str]:
    names = [page.meta.get("og:site_name"), page.meta.get("application-name")]
    publisher = page.ld.get("publisher")
    names += [p.get("name") for p in (publisher if isinstance(publisher, list) else [publisher]) if isinstance(p, dict)]
    for title_text in xpath(page.tree, "//head/title/text()"):
        parts = re.split(r"\s+[|–-]\s+", normalize(title_text))
        if len(parts) > 1:
            names.append(parts[-1])
    names.append(urlsplit(page.url).hostname or "")
    if page.outlet is not None:
        names += [page.outlet.display_name, page.outlet.name]
    return {key for key in map(_publisher_key, filter(None, names)) if key}


def _publisher_key(name: str) -> str:
    """A name folded for comparison: no accents, no "Báo"/"www."/".vn", "&" read as "và"."""
    folded = unicodedata.normalize("NFD", normalize(name).casefold().replace("đ", "d"))
    folded = "".join(c for c in folded if not unicodedata.combining(c)).replace("&", " va ")
    folded = re.sub(r"^(?:www\.|bao |tap chi |dai )|\.(?:com\.)?vn$|\.com$", "", folded.strip())
    return re.sub(r"\W+", "", folded)


# --- category, tags ----------------------------------------------------------------------------------------------
def category(page: Page, title_el: etree._Element | None = None) -> str | None:
    """The outlet's section: the outlet's selector, the article metadata, the page's breadcrumb, then a
    breadcrumb or section label printed just above the headline. Always the last label of a trail that is
    not the home page ("Trang chủ › Kinh tế" gives "Kinh tế")."""
    if page.outlet is not None:
        selector, elements = select_all(page.tree, page.outlet.category_selectors)
        if label := _last_label(element_text(e) for e in elements):
            page.matched["category"] = selector
            return label
    if text := normalize(page.meta.get("article:section") or str(page.ld.get("articleSection") or "")):
        if text := text.strip("[]'\""):
            return text
    # along the attribute axis: a test of every element would cost twice the time
    classes = " or ".join(
        f'contains(., "{word}")' for word in ("breadcrumb", *(page.outlet.section_label_classes if page.outlet else ()))
    )
    crumbs = xpath(
        page.tree,
        f'//*/@class[{classes}]/.. | //*/@aria-label[contains(., "breadcrumb")]/.. | '
        '//*/@itemtype[. = "https://schema.org/BreadcrumbList" or . = "http://schema.org/BreadcrumbList"]/..',
    )
    if title_el is not None:
        # the trail printed over the headline, when there are several (section, then subsection)
        above = set(xpath(title_el, "preceding::*"))
        crumbs = [crumb for crumb in crumbs if crumb in above][::-1] or crumbs
    for crumb in crumbs:
        if label := _last_label(element_text(a) for a in crumb.iter("a", "li", "span")):
            return label
    return _category_above_title(title_el, page.url, page.outlet)


#: Class or id words of a breadcrumb or section label (matched as whole words or word parts).
CATEGORY_CLASS = re.compile(
    r"(?:^|[\s_-])(?:bread\w*|crumbs?|path|bc|cate|category|categories|cat|chuyen-?muc|"
    r"section-?name|post-?cat)(?:$|[\s_-])",
    re.IGNORECASE,
)
#: The separators printed between the labels of a breadcrumb.
TRAIL_SEPARATOR = re.compile(r"[»›>/]")


def _category_above_title(title_el: etree._Element | None, url: str, outlet: type[Outlet] | None) -> str | None:
    """A section label just above the headline: an element classed as a breadcrumb or category, or a short
    trail of links that starts at the home page or is printed as a trail ("Sự kiện » Pháp luật")."""
    outlet_words = section_label_classes(outlet)
    for element in _blocks_above(title_el):
        text = element_text(element)
        if len(text) > THRESHOLDS.category_block_text or heading_kind(text, outlet):
            return None
        if in_site_chrome(element):
            continue  # the site's menu also starts at the home page
        # tool links ("javascript:window.close()") are no labels of a trail
        links = [
            a
            for a in element.iter("a")
            if element_text(a) and not (a.get("href") or "").strip().lower().startswith("javascript:")
        ]
        names = class_and_id(element)
        home_trail = (
            2 <= len(links) <= THRESHOLDS.max_trail
            and sum(len(element_text(a)) for a in links) >= THRESHOLDS.trail_link_share * len(text)
            and (
                urlsplit(urljoin(url, (links[0].get("href") or "").strip())).path in ("", "/")
                or TRAIL_SEPARATOR.search(text)
            )
        )
        if CATEGORY_CLASS.search(names) or (outlet_words and outlet_words.search(names)) or home_trail:
            return _last_label([element_text(a) for a in links] or [text])
    return None


def _blocks_above(title_el: etree._Element | None) -> Iterable[etree._Element]:
    """The nearest elements with text before the headline: its preceding siblings, then those of its parent and
    grandparent, nearest first."""
    if title_el is None:
        return
    seen = 0
    for node in (title_el, *list(title_el.iterancestors())[: THRESHOLDS.category_ancestors]):
        for sibling in node.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str) or not element_text(sibling):
                continue
            yield sibling
            seen += 1
            if seen >= THRESHOLDS.category_reach:
                return


def _last_label(labels: Iterable[str]) -> str | None:
    """The last label of a trail that is a section name: not the home page, not a separator."""
    kept = [
        label
        for label in (normalize(text).strip("›»>/|· ") for text in labels)
        if label and len(label) < THRESHOLDS.category_label and label.casefold() not in HOME_LABELS
    ]
    return kept[-1] if kept else None


def tags(page: Page) -> list[str]:
    found: list[str] = []
    if page.outlet is not None:
        selector, elements = select_all(page.tree, page.outlet.tag_selectors)
        for element in elements:
            if (text := element_text(element).lstrip("#").strip()) and text not in found:
                found.append(text)
        if found:
            page.matched["tags"] = selector
    if not found:
        for key in ("news_keywords", "article:tag"):
            for value in (page.meta.get(key) or "").split(","):
                if (text := normalize(value)) and text not in found:
                    found.append(text)
    return found


# --- lead --------------------------------------------------------------------------------------------------------
def datelines(outlet: type[Outlet] | None) -> tuple[str, ...]:
    """Dateline prefixes to look for: the outlet's own (a page of no known outlet has the generic dateline forms of
    ``GENERIC_DATELINE`` only; one outlet's prefixes never change how another outlet's pages read)."""
    return outlet.dateline_prefixes if outlet is not None else ()


def starts_with_dateline(text: str, prefixes: Iterable[str]) -> bool:
    return text.startswith(tuple(prefixes)) or bool(GENERIC_DATELINE.match(text))


def description(page: Page) -> str:
    return normalize(
        page.meta.get("og:description")
        or page.meta.get("description")
        or page.meta.get("twitter:description")
        or str(page.ld.get("description") or "")
    )
