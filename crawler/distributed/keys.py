"""Every Redis key of the distributed mode, named in one place: workers, the writer, the tests and the README's
monitoring section all take them from here.

Keys start with the project's ``BOT_NAME`` (``vn-news-crawler``), so one Redis can serve several projects; the
per-outlet ones carry the spider name. ``keys.requests("%(spider)s")`` gives the template scrapy-redis expects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class RedisKeys:
    prefix: str

    @classmethod
    def of(cls, settings: BaseSettings) -> RedisKeys:
        return cls(settings["BOT_NAME"])

    # --- one set of each per outlet (spider) ---------------------------------------------------------------------
    def requests(self, spider: str) -> str:
        """Sorted set: the shared request queue (scrapy-redis PriorityQueue, pickled requests)."""
        return f"{self.prefix}:{spider}:requests"

    def dupefilter(self, spider: str) -> str:
        """Set: fingerprints of every request scheduled in the current run (cleared when a new run starts)."""
        return f"{self.prefix}:{spider}:dupefilter"

    def stored(self, spider: str) -> str:
        """Set: fingerprints of the URLs of articles stored in SQLite (published by the writer; never cleared)."""
        return f"{self.prefix}:{spider}:stored"

    def workers(self, spider: str) -> str:
        """Sorted set: live worker id -> time of its last heartbeat (Redis server clock)."""
        return f"{self.prefix}:{spider}:workers"

    def busy(self, spider: str) -> str:
        """Sorted set: worker id -> last time it had requests in hand (it may still add to the queue)."""
        return f"{self.prefix}:{spider}:busy"

    # --- one of each for the project -----------------------------------------------------------------------------
    @property
    def items(self) -> str:
        """List: articles and failures (JSON) waiting for the writer."""
        return f"{self.prefix}:items"

    @property
    def items_writing(self) -> str:
        """List: the batch the writer has taken but not yet committed (replayed if the writer died)."""
        return f"{self.prefix}:items:writing"

    @property
    def items_rejected(self) -> str:
        """List: queued entries the writer could not decode, kept for a human to look at."""
        return f"{self.prefix}:items:rejected"
