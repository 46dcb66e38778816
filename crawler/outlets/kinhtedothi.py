"""Kinhtedothi, Báo Kinh tế & Đô thị (kinhtedothi.vn).

Known (see ``shared/outlets/kinhtedothi.md``): three URL eras: ``/<slug>.<id>.html`` (current, the id after a
dot), ``/<slug>.html`` (2022 to early 2025, no id) and ``/<slug>-<6 digits>.html`` (before 2021). Subdomains are
separate products and out of scope. ``/sitemap.xml`` lists the articles; RSS is unreliable. Current layout:
``h1.article-title``, ``div.article-published-on`` ("Thứ Hai, 08:54 27/12/2021"). Leads start "Kinhtedothi - "
(older "KTĐT - "). After the article come "Đọc nhiều", "HỎI ĐÁP THÔNG MINH", reactions, "BÌNH LUẬN (0)", "Đừng bỏ
lỡ", "Tin mới", "VIDEO" and "Tin Tài Trợ".
"""

import re

from crawler.outlet import Outlet


class Kinhtedothi(Outlet):
    name = "kinhtedothi"
    display_name = "Kinh tế & Đô thị"
    report_colour = "#ff7f0e"
    home = "https://kinhtedothi.vn/"
    host_aliases = ("www.kinhtedothi.vn",)

    article_paths = (
        re.compile(r"/[a-z0-9-]+\.(?P<id>\d+)\.html"),
        re.compile(r"/[a-z0-9-]+-(?P<id>\d{6})\.html"),
        re.compile(r"/[a-z0-9]+(?:-[a-z0-9]+){2,}\.html"),
    )
    excluded_paths = (re.compile(r"/(?:gioi-thieu|lien-he|quang-cao|dieu-khoan-su-dung)[a-z0-9-]*\.html"),)

    sitemap_paths = ("sitemap.xml",)
    listing_paths = ("thoi-su/", "kinh-te/", "do-thi/", "phap-luat/", "quoc-te/")
    next_page_selectors = (".paging a.active + a", "a.btn-loadmore")

    # Current layout first; then the 2022 layout (``itemprop=articleBody``, ``span.detail__author``) and the one
    # before 2021 (``#cotent_detail``, sic; ``div.sapo_detail``, ``span.name_author``, ``div.time_detail_news``
    # "08-11-2020 15:11", ``.breadcump.bread_right a.active``), whose pages are still served.
    article_selectors = ("div.article-detail", "article.article")
    title_selectors = ("h1.article-title",)
    lead_selectors = ("div.article-sapo", "div.sapo_detail", ".sapo")
    body_selectors = ("div[itemprop=articleBody]", "div.article-content", "#cotent_detail")
    author_selectors = (".article-author", "span.detail__author", "span.name_author")
    published_selectors = ("div.article-published-on", "div.time_detail_news")
    category_selectors = (".breadcump.bread_right a.active", ".breadcrumb a:last-child")
    tag_selectors = (".article-tags a", ".tag_detail a")
    noise_selectors = (".box-related", ".share-bar")
    dateline_prefixes = ("Kinhtedothi -", "KTĐT -")
    section_label_classes = ("breadcump",)  # sic: the old layout's breadcrumb
    trailing_headings = ("HỎI ĐÁP THÔNG MINH", "CẢM NHẬN CỦA BẠN VỀ BÀI VIẾT NÀY")  # its Q&A widget, its reactions box

    replica_site = "crawler.replica.sites.kinhtedothi:SITE"
    replica_redesign_site = "crawler.replica.sites.kinhtedothi_redesign:SITE"
    replica_non_article_kinds = frozenset({"static"})
