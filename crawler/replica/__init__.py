"""Offline replicas of the four outlets: an HTTP server routed by Host header, and the content model that is the
ground truth of every replica page. See README.md in this directory."""

from crawler.replica.content import NonArticle, ReplicaArticle, replica_articles, replica_non_articles
from crawler.replica.server import ReplicaServer, serve

__all__ = ["NonArticle", "ReplicaArticle", "ReplicaServer", "replica_articles", "replica_non_articles", "serve"]
