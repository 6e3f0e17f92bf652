"""The deploy check that warns before Meta retires the configured Graph API version."""

from datetime import date

from django.conf import settings
from django.core import checks

from notifications.graph_versions import END_OF_LIFE, END_WARNING_DAYS, version_warnings


def test_a_version_within_60_days_of_its_end_is_warned_about():
    # v21.0 ends on 2027-01-21 (Meta's changelog): 45 days after 2026-12-07.
    [warning] = version_warnings("v21.0", date(2026, 12, 7))
    assert warning.id == "notifications.W001"
    assert warning.level == checks.WARNING
    assert "2027-01-21" in warning.msg and "45 days" in warning.msg


def test_the_warning_starts_exactly_60_days_before_the_end():
    assert END_WARNING_DAYS == 60
    assert version_warnings("v21.0", date(2026, 11, 22))  # 60 days before
    assert not version_warnings("v21.0", date(2026, 11, 21))  # 61 days: control


def test_a_retired_version_is_warned_about():
    [warning] = version_warnings("v20.0", date(2026, 12, 7))
    assert "was retired on 2026-09-24" in warning.msg


def test_a_current_version_passes():
    assert not version_warnings("v23.0", date(2026, 12, 7))
    assert not version_warnings("v26.0", date(2026, 12, 7))  # end not announced


def test_an_unknown_version_is_warned_about_so_the_table_is_kept():
    [warning] = version_warnings("v99.0", date(2026, 12, 7))
    assert warning.id == "notifications.W002"


def test_the_default_is_a_known_current_version():
    assert settings.WHATSAPP_API_VERSION in END_OF_LIFE
    assert settings.WHATSAPP_API_VERSION != "v21.0"
    assert not version_warnings(settings.WHATSAPP_API_VERSION, date(2026, 12, 7))


def test_the_check_runs_only_with_deploy():
    deploy = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.compatibility])
    assert not [m for m in deploy if m.id.startswith("notifications.")]
    registered = checks.registry.registry.get_checks(include_deployment_checks=True)
    assert any(c.__name__ == "check_whatsapp_api_version" for c in registered)
    plain = checks.registry.registry.get_checks(include_deployment_checks=False)
    assert not any(c.__name__ == "check_whatsapp_api_version" for c in plain)
