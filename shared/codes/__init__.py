"""SSDA903 code lists, versioned by collection year (see ssda903.py)."""

from shared.codes.ssda903 import CodeSet, codes_for, collection_year

__all__ = ["CodeSet", "codes_for", "collection_year"]
