"""Article images and their captions, and the removal of image blocks from the text.

A caption is taken from, in order: ``figcaption`` in the image's ``figure``; the cell that does not hold the
image in a caption table (MasterCMS ``table.MASTERCMS_TPL_TABLE``: image in the first ``td``, caption in the
second; also the common ``table.image`` / ``table.tplCaption``); an element whose class names a caption next to
the image. ``img@alt``/``title`` is never a caption and never text: Vietnamese CMSs fill it with the unaccented
title ("nato co the se bo qua ... hinh 1").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.extraction.html import class_and_id, css, xpath
from crawler.extraction.noise import drop
from crawler.extraction.text import STRING_CACHE, element_text, normalize, own_text, paragraphs
from crawler.extraction.thresholds import THRESHOLDS
from crawler.items import Image

CAPTION_CLASS = re.compile(
    r"caption|chu-?thich|desc-?img|img-?desc|image-?desc|photo-?desc|expNoEdit|note-?img", re.IGNORECASE
)
IMAGE_BLOCK_CLASS = re.compile(r"image|img|photo|picture|pic\b|media|figure|anh|video", re.IGNORECASE)
SOURCE_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-srcset", "src")
#: An image source is kept only as a web URL: ``data:`` (inline placeholders), ``javascript:`` and every other scheme
#: are skipped, and the next source attribute is tried. No scheme: a relative URL resolved against no base.
WEB_SCHEMES = frozenset({"http", "https", ""})
#: Images that are decoration (logos, icons, avatars, tracking pixels), recognised by URL or class.
DECORATION = re.compile(
    r"logo|icon|avatar|sprite|blank\.gif|pixel|loading\.|placeholder|\bads?[/_-]|\bbanner", re.IGNORECASE
)


def image_url(img: etree._Element, base_url: str) -> str | None:
    for attribute in SOURCE_ATTRIBUTES:
        value = (img.get(attribute) or "").strip()
        if attribute == "data-srcset" and value:
            value = value.split(",")[0].split()[0]
        if value and urlsplit(url := urljoin(base_url, value)).scheme in WEB_SCHEMES:
            return url
    return None


def _caption_holder(img: etree._Element, caption_selectors: Iterable[str]) -> tuple[list[etree._Element], str | None]:
    """The elements that make up the image block (removed later as a whole), and the caption text."""
    block = img  # the image with the textless wrappers around it
    for ancestor in img.iterancestors():
        tag = ancestor.tag
        if tag in ("td", "th", "tr", "tbody", "thead", "tfoot"):
            continue  # on the way up to the table
        if tag == "source":
            # libxml2's HTML parser does not know <source> is void, so it nests the <img> of a <picture> in it
            continue
        if tag == "figure":
            captions = ancestor.findall(".//figcaption")
            text = normalize(" ".join(element_text(c) for c in captions)) or _class_caption(ancestor)
            return [ancestor], text or None
        if tag == "table":
            cells = [c for c in ancestor.iter("td", "th", "caption") if not _content_images(c)]
            text = normalize(" ".join(element_text(c) for c in cells))
            # A caption table holds one image and little text; a data table is not an image block.
            if len(ancestor.findall(".//img")) == 1 and len(text) < THRESHOLDS.image_box_text:
                return [ancestor], text or None
            return [], None
        for selector in caption_selectors:
            if captions := css(ancestor, selector):
                return [ancestor], normalize(" ".join(element_text(c) for c in captions)) or None
        if tag not in ("p", "div", "span", "a", "center", "picture"):
            return _structural_caption(ancestor, block)
        text = _class_caption(ancestor)
        if text and len(element_text(ancestor)) <= len(text) + THRESHOLDS.credit_max:
            return [ancestor], text  # an image box whose caption is classed as one (a credit may follow it)
        names = class_and_id(ancestor)
        if tag == "div" and IMAGE_BLOCK_CLASS.search(names):
            # an image box ("image", "photo", "img-wrap"): its text is the caption
            text = element_text(ancestor)
            if (
                text
                and len(_content_images(ancestor)) == 1
                and len(text) < THRESHOLDS.caption_box_text
                and _reads_as_caption_box(ancestor)
            ):
                return [ancestor], text
        text = element_text(ancestor)
        if not text or (tag in ("span", "a", "picture") and len(text) <= THRESHOLDS.caption_max):
            block = ancestor  # a wrapper holding only the image (or its caption): keep climbing for a caption
            continue
        return _structural_caption(ancestor, block)
    return [], None


#: Words of a photo credit ("Ảnh: Reuters", "(Nguồn: TTXVN)", "Ảnh minh họa") that mark a line as a caption.
PHOTO_CREDIT = re.compile(r"(?:^|[\s(\[])(?:ảnh|nguồn|photo|courtesy)\s*[:：]|ảnh minh h[oọ]a|\(ảnh\b", re.IGNORECASE)
#: Class or id words of a text under an image, beyond CAPTION_CLASS ("desc", "note", "legend", "credit").
CAPTION_HINT = re.compile(r"desc|note|legend|credit|(?:^|[\s_-])cap(?:$|[\s_-])", re.IGNORECASE)
ITALIC_TAGS = ("em", "i", "small", "cite", "figcaption")


def _structural_caption(container: etree._Element, block: etree._Element) -> tuple[list[etree._Element], str | None]:
    """A caption found by structure where no markup names it; ``block`` is the image with its textless
    wrappers, ``container`` the first ancestor holding text. Either the container is an image box (the image
    block and caption lines only: "<div><div><img></div><div class=desc>caption</div></div>",
    "<p><img><br><em>caption</em></p>"), or the element right after the image block reads as a caption. Text
    that does not read as a caption stays article text: a short article's one paragraph beside its photo."""
    text = element_text(container)
    lines = [c for c in container if c is not block and isinstance(c.tag, str) and element_text(c)]
    if (
        lines
        and not own_text(container)
        and len(text) <= THRESHOLDS.caption_max
        and len(_content_images(container)) == 1
        and _reads_as_caption_box(container)
        and all(_reads_as_caption(line) for line in lines)
    ):
        return [container], text
    sibling = block.getnext()
    if (
        sibling is not None
        and isinstance(sibling.tag, str)
        and not (block.tail or "").strip()
        and _reads_as_caption(sibling)
    ):
        return [block, sibling], element_text(sibling)
    return [block], None


def _reads_as_caption_box(container: etree._Element) -> bool:
    """An image box's text is one or two lines, with no heading and no headline link."""
    if container.find(".//h1") is not None or container.find(".//h2") is not None:
        return False
    linked = sum(len(element_text(a)) for a in container.iter("a"))
    return (
        linked <= THRESHOLDS.caption_box_link_share * len(element_text(container))
        and len(paragraphs(container)) <= THRESHOLDS.caption_box_paragraphs
    )


def _reads_as_caption(element: etree._Element) -> bool:
    """A short text right after an image that is styled or worded as its caption."""
    text = element_text(element)
    if not text or len(text) > THRESHOLDS.caption_max or element.find(".//img") is not None:
        return False
    if any(len(element_text(a)) > THRESHOLDS.caption_box_link_share * len(text) for a in element.iter("a")):
        return False
    names = class_and_id(element)
    if CAPTION_CLASS.search(names) or CAPTION_HINT.search(names) or PHOTO_CREDIT.search(text):
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    if "text-align:center" in style or "italic" in style:
        return True
    if element.tag in ITALIC_TAGS:
        return True
    italic = "".join(element_text(e) for e in element.iter(*ITALIC_TAGS))
    # the whole line in italics: <p><em>caption</em></p>
    return len(italic) >= THRESHOLDS.italic_caption_share * len(text)


def _content_images(element: etree._Element) -> list[etree._Element]:
    return [img for img in element.iter("img") if not _decoration(img)]


def _decoration(img: etree._Element) -> bool:
    url = image_url(img, "")
    names = class_and_id(img)
    return not url or bool(DECORATION.search(url) or DECORATION.search(names)) or _tiny(img)


def _class_caption(element: etree._Element) -> str | None:
    for child in element.iter():
        if child is element or not isinstance(child.tag, str):
            continue
        names = class_and_id(child)
        if _names_caption(names) and not child.findall(".//img"):
            text = element_text(child)
            if text:
                return text
    return None


def collect_images(
    root: etree._Element, base_url: str, caption_selectors: Iterable[str] = (), remove: bool = True
) -> list[Image]:
    """Every content image under ``root`` with its caption; with ``remove``, the image blocks (image, caption,
    wrapper) are taken out of the tree so that no caption or alt text reaches the body."""
    images: list[Image] = []
    seen: set[str] = set()
    holders: list[etree._Element] = []
    for img in list(root.iter("img")):
        url = image_url(img, base_url)
        if not url or _decoration(img):
            continue
        block, caption = _caption_holder(img, caption_selectors)
        if url not in seen:
            seen.add(url)
            images.append(Image(url=url, caption=caption))
        elif caption and images:
            for image in images:
                if image.url == url and not image.caption:
                    image.caption = caption
        holders.extend(block)
    if remove:
        for holder in holders:
            if holder.getparent() is not None:
                drop(holder)
        for element in list(root.iter("figure", "figcaption", "picture", "img")):
            if element.getparent() is not None:
                drop(element)
        # the elements with a class or an id, along the attribute axis: most elements of a page have neither
        for element in xpath(root, "descendant-or-self::*/@class/.. | descendant-or-self::*/@id/.."):
            if element.getparent() is not None and _names_caption(class_and_id(element)):
                drop(element)
    return images


@lru_cache(maxsize=STRING_CACHE)
def _names_caption(names: str) -> bool:
    """The class and id words ``names`` name a caption (cached: a site prints the same class attributes on every
    page)."""
    return CAPTION_CLASS.search(names) is not None


def remove_video_blocks(root: etree._Element, caption_selectors: Iterable[str] = ()) -> None:
    """Take the video figures (the stand-ins :func:`crawler.extraction.noise.remove_junk` leaves for players)
    out of the tree with their captions, where image blocks otherwise stay for trafilatura: a player was never
    article text, and its caption would merge into the next paragraph."""
    for img in list(root.iter("img")):
        if img.get("data-media") == "video" and img.getparent() is not None:
            for holder in _caption_holder(img, caption_selectors)[0] or [img]:
                if holder.getparent() is not None:
                    drop(holder)


def _tiny(img: etree._Element) -> bool:
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < THRESHOLDS.tiny_image:
            return True
    return False


def alt_texts(root: etree._Element) -> set[str]:
    """alt and title texts of the images under ``root`` (lines equal to one are dropped from the text)."""
    texts = set()
    for img in root.iter("img"):
        for attribute in ("alt", "title"):
            if value := normalize(img.get(attribute)):
                texts.add(value)
    return texts
