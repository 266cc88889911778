"""Placeholder replaced below."""
def check_narrative(text, fmt, values, path):
    return []
