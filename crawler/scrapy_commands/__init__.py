"""Scrapy commands of the project (setting ``COMMANDS_MODULE``): each module's command replaces Scrapy's own of
the same name. ``crawl``: :mod:`crawler.scrapy_commands.crawl`."""
