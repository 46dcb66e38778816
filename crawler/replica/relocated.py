"""The replica variant whose discovery the outlet descriptions get wrong (``ReplicaServer(listings="relocated")``).

The day a site moves its sections, the crawler's configured listings (``Outlet.listing_paths``) answer 404 and
its next-page selectors find nothing; without feeds or sitemaps, what is left is the site itself. In this variant,
for every outlet:

- the sections live under ``/chuyen-muc/<slug>``: every link to a section (menus, breadcrumbs, links in
  articles) says so, and the outlet's own listing URLs, feeds and sitemaps answer 404 (robots.txt names no
  sitemap);
- sections are paged :data:`PER_PAGE` articles a page in one of the :data:`SCHEMES` (the outlet's position in the
  registry picks it, so the four built-in outlets show all four), in markup none of the outlets' next-page
  selectors matches;
- the home page keeps the site's chrome (its menu leads to the sections) but links only the
  :data:`HOME_HEADLINES` latest articles, so most articles are reachable through the sections only.

Article pages, their URLs and the ground truth are the standard site's (or the redesign's: the variant wraps
either layout), with their section links moved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawler.replica import render
from crawler.replica.render import esc
from crawler.replica.site import TEXT, Response, Site, html_response

#: Articles per section page: small, so that every section has several pages to walk.
PER_PAGE = 3
#: Articles the home page links (its "Tin mới" box).
HOME_HEADLINES = 3
SECTIONS = "/chuyen-muc/"


@dataclass(frozen=True)
class PageScheme:
    """How a relocated site numbers its section pages and links the next one."""

    name: str
    path: str
    """The path (and query) of page ``{n}`` > 1 of section ``{slug}``."""
    pattern: re.Pattern[str]
    """Full match of a section page's path and query: groups ``slug`` and ``n`` (absent on page 1)."""
    next_text: str | None
    """Text of the "next page" link, or None (numbered links only)."""
    numbered: bool
    """Whether the pages are linked by their numbers."""


SCHEMES = (
    PageScheme(
        "trang",
        "/chuyen-muc/{slug}/trang-{n}",
        re.compile(r"/chuyen-muc/(?P<slug>[a-z0-9-]+)(?:/trang-(?P<n>\d+))?"),
        "Trang sau",
        True,
    ),
    PageScheme(
        "page",
        "/chuyen-muc/{slug}?page={n}",
        re.compile(r"/chuyen-muc/(?P<slug>[a-z0-9-]+)(?:\?page=(?P<n>\d+))?"),
        "Trang tiếp",
        True,
    ),
    PageScheme(
        "p", "/chuyen-muc/{slug}/p{n}", re.compile(r"/chuyen-muc/(?P<slug>[a-z0-9-]+)(?:/p(?P<n>\d+))?"), None, True
    ),
    # A "load more" link to an address that carries no page number the crawler knows.
    PageScheme(
        "more",
        "/chuyen-muc/{slug}/xem-them/{n}",
        re.compile(r"/chuyen-muc/(?P<slug>[a-z0-9-]+)(?:/xem-them/(?P<n>\d+))?"),
        "Xem thêm",
        False,
    ),
)


def relocated(site_class: type[Site], position: int) -> type[Site]:
    """``site_class`` with its sections moved (see the module docstring); ``position``: the outlet's index in the
    registry, which picks its page scheme."""
    scheme = SCHEMES[position % len(SCHEMES)]

    class RelocatedSite(site_class):  # type: ignore[valid-type, misc]
        page_scheme = scheme
        per_page = PER_PAGE  # read by Site.listing

        def __init__(self, count: int, fresh: int = 0) -> None:
            super().__init__(count, fresh)
            self.article_paths = {
                *self.by_path,
                *(urlsplit(page.url).path for page in self.non_articles(self.articles)),
            }
            host = re.escape(urlsplit(self.home).hostname or "")
            old = "|".join(re.escape(self.listing_root.format(slug=s.slug)) for s in self.sections)
            self._old_section_link = re.compile(rf'href="(?:https?://(?:www\.)?{host})?(?P<path>{old})"')
            self._new_root = {
                self.listing_root.format(slug=s.slug): self.section_path(s.slug, 1) for s in self.sections
            }

        def section_path(self, slug: str, page: int) -> str:
            return f"{SECTIONS}{slug}" if page == 1 else scheme.path.format(slug=slug, n=page)

        def moved(self, response: Response) -> Response:
            """``response`` with every link to a section pointing at its new place."""
            if not response.content_type.startswith("text/html") or not response.body:
                return response
            html = self._old_section_link.sub(
                lambda m: f'href="{self._new_root[m.group("path")]}"', response.body.decode("utf-8")
            )
            return Response(
                response.status, html.encode("utf-8"), response.content_type, response.headers, response.last_modified
            )

        def handle(self, target: str) -> Response:
            parts = urlsplit(target)
            path = parts.path or "/"
            if path == "/robots.txt":  # no Sitemap line: feeds and sitemaps are gone
                robots = (
                    "\n".join(
                        line for line in self.robots_txt().splitlines() if not line.lower().startswith("sitemap:")
                    )
                    + "\n"
                )
                return Response(200, robots.encode("utf-8"), TEXT)
            if path == "/":
                return self.moved(self.render_relocated_home())
            if path.startswith(SECTIONS):
                return self.moved(self.render_section(path + (f"?{parts.query}" if parts.query else "")))
            if path in self.article_paths or path in self.revisions:
                return self.moved(super().handle(target))
            return html_response(self.render_404(path), status=404)  # old listings, feeds, sitemaps

        def render_relocated_home(self) -> Response:
            latest = render.teaser_list(
                "Tin mới", [(self.href(a, 21), a.title) for a in self.latest(HOME_HEADLINES)], "home-latest"
            )
            head = render.Head(title=self.display_name, canonical=self.home, site_name=self.display_name)
            return html_response(self.wrap(head, latest))

        def render_section(self, target: str) -> Response:
            match = scheme.pattern.fullmatch(target)
            found = self.listing(match.group("slug"), int(match.group("n") or 1)) if match else None
            if match is None or found is None or match.group("n") == "1":
                return html_response(self.render_404(urlsplit(target).path), status=404)
            slug, page = match.group("slug"), int(match.group("n") or 1)
            items, pages = found
            section = self.section_of[slug]
            cards = "\n".join(
                f'<article class="card"><h3 class="card__title"><a href="{esc(self.href(a, 22))}">{esc(a.title)}</a>'
                f'</h3><p class="card__lead">{esc(a.lead)}</p></article>'
                for a in items
            )
            head = render.Head(
                title=f"{section.name} - {self.display_name}",
                canonical=self.abs(self.section_path(slug, page)),
                site_name=self.display_name,
            )
            main = f'<h1 class="section-title">{esc(section.name)}</h1>\n<div class="cards">{cards}</div>\n'
            return html_response(self.wrap(head, main + self.pages_box(slug, page, pages)))

        def pages_box(self, slug: str, page: int, pages: int) -> str:
            links = []
            if scheme.numbered:
                links += [
                    f'<a href="{self.section_path(slug, n)}">{n}</a>' if n != page else f"<b>{n}</b>"
                    for n in range(1, pages + 1)
                ]
            if scheme.next_text and page < pages:
                links.append(f'<a href="{self.section_path(slug, page + 1)}">{esc(scheme.next_text)}</a>')
            return f'<div class="pages">{" ".join(links)}</div>'

    RelocatedSite.__name__ = RelocatedSite.__qualname__ = f"Relocated{site_class.__name__}"
    return RelocatedSite
