"""Bytes to text (by :mod:`crawler.extraction.encoding`'s policy), the single lxml parse of a page (markup nested
too deep for libxml2 flattened first) and the page's metadata (meta tags, JSON-LD)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import cssselect
import lxml.html
from lxml import etree
from lxml.cssselect import LxmlHTMLTranslator, SelectorError

from crawler.extraction.encoding import decode_html

_XML_DECLARATION_TEXT = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


#: What ``CSSSelector(selector, translator="html")`` translates with: its XPath, before the attribute axis.
_TRANSLATOR = LxmlHTMLTranslator()


@lru_cache(maxsize=512)
def _compiled(selector: str) -> etree.XPath | None:
    try:
        return etree.XPath(_along_attributes(_TRANSLATOR.css_to_xpath(selector)))
    except SelectorError:
        return None


#: A step of cssselect's XPath that tests one class word or an id of every element it visits; group 3 is the
#: class word, group 4 the id (neither holds a quote or a space).
_NAME_STEP = re.compile(
    r"(descendant-or-self::|/)(\w+|\*)\[(?:@class and contains\(concat\(' ', normalize-space\(@class\), ' '\), "
    r"' ([^' ]+) '\)|@id = '([^' ]+)')\](?=/|$)"
)


def _along_attributes(path: str) -> str:
    """cssselect's XPath with each class or id test moved onto the attribute axis: ``div.x`` becomes "the ``div``s'
    ``class`` attributes holding the word x, and their elements", where it was "every ``div``, its class tested".
    libxml2 visits only the elements carrying the attribute then, and a word test starts with a plain
    ``contains()``: 40% less time per query, on the same elements in the same order."""

    def along(match: re.Match) -> str:
        step, element, word, identifier = match.groups()
        if word is not None:
            test = f"@class[contains(., '{word}') and contains(concat(' ', normalize-space(.), ' '), ' {word} ')]"
        else:
            test = f"@id[. = '{identifier}']"
        return f"{step}{element}/{test}/parent::*"

    return _NAME_STEP.sub(along, path)


def css(root: etree._Element, selector: str) -> list[etree._Element]:
    """The elements under ``root`` matching the CSS ``selector``; none for an invalid selector (an outlet
    description must not break extraction). Compiled once per selector: ``element.cssselect`` translates the
    selector to XPath on every call, which cost a fifth of the extraction time. Inside :func:`page_names`, a
    selector naming a class the page does not have matches nothing without a query."""
    compiled = _compiled(selector)
    if compiled is None:
        return []
    names = _PAGE_NAMES.get()
    if (
        names is not None
        and (required := _required_names(selector)) is not None
        and not any(alternative <= names for alternative in required)
    ):
        return []
    return compiled(root)


#: The class words of the page under extraction; None outside :func:`page_names`.
_PAGE_NAMES: ContextVar[frozenset[str] | None] = ContextVar("page_names", default=None)
_CLASS_VALUES = etree.XPath("//*/@class", smart_strings=False)  # "//@class" visits text nodes too
#: What XPath's normalize-space() splits on: the class words as the compiled selectors see them.
_XML_SPACE = re.compile("[ \t\r\n]+")


@contextmanager
def page_names(tree: etree._Element) -> Iterator[None]:
    """While the block runs, :func:`css` answers at once for a selector that names a class the page lacks: an
    outlet's selectors on a page of another layout, most of the queries of the generic path. The names are read
    once, before any removal: removals only take names away (and the elements the rules add have no class), so a
    name absent then is absent from every later state of the tree. Ids are not read: a walk of its own, for the
    one outlet selector that names one (whose query then runs)."""
    token = _PAGE_NAMES.set(frozenset(_XML_SPACE.split(" ".join(_CLASS_VALUES(tree)))))
    try:
        yield
    finally:
        _PAGE_NAMES.reset(token)


@lru_cache(maxsize=512)
def _required_names(selector: str) -> tuple[frozenset[str], ...] | None:
    """For each selector of the group, the class words an element needs to match it; None when the selector has
    a part this does not read (then the query always runs)."""
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
_NARROWING = (
    cssselect.parser.Class,
    cssselect.parser.Hash,
    cssselect.parser.Attrib,
    cssselect.parser.Pseudo,
    cssselect.parser.Function,
    cssselect.parser.Negation,
)


def _names(node: object) -> set[str] | None:
    """The class words a cssselect parse tree requires, but not those under ``:not()``; None for a part not read
    here (``:has()``, ``:is()``...)."""
    if isinstance(node, cssselect.parser.Element):
        return set()
    if isinstance(node, cssselect.parser.CombinedSelector):
        left, right = _names(node.selector), _names(node.subselector)
        return None if left is None or right is None else left | right
    if not isinstance(node, _NARROWING):
        return None
    names = _names(node.selector)
    if names is not None and isinstance(node, cssselect.parser.Class):
        names.add(node.class_name)
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


def class_and_id(element: etree._Element) -> str:
    """The ``class`` and ``id`` attributes of ``element`` as one string: what the rules that tell a box by its
    names (noise boxes, captions, site chrome, breadcrumbs, decoration) search."""
    return f"{element.get('class', '')} {element.get('id', '')}"


def inside(element: etree._Element, container: etree._Element) -> bool:
    """``element`` is ``container`` or one of its descendants (``in`` over the ancestors: lxml elements compare by
    identity, in C)."""
    return element is container or container in element.iterancestors()


def precedes(first: etree._Element, second: etree._Element) -> bool:
    """``first`` comes before ``second`` in document order (``tree.iter()``'s: an element before its descendants),
    told from their ancestors where a walk from the page's start would read everything before them. False for
    elements of different trees."""
    if first is second:
        return False
    first_line = [first, *first.iterancestors()]
    first_ancestors = {id(element): depth for depth, element in enumerate(first_line)}
    second_line = [second, *second.iterancestors()]
    depth = next((depth for depth, element in enumerate(second_line) if id(element) in first_ancestors), None)
    if depth is None:
        return False
    common = second_line[depth]
    if common is first:
        return True  # its ancestor
    if common is second:
        return False  # its descendant
    # the children of the common ancestor on each line, in the order of its children
    return common.index(first_line[first_ancestors[id(common)] - 1]) < common.index(second_line[depth - 1])


# Every element gets lxml.html's element class from a lookup done in C. lxml.html's own lookup is a Python method
# that lxml calls each time an element of the tree is first handed to Python (hundreds of times per page, 2-3% of
# the extraction's time); what it adds, special classes for form fields, nothing here uses.
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def parse(html: str | bytes) -> lxml.html.HtmlElement | None:
    """The document tree of ``html``, or None when there is no document. Bytes are decoded by the crawl's one policy
    (:func:`~crawler.extraction.encoding.decode_html`, without an HTTP header), so bytes it refuses raise
    :class:`~crawler.extraction.encoding.UndecodableError`. Text is NFC-normalised before parsing
    (markup is ASCII, so this only touches text). Markup nested deeper than libxml2 parses is flattened first
    (:func:`flatten_deep_markup`), so no text is lost and the tree stays shallow for every walker downstream."""
    text = decode_html(html) if isinstance(html, bytes) else html
    text = unicodedata.normalize("NFC", text)
    text = _XML_DECLARATION_TEXT.sub("", text)
    if not text or text.isspace():
        return None
    try:
        tree, too_deep = _parse_html(text)
        if too_deep:
            tree, too_deep = _parse_html(flatten_deep_markup(text))
    except (etree.ParserError, ValueError):
        return None
    if too_deep:  # flatten_deep_markup over-counts libxml2's depth, so only a bug gets here: say so, lose nothing
        raise ValueError("markup still too deep for libxml2 after flattening")
    for image in tree.iter("amp-img"):  # AMP pages: an amp-img is the page's img, with the same src and alt
        image.tag = "img"
    return tree


def _parse_html(text: str) -> tuple[lxml.html.HtmlElement, bool]:
    """The tree of ``text`` and whether libxml2 stopped at its depth limit (it then drops the rest of the page
    without raising: the only trace is the error log)."""
    # Comments and processing instructions are not content, and trafilatura, which reads the same tree, expects
    # none: text after a comment inside a paragraph is a tail it drops (its own parser removes them too). Not
    # huge_tree: that only moves the wall to depth 2048, and unbounds memory. A parser per page: its error log
    # is the page's.
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    tree = lxml.html.document_fromstring(text, parser=parser)
    too_deep = any(
        error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT and "depth" in error.message for error in parser.error_log
    )
    return tree, too_deep


#: libxml2 stops parsing at this element depth and silently drops the rest of the page (``huge_tree`` moves the
#: limit to 2048 but leaves it, and lifts libxml2's memory bounds too).
LIBXML2_MAX_DEPTH = 256
#: Beyond this depth :func:`flatten_deep_markup` drops the tags of wrapper elements that are bare (``<div>``) or
#: repeat their parent's start tag: what runaway nesting is made of. Their text stays in place...
FLATTEN_RUNAWAY_WRAPPERS_DEPTH = 128
#: ...beyond this one the tags of every wrapper (div, span, ...), the classes outlet rules look for included...
FLATTEN_WRAPPERS_DEPTH = 192
#: ...and beyond this one the tags of every element, so the tree stays under :data:`LIBXML2_MAX_DEPTH`.
FLATTEN_ALL_DEPTH = LIBXML2_MAX_DEPTH - 32

# Elements whose tags carry no paragraph structure: dropping them keeps the text and its paragraphs.
_WRAPPERS = frozenset(
    {
        "div",
        "span",
        "section",
        "article",
        "main",
        "aside",
        "header",
        "footer",
        "nav",
        "font",
        "center",
        "b",
        "i",
        "u",
        "s",
        "em",
        "strong",
        "small",
        "big",
        "mark",
        "a",
        "abbr",
        "cite",
        "code",
        "sub",
        "sup",
        "label",
        "form",
        "fieldset",
        "figure",
        "picture",
        "blockquote",
        "ins",
        "del",
        "q",
        "time",
        "bdi",
        "bdo",
        "nobr",
        "tt",
        "strike",
        "details",
        "summary",
        "o:p",
    }
)
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
        "keygen",
        "basefont",
        "frame",
        "isindex",
    }
)
# Open elements a start tag closes (a subset of libxml2's htmlStartClose table, so depth is never under-counted).
_CLOSED_BY_START = {
    "p": {"p"},
    "div": {"p"},
    "ul": {"p"},
    "ol": {"p"},
    "dl": {"p"},
    "table": {"p"},
    "pre": {"p"},
    "h1": {"p"},
    "h2": {"p"},
    "h3": {"p"},
    "h4": {"p"},
    "h5": {"p"},
    "h6": {"p"},
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr", "td", "th"},
    "td": {"td", "th"},
    "th": {"td", "th"},
    "option": {"option"},
}
# libxml2's end-tag priorities (htmlEndPriority): an end tag never closes an open element of higher priority.
_END_PRIORITY = {
    "div": 150,
    "td": 160,
    "th": 160,
    "tr": 170,
    "thead": 180,
    "tbody": 180,
    "tfoot": 180,
    "table": 190,
    "head": 200,
    "body": 200,
    "html": 220,
}
_DEFAULT_END_PRIORITY = 100


class _DepthFlattener(HTMLParser):
    """Finds the tags of elements nested too deep (see :func:`flatten_deep_markup`) as edits of the page's text:
    everything else, text, comments and scripts included, is left exactly as it was. It follows libxml2's rules for
    open elements closely enough never to count an element as closed that libxml2 keeps open."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.edits: list[tuple[int, int, str]] = []  # (start, stop, replacement) in text, in document order
        self.end_tag: tuple[int, str] | None = None  # the end tag being parsed: its start, its replacement
        # (tag, kept, start tag) for every open element, as libxml2 would nest them
        self.open: list[tuple[str, bool, str]] = []
        self.depth = 2  # open elements whose tags are kept, <html> and <body> (above everything) included

    def flattened(self) -> str:
        self.feed(self.text)
        self.close()
        out: list[str] = []
        done = 0
        for start, stop, replacement in self.edits:
            out += (self.text[done:start], replacement)
            done = stop
        out.append(self.text[done:])
        return "".join(out)

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs) -> None:
        self._start(tag, bool(attrs), opens=tag not in _VOID)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self._start(tag, bool(attrs), opens=False)  # <x/>: libxml2 closes it at once, it adds no depth

    def _start(self, tag: str, has_attributes: bool, opens: bool) -> None:
        closes = _CLOSED_BY_START.get(tag, ())
        end_tags = []
        while self.open and self.open[-1][0] in closes:
            end_tags.append(self._close(len(self.open) - 1))
        start_tag = self.get_starttag_text() or ""  # never None inside a start tag handler
        kept = not opens or self._keeps(tag, has_attributes, start_tag)
        if end_tags or not kept:
            start = self._offset()
            self._edit(start, start + len(start_tag), "".join(end_tags) + (start_tag if kept else ""))
        if opens:
            self.open.append((tag, kept, start_tag))
            self.depth += kept

    def _keeps(self, tag: str, has_attributes: bool, start_tag: str) -> bool:
        if self.depth >= FLATTEN_ALL_DEPTH:
            return False
        if tag not in _WRAPPERS or self.depth < FLATTEN_RUNAWAY_WRAPPERS_DEPTH:
            return True
        repeated = bool(self.open) and self.open[-1][2] == start_tag
        return has_attributes and not repeated and self.depth < FLATTEN_WRAPPERS_DEPTH

    def handle_endtag(self, tag: str) -> None:
        # Every end tag is replaced by the end tags of the kept elements it closes (none when libxml2 ignores it):
        # an element left out, or closed implicitly, must not leave libxml2 with more elements open than here.
        end_tags = ""
        priority = _END_PRIORITY.get(tag, _DEFAULT_END_PRIORITY)
        for index in range(len(self.open) - 1, -1, -1):
            name = self.open[index][0]
            if name == tag:
                end_tags = self._close(index)
                break
            if _END_PRIORITY.get(name, _DEFAULT_END_PRIORITY) > priority:
                break  # libxml2 ignores it: an end tag cannot close an element of higher priority
        self.end_tag = (self._offset(), end_tags)  # where it stops is known once parse_endtag returns

    def parse_endtag(self, i: int) -> int:
        self.end_tag = None
        stop = super().parse_endtag(i)
        if self.end_tag is not None:  # handle_endtag ran: the tag is rawdata[i:stop]
            start, end_tags = self.end_tag
            self._edit(start, start + stop - i, end_tags)
        return stop

    def _edit(self, start: int, stop: int, replacement: str) -> None:
        if self.edits and self.edits[-1][1] == start:  # a run of tags (nested wrappers) is one edit
            previous_start, _, previous = self.edits[-1]
            self.edits[-1] = (previous_start, stop, previous + replacement)
        else:
            self.edits.append((start, stop, replacement))

    def _close(self, index: int) -> str:
        """Close the open element at ``index`` and every one inside it; the end tags of those kept."""
        closed = self.open[index:]
        del self.open[index:]
        self.depth -= sum(kept for _, kept, _ in closed)
        return "".join(f"</{name}>" for name, kept, _ in reversed(closed) if kept)


def flatten_deep_markup(text: str) -> str:
    """``text`` with the tags of elements nested deeper than libxml2 parses left out, and all the text kept.

    libxml2 stops at depth 256, dropping the rest of the page: 300 unclosed ``<div>`` in mid-article cut the
    article there; before it, they leave a page without text. Past the depths named above, the tags of runaway
    wrappers, then of all wrappers (div, span, ...), then of every element are dropped: paragraphs, headings,
    lists and tables keep theirs as long as possible. One pass of Python's own tokenizer: time and memory linear in
    the page, which the download size limit bounds. Only run on pages libxml2 could not parse to their end."""
    return _DepthFlattener(text).flattened()


@dataclass(frozen=True)
class HeadElements:
    """The page's metadata elements, found in one walk of the tree (wherever they stand: CMSs print meta tags and
    JSON-LD in the body too), where an XPath query for each kind would walk it once per kind."""

    metas: list[etree._Element]
    canonical_links: list[etree._Element]
    """``link`` elements with the rel word ``canonical`` and an ``href``."""
    json_ld_scripts: list[etree._Element]
    """``script`` elements whose type names ``ld+json`` (the letters of "ldjson" in any case)."""
    bases: list[etree._Element]
    """``base`` elements with an ``href``."""
    titles: list[etree._Element]

    @classmethod
    def of(cls, tree: etree._Element) -> HeadElements:
        head = cls([], [], [], [], [])
        for element in tree.iter("meta", "link", "script", "base", "title"):
            tag = element.tag
            if tag == "meta":
                head.metas.append(element)
            elif tag == "link":
                if element.get("href") is not None and "canonical" in _XML_SPACE.split(element.get("rel") or ""):
                    head.canonical_links.append(element)
            elif tag == "script":
                if "ld+json" in (element.get("type") or "").translate(_LDJSON_LOWER):
                    head.json_ld_scripts.append(element)
            elif tag == "base":
                if element.get("href") is not None:
                    head.bases.append(element)
            else:
                head.titles.append(element)
        return head


#: XPath's ``translate(@type, "LDJSON", "ldjson")``, which the JSON-LD script test was written with.
_LDJSON_LOWER = str.maketrans("LDJSON", "ldjson")


def meta_values(tree: etree._Element, metas: Iterable[etree._Element] | None = None) -> dict[str, str]:
    """``<meta property|name|itemprop=... content=...>`` as a dict of lower-cased keys (first value wins); ``metas``
    are the page's meta elements when the caller has them (:class:`HeadElements`)."""
    values: dict[str, str] = {}
    for meta in tree.iter("meta") if metas is None else metas:
        content = meta.get("content")
        if content is None:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (meta.get(attribute) or "").strip().lower()
            if key and key not in values:
                values[key] = content.strip()
    # itemprop on other elements (time datetime=..., span itemprop=author)
    for element in xpath(tree, "//@itemprop/.."):  # the attribute's axis: 3x faster than a test on every element
        if element.tag == "meta":
            continue
        key = element.get("itemprop").strip().lower()
        value = element.get("datetime") or element.get("content")
        if value and key not in values:
            values[key] = value.strip()
    return values


ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "webpage",
}


def _walk_json(value: Any) -> Iterator[dict]:
    if isinstance(value, list):
        for item in value:
            yield from _walk_json(item)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _walk_json(value["@graph"])


def json_ld(scripts: Iterable[etree._Element]) -> list[dict]:
    """JSON-LD objects of the page's JSON-LD ``scripts`` (``@graph`` flattened); unparsable blocks are skipped."""
    objects: list[dict] = []
    for script in scripts:
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        objects.extend(_walk_json(data))
    return objects


def json_ld_article(scripts: Iterable[etree._Element]) -> dict:
    """The first JSON-LD object of the page's JSON-LD ``scripts`` describing an article (NewsArticle first), or {}."""
    objects = json_ld(scripts)

    def types(obj: dict) -> set[str]:
        kind = obj.get("@type", "")
        return {k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}

    for wanted in (ARTICLE_TYPES - {"webpage"}, {"webpage"}):
        for obj in objects:
            if types(obj) & wanted:
                return obj
    return {}
