"""The embedded stack: a local broker and the four services as processes."""
