"""What apps tell the page cache: their public and private models, the
per-visitor values shared pages show by script, and the signals that turn a
write to a public row into retired tags. See core.page_cache for the whole design.
"""

import copy
from collections.abc import Callable, Iterable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from core.page_versions import GLOBAL, retire

# label_lower -> (tags(instance) or None for GLOBAL, fields whose old value matters)
_PUBLIC: dict[str, tuple[Callable[..., Iterable[str]] | None, tuple[str, ...]]] = {}
# m2m through-model label -> tags(instance, pk_set)
_PUBLIC_M2M: dict[str, Callable[..., Iterable[str]] | None] = {}
_PRIVATE: set[str] = set()
# name -> value(request) -> str: per-visitor values shown on shared pages by script
_VISITOR_VALUES: dict[str, Callable] = {}
# model label -> url(row): the page showing a row, named by the app that serves it
_PAGES: dict[str, Callable] = {}
# slot name -> [(order, template name)]
_SLOTS: dict[str, list[tuple[int, str]]] = {}


def register_public_model(
    model, *, tags: Callable[..., Iterable[str]] | None = None, moved_by: Iterable[str] = ()
) -> None:
    """Rows of `model` appear on public pages. A write retires `tags(row)`
    (None: GLOBAL, for rare writes) and ANY_WRITE. `moved_by`: names of
    fields that can move a row between tags (a product's "category"): a save
    that may change one also retires the tags of the row as it was."""
    _PUBLIC[model._meta.label_lower] = (tags, tuple(moved_by))


def register_public_m2m(through, *, tags: Callable[..., Iterable[str]] | None = None) -> None:
    """An m2m relation shown on public pages; `tags(instance, pk_set)`."""
    _PUBLIC_M2M[through._meta.label_lower] = tags


def register_private_models(*models) -> None:
    """Models never shown on public pages: their writes leave the cache alone."""
    _PRIVATE.update(model._meta.label_lower for model in models)


def register_visitor_value(name: str, value: Callable) -> None:
    """A per-visitor value a shared page shows (the header's cart count).
    Shared pages carry nothing per visitor, so the value travels in the
    cookie `kb_<name>`, which static/js/site.js reads: `value(request)` (a
    short string, "" for none) is written there by core.edge's middleware
    whenever a response that read the session finds it changed."""
    _VISITOR_VALUES[name] = value


def visitor_values() -> dict[str, Callable]:
    return dict(_VISITOR_VALUES)


def register_page(model, url: Callable) -> None:
    """The page that shows a row of `model` is served by a higher app (a
    facility's storefront, by catalog): that app registers `url(row)` here and
    the model's get_absolute_url returns `page_url(row)`, so a model reverses
    no URL of an app above its own."""
    _PAGES[model._meta.label_lower] = url


def page_url(instance) -> str:
    try:
        url = _PAGES[instance._meta.label_lower]
    except KeyError:
        raise LookupError(f"no app registered the page of {instance._meta.label}") from None
    return url(instance)


def register_slot(name: str, template: str, *, order: int = 0) -> None:
    """A higher app's piece of a lower app's page (the product page's cart form
    from orders, its quote link from quotes): the page writes `{% slot name %}`
    (core's fragments tags) and each template registered here is rendered there,
    lowest `order` first, with the page's context. So a template names no app
    above its own, as the import contract asks of code (tests/core/test_house_rules)."""
    entries = _SLOTS.setdefault(name, [])
    if all(registered != template for _, registered in entries):
        entries.append((order, template))
        entries.sort()


def slot_templates(name: str) -> list[str]:
    return [template for _, template in _SLOTS.get(name, ())]


def public_models() -> set[str]:
    return set(_PUBLIC) | set(_PUBLIC_M2M)


# --- writes ----------------------------------------------------------------------------------


def _tags_of(label: str, instance) -> set[str]:
    tags_fn, _moved_by = _PUBLIC[label]
    return {GLOBAL} if tags_fn is None else set(tags_fn(instance))


def _before_save(sender, instance, update_fields=None, raw=False, **kwargs):
    label = sender._meta.concrete_model._meta.label_lower
    entry = _PUBLIC.get(label)
    if entry is None or raw or instance.pk is None:
        return
    _tags_fn, moved_by = entry
    if not moved_by or (update_fields is not None and not set(moved_by) & set(update_fields)):
        return
    attnames = [sender._meta.get_field(name).attname for name in moved_by]
    old = sender._base_manager.filter(pk=instance.pk).values(*attnames).first()
    if old and any(getattr(instance, f) != v for f, v in old.items()):
        was = copy.copy(instance)
        for field, value in old.items():
            setattr(was, field, value)
        instance._page_cache_old_tags = _tags_of(label, was)


def _on_public_write(sender, instance, raw=False, **kwargs):
    label = sender._meta.concrete_model._meta.label_lower
    if label not in _PUBLIC or raw:
        return
    tags = _tags_of(label, instance) | getattr(instance, "_page_cache_old_tags", set())
    instance.__dict__.pop("_page_cache_old_tags", None)
    retire(*tags)


def _on_m2m(sender, instance, action, pk_set=None, **kwargs):
    label = sender._meta.label_lower
    if label not in _PUBLIC_M2M or not action.startswith("post_"):
        return
    tags_fn = _PUBLIC_M2M[label]
    retire(*({GLOBAL} if tags_fn is None else set(tags_fn(instance, pk_set))))


def connect_signals() -> None:
    """Called once from core's AppConfig.ready()."""
    pre_save.connect(_before_save, dispatch_uid="kb-page-cache-pre-save")
    post_save.connect(_on_public_write, dispatch_uid="kb-page-cache-post-save")
    post_delete.connect(_on_public_write, dispatch_uid="kb-page-cache-post-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kb-page-cache-m2m")


@checks.register()
def check_models_registered(app_configs=None, **kwargs):
    """Every model of the project's own apps is registered as public or
    private, so a new model shown on public pages cannot slip past the cache."""
    base = Path(settings.BASE_DIR).resolve()
    errors = []
    for model in apps.get_models(include_auto_created=True):
        config = model._meta.app_config
        if app_configs is not None and config not in app_configs:
            continue
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts:
            continue  # Django's and third-party apps
        if model._meta.proxy:
            continue  # a proxy's writes count as its concrete model's
        label = model._meta.label_lower
        if label in _PUBLIC or label in _PUBLIC_M2M or label in _PRIVATE:
            continue
        if model._meta.auto_created and model._meta.auto_created._meta.label_lower in _PRIVATE:
            continue  # the m2m table of a private model
        errors.append(
            checks.Error(
                f"{label} is neither a public nor a private model of the page cache.",
                hint="In its AppConfig.ready(), register_public_model(...) if its rows "
                "appear on public pages (with the tags a write retires), else "
                "register_private_models(...).",
                obj=model,
                id="page_cache.E001",
            )
        )
    return errors
