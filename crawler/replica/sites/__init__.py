"""The replica site of each outlet, found through the outlet registry.

Each outlet's unit (``crawler/outlets/<name>.py``) names its replica sites in ``Outlet.replica_sites``: layout ->
``module:attribute`` of a :class:`crawler.replica.site.Site` subclass. The four built-in outlets' sites live here.

Layouts: ``standard`` is the markup the outlet's selectors were written for (``sites/<outlet>.py``); ``redesign``
is the same site after a markup change (``sites/<outlet>_redesign.py``: a subclass that overrides templates only,
so URLs, content and ground truth are identical). An outlet without a redesign serves its standard site there.
"""

from __future__ import annotations

import importlib
from functools import cache

from crawler import outlets

LAYOUTS = ("standard", "redesign")


def outlet_names() -> tuple[str, ...]:
    """Every outlet with a replica, in registry order."""
    return tuple(outlet.name for outlet in outlets.registry() if "standard" in outlet.replica_sites)


@cache
def site_class(outlet: str, layout: str = "standard") -> type:
    if outlet not in outlet_names():
        raise KeyError(f"unknown outlet {outlet!r}; known: {', '.join(outlet_names())}")
    if layout not in LAYOUTS:
        raise KeyError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    sites = outlets.get(outlet).replica_sites
    module_name, _, attribute = sites.get(layout, sites["standard"]).partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def all_site_classes(layout: str = "standard") -> list[type]:
    return [site_class(name, layout) for name in outlet_names()]
