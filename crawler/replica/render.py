"""Rendering helpers shared by the four outlet templates: escaping, page skeleton and <head>, Vietnamese dates,
body blocks, share bars, pagination windows, and the RSS / sitemap / robots.txt documents.

Outlet modules (``sites/<outlet>.py``) hold only what differs between outlets; anything two of them need lives
here. Every text that reaches HTML goes through :func:`esc`.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # typing only; content.py imports this module
    from crawler.replica.content import Block, ReplicaArticle


def esc(text: object) -> str:
    """Escape text for element content and (double-quoted) attribute values."""
    return html.escape(str(text), quote=True)


def attrs(**values: object) -> str:
    """``class_="x", data_id=3`` -> ` class="x" data-id="3"`; None values are left out."""
    out = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        out.append(f' {name}="{esc(value)}"')
    return "".join(out)


def link(href: str, text: str, **more: object) -> str:
    return f"<a{attrs(href=href, **more)}>{esc(text)}</a>"


# --- Vietnamese dates ------------------------------------------------------------------------------------------

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def weekday(moment: datetime, lower: bool = False) -> str:
    """ "Thứ Hai" ... "Chủ Nhật"; ``lower`` gives the "Thứ ba" spelling some outlets print."""
    name = WEEKDAYS[moment.weekday()]
    return name[0] + name[1:].lower() if lower else name


def parse_iso(value: str) -> datetime:
    return datetime.fromisoformat(value)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def rfc822(moment: datetime) -> str:
    """RSS pubDate form, keeping the +0700 offset as Vietnamese feeds do."""
    return format_datetime(moment)


# --- page skeleton ----------------------------------------------------------------------------------------------


@dataclass
class Head:
    title: str
    canonical: str
    description: str = ""
    site_name: str = ""
    og_type: str = "website"
    image: str | None = None
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    keywords: Iterable[str] = ()
    extra: str = ""


def head_html(head: Head) -> str:
    """<head>: charset, viewport, title, description, Open Graph and article meta, canonical, and the usual inline
    scripts (tag manager, ad loader) that any extractor has to ignore."""
    meta = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(head.title)}</title>",
        f'<meta name="description" content="{esc(head.description)}">',
    ]
    keywords = list(head.keywords)
    if keywords:
        meta.append(f'<meta name="keywords" content="{esc(", ".join(keywords))}">')
        meta.append(f'<meta name="news_keywords" content="{esc(", ".join(keywords))}">')
    meta += [
        f'<link rel="canonical" href="{esc(head.canonical)}">',
        f'<meta property="og:site_name" content="{esc(head.site_name)}">',
        f'<meta property="og:type" content="{esc(head.og_type)}">',
        f'<meta property="og:title" content="{esc(head.title)}">',
        f'<meta property="og:description" content="{esc(head.description)}">',
        f'<meta property="og:url" content="{esc(head.canonical)}">',
        '<meta property="og:locale" content="vi_VN">',
    ]
    if head.image:
        meta.append(f'<meta property="og:image" content="{esc(head.image)}">')
    if head.published:
        meta.append(f'<meta property="article:published_time" content="{esc(head.published)}">')
        meta.append(f'<meta property="article:modified_time" content="{esc(head.modified or head.published)}">')
    if head.section:
        meta.append(f'<meta property="article:section" content="{esc(head.section)}">')
    for tag in keywords:
        meta.append(f'<meta property="article:tag" content="{esc(tag)}">')
    meta.append(
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "gtag('js',new Date());gtag('config','G-REPLICA01');</script>"
    )
    meta.append('<script async src="/static/js/ads.js"></script>')
    meta.append(head.extra)
    return "\n".join(meta)


def page(head: Head, body: str, body_class: str = "") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n{head_html(head)}\n</head>\n'
        f"<body{attrs(class_=body_class or None)}>\n{body}\n"
        "<script>(function(){var s=document.createElement('script');s.src='/static/js/main.js';"
        "document.body.appendChild(s);})();</script>\n</body>\n</html>\n"
    )


def ad_slot(name: str) -> str:
    """An ad placeholder: empty container plus its inline loader, like the real pages."""
    return (
        f'<div class="ads ads-{esc(name)}" data-zone="{esc(name)}"><ins class="adsbygoogle"></ins>'
        f"<script>(window.adsQueue=window.adsQueue||[]).push('{esc(name)}');</script></div>"
    )


def share_bar(url: str, title: str, label: str = "Chia sẻ", css_class: str = "share-bar") -> str:
    enc = quote(url, safe="")
    return (
        f'<div class="{esc(css_class)}">'
        f'<span class="share-label">{esc(label)}</span>'
        f'<a class="share-fb" href="https://www.facebook.com/sharer/sharer.php?u={esc(enc)}" target="_blank" '
        'rel="nofollow noopener">Facebook</a>'
        f'<a class="share-zalo" href="https://sp.zalo.me/share_inline?u={esc(enc)}" target="_blank" '
        'rel="nofollow noopener">Zalo</a>'
        f'<a class="share-copy" href="javascript:void(0)" data-url="{esc(url)}" title="{esc(title)}">Sao chép link</a>'
        "</div>"
    )


def comment_box(heading: str, css_class: str, heading_tag: str = "h3") -> str:
    """An empty comment widget (heading, form, login prompt): every outlet has one under its articles."""
    return (
        f'<div class="{esc(css_class)}"><{heading_tag}>{esc(heading)}</{heading_tag}>'
        '<form class="comment-form"><textarea placeholder="Nhập nội dung bình luận"></textarea>'
        '<button type="submit">Gửi bình luận</button></form></div>'
    )


def teaser_list(
    heading: str,
    links: Iterable[tuple[str, str]],
    box_class: str,
    heading_tag: str = "h3",
    box_tag: str = "div",
    list_tag: str = "ul",
) -> str:
    """A titled box of headline links [(href, title)]: "Xem nhiều", "Đọc thêm", "Tin nổi bật"... Outlets choose
    the tags and classes; the shape (heading then a list) is what every Vietnamese news box has in common."""
    items = "".join(f'<li><a href="{esc(href)}" title="{esc(title)}">{esc(title)}</a></li>' for href, title in links)
    title_class = f"{box_class.split()[0]}__title"
    return (
        f'<{box_tag} class="{esc(box_class)}"><{heading_tag} class="{title_class}">{esc(heading)}'
        f"</{heading_tag}><{list_tag}>{items}</{list_tag}></{box_tag}>"
    )


# --- images and video -------------------------------------------------------------------------------------------

PLACEHOLDER_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def lazy_img(src: str, alt: str, mode: str, placeholder: str = PLACEHOLDER_GIF, css_class: str = "lazy") -> str:
    """An <img> as lazy-loading themes write it. ``mode``: "data-src" (a placeholder in src, the real URL in
    data-src: what a crawler without JavaScript sees), "native" (real src plus loading=lazy)."""
    if mode == "data-src":
        return f"<img{attrs(class_=css_class, src=placeholder, data_src=src, alt=alt, loading='lazy')}>"
    if mode == "native":
        return f"<img{attrs(src=src, alt=alt, loading='lazy', decoding='async', width=800, height=450)}>"
    raise ValueError(mode)


def video_player(src: str | None, poster: str | None, css_class: str = "video-player") -> str:
    """A video placeholder as news CMSs embed it: a container with the source in data attributes and a <video>
    element without text; the text of a video page is around it, never in it."""
    return (
        f"<div{attrs(class_=css_class, data_src=src, data_poster=poster)}>"
        f"<video{attrs(controls='controls', preload='none', poster=poster)}>"
        f"<source{attrs(src=src, type='video/mp4')}></video></div>"
    )


# --- article body -----------------------------------------------------------------------------------------------


def decorate(text: str, variant: int, href: str | None = None) -> str:
    """Paragraph text as inline HTML with a little markup (bold opening clause, italic quotation, a link around a
    name) chosen by ``variant``. The text content is unchanged whatever the variant: only tags are added."""
    if variant == 1 and ", " in text:
        head, tail = text.split(", ", 1)
        return f"<strong>{esc(head)}</strong>, {esc(tail)}"
    if variant == 2 and "“" in text and "”" in text:
        start, rest = text.split("“", 1)
        quoted, end = rest.split("”", 1)
        return f"{esc(start)}“<em>{esc(quoted)}</em>”{esc(end)}"
    if variant == 3 and href:
        words = text.split(" ")
        if len(words) > 6:
            return (
                f'{esc(" ".join(words[:2]))} <a href="{esc(href)}">{esc(" ".join(words[2:4]))}</a> '
                f"{esc(' '.join(words[4:]))}"
            )
    return esc(text)


def render_blocks(
    article: ReplicaArticle,
    image: Callable[[int], str],
    related: Callable[[], str] | None = None,
    link_href: str | None = None,
    p_attrs: str = "",
    blocks: list[Block] | None = None,
    video: Callable[[], str] | None = None,
    heading_tag: str = "h2",
) -> str:
    """The article body in page order (``blocks``, default the article's own). Outlets differ in how an image, a
    video and the inline related box look, so those come in as callbacks; paragraphs, subheadings, bold
    sub-headlines and quotations are rendered the same everywhere."""
    out = []
    for i, (kind, value) in enumerate(article.blocks if blocks is None else blocks):
        if kind == "p":
            out.append(f"<p{p_attrs}>{decorate(str(value), (article.index + i) % 5, link_href)}</p>")
        elif kind == "h2":
            out.append(f"<{heading_tag}><strong>{esc(value)}</strong></{heading_tag}>")
        elif kind == "bold":  # a bulletin's story headline: a bold paragraph, real content
            out.append(f"<p{p_attrs}><strong>{esc(value)}</strong></p>")
        elif kind == "quote":
            out.append(f"<blockquote><p>{esc(value)}</p></blockquote>")
        elif kind == "img":
            assert isinstance(value, int), "an image block holds the image's index"
            out.append(image(value))
        elif kind == "video":
            out.append(video() if video is not None else video_player(article.video, None))
        elif kind == "related" and related is not None:
            out.append(related())
    return "\n".join(out)


def related_in_middle(blocks: list[Block]) -> list[Block]:
    """``blocks`` with the inline related box (one, wherever it was) moved after the middle paragraph: where
    redesigned templates put their "Đọc thêm" / "Bài viết liên quan" lists, inside the running text."""
    kept = [block for block in blocks if block[0] != "related"]
    text_positions = [i for i, (kind, _) in enumerate(kept) if kind in ("p", "bold")]
    if not text_positions:
        return [*kept, ("related", None)]
    at = text_positions[(len(text_positions) - 1) // 2] + 1
    return [*kept[:at], ("related", None), *kept[at:]]


# --- pagination -------------------------------------------------------------------------------------------------


def page_window(current: int, last: int, width: int = 2) -> list[int]:
    """Page numbers shown around ``current``: first, a window, last (gaps left to the caller)."""
    pages = {1, last, *range(max(1, current - width), min(last, current + width) + 1)}
    return sorted(pages)


# --- XML documents ----------------------------------------------------------------------------------------------


@dataclass
class FeedItem:
    title: str
    link: str
    description: str
    published: datetime | None
    category: str | None = None
    image: str | None = None


def rss(title: str, link_url: str, description: str, items: Iterable[FeedItem], self_url: str) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">',
        "<channel>",
        f"<title>{esc(title)}</title>",
        f"<link>{esc(link_url)}</link>",
        f"<description>{esc(description)}</description>",
        "<language>vi-vn</language>",
        f'<atom:link href="{esc(self_url)}" rel="self" type="application/rss+xml"/>',
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{esc(item.title)}</title>")
        parts.append(f"<link>{esc(item.link)}</link>")
        parts.append(f'<guid isPermaLink="true">{esc(item.link)}</guid>')
        # Real feeds put a thumbnail <img> into the description CDATA; keep that quirk.
        thumb = f'<a href="{item.link}"><img src="{item.image}"></a>' if item.image else ""
        parts.append(f"<description><![CDATA[{thumb}{item.description}]]></description>")
        if item.category:
            parts.append(f"<category>{esc(item.category)}</category>")
        if item.published:
            parts.append(f"<pubDate>{rfc822(item.published)}</pubDate>")
        parts.append("</item>")
    parts += ["</channel>", "</rss>", ""]
    return "\n".join(parts)


def urlset(entries: Iterable[tuple[str, datetime | None]]) -> str:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, lastmod in entries:
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        parts.append(f"<url><loc>{esc(loc)}</loc>{mod}</url>")
    parts += ["</urlset>", ""]
    return "\n".join(parts)


def sitemapindex(entries: Iterable[tuple[str, datetime | None]]) -> str:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for loc, lastmod in entries:
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        parts.append(f"<sitemap><loc>{esc(loc)}</loc>{mod}</sitemap>")
    parts += ["</sitemapindex>", ""]
    return "\n".join(parts)


def robots_txt(disallow: Iterable[str], sitemaps: Iterable[str] = ()) -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), "Allow: /", ""]
    lines += [f"Sitemap: {url}" for url in sitemaps]
    return "\n".join(lines) + "\n"
