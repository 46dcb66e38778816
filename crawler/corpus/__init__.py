"""The corpus as a product: search, export, stats, HTML report, raw page archive, re-extraction and
near-duplicate clusters over the SQLite database written by the crawler.

One module per job; each command module has ``add_arguments(parser)`` and ``run(args) -> int``, registered in
:mod:`crawler.cli` through :func:`crawler.corpus.commands.add_commands`; ``run`` turns its parsed arguments into
the typed values the module's functions take (the filters: :class:`crawler.corpus.filters.ArticleFilter`). The
commands that only read (search, export, stats, report) open the database read-only. Nothing here imports Scrapy.
"""
