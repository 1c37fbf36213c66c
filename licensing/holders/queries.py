"""Read side of the register. The holder search lives in licensing/holders/search.py."""

from licensing.holders.search import search_holders

__all__ = ["search_holders"]
