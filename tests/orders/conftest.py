import pytest
from django.core.cache import cache

from tests.orders.factories import ProductFactory, shop


@pytest.fixture(autouse=True)
def _clean_cache():
    # Public pages are cached; each test starts as a fresh process would.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _role_groups(db):
    """The role groups come from a data migration; a transactional test's flush
    (the concurrency tests) removes them for tests run after it with --reuse-db."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from facilities.roles import GROUP_NAMES, sync_role_groups

    if Group.objects.filter(name__in=GROUP_NAMES.values()).count() < len(GROUP_NAMES):
        sync_role_groups(apps)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Staff users are made in most tests; a memory-hard hash per user is just waiting.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]



@pytest.fixture
def palembang(db):
    return shop(name="Lapas Perempuan Palembang Uji", city="Palembang", province="Sumatera Selatan")


@pytest.fixture
def raha(db):
    return shop(name="Rutan Raha Uji", city="Raha", province="Sulawesi Tenggara")


@pytest.fixture
def mukena(palembang):
    return ProductFactory(facility=palembang, name="Mukena Bordir", price=175_000, stock=5)


@pytest.fixture
def miniature(raha):
    return ProductFactory(
        facility=raha, name="Miniatur Kapal Jati", price=350_000, stock=3, weight_grams=1_800
    )


@pytest.fixture(autouse=True)
def _no_gateway_traffic(settings):
    """Nothing here reaches a gateway unless a test starts the simulator
    (tests/orders/test_gateway_flows.py): port 9 on this machine refuses."""
    settings.MIDTRANS_BASE_URL = "http://127.0.0.1:9"
    # No courier aggregator unless a test starts its simulator
    # (tests/orders/test_couriers.py): the facilities' rate tables price couriers.
    settings.BITESHIP_API_KEY = ""
