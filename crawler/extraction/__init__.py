"""Article extraction: ``extract(html, url, outlet) -> Article``, a pure function (no Scrapy, no database);
``explain`` also says which of the outlet's selectors supplied each field.

Modules: :mod:`core` (the two paths), :mod:`fields` (one function per field), :mod:`dates`, :mod:`authors`,
:mod:`images`, :mod:`text`, :mod:`noise` (the shared generic helpers), :mod:`html` (decoding, parsing,
metadata), :mod:`outlet_inference` (the outlet of a saved page). The outlets themselves: :mod:`crawler.outlets`.
"""

from crawler.extraction.core import EXTRACTOR_VERSION, Explained, NotAnArticle, explain, extract

__all__ = ["EXTRACTOR_VERSION", "Explained", "NotAnArticle", "explain", "extract"]
