"""The outlet registry: every outlet the crawler knows, each one declarative unit.

An outlet is one module here (``crawler/outlets/<name>.py``) holding one :class:`~crawler.outlet.Outlet` subclass:
hosts, URL forms, discovery, selectors, text cues, display name, report colour and where its offline replica
lives. Everything else reads the outlets from this registry: the spiders (``spiders/__init__.py`` creates one per
outlet), extraction, the CLI's choices, the evaluation, the report, the stats and the Datasette metadata.

The built-in outlets are listed below by hand, as Fundus lists its publishers: the registry is what the code says,
not what a directory happens to contain. More outlets come from modules named in the environment variable
``VN_NEWS_OUTLETS`` (comma-separated module paths, each defining exactly one Outlet subclass), so an outlet can be
added without editing the package; the fifth-outlet drill in ``tests/`` adds its outlet that way. A module that
cannot be imported, defines no outlet or reuses a known name or host is an :class:`OutletError`: an outlet that
silently fell back to the generic path would corrupt a corpus without a word.

Nothing here imports Scrapy, Twisted or the replica: ``crawler.extraction`` imports this module.
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from types import ModuleType
from urllib.parse import urlsplit

from crawler.outlet import Outlet
from crawler.outlets.antv import Antv
from crawler.outlets.clo import Clo
from crawler.outlets.kinhtedothi import Kinhtedothi
from crawler.outlets.tgvn import Tgvn

BUILT_IN: tuple[type[Outlet], ...] = (Antv, Clo, Kinhtedothi, Tgvn)
"""The outlets this package describes, in the order they are listed and crawled."""

EXTRA_OUTLETS_VARIABLE = "VN_NEWS_OUTLETS"
"""Environment variable naming extra outlet modules (``package.module,other.module``)."""


class OutletError(Exception):
    """An outlet module that cannot be used: unimportable, without an outlet, or clashing with another."""


@lru_cache(maxsize=1)
def registry() -> tuple[type[Outlet], ...]:
    """Every outlet: the built-in ones, then those of the modules named in ``VN_NEWS_OUTLETS``. Checked once:
    names, hosts and the required attributes are unique and present, else :class:`OutletError`."""
    outlets = list(BUILT_IN)
    for module_name in _extra_module_names():
        outlets.append(_outlet_of(_import(module_name), module_name))
    _check(outlets)
    return tuple(outlets)


def names() -> tuple[str, ...]:
    """The outlets' names (also their spiders' names), in registry order."""
    return tuple(outlet.name for outlet in registry())


def get(name: str) -> type[Outlet]:
    """The outlet called ``name``; KeyError naming the known ones otherwise."""
    if (outlet := find(name)) is not None:
        return outlet
    raise KeyError(f"unknown outlet {name!r}; known: {', '.join(names())}")


def find(name: str) -> type[Outlet] | None:
    """The outlet called ``name``, or None: a name stored by an outlet since removed, or a page set's label."""
    return next((outlet for outlet in registry() if outlet.name == name), None)


def for_url(url: str) -> type[Outlet] | None:
    """The outlet owning ``url``'s host, or None for a host no outlet serves."""
    host = (urlsplit(url).hostname or "").lower()
    return _by_host().get(host)


@lru_cache(maxsize=1)
def _by_host() -> dict[str, type[Outlet]]:
    return {host: outlet for outlet in registry() for host in outlet.hosts()}


def reload() -> tuple[type[Outlet], ...]:
    """The registry read again (after ``VN_NEWS_OUTLETS`` changed, in tests)."""
    registry.cache_clear()
    _by_host.cache_clear()
    return registry()


def _extra_module_names() -> list[str]:
    return [name.strip() for name in os.environ.get(EXTRA_OUTLETS_VARIABLE, "").split(",") if name.strip()]


def _import(module_name: str) -> ModuleType:
    try:
        return importlib.import_module(module_name)
    except Exception as error:  # any error inside the module, not only ImportError, makes the outlet unusable
        raise OutletError(
            f"{EXTRA_OUTLETS_VARIABLE} names {module_name!r}, which cannot be imported: {type(error).__name__}: {error}"
        ) from error


def _outlet_of(module: ModuleType, module_name: str) -> type[Outlet]:
    found = [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, Outlet)
        and value is not Outlet
        and value.__module__ == module.__name__
    ]
    if len(found) != 1:
        raise OutletError(f"outlet module {module_name!r} must define exactly one Outlet subclass, found {len(found)}")
    return found[0]


def _check(outlets: list[type[Outlet]]) -> None:
    seen_names: dict[str, type[Outlet]] = {}
    seen_hosts: dict[str, type[Outlet]] = {}
    for outlet in outlets:
        missing = [attribute for attribute in ("name", "display_name", "home") if not getattr(outlet, attribute)]
        if not outlet.article_paths:
            missing.append("article_paths")
        if missing:
            raise OutletError(f"outlet {outlet.__module__}.{outlet.__qualname__} lacks {', '.join(missing)}")
        if outlet.name in seen_names:
            raise OutletError(
                f"two outlets are named {outlet.name!r}: {seen_names[outlet.name].__module__} and {outlet.__module__}"
            )
        seen_names[outlet.name] = outlet
        for host in outlet.hosts():
            if host in seen_hosts:
                raise OutletError(f"host {host} belongs to both {seen_hosts[host].name} and {outlet.name}")
            seen_hosts[host] = outlet
