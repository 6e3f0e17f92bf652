"""Amounts in Indonesian words (terbilang), as an invoice states its total.

    terbilang(125_000) == "seratus dua puluh lima ribu"
    rupiah_terbilang(125_000) == "seratus dua puluh lima ribu rupiah"

Indonesian says "se-" for one hundred, one thousand ("seratus", "seribu") but
"satu juta", "satu miliar"; eleven to nineteen are "-belas" ("sebelas" for 11).
Whole rupiah only (the money columns hold integers, core.money).
"""

from __future__ import annotations

_ONES = [
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
]
# Powers of a thousand from the largest down; ribu is special-cased (seribu).
_SCALES = [
    (10**15, "kuadriliun"),
    (10**12, "triliun"),
    (10**9, "miliar"),
    (10**6, "juta"),
    (10**3, "ribu"),
]


def _below_thousand(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_ONES[hundreds], "ratus"]
    if rest == 0:
        return words
    if rest < 10:
        words.append(_ONES[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words += [_ONES[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_ONES[tens], "puluh"]
        if ones:
            words.append(_ONES[ones])
    return words


def terbilang(n: int) -> str:
    """`n` (a whole number, below 10^18) in Indonesian words, lower case."""
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError("terbilang takes an int")
    if n < 0:
        return "minus " + terbilang(-n)
    if n >= 10**18:
        raise ValueError("too large")
    if n == 0:
        return "nol"
    words: list[str] = []
    for size, name in _SCALES:
        count, n = divmod(n, size)
        if not count:
            continue
        if count == 1 and name == "ribu":
            words.append("seribu")
        else:
            words += _below_thousand(count) + [name]
    words += _below_thousand(n)
    return " ".join(words)


def rupiah_terbilang(amount: int) -> str:
    """ "seratus dua puluh lima ribu rupiah" for 125000."""
    return f"{terbilang(amount)} rupiah"
