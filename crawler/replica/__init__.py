"""Offline replicas of the four outlets: an HTTP server routed by Host header, and the content model that is the
ground truth of every replica page. See README.md in this directory."""

from crawler.replica.content import ReplicaArticle, replica_articles
from crawler.replica.server import ReplicaServer, serve

__all__ = ["ReplicaArticle", "ReplicaServer", "replica_articles", "serve"]
