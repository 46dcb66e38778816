"""Which :class:`~crawler.outlet.Outlet` describes a URL: the subclasses defined in the ``spiders`` package."""

from __future__ import annotations

import importlib
import logging
from functools import lru_cache
from urllib.parse import urlsplit

from crawler.outlet import Outlet, outlet_names

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def all_outlets() -> tuple[type[Outlet], ...]:
    """Every outlet description found in ``spiders/*.py`` (imported once), sorted by name."""
    found: dict[str, type[Outlet]] = {}
    for name in outlet_names():
        try:
            module = importlib.import_module(f"spiders.{name}")
        except ImportError as error:  # one broken module must not hide the others
            log.warning("cannot import spiders.%s: %s", name, error)
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Outlet) and value is not Outlet and value.name:
                found[value.name] = value
    return tuple(found[name] for name in sorted(found))


def outlet_for_url(url: str) -> type[Outlet] | None:
    """The outlet owning ``url``'s host, or None for an unknown host."""
    host = (urlsplit(url).hostname or "").lower()
    for outlet in all_outlets():
        if host in outlet.hosts():
            return outlet
    return None


def outlet_by_name(name: str) -> type[Outlet] | None:
    for outlet in all_outlets():
        if outlet.name == name:
            return outlet
    return None


def infer_outlet(html: str | bytes, url: str | None = None,
                 outlet: type[Outlet] | None = None) -> tuple[type[Outlet] | None, str | None]:
    """(outlet, url) of a saved page: the given outlet, else the one owning ``url``'s host, else the host of the
    page's canonical URL or ``og:url`` (which also stands in for a missing ``url``), else the one outlet whose
    article and body selectors both match the page's markup."""
    from urllib.parse import urljoin

    from crawler.extraction.fields import first
    from crawler.extraction.html import meta_values, parse, xpath

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
        outlet = outlet_for_url(url)
    if outlet is None and declared:
        outlet = outlet_for_url(declared)
    if outlet is None and tree is not None:
        matching = [o for o in all_outlets()
                    if first(tree, o.article_selectors) is not None and first(tree, o.body_selectors) is not None]
        if len(matching) == 1:
            outlet = matching[0]
    if url is None and outlet is not None:
        return outlet, None
    return outlet, url
