"""Maintenance scripts for the NLU data (run with `python -m nlu.tools.<name>`)."""
