"""The outlet modules. Adding an outlet = one module here defining a :class:`crawler.replica.site.Site` subclass
named ``SITE``, plus its name in ``OUTLETS``.

Layouts: ``standard`` is the markup the outlet rules in ``spiders/*.py`` were written for (``sites/<outlet>.py``);
``redesign`` is the same site after a markup change (``sites/<outlet>_redesign.py``: a subclass that overrides
templates only, so URLs, content and ground truth are identical).
"""

from __future__ import annotations

import importlib
from functools import lru_cache

OUTLETS = ("antv", "clo", "tgvn", "kinhtedothi")
LAYOUTS = ("standard", "redesign")


@lru_cache(maxsize=None)
def site_class(outlet: str, layout: str = "standard") -> type:
    if outlet not in OUTLETS:
        raise KeyError(f"unknown outlet {outlet!r}; known: {', '.join(OUTLETS)}")
    if layout not in LAYOUTS:
        raise KeyError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    module = outlet if layout == "standard" else f"{outlet}_{layout}"
    return importlib.import_module(f"crawler.replica.sites.{module}").SITE


def all_site_classes(layout: str = "standard") -> list[type]:
    return [site_class(name, layout) for name in OUTLETS]
