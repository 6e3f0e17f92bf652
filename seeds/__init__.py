"""Demo data drawn from the news reports the product was founded on.

Every loader is idempotent: rows are keyed by slug (or username) and updated
in place, so running `manage.py load_seeds` twice changes nothing.
"""
