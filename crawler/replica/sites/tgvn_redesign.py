"""TG&VN after a markup change (``layout="redesign"``): the MasterCMS tables replaced by HTML5 elements; same
site, URLs and texts.

What changes, and what each change tests in an extractor:

- ``article.detail`` with ``header`` / ``section.detail__body`` / ``footer``: no ``div.article-detail``, no
  ``#__MB_MASTERCMS_EL_3`` (the outlet's selectors miss);
- images are ``figure > picture`` (a webp ``source`` with ``data-srcset``, an ``img`` with a placeholder ``src``
  and the real URL in ``data-src``) with a ``figcaption`` ending "(Nguồn: ...)", instead of
  ``table.MASTERCMS_TPL_TABLE`` whose second cell was the caption;
- the inline related box is an ``aside`` titled "Bài viết liên quan" in the middle of the body, instead of
  ``table.__MB_ARTICLE_A`` "Tin liên quan";
- the byline stays a name line right under the title, followed by the "Theo dõi Baoquocte.vn trên" widget;
- the sapo is a ``p.detail__sapo > strong``;
- after the body: a comment form "Ý kiến bạn đọc"; after the article: "Tin cùng chuyên mục" (items with
  descriptions), "Xem nhiều" (a numbered ``aside``) and "Có thể bạn quan tâm".

Kept: the "TGVN. " / "Baoquocte.vn. " datelines, tag links ``/tag/...tag``, the category listings with their
MasterCMS paging, RSS and sitemap.
"""

from __future__ import annotations

from crawler.replica import render
from crawler.replica.content import ReplicaArticle
from crawler.replica.render import esc
from crawler.replica.sites.tgvn import Tgvn, tag_path

PLACEHOLDER = "https://baoquocte.vn/modules/frontend/themes/tgvn-2025/images/lazy.svg"


class TgvnRedesign(Tgvn):
    noise_headings = ("Bài viết liên quan", "Tin cùng chuyên mục", "Xem nhiều", "Có thể bạn quan tâm")

    def wrap(self, head: render.Head, main: str) -> str:
        menu = "".join(f'<li class="menu__item"><a href="/{s.slug}">{esc(s.name)}</a></li>' for s in self.sections)
        body = f"""<header class="site-header">
<div class="site-header__top"><a class="site-header__logo" href="/" title="Báo Thế giới &amp; Việt Nam"><img src="https://baoquocte.vn/modules/frontend/themes/tgvn-2025/images/logo.svg" alt="Báo Thế giới &amp; Việt Nam"></a>
<a class="site-header__en" href="https://en.baoquocte.vn/">English</a></div>
<nav class="menu"><ul class="menu__list"><li class="menu__item"><a href="/">Trang chủ</a></li>{menu}</ul></nav>
</header>
{render.ad_slot("top")}
<main class="site-main">
{main}
</main>
<footer class="site-footer">
<p>Báo Thế giới &amp; Việt Nam - Cơ quan của Bộ Ngoại giao.</p>
<p>Giấy phép số 159/GP-BTTTT. Tòa soạn: Số 1 Tôn Thất Đàm, Ba Đình, Hà Nội. Email: tgvn@mofa.gov.vn</p>
<p><a href="/rss_feed/">RSS</a></p>
</footer>"""
        return render.page(head, body, "tgvn tgvn-2025")

    def render_article(self, a: ReplicaArticle) -> str:
        section = self.section_of[a.section]
        published = a.published_dt

        def figure(i: int) -> str:
            url, caption = a.images[i]
            caption_html = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
            return (
                f'<figure class="detail__figure"><picture><source type="image/webp" data-srcset="'
                f'{esc(url)}&amp;format=webp">{render.lazy_img(url, a.image_alts[i], "data-src", PLACEHOLDER)}'
                f"</picture>{caption_html}</figure>"
            )

        def related() -> str:
            targets = self.related_targets(a, 3)
            return render.teaser_list(
                "Bài viết liên quan", [(self.href(t, 8), t.title) for t in targets], "detail__related", box_tag="aside"
            )

        crumb = (
            (
                f'<nav class="breadcrumbs"><a href="/">Trang chủ</a><a class="breadcrumbs__current" '
                f'href="/{section.slug}">{esc(a.category)}</a></nav>'
            )
            if a.category
            else ""
        )
        kicker = f'<p class="detail__overline">{esc(a.kicker)}</p>' if a.kicker else ""
        author = (
            (
                f'<p class="detail__author">{esc(a.byline)}</p>'
                '<div class="detail__follow">Theo dõi Baoquocte.vn trên <a href="https://news.google.com/publications/tgvn" '
                'rel="nofollow"><img src="https://baoquocte.vn/images/gg-news.png" alt="Google News"></a></div>'
            )
            if a.byline
            else ""
        )
        date = (
            f'<time class="detail__time" datetime="{esc(a.published)}">{published:%d/%m/%Y | %H:%M}</time>'
            if published
            else ""
        )
        tags = "".join(f'<a href="{tag_path(t)}">{esc(t)}</a>' for t in a.tags)
        same_section = "\n".join(self.article_item(t, 6) for t in self.older(a, 5))
        most_viewed = [(self.href(t, 14), t.title) for t in self.latest(5, exclude=a, skip=4)]
        interest = [(self.href(t, 15), t.title) for t in self.latest(3, exclude=a, skip=9)]
        main = f"""{crumb}
<article class="detail">
<header class="detail__header">
{kicker}<h1 class="detail__title">{esc(a.title)}</h1>
{author}{date}
</header>
<p class="detail__sapo"><strong>{esc(a.lead)}</strong></p>
<section class="detail__body">
{render.render_blocks(a, figure, related, link_href=f"/{section.slug}", blocks=render.related_in_middle(a.blocks), heading_tag="h3")}
</section>
<footer class="detail__footer">
<div class="detail__tags">{tags}</div>
{render.share_bar(a.url, a.title, "Chia sẻ", "detail__share")}
</footer>
{render.comment_box("Ý kiến bạn đọc", "detail__comments")}
</article>
<section class="same-category"><h2 class="same-category__title">Tin cùng chuyên mục</h2>
{same_section}
</section>
{render.teaser_list("Xem nhiều", most_viewed, "most-viewed", heading_tag="h2", box_tag="aside", list_tag="ol")}
{render.teaser_list("Có thể bạn quan tâm", interest, "you-may-like", heading_tag="h2", box_tag="section")}"""
        return self.wrap(self.article_head(a), main)


SITE = TgvnRedesign
