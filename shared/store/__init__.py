"""Tables every service database has: the outbox, the inbox, the ingest log."""
