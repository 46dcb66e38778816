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
from urllib.parse import urljoin

from lxml import etree

from crawler.extraction.noise import drop
from crawler.extraction.text import element_text, normalize
from crawler.items import Image

CAPTION_CLASS = re.compile(r"caption|chu-?thich|desc-?img|img-?desc|image-?desc|photo-?desc|expNoEdit|note-?img",
                           re.IGNORECASE)
IMAGE_BLOCK_CLASS = re.compile(r"image|img|photo|picture|pic\b|media|figure|anh", re.IGNORECASE)
SOURCE_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-srcset", "src")
#: Images that are decoration (logos, icons, avatars, tracking pixels), recognised by URL or class.
DECORATION = re.compile(r"logo|icon|avatar|sprite|blank\.gif|pixel|loading\.|placeholder|\bads?[/_-]|\bbanner",
                        re.IGNORECASE)


def image_url(img: etree._Element, base_url: str) -> str | None:
    for attribute in SOURCE_ATTRIBUTES:
        value = (img.get(attribute) or "").strip()
        if attribute == "data-srcset" and value:
            value = value.split(",")[0].split()[0]
        if value and not value.startswith("data:"):
            return urljoin(base_url, value)
    return None


def _caption_holder(img: etree._Element, caption_selectors: Iterable[str]) -> tuple[etree._Element | None, str | None]:
    """The element that wraps image and caption (removed later as a whole), and the caption text."""
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
            return ancestor, text or None
        if tag == "table":
            cells = [c for c in ancestor.iter("td", "th") if not c.findall(".//img")]
            text = normalize(" ".join(element_text(c) for c in cells))
            # A caption table holds one image and little text; a data table is not an image block.
            if len(ancestor.findall(".//img")) == 1 and len(text) < 600:
                return ancestor, text or None
            return None, None
        for selector in caption_selectors:
            try:
                if ancestor.cssselect(selector):
                    text = normalize(" ".join(element_text(c) for c in ancestor.cssselect(selector)))
                    return ancestor, text or None
            except Exception:
                continue
        if tag in ("p", "div", "span", "a", "center", "picture"):
            text = _class_caption(ancestor)
            if text:
                return ancestor, text
            names = f"{ancestor.get('class', '')} {ancestor.get('id', '')}"
            if tag == "div" and IMAGE_BLOCK_CLASS.search(names):
                # an image box ("image", "photo", "img-wrap"): its text is the caption
                text = element_text(ancestor)
                if len(ancestor.findall(".//img")) == 1 and len(text) < 400:
                    return ancestor, text or None
            if tag in ("p", "div", "center") and not normalize(_own_text_without_img(ancestor)):
                continue  # a wrapper holding only the image: keep climbing for a caption
            if tag in ("span", "a", "picture"):
                continue
            return None, None
        return None, None
    return None, None


def _class_caption(element: etree._Element) -> str | None:
    for child in element.iter():
        if child is element or not isinstance(child.tag, str):
            continue
        names = f"{child.get('class', '')} {child.get('id', '')}"
        if CAPTION_CLASS.search(names) and not child.findall(".//img"):
            text = element_text(child)
            if text:
                return text
    return None


def _own_text_without_img(element: etree._Element) -> str:
    return "".join(element.itertext())


def collect_images(root: etree._Element, base_url: str, caption_selectors: Iterable[str] = (),
                   remove: bool = True) -> list[Image]:
    """Every content image under ``root`` with its caption; with ``remove``, the image blocks (image, caption,
    wrapper) are taken out of the tree so that no caption or alt text reaches the body."""
    images: list[Image] = []
    seen: set[str] = set()
    holders: list[etree._Element] = []
    for img in list(root.iter("img")):
        url = image_url(img, base_url)
        names = f"{img.get('class', '')} {img.get('id', '')}"
        if not url or DECORATION.search(url) or DECORATION.search(names):
            continue
        if _tiny(img):
            continue
        holder, caption = _caption_holder(img, caption_selectors)
        if url not in seen:
            seen.add(url)
            images.append(Image(url=url, caption=caption))
        elif caption and images:
            for image in images:
                if image.url == url and not image.caption:
                    image.caption = caption
        if holder is not None:
            holders.append(holder)
    if remove:
        for holder in holders:
            if holder.getparent() is not None:
                drop(holder)
        for element in list(root.iter("figure", "figcaption", "picture", "img")):
            if element.getparent() is not None:
                drop(element)
        for element in list(root.iter()):
            if element.getparent() is None or not isinstance(element.tag, str):
                continue
            names = f"{element.get('class', '')} {element.get('id', '')}"
            if CAPTION_CLASS.search(names):
                drop(element)
    return images


def _tiny(img: etree._Element) -> bool:
    for attribute in ("width", "height"):
        value = (img.get(attribute) or "").strip().rstrip("px")
        if value.isdigit() and int(value) < 60:
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
