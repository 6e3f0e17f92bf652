from tests.orders.conftest import (  # noqa: F401 (fixtures)
    _clean_cache,
    _fast_passwords,
    _no_gateway_traffic,
    _role_groups,
    miniature,
    mukena,
    palembang,
    raha,
)
