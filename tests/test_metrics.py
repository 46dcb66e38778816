"""The Zyte shingle metric (tests/data/benchmarks/zyte-article-extraction/README.md)."""

import pytest

from crawler.metrics import corpus_scores, shingle_counts, shingle_scores, shingles

TEXT = "Ngoại trưởng các nước thành viên NATO đã kết thúc ngày nhóm họp đầu tiên tại Bucharest"


def test_tokens_are_unicode_words_and_shingles_have_counts():
    assert shingles("a b c d a b c d") == {
        ("a", "b", "c", "d"): 2,
        ("b", "c", "d", "a"): 1,
        ("c", "d", "a", "b"): 1,
        ("d", "a", "b", "c"): 1,
    }
    assert shingles("Đà Nẵng, 2024!") == {("Đà", "Nẵng", "2024"): 1}  # fewer than 4 tokens: one shingle
    assert shingles("") == {}


def test_identical_and_disjoint():
    assert shingle_scores(TEXT, TEXT) == (1.0, 1.0, 1.0)
    assert shingle_scores(TEXT, "một hai ba bốn năm sáu") == (0.0, 0.0, 0.0)
    assert shingle_scores("", "") == (1.0, 1.0, 1.0)
    assert shingle_scores("", TEXT)[1] == 0.0


def test_punctuation_and_spacing_do_not_matter():
    assert shingle_scores(TEXT.replace(" ", "  \n"), TEXT)[2] == 1.0


def test_counts_are_normalised_per_page():
    extra = TEXT + " " + "chữ thừa " * 5
    tp, fp, fn = shingle_counts(extra, TEXT)
    assert tp + fp + fn == pytest.approx(1.0)
    assert fn == 0
    precision, recall, f1 = shingle_scores(extra, TEXT)
    assert recall == 1.0 and precision == pytest.approx(tp / (tp + fp))
    assert f1 == pytest.approx(2 * precision * recall / (precision + recall))


def test_corpus_averages_precision_and_recall_then_f1():
    half = " ".join(TEXT.split()[:9])
    score = corpus_scores([(TEXT, TEXT), (half, TEXT)])
    p2, r2, _ = shingle_scores(half, TEXT)
    assert score.precision == pytest.approx((1 + p2) / 2)
    assert score.recall == pytest.approx((1 + r2) / 2)
    assert score.f1 == pytest.approx(2 * score.precision * score.recall / (score.precision + score.recall))
    # an empty prediction counts in recall (0) but not in the precision average, as in the benchmark's code
    score = corpus_scores([(TEXT, TEXT), ("", TEXT)])
    assert score.precision == 1.0 and score.recall == 0.5
