"""Which :class:`~crawler.outlet.Outlet` describes a URL: the subclasses defined in the ``spiders`` package."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from functools import lru_cache
from urllib.parse import urlsplit

from crawler.outlet import Outlet

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def all_outlets() -> tuple[type[Outlet], ...]:
    """Every outlet description found in ``spiders/*.py`` (imported once), sorted by name."""
    import spiders

    found: dict[str, type[Outlet]] = {}
    for module_info in pkgutil.iter_modules(spiders.__path__):
        try:
            module = importlib.import_module(f"spiders.{module_info.name}")
        except ImportError as error:  # one broken module must not hide the others
            log.warning("cannot import spiders.%s: %s", module_info.name, error)
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
