"""The offline replica of the fictional fifth outlet (``tinmau.py``): a home page, three sections paged with
``?trang=N`` and ``rel=next``, an RSS feed of the newest articles, article pages with a related box inside the
story and "Tin mới" after it. Content comes from the replica's word bank like every outlet's."""

from __future__ import annotations

import re

from tinmau import TinMau

from crawler.replica import render
from crawler.replica.content import ReplicaArticle
from crawler.replica.render import FeedItem, esc
from crawler.replica.site import RSS, Response, Section, Site, html_response


class TinMauSite(Site):
    outlet = TinMau
    link_hosts = ("www.tinmau.vn",)
    sections = (
        Section("thoi-su", "Thời sự", "politics"),
        Section("kinh-te", "Kinh tế", "economy"),
        Section("the-gioi", "Thế giới", "world"),
    )
    per_page = 4
    dateline = "(TM) - "
    salt = 51
    listing_root = "/chuyen-muc/{slug}"
    next_page_selector = "a[rel=next]"
    published_datelines = ("(TM) -",)

    @classmethod
    def article_path(cls, section, title, k, published):
        from crawler.replica.content import slugify

        native = str(900_000 - k)
        return f"/{section.slug}/{slugify(title)}-tm{native}.html", native

    @classmethod
    def image_url(cls, published, k, i):
        return f"https://anh.tinmau.vn/{published:%Y/%m}/tm-{k}-{i + 1}.jpg"

    @classmethod
    def related_after(cls, rng):
        return 2

    def wrap(self, head: render.Head, main: str) -> str:
        menu = "".join(f'<a href="{self.listing_root.format(slug=s.slug)}">{esc(s.name)}</a>' for s in self.sections)
        return render.page(
            head,
            f"""<header class="masthead"><a href="/">Báo Tin Mẫu</a><nav>{menu}</nav></header>
<main>{main}</main>
<footer class="colophon"><p>Báo Tin Mẫu - Giấy phép số 1/GP-TM. Bản quyền thuộc Báo Tin Mẫu.</p></footer>""",
        )

    def teaser(self, a: ReplicaArticle, context: int) -> str:
        return f'<li><a href="{esc(self.href(a, context))}">{esc(a.title)}</a></li>'

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]

        def figure(i: int) -> str:
            url, caption = a.images[i]
            return (
                f'<figure><img src="{esc(url)}" alt="{esc(a.image_alts[i])}">'
                f"<figcaption>{esc(caption)}</figcaption></figure>"
            )

        time = (
            f'<time class="story-time" datetime="{esc(a.published)}">{a.published_dt:%d/%m/%Y %H:%M}</time>'
            if a.published
            else ""
        )
        author = f'<span class="story-author">{esc(a.byline)}</span>' if a.byline else ""
        tags = "".join(f'<li><a href="/tu-khoa/{esc(t)}">{esc(t)}</a></li>' for t in a.tags)
        latest = "".join(self.teaser(t, 5) for t in self.latest(6, exclude=a))
        listing = self.listing_root.format(slug=section.slug)
        main = f"""<nav class="trail"><a href="/">Trang chủ</a> › <a href="{listing}">{esc(section.name)}</a></nav>
<article class="story">
<h1 class="story-title">{esc(a.title)}</h1>
<div class="story-meta">{time} {author}</div>
<p class="story-lead">{esc(a.lead)}</p>
<div class="story-share"><a href="https://www.facebook.com/sharer/sharer.php?u={esc(a.url)}">Chia sẻ</a></div>
<div class="story-body">
{render.render_blocks(a, figure, related=lambda: self.related_box(a), link_href=listing)}
</div>
<ul class="story-tags">{tags}</ul>
</article>
<section class="more"><h2>Tin mới</h2><ul>{latest}</ul></section>"""
        return self.wrap(self.article_head(a), main)

    def related_box(self, a: ReplicaArticle) -> str:
        """The box of headlines inside the story, under the outlet's own heading (``TinMau.inline_headings``)."""
        items = "".join(self.teaser(t, 4) for t in self.related_targets(a, 3))
        return f'<div class="box-3"><h3>Cùng chủ đề</h3><ul>{items}</ul></div>'

    def render_home(self, match, query) -> Response:
        items = "".join(self.teaser(a, 1) for a in self.latest(20))
        head = render.Head(title="Báo Tin Mẫu", canonical=self.home, site_name=self.display_name)
        return html_response(self.wrap(head, f'<ul class="front">{items}</ul>'))

    def render_listing(self, match, query) -> Response | None:
        slug = match.group("slug")
        page = int(m.group(1)) if (m := re.fullmatch(r"trang=(\d+)", query or "")) else 1
        found = self.listing(slug, page)
        if found is None:
            return None
        items, pages = found
        root = self.listing_root.format(slug=slug)
        following = f'<a rel="next" href="{root}?trang={page + 1}">Trang sau</a>' if page < pages else ""
        head = render.Head(title=self.section_of[slug].name, canonical=self.abs(root), site_name=self.display_name)
        return html_response(
            self.wrap(
                head,
                f'<ul class="list">{"".join(self.teaser(a, 2) for a in items)}</ul>'
                f'<div class="pages">{following}</div>',
            )
        )

    def render_feed(self, match, query) -> Response:
        items = [
            FeedItem(a.title, a.url, a.lead, a.listed_at, self.section_of[a.section].name, None) for a in self.latest(5)
        ]
        xml = render.rss("Báo Tin Mẫu", self.home, "Tin mới nhất", items, self.abs("/feed/moi-nhat.xml"))
        return Response(200, xml.encode("utf-8"), RSS)

    def extra_routes(self):
        return [
            (re.compile(r"/"), self.render_home),
            (re.compile(r"/chuyen-muc/(?P<slug>[a-z-]+)"), self.render_listing),
            (re.compile(r"/feed/moi-nhat\.xml"), self.render_feed),
        ]

    def robots_txt(self) -> str:
        return render.robots_txt(["/tu-khoa/"])


SITE = TinMauSite
