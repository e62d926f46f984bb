"""Kafka on aiokafka: an acks=all producer, a consumer that commits only after durable work, topic admin."""
