"""Every number the extraction rules compare against, in one options object (trafilatura's ``Extractor`` options
are the model): what a rule measures is said where the rule is, how much is enough is said here, once.

Lengths are in characters of normalised text unless a name says otherwise; shares are fractions of a text's
length. The values were measured on the reference pages (``python -m crawler evaluate``): changing one changes
what the extractor keeps, so run the evaluation before and after. Decoding and parsing limits (a charset's
replacement characters, libxml2's depth) are not extraction rules and stay with their code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    # --- what is an article (core) --------------------------------------------------------------------------------
    min_text: int = 250
    """Fewer characters of lead and body than this is not an article (a stub, a video or radio page) unless the
    page says it is one (a publication date, article metadata, a datelined sapo)."""
    min_article_text: int = 80
    """The floor for a page that says it is an article: a two-sentence brief is kept."""
    min_unclaimed_text: int = 500
    """Below this, a page that does not say it is an article and whose only text is the sapo of a teaser linking
    to another page is a section page showing one featured story."""
    soft_404_text: int = 1000
    """A page whose text is shorter than this and says "not found" is a soft 404."""
    max_listing_share: float = 0.4
    """More than this share of an "article"'s text is link texts or teasers of other pages: a listing."""
    datelined_paragraphs: int = 3
    """This many paragraphs opening with a dateline: the sapos of a list of articles, a listing."""

    # --- teasers of other pages (core, noise) ---------------------------------------------------------------------
    link_text: int = 20
    """A link whose text is at least this long is a headline (or a phrase of one) when article text repeats it."""
    headline_link: int = 30
    """A link this long to another page is a headline link: with the short text around it, a teaser."""
    teaser_item_text: int = 700
    """A teaser item (headline link and sapo) holds at most this much text."""
    teaser_item_depth: int = 4
    """A teaser item is found at most this many levels above its headline link."""
    teaser_list: int = 3
    """A list of teasers has at least this many items."""
    teaser_ancestors: int = 2
    """Levels above a sapo searched for the teaser it may belong to."""
    teaser_box_link: int = 15
    """In an unlabelled box of other articles, an item's headline link is at least this long..."""
    teaser_box_link_share: float = 0.25
    """...and at least this share of the item's text,"""
    teaser_box_thumbnail_text: int = 400
    """...or the item is a thumbnail link with less text than this."""
    teaser_box_items: int = 2
    """An unlabelled box of other articles holds at least this many of them."""
    teaser_box_share: float = 0.8
    """Such items make up this share of a box's items and of its text: the box is a list of other articles."""

    # --- title, lead, body (core, fields) -------------------------------------------------------------------------
    min_headline: int = 15
    """A headline is at least this long: a page title shorter than this ("Opinion", a site's name) names no
    headline beside the page's h1, a shorter marked headline is a label."""
    headline_link_density: float = 0.5
    """An element marked as the headline that is more links than this is a teaser's."""
    site_name_suffix: int = 40
    """The part of a <title> after its last separator, shorter than this, is the site's name."""
    kicker_text: int = 200
    """Text blocks above the title shorter than this are kickers and labels, not article text."""
    min_sapo: int = 40
    """A sapo is at least this long..."""
    max_sapo: int = 1200
    """...and at most this long,"""
    sapo_candidates: int = 40
    """...among the first this many blocks after the title,"""
    sapo_link_density: float = 0.3
    """...at most this much of it links,"""
    sapo_paragraphs: int = 2
    """...in at most this many paragraphs."""
    lead_paragraphs: int = 6
    """Where the lead is taken from the body, it is among the first this many paragraphs."""
    repeated_text: int = 60
    """Two texts sharing an opening at least this long..."""
    repeated_share: float = 0.9
    """...over this share of the shorter one say the same (a sapo printed twice)."""
    body_paragraph: int = 80
    """A paragraph this long is body text (a lead is one paragraph of this size)."""
    standfirst_siblings: int = 2
    """A lead printed among at least this many body paragraphs opens the body; with fewer, it stands apart."""
    min_block_prose: int = 60
    """A block around the sapo holding this much prose of its own (links, sapo and title aside) is the article's."""
    byline_text: int = 80
    """A line after the body at most this long that reads as a byline is the byline,"""
    byline_siblings: int = 2
    """...looked for among the body's next siblings, this many."""

    # --- the generic path's readings (core) -----------------------------------------------------------------------
    keep_share: float = 0.45
    """The cleaned page's reading keeps less than this share of the untouched page's: a rule misread the
    structure, the untouched reading wins."""
    one_block_share: float = 0.8
    """trafilatura's reading that is one block holding this share of the text..."""
    paragraphs_found: int = 4
    """...loses to the other reading when that one finds this many paragraphs."""
    caption_piece: int = 20
    """A piece of a caption, or an image description, is longer than this: shorter lines ("Ảnh minh họa", a name)
    are in many a real paragraph."""
    alt_piece_share: float = 0.5
    """A paragraph that is this share of an image's description, or more, is the description printed again."""

    # --- images and captions (core, images) -----------------------------------------------------------------------
    image_box_text: int = 600
    """An element holding one image and less text than this is an image box (the image and its caption)."""
    caption_box_text: int = 400
    """A box holding one content image and less text than this, read as a caption, is the image's caption box."""
    caption_max: int = 300
    """A caption is a line or two, at most this long; a longer text next to an image is article prose."""
    credit_max: int = 40
    """What an image box may hold beside its classed caption: a photo credit this long."""
    caption_box_link_share: float = 0.3
    """A caption box is at most this much links..."""
    caption_box_paragraphs: int = 2
    """...in at most this many paragraphs."""
    italic_caption_share: float = 0.9
    """A line this much in italics is a caption (<p><em>caption</em></p>)."""
    tiny_image: int = 60
    """An image narrower or lower than this many pixels is an icon, not a content image."""

    # --- metadata (fields, authors) -------------------------------------------------------------------------------
    date_search_blocks: int = 25
    """Blocks after the title searched for the publication date..."""
    body_started_text: int = 200
    """...until a paragraph (or a block's own text) this long: the body has started."""
    date_line_text: int = 90
    """A date line is at most this long."""
    author_search_blocks: int = 12
    """Blocks after the title searched for the byline..."""
    author_line_text: int = 150
    """...each at most this long."""
    name_overlap: int = 4
    """Names share a part only when the shorter is at least this long."""
    author_text: int = 80
    """An author line is at most this long..."""
    byline_line_text: int = 90
    """A line that may be a byline is at most this long..."""
    byline_words: int = 12
    """...and this many words,"""
    byline_head_words: int = 6
    """...its part before the separator at most this many words."""
    lone_byline_text: int = 60
    """A byline printed alone (one text, no inner elements) near the title is at most this long."""
    source_line_text: int = 60
    """A source credit line ("Theo TTXVN") is at most this long."""
    affiliation_text: int = 70
    """An affiliation line after a name (a job title, a newsroom) is at most this long."""
    category_reach: int = 4
    """How many text blocks above the headline are searched for its section label."""
    category_ancestors: int = 2
    """The headline's ancestors whose preceding siblings are searched too (parent, grandparent)."""
    category_block_text: int = 120
    """A block above the headline longer than this is not a section label."""
    category_label: int = 40
    """A section label is shorter than this."""
    max_trail: int = 4
    """A breadcrumb is a few links (home, section, subsection); a row of more links is a menu."""
    trail_link_share: float = 0.7
    """A trail's links make up at least this share of its text."""

    # --- noise (noise) --------------------------------------------------------------------------------------------
    max_heading: int = 45
    """A noise heading is a few words: longer texts are never looked up."""
    widget_line: int = 160
    """A widget line is at most this long."""
    date_line: int = 60
    """A bare date line is at most this long..."""
    date_line_words: int = 1
    """...and holds at most this many words that are not date words."""
    media_box_text: int = 200
    """A media label's box is the label and at most a short media title this long."""
    promotion_box_text: int = 250
    """A sign-up box (the call and its pitch) is at most this long."""
    pitch_text: int = 300
    """A subscription pitch is a line at most this long..."""
    pitch_offers: int = 2
    """...with a call and an offer of the site's own, or this many offers."""
    player_chrome_text: int = 80
    """A video player's controls are a few short lines, at most this long each."""
    player_children: int = 4
    """A player's chrome element has at most this many children."""
    link_dense: float = 0.5
    """More than this share of links: a link list, not prose."""
    link_line: float = 0.8
    """A line (or a box of one link) more links than this is a link, not a sentence."""
    prose_paragraph: int = 100
    """A paragraph this long with fewer links than ``link_dense`` is prose..."""
    prose_paragraphs: int = 2
    """...and a box holding this many such paragraphs holds an article's prose."""

    # --- language (text) ------------------------------------------------------------------------------------------
    vietnamese_share: float = 0.04
    """Vietnamese text has at least this share of Vietnamese-only letters among its letters (about 15 per 100 in
    running prose)."""


THRESHOLDS = Thresholds()
"""The thresholds the extractor runs with."""
