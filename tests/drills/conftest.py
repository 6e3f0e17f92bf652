import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clean_cache():
    # Public pages and figures live in the cache; drills must not share them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fast_passwords(settings):
    # Staff users in drills: a memory-hard hash per user is only waiting here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def role_groups(transactional_db):
    """The role groups a data migration made; a transactional test's flush removes them."""
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
