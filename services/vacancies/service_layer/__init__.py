"""Use cases: ingest, journey consumer, scheduler, webhook delivery, matching."""
