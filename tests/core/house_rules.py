"""Readers for the house rules the import contract cannot see: private names
used across apps, private names re-exported by packages, migrations that
depend upward, templates and models that reach a higher app.

The app layers are read from pyproject's first import-linter contract, so
the checks follow the contract when an app is added or moved."""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _contract() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        linter = tomllib.load(f)["tool"]["importlinter"]
    return linter


def app_layers() -> dict[str, int]:
    """Top-level package -> its layer index (0 = top) in the apps contract."""
    contract = _contract()["contracts"][0]
    ranks: dict[str, int] = {}
    for rank, layer in enumerate(contract["layers"]):
        for name in layer.replace(":", "|").split("|"):
            ranks[name.strip().strip("()")] = rank
    return ranks


def app_of(module: str) -> str:
    return module.split(".")[0]


def is_above(upper: str, lower: str, ranks: dict[str, int]) -> bool:
    """True when app `upper` sits in a higher layer than app `lower`."""
    return upper in ranks and lower in ranks and ranks[upper] < ranks[lower]


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def source_files(include_migrations: bool = False) -> Iterator[tuple[str, Path]]:
    """(dotted module, path) for every module of every package in the contract."""
    for package in _contract()["root_packages"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            if "migrations" in rel.parts and not include_migrations:
                continue
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            yield ".".join(parts), path


@dataclass(frozen=True)
class Finding:
    where: str  # "module:line"
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _module_names(module: str, path: Path, tree: ast.AST, known: set[str]) -> dict[str, str]:
    """Local name -> dotted module, for names bound to modules of the project."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in known:
                    bound[alias.asname] = alias.name
                elif not alias.asname:
                    bound[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, path, node)
            for alias in node.names:
                if f"{source}.{alias.name}" in known:
                    bound[alias.asname or alias.name] = f"{source}.{alias.name}"
    return bound


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head else None
    return None


def private_names_across_apps(files: list[tuple[str, Path]] | None = None) -> list[Finding]:
    """A module of app A importing or using a `_private` name of app B."""
    files = list(source_files()) if files is None else files
    known = {module for module, _ in files}
    found: list[Finding] = []
    for module, path in files:
        tree = ast.parse(path.read_text(), str(path))
        own = app_of(module)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _resolve(module, path, node)
                if source.split(".")[0] in (own, ""):
                    continue
                if app_of(source) not in {app_of(m) for m in known}:
                    continue
                for alias in node.names:
                    if is_private(alias.name):
                        found.append(
                            Finding(f"{module}:{node.lineno}", f"imports {source}.{alias.name}")
                        )
        bound = _module_names(module, path, tree, known)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and is_private(node.attr):
                head = _dotted(node.value)
                if not head:
                    continue
                first, _, rest = head.partition(".")
                if first not in bound:
                    continue
                target = ".".join(filter(None, [bound[first], rest]))
                if target in known and app_of(target) != own:
                    found.append(Finding(f"{module}:{node.lineno}", f"uses {target}.{node.attr}"))
    return found


def private_reexports(files: list[tuple[str, Path]] | None = None) -> list[Finding]:
    """A package `__init__.py` importing a `_private` name from elsewhere, which
    hands it on to whoever imports the package."""
    found: list[Finding] = []
    for module, path in source_files() if files is None else files:
        if path.name != "__init__.py":
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if is_private(alias.asname or alias.name):
                        found.append(
                            Finding(
                                f"{module}:{node.lineno}",
                                f"re-exports {_resolve(module, path, node)}.{alias.name}",
                            )
                        )
    return found


def migration_dependencies() -> Iterator[tuple[str, str, str]]:
    """(app, migration, app it depends on) for every migration's `dependencies`,
    read from the files so no database or app registry is needed."""
    for module, path in source_files(include_migrations=True):
        parts = module.split(".")
        if "migrations" not in parts or path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets)
            ):
                continue
            for item in getattr(node.value, "elts", []):
                if isinstance(item, ast.Tuple) and isinstance(item.elts[0], ast.Constant):
                    yield parts[0], path.stem, item.elts[0].value
                elif isinstance(item, ast.Call):  # migrations.swappable_dependency(...)
                    yield parts[0], path.stem, "swappable"


def upward_migrations(labels: dict[str, str]) -> list[Finding]:
    """A migration depending on a migration of an app in a higher layer.
    `labels` maps an app label to its package (labels may differ)."""
    ranks = app_layers()
    found = []
    for app, migration, label in migration_dependencies():
        other = labels.get(label, label)
        if is_above(other, app, ranks):
            found.append(Finding(f"{app}/migrations/{migration}", f"depends on {label} ({other})"))
    return found


def url_namespaces() -> dict[str, str]:
    """URL namespace -> the package whose urls module declares it (`app_name`)."""
    found = {}
    for module, path in source_files():
        if "urls" in module.split(".")[-1]:
            match = re.search(r"""^app_name\s*=\s*["']([\w-]+)["']""", path.read_text(), re.M)
            if match:
                found[match.group(1)] = app_of(module)
    return found


def models_reversing_upward() -> list[Finding]:
    """`reverse("ns:…")` / `reverse_lazy` in an app's models naming the URL
    namespace of an app above it (a model's page served higher up goes
    through core.page_registry.register_page)."""
    ranks = app_layers()
    namespaces = url_namespaces()
    found = []
    for module, path in source_files():
        if not module.split(".")[-1].startswith("models"):
            continue
        own = app_of(module)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = _dotted(node.func) or ""
            first = node.args[0]
            if name.split(".")[-1] not in ("reverse", "reverse_lazy"):
                continue
            if isinstance(first, ast.Constant) and ":" in str(first.value):
                other = namespaces.get(str(first.value).split(":")[0], "")
                if is_above(other, own, ranks):
                    found.append(Finding(f"{module}:{node.lineno}", f"reverses {first.value}"))
    return found


_TIERS = (
    ("pages", ("views", "urls", "admin", "forms", "templatetags", "feeds", "sitemaps")),
    ("logic", ("services", "selectors")),
    ("models", ("models",)),
)


def _tier(tail: str) -> str | None:
    for tier, prefixes in _TIERS:
        if any(tail == p or tail.startswith(p + "_") for p in prefixes):
            return tier
    return None


def packages_outside_inner_contracts() -> list[str]:
    """Packages (apps or their sub-packages) holding modules of two tiers
    (views*, services*, models*, …) that no import-linter layers contract
    looks inside, so a new app or room cannot slip past the inner layering."""
    contracts = [c for c in _contract()["contracts"] if c.get("type") == "layers"]
    covered = {c for contract in contracts for c in contract.get("containers", ())}
    for contract in contracts:
        if not contract.get("containers"):
            for layer in contract["layers"]:
                for name in layer.replace(":", "|").split("|"):
                    covered.add(name.strip().strip("()").rpartition(".")[0])
    children: dict[str, set[str]] = {}
    for module, _ in source_files():
        parent, _, tail = module.rpartition(".")
        if parent and (tier := _tier(tail)):
            children.setdefault(parent, set()).add(tier)
    return sorted(
        package
        for package, tiers in children.items()
        if len(tiers) > 1
        and package not in covered
        # orders' rooms get their own contract with the move (issue 32); until
        # one names them, orders is not asked.
        and not (
            app_of(package) == "orders" and not any(app_of(c) == "orders" for c in covered if c)
        )
    )
