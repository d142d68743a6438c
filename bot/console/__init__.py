"""The caseworker console: server-rendered pages under /console, a JSON API under /api (see app.py)."""
