"""JSON form of the items that travel through Redis from the workers to the writer.

JSON rather than pickle: the writer may run another version of the code than a worker, and a human can read the
queue with ``redis-cli``. ``{"kind": "article" | "failure", "item": {dataclass fields}}``.
"""

from __future__ import annotations

import dataclasses
import json

from crawler.items import Article, Image, PageFailure

QueuedItem = Article | PageFailure


def encode_item(item: QueuedItem) -> str:
    kind = "article" if isinstance(item, Article) else "failure"
    return json.dumps({"kind": kind, "item": dataclasses.asdict(item)}, ensure_ascii=False)


def decode_item(data: str | bytes) -> QueuedItem:
    """The item ``data`` encodes; ``ValueError`` when it is not one."""
    message = json.loads(data)
    try:
        kind, fields = message["kind"], message["item"]
        if kind == "article":
            return Article(**{**fields, "images": [Image(**image) for image in fields.get("images", [])]})
        if kind == "failure":
            return PageFailure(**fields)
    except (KeyError, TypeError) as error:  # missing or unexpected fields: another version's item
        raise ValueError(f"not a queued item: {error}") from error
    raise ValueError(f"unknown item kind {kind!r}")
