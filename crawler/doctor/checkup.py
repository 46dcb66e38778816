"""One outlet examined: its discovery channels, a few sample articles, its selectors, a verdict.

Channels are fetched in the order a crawl starts them (robots.txt, sitemaps named there and declared by the outlet,
feeds, the home page, each configured listing) and each is reported with its outcome and the article links it
yielded (``Outlet.is_article_url``, canonicalised). Sample articles are taken from the channels in turn, so that
they come from several of them, and read with :func:`crawler.extraction.explain`: the crawl's extraction, which
also says which outlet selector supplied each field. The verdict:

``broken``    robots.txt cannot be read (a crawl would fetch nothing), no channel yields an article link, or no
              sample becomes an article;
``degraded``  a configured channel fails or yields no article link, a sample cannot be fetched or is no article,
              or the outlet's selectors supplied a field on less than ``selector_share`` of the samples where the
              page has it (the generic path took over);
``healthy``   otherwise.

Each reason names the attribute of the outlet's unit to change and its line (:func:`unit_lines`).
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawler import settings as project_settings
from crawler.discovery import NAVIGATION_LINKS, NEXT_PAGE_SELECTORS, generic_next_page, navigation_sections
from crawler.doctor.fetch import Fetched, Fetcher, PageBudgetSpent
from crawler.doctor.suggest import SUGGESTED_FIELDS, Sample, Suggestion, python_string, suggest
from crawler.extraction import NotAnArticle, explain
from crawler.extraction.encoding import UndecodableError, decode_html, header_encoding
from crawler.extraction.fields import SELECTOR_FIELDS, selector_attribute
from crawler.extraction.html import css, parse, xpath
from crawler.items import FailureReason
from crawler.outlet import Outlet
from crawler.urls import canonical_url

HEALTHY, DEGRADED, BROKEN = "healthy", "degraded", "broken"
VERDICTS = (HEALTHY, DEGRADED, BROKEN)
"""Best first: an outlet's verdict is the worst its reasons give."""
BUDGET_SPENT = "not_fetched_page_budget"
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
"""A gzipped sitemap is read up to this size once decompressed (the sitemaps protocol's own maximum)."""


@dataclass(frozen=True)
class DoctorOptions:
    """What the doctor samples and how it judges (the fetching bounds: :class:`~crawler.doctor.fetch.FetchOptions`)."""

    articles: int = 5
    """Sample article pages fetched and read per outlet."""
    max_sitemaps: int = 10
    """Nested sitemaps (those a sitemap index lists) fetched per outlet at most."""
    sitemap_depth: int = project_settings.SITEMAP_MAX_DEPTH
    """Levels of sitemap indexes followed, as a crawl follows them."""
    navigation_sections: int = project_settings.NAVIGATION_MAX_SECTIONS
    """Sections of the home page's navigation proposed as listings at most, as a crawl walks them."""
    selector_share: float = 0.8
    """An outlet's selectors must supply a field on this share of the samples that have it, else degraded."""
    suggestion_share: float = 0.9
    """A learnt selector must single the value out, and supply it when applied, on this share of the samples."""


@dataclass
class Channel:
    kind: str
    """``robots.txt``, ``sitemap``, ``feed``, ``home`` or ``listing``."""
    url: str
    outcome: str
    """HTTP status (``200``), or why there is no page: ``http_404``, ``timeout``, ``robots_disallowed`` ..."""
    article_links: int = 0
    links: int = 0
    """Links it holds, article URLs or not (sitemap entries, feed items, the links of a page)."""
    note: str | None = None
    """More about the channel: nested sitemaps read, whether a listing's next page was found."""
    attribute: str | None = None
    """The outlet attribute that configures it (``listing_paths``); None for robots.txt and the home page."""
    sections: list[str] = field(default_factory=list)
    """The home page's: the sections its navigation links (crawler/discovery.py), which a crawl walks when a
    configured listing misses."""


@dataclass
class SampleResult:
    url: str
    outcome: str
    extraction: str | None = None
    """``outlet`` or ``generic``: the path that read the text; None when the page is no article."""
    not_article: str | None = None
    """Why the extractor rejected the page (``listing: ...``), when it was fetched and is no article."""


@dataclass
class FieldUsage:
    field: str
    selectors: dict[str, int]
    """Outlet selector -> samples on which it supplied the field."""
    generic: int
    """Samples on which the field has a value the outlet's selectors did not supply (generic path, metadata)."""
    empty: int
    """Samples without a value for the field."""

    def missed(self, share: float) -> bool:
        supplied = sum(self.selectors.values())
        return self.generic > 0 and supplied < share * (supplied + self.generic)


@dataclass
class Reason:
    verdict: str
    text: str
    attribute: str | None = None
    line: int | None = None
    """Line of ``attribute`` in the outlet's unit."""


@dataclass
class Checkup:
    outlet: str
    unit: str
    """The outlet's unit (its source file)."""
    verdict: str
    reasons: list[Reason] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    samples: list[SampleResult] = field(default_factory=list)
    fields: list[FieldUsage] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    listing_paths: str | None = None
    """Where configured listings miss and the home page's navigation links sections: the ready-to-paste
    ``listing_paths = (...)`` of those sections (paths relative to the home page)."""
    listing_paths_line: int | None = None
    requests: int = 0


def examine(outlet: type[Outlet], fetcher: Fetcher, options: DoctorOptions) -> Checkup:
    """The checkup of ``outlet``; its pages fetched by ``fetcher``. Raises what the fetcher raises when the
    replica cannot be reached."""
    checkup = Checkup(outlet.name, unit_path(outlet), HEALTHY)
    links: list[list[str]] = []
    robots = fetcher.read_robots()
    checkup.channels.append(Channel("robots.txt", robots.url, robots.outcome, note=robots.detail))
    if fetcher.robots_unavailable is None:
        for channel, found in _channels(outlet, fetcher, options):
            checkup.channels.append(channel)
            links.append(found)
        samples = _samples(outlet, fetcher, links, options, checkup)
        checkup.fields = _field_usage(samples)
        missed = [usage.field for usage in checkup.fields if usage.missed(options.selector_share)]
        checkup.suggestions = suggest(outlet, samples, missed, options.suggestion_share)
        lines = unit_lines(outlet)
        for suggestion in checkup.suggestions:
            suggestion.line = lines.get(suggestion.attribute)
    checkup.requests = fetcher.requests
    checkup.reasons = _reasons(outlet, checkup, fetcher, options)
    checkup.listing_paths = _listing_paths(outlet, checkup, fetcher)
    checkup.listing_paths_line = unit_lines(outlet).get("listing_paths")
    checkup.verdict = max((r.verdict for r in checkup.reasons), key=VERDICTS.index, default=HEALTHY)
    return checkup


# --- channels ---------------------------------------------------------------------------------------------------------
def _channels(outlet: type[Outlet], fetcher: Fetcher, options: DoctorOptions):
    """Each channel a crawl starts from, fetched, with the article links it yielded."""
    named = list(fetcher.robots.sitemaps) if fetcher.robots is not None else []
    declared = [outlet.absolute(path) for path in outlet.sitemap_paths]
    nested_left = options.max_sitemaps
    for url in dict.fromkeys([*named, *declared]):
        configured = "sitemap_paths" if url in declared else None
        if not outlet.owns(url):
            yield Channel("sitemap", url, str(FailureReason.OFFSITE_REDIRECT), attribute=configured), []
            continue
        channel, found, nested = _sitemap(outlet, fetcher, url, configured, nested_left, options.sitemap_depth)
        nested_left -= nested
        yield channel, found
    for path in outlet.feed_paths:
        yield _page_channel(outlet, fetcher, "feed", outlet.absolute(path), "feed_paths", _feed_links)
    home, found = _page_channel(outlet, fetcher, "home", outlet.home, None, _html_links, options.navigation_sections)
    yield home, found
    for path in outlet.listing_paths:
        yield _page_channel(outlet, fetcher, "listing", outlet.absolute(path), "listing_paths", _html_links)


def _get(fetcher: Fetcher, url: str) -> Fetched:
    try:
        return fetcher.get(url)
    except PageBudgetSpent:
        return Fetched(url, error=BUDGET_SPENT)


def _page_channel(
    outlet, fetcher, kind, url, configured, read_links, navigation_limit: int = 0
) -> tuple[Channel, list[str]]:
    fetched = _get(fetcher, url)
    channel = Channel(kind, url, fetched.outcome, note=fetched.detail, attribute=configured)
    if not fetched.ok:
        return channel, []
    hrefs, tree = read_links(fetched)
    found = _article_links(outlet, fetched.url, hrefs)
    channel.links, channel.article_links = len(hrefs), len(found)
    if kind == "listing" and tree is not None:
        # as the spider finds it: the outlet's selectors and rel=next, then the generic pagination
        selectors = (*outlet.next_page_selectors, *NEXT_PAGE_SELECTORS)
        if any(element.get("href") for s in selectors for element in css(tree, s)):
            channel.note = "next page link found"
        else:
            links = [
                (urljoin(fetched.url, (a.get("href") or "").strip()), " ".join(a.itertext()).strip())
                for a in tree.iter("a")
                if a.get("href")
            ]
            following = generic_next_page(
                fetched.url,
                1,
                [(link, text) for link, text in links if outlet.owns(link) and not outlet.is_article_url(link)],
            )
            channel.note = f"next page found generically: {following}" if following else "no next page link"
    if kind == "home" and tree is not None:
        channel.sections, _ = navigation_sections(xpath(tree, NAVIGATION_LINKS), fetched.url, outlet, navigation_limit)
    return channel, found


def _listing_paths(outlet: type[Outlet], checkup: Checkup, fetcher: Fetcher) -> str | None:
    """The sections of the home page's navigation that robots.txt lets a crawl fetch, as the unit's
    ``listing_paths``, when a configured listing failed or linked no article (what a crawl then walks instead)."""
    listings = [c for c in checkup.channels if c.kind == "listing"]
    if not any(not c.outcome.isdigit() or c.article_links == 0 for c in listings):
        return None
    sections = next((c.sections for c in checkup.channels if c.kind == "home"), [])
    paths = [
        url[len(outlet.home) :] if url.startswith(outlet.home) else urlsplit(url).path.lstrip("/")
        for url in sections
        if fetcher.allowed(url)
    ]
    if not paths:
        return None
    return f"listing_paths = ({', '.join(map(python_string, paths))}{',' if len(paths) == 1 else ''})"


def _sitemap(outlet, fetcher, url, configured, nested_left: int, max_depth: int) -> tuple[Channel, list[str], int]:
    """The sitemap at ``url`` and the sitemaps its index lists, down to ``max_depth`` levels and ``nested_left``
    nested sitemaps at most; the article links of all; how many nested sitemaps were fetched."""
    fetched = _get(fetcher, url)
    channel = Channel("sitemap", url, fetched.outcome, note=fetched.detail, attribute=configured)
    found: list[str] = []
    pending = [(fetched, 0)]
    nested = failed = 0
    while pending:
        page, depth = pending.pop(0)
        for kind, location in _sitemap_entries(page) if page.ok else ():
            channel.links += 1
            if kind == "sitemapindex":
                if outlet.owns(location) and depth < max_depth and nested < nested_left:
                    nested += 1
                    pending.append((_get(fetcher, location), depth + 1))
                    failed += not pending[-1][0].ok
            elif outlet.is_article_url(location):
                found.append(canonical_url(location, outlet))
    found = list(dict.fromkeys(found))
    channel.article_links = len(found)
    if nested:
        channel.note = f"{nested} nested sitemaps read" + (f", {failed} failed" if failed else "")
    return channel, found, nested


def _sitemap_entries(fetched: Fetched) -> list[tuple[str, str]]:
    """``(sitemap type, location)`` of each entry of a sitemap or sitemap index, gzipped or not."""
    body = fetched.body
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=SITEMAP_MAX_BYTES)
        except (OSError, ValueError):
            return []
    try:
        sitemap = Sitemap(body)
    except Exception:
        return []
    return [(sitemap.type, entry["loc"]) for entry in sitemap if entry.get("loc")]


def _feed_links(fetched: Fetched) -> tuple[list[str], None]:
    """RSS ``<item><link>`` and Atom ``<entry><link href>``, as the spider reads feeds."""
    try:
        tree = etree.fromstring(fetched.body, etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return [], None
    if tree is None:
        return [], None
    return xpath(
        tree,
        "//*[local-name()='item']/*[local-name()='link']/text() | "
        "//*[local-name()='entry']/*[local-name()='link']/@href",
    ), None


def _html_links(fetched: Fetched) -> tuple[list[str], etree._Element | None]:
    """The links of a page, and the page (a listing's next-page link is looked for in it)."""
    try:
        tree = parse(decode_html(fetched.body, header_encoding(fetched.content_type)))
    except UndecodableError:
        return [], None
    if tree is None:
        return [], None
    return xpath(tree, "//a/@href"), tree


def _article_links(outlet: type[Outlet], base: str, hrefs: list[str]) -> list[str]:
    urls = (urljoin(base, href.strip()) for href in hrefs)
    return list(dict.fromkeys(canonical_url(url, outlet) for url in urls if outlet.is_article_url(url)))


# --- samples ------------------------------------------------------------------------------------------------------
def _samples(outlet, fetcher, links: list[list[str]], options: DoctorOptions, checkup: Checkup) -> list[Sample]:
    """Up to ``options.articles`` article pages, taken from the channels in turn, read by the outlet's rules."""
    chosen = list(dict.fromkeys(url for row in zip_longest(*links) for url in row if url))[: options.articles]
    samples = []
    for url in chosen:
        fetched = _get(fetcher, url)
        result = SampleResult(url, fetched.outcome)
        checkup.samples.append(result)
        if not fetched.ok:
            continue
        try:
            html = decode_html(fetched.body, header_encoding(fetched.content_type))
            explained = explain(html, url, outlet)
        except UndecodableError:
            result.outcome = str(FailureReason.UNDECODABLE)
            continue
        except NotAnArticle as error:
            result.not_article = str(error)
            continue
        result.extraction = explained.article.extraction
        samples.append(Sample(url, html, explained))
    return samples


def _field_usage(samples: list[Sample]) -> list[FieldUsage]:
    usages = []
    for name in SELECTOR_FIELDS:
        selectors: Counter[str] = Counter()
        generic = empty = 0
        for sample in samples:
            article = sample.explained.article
            if name in sample.explained.selectors:
                selectors[sample.explained.selectors[name]] += 1
            elif (article.extraction == "generic") if name == "body" else bool(getattr(article, name)):
                generic += 1  # the text, read by the generic path; another field, from metadata or the generic rules
            else:
                empty += 1
        usages.append(FieldUsage(name, dict(selectors.most_common()), generic, empty))
    return usages


# --- verdict ---------------------------------------------------------------------------------------------------------
def _reasons(outlet, checkup: Checkup, fetcher: Fetcher, options: DoctorOptions) -> list[Reason]:
    lines = unit_lines(outlet)
    reasons: list[Reason] = []

    def add(verdict: str, text: str, attribute_name: str | None = None) -> None:
        reasons.append(Reason(verdict, text, attribute_name, lines.get(attribute_name)))

    if fetcher.robots_unavailable is not None:
        add(BROKEN, f"robots.txt is unavailable ({fetcher.robots_unavailable}): a crawl fetches nothing of the site")
        return reasons
    for channel in checkup.channels[1:]:
        if channel.outcome == BUDGET_SPENT:
            add(DEGRADED, f"{channel.kind} {channel.url} not fetched: the doctor's page budget is spent")
        elif not channel.outcome.isdigit():
            add(DEGRADED, f"{channel.kind} {channel.url} failed: {channel.outcome}", channel.attribute)
        elif channel.article_links == 0 and channel.links and channel.kind in ("sitemap", "feed"):
            # a sitemap or feed lists articles only: none matching says the URL forms are wrong
            add(
                DEGRADED,
                f"{channel.kind} {channel.url} holds {channel.links} links, none an article URL of the outlet",
                "article_paths",
            )
        elif channel.article_links == 0:
            add(DEGRADED, f"{channel.kind} {channel.url} yielded no article link", channel.attribute)
    if not any(channel.article_links for channel in checkup.channels):
        add(BROKEN, "no channel yielded an article link: a crawl finds nothing", "listing_paths")
        return reasons
    articles = [s for s in checkup.samples if s.extraction is not None]
    unfetched = [s for s in checkup.samples if s.not_article is None and s.extraction is None]
    rejected = [s.not_article for s in checkup.samples if s.not_article is not None]
    if not articles:
        add(BROKEN, f"none of the {len(checkup.samples)} sample pages became an article")
    if articles and unfetched:
        add(
            DEGRADED,
            f"{len(unfetched)} of {len(checkup.samples)} sample pages could not be fetched "
            f"({', '.join(sorted({s.outcome for s in unfetched}))})",
        )
    if articles and rejected:
        # links of the article form that are no articles: the URL forms take in too much
        add(
            DEGRADED,
            f"{len(rejected)} of {len(checkup.samples)} sample pages are not articles "
            f"({', '.join(sorted({why.split(':')[0] for why in rejected}))})",
            "article_paths",
        )
    suggested = {s.field for s in checkup.suggestions}
    for usage in checkup.fields:
        if usage.missed(options.selector_share):
            supplied = sum(usage.selectors.values())
            advice = (
                "; no selector could be learnt from the samples"
                if usage.field in SUGGESTED_FIELDS and usage.field not in suggested
                else ""
            )
            add(
                DEGRADED,
                f"{usage.field}: the outlet's selectors supplied it on {supplied} of "
                f"{supplied + usage.generic} samples, the generic path on {usage.generic}{advice}",
                selector_attribute(usage.field),
            )
    return reasons


def unit_path(outlet: type[Outlet]) -> str:
    """The outlet's source file, relative to the working directory when it is below it."""
    path = Path(inspect.getsourcefile(outlet) or "?").resolve()
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


_ASSIGNMENT = re.compile(r"\s+(\w+)\s*(?::[^=]*)?=")


def unit_lines(outlet: type[Outlet]) -> dict[str | None, int]:
    """Line of each attribute assigned in the outlet's class body (in its source file)."""
    try:
        source, start = inspect.getsourcelines(outlet)
    except (OSError, TypeError):
        return {}
    lines: dict[str | None, int] = {}
    for offset, text in enumerate(source):
        if (match := _ASSIGNMENT.match(text)) and match.group(1) not in lines:
            lines[match.group(1)] = start + offset
    return lines
