"""Deeply nested markup loses no text: libxml2 stops parsing at depth 256 (2048 with ``huge_tree``) and silently
drops the rest of the page, so extraction flattens what is nested deeper. Pages are the replica's articles with
generated nesting inserted; expectations are the replica's ground truth."""

from __future__ import annotations

import random
import re

import pytest

from crawler import outlets
from crawler.extraction import extract
from crawler.extraction.html import LIBXML2_MAX_DEPTH, parse

replica_sites = pytest.importorskip("crawler.replica.sites")

OUTLETS = outlets.names()


def article_page(outlet: str):
    site = replica_sites.site_class(outlet)(4)
    expected = next(a for a in site.articles if not a.is_seed)
    return expected, site.handle(expected.path).body.decode("utf-8")


def insert_before_paragraph(html: str, paragraph: str, markup: str) -> str:
    words = r"(?:\s|<[^>]*>)+".join(map(re.escape, paragraph.split()[:4]))  # inline tags may sit between them
    at = html.rfind("<p", 0, re.search(words, html).start())
    return html[:at] + markup + html[at:]


def insert_after_body_tag(html: str, markup: str) -> str:
    at = html.index(">", html.index("<body")) + 1
    return html[:at] + markup + html[at:]


def assert_whole_article(article, expected) -> None:
    assert article.title == expected.title
    assert article.lead == expected.lead
    assert article.body.split("\n\n") == expected.body


@pytest.mark.parametrize("outlet", OUTLETS)
@pytest.mark.parametrize("depth", [300, 3000])  # past libxml2's limit, and past huge_tree's
@pytest.mark.parametrize("closed", [True, False], ids=["nested", "unclosed"])
def test_deep_nesting_in_mid_body_keeps_every_paragraph(outlet, depth, closed):
    expected, html = article_page(outlet)
    nesting = "<div>" * depth + ("</div>" * depth if closed else "")
    page = insert_before_paragraph(html, expected.body[1], nesting)
    assert_whole_article(extract(page, expected.url, outlets.get(outlet)), expected)


@pytest.mark.parametrize("outlet", OUTLETS)
@pytest.mark.parametrize("depth", [300, 3000])
def test_deep_nesting_before_the_article_leaves_it_an_article(outlet, depth):
    expected, html = article_page(outlet)
    page = insert_after_body_tag(html, "<div>" * depth + "<span class='x'>" * depth)
    assert_whole_article(extract(page, expected.url, outlets.get(outlet)), expected)


def test_tag_soup_of_any_depth_keeps_every_word_and_stays_under_the_limit():
    """Runaway nesting of every kind (wrappers, paragraphs, lists, tables, headings, self-closed, misnested and
    stray end tags): every word is in the tree, and no element is as deep as libxml2's limit."""
    tags = [
        "div",
        "span",
        "p",
        "b",
        "font",
        "ul",
        "li",
        "table",
        "tr",
        "td",
        "section",
        "blockquote",
        "h2",
        "a",
        "dl",
        "dd",
        "em",
        "select",
        "option",
        "o:p",
        "br",
        "img",
    ]
    rng = random.Random(11)
    for _ in range(40):
        pool = rng.sample(tags, rng.randint(2, 8))
        parts = ["<html><body>"]
        for index in range(3000):
            roll, tag = rng.random(), rng.choice(pool)
            attributes = (" class='c'" if rng.random() < 0.5 else "") + ("/" if rng.random() < 0.1 else "")
            parts.append(f"<{tag}{attributes}>" if roll < 0.8 else f"</{tag}>" if roll < 0.9 else f" w{index} ")
        html = "".join(parts)
        tree = parse(html)
        assert set(re.findall(r"w\d+", tree.text_content())) == set(re.findall(r"w\d+", html)), pool
        deepest = max(sum(1 for _ in element.iterancestors()) for element in tree.iter())
        assert deepest < LIBXML2_MAX_DEPTH, pool
