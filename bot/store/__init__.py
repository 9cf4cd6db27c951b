"""The paper store: SQLAlchemy 2 over SQLite (default) or PostgreSQL, migrated with Alembic."""
