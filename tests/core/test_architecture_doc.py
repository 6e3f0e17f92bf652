"""docs/architecture.md's "Where each rule lives" names only things that exist.

The table is how a newcomer finds a rule's one home; a row that names a moved
module or a renamed function sends them nowhere. Every backticked path in the
"Where" column must exist in the repository, and every backticked name must
resolve: against the module named before it in the same cell (a path such as
`orders/states.py` sets it), or as a full dotted path
(`orders.states.is_receivable`). Call syntax is ignored: `_event(..., mail=)`
is checked as `_event`. All stale entries are reported at once, so whoever
moves modules sees every row to update in one run.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
SECTION = "## Where each rule lives"

_CODE = re.compile(r"`([^`]+)`")
_GONE = object()
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def table_rows(text: str) -> list[tuple[str, str]]:
    """(rule, where) for each row of the section's table, header and rule line left out."""
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2 or set(cells[1]) <= {"-", " "} or cells[1] == "Where":
            continue
        rows.append((cells[0], cells[1]))
    return rows


def _is_path(token: str) -> bool:
    return "/" in token or token.endswith(".py")


def _module_of(path: str) -> str:
    return path.rstrip("/").removesuffix(".py").replace("/", ".")


def _resolve(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _resolve_absolute(dotted: str) -> bool:
    parts = dotted.split(".")
    # The longest importable prefix is the module; the rest are attributes.
    for cut in range(len(parts), 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            _resolve(module, ".".join(parts[cut:])) if parts[cut:] else module
        except AttributeError:
            return False
        return True
    return False


def stale_entries(rows: list[tuple[str, str]], root: Path = ROOT) -> list[str]:
    """Every backticked path or name in the Where cells that does not exist."""
    problems = []
    for rule, where in rows:
        module = None
        for token in _CODE.findall(where):
            token = token.strip()
            if _is_path(token):
                if not (root / token).exists():
                    problems.append(f"{rule!r}: path `{token}` does not exist")
                    module = _GONE  # its names are stale with it: one line says so
                    continue
                module = None
                if token.endswith(".py") or (root / token / "__init__.py").exists():
                    try:
                        module = importlib.import_module(_module_of(token))
                    except ImportError as error:
                        problems.append(f"{rule!r}: `{token}` does not import ({error})")
                continue
            match = _NAME.match(token)
            if not match:
                problems.append(f"{rule!r}: `{token}` is neither a path nor a name")
                continue
            name = match.group(0)
            if module is _GONE:
                continue
            if module is not None:
                try:
                    _resolve(module, name)
                    continue
                except AttributeError:
                    pass
            if "." in name and _resolve_absolute(name):
                continue
            where_from = f" in `{module.__name__}`" if module is not None else ""
            problems.append(f"{rule!r}: name `{name}` not found{where_from}")
    return problems


def test_every_name_in_the_rules_table_exists():
    rows = table_rows(DOC.read_text())
    assert len(rows) >= 30, "the table of where each rule lives was not found"
    problems = stale_entries(rows)
    assert not problems, (
        f"docs/architecture.md, {SECTION!r}: {len(problems)} stale entr"
        f"{'y' if len(problems) == 1 else 'ies'}:\n  " + "\n  ".join(problems)
    )


def test_the_check_reports_every_stale_entry_at_once():
    """The control: moved files, renamed names and missing modules are all caught."""
    text = (
        f"{SECTION}\n\n| Rule | Where |\n| --- | --- |\n"
        "| moved | `orders/no_such_module.py`: `anything` |\n"
        "| renamed | `catalog/stock.py`: `take`, `no_such_function` |\n"
        "| dotted | `orders.states.no_such_rule`, `orders.states.is_receivable` |\n"
        "| fine | `facilities/scoping.py`: `Scope.may_see` |\n"
    )
    problems = stale_entries(table_rows(text))
    assert len(problems) == 3, problems
    assert "orders/no_such_module.py" in problems[0]
    assert "no_such_function" in problems[1] and "catalog.stock" in problems[1]
    assert "orders.states.no_such_rule" in problems[2]
