"""Lantern's performance bench: `make bench` or `python -m bench`. See bench/__main__.py and docs/performance.md."""
