"""SQLite storage: schema, migrations, the single writer, queries (no Qt)."""
