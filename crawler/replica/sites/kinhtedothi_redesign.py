"""Kinhtedothi after a markup change (``layout="redesign"``): same site, URLs and texts, new templates.

What changes, and what each change tests in an extractor:

- ``div.ktdt-detail`` with ``div.ktdt-detail__body``: no ``div.article-detail``, no ``[itemprop=articleBody]``,
  no ``div.article-content``, no ``div.article-sapo`` (the outlet's selectors miss);
- the sapo is no longer a block of its own: it is the body's first paragraph, in bold ("Kinhtedothi - ..." /
  "KTĐT - ...");
- the byline is the body's last paragraph, right-aligned and bold ("Minh An - Thu Hà"), not ``.article-author``;
- the date line reads "Thứ Năm, 20/11/2026 - 17:30" in ``span.ktdt-detail__time``;
- images are caption tables (``table.image`` with ``td.image_desc``, the CKEditor habit) whose ``img`` has a
  blurred 50-pixel thumbnail in ``src`` and the real URL in ``data-src``;
- an upper-case "ĐỌC THÊM" box of headlines in the middle of the body;
- after the article: reactions, "Bình luận", "Tin cùng chuyên mục", "Tin nổi bật" and "Video nổi bật".

Kept: the three URL eras, the sitemap, listings and their paging, the meta tags.
"""

from __future__ import annotations

from urllib.parse import quote

from crawler.replica import render
from crawler.replica.content import ReplicaArticle
from crawler.replica.render import esc
from crawler.replica.sites.kinhtedothi import REACTIONS, STATIC_PAGES, Kinhtedothi


def thumbnail(url: str) -> str:
    """The 50-pixel rendition the theme shows until the real image loads (same path, other width)."""
    return url.replace("/w960/", "/w50/", 1)


class KinhtedothiRedesign(Kinhtedothi):
    noise_headings = ("ĐỌC THÊM", "Tin cùng chuyên mục", "Tin nổi bật", "Video nổi bật", "Bình luận")

    def wrap(self, head: render.Head, main: str) -> str:
        menu = "".join(f'<a href="/{s.slug}/">{esc(s.name)}</a>' for s in self.sections)
        links = "".join(f'<li><a href="{path}">{esc(name)}</a></li>' for path, name in STATIC_PAGES.items())
        body = f"""<header class="ktdt-header">
<div class="ktdt-header__bar"><a class="ktdt-header__logo" href="https://kinhtedothi.vn/"><img src="https://static.kinhtedothi.vn/images/logo-2025.svg" alt="Kinh tế &amp; Đô thị"></a>
<a class="ktdt-header__login" href="/tai-khoan/dang-nhap" rel="nofollow">Đăng nhập</a></div>
<nav class="ktdt-nav"><a href="/">Trang chủ</a>{menu}</nav>
</header>
{render.ad_slot("masthead")}
<div class="ktdt-page">
{main}
</div>
<footer class="ktdt-footer">
<p>Báo Kinh tế &amp; Đô thị - Cơ quan của Thành ủy Hà Nội.</p>
<p>Giấy phép số 132/GP-BTTTT. Tòa soạn: 38 Hoàng Diệu, Ba Đình, Hà Nội.</p>
<ul class="ktdt-footer__links">{links}</ul>
</footer>"""
        return render.page(head, body, "kinhtedothi ktdt-2025")

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]
        published = a.published_dt

        def image_table(i: int) -> str:
            url, caption = a.images[i]
            caption_row = f'<tr><td class="image_desc">{esc(caption)}</td></tr>' if caption else ""
            img = render.lazy_img(url, a.image_alts[i], "data-src", thumbnail(url))
            return f'<table class="image" align="center"><tbody><tr><td>{img}</td></tr>{caption_row}</tbody></table>'

        def read_more() -> str:
            targets = self.related_targets(a, 3)
            return render.teaser_list(
                "ĐỌC THÊM", [(self.href(t, 12), t.title) for t in targets], "box-docthem", heading_tag="p"
            )

        crumb = (
            (
                f'<div class="ktdt-crumb"><a href="/">Trang chủ</a> / <a href="/{section.slug}/">{esc(a.category)}</a>'
                "</div>"
            )
            if a.category
            else ""
        )
        date = (
            f'<span class="ktdt-detail__time">{esc(render.weekday(published))}, {published:%d/%m/%Y - %H:%M}</span>'
            if published
            else ""
        )
        byline = f'<p style="text-align: right;"><strong>{esc(a.byline)}</strong></p>' if a.byline else ""
        tags = "".join(f'<a href="/tim-kiem?keywords={quote(t)}">{esc(t)}</a>' for t in a.tags)
        reactions = "".join(f'<button type="button">{esc(r)}</button>' for r in REACTIONS)
        same_section = "\n".join(self.list_item(t, 13) for t in self.older(a, 4))
        highlights = [(self.href(t, 14), t.title) for t in self.latest(5, exclude=a, skip=3)]
        videos = [(self.href(t, 15), t.title) for t in self.latest(3, exclude=a, skip=8)]
        main = f"""{crumb}
<div class="ktdt-detail">
<h1 class="ktdt-detail__title">{esc(a.title)}</h1>
<div class="ktdt-detail__meta">{date}{render.share_bar(a.url, a.title, "", "ktdt-share")}</div>
<div class="ktdt-detail__body">
<p><strong>{esc(a.lead)}</strong></p>
{render.render_blocks(a, image_table, read_more, link_href=f"/{section.slug}/", blocks=render.related_in_middle(a.blocks))}
{byline}
</div>
<div class="ktdt-detail__keywords">Từ khóa: {tags}</div>
</div>
{render.ad_slot("article-bottom")}
<div class="ktdt-reactions"><p>Cảm nhận của bạn về bài viết này?</p>{reactions}</div>
{render.comment_box("Bình luận", "ktdt-comments")}
<section class="ktdt-box"><h3 class="ktdt-box__title">Tin cùng chuyên mục</h3>
{same_section}
</section>
{render.teaser_list("Tin nổi bật", highlights, "ktdt-box ktdt-box--hot")}
{render.teaser_list("Video nổi bật", videos, "ktdt-box ktdt-box--video")}"""
        return self.wrap(self.article_head(a), main)


SITE = KinhtedothiRedesign
