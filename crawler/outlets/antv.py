"""ANTV (antv.gov.vn), Truyền hình Công an Nhân dân.

Known (see ``shared/outlets/antv.md``): articles live under ``/<category>-<catId>/<slug>-<9 upper-case hex>.html``,
older ones end in a 5-7 digit id or live under ``/tin-tuc/<category>/``; ``www.`` and ``beta.`` serve the same
paths. Radio sections and event pages share the article look of their URLs but are not articles. The header bar
prints the render date ("Thứ Tư, 14/01/2026 03:19 GMT+7"), never the publication date. No RSS or sitemap is
known, so discovery walks the category listings.
"""

import re

from crawler.outlet import Outlet


class Antv(Outlet):
    name = "antv"
    display_name = "ANTV"
    report_colour = "#d62728"
    home = "https://antv.gov.vn/"
    host_aliases = ("www.antv.gov.vn", "beta.antv.gov.vn")

    article_paths = (
        # The slug may start or end with a hyphen when the title starts or ends with punctuation.
        re.compile(r"/[a-z0-9-]+-\d+/[a-z0-9-]*-(?P<id>[0-9A-F]{9}|\d{5,7})\.html"),
        re.compile(r"/tin-tuc/[a-z0-9-]+/[a-z0-9-]*-(?P<id>\d{5,7})\.html"),
    )
    excluded_paths = (
        re.compile(r"/radio/.*"),
        re.compile(r"/su-kien/.*"),
        re.compile(r"/truyen-hinh-truc-tuyen\.html"),
    )

    listing_paths = (
        "chinh-tri-2.html",
        "phap-luat-3.html",
        "xa-hoi-4.html",
        "kinh-te-5.html",
        "the-gioi-7.html",
        "ban-doc-10.html",
    )
    next_page_selectors = (".pagination a.next", "a[rel=next]")

    article_selectors = ("div.detail-page", "article.article-detail")
    title_selectors = ("h1.title-detail", "h1")
    lead_selectors = ("div.detail-article p.sapo", ".sapo")
    body_selectors = ("div.detail-article",)
    author_selectors = (".author-detail", ".author")
    published_selectors = ("span.time-detail", ".time-detail")
    category_selectors = ("ul.breadcrumb li:last-child a",)
    tag_selectors = (".tags-detail a",)
    noise_selectors = (".box-related", ".share-bar", ".promo-vtvgo")
    dateline_prefixes = ("(ANTV) -", "(ANTV)-", "(ANTV)")
    # the promotion of the station's live channel printed under its articles
    noise_patterns = (re.compile(r"\b(?:VTV\s?Go|TV Online|truyền hình trực tuyến)\b.{0,120}$", re.IGNORECASE),)

    replica_site = "crawler.replica.sites.antv:SITE"
    replica_redesign_site = "crawler.replica.sites.antv_redesign:SITE"
    replica_non_article_kinds = frozenset({"radio", "event", "live_tv"})
