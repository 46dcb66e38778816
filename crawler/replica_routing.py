"""Replica mode: serve an outlet's live URLs from the offline replica server.

With the ``REPLICA_URL`` setting, :class:`ReplicaRouting` (a Scrapy add-on) replaces the HTTP(S) download handler
by :class:`ReplicaDownloadHandler`, which sends each request to the replica with the live host in the ``Host``
header and hands the response back under the live URL. Everything above the download handler (spiders, robots.txt,
dupefilter, retries, pipelines) sees exactly what it would see on the live site, so the same code is tested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import Settings

HANDLER_PATH = f"{__name__}.ReplicaDownloadHandler"


def replica_request_url(live_url: str, replica_url: str) -> str:
    """Where the replica serves ``live_url``: same path and query, on the replica's address, over plain HTTP."""
    live = urlsplit(live_url)
    replica = urlsplit(replica_url)
    return urlunsplit((replica.scheme, replica.netloc, live.path or "/", live.query, ""))


class ReplicaDownloadHandler(HTTP11DownloadHandler):
    """HTTP(S) download handler that fetches every live URL from the replica server."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.replica_url: str = crawler.settings["REPLICA_URL"]

    async def download_request(self, request: Request) -> Response:
        live_host = urlsplit(request.url).netloc
        routed = request.replace(url=replica_request_url(request.url, self.replica_url))
        routed.headers["Host"] = live_host
        response = await super().download_request(routed)
        return response.replace(url=request.url)


class ReplicaRouting:
    """Add-on: when ``REPLICA_URL`` is set, route HTTP and HTTPS downloads to the replica."""

    def update_settings(self, settings: Settings) -> None:
        if not settings.get("REPLICA_URL"):
            return
        settings.set("DOWNLOAD_HANDLERS", {"http": HANDLER_PATH, "https": HANDLER_PATH}, priority="addon")
