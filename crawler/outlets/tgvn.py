"""TG&VN, Báo Thế giới & Việt Nam (baoquocte.vn), a MasterCMS site.

Known (see ``shared/outlets/tgvn.md``): articles are ``/<slug>-<id>.html`` on ``baoquocte.vn`` (the English
edition ``en.baoquocte.vn`` is out of scope); categories ``/<cat>`` paged by article offset
``&s_cond=&BRSR=<15·k>``; RSS at ``/rss_feed/``; tags at ``/tag/<slug>-<id>.tag``. MasterCMS class names: body
``#__MB_MASTERCMS_EL_3``, images in ``table.MASTERCMS_TPL_TABLE`` with the caption in the second cell, related
boxes in ``table.__MB_ARTICLE_A``. Leads may start "TGVN. " or "Baoquocte.vn. ".
"""

import re

from crawler.outlet import Outlet


class Tgvn(Outlet):
    name = "tgvn"
    display_name = "Báo Thế giới & Việt Nam"
    report_colour = "#2ca02c"
    home = "https://baoquocte.vn/"
    host_aliases = ("www.baoquocte.vn",)

    article_paths = (re.compile(r"/[a-z0-9-]+-(?P<id>\d+)\.html"),)

    feed_paths = ("rss_feed/",)
    listing_paths = ("thoi-su", "the-gioi", "kinh-te", "van-hoa", "xa-hoi")
    next_page_selectors = ("div.__MB_ARTICLE_PAGING div.rt > a:last-child",)

    article_selectors = ("div.article-detail",)
    title_selectors = ("h1.article-detail-title",)
    lead_selectors = ("div.article-detail-desc",)
    body_selectors = ("div#__MB_MASTERCMS_EL_3",)
    author_selectors = (".article-detail-author",)
    published_selectors = ("span.format_time",)
    category_selectors = ("li.menu-alias > a",)
    tag_selectors = ('a[href*="/tag/"][href$=".tag"]',)
    noise_selectors = ("table.__MB_ARTICLE_A", "table.__mb_article_in_image")
    dateline_prefixes = ("TGVN.", "Baoquocte.vn.")
    section_label_classes = ("menu-alias",)  # MasterCMS: the section's item in the breadcrumb

    replica_site = "crawler.replica.sites.tgvn:SITE"
    replica_redesign_site = "crawler.replica.sites.tgvn_redesign:SITE"
    replica_non_article_kinds = frozenset({"tag"})
