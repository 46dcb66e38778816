"""Near-duplicates: the same story republished by several outlets (wire copy with small edits).

Exact duplicates (same canonical URL, native id or text hash) are stored once by :mod:`crawler.storage`; near
duplicates are different rows, kept, and linked: every article of a cluster gets the same ``articles.cluster_id``,
the id of the cluster's first-stored (smallest id) article. ``cluster_id`` is NULL for an article with no
near-duplicate.

Method: MinHash over word shingles (the `rensa <https://github.com/beowolx/rensa>`_ library, in Rust) with LSH
banding kept in SQLite.

* The text (title, lead without its dateline prefix, body) is folded (NFC, case, diacritics and đ -> d) and cut
  into overlapping word 3-grams (:data:`SHINGLE_WORDS`).
* Its MinHash signature has :data:`PERMUTATIONS` 32-bit values; the share of equal values estimates the Jaccard
  similarity of two shingle sets.
* The signature is cut into :data:`BANDS` bands of :data:`ROWS` values. Each band is stored as one integer key (the
  band's number and a hash of its values) in ``neardup_bands``, whose primary key is ``(key, day, article_id)``:
  the articles sharing a band with a new one and published around it come from one index range per band (see the
  window below). A candidate whose estimate reaches
  :data:`ESTIMATE_FLOOR` and whose exact shingle Jaccard similarity reaches :data:`THRESHOLD` is a near-duplicate.
* Why 32 bands of 5 rows: a pair at 0.7 similarity becomes a candidate with probability 0.997 (0.9994 at 0.73,
  where the replicas' wire editions start), a pair at 0.3 with probability 0.08. The replicas write unrelated
  articles from shared sentence banks: 20% of their pairs reach 0.2 and 2.7% reach 0.3, so bands of 4 rows (the
  first version) made one earlier article in 17 a candidate, and the cost of a lookup grew with the corpus.
* Only articles published within :data:`WINDOW_DAYS` days of each other are compared: a wire story's editions
  appear within days of each other, and the bands are keyed by publication day too (``neardup_bands`` is ``(key,
  day, article_id)``), so a lookup reads the articles of a window of days, not every article that ever shared a
  band. Without it the candidates grew in proportion to the corpus: the replicas write unrelated articles from
  shared sentence banks, and any LSH that keeps pairs at 0.7 makes a constant share of such pairs candidates. An
  undated article (no publication date read) is compared with every article, and every article with it.
* Storage, under 1 KB per article: the estimate needs only whether two values are equal, so the stored signature
  keeps each value's low 8 bits (b-bit MinHash: two different values agree by chance with probability 1/256,
  which raises an estimate by at most 0.002); the bands come from the full values, at signing time.

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
from datetime import date

import rensa
import sqlite_utils

from crawler.storage import write_transaction

SHINGLE_WORDS = 3
BANDS, ROWS = 32, 5
PERMUTATIONS = BANDS * ROWS
SEED = 20261207
"""Fixed, so that stored signatures stay comparable across runs and machines (with the pinned rensa version)."""
THRESHOLD = 0.7
"""Jaccard similarity of the shingle sets from which two articles are near-duplicates (checked exactly)."""
ESTIMATE_FLOOR = 0.55
"""Candidates whose MinHash estimate is below this are rejected without the exact check."""
WINDOW_DAYS = 30
"""Articles published more than this many days apart are not compared (see the module's docstring); the
``NEAR_DUPLICATE_WINDOW_DAYS`` setting and ``dedupe-near --window-days`` choose another span."""
UNDATED = -1_000_000
"""The publication day of an article without a publication date (compared with every article): before any date's
(0001-01-01 is day -730,119), so no window reaches it."""
_DAY_ZERO = date(2000, 1, 1)
"""Days are counted from here: two bytes per band row in SQLite until 2089."""
TEXT_HASH_DIGITS = 16
"""Leading hex digits of ``articles.text_hash`` kept with a signature: enough to notice that the text changed."""
_BAND_KEY_BITS = 26
"""Bits of a band's hash in its key; with the band's number above them a key stays below 2^31 (4 bytes in
SQLite). Two different bands of two articles collide with probability 2^-26: a wasted candidate, never a wrong
link (the estimate and the exact check follow)."""
_BAND_KEYS = struct.Struct(f"<{BANDS}i")
_BAND_VALUES = struct.Struct(f"<{ROWS}I")
_ALL_VALUES = struct.Struct(f"<{PERMUTATIONS}I")
_DATELINE = re.compile(r"^\s*\((?:[^)]{1,20})\)\s*[-–:]?\s*")
_WORD = re.compile(r"\w+")


class _Unaccented(dict):
    """Code point -> the character without its diacritics (its canonical decomposition less the combining marks),
    filled on first use: ``str.translate`` then folds a text at C speed (twice as fast as filtering its NFD form
    character by character, and the same result, since every combining mark goes)."""

    def __missing__(self, code_point: int) -> str:
        bare = "".join(c for c in unicodedata.normalize("NFD", chr(code_point)) if not unicodedata.combining(c))
        self[code_point] = bare
        return bare


_UNACCENTED = _Unaccented()


def fold(text: str) -> str:
    """Lower case, without diacritics: "Đà Nẵng" -> "da nang"."""
    return text.casefold().replace("đ", "d").translate(_UNACCENTED)


def shingles(title: str, lead: str, body: str) -> set[bytes]:
    words = _WORD.findall(fold(" ".join((title, _DATELINE.sub("", lead), body))))
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    # The words side by side with the next two, rather than a slice per position: 15% less of signing's CPU.
    return {" ".join(shingle).encode() for shingle in zip(*(words[i:] for i in range(SHINGLE_WORDS)))}


def minhash(shingle_set: Iterable[bytes]) -> list[int]:
    """The :data:`PERMUTATIONS` 32-bit MinHash values of a shingle set (all equal for an empty one)."""
    values = rensa.RMinHash(num_perm=PERMUTATIONS, seed=SEED)
    values.update(list(shingle_set))
    return values.digest()


def signature(values: list[int]) -> bytes:
    """The stored signature: the low 8 bits of every value, one byte each (b-bit MinHash, see the module's
    docstring; :func:`similarity` counts equal bytes)."""
    return bytes(value & 0xFF for value in values)


def band_keys(values: list[int]) -> list[int]:
    """One integer per band: the band's number in the top bits, a hash of its :data:`ROWS` values below."""
    mask = (1 << _BAND_KEY_BITS) - 1
    packed = memoryview(_ALL_VALUES.pack(*values))  # each band's bytes a slice of it, packed at once
    width = _BAND_VALUES.size
    return [
        (band << _BAND_KEY_BITS)
        | (
            int.from_bytes(hashlib.blake2b(packed[band * width : (band + 1) * width], digest_size=4).digest(), "little")
            & mask
        )
        for band in range(BANDS)
    ]


def publication_day(published: str | None) -> int:
    """The day of an ISO 8601 publication time (``articles.published``) as a number, or :data:`UNDATED`."""
    try:
        return (date.fromisoformat((published or "")[:10]) - _DAY_ZERO).days
    except (TypeError, ValueError):  # not a date, or not text (a blob written into the column by another tool)
        return UNDATED


def define_publication_day(db: sqlite_utils.Database) -> None:
    """Make :func:`publication_day` a function of ``db``'s SQL, the same code the bands are stored with."""
    db.conn.create_function("publication_day", 1, publication_day, deterministic=True)


def signed(title: str, lead: str, body: str) -> tuple[bytes, list[int]]:
    """(stored signature, band keys) of an article's text."""
    values = minhash(shingles(title, lead, body))
    return signature(values), band_keys(values)


_LANE_ONES = sum(1 << (8 * i) for i in range(PERMUTATIONS))
_LANE_LOW = _LANE_ONES * 0x7F
_LANE_HIGH = _LANE_ONES << 7


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two stored signatures: the share of equal values.

    Counted on the signatures read as two big integers, in a few C-level operations instead of a Python loop. In
    their XOR an equal value is a zero 8-bit lane. Adding 0x7F to a lane's low 7 bits carries into its top bit
    exactly when they are not all zero, and never into the next lane; OR-ing the lane itself adds its own top bit.
    So the top bits set count the unequal values."""
    diff = int.from_bytes(first, "little") ^ int.from_bytes(second, "little")
    unequal = ((((diff & _LANE_LOW) + _LANE_LOW) | diff) & _LANE_HIGH).bit_count()
    return (PERMUTATIONS - unequal) / PERMUTATIONS


def jaccard(first: set[bytes], second: set[bytes]) -> float:
    if not first and not second:
        return 1.0
    return len(first & second) / len(first | second)


def pack_band_keys(keys: list[int]) -> bytes:
    """An article's band keys as ``neardup_signatures.band_keys`` stores them."""
    return _BAND_KEYS.pack(*keys)


def unpack_band_keys(packed: bytes) -> list[int]:
    """The band keys a ``neardup_signatures.band_keys`` value holds."""
    return list(_BAND_KEYS.unpack(packed))


def store_signature(
    db: sqlite_utils.Database, article_id: int, text_hash: str, sig: bytes, keys: list[int], day: int
) -> None:
    """Write (or replace) an article's signature and its band keys on its publication ``day``
    (:func:`publication_day`), removing the keys of its previous text."""
    previous = db.execute("SELECT band_keys, day FROM neardup_signatures WHERE article_id = ?", [article_id]).fetchone()
    if previous:
        db.conn.executemany(
            "DELETE FROM neardup_bands WHERE key = ? AND day = ? AND article_id = ?",
            [(key, previous[1], article_id) for key in unpack_band_keys(previous[0])],
        )
    db.execute(
        "INSERT OR REPLACE INTO neardup_signatures (article_id, signature, band_keys, text_hash, day) "
        "VALUES (?, ?, ?, ?, ?)",
        [article_id, sig, pack_band_keys(keys), text_hash[:TEXT_HASH_DIGITS], day],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO neardup_bands (key, day, article_id) VALUES (?, ?, ?)",
        [(key, day, article_id) for key in keys],
    )


_PENDING = (
    "SELECT a.id, a.title, a.lead, a.body, a.text_hash, a.published FROM articles a "
    "LEFT JOIN neardup_signatures s ON s.article_id = a.id "
    f"WHERE (s.article_id IS NULL OR s.text_hash != substr(a.text_hash, 1, {TEXT_HASH_DIGITS}) "
    "OR s.day != publication_day(a.published)) "
    "AND (:outlet IS NULL OR a.outlet = :outlet) AND a.id > :after ORDER BY a.id"
)
"""Articles to sign: unsigned, or whose text or publication day changed since (a re-extraction read another date:
their bands move to it). ``a.id > :after`` makes it a range of the primary key, not a scan of the corpus."""
_KEYS = ", ".join(f":k{band}" for band in range(BANDS))
_SIGNATURES_OF = (
    "SELECT s.article_id, s.signature FROM neardup_signatures s JOIN articles a ON a.id = s.article_id "
    "WHERE s.article_id != :article AND s.article_id IN "
)
"""The signatures of the articles of a subquery but one, of articles still stored (one deleted by another tool
leaves its signature behind)."""
_IN_WINDOW = (
    _SIGNATURES_OF + "("
    f"SELECT article_id FROM neardup_bands WHERE key IN ({_KEYS}) AND day BETWEEN :first AND :last "
    f"UNION SELECT article_id FROM neardup_bands WHERE key IN ({_KEYS}) AND day = {UNDATED})"
)
"""The other signed articles sharing a band with one published on a day, with their signatures, in one query: a
range of the bands' primary key per band for the window, and one for the undated articles."""
_ANY_DAY = _SIGNATURES_OF + f"(SELECT article_id FROM neardup_bands WHERE key IN ({_KEYS}))"
"""The same for an undated article: every day's."""


def candidates(
    db: sqlite_utils.Database, article_id: int, keys: list[int], day: int, window_days: int = WINDOW_DAYS
) -> list[tuple[int, bytes]]:
    """``(id, signature)`` of the other signed articles sharing one of ``keys`` (an article's bands) and published
    within ``window_days`` of ``day`` (or undated, or of any day when ``day`` is :data:`UNDATED`)."""
    bands = {f"k{band}": key for band, key in enumerate(keys)}
    if day == UNDATED:
        return db.execute(_ANY_DAY, {**bands, "article": article_id}).fetchall()
    window = {"first": day - window_days, "last": day + window_days}
    return db.execute(_IN_WINDOW, {**bands, **window, "article": article_id}).fetchall()


def update_near_duplicates(
    db: sqlite_utils.Database, outlet: str | None = None, after: int = 0, window_days: int = WINDOW_DAYS
) -> tuple[int, int]:
    """Sign the articles not signed yet (or whose text or publication day changed), of ``outlet`` or of all
    outlets, and link them to their near-duplicates (of any outlet) published within ``window_days``, in one
    transaction. Returns ``(signed, linked)``: articles signed, and articles that joined a cluster. The clusters do
    not depend on the order articles are signed in (similarity is symmetric, a cluster's id is its smallest
    member's), so each spider can sign its own outlet's articles.

    ``after``: only articles whose id is greater. Finding what needs signing otherwise reads every article of the
    outlet; a crawl linking batch by batch passes the newest id of its previous linking, and reads the whole
    corpus only once, at its close (for the older articles whose text a re-check changed)."""
    pending = {"outlet": outlet, "after": after}
    define_publication_day(db)
    # Shingling and signing need no lock: done first, so that parallel spiders hold the write lock only to look
    # up and write.
    presigned = {(row[0], row[4]): signed(*row[1:4]) for row in db.execute(_PENDING, pending)}
    count = linked = 0
    with write_transaction(db):
        # Read again under the lock: another process may have re-signed some meanwhile, or more were stored.
        for article_id, title, lead, body, text_hash, published in db.execute(_PENDING, pending).fetchall():
            sig, keys = presigned.get((article_id, text_hash)) or signed(title, lead, body)
            day = publication_day(published)
            store_signature(db, article_id, text_hash, sig, keys, day)
            count += 1
            linked += _link_to_near_duplicates(db, article_id, (title, lead, body), sig, keys, day, window_days)
    return count, linked


def relink_all(db: sqlite_utils.Database, window_days: int = WINDOW_DAYS) -> int:
    """Look for every signed article's near-duplicates again, published within ``window_days`` (their signatures
    stay): after a wider window than the one they were linked with. Returns how many articles joined a cluster;
    clusters only grow or merge."""
    linked = 0
    with write_transaction(db):
        signed_ids = [row[0] for row in db.execute("SELECT article_id FROM neardup_signatures ORDER BY article_id")]
        for article_id in signed_ids:  # one row at a time: the corpus may be large
            row = db.execute(
                "SELECT a.title, a.lead, a.body, s.signature, s.band_keys, s.day FROM neardup_signatures s "
                "JOIN articles a ON a.id = s.article_id WHERE s.article_id = ?",
                [article_id],
            ).fetchone()
            if row is not None:
                title, lead, body, sig, packed_keys, day = row
                keys = unpack_band_keys(packed_keys)
                linked += _link_to_near_duplicates(db, article_id, (title, lead, body), sig, keys, day, window_days)
    return linked


def _link_to_near_duplicates(
    db: sqlite_utils.Database,
    article_id: int,
    text: tuple[str, str, str],
    sig: bytes,
    keys: list[int],
    day: int,
    window_days: int,
) -> int:
    """Link a signed article (``text``: its title, lead and body) to the candidates whose estimate and exact
    similarity pass; return how many articles changed cluster."""
    passing = sorted(
        candidate
        for candidate, other in candidates(db, article_id, keys, day, window_days)
        if similarity(sig, other) >= ESTIMATE_FLOOR
    )
    if not passing:
        return 0
    own = shingles(*text)
    matches = [
        candidate
        for candidate in passing
        if jaccard(
            own, shingles(*db.execute("SELECT title, lead, body FROM articles WHERE id = ?", [candidate]).fetchone())
        )
        >= THRESHOLD
    ]
    return _link(db, [article_id, *matches]) if matches else 0


def _link(db: sqlite_utils.Database, members: list[int]) -> int:
    """Put ``members`` and every article of their clusters in one cluster; return how many articles changed."""
    placeholders = ", ".join("?" for _ in members)
    clusters = [
        row[0]
        for row in db.execute(
            f"SELECT DISTINCT cluster_id FROM articles WHERE id IN ({placeholders}) AND cluster_id IS NOT NULL", members
        )
    ]
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
