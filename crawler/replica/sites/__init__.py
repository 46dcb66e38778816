"""The outlet modules. Adding an outlet = one module here named after the outlet (its spider's name), defining a
:class:`crawler.replica.site.Site` subclass named ``SITE``; it is found by its file name, nothing else to register.

Layouts: ``standard`` is the markup the outlet rules in ``spiders/*.py`` were written for (``sites/<outlet>.py``);
``redesign`` is the same site after a markup change (``sites/<outlet>_redesign.py``: a subclass that overrides
templates only, so URLs, content and ground truth are identical).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.replica.site import Site

LAYOUTS = ("standard", "redesign")


@lru_cache(maxsize=1)
def outlet_names() -> tuple[str, ...]:
    """Every outlet with a replica, sorted: the modules here that are not another layout of one."""
    variants = tuple(f"_{layout}" for layout in LAYOUTS[1:])
    return tuple(sorted(module.name for module in pkgutil.iter_modules(__path__)
                        if not module.name.endswith(variants)))


@cache
def site_class(outlet: str, layout: str = "standard") -> type[Site]:
    if outlet not in outlet_names():
        raise KeyError(f"unknown outlet {outlet!r}; known: {', '.join(outlet_names())}")
    if layout not in LAYOUTS:
        raise KeyError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    module = outlet if layout == "standard" else f"{outlet}_{layout}"
    return importlib.import_module(f"crawler.replica.sites.{module}").SITE


def all_site_classes(layout: str = "standard") -> list[type[Site]]:
    return [site_class(name, layout) for name in outlet_names()]
