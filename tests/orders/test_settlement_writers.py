"""The settlement ledger (SettlementEntry) has one writer,
orders/payments/services/settlement.py: it was written in three modules
(the gateway's notification made rows owed, refunds shrank and closed
them, head office paid them out), each with its own copy of what "owed"
means."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OWNER = Path("orders/payments/services/settlement.py")
WRITES = {
    "create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_create",
    "bulk_update",
    "delete",
    "select_for_update",  # locked to be written
}


def _ledger_writes(tree: ast.AST) -> list[int]:
    """Lines calling a write on a `SettlementEntry.objects...` chain."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITES
            and "SettlementEntry.objects" in ast.unparse(node.func.value)
        ):
            found.append(node.lineno)
    return found


def test_only_the_settlement_module_writes_the_ledger():
    writers = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if {"tests", ".venv", "migrations", "bench", "seeds"} & set(rel.parts) or rel == OWNER:
            continue
        source = path.read_text()
        if "SettlementEntry" in source:
            writers += [f"{rel}:{line}" for line in _ledger_writes(ast.parse(source))]
    assert writers == [], "SettlementEntry written outside settlement.py: " + ", ".join(writers)


def test_the_scan_finds_a_write_and_the_owner_writes():
    # Control: what the notification handler did before.
    before = """
SettlementEntry.objects.create(order=o, facility=f, payment=p, amount=1)
SettlementEntry.objects.filter(order=o, status=OWED).update(status=REFUNDED)
SettlementEntry.objects.select_for_update().filter(order=o).first()
SettlementEntry.objects.filter(order=o).first()
"""
    assert _ledger_writes(ast.parse(before)) == [2, 3, 4]
    assert len(_ledger_writes(ast.parse((ROOT / OWNER).read_text()))) >= 4
