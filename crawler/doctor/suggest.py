"""Selectors learnt from the pages themselves, where an outlet's own selectors miss.

For a field the generic path had to extract (the outlet's selectors found nothing), the element holding the value
it extracted is located on each sample page (the headline, the sapo, the smallest block holding the body, the date
line, the byline, the section label), and CSS selectors are proposed from its markup: its tag and class, an
ancestor's class with its tag, an ``itemprop``, an id, the bare tag, and last a positional form. A candidate
counts on a sample when it selects that element and nothing else there (a section label: a short trail ending in
it). Among the candidates that count on at least ``suggestion_share`` of the samples, the stable forms come before
the positional ones, then the better covered, then the shorter. Ids and classes that vary per page cover one page
each and so never qualify.

Every candidate is then checked as a crawl would use it: the samples are extracted again by a copy of the outlet
class whose selectors start with it (and with the suggestions already accepted); it is kept when, on enough
samples, the field now comes from that selector with the value the generic path had (the body: from the outlet
path, with the same text). The body goes first: it decides which path reads the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from crawler.extraction import Explained, NotAnArticle, explain
from crawler.extraction.authors import clean_author
from crawler.extraction.dates import parse_iso, parse_vietnamese_date
from crawler.extraction.fields import in_site_chrome, selector_attribute
from crawler.extraction.html import css, parse
from crawler.extraction.text import element_text, letters, normalize
from crawler.extraction.thresholds import THRESHOLDS
from crawler.metrics import shingle_scores
from crawler.outlet import Outlet

SUGGESTED_FIELDS = ("body", "title", "lead", "published", "author", "category")
"""The fields selectors are learnt for, in the order they are learnt (the body decides the path)."""
CANDIDATES_TRIED = 6
"""Candidates verified by re-extraction per field at most, best first."""
SAME_TEXT_F1 = 0.99
"""The body read through a suggested selector is the generic path's when their shingle F1 reaches this."""
ANCESTOR_REACH = 4
"""Ancestors of the element whose classes may qualify a selector."""
_IDENTIFIER = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")
_STABLE, _QUALIFIED, _ATTRIBUTE, _ID, _BARE, _POSITIONAL = range(6)
"""Preference tiers of the selector forms, best first."""


@dataclass
class Sample:
    """A sample article as the outlet's rules read it: the page, its URL and the extraction."""

    url: str
    html: str
    explained: Explained


@dataclass
class Suggestion:
    field: str
    attribute: str
    """The outlet class attribute to change (``body_selectors``)."""
    selectors: tuple[str, ...]
    """Its new value: the learnt selector first, then the current ones (pages of the old layout stay readable)."""
    supplied: int
    """Samples on which, applied, it supplied the field with the generic path's value."""
    samples: int
    line: int | None = None
    """Line of ``attribute`` in the outlet's unit; None where the unit does not set it (add the line)."""

    @property
    def assignment(self) -> str:
        """The ready-to-paste line: ``body_selectors = ("div.x", "div.article__body")``."""
        items = ", ".join(python_string(s) for s in self.selectors)
        return f"{self.attribute} = ({items}{',' if len(self.selectors) == 1 else ''})"


def patched(outlet: type[Outlet], suggestions: Sequence[Suggestion]) -> type[Outlet]:
    """A copy of the outlet class with the suggestions applied (same name, hosts and rules otherwise)."""
    overrides = {s.attribute: s.selectors for s in suggestions}
    return type(outlet.__name__, (outlet,), {**overrides, "__module__": outlet.__module__})


def suggest(outlet: type[Outlet], samples: Sequence[Sample], missed: Sequence[str], share: float) -> list[Suggestion]:
    """Verified selectors for the ``missed`` fields, learnt from the ``samples`` (articles the outlet's rules read,
    partly through the generic path). A field without a selector covering ``share`` of its samples gets none."""
    accepted: list[Suggestion] = []
    for field in (f for f in SUGGESTED_FIELDS if f in missed):
        learnt = [(sample, targets) for sample in samples if (targets := _targets(field, sample))]
        if not learnt:
            continue
        needed = math.ceil(share * len(learnt))
        for selector in _ranked(field, learnt, needed)[:CANDIDATES_TRIED]:
            attribute = selector_attribute(field)
            trial = Suggestion(field, attribute, (selector, *getattr(outlet, attribute)), 0, len(learnt))
            trial.supplied = _supplied(
                patched(outlet, [*accepted, trial]), field, selector, [sample for sample, _ in learnt]
            )
            if trial.supplied >= needed:
                accepted.append(trial)
                break
    return accepted


# --- where the value is ---------------------------------------------------------------------------------------------
def _targets(field: str, sample: Sample) -> tuple[etree._Element, list[etree._Element]] | None:
    """A fresh tree of the sample page and the innermost elements holding the value the generic path extracted
    for ``field``, or None when the page has no value for it."""
    article = sample.explained.article
    tree = parse(sample.html)
    if tree is None:
        return None
    if field == "body":
        paragraphs = [letters(p) for p in article.body.split("\n\n") if letters(p)]
        if not paragraphs:
            return None
        first, last = paragraphs[0], paragraphs[-1]
        found = [_container(e) for e in _elements(tree) if first in (key := letters(element_text(e))) and last in key]
    else:
        value = {
            "title": article.title,
            "lead": article.lead,
            "published": article.published,
            "author": article.author,
            "category": article.category,
        }[field]
        if not value:
            return None
        found = [e for e in _elements(tree) if not in_site_chrome(e) and _holds(field, e, value)]
    holders = set(found)
    innermost = [e for e in holders if not any(d in holders for d in e.iterdescendants())]
    return (tree, innermost) if innermost else None


#: Elements that hold a paragraph's text, never the body's container: a one-paragraph body is the block around it.
TEXT_BLOCKS = frozenset(
    {
        "p",
        "span",
        "li",
        "ul",
        "ol",
        "blockquote",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "b",
        "em",
        "i",
        "a",
        "font",
        "br",
    }
)


def _container(element: etree._Element) -> etree._Element:
    while element.tag in TEXT_BLOCKS and element.getparent() is not None:
        element = element.getparent()
    return element


def _elements(tree: etree._Element) -> Iterator[etree._Element]:
    body = tree.find("body")
    for element in (body if body is not None else tree).iter():
        if isinstance(element.tag, str) and element.tag not in ("script", "style", "noscript", "template"):
            yield element


def _holds(field: str, element: etree._Element, value: str) -> bool:
    text = element_text(element)
    if field in ("title", "lead"):
        return text == normalize(value)
    if field == "published":
        if element.tag == "time" and parse_iso(element.get("datetime")) == value:
            return True
        return len(text) <= 90 and parse_vietnamese_date(text) == value
    if field == "author":
        return len(text) <= 80 and clean_author(text) == value
    return normalize(text).strip("›»>/|· ") == value  # category: a label of the trail


# --- candidate selectors -----------------------------------------------------------------------------------------
def _ranked(field: str, learnt: Sequence[tuple[Sample, tuple]], needed: int) -> list[str]:
    """The candidate selectors that single out the value on at least ``needed`` samples, best first."""
    ranks: dict[str, tuple[int, int]] = {}
    for _sample, (_tree, targets) in learnt:
        for target in targets:
            for rank, selector in _candidates(target):
                ranks[selector] = min(rank, ranks.get(selector, rank))
    covered = {
        selector: sum(_singles_out(field, selector, tree, targets) for _, (tree, targets) in learnt)
        for selector in ranks
    }
    qualified = [s for s, count in covered.items() if count >= needed]
    return sorted(qualified, key=lambda s: (ranks[s][0], -covered[s], ranks[s][1], len(s), s))


def _candidates(element: etree._Element) -> Iterator[tuple[tuple[int, int], str]]:
    """Selectors naming ``element``, each with its rank: the tier of its form, then how far up the ancestor that
    qualifies it is (the nearest one says the most about the element)."""
    tag = element.tag
    own = [f"{tag}.{word}" for word in _words(element)]
    yield from (((_STABLE, 0), selector) for selector in own)
    path: list[str] = []  # the positional steps from below an ancestor down to the element
    ancestors = list(element.iterancestors())[:ANCESTOR_REACH]
    for depth, (ancestor, node) in enumerate(zip(ancestors, [element, *ancestors])):
        if ancestor.tag in ("html", "body"):
            break
        path.insert(0, _position(node))
        for qualifier in _names(ancestor):
            if node is element:
                yield (_QUALIFIED, depth), f"{qualifier} > {tag}"
            yield (_QUALIFIED, depth), f"{qualifier} {tag}"
            yield from (((_QUALIFIED, depth), f"{qualifier} {selector}") for selector in own)
            if all(path):  # a sapo printed as the body's first bold paragraph: "div.body > p:first-child > strong"
                yield (_POSITIONAL, depth), " > ".join([qualifier, *path])
    if (itemprop := element.get("itemprop", "").strip()) and _IDENTIFIER.fullmatch(itemprop):
        yield (_ATTRIBUTE, 0), f"{tag}[itemprop={itemprop}]"
    if (identifier := element.get("id", "").strip()) and _IDENTIFIER.fullmatch(identifier):
        yield (_ID, 0), f"{tag}#{identifier}"
    yield (_BARE, 0), tag


def _position(element: etree._Element) -> str:
    """The element's tag alone when it is its parent's only element child, ``tag:first-child`` or
    ``tag:last-child`` when it is the first or last; "" otherwise (middle positions change with the content)."""
    siblings = [child for child in element.getparent() if isinstance(child.tag, str)]
    if len(siblings) == 1:
        return element.tag
    if siblings[0] is element:
        return f"{element.tag}:first-child"
    if siblings[-1] is element:
        return f"{element.tag}:last-child"
    return ""


def _words(element: etree._Element) -> list[str]:
    return [word for word in element.get("class", "").split() if _IDENTIFIER.fullmatch(word)]


def _names(element: etree._Element) -> list[str]:
    """How an ancestor may be named in a selector: tag and class, tag and id."""
    names = [f"{element.tag}.{word}" for word in _words(element)]
    if (identifier := element.get("id", "").strip()) and _IDENTIFIER.fullmatch(identifier):
        names.append(f"{element.tag}#{identifier}")
    return names


def _singles_out(field: str, selector: str, tree: etree._Element, targets: list[etree._Element]) -> bool:
    matches = [e for e in css(tree, selector) if element_text(e)]
    if field == "category":  # read as a trail: its last label is the section
        return 0 < len(matches) <= THRESHOLDS.max_trail and matches[-1] in targets
    return len(matches) == 1 and matches[0] in targets


# --- verification ----------------------------------------------------------------------------------------------------
def _supplied(trial: type[Outlet], field: str, selector: str, samples: Sequence[Sample]) -> int:
    """On how many samples the ``trial`` outlet reads ``field`` through ``selector`` with the generic path's
    value."""
    count = 0
    for sample in samples:
        try:
            again = explain(sample.html, sample.url, trial)
        except NotAnArticle:
            continue
        if again.selectors.get(field) != selector:
            continue
        before, after = sample.explained.article, again.article
        if field == "body":
            same = (
                after.extraction == "outlet"
                and shingle_scores(_text(after.lead, after.body), _text(before.lead, before.body))[2] >= SAME_TEXT_F1
            )
        else:
            same = getattr(after, field) == getattr(before, field)
        count += same
    return count


def _text(lead: str, body: str) -> str:
    return "\n".join(p for p in [lead, *body.split("\n\n")] if p)


def python_string(text: str) -> str:
    """A Python string literal, double-quoted as the outlet units write them."""
    if '"' not in text:
        return '"' + text.replace("\\", "\\\\") + '"'
    return repr(text)
