"""One module per outlet: its :class:`crawler.outlet.Outlet` description and its spider."""
