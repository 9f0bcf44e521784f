"""The `sitrep` command line: thin typer commands over importable functions."""
