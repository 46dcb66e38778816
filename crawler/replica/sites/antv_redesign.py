"""ANTV after a markup change (``layout="redesign"``): same site, URLs and texts, new templates.

What changes, and what each change tests in an extractor:

- a two-column ``div.layout-2col`` with ``article.post``: no ``div.detail-page`` / ``div.detail-article`` any more
  (the outlet's container selectors miss, so the generic path has to find the text);
- the lead is an ``h2.post__summary`` placed *after* the first image or video, not the first thing of the body;
- images are lazy: a placeholder GIF in ``src``, the real URL in ``data-src``; the caption is a ``<p>`` next to
  the image, not a ``figcaption``;
- a "Đọc thêm" list of three headlines in the middle of the running text;
- after the article: "Tin cùng chuyên mục" (items whose summaries also start "(ANTV) - "), a Facebook comment
  widget, and a sidebar with "Xem nhiều" and "Video nổi bật".

Kept, as a real redesign keeps them: the header's render date, the "(ANTV) - " dateline, initials bylines, the
VTVGo promo line inside the body, the meta tags, listings and their pagination.
"""

from __future__ import annotations

from functools import partial
from urllib.parse import quote

from crawler.replica import render
from crawler.replica.content import RENDER_TIME, Block, ReplicaArticle
from crawler.replica.render import esc
from crawler.replica.sites.antv import EMAIL, HOTLINE, RADIO, SLOGAN, Antv, antv_datetime

PLACEHOLDER = "https://antv.gov.vn/images/placeholder-16x9.png"


def media_first(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """(the first image or video, the other blocks): the redesign shows the top media above the summary."""
    for i, (kind, _) in enumerate(blocks):
        if kind in ("img", "video"):
            return [blocks[i]], blocks[:i] + blocks[i + 1 :]
    return [], blocks


class AntvRedesign(Antv):
    noise_headings = ("Đọc thêm", "Tin cùng chuyên mục", "Xem nhiều", "Video nổi bật", "Bình luận")

    def wrap(self, head: render.Head, main: str, render_date: str | None = None) -> str:
        menu = "".join(
            f'<li class="site-nav__item"><a href="/{s.slug}.html">{esc(s.name)}</a></li>' for s in self.sections
        )
        body = f"""<div class="topbar"><div class="wrap">
<time class="topbar__now">{esc(render_date or antv_datetime(RENDER_TIME))}</time>
<div class="topbar__contact">Hotline: {HOTLINE} | Email: <a href="mailto:{EMAIL}">{EMAIL}</a></div>
</div></div>
<header class="site-head"><div class="wrap">
<a class="site-head__logo" href="https://antv.gov.vn/" title="Truyền hình Công an nhân dân">ANTV</a>
<span class="site-head__slogan">{esc(SLOGAN)}</span>
<form class="site-head__search" action="/tim-kiem"><input name="q" placeholder="Nhập từ khóa..."></form>
</div>
<nav class="site-nav"><ul class="site-nav__list"><li class="site-nav__item"><a href="/">Trang chủ</a></li>{menu}
<li class="site-nav__item site-nav__item--live"><a href="/truyen-hinh-truc-tuyen.html">Trực tuyến</a></li>
<li class="site-nav__item"><a href="/radio/{RADIO[0][1]}.html">Radio</a></li></ul></nav>
</header>
{render.ad_slot("masthead")}
<div class="wrap layout-2col">
{main}
</div>
<footer class="site-foot"><div class="wrap">
<p>Cơ quan chủ quản: Bộ Công an. Truyền hình Công an nhân dân (ANTV).</p>
<p>Giấy phép hoạt động truyền hình số 75/GP-BTTTT. Chịu trách nhiệm nội dung: Giám đốc Trung tâm Truyền hình CAND.</p>
<p>Địa chỉ: 47 Phạm Văn Đồng, Cầu Giấy, Hà Nội. Hotline: {HOTLINE} - Email: {EMAIL}</p>
<p class="site-foot__copy">© Bản quyền thuộc về ANTV. Ghi rõ nguồn "ANTV" khi phát hành lại thông tin từ website này.</p>
</div></footer>"""
        return render.page(head, body, "antv v2")

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]
        published = a.published_dt

        def media_box(i: int) -> str:
            url, caption = a.images[i]
            caption_html = f'<p class="media-box__caption">{esc(caption)}</p>' if caption else ""
            return (
                f'<div class="media-box">{render.lazy_img(url, a.image_alts[i], "data-src", PLACEHOLDER)}'
                f"{caption_html}</div>"
            )

        def video() -> str:
            return render.video_player(a.video, self.image_url(a.listed_at, a.index, 0), "antv-player")

        def read_more() -> str:
            targets = self.related_targets(a, 3)
            return render.teaser_list(
                "Đọc thêm", [(self.href(t, 12), t.title) for t in targets], "read-more", heading_tag="strong"
            )

        top, rest = media_first(render.related_in_middle(a.blocks))
        draw = partial(
            render.render_blocks, a, image=media_box, related=read_more, video=video, link_href=f"/{section.slug}.html"
        )
        info = "".join(
            [
                f'<span class="post__initials">{esc(a.byline)}</span>' if a.byline else "",
                f'<time class="post__date" datetime="{esc(a.published)}">{esc(antv_datetime(published))}</time>'
                if published
                else "",
            ]
        )
        tags = "".join(f'<a href="/tim-kiem?q={quote(t)}">{esc(t)}</a>' for t in a.tags)
        same_section = "\n".join(self.item(t, 13) for t in self.older(a, 4))
        most_read = [(self.href(t, 14), t.title) for t in self.latest(5, exclude=a, skip=5)]
        videos = [(self.href(t, 15), t.title) for t in self.latest(3, exclude=a, skip=10)]
        main = f"""<nav class="crumbs"><a href="/">Trang chủ</a> › <a href="/{section.slug}.html">{esc(a.category or section.name)}</a></nav>
<div class="layout-2col__main">
<article class="post" data-id="{esc(a.native_id or "")}">
<h1 class="post__headline">{esc(a.title)}</h1>
<div class="post__info">{info}</div>
{render.share_bar(a.url, a.title, "Chia sẻ bài viết", "post-share")}
<div class="post__content">
{draw(blocks=top)}
<h2 class="post__summary">{esc(a.lead)}</h2>
{draw(blocks=rest)}
<p class="post__watch"><em>Mời quý vị đón xem các chương trình của ANTV trên ứng dụng VTVGo, TV Online và kênh truyền hình trực tuyến tại antv.gov.vn</em></p>
</div>
<div class="post__keywords"><b>Từ khóa:</b> {tags}</div>
{render.comment_box("Bình luận", "fb-comments-box")}
</article>
<section class="same-section"><h2 class="same-section__title">Tin cùng chuyên mục</h2>
{same_section}
</section>
</div>
<aside class="layout-2col__side">
{render.teaser_list("Xem nhiều", most_read, "side-box", list_tag="ol")}
{render.teaser_list("Video nổi bật", videos, "side-box side-box--video")}
</aside>"""
        render_date = a.noise["render_date"] if a.noise else None
        return self.wrap(self.article_head(a), main, render_date)


SITE = AntvRedesign
