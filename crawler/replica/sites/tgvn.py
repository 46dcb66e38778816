"""TG&VN replica (baoquocte.vn), a MasterCMS site: ``h1.article-detail-title.f0``, ``div.article-detail-desc``,
body ``div#__MB_MASTERCMS_EL_3`` of <p>s with ``table.MASTERCMS_TPL_TABLE`` images (caption in the 2nd cell, alt =
title) and the inline ``table.__MB_ARTICLE_A`` "Tin liên quan" box; ``span.format_time``; ``li.menu-alias > a``.
Listings ``/<cat>`` paged by article offset ``/<cat>&s_cond=&BRSR=15``; RSS ``/rss_feed/``; a urlset sitemap named
in robots.txt; tag pages ``/tag/<slug>-<id>.tag``.
"""

from __future__ import annotations

import re
import zlib
from typing import ClassVar

from crawler import outlets
from crawler.replica import render
from crawler.replica.content import HardCase, NonArticle, ReplicaArticle, slugify
from crawler.replica.render import FeedItem, esc
from crawler.replica.site import RSS, XML, Response, Section, Site, html_response, redirect


def tag_path(tag: str) -> str:
    return f"/tag/{slugify(tag)}-{100_000 + zlib.crc32(tag.encode()) % 900_000}.tag"


class Tgvn(Site):
    outlet = outlets.get("tgvn")
    sections = (
        Section("thoi-su", "Thời sự", "politics"),
        Section("the-gioi", "Thế giới", "world"),
        Section("kinh-te", "Kinh tế", "economy"),
        Section("van-hoa", "Văn hóa", "culture"),
        Section("xa-hoi", "Xã hội", "society"),
    )
    per_page = 15
    listing_root = "/{slug}"
    next_page_selector = "div.__MB_ARTICLE_PAGING div.rt > a:last-child"
    published_datelines = ("TGVN.", "Baoquocte.vn.")
    dateline = "TGVN. "
    salt = 37
    minutes_between = 180
    hard_cases: ClassVar[dict[int, HardCase]] = {
        2: HardCase("short", dateline="Baoquocte.vn. "),
        5: HardCase("photo"),
        11: HardCase("video", dateline="Baoquocte.vn. "),
        18: HardCase("bulletin", byline=("Vũ Đăng Minh", "Vũ Đăng Minh")),
        22: HardCase("short", paragraphs=2),
        29: HardCase("photo", dateline="Baoquocte.vn. "),
    }
    soft_404_links = (
        (
            "/thu-tuong-tiep-dai-su-cac-nuoc-chao-tu-biet-ket-thuc-nhiem-ky-360002.html",
            "Thủ tướng tiếp Đại sứ các nước chào từ biệt kết thúc nhiệm kỳ",
        ),
        (
            "/hoi-nghi-cap-cao-asean-thong-qua-tuyen-bo-chung-ve-an-ninh-bien-360004.html",
            "Hội nghị cấp cao ASEAN thông qua tuyên bố chung về an ninh biển",
        ),
    )

    def __init__(self, count: int, fresh: int = 0) -> None:
        super().__init__(count, fresh)
        self.tags: dict[str, tuple[str, list[ReplicaArticle]]] = {}
        for article in self.newest:
            for tag in article.tags:
                self.tags.setdefault(tag_path(tag), (tag, []))[1].append(article)

    # --- content hooks ------------------------------------------------------------------------------------------

    @classmethod
    def article_path(cls, section, title, k, published):
        native = str(360_001 - 2 * k)  # odd; the seeds' ids are even
        return f"/{slugify(title)}-{native}.html", native

    @classmethod
    def image_url(cls, published, k, i):
        return (
            f"https://baoquocte.vn/stores/news_dataimages/phongvien/{published:%m%Y/%d/%H}/"
            f"tgvn-{k}-{i + 1}{published:%Y%m%d%H%M}00.jpg?rt={published:%Y%m%d%H%M}05"
        )

    @classmethod
    def non_articles(cls, articles):
        tags = {tag_path(tag): tag for article in articles for tag in article.tags}
        return [
            *super().non_articles(articles),
            *(NonArticle(cls.name, cls.home.rstrip("/") + path, "tag", tag) for path, tag in tags.items()),
        ]

    @classmethod
    def caption_credit(cls, rng, author):
        return f"(Nguồn: {rng.choice(('AFP', 'Reuters', 'TTXVN', 'AP', 'Getty Images', 'Bộ Ngoại giao'))})"

    @classmethod
    def related_after(cls, rng):
        return 1 if rng.random() < 0.7 else None

    # --- chrome -------------------------------------------------------------------------------------------------

    def wrap(self, head: render.Head, main: str) -> str:
        menu = "\n".join(f'<li><a href="/{s.slug}">{esc(s.name)}</a></li>' for s in self.sections)
        body = f"""<div class="header fw lt clearfix">
<a class="logo" href="/" title="Báo Thế giới &amp; Việt Nam"><img src="https://baoquocte.vn/modules/frontend/themes/tgvn/images/logo.png" alt=""></a>
<form class="search" action="/search_enginer.html" method="get"><input type="hidden" name="p" value="tim-kiem"><input name="q" placeholder="Tìm kiếm"></form>
<ul class="main-menu"><li><a href="/">Trang chủ</a></li>{menu}<li><a href="https://en.baoquocte.vn/">English</a></li></ul>
</div>
{render.ad_slot("header")}
<div class="main fw lt clearfix">
{main}
</div>
<div class="footer fw lt clearfix">
<p>Báo Thế giới &amp; Việt Nam - Cơ quan của Bộ Ngoại giao.</p>
<p>Giấy phép số 159/GP-BTTTT. Tòa soạn: Số 1 Tôn Thất Đàm, Ba Đình, Hà Nội. Email: tgvn@mofa.gov.vn</p>
<p>Theo dõi TGVN trên <a href="https://www.facebook.com/baoquocte.vn" rel="nofollow">Facebook</a> | <a href="/rss_feed/">RSS</a></p>
</div>"""
        return render.page(head, body, "tgvn")

    def related_box(self, titles: list[str], targets: list[ReplicaArticle], rows: bool) -> str:
        if rows:  # older layout: heading row, then one row per headline
            cells = "\n".join(
                f'<tr><td><a href="{esc(self.href(t, 8))}" title="{esc(x)}">{esc(x)}</a></td></tr>'
                for x, t in zip(titles, targets)
            )
            return (
                f'<table class="__MB_ARTICLE_A"><tbody><tr><td class="title">Tin liên quan</td></tr>{cells}'
                "</tbody></table>"
            )
        items = "".join(
            f'<div class="item"><a href="{esc(self.href(t, 8))}" title="{esc(x)}"><img src="'
            f'{esc(self.image_url(t.listed_at, t.index, 0))}" alt="{esc(x)}"></a> '
            f'<a class="title" href="{esc(self.href(t, 8))}">{esc(x)}</a></div>'
            for x, t in zip(titles, targets)
        )
        return (
            f'<table class="__MB_ARTICLE_A"><tbody><tr><td><div class="title-related">Tin liên quan</div>\n'
            f"{items}</td></tr></tbody></table>"
        )

    def item(self, href: str, title: str | None, desc: str, image: str) -> str:
        """One listing-style item: thumbnail link (alt = title), title link, description."""
        if title is None:  # the seed's description-only list
            return (
                f'<div class="article"><a class="article-image" href="{esc(href)}"><img src="{esc(image)}" '
                f'alt=""></a><div class="article-desc">{esc(desc)}</div></div>'
            )
        return (
            f'<div class="article"><a class="article-image" href="{esc(href)}" title="{esc(title)}">'
            f'<img src="{esc(image)}" alt="{esc(title)}"></a>\n'
            f'<a class="article-title" href="{esc(href)}" title="{esc(title)}">{esc(title)}</a>\n'
            f'<div class="article-desc">{esc(desc)}</div></div>'
        )

    def article_item(self, a: ReplicaArticle, context: int, with_time: bool = False) -> str:
        html = self.item(self.href(a, context), a.title, a.lead, self.image_url(a.listed_at, a.index, 0))
        if with_time:
            html = html.replace(
                '<div class="article-desc">',
                f'<span class="time">{a.listed_at:%d/%m/%Y %H:%M}</span><div class="article-desc">',
                1,
            )
        return html

    # --- pages --------------------------------------------------------------------------------------------------

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]
        published = a.published_dt
        noise = a.noise or {"font_widget": True}
        head = self.article_head(a)

        def image_table(i: int) -> str:
            url, caption = a.images[i]
            return (
                f'<table class="MASTERCMS_TPL_TABLE" align="center"><tbody>'
                f'<tr><td><img class="__img_mastercms" src="{esc(url)}" alt="{esc(a.image_alts[i])}" '
                f'title="{esc(a.image_alts[i])}"></td></tr>'
                f"<tr><td>{esc(caption or '')}</td></tr></tbody></table>"
            )

        def related() -> str:
            if a.noise:
                titles = a.noise["related"]
                return self.related_box(
                    titles, self.older(a, len(titles)) or self.latest(len(titles), a), rows=not noise["font_widget"]
                )
            targets = self.older(a, 2) or self.latest(2, a)
            return self.related_box([t.title for t in targets], targets, rows=False)

        crumb = (
            (
                f'<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li>'
                f'<li class="menu-alias"><a href="/{section.slug}">{esc(a.category)}</a></li></ul>'
            )
            if a.category
            else ""
        )
        font = (
            (
                '<div class="font-size-tool"><a href="javascript:void(0)">Nhỏ</a> <a href="javascript:void(0)">'
                'Bình thường</a> <a href="javascript:void(0)">Lớn</a></div>'
            )
            if noise["font_widget"]
            else ""
        )
        kicker = f'<div class="article-detail-subtitle f0">{esc(a.kicker)}</div>' if a.kicker else ""
        author = (
            (
                f'<div class="article-detail-author">{esc(a.byline)}</div>'
                '<div class="follow-gg">Theo dõi TGVN trên <a href="https://news.google.com/publications/tgvn" '
                'rel="nofollow"><img src="https://baoquocte.vn/images/gg-news.png" alt=""></a></div>'
            )
            if a.byline
            else ""
        )
        date = (
            f'<div class="article-date"><span class="format_time">{published:%d/%m/%Y %H:%M}</span></div>'
            if published
            else ""
        )
        tags = "".join(f'<a href="{tag_path(t)}">{esc(t)}</a>' for t in a.tags)
        tags = f'<div class="article-tags">Tags: {tags}</div>' if tags else ""

        if a.noise:
            newer = a.noise["newer"]
            targets = self.latest(len(newer), exclude=a)
            newer_html = "\n".join(
                self.item(self.href(t, 5), x["title"], x["desc"], self.image_url(t.listed_at, t.index, 0))
                for x, t in zip(newer, targets)
            )
            older_titles = [x["title"] for x in a.noise["older"]]
            older_targets = self.latest(len(older_titles), exclude=a, skip=5)
        else:
            newer_html = "\n".join(self.article_item(t, 5) for t in self.latest(5, exclude=a))
            older_targets = self.older(a, 10)
            older_titles = [t.title for t in older_targets]
        older_html = "\n".join(
            f'<li><a href="{esc(self.href(t, 6))}" title="{esc(x)}"><img src="{esc(self.image_url(t.listed_at, t.index, 0))}"'
            f' alt="{esc(x)}"></a> <a href="{esc(self.href(t, 6))}">{esc(x)}</a></li>'
            for x, t in zip(older_titles, older_targets)
        )
        older_html = f'<div class="box-older"><h3>Tin cũ hơn</h3><ul>{older_html}</ul></div>' if older_html else ""

        main = f"""{crumb}
<div class="article-detail fw lt mb clearfix">
{font}
{kicker}<h1 class="article-detail-title f0">{esc(a.title)}</h1>
{author}{date}
<div class="article-detail-desc fw lt f0 mb clearfix">{esc(a.lead)}</div>
<div id="__MB_MASTERCMS_EL_3" class="article-detail-content fw lt mb clearfix">
{render.render_blocks(a, image_table, related, link_href=f"/{section.slug}")}
</div>
{tags}
{render.share_bar(a.url, a.title)}
</div>
{render.ad_slot("detail-bottom")}
<div class="box-newer fw lt clearfix">
{newer_html}
</div>
{older_html}"""
        return self.wrap(head, main)

    def render_home(self, match, query) -> Response:
        top = "\n".join(self.article_item(a, 1) for a in self.latest(30))
        blocks = "\n".join(
            f'<div class="home-cate"><h2><a href="/{s.slug}">{esc(s.name)}</a></h2>'
            + "".join(self.article_item(a, 3) for a in self.by_section[s.slug][:4])
            + "</div>"
            for s in self.sections
        )
        head = render.Head(
            title="Báo Thế giới & Việt Nam",
            canonical=self.home,
            site_name="Báo Thế giới & Việt Nam",
            description="Báo Thế giới & Việt Nam - Cơ quan của Bộ Ngoại giao",
        )
        return html_response(self.wrap(head, f'<div class="home-top">{top}</div>\n{blocks}{self.soft_404_box()}'))

    def page_href(self, slug: str, offset: int) -> str:
        return f"/{slug}" if offset == 0 else f"/{slug}&s_cond=&BRSR={offset}"

    def render_listing(self, match, query) -> Response | None:
        slug, offset = match.group("slug"), int(match.group("offset") or 0)
        if offset % self.per_page:
            return None
        found = self.listing(slug, offset // self.per_page + 1)
        if found is None:
            return None
        items, pages = found
        page = offset // self.per_page + 1
        links = []
        if page > 1:
            links.append(f'<a href="{self.page_href(slug, (page - 2) * self.per_page)}">Trước</a>')
        for n in render.page_window(page, pages):
            if n == page:
                links.append(f'<span class="current">{n}</span>')
            else:
                links.append(f'<a href="{self.page_href(slug, (n - 1) * self.per_page)}">{n}</a>')
        if page < pages:  # "Sau" is the last link; on the last page the last child is the current page's span
            links.append(f'<a href="{self.page_href(slug, page * self.per_page)}">Sau</a>')
        section = self.section_of[slug]
        main = (
            f'<h1 class="cate-title"><a href="/{slug}">{esc(section.name)}</a></h1>\n'
            f'<div class="bx-list-left lt">\n'
            + "\n".join(self.article_item(a, 2, True) for a in items)
            + f'\n</div>\n<div class="__MB_ARTICLE_PAGING fw lt mb clearfix"><div class="rt">{"".join(links)}'
            "</div></div>"
        )
        head = render.Head(
            title=f"{section.name} - Báo Thế giới & Việt Nam",
            canonical=self.abs(self.page_href(slug, offset)),
            site_name="Báo Thế giới & Việt Nam",
        )
        return html_response(self.wrap(head, main))

    def render_tag(self, match, query) -> Response | None:
        found = self.tags.get(match.group(0))
        if found is None:
            return None
        tag, articles = found
        main = (
            f'<h1 class="tag-title">{esc(tag)}</h1>\n<div class="bx-list-left lt">'
            + "\n".join(self.article_item(a, 4, True) for a in articles[:30])
            + "</div>"
        )
        head = render.Head(
            title=f"{tag} - Báo Thế giới & Việt Nam",
            canonical=self.abs(match.group(0)),
            site_name="Báo Thế giới & Việt Nam",
        )
        return html_response(self.wrap(head, main))

    def render_feed(self, match, query) -> Response | None:
        slug = match.group("slug")
        if not slug:
            articles, title = self.latest(25), "Thế giới 24h"
        elif slug in self.by_section:
            articles, title = self.by_section[slug][:25], self.section_of[slug].name
        else:
            return None
        items = [
            FeedItem(
                a.title,
                a.url,
                a.lead,
                a.listed_at,
                self.section_of[a.section].name,
                self.image_url(a.listed_at, a.index, 0),
            )
            for a in articles
        ]
        self_url = self.abs(f"/rss_feed/{slug or ''}")
        return Response(200, render.rss(title, self.home, "Báo Thế giới & Việt Nam", items, self_url).encode(), RSS)

    def render_sitemap(self, match, query) -> Response:
        xml = render.urlset((a.url, a.listed_at) for a in self.newest)
        return Response(200, xml.encode("utf-8"), XML)

    def extra_routes(self):
        def search(match: re.Match, query: str) -> Response:
            return html_response(
                self.wrap(
                    render.Head(
                        title="Tìm kiếm", canonical=self.abs("/search_enginer.html"), site_name=self.display_name
                    ),
                    "<h1>Kết quả tìm kiếm</h1>",
                )
            )

        return [
            (re.compile(r"/"), self.render_home),
            (re.compile(r"/(?P<slug>[a-z-]+)(?:&s_cond=&BRSR=(?P<offset>\d+))?"), self.render_listing),
            # The MasterCMS serves categories without the trailing slash; the slashed form redirects.
            (
                re.compile(r"/(?P<slug>[a-z-]+)/"),
                lambda m, q: redirect(self.abs(f"/{m.group('slug')}")) if m.group("slug") in self.by_section else None,
            ),
            (re.compile(r"/tag/[a-z0-9-]+-\d+\.tag"), self.render_tag),
            (re.compile(r"/rss_feed/(?P<slug>[a-z-]*)"), self.render_feed),
            (re.compile(r"/sitemap\.xml"), self.render_sitemap),
            (re.compile(r"/search_enginer\.html"), search),
        ]

    def robots_txt(self) -> str:
        return render.robots_txt(["/search_enginer.html", "/admin/", "/*?print="], [self.abs("/sitemap.xml")])


SITE = Tgvn
