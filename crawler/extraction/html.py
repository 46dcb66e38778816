"""Bytes to text (declared charset, then sensible fallbacks) and the single lxml parse of a page."""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import cssselect
import lxml.html
from lxml import etree
from lxml.cssselect import CSSSelector, SelectorError

_XML_DECLARATION = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# What browsers really use for the labels pages declare.
_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252",
            "ascii": "cp1252", "windows-1252": "cp1252", "windows-1258": "cp1258", "x-user-defined": "cp1252"}
# Vietnamese letters that exist in windows-1258 but not (or rarely) in text mis-decoded as windows-1252.
_VIETNAMESE_1258 = re.compile("[ĂăÂâĐđÊêÔôƠơƯư\u0300\u0301\u0303\u0309\u0323]")


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _XML_DECLARATION.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode(data: bytes) -> str:
    """The text of an HTML document: BOM, then the declared charset (meta or XML declaration) when the bytes
    decode with it, then UTF-8, then windows-1258 when that yields Vietnamese letters, else windows-1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, "replace")
    candidates = [declared_charset(data), "utf-8"]
    for encoding in candidates:
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        text = data.decode("cp1258")
        if _VIETNAMESE_1258.search(text):
            return text
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252", "replace")


@lru_cache(maxsize=512)
def _compiled(selector: str) -> CSSSelector | None:
    try:
        return CSSSelector(selector, translator="html")
    except SelectorError:
        return None


def css(root: etree._Element, selector: str) -> list[etree._Element]:
    """The elements under ``root`` matching the CSS ``selector``; none for an invalid selector (an outlet
    description must not break extraction). Compiled once per selector: ``element.cssselect`` translates the
    selector to XPath on every call, which cost a fifth of the extraction time. Inside :func:`page_names`, a
    selector naming a class or an id the page does not have matches nothing without a query."""
    compiled = _compiled(selector)
    if compiled is None:
        return []
    names = _PAGE_NAMES.get()
    if names is not None and (required := _required_names(selector)) is not None and \
            not any(alternative <= names for alternative in required):
        return []
    return compiled(root)


#: The class words (".word") and ids ("#id") of the page under extraction; None outside :func:`page_names`.
_PAGE_NAMES: ContextVar[frozenset[str] | None] = ContextVar("page_names", default=None)
_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
_ID_VALUES = etree.XPath("//@id", smart_strings=False)
#: What XPath's normalize-space() splits on: the class words as the compiled selectors see them.
_XML_SPACE = re.compile("[ \t\r\n]+")


@contextmanager
def page_names(tree: etree._Element) -> Iterator[None]:
    """While the block runs, :func:`css` answers at once for a selector that names a class or an id the page
    lacks: an outlet's selectors on a page of another layout, most of the queries of the generic path. The names
    are read once, before any removal: removals only take names away (and the elements the rules add have no
    class or id), so a name absent then is absent from every later state of the tree."""
    names = {f".{word}" for word in _XML_SPACE.split(" ".join(_CLASS_VALUES(tree))) if word}
    names.update(f"#{value}" for value in _ID_VALUES(tree))
    token = _PAGE_NAMES.set(frozenset(names))
    try:
        yield
    finally:
        _PAGE_NAMES.reset(token)


@lru_cache(maxsize=512)
def _required_names(selector: str) -> tuple[frozenset[str], ...] | None:
    """For each selector of the group, the class words and ids an element needs to match it; None when the
    selector has a part this does not read (then the query always runs)."""
    try:
        parsed = cssselect.parse(selector)
    except SelectorError:
        return None
    required = []
    for alternative in parsed:
        names = None if alternative.pseudo_element else _names(alternative.parsed_tree)
        if names is None:
            return None
        required.append(frozenset(names))
    return tuple(required)


#: cssselect's parse nodes that narrow the selector they wrap (``node.selector``) with a test of their own.
_NARROWING = (cssselect.parser.Class, cssselect.parser.Hash, cssselect.parser.Attrib, cssselect.parser.Pseudo,
              cssselect.parser.Function, cssselect.parser.Negation)


def _names(node: object) -> set[str] | None:
    """The names a cssselect parse tree requires: its classes and ids, but not those under ``:not()``; None for
    a part not read here (``:has()``, ``:is()``...)."""
    if isinstance(node, cssselect.parser.Element):
        return set()
    if isinstance(node, cssselect.parser.CombinedSelector):
        left, right = _names(node.selector), _names(node.subselector)
        return None if left is None or right is None else left | right
    if not isinstance(node, _NARROWING):
        return None
    names = _names(node.selector)
    if names is not None and isinstance(node, cssselect.parser.Class):
        names.add(f".{node.class_name}")
    elif names is not None and isinstance(node, cssselect.parser.Hash):
        names.add(f"#{node.id}")
    return names


@lru_cache(maxsize=512)
def _compiled_xpath(expression: str) -> etree.XPath:
    return etree.XPath(expression)


def xpath(element: etree._Element, expression: str, **variables: object) -> list:
    """``element.xpath(expression, **variables)``, the expression compiled once: ``element.xpath`` compiles it
    on every call, and the extractor runs the same few expressions on every page."""
    return _compiled_xpath(expression)(element, **variables)


def following(element: etree._Element) -> Iterator[etree._Element]:
    """The elements after ``element`` in document order, outside it: XPath's ``following::*``, but lazily. The
    rules that read on from the title stop after a few elements, and the XPath axis lists the rest of the page
    first."""
    node = element
    while node is not None:
        for sibling in node.itersiblings(etree.Element):
            yield sibling
            yield from sibling.iterdescendants(etree.Element)
        node = node.getparent()


#: Comments and processing instructions are not content, and trafilatura, which reads the same tree, expects
#: none: text after a comment inside a paragraph is a tail it drops (its own parser removes them too).
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
# Every element gets lxml.html's element class from a lookup done in C. lxml.html's own lookup is a Python method
# that lxml calls each time an element of the tree is first handed to Python (hundreds of times per page, 2-3% of
# the extraction's time); what it adds, special classes for form fields, nothing here uses.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity))


def parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    """The document tree of ``html``, or None when there is no document. Text is NFC-normalised before parsing
    (markup is ASCII, so this only touches text)."""
    text = decode(html) if isinstance(html, bytes) else html
    text = unicodedata.normalize("NFC", text)
    text = _XML_DECLARATION_TEXT.sub("", text)
    if not text.strip():
        return None
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    for image in tree.iter("amp-img"):  # AMP pages: an amp-img is the page's img, with the same src and alt
        image.tag = "img"
    return tree


def meta_values(tree: etree._Element) -> dict[str, str]:
    """``<meta property|name|itemprop=... content=...>`` as a dict of lower-cased keys (first value wins)."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key and key not in values:
                values[key] = content.strip()
    # itemprop on other elements (time datetime=..., span itemprop=author)
    for element in xpath(tree, "//*[@itemprop and not(self::meta)]"):
        key = element.get("itemprop").strip().lower()
        value = element.get("datetime") or element.get("content")
        if value and key not in values:
            values[key] = value.strip()
    return values


ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                 "opinionnewsarticle", "backgroundnewsarticle", "webpage"}


def _walk_json(value: Any) -> Iterator[dict]:
    if isinstance(value, list):
        for item in value:
            yield from _walk_json(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _walk_json(value["@graph"])


def json_ld(tree: etree._Element) -> list[dict]:
    """JSON-LD objects of the page (``@graph`` flattened); unparsable blocks are skipped."""
    objects = []
    for script in xpath(tree, '//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        objects.extend(_walk_json(data))
    return objects


def json_ld_article(tree: etree._Element) -> dict:
    """The first JSON-LD object describing an article (NewsArticle first), or {}."""
    objects = json_ld(tree)

    def types(obj: dict) -> set[str]:
        kind = obj.get("@type", "")
        return {k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}

    for wanted in (ARTICLE_TYPES - {"webpage"}, {"webpage"}):
        for obj in objects:
            if types(obj) & wanted:
                return obj
    return {}
