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
* Cost: candidates grow with the corpus (on the replicas, about one in 17 earlier articles), and 99.9% of them
  fail the estimate. So the candidates' signatures come in one query, the estimate is a few big-integer
  operations (:func:`similarity`), and only candidates that pass it have their text read.

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


def signature(shingle_set: Iterable[bytes]) -> bytes:
    """The MinHash signature, packed as stored (:data:`PERMUTATIONS` little-endian 64-bit values)."""
    hashes = [int.from_bytes(hashlib.blake2b(s, digest_size=8).digest(), "little") for s in shingle_set]
    if not hashes:
        return _SIGNATURE.pack(*(_MASK,) * PERMUTATIONS)
    return _SIGNATURE.pack(*(min((a * x + b) % _PRIME for x in hashes) for a, b in _COEFFICIENTS))


_LANE_ONES = sum(1 << (64 * i) for i in range(PERMUTATIONS))
_LANE_LOW = _LANE_ONES * ((1 << 63) - 1)
_LANE_HIGH = _LANE_ONES << 63


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two packed signatures: the share of equal values.

    Counted on the signatures read as two big integers, in a few C-level operations instead of 128 Python
    comparisons (twice as fast). In their XOR an equal value is a zero 64-bit lane. Adding 2^63-1 to a lane's low
    63 bits carries into its top bit exactly when they are not all zero, and never into the next lane; OR-ing the
    lane itself adds its own top bit. So the top bits set count the unequal values."""
    diff = int.from_bytes(first, "little") ^ int.from_bytes(second, "little")
    unequal = ((((diff & _LANE_LOW) + _LANE_LOW) | diff) & _LANE_HIGH).bit_count()
    return (PERMUTATIONS - unequal) / PERMUTATIONS


def jaccard(first: set[bytes], second: set[bytes]) -> float:
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def band_hashes(packed: bytes) -> list[str]:
    size = ROWS * 8
    return [hashlib.blake2b(packed[band * size:(band + 1) * size], digest_size=8).hexdigest() for band in range(BANDS)]


_PENDING = (
    "SELECT a.id, a.title, a.lead, a.body, a.text_hash FROM articles a LEFT JOIN minhashes m ON m.article_id = a.id "
    "WHERE (m.article_id IS NULL OR m.text_hash != a.text_hash) AND (:outlet IS NULL OR a.outlet = :outlet) "
    "ORDER BY a.id"
)
_CANDIDATES = (
    "SELECT article_id, signature FROM minhashes WHERE article_id != ? AND article_id IN ("
    + " UNION ALL ".join(["SELECT article_id FROM minhash_bands WHERE band = ? AND hash = ?"] * BANDS) + ")"
)
"""The other signed articles sharing a band with one, with their signatures: one query instead of one per band and
one per candidate."""


def update_near_duplicates(db: sqlite_utils.Database, outlet: str | None = None) -> tuple[int, int]:
    """Sign the articles not signed yet (or whose text changed), of ``outlet`` or of all outlets, and link them to
    their near-duplicates (of any outlet), in one transaction. Returns ``(signed, linked)``: articles signed, and
    articles that joined a cluster. The clusters do not depend on the order articles are signed in (similarity is
    symmetric, a cluster's id is its smallest member's), so each spider can sign its own outlet's articles."""
    pending = {"outlet": outlet}
    # Signing is the costly part per article (pure Python) and needs no lock: done first, so that parallel spiders
    # sign at the same time and hold the write lock only to look up and write.
    presigned = {(row[0], row[4]): signature(shingles(*row[1:4])) for row in db.execute(_PENDING, pending)}
    signed = linked = 0
    with write_transaction(db):
        # Read again under the lock: another process may have re-signed some meanwhile, or more were stored.
        for article_id, title, lead, body, text_hash in db.execute(_PENDING, pending).fetchall():
            sig = presigned.get((article_id, text_hash)) or signature(shingles(title, lead, body))
            bands = band_hashes(sig)
            db.execute("DELETE FROM minhash_bands WHERE article_id = ?", [article_id])
            db.execute(
                "INSERT OR REPLACE INTO minhashes (article_id, signature, text_hash) VALUES (?, ?, ?)",
                [article_id, sig, text_hash],
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO minhash_bands (band, hash, article_id) VALUES (?, ?, ?)",
                [(band, value, article_id) for band, value in enumerate(bands)],
            )
            signed += 1
            passing = sorted(
                candidate
                for candidate, other in db.execute(
                    _CANDIDATES, [article_id, *(v for band in enumerate(bands) for v in band)]
                )
                if similarity(sig, other) >= ESTIMATE_FLOOR
            )
            own = shingles(title, lead, body) if passing else set()
            matches = [
                candidate for candidate in passing
                if jaccard(own, shingles(*db.execute(
                    "SELECT title, lead, body FROM articles WHERE id = ?", [candidate]).fetchone())) >= THRESHOLD
            ]
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
