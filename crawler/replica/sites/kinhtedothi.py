"""Kinhtedothi replica (kinhtedothi.vn): ``h1.article-title``, ``div.article-published-on`` ("Thứ Hai, 08:54
27/12/2021"), ``div.article-sapo`` "Kinhtedothi - ...", body ``div.article-content[itemprop=articleBody]`` with
figure/figcaption; after the article "Đọc nhiều", "HỎI ĐÁP THÔNG MINH", reactions, "BÌNH LUẬN (0)", "Đừng bỏ lỡ",
"Tin mới", "VIDEO", "Tin Tài Trợ". Listings ``/<cat>/?page=N`` (``.paging a.active + a``); ``/sitemap.xml`` is
a sitemapindex of monthly urlsets, named in robots.txt; the one known RSS feed answers 200 with no items.
Three URL eras coexist: ``/<slug>.<id>.html``, ``/<slug>.html`` and ``/<slug>-<6 digits>.html``.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar
from urllib.parse import parse_qs, quote

from crawler import outlets
from crawler.replica import render
from crawler.replica.content import HardCase, NonArticle, ReplicaArticle, slugify
from crawler.replica.render import esc
from crawler.replica.site import RSS, XML, Response, Section, Site, html_response, redirect

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
STATIC_PAGES = {
    "/gioi-thieu.html": "Giới thiệu",
    "/lien-he-quang-cao.html": "Liên hệ quảng cáo",
    "/dieu-khoan-su-dung.html": "Điều khoản sử dụng",
}
REACTIONS = ("Rất hay", "Thích", "Giải trí", "Cần cải thiện")


def published_on(moment: datetime) -> str:
    """ "Thứ Hai, 08:54 27/12/2021": time before date."""
    return f"{render.weekday(moment)}, {moment:%H:%M %d/%m/%Y}"


def short_time(moment: datetime) -> str:
    """ "26 Feb, 08:54 PM" as in the "Đừng bỏ lỡ" box (English month, independent of the process locale)."""
    return f"{moment.day:02d} {MONTHS[moment.month - 1]}, {moment:%I:%M %p}"


class Kinhtedothi(Site):
    outlet = outlets.get("kinhtedothi")
    sections = (
        Section("thoi-su", "Thời sự", "politics"),
        Section("kinh-te", "Kinh tế", "economy"),
        Section("do-thi", "Đô thị", "urban"),
        Section("phap-luat", "Pháp luật", "law"),
        Section("quoc-te", "Quốc tế", "world"),
    )
    per_page = 20
    listing_root = "/{slug}/"
    next_page_selector = ".paging a.active + a"
    published_datelines = ("Kinhtedothi -", "KTĐT -")
    dateline = "Kinhtedothi - "
    salt = 53
    minutes_between = 270
    hard_cases: ClassVar[dict[int, HardCase]] = {
        2: HardCase("short", dateline="KTĐT - "),  # the older dateline, still on some pages
        8: HardCase("photo"),
        13: HardCase("video"),
        19: HardCase("bulletin", byline=("Minh An, Thu Hà", "Minh An - Thu Hà")),
        25: HardCase("short", paragraphs=2, dateline="KTĐT - "),
        31: HardCase("photo", byline=("Minh An, Thu Hà", "Minh An - Thu Hà")),
    }
    soft_404_links = (
        (
            "/ha-noi-khoi-cong-them-hai-tuyen-duong-vanh-dai-moi.720002.html",
            "Hà Nội khởi công thêm hai tuyến đường vành đai mới",
        ),
        (
            "/ha-noi-mo-rong-khong-gian-di-bo-quanh-ho-guom.html",  # the 2022-2025 URL form, without an id
            "Hà Nội mở rộng không gian đi bộ quanh hồ Gươm",
        ),
    )

    # --- content hooks ------------------------------------------------------------------------------------------

    @classmethod
    def article_path(cls, section, title, k, published):
        slug = slugify(title)
        if k % 31 == 7:  # before 2021: "-<6 digits>"
            native = str(390_001 - 2 * k)
            return f"/{slug}-{native}.html", native
        if k % 9 == 4:  # 2022 to early 2025: slug only, no id
            return f"/{slug}.html", None
        native = str(720_001 - 2 * k)
        return f"/{slug}.{native}.html", native

    @classmethod
    def non_articles(cls, articles):
        return [
            *super().non_articles(articles),
            *(
                NonArticle(cls.name, cls.home.rstrip("/") + path, "static", title)
                for path, title in STATIC_PAGES.items()
            ),
        ]

    @classmethod
    def image_url(cls, published, k, i):
        return f"https://static.kinhtedothi.vn/w960/images/upload/{published:%Y/%m/%d}/ktdt-{k}-{i + 1}.jpg"

    # --- chrome -------------------------------------------------------------------------------------------------

    def wrap(self, head: render.Head, main: str) -> str:
        menu = "\n".join(f'<li><a href="/{s.slug}/">{esc(s.name)}</a></li>' for s in self.sections)
        footer = " | ".join(f'<a href="{path}">{esc(name)}</a>' for path, name in STATIC_PAGES.items())
        body = f"""<div class="top-banner"><a href="https://kinhtedothi.vn/">Mừng Đảng mừng Xuân 2026</a></div>
<header class="header">
<a class="logo" href="https://kinhtedothi.vn/"><img src="https://static.kinhtedothi.vn/images/logo.png" alt="Logo"></a>
<div class="user-box"><a href="/tai-khoan/goi-an-pham" rel="nofollow">Đăng ký mua gói ấn phẩm</a>|<a href="/tai-khoan/dang-nhap" rel="nofollow">Đăng nhập</a></div>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li>{menu}</ul></nav>
<form class="search" action="/tim-kiem" method="get"><input name="keywords" placeholder="Tìm kiếm"></form>
</header>
{render.ad_slot("header")}
<main class="main">
{main}
</main>
<footer class="footer">
<p>Báo Kinh tế &amp; Đô thị - Cơ quan của Thành ủy Hà Nội.</p>
<p>Giấy phép số 132/GP-BTTTT. Tòa soạn: 38 Hoàng Diệu, Ba Đình, Hà Nội.</p>
<p>{footer}</p>
</footer>"""
        return render.page(head, body, "kinhtedothi")

    def dont_miss_item(self, href: str, title: str, time: str, lead: str, image: str) -> str:
        return f"""<div class="item">
<h4><a href="{esc(href)}" title="{esc(title)}">{esc(title)}</a></h4>
<a class="thumb" href="{esc(href)}"><img src="{esc(image)}" alt="{esc(title)}"></a>
<span class="time">{esc(time)}</span>
<p class="sapo">{esc(lead)}</p></div>"""

    # --- pages --------------------------------------------------------------------------------------------------

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]
        published = a.published_dt
        head = self.article_head(a)

        def figure(i: int) -> str:
            url, caption = a.images[i]
            return (
                f'<figure class="image"><img src="{esc(url)}" alt="{esc(a.image_alts[i])}">'
                f"<figcaption> {esc(caption)}</figcaption></figure>"
            )

        crumb = (
            (f'<div class="breadcrumb"><a href="/">Trang chủ</a><a href="/{section.slug}/">{esc(a.category)}</a></div>')
            if a.category
            else ""
        )
        date = f'<div class="article-published-on">{esc(published_on(published))}</div>' if published else ""
        author = f'<div class="article-author">{esc(a.byline)}</div>' if a.byline else ""
        tags = "".join(f'<a href="/tim-kiem?keywords={quote(t)}">{esc(t)}</a>' for t in a.tags)
        tags = f'<div class="article-tags">{tags}</div>' if tags else ""
        if a.noise:
            items = a.noise["dont_miss"]
            targets = self.latest(len(items), exclude=a)
            dont_miss = [
                self.dont_miss_item(
                    self.href(t, 5), x["title"], x["time"], x["lead"], self.image_url(t.listed_at, t.index, 0)
                )
                for x, t in zip(items, targets)
            ]
        else:
            dont_miss = [
                self.dont_miss_item(
                    self.href(t, 5), t.title, short_time(t.listed_at), t.lead, self.image_url(t.listed_at, t.index, 0)
                )
                for t in self.older(a, 4)
            ]
        reactions = "\n".join(f'<li><a href="javascript:void(0)">{esc(r)}</a></li>' for r in REACTIONS)
        main = f"""{crumb}
<div class="article-detail">
<h1 class="article-title">{esc(a.title)}</h1>
{date}
<div class="article-sapo">{esc(a.lead)}</div>
<div class="article-content" itemprop="articleBody">
{render.render_blocks(a, figure, link_href=f"/{section.slug}/")}
</div>
{author}{tags}
{render.share_bar(a.url, a.title)}
</div>
{render.ad_slot("article-bottom")}
<div class="box-most-read"><h3 class="box-title">Đọc nhiều</h3><div class="list" data-src="/api/most-read"></div></div>
<div class="box-ai-qa"><h3 class="box-title">HỎI ĐÁP THÔNG MINH</h3><div class="ai-qa" data-article="{esc(a.url)}"></div></div>
<div class="box-reactions"><h3 class="box-title">CẢM NHẬN CỦA BẠN VỀ BÀI VIẾT NÀY</h3><ul>{reactions}</ul></div>
<div class="box-comments"><h3 class="box-title">BÌNH LUẬN (0)</h3><form><textarea placeholder=""></textarea></form></div>
<div class="box-dont-miss"><h3 class="box-title">Đừng bỏ lỡ</h3>
{"".join(dont_miss)}
</div>
<div class="box-latest"><h3 class="box-title">Tin mới</h3><div class="list" data-src="/api/latest"></div></div>
<div class="box-video"><h3 class="box-title">VIDEO</h3></div>
<div class="box-sponsored"><h3 class="box-title">Tin Tài Trợ</h3>{render.ad_slot("sponsored")}</div>"""
        return self.wrap(head, main)

    def list_item(self, a: ReplicaArticle, context: int) -> str:
        href = self.href(a, context)
        return (
            f'<article class="item"><a class="thumb" href="{esc(href)}"><img src="'
            f'{esc(self.image_url(a.listed_at, a.index, 0))}" alt="{esc(a.title)}"></a>'
            f'<h3><a href="{esc(href)}">{esc(a.title)}</a></h3><p class="sapo">{esc(a.lead)}</p></article>'
        )

    def render_home(self, match, query) -> Response:
        top = "\n".join(self.list_item(a, 1) for a in self.latest(30))
        blocks = "\n".join(
            f'<section class="home-cate"><h2><a href="/{s.slug}/">{esc(s.name)}</a></h2>'
            + "".join(self.list_item(a, 3) for a in self.by_section[s.slug][:4])
            + "</section>"
            for s in self.sections
        )
        head = render.Head(
            title="Kinh tế & Đô thị - Báo Kinh tế & Đô thị",
            canonical=self.home,
            site_name="Kinh tế & Đô thị",
            description="Báo Kinh tế & Đô thị - Cơ quan của Thành ủy Hà Nội",
        )
        return html_response(
            self.wrap(head, f'<section class="home-top">{top}</section>\n{blocks}{self.soft_404_box()}')
        )

    def render_listing(self, match, query) -> Response | None:
        slug = match.group("slug")
        value = parse_qs(query).get("page", ["1"])[0]
        page = int(value) if value.isdigit() else 0
        found = self.listing(slug, page)
        if found is None:
            return None
        items, pages = found
        base = f"/{slug}/"
        links = "".join(
            f'<a class="active" href="{base}?page={n}">{n}</a>'
            if n == page
            else f'<a href="{base if n == 1 else f"{base}?page={n}"}">{n}</a>'
            for n in render.page_window(page, pages)
        )
        section = self.section_of[slug]
        main = (
            f'<h1 class="cate-title">{esc(section.name)}</h1>\n<div class="list-news">'
            + "\n".join(self.list_item(a, 2) for a in items)
            + f'</div>\n<div class="paging">{links}</div>'
        )
        head = render.Head(
            title=f"{section.name} - Kinh tế & Đô thị",
            canonical=self.abs(base if page == 1 else f"{base}?page={page}"),
            site_name="Kinh tế & Đô thị",
        )
        return html_response(self.wrap(head, main))

    def months(self) -> dict[str, list[ReplicaArticle]]:
        out: dict[str, list[ReplicaArticle]] = {}
        for article in self.newest:
            out.setdefault(f"{article.listed_at:%Y-%m}", []).append(article)
        return out

    def render_sitemap_index(self, match, query) -> Response:
        entries = [
            (self.abs(f"/sitemap/{month}.xml"), articles[0].listed_at) for month, articles in self.months().items()
        ]
        return Response(200, render.sitemapindex(entries).encode("utf-8"), XML)

    def render_sitemap_month(self, match, query) -> Response | None:
        articles = self.months().get(match.group("month"))
        if articles is None:
            return None
        return Response(200, render.urlset((a.url, a.listed_at) for a in articles).encode("utf-8"), XML)

    def render_empty_feed(self, match, query) -> Response:
        # The one feed known to answer: 200, channel only, no items.
        xml = render.rss("Kinh tế & Đô thị", self.home, "Báo Kinh tế & Đô thị", [], self.abs(match.group(0)))
        return Response(200, xml.encode("utf-8"), RSS)

    def render_static(self, match, query) -> Response:
        title = STATIC_PAGES[match.group(0)]
        head = render.Head(
            title=f"{title} - Kinh tế & Đô thị", canonical=self.abs(match.group(0)), site_name="Kinh tế & Đô thị"
        )
        text = "Báo Kinh tế & Đô thị là cơ quan ngôn luận của Thành ủy Hà Nội, phát hành hằng ngày."
        return html_response(self.wrap(head, f'<div class="static-page"><h1>{esc(title)}</h1><p>{esc(text)}</p></div>'))

    def extra_routes(self):
        sections = "|".join(s.slug for s in self.sections)
        statics = "|".join(re.escape(p) for p in STATIC_PAGES)

        def search(match: re.Match, query: str) -> Response:
            return html_response(
                self.wrap(
                    render.Head(title="Tìm kiếm", canonical=self.abs("/tim-kiem"), site_name=self.display_name),
                    "<h1>Tìm kiếm</h1>",
                )
            )

        return [
            (re.compile(r"/"), self.render_home),
            (re.compile(rf"/(?P<slug>{sections})/"), self.render_listing),
            (re.compile(rf"/(?P<slug>{sections})"), lambda m, q: redirect(self.abs(f"/{m.group('slug')}/"))),
            (re.compile(statics), self.render_static),
            (re.compile(r"/sitemap\.xml"), self.render_sitemap_index),
            (re.compile(r"/sitemap/(?P<month>\d{4}-\d{2})\.xml"), self.render_sitemap_month),
            (re.compile(r"/rss/feed/4\.rss"), self.render_empty_feed),
            (re.compile(r"/tim-kiem"), search),
        ]

    def robots_txt(self) -> str:
        return render.robots_txt(["/tim-kiem", "/api/", "/tai-khoan/", "/admin/"], [self.abs("/sitemap.xml")])


SITE = Kinhtedothi
