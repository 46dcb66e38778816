"""Politeness that settings alone cannot express.

:class:`ContactUserAgent` (an add-on, in ``ADDONS``) builds ``USER_AGENT`` from ``CONTACT_URL`` and
``USER_AGENT_TEMPLATE`` once every setting source is applied, so ``scrapy crawl antv -s CONTACT_URL=https://...``
names the right contact. A ``USER_AGENT`` given with a higher priority than the settings module (``-s
USER_AGENT=...``, a spider's ``custom_settings``) is left alone.

The rest is plain Scrapy settings (crawler/settings.py): ``ROBOTSTXT_OBEY``, AutoThrottle,
``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.settings import SETTINGS_PRIORITIES

if TYPE_CHECKING:
    from scrapy.settings import Settings


def user_agent(settings: Settings) -> str:
    template = settings.get("USER_AGENT_TEMPLATE") or "vn-news-crawler/0.1 (+{contact_url})"
    return template.format(contact_url=settings.get("CONTACT_URL"))


class ContactUserAgent:
    def update_settings(self, settings: Settings) -> None:
        if not settings.get("CONTACT_URL"):
            return
        priority = settings.getpriority("USER_AGENT") or 0
        if priority > SETTINGS_PRIORITIES["project"]:
            return  # set explicitly for this crawl
        settings.set("USER_AGENT", user_agent(settings), priority=max(priority, SETTINGS_PRIORITIES["project"]))
