"""A polite, incremental news crawler for four Vietnamese outlets, storing a clean corpus in SQLite."""

__version__ = "0.1.0"
