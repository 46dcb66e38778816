"""CleanPipeline: tidy the text of every article, and turn one without text into a failure record.

Extraction already normalises what it reads; this is the last guard before storage, whatever produced the item:
Unicode NFC, no invisible characters, no control or bidirectional-override characters (:func:`printable`), single
spaces inside a paragraph, paragraphs joined by one blank line. An
article left without a title, or without any lead or body text, is not stored: it becomes a
:class:`~crawler.items.PageFailure` that the store records in ``failures``, so no page is dropped silently.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from crawler.extraction.text import normalize
from crawler.items import Article, FailureReason, Image, PageFailure

logger = logging.getLogger(__name__)

_BLANK_LINE = re.compile(r"\n\s*\n")

#: C0 and C1 control characters and DEL (an ESC starts a terminal escape sequence that ``search`` would print), and
#: the bidirectional embeddings, overrides (U+202A-U+202E) and isolates (U+2066-U+2069), which reorder what follows
#: them on screen. The controls that are whitespace (tab, vertical tab, form feed, the separators U+001C-U+001F,
#: U+0085) become a space, so words they separate stay apart, and the whitespace collapse turns them into one space
#: like a tab; newline is kept (it separates paragraphs); every other one is removed.
_UNSAFE = {
    code: (" " if chr(code).isspace() else None)
    for code in (*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
}
del _UNSAFE[ord("\n")]
#: Any character :data:`_UNSAFE` changes. ``str.translate`` with a dictionary looks every character of a Vietnamese
#: text up in Python's dictionary (the body of an article: about a tenth of a millisecond); a regular expression finds
#: in C that there is nothing to translate, which is nearly always.
_ANY_UNSAFE = re.compile("[" + "".join(re.escape(chr(code)) for code in _UNSAFE) + "]")


def printable(text: str | None) -> str:
    """``text`` without control and bidirectional-override characters (see :data:`_UNSAFE`): safe to print on a
    terminal and to show in a page. Applied to every text field of an article."""
    if not text:
        return ""
    return text.translate(_UNSAFE) if _ANY_UNSAFE.search(text) else text


#: Why an article is not stored, by failure reason.
MISSING_TEXT = {
    FailureReason.EMPTY_TITLE: "no title after cleaning",
    FailureReason.EMPTY_TEXT: "no lead or body text after cleaning",
}


def clean_paragraphs(text: str | None) -> str:
    """``text`` with each paragraph (separated by a blank line) normalised to one line, empty paragraphs dropped,
    and the paragraphs joined by a blank line."""
    if not text:
        return ""
    paragraphs = (normalize(paragraph) for paragraph in _BLANK_LINE.split(printable(text)))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def clean_article(article: Article) -> Article:
    """A copy of ``article`` with every text field cleaned; empty optional fields become None, empty and repeated
    tags are dropped."""
    return dataclasses.replace(
        article,
        title=clean_line(article.title),
        lead=clean_paragraphs(article.lead),
        body=clean_paragraphs(article.body),
        author=clean_line(article.author) or None,
        category=clean_line(article.category) or None,
        tags=list(dict.fromkeys(tag for tag in map(clean_line, article.tags) if tag)),
        images=[Image(url=image.url, caption=clean_line(image.caption) or None) for image in article.images],
    )


def clean_line(text: str | None) -> str:
    """A one-line field (title, author, category, tag, caption): printable, normalised."""
    return normalize(printable(text))


def missing_text(article: Article) -> FailureReason | None:
    """The failure reason (a key of :data:`MISSING_TEXT`) when ``article`` has no text worth storing, else None."""
    if not article.title:
        return FailureReason.EMPTY_TITLE
    if not (article.lead or article.body):
        return FailureReason.EMPTY_TEXT
    return None


class CleanPipeline:
    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        article = clean_article(item)
        reason = missing_text(article)
        if reason is None:
            return article
        # Replaced rather than dropped, so that the store records it; logged at INFO because the failure row and
        # the `failures/<reason>` stat already make it visible.
        logger.info("Not stored (%s): %s", reason, article.url)
        return PageFailure(
            outlet=article.outlet,
            url=article.url,
            reason=reason,
            detail=MISSING_TEXT[reason],
            fetched_at=article.fetched_at,
        )
