"""Per-LA API keys: generated once, stored hashed, checked by every service."""
