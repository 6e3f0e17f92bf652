"""Weights as the shopper's language writes them: '0,3 kg' in Indonesian,
'0.3 kg' in English (issue 30: English pages showed '0,3 kg')."""

from django.utils.formats import number_format


def format_kg(grams: int) -> str:
    """300 -> '0,3 kg' (Indonesian) or '0.3 kg' (English); one decimal."""
    return f"{number_format(grams / 1000, 1, use_l10n=True)} kg"
