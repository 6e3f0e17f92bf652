"""Rupiah amounts: whole numbers, shown as `Rp 125.000`."""


def format_rupiah(amount: int | None) -> str:
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}Rp {grouped}"
