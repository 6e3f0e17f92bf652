"""The house rules the import contract cannot see (issue 32): no private name
crosses apps, packages re-export no private name, migrations depend only on
apps below. Each check has a control that plants a breach and sees it caught."""

from pathlib import Path

from django.apps import apps

from tests.core import house_rules as rules
from tests.core import house_rules_templates as template_rules


def _labels() -> dict[str, str]:
    return {c.label: c.name.split(".")[0] for c in apps.get_app_configs()}


def test_no_private_name_crosses_apps():
    # Before issue 32: 7 (orders.mail._send used by complaints and quotes, …).
    found = rules.private_names_across_apps()
    assert not found, "make the name public in its own module:\n" + "\n".join(map(str, found))


def test_packages_reexport_no_private_name():
    # Before issue 32: 30, through catalog.services, orders.services, oversight.selectors.
    found = rules.private_reexports()
    assert not found, "import it from the module that defines it:\n" + "\n".join(map(str, found))


def test_migrations_depend_only_downward():
    # Before issue 32: 4 (catalog and facilities role migrations waiting for orders).
    found = rules.upward_migrations(_labels())
    assert not found, "\n".join(map(str, found))


def _tree(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, Path]]:
    out = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        rel = path.relative_to(tmp_path).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append((".".join(parts), path))
    return out


def test_control_private_names_are_caught(tmp_path):
    files = _tree(
        tmp_path,
        {
            "low/__init__.py": "from low.mail import _send, send\n",
            "low/mail.py": "def _send(): ...\ndef send(): ...\n",
            "high/__init__.py": "",
            "high/a.py": "from low.mail import _send\n",
            "high/b.py": "from low import mail\nmail._send()\n",
            "high/c.py": "import low.mail\nlow.mail._send()\n",
            "high/d.py": "from .a import _own\nfrom low.mail import send\n",
        },
    )
    crossing = sorted(f.where for f in rules.private_names_across_apps(files))
    assert crossing == ["high.a:1", "high.b:2", "high.c:2"]
    assert [f.where for f in rules.private_reexports(files)] == ["low:1"]


def test_control_upward_migration_is_caught(monkeypatch):
    planted = [("catalog", "0099_x", "orders"), ("orders", "0099_y", "catalog")]
    monkeypatch.setattr(rules, "migration_dependencies", lambda: iter(planted))
    assert [f.where for f in rules.upward_migrations(_labels())] == ["catalog/migrations/0099_x"]


def test_templates_reach_only_their_app_or_below():
    # Before issue 32: 10 (the product page included orders' cart form, linked
    # quotes: and loaded reviews' tags; orders' tracking page loaded reviews' and
    # complaints'). A higher app fills a lower page through a slot
    # (core.page_registry.register_slot).
    found = template_rules.TemplateLayers(_labels()).upward()
    assert not found, "\n".join(map(str, found))


def test_code_names_no_template_of_a_higher_app():
    # Before issue 32: 0 (catalog rendered facilities/storefront.html: below it).
    found = template_rules.code_naming_higher_templates(_labels())
    assert not found, "\n".join(map(str, found))


def test_control_code_naming_a_higher_template_is_caught(monkeypatch, tmp_path):
    planted = tmp_path / "views.py"
    planted.write_text('render(request, "orders/cart.html")\nrender(request, "catalog/x.html")\n')
    monkeypatch.setattr(rules, "source_files", lambda: iter([("catalog.views", planted)]))
    found = template_rules.code_naming_higher_templates(_labels())
    assert [f.where for f in found] == ["catalog.views:1"]


def test_control_upward_template_references_are_caught():
    templates = {
        "catalog/page.html": (
            '{% extends "base.html" %}{% load reviews %}'
            '{% include "orders/partials/x.html" %}\n{% url "quotes:request" %}'
            '{% include "partials/shared.html" %}{% include "partials/plain.html" %}'
            '{% include "facilities/partials/y.html" %}{% url "catalog:list" %}'
        ),
        "base.html": '{% url "orders:cart" %}',
        "orders/partials/x.html": "",
        "facilities/partials/y.html": "",
        "partials/shared.html": '{% url "orders:cart" %}',  # reaches orders, so sits there
        "partials/plain.html": '{% url "admin:index" %}',
    }
    found = [f.what for f in template_rules.TemplateLayers(_labels(), templates).upward()]
    assert found == [
        "include orders/partials/x.html reaches above catalog",
        "url quotes:request reaches above catalog",
        "include partials/shared.html reaches above catalog",
        "load reviews reaches above catalog",
    ]


def test_models_reverse_no_url_of_a_higher_app():
    # Before issue 32: 1 (Facility.get_absolute_url reversed catalog:storefront).
    found = rules.models_reversing_upward()
    assert not found, "register the page instead (core.page_registry.register_page):\n" + "\n".join(
        map(str, found)
    )


def test_control_model_reversing_upward_is_caught(monkeypatch, tmp_path):
    planted = tmp_path / "models.py"
    planted.write_text('from django.urls import reverse\nreverse("catalog:storefront")\n')
    monkeypatch.setattr(rules, "source_files", lambda: iter([("facilities.models", planted)]))
    monkeypatch.setattr(rules, "url_namespaces", lambda: {"catalog": "catalog"})
    assert [f.where for f in rules.models_reversing_upward()] == ["facilities.models:2"]


def test_every_app_is_layered_inside():
    # An app (or a room of one) with pages, services and models is a container of
    # an import-linter layers contract (pyproject), so `lint-imports` looks inside it.
    assert rules.packages_outside_inner_contracts() == []


def test_control_app_outside_the_inner_contract_is_caught(monkeypatch):
    contract = rules._contract()
    inner = dict(contract["contracts"][1], containers=["core"])
    monkeypatch.setattr(
        rules, "_contract", lambda: dict(contract, contracts=[contract["contracts"][0], inner])
    )
    assert "catalog" in rules.packages_outside_inner_contracts()
