"""Sahabat Migran: the application (channels, engine, server, store, console)."""
