"""Báo Tin Mẫu (tinmau.vn): a fictional fifth outlet, the drill of ``docs/ARCHITECTURE.md`` "Adding an outlet".

Registered through ``VN_NEWS_OUTLETS=tinmau`` (with this folder on the Python path): no core file names it. Its
markup differs from the four real outlets' (``article.story``, ``?trang=N`` listings with ``rel=next``), so the
drill exercises the outlet unit rather than rules the others already satisfy.
"""

import re

from crawler.outlet import Outlet


class TinMau(Outlet):
    name = "tinmau"
    display_name = "Báo Tin Mẫu"
    report_colour = "#9467bd"
    home = "https://tinmau.vn/"
    host_aliases = ("www.tinmau.vn",)

    article_paths = (re.compile(r"/[a-z0-9-]+/[a-z0-9-]+-tm(?P<id>\d{6})\.html"),)

    feed_paths = ("feed/moi-nhat.xml",)
    listing_paths = ("chuyen-muc/thoi-su", "chuyen-muc/kinh-te", "chuyen-muc/the-gioi")
    next_page_selectors = ("a[rel=next]",)

    article_selectors = ("article.story",)
    title_selectors = ("h1.story-title",)
    lead_selectors = ("p.story-lead",)
    body_selectors = ("div.story-body",)
    author_selectors = ("span.story-author",)
    published_selectors = ("time.story-time",)
    category_selectors = ("nav.trail a:last-child",)
    tag_selectors = ("ul.story-tags a",)
    noise_selectors = ("div.story-share",)
    dateline_prefixes = ("(TM) -",)
    inline_headings = ("Cùng chủ đề",)  # its related box inside the story

    replica_site = "tinmau_replica:SITE"  # no redesign layout: the standard site serves there
