"""The central review on PostgreSQL: its schema, the collector (JetStream →
PostgreSQL, ``csu-hub collect``) and the review's reader (``[review] source``)."""
