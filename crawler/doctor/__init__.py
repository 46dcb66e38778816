"""``python -m crawler doctor``: a first contact with an outlet, and what to change in its unit.

:mod:`fetch` (the polite HTTP client: User-Agent, robots.txt, delay, bounds, replica routing), :mod:`checkup`
(channels, sample articles, which selectors matched, the verdict), :mod:`suggest` (selectors learnt from the pages
where the outlet's miss, verified by extracting again), :mod:`command` (the report, JSON, exit codes).
"""
