"""Scrapy commands of the project (``COMMANDS_MODULE`` in crawler/settings.py), replacing Scrapy's own of the same
name: ``crawl`` checks the outlet spiders' arguments before it starts."""
