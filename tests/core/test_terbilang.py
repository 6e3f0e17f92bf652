"""Amounts in Indonesian words for invoices."""

import pytest

from core.terbilang import rupiah_terbilang, terbilang


@pytest.mark.parametrize(
    "n, words",
    [
        (0, "nol"),
        (1, "satu"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1_000, "seribu"),
        (1_001, "seribu satu"),
        (1_100, "seribu seratus"),
        (2_000, "dua ribu"),
        (11_000, "sebelas ribu"),
        (100_000, "seratus ribu"),
        (125_000, "seratus dua puluh lima ribu"),
        (1_000_000, "satu juta"),
        (1_001_000, "satu juta seribu"),
        (
            49_999_999,
            "empat puluh sembilan juta sembilan ratus sembilan puluh sembilan ribu "
            "sembilan ratus sembilan puluh sembilan",
        ),
        (50_000_000, "lima puluh juta"),
        (1_000_000_000, "satu miliar"),
        (2_500_000_000_000, "dua triliun lima ratus miliar"),
        (-5, "minus lima"),
    ],
)
def test_terbilang(n, words):
    assert terbilang(n) == words


def test_rupiah():
    assert rupiah_terbilang(125_000) == "seratus dua puluh lima ribu rupiah"


def test_refuses_what_it_cannot_say():
    with pytest.raises(TypeError):
        terbilang(1.5)
    with pytest.raises(ValueError):
        terbilang(10**18)
