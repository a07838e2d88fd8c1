"""The metrics domain: facts folded from events, and indicators computed from facts (pure)."""
