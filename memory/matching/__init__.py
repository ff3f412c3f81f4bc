"""Hybrid buyer ↔ listing matching: hard criteria, structured fit and wish evidence."""

from memory.matching.criteria import DEFAULT_CONFIG, MatchConfig
from memory.matching.matcher import Matcher
from memory.matching.reasons import Reason
from memory.matching.results import (
    BuyerMatch,
    BuyerMatches,
    ListingFacts,
    ListingMatch,
    NewMatchNotices,
)

__all__ = [
    "DEFAULT_CONFIG",
    "BuyerMatch",
    "BuyerMatches",
    "ListingFacts",
    "ListingMatch",
    "MatchConfig",
    "Matcher",
    "NewMatchNotices",
    "Reason",
]
