"""One entry point for all seed data, in dependency order."""

from seeds.facilities import load_facilities


def load_all() -> dict[str, int]:
    facilities = load_facilities()
    summary = {"facilities": len(facilities)}
    return summary
