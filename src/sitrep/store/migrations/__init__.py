"""Alembic migrations of the sitrep database, run by `Store` on open (`upgrade head`)."""
