import pytest
from django.core.exceptions import ValidationError

from core.money import format_rupiah
from core.phone import normalize_phone


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("0812-3456-7890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 (812) 345 6789", "+628123456789"),
        ("0717 422 123", "+62717422123"),
    ],
)
def test_phone_numbers_are_normalised_to_plus_62(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["", "12345", "+1 415 555 0100", "0812", "08123456789012345"])
def test_bad_phone_numbers_are_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as err:
        normalize_phone(typed)
    assert err.value.messages[0]


@pytest.mark.parametrize(
    "amount, text",
    [(125000, "Rp 125.000"), (0, "Rp 0"), (1500000, "Rp 1.500.000"), (-500, "-Rp 500")],
)
def test_rupiah_format(amount, text):
    assert format_rupiah(amount) == text
