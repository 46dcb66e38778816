"""The outlet modules. Adding an outlet = one module here defining a :class:`crawler.replica.site.Site` subclass
named ``SITE``, plus its name in ``OUTLETS``."""

from __future__ import annotations

import importlib
from functools import lru_cache

OUTLETS = ("antv", "clo", "tgvn", "kinhtedothi")


@lru_cache(maxsize=None)
def site_class(outlet: str) -> type:
    if outlet not in OUTLETS:
        raise KeyError(f"unknown outlet {outlet!r}; known: {', '.join(OUTLETS)}")
    return importlib.import_module(f"crawler.replica.sites.{outlet}").SITE


def all_site_classes() -> list[type]:
    return [site_class(name) for name in OUTLETS]
