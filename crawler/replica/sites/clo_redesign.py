"""CLO after a markup change (``layout="redesign"``): same site, URLs and texts, new templates.

What changes, and what each change tests in an extractor:

- ``div.detail-main`` holds the story: no ``div.article`` / ``div.article__body`` / ``div.article__sapo`` (the
  outlet's selectors miss); the breadcrumb is ``div.bc`` with bare links;
- between the title and the sapo a toolbar with share icons and a "0 bình luận" counter; the sapo is an
  ``h2.detail-sapo`` starting "(CLO)" or "(NB&CL)";
- the byline and the date line are *below* the body (``div.detail-meta``), not under the title, and the byline is
  no longer the body's last paragraph;
- images load natively lazily (``loading="lazy"``, real ``src``) with an italic ``figcaption``;
- a "Bài viết liên quan" box of headlines in the middle of the running text;
- after the article: "Có thể bạn quan tâm" (stories with summaries), a comment zone "Bình luận (0)", a "Tin nổi
  bật" sidebar and "Tin cùng chuyên mục".

Kept: the 12-hour date format, the kicker line above the title, the meta tags, listings and feeds.
"""

from __future__ import annotations

from urllib.parse import quote

from crawler.replica import render
from crawler.replica.content import RENDER_TIME, ReplicaArticle
from crawler.replica.render import esc
from crawler.replica.sites.clo import Clo, clo_datetime


class CloRedesign(Clo):
    noise_headings = (
        "Bài viết liên quan",
        "Có thể bạn quan tâm",
        "Tin nổi bật",
        "Tin cùng chuyên mục",
        "Bình luận (0)",
    )

    def wrap(self, head: render.Head, main: str) -> str:
        menu = "".join(f'<a class="nav-link" href="/{s.slug}.html">{esc(s.name)}</a>' for s in self.sections)
        body = f"""<div class="site-top"><span class="site-top__date">{render.weekday(RENDER_TIME, lower=True)}, {RENDER_TIME:%d/%m/%Y}</span>
<a class="site-top__rss" href="/rss/home.rss">RSS</a></div>
<header class="site-header">
<a class="site-header__brand" href="https://congluan.vn/" title="Báo Công luận"><img src="https://congluan.vn/assets/v2/logo.svg" alt="Báo Công luận"></a>
<nav class="site-header__nav"><a class="nav-link" href="/">Trang chủ</a>{menu}<a class="nav-link" href="/tim-kiem?q=">Tìm kiếm</a></nav>
</header>
{render.ad_slot("leaderboard")}
<div class="container">
{main}
</div>
<footer class="site-footer">
<p>Báo điện tử Nhà báo &amp; Công luận - Cơ quan Trung ương của Hội Nhà báo Việt Nam.</p>
<p>Giấy phép hoạt động báo chí điện tử số 84/GP-BTTTT. Tòa soạn: 59 Lý Thái Tổ, Hoàn Kiếm, Hà Nội.</p>
<p>Nhận bản tin mỗi sáng: <a href="/dang-ky-nhan-tin" rel="nofollow">Đăng ký</a></p>
</footer>"""
        return render.page(head, body, "clo clo-v2")

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]
        published = a.published_dt

        def figure(i: int) -> str:
            url, caption = a.images[i]
            caption_html = f"<figcaption><em>{esc(caption)}</em></figcaption>" if caption else ""
            return (
                f'<figure class="detail-image">{render.lazy_img(url, a.image_alts[i], "native")}{caption_html}</figure>'
            )

        def related() -> str:
            targets = self.related_targets(a, 2)
            return render.teaser_list(
                "Bài viết liên quan",
                [(self.href(t, 12), t.title) for t in targets],
                "related-in-content",
                heading_tag="h4",
            )

        crumb = (
            f'<div class="bc"><a href="/">Trang chủ</a><a href="/{section.slug}.html">{esc(a.category)}</a></div>'
            if a.category
            else ""
        )
        kicker = f'<p class="detail-kicker">{esc(a.kicker)}</p>' if a.kicker else ""
        meta = "".join(
            [
                f'<span class="detail-author">{esc(a.byline)}</span>' if a.byline else "",
                f'<span class="detail-time">{esc(clo_datetime(published))}</span>' if published else "",
            ]
        )
        tags = "".join(f'<a href="/tim-kiem?q={quote(t)}">{esc(t)}</a>' for t in a.tags)
        interest = self.latest(4, exclude=a, skip=2)
        highlights = [(self.href(t, 14), t.title) for t in self.latest(5, exclude=a, skip=6)]
        same_section = self.older(a, 4)
        main = f"""{crumb}
<div class="detail-layout">
<div class="detail-main">
{kicker}<h1 class="detail-title">{esc(a.title)}</h1>
<div class="detail-toolbar">{render.share_bar(a.url, a.title, "", "detail-share")}<a class="detail-cmt" href="#binh-luan">0 bình luận</a></div>
<h2 class="detail-sapo">{esc(a.lead)}</h2>
<div class="detail-content" id="content-detail">
{render.render_blocks(a, figure, related, link_href=f"/{section.slug}.html", blocks=render.related_in_middle(a.blocks), heading_tag="h3")}
</div>
<div class="detail-meta">{meta}</div>
<div class="detail-tags"><span>Tags:</span> {tags}</div>
<div class="box-interest"><h3 class="box-interest__title">Có thể bạn quan tâm</h3>
{self.stories(self.as_items(interest), interest, 13)}
</div>
<div id="binh-luan">{render.comment_box("Bình luận (0)", "comment-zone")}</div>
</div>
<aside class="detail-aside">{render.teaser_list("Tin nổi bật", highlights, "aside-box")}</aside>
</div>
<section class="cate-more"><h3 class="cate-more__title">Tin cùng chuyên mục</h3>
{self.stories(self.as_items(same_section), same_section, 15)}
</section>"""
        return self.wrap(self.article_head(a), main)


SITE = CloRedesign
