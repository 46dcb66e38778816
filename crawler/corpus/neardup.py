"""Near-duplicates: the same story republished by several outlets (wire copy with small edits).

Exact duplicates (same canonical URL, native id or text hash) are stored once by :mod:`crawler.storage`; near
duplicates are different rows, kept, and linked: every article of a cluster gets the same ``articles.cluster_id``,
the id of the cluster's first-stored (smallest id) article. ``cluster_id`` is NULL for an article with no
near-duplicate.

Method: MinHash over word shingles with LSH banding, in pure Python.

* The text (title, lead without its dateline prefix, body) is folded (NFC, case, diacritics and đ -> d) and cut
  into overlapping word 3-grams (:data:`SHINGLE_WORDS`).
* Its MinHash signature has :data:`PERMUTATIONS` values (``min((a*x + b) mod p)`` over the shingles' 64-bit
  hashes); the share of equal values estimates the Jaccard similarity of two shingle sets.
* The signature is cut into :data:`BANDS` bands of :data:`ROWS` values; two articles sharing one band's hash are
  candidates (``minhash_bands`` table, an index lookup); a candidate whose estimate reaches :data:`ESTIMATE_FLOOR`
  and whose exact shingle Jaccard similarity reaches :data:`THRESHOLD` is a near-duplicate. With 32 bands of 4,
  pairs at 0.7 similarity become candidates with probability > 0.999, pairs at 0.2 with probability < 0.05.
  (Unrelated replica articles, built from shared sentence banks, reach 0.57; wire editions 0.73 and more.)

Incremental: :func:`update_near_duplicates` signs only articles without a signature, or whose text changed since
(re-extraction, content updates), so running it after every crawl costs what the crawl added. Links are never
removed: a cluster only grows or merges.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Iterable

import sqlite_utils

from crawler.storage import write_transaction

SHINGLE_WORDS = 3
PERMUTATIONS = 128
BANDS, ROWS = 32, 4
THRESHOLD = 0.7
"""Jaccard similarity of the shingle sets from which two articles are near-duplicates (checked exactly)."""
ESTIMATE_FLOOR = 0.55
"""Candidates whose MinHash estimate is below this are rejected without the exact check."""
_PRIME = (1 << 61) - 1
_MASK = (1 << 64) - 1
_SIGNATURE = struct.Struct(f"<{PERMUTATIONS}Q")


def _coefficients() -> list[tuple[int, int]]:
    # Deterministic (stored signatures stay comparable across runs and machines): derived from a fixed label.
    pairs = []
    for i in range(PERMUTATIONS):
        digest = hashlib.blake2b(f"minhash/{i}".encode(), digest_size=16).digest()
        a = int.from_bytes(digest[:8], "little") % (_PRIME - 1) + 1
        b = int.from_bytes(digest[8:], "little") % _PRIME
        pairs.append((a, b))
    return pairs


_COEFFICIENTS = _coefficients()
_DATELINE = re.compile(r"^\s*\((?:[^)]{1,20})\)\s*[-–:]?\s*")
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case, without diacritics: "Đà Nẵng" -> "da nang"."""
    text = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))


def shingles(title: str, lead: str, body: str) -> set[bytes]:
    words = _WORD.findall(fold(" ".join((title, _DATELINE.sub("", lead), body))))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(shingle_set: Iterable[bytes]) -> tuple[int, ...]:
    hashes = [int.from_bytes(hashlib.blake2b(s, digest_size=8).digest(), "little") for s in shingle_set]
    if not hashes:
        return (_MASK,) * PERMUTATIONS
    return tuple(min((a * x + b) % _PRIME for x in hashes) for a, b in _COEFFICIENTS)


def similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    return sum(1 for x, y in zip(first, second) if x == y) / PERMUTATIONS


def jaccard(first: set[bytes], second: set[bytes]) -> float:
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def band_hashes(sig: tuple[int, ...]) -> list[str]:
    return [
        hashlib.blake2b(_SIGNATURE.pack(*sig)[band * ROWS * 8:(band + 1) * ROWS * 8], digest_size=8).hexdigest()
        for band in range(BANDS)
    ]


def _load(blob: bytes) -> tuple[int, ...]:
    return _SIGNATURE.unpack(blob)


def update_near_duplicates(db: sqlite_utils.Database) -> tuple[int, int]:
    """Sign the articles not signed yet (or whose text changed) and link them to their near-duplicates, in one
    transaction. Returns ``(signed, linked)``: articles signed, and articles that joined a cluster."""
    signed = linked = 0
    with write_transaction(db):
        pending = db.execute(
            "SELECT a.id, a.title, a.lead, a.body, a.text_hash FROM articles a "
            "LEFT JOIN minhashes m ON m.article_id = a.id "
            "WHERE m.article_id IS NULL OR m.text_hash != a.text_hash ORDER BY a.id"
        ).fetchall()
        for article_id, title, lead, body, text_hash in pending:
            sig = signature(shingles(title, lead, body))
            bands = band_hashes(sig)
            db.execute("DELETE FROM minhash_bands WHERE article_id = ?", [article_id])
            db.execute(
                "INSERT OR REPLACE INTO minhashes (article_id, signature, text_hash) VALUES (?, ?, ?)",
                [article_id, _SIGNATURE.pack(*sig), text_hash],
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO minhash_bands (band, hash, article_id) VALUES (?, ?, ?)",
                [(band, value, article_id) for band, value in enumerate(bands)],
            )
            signed += 1
            candidates = {
                row[0]
                for band, value in enumerate(bands)
                for row in db.execute(
                    "SELECT article_id FROM minhash_bands WHERE band = ? AND hash = ? AND article_id != ?",
                    [band, value, article_id],
                )
            }
            matches = []
            own: set[bytes] | None = None
            for candidate in sorted(candidates):
                row = db.execute(
                    "SELECT m.signature, a.title, a.lead, a.body FROM minhashes m JOIN articles a ON a.id = m.article_id "
                    "WHERE m.article_id = ?", [candidate],
                ).fetchone()
                if not row or similarity(sig, _load(row[0])) < ESTIMATE_FLOOR:
                    continue
                own = own if own is not None else shingles(title, lead, body)
                if jaccard(own, shingles(*row[1:])) >= THRESHOLD:
                    matches.append(candidate)
            if matches:
                linked += _link(db, [article_id, *matches])
    return signed, linked


def _link(db: sqlite_utils.Database, members: list[int]) -> int:
    """Put ``members`` and every article of their clusters in one cluster; return how many articles changed."""
    placeholders = ", ".join("?" for _ in members)
    clusters = [row[0] for row in db.execute(
        f"SELECT DISTINCT cluster_id FROM articles WHERE id IN ({placeholders}) AND cluster_id IS NOT NULL", members
    )]
    cluster_id = min([*members, *clusters])
    cluster_placeholders = ", ".join("?" for _ in clusters) or "NULL"
    cursor = db.execute(
        f"UPDATE articles SET cluster_id = ? WHERE (id IN ({placeholders}) OR cluster_id IN ({cluster_placeholders})) "
        "AND cluster_id IS NOT ?",
        [cluster_id, *members, *clusters, cluster_id],
    )
    return cursor.rowcount


def clusters(db: sqlite_utils.Database) -> list[list[dict]]:
    """Every cluster, largest first: its articles (id, outlet, title, url), oldest first."""
    groups: dict[int, list[dict]] = {}
    for row in db.query(
        "SELECT cluster_id, id, outlet, title, url FROM articles WHERE cluster_id IS NOT NULL ORDER BY cluster_id, id"
    ):
        groups.setdefault(row.pop("cluster_id"), []).append(row)
    return sorted(groups.values(), key=lambda members: (-len(members), members[0]["id"]))
