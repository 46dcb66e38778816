"""Text helpers shared by every extraction step: normalisation, block-aware text of an element, link density.

All text leaving the extractor goes through :func:`normalize` (and the clean pipeline puts every stored text field
through it again): Unicode NFC (Vietnamese is often served in decomposed form, which breaks equality and search),
invisible characters dropped, lone surrogates replaced, whitespace collapsed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from crawler.extraction.thresholds import THRESHOLDS

#: Entries of the caches of pure functions of a line of text (:func:`letters`, ``heading_kind``, ``is_noise_line``,
#: the byline tests): the rules test the same lines again and again, element after nested element. A page has a
#: few hundred lines: 1,024 keep a page's and its site's chrome as fast as 4,096 did, in a quarter of the memory
#: (about 11 MB per crawl process at 4,096, measured with tracemalloc over the benchmark's pages).
STRING_CACHE = 1024


#: Invisible characters, which :func:`normalize` drops.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Those, and lone surrogates (a JSON-LD "\ud800", a codec that escapes), which cannot be encoded as UTF-8, so no
# database or archive write could take them: replaced by U+FFFD.
_INVISIBLE_OR_SURROGATE = re.compile(f"[{INVISIBLE}\ud800-\udfff]")


def _scrub(match: re.Match) -> str:
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


@dataclass(frozen=True)
class WordGated:
    """A case-insensitive ``pattern`` that searches only texts holding one of ``words`` (in lower case), which
    every match of it holds (``tests/test_extraction_speedups.py`` enumerates the pattern's shortest matches).

    Python's ``re`` finds an unanchored case-insensitive pattern by trying it at every position of the text,
    folding each character's case as it goes: a few microseconds per line, paid for nearly every line of a page,
    where almost none holds any of the words. ``str.lower`` and ``in`` read the line in C at a fraction of that.
    The gate reads the text's :func:`gate_key`, computed once for all the gates a line goes through."""

    pattern: re.Pattern[str]
    words: tuple[str, ...]

    def admits(self, key: str | None) -> bool:
        """The text whose :func:`gate_key` is ``key`` may hold a match."""
        if key is None:
            return True
        for word in self.words:  # noqa: SIM110 - a loop: any() over a generator costs a fifth more here
            if word in key:
                return True
        return False

    def search(self, text: str, key: str | None) -> re.Match[str] | None:
        """``pattern.search(text)``; ``key`` is the text's :func:`gate_key`."""
        return self.pattern.search(text) if self.admits(key) else None


def gate_key(text: str) -> str | None:
    """What :class:`WordGated` patterns read of ``text``: its ``str.lower()``; None (every gate open) when it holds a
    character ``re`` takes for a letter its ``str.lower()`` is not (:data:`CASE_ODDITIES`)."""
    return None if CASE_ODDITIES.search(text) else text.lower()


#: Characters a case-insensitive ``re`` pattern takes for a letter that their ``str.lower()`` is not: dotted and
#: dotless i, long s. ``tests/test_extraction_speedups.py`` derives them from ``re`` itself for every letter of the
#: gates' words.
CASE_ODDITIES = re.compile("[\u0130\u0131\u017f]")


#: The letters of Vietnamese beyond ASCII, once tone marks are composed (NFC): its vowels with breve, circumflex,
#: horn and tone marks, and đ. Only Vietnamese writes most of them; â, ê, ô are also French and Portuguese.
VIETNAMESE_LETTER = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ]"
)


def is_vietnamese(text: str) -> bool:
    """``text`` is Vietnamese prose: its letters carry Vietnamese-only letters and tone marks."""
    text = normalize(text)
    total = sum(1 for c in text if c.isalpha())
    return total > 0 and len(VIETNAMESE_LETTER.findall(text)) >= THRESHOLDS.vietnamese_share * total


#: Elements that start a new paragraph. Everything else (a, span, strong, em, font ...) is inline.
BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details div dl dt fieldset figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul
    caption br""".split()
)


def normalize(text: str | None) -> str:
    """NFC, no invisible characters, no lone surrogates, single spaces, stripped."""
    if not text or text.isspace():  # the whitespace between tags: most of the text pieces of a page
        return ""
    short = len(text) <= NORMALISED_LINE
    if short and (known := _NORMALISED.get(text)) is not None:
        return known
    if (
        text.isprintable()  # no space but U+0020 (every other is a separator or a control), nor invisible character
        and "  " not in text
        and text[0] != " "
        and text[-1] != " "
        and unicodedata.is_normalized("NFC", text)
    ):
        line = text  # a line in its normal form already: a paragraph's text, a label
    else:
        line = text
        if not line.isascii():  # ASCII is NFC and holds no invisible character
            line = _INVISIBLE_OR_SURROGATE.sub(_scrub, unicodedata.normalize("NFC", line))
        # str.split() splits on every Unicode space (no-break, thin, ideographic...): the collapse a regex would do,
        # at a fraction of the cost of the hottest function of the extractor
        line = " ".join(line.split())
    if short:
        if len(_NORMALISED) >= 2 * STRING_CACHE:
            _NORMALISED.clear()
        _NORMALISED[text] = _NORMALISED[line] = line
    return line


#: Texts :func:`normalize` was given or returned lately, each with its normal form: normalising one of them again
#: is a lookup. The rules normalise what they are given, and are mostly given lines already normalised (element
#: texts, paragraphs), each by several rules; and every page of a site prints its menus, labels and footer with the
#: same markup, whitespace and all. At most ``STRING_CACHE`` of each, each at most ``NORMALISED_LINE`` characters (a
#: paragraph; a container's text is remembered per element instead, and hashing it would cost a pass of its own).
_NORMALISED: dict[str, str] = {}
NORMALISED_LINE = 2000


def casefold(text: str | None) -> str:
    return normalize(text).casefold()


#: The texts of one extraction's elements, by element (see :func:`element_texts_cached`); None outside one. Where
#: only a length was asked for (:func:`text_longer_than`), a lower bound of the text's length instead of the text.
_TEXTS: ContextVar[dict[etree._Element, str | int] | None] = ContextVar("element_texts", default=None)


@contextmanager
def element_texts_cached() -> Iterator[None]:
    """Remember :func:`element_text` per element while the block runs (one extraction). The rules read the text of
    the same large containers again and again (heading search, link density, teaser lists, the sapo's window):
    computing it once was most of the extraction's time. The dictionary also keeps each element's lxml proxy alive,
    so an element stays the same key. Whatever changes the tree must call :func:`forget_texts_above` first."""
    token = _TEXTS.set({})
    try:
        yield
    finally:
        _TEXTS.reset(token)


def forget_texts_above(element: etree._Element) -> None:
    """``element`` is about to leave the tree or change: the remembered texts of its ancestors hold its text (and
    a tail moved onto a sibling or the parent is their text too). Its own text and its descendants' stay valid."""
    texts = _TEXTS.get()
    if texts:
        for ancestor in element.iterancestors():
            texts.pop(ancestor, None)


def raw_text(element: etree._Element) -> str:
    """``"".join(element.itertext())``, built by libxml2's text serialiser: one C call where ``itertext`` hands
    every text node to Python as a string of its own (8x the time on an article's body). An element without
    children (most links, spans and paragraphs) holds its own text only: no serialiser needed."""
    if len(element) == 0:
        return element.text or ""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def element_text(element: etree._Element) -> str:
    """The whole text of ``element`` as one normalised line."""
    if element is None:
        return ""
    texts = _TEXTS.get()
    if texts is None:
        return normalize(raw_text(element))
    text = texts.get(element)
    if not isinstance(text, str):  # not known, or only a lower bound of its length (text_longer_than)
        text = texts[element] = normalize(raw_text(element))
    return text


def text_longer_than(element: etree._Element, limit: int) -> bool:
    """``len(element_text(element)) > limit``, normalising only the start of a long text when that answers it.

    The teaser rules measure the blocks around a link or a sapo against a limit ("a teaser item is at most 700
    characters") and stop at the first one over it: a large container, whose whole text nothing else may need
    before the rules change the tree (which forgets it). The text up to an ASCII space normalises to a prefix of
    the whole text's words: NFC never composes across a space (a starter no character combines with), the invisible
    characters go one by one, and the whitespace collapse keeps every word before the space whole. So the start's
    length is a lower bound of the whole's, and when it is over the limit the answer is yes (remembered as a
    bound); otherwise the whole text is normalised (and remembered) as before."""
    if element is None:
        return limit < 0
    texts = _TEXTS.get()
    known = texts.get(element) if texts is not None else None
    if isinstance(known, str):
        return len(known) > limit
    if known is not None and known > limit:
        return True
    raw = raw_text(element)
    if len(raw) <= limit and unicodedata.is_normalized("NFC", raw):
        return False  # normalising an NFC text only drops characters: no need to build it
    if (start := _normalised_start(raw, limit + 1)) is not None:
        if texts is not None:
            texts[element] = len(start)
        return True
    text = normalize(raw)
    if texts is not None:
        texts[element] = text
    return len(text) > limit


def text_starts_with(element: etree._Element, prefix: str) -> bool:
    """``element_text(element).startswith(prefix)``, normalising only the start of a long text when that answers it:
    the text up to an ASCII space normalises to a prefix of the whole text (see :func:`text_longer_than`). The
    noise rules climb from a heading to the largest block whose text opens with it, asking this of containers
    whose whole text nothing else may need."""
    texts = _TEXTS.get()
    known = texts.get(element) if texts is not None else None
    if isinstance(known, str):
        return known.startswith(prefix)
    raw = raw_text(element)
    if (start := _normalised_start(raw, len(prefix))) is not None:
        return start.startswith(prefix)
    text = normalize(raw)
    if texts is not None:
        texts[element] = text
    return text.startswith(prefix)


def _normalised_start(raw: str, length: int) -> str | None:
    """A start of ``normalize(raw)`` at least ``length`` characters long, found by normalising the start of ``raw``
    up to an ASCII space (about :data:`TEXT_PREFIX_FACTORS` times ``length`` characters of it); None when those
    starts are shorter (the whole text must be read)."""
    for factor in TEXT_PREFIX_FACTORS:
        cut = raw.find(" ", int(factor * length))
        if cut < 0:
            break
        if len(start := normalize(raw[:cut])) >= length:
            return start
    return None


#: :func:`_normalised_start` normalises about this many times the length sought of a long text's characters, then
#: (when that start was shorter) this many: HTML's indentation makes a raw text up to about twice as long as its
#: normalised form, but most starts are long enough at the first, shorter cut (measured on the replica).
TEXT_PREFIX_FACTORS = (1.1, 2)


def has_text(element: etree._Element | None) -> bool:
    """``element_text(element) != ""``, without building the text: the first piece with a visible character
    answers, where the whole text of a page or a container would be read and normalised for a yes."""
    if element is None:
        return False
    texts = _TEXTS.get()
    if texts is not None and element in texts:
        return bool(texts[element])  # a text, or a length over some limit
    return any(normalize(piece) for piece in element.itertext())


def paragraphs(element: etree._Element) -> list[str]:
    """The text of ``element`` split into paragraphs at block boundaries (and ``<br>``), each normalised.

    Inline markup (links, bold, spans) stays inside its paragraph; comments and processing instructions are
    skipped but their tails kept."""
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = normalize("".join(buffer))
        buffer.clear()
        if text:
            out.append(text)

    def walk(node: etree._Element) -> None:
        block = node.tag in BLOCK_TAGS
        if block:
            flush()
        if node.text:
            buffer.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                buffer.append(child.tail)
        if block:
            flush()

    if element is not None:
        walk(element)
        flush()
    return out


def own_text(element: etree._Element) -> str:
    """The text directly in ``element``, outside its child elements: the prose of a ``<br>``-separated body."""
    return normalize((element.text or "") + "".join(child.tail or "" for child in element))


def link_density(element: etree._Element) -> float:
    """Share of the element's text that sits inside links (0 for an element without text)."""
    total = len(element_text(element))
    if not total:
        return 0.0
    linked = sum(len(element_text(a)) for a in element.iter("a"))
    return min(1.0, linked / total)


def same_text(a: str, b: str) -> bool:
    """Equal after case folding and ignoring punctuation and spacing (for "line equals the title" tests)."""
    return bool(a) and bool(b) and letters(a) == letters(b)


_WORDS = re.compile(r"\w+")
#: The ASCII characters that are not word characters (``\w``: letters, digits and the underscore), as UTF-8 bytes.
_ASCII_NON_WORD = bytes(code for code in range(128) if not _WORDS.match(chr(code)))


@lru_cache(maxsize=STRING_CACHE)
def letters(text: str) -> str:
    """Only the word characters of ``text``, case folded: a key for fuzzy equality.

    The ASCII spaces and punctuation go first, as bytes of the UTF-8 form (no byte of a longer character is
    ASCII): one pass in C. What is left is the answer when it is all letters and digits (word characters are those
    and the underscore), nearly always; otherwise its words are joined. Joining the words of the whole line built a
    string per word, the cost of a key."""
    left = casefold(text).encode().translate(None, _ASCII_NON_WORD).decode()
    return left if not left or left.isalnum() else "".join(_WORDS.findall(left))
