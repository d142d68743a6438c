"""Domain knowledge over content/: content models and checks, offer analyzer, places, sentra locator."""
