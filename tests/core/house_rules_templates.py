"""Readers for templates: which app each template belongs to, and which apps
its includes, tag libraries and {% url %}s reach (tests/core/test_house_rules)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from tests.core import house_rules as base
from tests.core.house_rules import ROOT, Finding


def template_files() -> dict[str, str]:
    """Template name -> text, from the project's templates/ and any app's own
    templates/ directory (APP_DIRS), first found first as Django looks them up."""
    roots = [ROOT / "templates"] + [
        ROOT / p / "templates" for p in base._contract()["root_packages"]
    ]
    found: dict[str, str] = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".txt"):
                found.setdefault(str(path.relative_to(root)), path.read_text())
    return found


_TAG = re.compile(r"""\{%-?\s*(include|extends|url)\s+(["'])([^"']+)\2""")
_LOAD = re.compile(r"\{%-?\s*load\s+([^%]+?)\s*-?%\}")


def tag_libraries() -> dict[str, str]:
    """`{% load name %}` -> the package whose templatetags define it."""
    return {
        path.stem: base.app_of(module)
        for module, path in base.source_files()
        if ".templatetags." in module and path.stem != "__init__"
    }


def template_owner(name: str, labels: dict[str, str]) -> str | None:
    """The app a template belongs to by its directory (`catalog/…`,
    `admin/catalog/…`, `privacy/…` by its URL namespace); None for the site's
    own templates (the root, partials/, admin/'s root)."""
    parts = name.split("/")
    if parts[0] == "admin":
        parts = parts[1:]
    if len(parts) < 2:
        return None
    head = parts[0]
    ranks = base.app_layers()
    if head in ranks:
        return head
    return base.url_namespaces().get(head) or (
        labels.get(head) if labels.get(head) in ranks else None
    )


@dataclass(frozen=True)
class Reference:
    kind: str  # include, extends, url, load
    target: str
    line: int


def template_references(text: str) -> list[Reference]:
    refs = []
    for match in _TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        refs.append(Reference(match.group(1), match.group(3), line))
    for match in _LOAD.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        words = match.group(1).split()
        if "from" in words:  # {% load tag from library %}
            words = words[words.index("from") + 1 :]
        refs.extend(Reference("load", word, line) for word in words)
    return refs


class TemplateLayers:
    """Which app each reference of a template reaches, and how high that is."""

    def __init__(self, labels: dict[str, str], templates: dict[str, str] | None = None):
        self.labels = labels
        self.ranks = base.app_layers()
        self.namespaces = base.url_namespaces()
        self.libraries = tag_libraries()
        self.templates = template_files() if templates is None else templates
        self._reach: dict[str, int | None] = {}

    def _highest(self, ranks: Iterator[int | None]) -> int | None:
        known = [r for r in ranks if r is not None]
        return min(known) if known else None

    def rank_of(self, ref: Reference) -> int | None:
        """The layer (0 = top) a reference reaches; None when it reaches no app
        (Django's templates, the `admin:` namespace, the site's unnamespaced URLs)."""
        if ref.kind == "url":
            namespace = ref.target.split(":")[0] if ":" in ref.target else None
            return self.ranks.get(self.namespaces.get(namespace, ""))
        if ref.kind == "load":
            return self.ranks.get(self.libraries.get(ref.target, ""))
        return self.template_rank(ref.target)

    def template_rank(self, name: str) -> int | None:
        """An app's template sits in its app's layer; a site template that
        others include (partials/, page_meta.html) sits as high as the highest
        app it reaches, so a shared partial stays shared only while it is."""
        if name not in self.templates:
            return None  # Django's own (admin/change_form.html, …)
        owner = template_owner(name, self.labels)
        if owner:
            return self.ranks[owner]
        if name not in self._reach:
            self._reach[name] = None  # a cycle of includes adds nothing
            refs = template_references(self.templates[name])
            self._reach[name] = self._highest(self.rank_of(r) for r in refs if r.kind != "extends")
        return self._reach[name]

    def upward(self) -> list[Finding]:
        """References from an app's template to a higher app. Extending a site
        template (base.html, admin/base_site.html) is not one: the frame is
        filled through its blocks and knows nothing of the page."""
        found = []
        for name, text in self.templates.items():
            owner = template_owner(name, self.labels)
            if owner is None:
                continue
            for ref in template_references(text):
                if ref.kind == "extends" and template_owner(ref.target, self.labels) is None:
                    continue
                rank = self.rank_of(ref)
                if rank is not None and rank < self.ranks[owner]:
                    found.append(
                        Finding(
                            f"{name}:{ref.line}", f"{ref.kind} {ref.target} reaches above {owner}"
                        )
                    )
        return found


def code_naming_higher_templates(labels: dict[str, str]) -> list[Finding]:
    """An app's code rendering a template of an app above it ("orders/…" from
    catalog's view), which the template check alone would not see."""
    ranks = base.app_layers()
    found = []
    for module, path in base.source_files():
        own = base.app_of(module)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.endswith((".html", ".txt"))
            ):
                owner = template_owner(node.value, labels)
                if owner and base.is_above(owner, own, ranks):
                    found.append(Finding(f"{module}:{node.lineno}", f"names {node.value}"))
    return found
