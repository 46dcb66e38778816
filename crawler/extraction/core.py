"""``extract(html, url, outlet) -> Article``: the pure extraction function.

Outlet path: the outlet's selectors scope the page (article container, body container); known noise is removed
from that scope (outlet ``noise_selectors``, then the generic Vietnamese boilerplate of :mod:`noise`), images
and captions are taken out into ``Article.images``, and the body is the container's own paragraphs.

Why the container's own paragraphs and not trafilatura on the scoped container (measured on 120 replica pages,
30 per outlet, seeds included; script run, not a test): both score shingle F1 1.000 on lead+body, and trafilatura
kept short paragraphs and the first and last ones. But on 14 of the 120 pages it returned the whole scoped body
as a single paragraph (the paragraph structure is lost, and ``Article.body`` is paragraphs joined by a blank
line), and it costs a second pass of tree cleaning for nothing: once the rules have removed the noise, the
container's paragraphs *are* the article, and trafilatura's value, choosing the content region, is what the
selector already did. So trafilatura runs where no container matched.

Generic path (the outlet's selectors missed, or the URL belongs to no known outlet): the same boilerplate rules
clean the whole page. Where the page has the cue of a Vietnamese news article, a sapo opening with a dateline
("(CLO)", "KTĐT -", "Baoquocte.vn."), the body is the smallest block around that sapo holding prose of its own
(:func:`_article_block`), read like the outlet path reads its container: this keeps one-paragraph articles that
trafilatura drops, and the related box in mid-body is gone already. Without that cue (any other site)
trafilatura finds the main text on the cleaned page, and also reads the untouched page: when the cleaned text
keeps less than ``keep_share`` of it (:mod:`~crawler.extraction.thresholds`), a rule misread the structure and
the untouched reading wins. Paragraphs are filtered again (noise headings cut, widget lines, lines equal to the
title, a caption or an image alt dropped) and the lead is found by its dateline prefix, the page description, or
its position.

On a page that is not Vietnamese, a standfirst printed apart from the body's paragraphs is not article text
(:func:`_is_standfirst`): Vietnamese outlets print their sapo as the article's opening paragraph, other sites
print a summary for the headline block.

Measured with ``python -m crawler evaluate`` (report: ``output/evaluation.md``): Zyte benchmark F1 0.9775 (plain
trafilatura 0.960), redesigned replica F1 1.000 with no noise leak.

Not an article: soft 404s ("not found" in a title, or in a short page text), listings (the first sapo is a
teaser of another page, or several paragraphs open with a dateline), link-dense pages, and pages with less than
``min_text`` characters, unless the page says it is an article (own date, article metadata, datelined sapo): then
``min_article_text`` is enough, so a two-sentence brief is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain, islice, takewhile
from urllib.parse import urljoin

import trafilatura
from lxml import etree

from crawler import outlets
from crawler.extraction import fields
from crawler.extraction.authors import (
    clean_author,
    is_affiliation_line,
    is_source_line,
    looks_like_byline,
    looks_like_opening_byline,
)
from crawler.extraction.fields import Page
from crawler.extraction.html import following, inside, page_names, parse, precedes, xpath
from crawler.extraction.images import alt_texts, collect_images, remove_video_blocks
from crawler.extraction.noise import (
    blocks_holding,
    drop,
    heading_kind,
    is_noise_line,
    remove_junk,
    remove_link_dense,
    remove_noise_blocks,
    remove_noise_classes,
    remove_noise_lines,
    remove_selectors,
    remove_teaser_lists,
)
from crawler.extraction.text import (
    BLOCK_TAGS,
    element_text,
    element_texts_cached,
    has_text,
    is_vietnamese,
    letters,
    link_density,
    normalize,
    paragraphs,
    same_text,
    text_longer_than,
)
from crawler.extraction.thresholds import THRESHOLDS
from crawler.items import Article, Image
from crawler.outlet import Outlet

EXTRACTOR_VERSION = 2
"""Bump whenever a rule change may turn a page the extractor rejected (``not_article``, ``parse_error``) into an
article: failures judged by an older version are requested again by the next crawl (crawler/incremental.py) and
re-examined by ``python -m crawler reextract``."""


class NotAnArticle(Exception):
    """The page is not an article: ``reason`` is short and machine-readable, ``detail`` says why."""

    def __init__(self, reason: str, detail: object = None):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}" if self.detail is not None else self.reason


def extract(html: str | bytes, url: str, outlet: type[Outlet] | None = None) -> Article:
    """The article on the page ``html`` fetched from ``url``. ``outlet`` defaults to the outlet owning the URL's
    host; without one the generic path runs. Raises :class:`NotAnArticle` for pages that are not articles, and
    :class:`~crawler.extraction.encoding.UndecodableError` for bytes the crawl's decoding refuses."""
    return explain(html, url, outlet).article


@dataclass(frozen=True)
class Explained:
    """An extracted article and how: which of the outlet's selectors supplied each field."""

    article: Article
    selectors: dict[str, str]
    """Per field of ``fields.SELECTOR_FIELDS``, the outlet selector that supplied it. A field not here came from
    the page's metadata or the generic path (``article.extraction`` says which path read the text), or is empty."""


def explain(html: str | bytes, url: str, outlet: type[Outlet] | None = None) -> Explained:
    """:func:`extract`, saying which outlet selector supplied each field (``python -m crawler doctor``): the same
    single parse and the same rules, so what it reports is what a crawl stores."""
    tree = parse(html)
    if tree is None:
        raise NotAnArticle("empty", "no document or no text")
    with element_texts_cached(), page_names(tree):
        return _extract(tree, url, outlet)


def _extract(tree, url: str, outlet: type[Outlet] | None) -> Explained:
    if not has_text(tree):
        raise NotAnArticle("empty", "no document or no text")
    if outlet is None:
        outlet = outlets.for_url(url)
    if outlet is not None and outlet.owns(url) and any(p.fullmatch(_path(url)) for p in outlet.excluded_paths):
        raise NotAnArticle("excluded_url", url)

    page = Page.of(tree, url, outlet)
    canonical, untrusted_canonical = fields.canonical(page)
    title_el = fields.title_element(page)
    title = fields.title(page, title_el)
    if fields.is_soft_404(page, title):
        raise NotAnArticle("soft_404", title)
    if fields.SEARCH_PAGE.match(title):
        raise NotAnArticle("search_page", title)
    if not title:
        raise NotAnArticle("no_title", url)
    published, date_el = fields.published(page, title_el)
    author, author_el = fields.author(page, title_el)
    category = fields.category(page, title_el)
    tags = fields.tags(page)

    body_match = fields.first_match(page.root, outlet.body_selectors) if outlet is not None else None
    if body_match is None and outlet is not None and page.scope is not None:
        body_match = fields.first_match(tree, outlet.body_selectors)
    body_el = None
    if body_match is not None:
        page.matched["body"], body_el = body_match
        lead, body, images, byline, listing = _outlet_text(page, title_el, body_el, (date_el, author_el))
        extraction = "outlet"
    else:
        # before any removal: listings are made of links and teasers
        listing = _listing_texts([tree], url, _teaser_item_limit(title_el))
        lead, body, images, byline = _generic_text(page, title_el, title, (date_el, author_el))
        extraction = "generic"
    if author is None and byline:
        author = byline

    _check_article(title, lead, body, listing, outlet, page, published)
    return Explained(
        Article(
            outlet=outlet.name if outlet is not None else "",
            url=canonical,
            title=title,
            lead=lead,
            body="\n\n".join(body),
            native_id=(outlet.native_id(canonical) or outlet.native_id(url)) if outlet is not None else None,
            author=author,
            published=published,
            category=category,
            tags=tags,
            images=images,
            extraction=extraction,
            untrusted_canonical=untrusted_canonical,
        ),
        page.matched,
    )


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path


# --- outlet path -------------------------------------------------------------------------------------------------
def _outlet_text(
    page: Page, title_el, body_el, meta_elements
) -> tuple[str, list[str], list[Image], str | None, ListingTexts]:
    outlet = page.outlet
    assert outlet is not None, "the outlet path runs with an outlet's rules"
    scope = page.scope if page.scope is not None else body_el
    lead_el = None
    if (lead_match := fields.first_match(page.root, outlet.lead_selectors)) is not None:
        # not when the rule matched a teaser's sapo in a box after the article ("Tin liên quan")
        if _plausible_lead(page, lead_match[1], title_el, body_el):
            page.matched["lead"], lead_el = lead_match
    if lead_el is None:  # the lead rule missed: find the sapo by its dateline or the page description
        lead_el = _find_lead_element(
            page, scope if scope is not body_el else page.tree, title_el, fields.datelines(outlet)
        )
    lead = " ".join(paragraphs(lead_el)) if lead_el is not None else ""
    alts = alt_texts(scope)
    # before any removal; only the part of the page the text is read from: a link or a teaser elsewhere on the
    # page (the menus, the sidebar's boxes) cannot have put its text into the article
    too_large = _teaser_item_limit(title_el)
    listing = _listing_texts(_listing_roots((scope, body_el, lead_el), too_large), page.url, too_large)

    # what the article header holds is not body text
    for element in (lead_el, title_el, *meta_elements):
        if element is not None and inside(element, body_el) and element is not body_el:
            drop(element)
    protected = [body_el, title_el, lead_el]
    remove_junk(scope)
    remove_selectors(scope, outlet.noise_selectors)
    remove_noise_blocks(
        scope,
        protected=[p for p in protected if p is not None and p is not scope],
        title_element=title_el,
        outlet=outlet,
    )
    remove_noise_blocks(body_el, title_element=None, outlet=outlet)
    remove_teaser_lists(scope, protected=[p for p in protected if p is not None and p is not scope])
    images = collect_images(scope, page.base_url, outlet.caption_selectors)
    remove_link_dense(body_el)
    remove_noise_lines(body_el, outlet=outlet)
    body = paragraphs(body_el)
    captions = [i.caption for i in images if i.caption]
    lead, body, byline = _finish(
        page, lead, body, fields.element_text(title_el) if title_el is not None else "", captions, alts
    )
    return lead, body, images, byline or _byline_after(body_el), listing


def _plausible_lead(page: Page, lead_el, title_el, body_el) -> bool:
    """The sapo stands between the headline and the body (or opens the body), with no noise heading before
    it, and is not the sapo of a teaser linking to another page."""
    if body_el is not None and not inside(lead_el, body_el) and precedes(body_el, lead_el):
        return False
    # the elements between the headline and the sapo (none when the headline comes after it), read from the
    # headline on: a walk from the page's start would read its whole head and menus first
    between: Iterator[etree._Element]
    if title_el is None:
        between = takewhile(lambda element: element is not lead_el, page.tree.iter())
    elif precedes(title_el, lead_el):
        between = takewhile(
            lambda element: element is not lead_el, chain(islice(title_el.iter(), 1, None), following(title_el))
        )
    else:
        between = iter(())
    if any(isinstance(e.tag, str) and heading_kind(element_text(e), page.outlet) for e in between):
        return False
    return not _in_teaser_of_other_page(lead_el, page.url)


def _byline_after(body_el) -> str | None:
    """A byline printed right after the body container ("<div>Thanh Tùng</div>")."""
    for sibling in list(body_el.itersiblings())[: THRESHOLDS.byline_siblings]:
        text = element_text(sibling)
        if text and len(text) <= THRESHOLDS.byline_text and looks_like_byline(text):
            return clean_author(text)
    return None


# --- generic path ----------------------------------------------------------------------------------------------
def _generic_text(page: Page, title_el, title: str, meta_elements) -> tuple[str, list[str], list[Image], str | None]:
    tree = page.tree
    root = tree.find("body") if tree.find("body") is not None else tree
    alts = alt_texts(root)
    prefixes = fields.datelines(page.outlet)
    lead_el = _find_lead_element(page, root, title_el, prefixes)
    if (
        lead_el is not None
        and fields.starts_with_dateline(element_text(lead_el), prefixes)
        and _in_teaser_of_other_page(lead_el, page.url)
    ):
        # the first sapo after the title belongs to a teaser (headline link + sapo): a listing page
        raise NotAnArticle("listing", "the first sapo after the title is a teaser of another page")
    standfirst = None
    if lead_el is not None and _is_standfirst(lead_el, prefixes):
        standfirst, lead_el = lead_el, None
    lead = element_text(lead_el) if lead_el is not None else ""
    protected = [p for p in (title_el, lead_el) if p is not None]
    datelined = lead_el is not None and fields.starts_with_dateline(lead, prefixes)
    # Without the cue of a Vietnamese news page (a datelined sapo) the page may be any site's: trafilatura also
    # reads the untouched page, and wins where our cleaning lost the article (see _choose_text). It reads it now,
    # before the cleaning: trafilatura works on its own copy of the tree it is given, so no copy is made here.
    plain = None if datelined else _trafilatura_paragraphs(tree, page.url, favor_recall=False)

    remove_junk(root)
    if standfirst is not None:
        drop(standfirst)
    if title_el is not None:
        # kickers and labels printed above the title are not article text
        for sibling in list(title_el.itersiblings(preceding=True)):
            if len(element_text(sibling)) < THRESHOLDS.kicker_text and not any(inside(p, sibling) for p in protected):
                drop(sibling)
    for header in list(root.iter("header")):
        if not any(inside(p, header) for p in protected):
            drop(header)
    remove_noise_classes(root, protected=protected, outlet=page.outlet)
    remove_noise_blocks(root, protected=protected, title_element=title_el, outlet=page.outlet)
    remove_teaser_lists(root, protected=protected)
    before_title = _before(root, title_el)
    # Image blocks stay in the tree here: removing them restructures some pages enough for trafilatura to give
    # up on the whole document (measured on the Zyte set); their captions and alts are filtered out of its
    # paragraphs in _finish instead.
    images = [
        i
        for i in collect_images(root, page.base_url, page.outlet.caption_selectors if page.outlet else (), remove=False)
        if i.url not in before_title
    ]
    remove_video_blocks(root, page.outlet.caption_selectors if page.outlet else ())
    for table in list(root.iter("table")):  # caption tables would merge into the next paragraph
        if (
            len(table.findall(".//img")) == 1
            and len(element_text(table)) < THRESHOLDS.image_box_text
            and table.getparent() is not None
        ):
            drop(table)
    remove_link_dense(root, protected=protected)
    remove_noise_lines(root, protected=protected, outlet=page.outlet)
    container = None
    if lead_el is not None and fields.starts_with_dateline(lead, prefixes):
        # A Vietnamese news page: the sapo opens with its dateline, and the body is the block around it.
        container = _article_block(lead_el, root, title)
    for element in (lead_el, title_el, *meta_elements):
        if element is not None and element.getparent() is not None:
            drop(element)
    if container is not None:
        collect_images(container, page.base_url, (), remove=True)  # captions and alts out of the text
        body = paragraphs(container)
    else:
        body = _trafilatura_paragraphs(tree, page.url)
        if plain is not None:
            body = _choose_text(body, plain)
    captions = [i.caption for i in images if i.caption]
    if not lead:
        # set apart from a standfirst, the body opens with its first paragraph: no sapo to look for in it
        lead, body = _split_lead(page, body, prefixes) if standfirst is None else _first_paragraph(body)
    lead, body, byline = _finish(page, lead, body, title, captions, alts)
    return lead, body, images, byline


def _article_block(lead_el, root, title: str):
    """The smallest block around the sapo that also holds prose of its own (text outside links, beyond the sapo
    and the title): the article's body block once the noise rules have run. None when the sapo's ancestors up to
    ``root`` hold none."""
    lead_length = len(element_text(lead_el))
    for ancestor in lead_el.iterancestors():
        if ancestor is root or ancestor.tag in ("body", "html"):
            return None
        linked = sum(len(element_text(a)) for a in ancestor.iter("a"))
        prose = len(element_text(ancestor)) - linked - lead_length - len(title)
        if prose >= THRESHOLDS.min_block_prose:
            return ancestor
    return None


def _in_teaser_of_other_page(lead_el, url: str) -> bool:
    """The sapo ``lead_el`` is that of a teaser: one of its nearest blocks is a teaser item of another page."""
    for item in islice(lead_el.iterancestors(), THRESHOLDS.teaser_ancestors):
        if text_longer_than(item, THRESHOLDS.teaser_item_text):
            return False  # too large for a teaser item, and every block around it is larger still
        if _is_teaser_of_other_page(item, lead_el, url):
            return True
    return False


def _is_teaser_of_other_page(item, lead_el, url: str) -> bool:
    """``item``, a block of at most ``teaser_item_text`` characters, holds the sapo and a headline link (30+
    characters) to another page."""
    text = element_text(item)
    linked = sum(len(element_text(a)) for a in item.iter("a") if not inside(a, lead_el))
    if len(text) - linked - len(element_text(lead_el)) >= THRESHOLDS.min_block_prose:
        return False  # prose of its own beside the sapo: an article block (a short one), not headline + sapo
    for link in item.iter("a"):
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")) or inside(link, lead_el) or inside(lead_el, link):
            continue
        if len(element_text(link)) >= THRESHOLDS.headline_link and not _same_page(url, href):
            return True
    return False


def _same_page(url: str, href: str) -> bool:
    """``href`` (stripped, not empty) on the page at ``url`` links to that page (another fragment at most).

    ``urljoin`` costs microseconds and a page has dozens of headline links, nearly all to other pages. Those are
    told at once by the last segment of their path: where ``href`` is a path, or an absolute URL with ``//``,
    printable and without a ``;``, the URL it resolves to ends its path with the same segment (unless that is
    empty or a dot segment, which the base URL or urljoin's dot removal then decides), so a different segment
    from the page's means another page. Everything else is resolved."""
    segment = _last_segment(href)
    if (
        segment not in ("", ".", "..")
        and segment != _last_segment(url)
        and ";" not in segment
        and (":" not in href or href.startswith(("http://", "https://", "//", "/")))
        and href.isprintable()
    ):
        return False
    return urljoin(url, href).split("#")[0] == url.split("#")[0]


def _last_segment(url: str) -> str:
    return url.split("#")[0].split("?")[0].rsplit("/", 1)[-1]


def _before(root, title_el) -> set[str]:
    """URLs of the images that come before the title (site header, banners)."""
    from crawler.extraction.images import image_url

    urls: set[str] = set()
    if title_el is None:
        return urls
    for element in root.iter():
        if element is title_el:
            break
        if element.tag == "img" and (url := image_url(element, "")):
            urls.add(url)
    return urls


def _is_standfirst(lead_el, prefixes) -> bool:
    """``lead_el`` is a standfirst (dek) of a page that is not Vietnamese: a summary printed apart from the body's
    paragraphs (in the header, under the headline), not the body's first paragraph. Vietnamese news pages print
    their sapo as the article's opening paragraph, and it is article text there; elsewhere the standfirst is a
    summary written for the headline block, and not part of the article's text."""
    text = element_text(lead_el)
    if fields.starts_with_dateline(text, prefixes) or is_vietnamese(text) or lead_el.tag not in BLOCK_TAGS:
        return False
    if sum(len(paragraph) >= THRESHOLDS.body_paragraph for paragraph in paragraphs(lead_el)) > 1:
        return False  # a block of the body's paragraphs (a short line beside the summary is its date or byline)
    parent = lead_el.getparent()
    siblings = (
        0
        if parent is None
        else sum(
            1
            for element in parent
            if element.tag == "p" and element is not lead_el and len(element_text(element)) >= THRESHOLDS.body_paragraph
        )
    )
    return siblings < THRESHOLDS.standfirst_siblings


#: The elements a sapo is printed in.
SAPO_TAGS = ("p", "div", "h2", "h3", "strong", "b", "span", "section")


def _find_lead_element(page: Page, root, title_el, prefixes) -> etree._Element | None:
    """The sapo: the first block after the title that starts with a dateline prefix or equals the page
    description; else a block whose class names a sapo. Only the article's header is searched: from the title
    to the first noise heading, after which the sapos belong to other articles ("Tin liên quan", "Tin mới")."""
    description = fields.description(page)
    if title_el is None:
        window = list(root.iterdescendants(*SAPO_TAGS))
    else:
        window = []
        for element in following(title_el):
            if element.tag not in SAPO_TAGS:
                continue
            # a container's text is longer than any heading: it need not be built for this
            short = not text_longer_than(element, THRESHOLDS.max_heading)
            if short and heading_kind(element_text(element), page.outlet) is not None:
                break
            window.append(element)
    checked = 0
    for element in window:
        container = text_longer_than(element, THRESHOLDS.max_sapo)  # its text need not be built
        if not container and len(text := element_text(element)) < THRESHOLDS.min_sapo:
            continue
        checked += 1
        if checked > THRESHOLDS.sapo_candidates:
            break
        if container:
            continue  # a container, not the lead block itself
        if fields.starts_with_dateline(text, prefixes):
            # the smallest block that opens with the dateline: a container starting with the sapo starts so too
            inner = [
                c
                for c in element.iterdescendants()
                if isinstance(c.tag, str)
                and len(element_text(c)) >= THRESHOLDS.min_sapo
                and text.startswith(element_text(c))
                and fields.starts_with_dateline(element_text(c), prefixes)
            ]
            return inner[-1] if inner else element
        if description and _similar(text, description):
            # the smallest block with that text
            inner = [c for c in element.iterdescendants() if isinstance(c.tag, str) and element_text(c) == text]
            found = inner[-1] if inner else element
            if _one_block(found):
                return found
    in_window = set(window)
    for element in xpath(  # along the attribute axis: a test of every element would cost twice the time
        root,
        './/*/@class[contains(., "sapo") or contains(., "lead") or contains(., "summary") or contains(., "desc") '
        'or contains(., "intro")]/..',
    ):
        text = element_text(element)
        if (
            THRESHOLDS.min_sapo <= len(text) <= THRESHOLDS.max_sapo
            and _one_block(element)
            and link_density(element) < THRESHOLDS.sapo_link_density
            and element in in_window
        ):
            return element
    return None


def _one_block(element) -> bool:
    """A sapo is one paragraph (two at most, split by a <br>), never a container of the article's paragraphs."""
    return len(paragraphs(element)) <= THRESHOLDS.sapo_paragraphs


def _similar(text: str, description: str) -> bool:
    a, b = letters(text), letters(description.rstrip(".… "))
    if not a or not b:
        return False
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    opening = max(THRESHOLDS.repeated_text, int(len(shorter) * THRESHOLDS.repeated_share))
    return len(shorter) >= THRESHOLDS.repeated_text and longer.startswith(shorter[:opening])


def _choose_text(cleaned: list[str], plain: list[str]) -> list[str]:
    """The cleaned page's paragraphs, or trafilatura's on the untouched page where the cleaning lost the article.
    Our cleaning removes boilerplate, so the cleaned text is shorter than trafilatura's on the untouched page;
    much shorter means a rule cut the article itself (a structure it misread)."""
    if _lost_paragraphs(cleaned, plain):
        return plain
    return cleaned if sum(map(len, cleaned)) >= THRESHOLDS.keep_share * sum(map(len, plain)) else plain


def _lost_paragraphs(cleaned: list[str], plain: list[str]) -> bool:
    """trafilatura read the cleaned page as one block (its fallback joins every text of the region into one
    paragraph: captions, headline and body run together), where on the untouched page it finds the paragraphs."""
    total = sum(map(len, cleaned))
    return (
        bool(cleaned)
        and len(plain) >= THRESHOLDS.paragraphs_found
        and len(cleaned) < THRESHOLDS.paragraphs_found
        and max(map(len, cleaned)) >= THRESHOLDS.one_block_share * total
    )


def _trafilatura_paragraphs(tree, url: str, favor_recall: bool = True) -> list[str]:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_recall=favor_recall,
        with_metadata=False,
        deduplicate=False,
    )
    body = getattr(document, "body", None)  # a Document (with_metadata=False), or None when nothing was found
    if body is None:
        return []
    out: list[str] = []
    for element in body:
        if element.tag == "list":
            out.extend(element_text(item) for item in element.iter("item"))
        elif element.tag == "table":
            out.extend(" ".join(element_text(c) for c in row.iter("cell")) for row in element.iter("row"))
        else:
            out.extend(_broken_lines(element))
        out.append(element.tail or "")  # text after a heading or a list, outside any element of trafilatura's
    return [p for p in (normalize(p) for p in out) if p]


def _broken_lines(element) -> list[str]:
    """The lines of one of trafilatura's paragraphs: its line breaks (``<lb/>``, a ``<br>`` of the page) end a
    line, as in trafilatura's own text output. Read as one text, the words on either side of a break glue into
    one ("...Beach, FLJune 10 -- ..."): a list of dates or addresses printed with ``<br>``s loses every word at
    its line ends."""
    lines: list[str] = []
    buffer: list[str] = []

    def walk(node) -> None:
        for child in node:
            if child.tag == "lb":
                lines.append("".join(buffer))
                buffer.clear()
            else:
                buffer.append(child.text or "")
                walk(child)
            buffer.append(child.tail or "")

    buffer.append(element.text or "")
    walk(element)
    lines.append("".join(buffer))
    return lines


def _split_lead(page: Page, body: list[str], prefixes) -> tuple[str, list[str]]:
    """Lead from the body paragraphs: the first one with a dateline prefix, or equal to the page description;
    else the first paragraph (Vietnamese articles open with the sapo)."""
    description = fields.description(page)
    for index, paragraph in enumerate(body[: THRESHOLDS.lead_paragraphs]):
        if fields.starts_with_dateline(paragraph, prefixes) or (description and _similar(paragraph, description)):
            return paragraph, body[index + 1 :]
    if body:
        return body[0], body[1:]
    return "", body


def _first_paragraph(body: list[str]) -> tuple[str, list[str]]:
    return (body[0], body[1:]) if body else ("", body)


# --- shared -----------------------------------------------------------------------------------------------------
def _finish(
    page: Page, lead: str, body: list[str], title: str, captions: list[str], alts: set[str]
) -> tuple[str, list[str], str | None]:
    """The last filters over the paragraphs, whatever path produced them."""
    lead = normalize(lead)
    # letters() keys, computed once: a page has dozens of alt texts and paragraphs
    caption_keys = [key for key in map(letters, captions) if key]
    alt_keys = [key for key in map(letters, alts) if len(key) > THRESHOLDS.caption_piece]
    longest = max(map(len, [*caption_keys, *alt_keys]), default=0)
    if is_noise_line(lead, page.outlet) or (
        len(lead) > THRESHOLDS.caption_piece and _caption_piece(lead, caption_keys, alt_keys, longest)
    ):
        lead = ""  # the block taken for the sapo is a widget, a promotion or a gallery's caption
    unwanted = {letters(text) for text in (title, lead, *captions, *alts) if text} - {""}
    kept: list[str] = []
    for paragraph in body:
        kind = heading_kind(paragraph, page.outlet)
        if kind == "trailing" and kept:
            break  # "Tin mới", "Bình luận": the article is over
        if kind or is_noise_line(paragraph, page.outlet):
            continue
        key = letters(paragraph)
        if key in unwanted:
            continue
        if len(paragraph) > THRESHOLDS.caption_piece and _caption_piece(paragraph, caption_keys, alt_keys, longest):
            continue
        if kept and same_text(paragraph, kept[-1]):
            continue
        kept.append(paragraph)
    if lead and kept and letters(kept[0]).startswith(letters(lead)):
        kept = kept[1:]
    byline = None
    # a byline line closes many Vietnamese articles ("Hồng Hạnh (theo Reuters, CNN)"), some open them ("BT");
    # a line crediting the sources ("Theo TTXVN") or the author's desk ("Phóng viên Ban Kinh tế") stands before or
    # after it
    while kept and (
        is_source_line(kept[-1]) or is_affiliation_line(kept[-1]) or (byline is None and looks_like_byline(kept[-1]))
    ):
        line = kept.pop()
        if not is_source_line(line) and not is_affiliation_line(line):
            byline = clean_author(line)
    while kept and is_affiliation_line(kept[0]):
        kept = kept[1:]  # the desk of the byline printed over the article
    if kept and looks_like_opening_byline(kept[0]):
        byline = byline or clean_author(kept[0])
        kept = kept[1:]
    return lead, kept, byline


#: The toggles of a gallery's caption, printed after it ("... more", "less", "Xem thêm").
#: No word boundary after it: a gallery's texts may come glued ("...debate.Show lessCouncil members...").
CAPTION_TOGGLE = re.compile(
    r"(?:\.{3}|…)?\s*\b(?:read more|show more|show less|more|less|xem thêm|thu gọn)", re.IGNORECASE
)


#: Words every match of :data:`CAPTION_TOGGLE` holds, as :func:`letters` keys them (case folded, no spaces).
_TOGGLE_WORDS = ("more", "less", "xemthêm", "thugọn")


def _has_toggle(paragraph: str) -> bool:
    """:data:`CAPTION_TOGGLE` is in ``paragraph``: the words first, in the paragraph's :func:`letters` key (which
    the caller has read already), where the pattern tries every position of the paragraph (nearly every paragraph
    of an article has none)."""
    key = letters(paragraph)
    return any(word in key for word in _TOGGLE_WORDS) and CAPTION_TOGGLE.search(paragraph) is not None


def _caption_piece(paragraph: str, caption_keys: list[str], alt_keys: list[str], longest: int) -> bool:
    """``paragraph`` is a caption printed again, whole or in part, or most of an image's description (a
    gallery's caption is often its alt). A gallery prints the truncated caption and the full one, each with its
    toggle, and they may come as one line: every piece between the toggles is one of those. ``longest``: the
    length of the longest of the keys."""
    toggled = _has_toggle(paragraph)  # a gallery's: any piece of an alt is its caption
    if not toggled and len(letters(paragraph)) > longest:
        return False  # longer than every caption and alt: none holds it (nearly every paragraph of a body)
    pieces = [key for key in map(letters, CAPTION_TOGGLE.split(paragraph) if toggled else (paragraph,)) if key]
    return bool(pieces) and all(
        any(key in caption for caption in caption_keys)
        or any(key in alt and (toggled or len(key) >= THRESHOLDS.alt_piece_share * len(alt)) for alt in alt_keys)
        for key in pieces
    )


@dataclass
class ListingTexts:
    """What a page of teasers is made of, read before any removal: keys (:func:`letters`) of its long link
    texts, and of the texts beside the headline links of teaser items (their sapos). On the outlet path only the
    links of the part of the page the text is read from count (:func:`_teaser_bound`): in a menu or a sidebar's
    box they could not have supplied it, and an article listed in its own "Tin mới" box under another form of its
    URL would otherwise be a teaser of another page."""

    links: set[str]
    teasers: set[str]
    lone_teasers: set[str]
    """Texts beside a headline link that is not in a list (a section page's one featured teaser)."""


def _teaser_item_limit(title_el) -> Callable[[etree._Element], bool]:
    """Whether an element is too large to be a teaser item (or to stand inside one): the page's body, a block
    holding the title, or more text than ``THRESHOLDS.teaser_item_text``. All three hold for every ancestor of an
    element they hold for. Answers are kept: the links of one list share their ancestors."""
    title_blocks = blocks_holding([title_el])  # once: a teaser item never holds the title
    answers: dict[etree._Element, bool] = {}

    def too_large(element: etree._Element) -> bool:
        if (answer := answers.get(element)) is None:
            answer = answers[element] = (
                element.tag in ("body", "html")
                or element in title_blocks
                or text_longer_than(element, THRESHOLDS.teaser_item_text)
            )
        return answer

    return too_large


def _teaser_bound(source, too_large: Callable[[etree._Element], bool]) -> etree._Element:
    """The outermost of ``source`` and its ancestors that is not too large to be a teaser item (``source`` itself
    when it is): every teaser item holding some of ``source``'s text lies inside it."""
    bound = source
    for ancestor in source.iterancestors():
        if too_large(ancestor):
            break
        bound = ancestor
    return bound


def _listing_roots(sources, too_large: Callable[[etree._Element], bool]) -> list[etree._Element]:
    """The blocks whose links and teasers may have supplied the text read from ``sources`` (None left out): each
    one's :func:`_teaser_bound`, the outermost ones only, once."""
    bounds = dict.fromkeys(_teaser_bound(source, too_large) for source in sources if source is not None)
    return [bound for bound in bounds if not any(other is not bound and inside(bound, other) for other in bounds)]


def _listing_texts(roots: list[etree._Element], url: str, too_large: Callable[[etree._Element], bool]) -> ListingTexts:
    """The link texts and teasers of the links under ``roots`` (none inside another)."""
    links: set[str] = set()
    candidates: dict = {}  # teaser item candidates, each once, in page order
    for link in chain.from_iterable(root.iter("a") for root in roots):
        text = element_text(link)
        if len(text) < THRESHOLDS.link_text:
            continue
        links.add(letters(text))
        href = (link.get("href") or "").strip()
        if (
            len(text) < THRESHOLDS.headline_link
            or not href
            or href.startswith(("#", "javascript:"))
            or _same_page(url, href)
        ):
            continue
        item = None
        for ancestor in islice(link.iterancestors(), THRESHOLDS.teaser_item_depth):
            if too_large(ancestor):
                break
            item = ancestor
        if item is not None:
            candidates[item] = None
    # Teasers come in lists: the items of one list are siblings, or cards of one kind (the same tag and first
    # class word) spread over the page's boxes.
    card_kinds = {item: _card_kind(item) for item in candidates}
    kinds = Counter(card_kinds.values())
    teasers: set[str] = set()
    lone: set[str] = set()
    for item, kind in card_kinds.items():
        listed = (kind is not None and kinds[kind] >= THRESHOLDS.teaser_list) or _among_teasers(item)
        for element in _without_links(item):
            if len(text := element_text(element)) >= THRESHOLDS.link_text:
                (teasers if listed else lone).add(letters(text))
    return ListingTexts(links, teasers, lone)


def _without_links(item) -> list[etree._Element]:
    """The elements of ``item`` (itself included) that neither are nor hold a link, in document order. The blocks
    holding its links are gathered in one walk up from each link, where a search for a link under every element
    would walk each subtree again."""
    holding = blocks_holding(item.iter("a"))
    return [e for e in item.iter() if isinstance(e.tag, str) and e not in holding]


def _card_kind(item) -> tuple[str, str] | None:
    """What kind of card ``item`` is: its tag and first class word; None for an unclassed element or a table's
    row or cell (layout tables repeat them around everything)."""
    words = (item.get("class") or "").split()
    if not words or item.tag in ("tr", "td", "th", "tbody", "table"):
        return None
    return item.tag, words[0]


def _among_teasers(item) -> bool:
    """``item`` stands among ``THRESHOLDS.teaser_list`` siblings (itself included) that hold a headline link each."""
    parent = item.getparent()
    if parent is None:
        return False
    count = 0
    for sibling in parent:
        if isinstance(sibling.tag, str) and any(
            len(element_text(a)) >= THRESHOLDS.headline_link for a in sibling.iter("a")
        ):
            count += 1
            if count >= THRESHOLDS.teaser_list:
                return True
    return False


def _covered(keys: list[str], pieces: set[str]) -> int:
    """How many letters of the ``keys`` the ``pieces`` make up, key by key."""
    # Only the pieces found somewhere in the keys (joined by a space, which no key holds) can cover one: a listing
    # has dozens of link texts, and an article's paragraphs hold none of them.
    joined = " ".join(keys)
    found = {piece for piece in pieces if piece in joined}
    if not found:
        return 0
    return sum(
        len(key)
        if key in found
        else min(len(key), sum(len(piece) * key.count(piece) for piece in found if piece in key))
        for key in keys
    )


def _check_article(
    title: str, lead: str, body: list[str], listing: ListingTexts, outlet, page: Page, published: str | None
) -> None:
    text = "\n".join([lead, *body]).strip()
    if len(text) < THRESHOLDS.soft_404_text and (match := fields.SOFT_404.search(text)):
        raise NotAnArticle("soft_404", match.group(0))  # "Bài viết không tồn tại" under the site's own title
    if len(text) < THRESHOLDS.min_unclaimed_text:
        # A real short article (a two-sentence brief, a video page) still says it is an article: a publication
        # date, article metadata, a datelined sapo. A "not found" message in the page never is one. Nor is the
        # one featured teaser of a section page, which says nothing.
        claimed = _says_article(page, published, lead)
        floor = THRESHOLDS.min_article_text if claimed else THRESHOLDS.min_text
        if fields.SOFT_404.search(text) or len(text) < floor:
            raise NotAnArticle("too_little_text", f"{len(text)} characters")
        if not claimed and all(letters(p) in listing.lone_teasers for p in [lead, *body] if p):
            raise NotAnArticle("listing", "the only text is a teaser of another page")
    paragraphs_ = [p for p in [lead, *body] if p]
    # paragraphs that are link texts or teasers, or hold several (a row of headlines read as one paragraph)
    keys = [letters(p) for p in paragraphs_]
    total = max(1, sum(map(len, keys)))
    linked = _covered(keys, listing.links)
    if linked / total > THRESHOLDS.max_listing_share:
        raise NotAnArticle("link_dense", f"{linked}/{total} letters are link texts")
    teased = _covered(keys, listing.teasers)
    if teased / total > THRESHOLDS.max_listing_share:
        raise NotAnArticle("listing", f"{teased}/{total} letters are teasers of other pages")
    prefixes = fields.datelines(outlet)
    datelined = sum(1 for p in paragraphs_ if fields.starts_with_dateline(p, prefixes))
    if datelined >= THRESHOLDS.datelined_paragraphs:
        raise NotAnArticle("listing", f"{datelined} paragraphs open with a dateline")


def _says_article(page: Page, published: str | None, lead: str) -> bool:
    """Structural evidence of an article page: its own publication date, article metadata, a datelined sapo."""
    if published or fields.starts_with_dateline(lead, fields.datelines(page.outlet)):
        return True
    return (page.meta.get("og:type") or "").lower() == "article" or bool(
        page.ld.get("@type") and page.ld.get("@type") != "WebPage"
    )
