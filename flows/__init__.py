"""Scripted conversations: YAML flow definitions, their schema, the interpreter and actions."""
