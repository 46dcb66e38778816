"""CLO replica (congluan.vn): ``h1.article__title``, date line "Thứ ba, 03/12/2024 11:19 AM - 0 Trả lời",
``div.article__sapo`` "(CLO) ...", ``div.article__body`` ending with the byline paragraph, "Tin mới" / "Bình Luận" /
"Tin khác" after the article; flat ``/<cat>.html`` listings paged ``/<cat>/p<N>.html`` in ``.phantrang``; RSS under
``/rss/``. No sitemap (none is known for the real site): ``/sitemap.xml`` is a 404 and robots.txt names none.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar
from urllib.parse import quote

from crawler import outlets
from crawler.replica import render
from crawler.replica.content import RENDER_TIME, HardCase, ReplicaArticle, slugify, unaccent
from crawler.replica.render import FeedItem, esc
from crawler.replica.site import RSS, Response, Section, Site, html_response

KICKERS = ("Điểm nóng", "Nhìn ra thế giới", "Chuyện hôm nay", "Góc nhìn", "Sự kiện & Bình luận", "Tiêu điểm")


def clo_datetime(moment: datetime) -> str:
    """ "Thứ ba, 03/12/2024 11:19 AM": lower-case weekday, 12-hour clock."""
    return f"{render.weekday(moment, lower=True)}, {moment:%d/%m/%Y %I:%M %p}"


class Clo(Site):
    outlet = outlets.get("clo")
    link_hosts = ("www.congluan.vn",)
    sections = (
        Section("thoi-su", "Thời sự", "politics"),
        Section("the-gioi", "Thế giới", "world"),
        Section("kinh-te", "Kinh tế", "economy"),
        Section("doi-song", "Đời sống", "society"),
        # Not "Vụ án": that string is a label of the seed page's noise boxes, which must never reach an article field.
        Section("vu-an", "An ninh - Trật tự", "law"),
    )
    per_page = 16
    listing_root = "/{slug}.html"
    next_page_selector = ".phantrang ul > li.active + li > a"
    published_datelines = ("(CLO)", "(NB&CL)")
    dateline = "(CLO) "
    salt = 23
    minutes_between = 200
    hard_cases: ClassVar[dict[int, HardCase]] = {
        3: HardCase("short", dateline="(NB&CL) "),  # a piece from the print magazine Nhà báo & Công luận
        7: HardCase("photo", byline=("Hồng Hạnh", "Hồng Hạnh (theo Reuters, CNN)")),
        12: HardCase("video"),
        17: HardCase("bulletin"),
        24: HardCase("short", paragraphs=2, dateline="(NB&CL) ", byline=("Hồng Hạnh", "Hồng Hạnh (theo Reuters, CNN)")),
        30: HardCase("photo"),
    }
    soft_404_links = (
        (
            "/nhieu-dia-phuong-chu-dong-ung-pho-voi-mua-lu-cuoi-nam-post389998.html",
            "Nhiều địa phương chủ động ứng phó với mưa lũ cuối năm",
        ),
        (
            "/gia-vang-hom-nay-bien-dong-manh-truoc-phien-giao-dich-cuoi-tuan-10399998.html",
            "Giá vàng hôm nay biến động mạnh trước phiên giao dịch cuối tuần",
        ),
    )

    # --- content hooks ------------------------------------------------------------------------------------------

    @classmethod
    def article_path(cls, section, title, k, published):
        slug = slugify(title)
        # Synthetic ids are odd, seed ids even: the two never collide.
        if k % 7 == 3:  # the 8-digit form without "post", also live
            numeric = str(10_400_001 - 2 * k)
            return f"/{slug}-{numeric}.html", numeric
        native = f"post{389_999 - 2 * k}"
        return f"/{slug}-{native}.html", native

    @classmethod
    def image_url(cls, published, k, i):
        return f"https://congluan-cdn.congluan.vn/files/content/{published:%Y/%m/%d}/clo-{k}-{i + 1}-{published:%H%M%S}.jpg"

    @classmethod
    def image_alt(cls, title, i):
        # CLO's CMS writes the unaccented title plus "hinh N" as alt text.
        return f"{' '.join(re.sub(r'[^a-z0-9 ]', ' ', unaccent(title).lower()).split())} hinh {i + 1}"

    @classmethod
    def byline(cls, author, rng):
        if author is None:
            return None, None
        if rng.random() < 0.4:
            sources = rng.sample(("Reuters", "AFP", "CNN", "AP", "Guardian", "TTXVN"), rng.randint(1, 2))
            return author, f"{author} (theo {', '.join(sources)})"
        return author, author

    @classmethod
    def kicker(cls, rng, fill):
        return rng.choice(KICKERS) if rng.random() < 0.25 else None

    # --- chrome -------------------------------------------------------------------------------------------------

    def wrap(self, head: render.Head, main: str) -> str:
        menu = "\n".join(
            f'<li class="menu__item"><a href="/{s.slug}.html">{esc(s.name)}</a></li>' for s in self.sections
        )
        body = f"""<header class="header">
<div class="header__top"><span class="header__date">{render.weekday(RENDER_TIME, lower=True)}, {RENDER_TIME:%d/%m/%Y}</span>
<a class="header__search" href="/tim-kiem?q=">Tìm kiếm</a></div>
<a class="header__logo" href="https://congluan.vn/" title="Báo Công luận"><img src="https://congluan.vn/assets/logo.svg" alt=""></a>
<nav class="menu"><ul><li class="menu__item"><a href="/">Trang chủ</a></li>{menu}</ul></nav>
</header>
{render.ad_slot("header")}
<main class="main">
{main}
</main>
<footer class="footer">
<p>Báo điện tử Nhà báo &amp; Công luận - Cơ quan Trung ương của Hội Nhà báo Việt Nam.</p>
<p>Giấy phép hoạt động báo chí điện tử số 84/GP-BTTTT. Tòa soạn: 59 Lý Thái Tổ, Hoàn Kiếm, Hà Nội.</p>
<p>Theo dõi chúng tôi trên <a href="https://www.facebook.com/congluanonline" rel="nofollow">Facebook</a> | <a href="/rss/home.rss">RSS</a></p>
<p>Nhận bản tin mỗi sáng: <a href="/dang-ky-nhan-tin" rel="nofollow">Đăng ký</a></p>
</footer>"""
        return render.page(head, body, "clo")

    def story(self, href: str, title: str, lead: str, category: str, image: str) -> str:
        """A list item as in "Tin mới" / "Tin khác": heading, thumbnail (alt = title), summary, section label."""
        return f"""<div class="story">
<h3 class="story__heading"><a href="{esc(href)}" title="{esc(title)}">{esc(title)}</a></h3>
<a class="story__thumb" href="{esc(href)}"><img src="{esc(image)}" alt="{esc(title)}"></a>
<p class="story__summary">{esc(lead)}</p>
<a class="story__cate" href="{esc(href)}">{esc(category)}</a></div>"""

    def stories(self, items: list[dict], targets: list[ReplicaArticle], context: int) -> str:
        return "\n".join(
            self.story(
                self.href(t, context), x["title"], x["lead"], x["category"], self.image_url(t.listed_at, t.index, 0)
            )
            for x, t in zip(items, targets)
        )

    def as_items(self, articles: list[ReplicaArticle]) -> list[dict]:
        return [{"title": a.title, "lead": a.lead, "category": self.section_of[a.section].name} for a in articles]

    # --- pages --------------------------------------------------------------------------------------------------

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]
        published = a.published_dt
        head = self.article_head(a)

        def figure(i: int) -> str:
            url, caption = a.images[i]
            return (
                f'<figure class="picture"><img src="{esc(url)}" alt="{esc(a.image_alts[i])}">'
                f'<figcaption class="picture__caption">{esc(caption)}</figcaption></figure>'
            )

        crumb = (
            (
                f'<ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/{section.slug}.html">'
                f"{esc(a.category)}</a></li></ul>"
            )
            if a.category
            else ""
        )
        kicker = f'<p class="article__kicker">{esc(a.kicker)}</p>' if a.kicker else ""
        meta = (
            (
                f'<div class="article__meta"><time datetime="{esc(a.published)}">{esc(clo_datetime(published))}</time>'
                ' - <a class="article__comment" href="#comments">0 Trả lời</a></div>'
            )
            if published
            else ""
        )
        byline = f'<p class="article__author">{esc(a.byline)}</p>' if a.byline else ""
        tags = "".join(f'<a href="/tim-kiem?q={quote(t)}">{esc(t)}</a>' for t in a.tags)
        tags = f'<div class="article__tag">Từ khóa: {tags}</div>' if tags else ""
        if a.noise:
            latest = self.stories(a.noise["latest"], self.latest(len(a.noise["latest"]), exclude=a), 5)
            other = self.stories(a.noise["other"], self.latest(len(a.noise["other"]), exclude=a, skip=4), 6)
        else:
            latest = self.stories(self.as_items(self.latest(8, exclude=a)), self.latest(8, exclude=a), 5)
            older = self.older(a, 6)
            other = self.stories(self.as_items(older), older, 6)
        main = f"""{crumb}
<div class="article">
{kicker}<h1 class="article__title">{esc(a.title)}</h1>
{meta}
<div class="article__sapo">{esc(a.lead)}</div>
{render.share_bar(a.url, a.title)}
<div class="article__body">
{render.render_blocks(a, figure, link_href=f"/{section.slug}.html")}
{byline}
</div>
{tags}
</div>
{render.ad_slot("article-bottom")}
<section class="box-news"><h2 class="box-heading">Tin mới</h2>
{latest}
</section>
<section class="comments" id="comments"><h2 class="box-heading">Bình Luận</h2>
<form class="comment-form"><textarea placeholder=""></textarea><button type="submit" aria-label="Gửi"></button></form>
</section>
<section class="box-news box-other"><h2 class="box-heading">Tin khác</h2>
{other}
</section>"""
        return self.wrap(head, main)

    def list_item(self, a: ReplicaArticle, context: int) -> str:
        return self.story(
            self.href(a, context),
            a.title,
            a.lead,
            self.section_of[a.section].name,
            self.image_url(a.listed_at, a.index, 0),
        )

    def render_home(self, match, query) -> Response:
        top = "\n".join(self.list_item(a, 1) for a in self.latest(30))
        blocks = "\n".join(
            f'<section class="home-cate"><h2><a href="/{s.slug}.html">{esc(s.name)}</a></h2>'
            + "".join(self.list_item(a, 3) for a in self.by_section[s.slug][:4])
            + "</section>"
            for s in self.sections
        )
        head = render.Head(
            title="Báo Công luận - Tin tức mới nhất",
            canonical=self.home,
            site_name="Báo Công luận",
            description="Báo điện tử Nhà báo & Công luận",
        )
        return html_response(
            self.wrap(head, f'<section class="home-top">{top}</section>\n{blocks}{self.soft_404_box()}')
        )

    def page_href(self, slug: str, page: int) -> str:
        return f"/{slug}.html" if page == 1 else f"/{slug}/p{page}.html"

    def render_listing(self, match, query) -> Response | None:
        slug, page = match.group("slug"), int(match.group("page") or 1)
        found = self.listing(slug, page)
        if found is None or (match.group("page") == "1"):
            return None
        items, pages = found
        section = self.section_of[slug]
        lis, previous = [], 0
        for n in render.page_window(page, pages):
            if n > previous + 1:
                lis.append('<li class="list-inline-item disabled"><span>...</span></li>')
            active = " active" if n == page else ""
            lis.append(f'<li class="list-inline-item{active}"><a href="{self.page_href(slug, n)}">{n}</a></li>')
            previous = n
        main = (
            f'<h1 class="cate-title"><a href="/{slug}.html">{esc(section.name)}</a></h1>\n<div class="list-story">'
            + "\n".join(self.list_item(a, 2) for a in items)
            + f'</div>\n<div class="phantrang"><ul class="list-inline">{"".join(lis)}</ul></div>'
        )
        head = render.Head(
            title=f"{section.name} - Báo Công luận",
            canonical=self.abs(self.page_href(slug, page)),
            site_name="Báo Công luận",
        )
        return html_response(self.wrap(head, main))

    def render_feed(self, match, query) -> Response | None:
        name = match.group("name")
        if name == "home":
            articles, title = self.latest(50), "Báo Công luận - Tin mới"
        elif name in self.by_section:
            articles, title = self.by_section[name][:50], f"Báo Công luận - {self.section_of[name].name}"
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
        xml = render.rss(title, self.home, "Báo điện tử Nhà báo & Công luận", items, self.abs(f"/rss/{name}.rss"))
        return Response(200, xml.encode("utf-8"), RSS)

    def extra_routes(self):
        def search(match: re.Match, query: str) -> Response:
            return html_response(
                self.wrap(
                    render.Head(
                        title="Tìm kiếm - Báo Công luận", canonical=self.abs("/tim-kiem"), site_name="Báo Công luận"
                    ),
                    "<h1>Tìm kiếm</h1>",
                )
            )

        return [
            (re.compile(r"/"), self.render_home),
            (re.compile(r"/(?P<slug>[a-z-]+)(?:/p(?P<page>\d+))?\.html"), self.render_listing),
            (re.compile(r"/rss/(?P<name>[a-z-]+)\.rss"), self.render_feed),
            (re.compile(r"/tim-kiem"), search),
        ]

    def robots_txt(self) -> str:
        return render.robots_txt(["/tim-kiem", "/admin/", "/dang-ky-nhan-tin"])


SITE = Clo
