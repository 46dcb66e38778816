"""The replica site of each outlet, found through the outlet registry.

Each outlet's unit (``crawler/outlets/<name>.py``) names its replica sites, ``module:attribute`` of a
:class:`crawler.replica.site.Site` subclass: ``Outlet.replica_site`` and ``Outlet.replica_redesign_site``. The four
built-in outlets' sites live here.

Layouts: ``standard`` is the markup the outlet's selectors were written for (``sites/<outlet>.py``); ``redesign``
is the same site after a markup change (``sites/<outlet>_redesign.py``: a subclass that overrides templates only,
so URLs, content and ground truth are identical). An outlet without a redesign serves its standard site there.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING

from crawler import outlets

if TYPE_CHECKING:
    from crawler.replica.site import Site

LAYOUTS = ("standard", "redesign")
#: Values of ``ReplicaServer(listings=...)``: the outlets' own listing URLs, or sections moved where only the home
#: page's navigation leads (crawler/replica/relocated.py).
LISTINGS = ("standard", "relocated")


def outlet_names() -> tuple[str, ...]:
    """Every outlet with a replica, in registry order."""
    return tuple(outlet.name for outlet in outlets.registry() if outlet.replica_site)


@cache
def site_class(outlet: str, layout: str = "standard") -> type[Site]:
    if outlet not in outlet_names():
        raise KeyError(f"unknown outlet {outlet!r}; known: {', '.join(outlet_names())}")
    if layout not in LAYOUTS:
        raise KeyError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    unit = outlets.get(outlet)
    location = (layout == "redesign" and unit.replica_redesign_site) or unit.replica_site
    module_name, _, attribute = location.partition(":")
    site: type[Site] = getattr(importlib.import_module(module_name), attribute)
    return site


def all_site_classes(layout: str = "standard") -> list[type[Site]]:
    return [site_class(name, layout) for name in outlet_names()]
