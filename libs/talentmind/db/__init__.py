"""PostgreSQL: the pool, versioned migrations and the transactional outbox."""
