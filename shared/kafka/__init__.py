"""The Kafka adapter (aiokafka): topics, producer, idempotent consumer, outbox relay."""
