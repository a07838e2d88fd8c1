"""Accepting events over HTTP: validate, dedupe, store with effects and outbox."""
