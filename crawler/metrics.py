"""The shingle metric of the Zyte article-extraction benchmark (``shared/benchmarks/zyte-article-extraction``).

Tokens are ``\\w+`` matches (Unicode); a text is the multiset of its 4-token shingles (with counts). Per page,
tp/fp/fn are the sizes of the multiset intersection and differences, normalised so that tp + fp + fn = 1;
precision = tp / (tp + fp), recall = tp / (tp + fn). Over a corpus, precision and recall are averaged over
pages and F1 = 2PR / (P + R) is computed from those averages.

Edge cases follow the benchmark's ``evaluate.py``: a text shorter than 4 tokens is one shingle of all its
tokens; a page with no shingles on either side scores precision and recall 1; an empty prediction scores
recall 0 and is left out of the precision average (and an empty expected text out of the recall average).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE) -> Counter:
    words = tokens(text)
    if not words:
        return Counter()
    if len(words) < n:
        return Counter([tuple(words)])
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def shingle_counts(predicted: str | None, expected: str | None) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page; (0, 0, 0) when both texts are empty."""
    got, want = shingles(predicted), shingles(expected)
    tp = sum((got & want).values())
    fp = sum((got - want).values())
    fn = sum((want - got).values())
    total = tp + fp + fn
    if not total:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def shingle_scores(predicted: str | None, expected: str | None) -> tuple[float, float, float]:
    """(precision, recall, f1) of one page."""
    counts = shingle_counts(predicted, expected)
    precision, recall = _precision(*counts), _recall(*counts)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass
class CorpusScore:
    precision: float
    recall: float
    f1: float
    pages: int

    def __str__(self) -> str:
        return f"F1 {self.f1:.3f} (P {self.precision:.3f}, R {self.recall:.3f}, {self.pages} pages)"


def corpus_scores(pairs: Iterable[tuple[str | None, str | None]]) -> CorpusScore:
    """Precision averaged over the pages with a prediction (tp + fp > 0), recall over the pages with an expected
    text (tp + fn > 0), as the benchmark does; F1 of those two averages."""
    counts = [shingle_counts(predicted, expected) for predicted, expected in pairs]
    precisions = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return CorpusScore(p, r, f1, len(counts))
