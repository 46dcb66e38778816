"""ANTV replica (antv.gov.vn): header bar with the render date, "Sự kiện" breadcrumb, ``div.detail-article``
holding the sapo and the body, "Tin mới nhất" box; listings ``/<cat>-<id>.html?page=N``; no RSS, no sitemap.

Traps the real site sets and the replica keeps: the header date is the render time, not the publication date;
radio sections (``/radio/<slug>-<9 hex>.html``) and event pages (``/su-kien/...``) look like articles; links use
``www.`` and ``beta.`` hosts; some article URLs use the older numeric id or the legacy ``/tin-tuc/`` path.
"""

from __future__ import annotations

import re
import zlib
from datetime import datetime
from typing import ClassVar
from urllib.parse import parse_qs, quote

from crawler import outlets
from crawler.replica import render
from crawler.replica.content import RENDER_TIME, HardCase, NonArticle, ReplicaArticle, slugify
from crawler.replica.render import esc
from crawler.replica.site import Response, Section, Site, html_response

HOTLINE = "0692324026"
EMAIL = "news@antv.gov.vn"
SLOGAN = "Nhân Văn - Tin Cậy - Kịp Thời - Hấp dẫn"

RADIO = (
    ("Chính trị - Xã hội", "chinh-tri-xa-hoi-E3223AB43"),
    ("Vì nhân dân phục vụ", "vi-nhan-dan-phuc-vu-0856C72A9"),
    ("Thực thi quyền 24h", "thuc-thi-quyen-24h-9E73270CE"),
    ("Phía sau bản án", "phia-sau-ban-an-6987DAA9F"),
    ("Tiêu điểm ANTT", "tieu-diem-antt-50895C5AC"),
    ("Văn hóa - Thể thao", "van-hoa-the-thao-F42DB6F14"),
    ("Câu chuyện cảnh giác", "cau-chuyen-canh-giac-079E4AFA9"),
    ("Bạn hỏi luật sư trả lời", "ban-hoi-luat-su-tra-loi-C5670893E"),
)
EVENTS = (("Thảm họa hàng không", "tham-hoa-hang-khong-62"), ("Đại hội XIV của Đảng", "dai-hoi-xiv-cua-dang-71"))


def antv_datetime(moment: datetime) -> str:
    """ "Thứ Tư, 14/01/2026 03:19 GMT+7": the header's render date and the article date share this form."""
    return f"{render.weekday(moment)}, {moment:%d/%m/%Y %H:%M} GMT+7"


class Antv(Site):
    outlet = outlets.get("antv")
    link_hosts = ("www.antv.gov.vn", "beta.antv.gov.vn")
    sections = (
        Section("chinh-tri-2", "Chính trị", "politics"),
        Section("phap-luat-3", "Pháp luật", "law"),
        Section("xa-hoi-4", "Xã hội", "society"),
        Section("kinh-te-5", "Kinh tế", "economy"),
        Section("the-gioi-7", "Thế giới", "world"),
        Section("ban-doc-10", "Bạn đọc", "reader"),
    )
    per_page = 12
    listing_root = "/{slug}.html"
    next_page_selector = ".pagination a.next"
    published_datelines = ("(ANTV) -",)
    dateline = "(ANTV) - "
    salt = 11
    minutes_between = 300
    hard_cases: ClassVar[dict[int, HardCase]] = {
        2: HardCase("short", byline=("PV", "PV")),
        6: HardCase("photo", byline=("BT", "BT")),
        10: HardCase("video"),
        15: HardCase("bulletin", byline=("BT", "BT")),  # the-gioi bulletins chain short stories (antv.md)
        21: HardCase("short", paragraphs=2),
        27: HardCase("bulletin"),
    }
    soft_404_links = (
        (
            "/phap-luat-3/bat-qua-tang-nhom-doi-tuong-lua-dao-qua-mang-xa-hoi-3F0A1C7D2.html",
            "Bắt quả tang nhóm đối tượng lừa đảo qua mạng xã hội",
        ),
        (
            "/xa-hoi-4/canh-bao-tinh-trang-mao-danh-co-quan-chuc-nang-goi-dien-thoai-8B21E40C6.html",
            "Cảnh báo tình trạng mạo danh cơ quan chức năng gọi điện thoại",
        ),
    )

    # --- content hooks ------------------------------------------------------------------------------------------

    @classmethod
    def article_path(cls, section, title, k, published):
        slug = slugify(title, keep_edges=True)
        if k % 29 == 13:  # legacy path, still linked
            numeric = str(480_001 - 2 * k)
            return f"/tin-tuc/{section.slug.rsplit('-', 1)[0]}/{slug}-{numeric}.html", numeric
        if k % 17 == 5:  # older numeric id under the current path
            numeric = str(480_001 - 2 * k)
            return f"/{section.slug}/{slug}-{numeric}.html", numeric
        # 9 upper-case hex digits: an odd multiplier modulo 16**9 is a bijection, so ids never repeat.
        hex_id = f"{(k * 0x9E3779B1 + 0x4F1BBCDCB) % 16**9:09X}"
        return f"/{section.slug}/{slug}-{hex_id}.html", hex_id

    @classmethod
    def image_url(cls, published, k, i):
        return f"https://media.antv.gov.vn/upload/image/{published:%Y/%m/%d}/antv-{k}-{i + 1}.jpg"

    @classmethod
    def non_articles(cls, articles):
        return [
            *super().non_articles(articles),
            *(NonArticle(cls.name, f"{cls.home}radio/{slug}.html", "radio", name) for name, slug in RADIO),
            *(NonArticle(cls.name, f"{cls.home}su-kien/{slug}.html", "event", name) for name, slug in EVENTS),
            NonArticle(cls.name, f"{cls.home}truyen-hinh-truc-tuyen.html", "live_tv", "Truyền hình trực tuyến"),
        ]

    @classmethod
    def byline(cls, author, rng):
        # ANTV prints initials between the title and the sapo.
        if author is None:
            return None, None
        initials = rng.choice(("BT", "HN", "TL", "MQ", "NH", "ĐT", "VA", "PV"))
        return initials, initials

    # --- chrome -------------------------------------------------------------------------------------------------

    def header(self, render_date: str) -> str:
        menu = "\n".join(f'<li><a href="/{s.slug}.html">{esc(s.name)}</a></li>' for s in self.sections)
        return f"""<div class="top-bar"><div class="container">
<span class="date-now">{esc(render_date)}</span>
<ul class="top-links"><li><a href="/">ANTV</a></li><li>Hotline: {HOTLINE}</li><li>Email: <a href="mailto:{EMAIL}">{EMAIL}</a></li></ul>
</div></div>
<header class="header"><div class="container">
<a class="logo" href="https://antv.gov.vn/" title="Truyền hình Công an nhân dân"></a>
<p class="slogan">{esc(SLOGAN)}</p>
<form class="search-box" action="/tim-kiem" method="get"><input type="text" name="q" placeholder="Tìm kiếm..."></form>
</div>
<nav class="main-menu"><ul><li class="home"><a href="/"><i class="icon-home"></i></a></li>{menu}
<li><a href="/truyen-hinh-truc-tuyen.html">Truyền hình trực tuyến</a></li><li><a href="/radio/{RADIO[0][1]}.html">Radio</a></li></ul></nav>
</header>
{render.ad_slot("top-banner")}"""

    def footer(self) -> str:
        return f"""<footer class="footer"><div class="container">
<p>Cơ quan chủ quản: Bộ Công an. Truyền hình Công an nhân dân (ANTV).</p>
<p>Giấy phép hoạt động truyền hình số 75/GP-BTTTT. Chịu trách nhiệm nội dung: Giám đốc Trung tâm Truyền hình CAND.</p>
<p>Địa chỉ: 47 Phạm Văn Đồng, Cầu Giấy, Hà Nội. Hotline: {HOTLINE} - Email: {EMAIL}</p>
<p>Theo dõi ANTV trên <a href="https://www.facebook.com/antv.gov.vn" rel="nofollow">Facebook</a>, <a href="https://www.youtube.com/@antvchannel" rel="nofollow">YouTube</a></p>
<p class="copyright">© Bản quyền thuộc về ANTV. Ghi rõ nguồn "ANTV" khi phát hành lại thông tin từ website này.</p>
</div></footer>"""

    def wrap(self, head: render.Head, main: str, render_date: str | None = None) -> str:
        body = (
            f'{self.header(render_date or antv_datetime(RENDER_TIME))}\n<main class="container">\n{main}\n'
            f"</main>\n{self.footer()}"
        )
        return render.page(head, body, "antv")

    def horizontal(self, href: str, title: str, lead: str, category: str, date: str, image: str) -> str:
        """One ``article.article-horizontal`` item: the form of listings and of the "Tin mới nhất" box."""
        return f"""<article class="article-horizontal">
<h2><a class="title-link" href="{esc(href)}" title="{esc(title)}">{esc(title)}</a></h2>
<a class="thumb" href="{esc(href)}"><img src="{esc(image)}" alt="{esc(title)}"></a>
<div class="meta"><span class="cate">{esc(category)}</span> <span class="time-published">{esc(date)}</span></div>
<p class="sapo">{esc(lead)}</p>
</article>"""

    def item(self, article: ReplicaArticle, context: int) -> str:
        return self.horizontal(
            self.href(article, context),
            article.title,
            article.lead,
            self.section_of[article.section].name,
            f"{article.listed_at:%d/%m/%Y}",
            self.image_url(article.listed_at, article.index, 0),
        )

    def latest_box(self, article: ReplicaArticle) -> str:
        if article.noise:  # the seed page's own box, linked to replica articles
            targets = self.latest(len(article.noise["latest"]), exclude=article)
            items = [
                self.horizontal(
                    self.href(t, 7),
                    x["title"],
                    x["lead"],
                    x["category"],
                    x["date"],
                    self.image_url(t.listed_at, t.index, 0),
                )
                for x, t in zip(article.noise["latest"], targets)
            ]
        else:
            items = [self.item(other, 7) for other in self.latest(5, exclude=article)]
        return (
            '<div class="box-latest"><h2 class="box-title">Tin mới nhất</h2>\n'
            + "\n".join(items)
            + '\n<div class="view-more"><span>Xem thêm</span></div></div>'
        )

    # --- pages --------------------------------------------------------------------------------------------------

    def article_head(self, a: ReplicaArticle) -> render.Head:
        """<head> of an article page: title, description, Open Graph and article meta (kept by the redesign)."""
        image = a.images[0][0] if a.images else self.image_url(a.listed_at, a.index, 0)
        return render.Head(
            title=f"{a.title} - ANTV",
            canonical=a.url,
            description=a.lead,
            site_name="ANTV",
            og_type="article",
            image=image,
            published=a.published,
            section=a.category,
            keywords=a.tags,
        )

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]
        published = a.published_dt
        head = self.article_head(a)

        def figure(i: int) -> str:
            url, caption = a.images[i]
            return (
                f'<figure class="image"><img src="{esc(url)}" alt="{esc(a.image_alts[i])}">'
                f"<figcaption>{esc(caption)}</figcaption></figure>"
            )

        byline = f'<div class="author-detail">{esc(a.byline)}</div>' if a.byline else ""
        date = f'<span class="time-detail">{esc(antv_datetime(published))}</span>' if published else ""
        promo = (
            ""
            if a.is_seed
            else (
                '<p class="promo-vtvgo"><em>Mời quý vị đón xem các chương trình của ANTV trên ứng dụng VTVGo, '
                "TV Online và kênh truyền hình trực tuyến tại antv.gov.vn</em></p>"
            )
        )
        tags = "".join(f'<a href="/tim-kiem?q={quote(t)}">{esc(t)}</a>' for t in a.tags)
        tags = f'<div class="tags-detail"><span>Từ khóa:</span> {tags}</div>' if tags else ""
        main = f"""<ul class="breadcrumb"><li><a href="/su-kien.html">Sự kiện</a></li><li><a href="/{section.slug}.html">{esc(a.category or section.name)}</a></li></ul>
<div class="detail-page">
<h1 class="title-detail">{esc(a.title)}</h1>
{byline}{date}
<div class="detail-article">
<p class="sapo">{esc(a.lead)}</p>
{render.render_blocks(a, figure, link_href=f"/{section.slug}.html")}
{promo}
</div>
{tags}
{render.share_bar(a.url, a.title)}
</div>
{render.ad_slot("detail-bottom")}
{self.latest_box(a)}"""
        render_date = a.noise["render_date"] if a.noise else None
        return self.wrap(head, main, render_date)

    def render_home(self, match, query) -> Response:
        top = self.latest(24)
        blocks = []
        for s in self.sections:
            items = "\n".join(self.item(x, 3) for x in self.by_section[s.slug][:4])
            blocks.append(
                f'<section class="home-cate"><h2><a href="/{s.slug}.html">{esc(s.name)}</a></h2>\n{items}</section>'
            )
        radio = "".join(f'<li><a href="/radio/{slug}.html">{esc(name)}</a></li>' for name, slug in RADIO)
        events = "".join(f'<li><a href="/su-kien/{slug}.html">{esc(name)}</a></li>' for name, slug in EVENTS)
        main = (
            f'<section class="home-top">{"".join(self.item(x, 1) for x in top)}</section>\n'
            f'<section class="home-events"><h2>Sự kiện</h2><ul>{events}</ul></section>\n'
            f'<section class="home-radio"><h2>Radio ANTV</h2><ul>{radio}</ul></section>\n'
            + "\n".join(blocks)
            + self.soft_404_box()
        )
        head = render.Head(
            title="ANTV - Truyền hình Công an Nhân dân",
            canonical=self.home,
            description="Kênh thông tin chính thống của Bộ Công an",
            site_name="ANTV",
        )
        return html_response(self.wrap(head, main))

    def render_listing(self, match, query) -> Response | None:
        slug = match.group("slug")
        if slug not in self.section_of:
            return None
        page_value = parse_qs(query).get("page", ["1"])[0]
        page = int(page_value) if page_value.isdigit() else 0
        found = self.listing(slug, page)
        if found is None:
            return None
        items, pages = found
        section = self.section_of[slug]
        base = f"/{slug}.html"
        numbers = "".join(
            f'<a class="active" href="{base}?page={n}">{n}</a>' if n == page else f'<a href="{base}?page={n}">{n}</a>'
            for n in render.page_window(page, pages)
        )
        nxt = f'<a class="next" href="{base}?page={page + 1}">Sau »</a>' if page < pages else ""
        canonical = self.abs(base if page == 1 else f"{base}?page={page}")
        main = (
            f'<ul class="breadcrumb"><li><a href="/su-kien.html">Sự kiện</a></li><li><a href="{base}">'
            f'{esc(section.name)}</a></li></ul>\n<div class="list-news">\n'
            + "\n".join(self.item(x, 2) for x in items)
            + f'\n</div>\n<div class="pagination">{numbers}{nxt}</div>'
        )
        head = render.Head(
            title=f"{section.name} - ANTV",
            canonical=canonical,
            site_name="ANTV",
            description=f"Tin tức {section.name} mới nhất",
        )
        return html_response(self.wrap(head, main))

    def render_radio(self, match, query) -> Response | None:
        slug = match.group("slug")
        name = next((n for n, s in RADIO if s == slug), None)
        if name is None:
            return None
        # Built like an article page (title, sapo container) on purpose: the URL looks like one too.
        episodes = "\n".join(self.item(x, 9) for x in self.latest(6, skip=zlib.crc32(slug.encode()) % 10))
        main = f"""<div class="detail-page radio-page">
<h1 class="title-detail">{esc(name)}</h1>
<div class="detail-article"><p class="sapo">(ANTV) - Chuyên mục {esc(name)} phát sóng hằng ngày trên Radio ANTV.</p>
<div class="audio-player" data-src="https://media.antv.gov.vn/radio/{esc(slug)}.mp3"></div></div>
</div>
<div class="radio-episodes">{episodes}<div class="view-more"><span>Xem thêm</span></div></div>"""
        head = render.Head(title=f"{name} - Radio ANTV", canonical=self.abs(f"/radio/{slug}.html"), site_name="ANTV")
        return html_response(self.wrap(head, main))

    def render_event(self, match, query) -> Response | None:
        slug = match.group("slug")
        name = next((n for n, s in EVENTS if s == slug), None)
        if name is None:
            return None
        items = "\n".join(self.item(x, 4) for x in self.latest(8, skip=3))
        main = f'<h1 class="event-title">{esc(name)}</h1>\n<div class="list-news">{items}</div>'
        head = render.Head(title=f"{name} - ANTV", canonical=self.abs(f"/su-kien/{slug}.html"), site_name="ANTV")
        return html_response(self.wrap(head, main))

    def render_simple(self, title: str, text: str, path: str) -> Response:
        head = render.Head(title=f"{title} - ANTV", canonical=self.abs(path), site_name="ANTV")
        return html_response(self.wrap(head, f"<h1>{esc(title)}</h1><p>{esc(text)}</p>"))

    def extra_routes(self):
        events = "".join(f'<li><a href="/su-kien/{slug}.html">{esc(name)}</a></li>' for name, slug in EVENTS)
        return [
            (re.compile(r"/"), self.render_home),
            (re.compile(r"/(?P<slug>[a-z-]+-\d+)\.html"), self.render_listing),
            (re.compile(r"/radio/(?P<slug>[A-Za-z0-9-]+)\.html"), self.render_radio),
            (re.compile(r"/su-kien/(?P<slug>[a-z0-9-]+)\.html"), self.render_event),
            (
                re.compile(r"/su-kien\.html"),
                lambda m, q: html_response(
                    self.wrap(
                        render.Head(title="Sự kiện - ANTV", canonical=self.abs("/su-kien.html"), site_name="ANTV"),
                        f"<h1>Sự kiện</h1><ul>{events}</ul>",
                    )
                ),
            ),
            (
                re.compile(r"/truyen-hinh-truc-tuyen\.html"),
                lambda m, q: self.render_simple("Truyền hình trực tuyến", "Xem kênh ANTV trực tuyến.", m.group(0)),
            ),
            (re.compile(r"/tim-kiem"), lambda m, q: self.render_simple("Tìm kiếm", "Kết quả tìm kiếm", m.group(0))),
        ]

    def robots_txt(self) -> str:
        return render.robots_txt(["/tim-kiem", "/admin/", "/api/"])


SITE = Antv
