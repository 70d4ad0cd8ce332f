"""Calendar feeds (feeds.py) and the «Календарь» page with their secret addresses (views.py)."""
