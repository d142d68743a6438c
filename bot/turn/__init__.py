"""The stages of one turn, one module each; bot/engine.py runs them in order."""
