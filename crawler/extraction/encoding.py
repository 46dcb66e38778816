"""Page bytes to text, in one place and by one policy: :func:`decode_html`.

Scrapy's ``response.text`` trusts the HTTP header first. A page encoded in windows-1258 that declares so in its
``<meta charset>`` but is served with ``Content-Type: text/html; charset=utf-8`` (a misconfigured front server, a
common failure of older Vietnamese CMSs) then decodes with replacement characters everywhere, and a page with no
charset anywhere decodes by guesswork. Text that has been decoded wrongly must never be stored, so the spider
decodes ``response.body`` here and records what cannot be decoded cleanly as ``undecodable``.

Policy, first match wins:

1. a byte-order mark;
2. the HTTP header charset, when the body decodes with it without error;
3. the ``<meta charset>`` / XML declaration, when the body decodes with it without error (this is what rescues a
   windows-1258 page whose header wrongly claims utf-8: the body is not valid utf-8, so step 2 passes);
   a declaration counts only when it names an encoding of the WHATWG Encoding Standard (what browsers decode
   with): any other codec Python knows (``raw_unicode_escape``, ``unicode_escape``, ``rot13``, ``utf-7``, ...)
   would turn text into escapes, lone surrogates or smuggled markup, so it is ignored as an unknown label is;
4. detection: valid utf-8; then utf-8 with a few damaged sequences (most multi-byte sequences are valid);
   then windows-1258 when it reads as Vietnamese (every tone mark sits on a vowel). Anything else raises
   :class:`UndecodableError`: the outlets publish Vietnamese, so a page that is none of these is not guessed at.

The result is then checked: more replacement characters than :data:`MAX_REPLACEMENT_SHARE` of the text raises
:class:`UndecodableError` too.
"""

from __future__ import annotations

import unicodedata

import webencodings
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

from crawler.extraction.text import VIETNAMESE_LETTER

__all__ = ["MAX_REPLACEMENT_SHARE", "UndecodableError", "decode_html", "header_encoding", "web_codec"]

MAX_REPLACEMENT_SHARE = 1 / 10_000
"""At most one U+FFFD per 10,000 characters: a stray damaged byte passes, a wrongly decoded page does not."""

REPLACEMENT = "\ufffd"


class UndecodableError(ValueError):
    """The page's bytes do not decode to clean text under any plausible encoding."""


# The codecs w3lib resolves the WHATWG Encoding Standard's labels to (webencodings holds the standard's table of
# labels). "replacement" (ISO-2022-KR, HZ-GB-2312, ...) decodes nothing, and x-user-defined has no Python codec.
_WEB_CODECS = frozenset(
    codec
    for label, name in webencodings.LABELS.items()
    if name not in ("replacement", "x-user-defined") and (codec := resolve_encoding(label))
)
# A page whose declaration was read in ASCII is not UTF-16: the HTML standard reads such a <meta> as UTF-8.
_META_UTF16 = frozenset(codec for codec in _WEB_CODECS if codec.startswith("utf-16"))


def web_codec(label: str | None) -> str | None:
    """The Python codec of the charset ``label`` (or codec name) when it is one a browser could decode with, else
    None."""
    codec = resolve_encoding(label) if label else None
    return codec if codec in _WEB_CODECS else None


def header_encoding(content_type: str | bytes | None) -> str | None:
    """The Python codec of the encoding a ``Content-Type`` header's charset names, or None (none, or not a web
    encoding)."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    return web_codec(http_content_type_encoding(content_type)) if content_type else None


def meta_encoding(body: bytes) -> str | None:
    """The Python codec of the encoding the page's ``<meta charset>`` or XML declaration names, or None."""
    codec = web_codec(html_body_declared_encoding(body))
    return "utf-8" if codec in _META_UTF16 else codec


def decode_html(body: bytes, header_encoding: str | None = None) -> str:
    """The text of the HTML document ``body``; ``header_encoding`` is the charset of the HTTP ``Content-Type``
    header (a label or codec name), if any. Raises :class:`UndecodableError` (see the module docstring)."""
    text = _decode(body, header_encoding)
    replacements = text.count(REPLACEMENT)
    if replacements > len(text) * MAX_REPLACEMENT_SHARE:
        raise UndecodableError(f"{replacements} replacement characters in {len(text)} after decoding")
    return text


def _decode(body: bytes, header_encoding: str | None) -> str:
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return body[len(bom) :].decode(bom_encoding, "replace")
    for declared in (web_codec(header_encoding), meta_encoding(body)):
        if declared:
            try:
                return body.decode(declared)
            except (UnicodeDecodeError, LookupError):
                continue  # a wrong or unknown declaration: the next source of truth decides
    return _detect(body)


def _detect(body: bytes) -> str:
    as_utf8 = body.decode("utf-8", "replace")
    damaged = as_utf8.count(REPLACEMENT)
    if not damaged:
        return as_utf8
    # Characters decoded from valid multi-byte sequences; in a single-byte legacy encoding these are rare accidents
    # (a letter byte followed by a punctuation byte), so their majority means "utf-8 with damage".
    valid_multibyte = sum(1 for char in as_utf8 if char > "\x7f" and char != REPLACEMENT)
    if valid_multibyte > damaged:
        return as_utf8
    as_1258 = _as_vietnamese_1258(body)
    if as_1258 is not None:
        return as_1258
    raise UndecodableError("not utf-8, and not Vietnamese in windows-1258")


def _as_vietnamese_1258(body: bytes) -> str | None:
    """``body`` decoded as windows-1258 if it reads as Vietnamese, else None.

    windows-1258 writes tones as combining marks after the vowel; in genuine Vietnamese every one composes with its
    vowel (NFC), while bytes of another encoding read as windows-1258 leave marks on consonants and spaces."""
    try:
        text = body.decode("cp1258")
    except UnicodeDecodeError:
        return None
    composed = unicodedata.normalize("NFC", text)
    letters = len(VIETNAMESE_LETTER.findall(composed))  # letters only Vietnamese uses among windows-1258's
    stray_marks = sum(1 for char in composed if unicodedata.combining(char))
    if letters and stray_marks * 100 <= letters:
        return text
    return None
