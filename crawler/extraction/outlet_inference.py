"""Which outlet a saved page comes from, when the user does not say: for ``python -m crawler extract``."""

from __future__ import annotations

from urllib.parse import urljoin

from crawler import outlets
from crawler.extraction.fields import first
from crawler.extraction.html import meta_values, parse, xpath
from crawler.outlet import Outlet


def infer_outlet(
    html: str | bytes, url: str | None = None, outlet: type[Outlet] | None = None
) -> tuple[type[Outlet] | None, str | None]:
    """(outlet, url) of a saved page: the given outlet, else the one owning ``url``'s host, else the host of the
    page's canonical URL or ``og:url`` (which also stands in for a missing ``url``), else the one outlet whose
    article and body selectors both match the page's markup."""
    tree = parse(html)
    declared = None
    if tree is not None:
        hrefs = xpath(tree, '//link[contains(concat(" ", normalize-space(@rel), " "), " canonical ")]/@href')
        declared = next((h.strip() for h in hrefs if h.strip()), None) or meta_values(tree).get("og:url") or None
        if declared and url:
            declared = urljoin(url, declared)
    if declared and not declared.startswith(("http://", "https://")):
        declared = None
    url = url or declared
    if outlet is None and url:
        outlet = outlets.for_url(url)
    if outlet is None and declared:
        outlet = outlets.for_url(declared)
    if outlet is None and tree is not None:
        matching = [
            o
            for o in outlets.registry()
            if first(tree, o.article_selectors) is not None and first(tree, o.body_selectors) is not None
        ]
        if len(matching) == 1:
            outlet = matching[0]
    if url is None and outlet is not None:
        return outlet, None
    return outlet, url
