"""CLO, Báo Công luận (congluan.vn), Báo điện tử Nhà báo & Công luận.

Known (see ``shared/outlets/clo.md``): articles are ``/<slug>-post<5-7 digits>.html`` or ``/<slug>-<7-9
digits>.html`` on ``congluan.vn`` and ``www.congluan.vn``; categories are flat ``/<name>.html`` pages paged with
``/p<N>`` links in ``.phantrang``; RSS under ``/rss/<category>.rss``. The date line reads "Thứ ba, 03/12/2024 11:19
AM - 0 Trả lời" (12-hour clock, comment counter to strip). Leads start "(CLO)" or, for the print magazine,
"(NB&CL)".
"""

import re

from crawler.outlet import Outlet


class Clo(Outlet):
    name = "clo"
    display_name = "Báo Công luận"
    report_colour = "#1f77b4"
    home = "https://congluan.vn/"
    host_aliases = ("www.congluan.vn",)

    article_paths = (re.compile(r"/[a-z0-9-]+-(?P<id>post\d{5,7}|\d{7,9})\.html"),)

    feed_paths = ("rss/home.rss", "rss/kinh-te.rss")
    listing_paths = ("thoi-su.html", "the-gioi.html", "kinh-te.html", "doi-song.html", "vu-an.html")
    next_page_selectors = (".phantrang ul > li.active + li > a",)

    article_selectors = ("article.article", "div.article")
    title_selectors = ("h1.article__title", "h1")
    lead_selectors = ("div.article__sapo", ".article__sapo")
    body_selectors = ("div.article__body",)
    author_selectors = (".article__author",)
    published_selectors = (".article__meta time",)
    category_selectors = (".breadcrumb li:last-child a",)
    tag_selectors = (".article__tag a",)
    noise_selectors = (".article__related", ".share-bar")
    dateline_prefixes = ("(CLO)", "(NB&CL)")

    replica_site = "crawler.replica.sites.clo:SITE"
    replica_redesign_site = "crawler.replica.sites.clo_redesign:SITE"
    replica_non_article_kinds = frozenset()
