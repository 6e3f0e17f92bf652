"""The outlet's desk through its services: a report is one movement however
often it is sent, an outlet never reports more than it holds or touches
another's goods, what it owes is sold x price minus what the facility
confirmed, per month."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from catalog.models import ConsignmentMovement, OutletProduct
from catalog.services import ConsignmentError
from partners import selectors, services
from partners.models import OutletPayment
from tests.factories import facility_staff, head_office_user, regional_reviewer

pytestmark = pytest.mark.django_db
KEY = "k" * 32


def sold(account, link, quantity, key, price=90_000, day=None):
    return services.outlet_report(
        account=account,
        kind="sold",
        link=link,
        quantity=quantity,
        key=key,
        unit_price=price,
        occurred_on=day,
    )


def test_a_double_tapped_sale_is_one_movement(acun):
    _outlet, link, _staff, account = acun
    first, created = sold(account, link, 2, KEY)
    again, created_again = sold(account, link, 2, KEY)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert ConsignmentMovement.objects.filter(kind="sold").count() == 1
    link.refresh_from_db()
    assert (link.on_hand, link.sold) == (3, 2)
    assert first.unit_price == 90_000
    assert "Dilaporkan mitra" in first.note


def test_returns_and_sales_cannot_exceed_what_the_outlet_holds(acun):
    _outlet, link, _staff, account = acun
    with pytest.raises(ConsignmentError):
        services.outlet_report(account=account, kind="returned", link=link, quantity=6, key=KEY)
    with pytest.raises(ConsignmentError):
        sold(account, link, 6, "b" * 32)
    link.refresh_from_db()
    assert (link.on_hand, link.sold) == (5, 0)
    # Nothing was kept, not even the key: the corrected report goes through.
    movement, created = services.outlet_report(
        account=account, kind="returned", link=link, quantity=5, key=KEY
    )
    assert created and movement.kind == "returned"
    link.product.refresh_from_db()
    assert link.product.stock == 10  # back in the web shop's ready stock


def test_an_outlet_login_cannot_report_another_outlets_goods(acun, other):
    _o, _link, _s, account = acun
    _o2, other_link, _s2, _a2 = other
    with pytest.raises(services.PartnerError):
        sold(account, other_link, 1, KEY)
    assert not ConsignmentMovement.objects.filter(link=other_link, kind="sold").exists()


def test_a_switched_off_login_reports_nothing(acun):
    _outlet, link, staff, account = acun
    services.partner_account_set_active(actor=staff, account=account, active=False)
    account.user.refresh_from_db()
    with pytest.raises(services.PartnerError):
        sold(account, link, 1, KEY)


def test_no_future_dates_and_no_hand_over_from_the_outlet(acun):
    _outlet, link, _staff, account = acun
    with pytest.raises(services.PartnerError):
        sold(account, link, 1, KEY, day=timezone.localdate() + timedelta(days=1))
    with pytest.raises(services.PartnerError):
        services.outlet_report(account=account, kind="handover", link=link, quantity=1, key=KEY)


def test_owed_per_month_is_sold_times_price_minus_confirmed(acun):
    outlet, link, staff, account = acun
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    sold(account, link, 2, "a" * 32, price=80_000, day=last_month)
    sold(account, link, 1, "b" * 32, price=90_000, day=today)
    reported = services.outlet_payment_report(
        account=account, month=last_month, amount=100_000, paid_on=today, key="c" * 32
    )
    [now, before] = selectors.owed_by_month([outlet.pk])[outlet.pk]
    assert (now.month, now.sold, now.owed) == (this_month, 90_000, 90_000)
    # Reported by the outlet but not confirmed: still owed, shown as waiting.
    assert (before.sold, before.confirmed, before.waiting, before.owed) == (
        160_000,
        0,
        100_000,
        160_000,
    )
    services.outlet_payment_confirm(actor=staff, payment=reported)
    services.outlet_payment_record(
        actor=staff,
        outlet=outlet,
        month=last_month,
        amount=60_000,
        paid_on=today,
        key="d" * 32,
    )
    [_now, before] = selectors.owed_by_month([outlet.pk])[outlet.pk]
    assert (before.confirmed, before.waiting, before.owed) == (160_000, 0, 0)


def test_payment_confirmation_is_the_facilitys_and_happens_once(acun, other):
    outlet, _link, staff, account = acun
    payment = services.outlet_payment_report(
        account=account,
        month=date(2026, 1, 1),
        amount=50_000,
        paid_on=timezone.localdate(),
        key="e" * 32,
    )
    same = services.outlet_payment_report(
        account=account,
        month=date(2026, 1, 1),
        amount=50_000,
        paid_on=timezone.localdate(),
        key="e" * 32,
    )
    assert same.pk == payment.pk and OutletPayment.objects.count() == 1
    for outsider in (other[2], regional_reviewer(outlet.facility.region)):
        with pytest.raises(services.PartnerError):
            services.outlet_payment_confirm(actor=outsider, payment=payment)
    with pytest.raises(services.PartnerError):
        services.outlet_payment_confirm(actor=account.user, payment=payment)
    services.outlet_payment_confirm(actor=staff, payment=payment)
    again = services.outlet_payment_confirm(actor=staff, payment=payment)
    assert again.status == OutletPayment.Status.CONFIRMED and again.decided_by == staff
    with pytest.raises(services.PartnerError):
        services.outlet_payment_reject(actor=staff, payment=payment, note="salah")
    # Another facility's staff cannot record money for this outlet either.
    with pytest.raises(services.PartnerError):
        services.outlet_payment_record(
            actor=other[2],
            outlet=outlet,
            month=date(2026, 1, 1),
            amount=1,
            paid_on=timezone.localdate(),
            key="f" * 32,
        )


def test_a_rejected_payment_does_not_count(acun):
    outlet, link, staff, account = acun
    sold(account, link, 1, "a" * 32, price=70_000)
    payment = services.outlet_payment_report(
        account=account,
        month=timezone.localdate(),
        amount=70_000,
        paid_on=timezone.localdate(),
        key="g" * 32,
    )
    with pytest.raises(services.PartnerError):
        services.outlet_payment_reject(actor=staff, payment=payment, note=" ")
    services.outlet_payment_reject(actor=staff, payment=payment, note="tidak masuk")
    [month] = selectors.owed_by_month([outlet.pk])[outlet.pk]
    assert (month.confirmed, month.waiting, month.owed) == (0, 0, 70_000)


def test_the_outlet_acknowledges_its_own_hand_overs_once(acun, other):
    _outlet, link, _staff, account = acun
    handover = ConsignmentMovement.objects.get(link=link, kind="handover")
    assert list(selectors.pending_handovers(link.outlet)) == [handover]
    first = services.handover_acknowledge(account=account, movement=handover)
    assert services.handover_acknowledge(account=account, movement=handover).pk == first.pk
    assert not selectors.pending_handovers(link.outlet).exists()
    other_handover = ConsignmentMovement.objects.get(link=other[1], kind="handover")
    with pytest.raises(services.PartnerError):
        services.handover_acknowledge(account=account, movement=other_handover)


def test_only_the_outlets_facility_or_head_office_makes_its_logins(acun, other):
    outlet, _link, _staff, _account = acun
    for outsider in (other[2], regional_reviewer(outlet.facility.region)):
        with pytest.raises(services.PartnerError):
            services.partner_account_create(
                actor=outsider, username="penyusup", password="Mitra-sandi-2026!", outlet=outlet
            )
    account = services.partner_account_create(
        actor=head_office_user(),
        username="mitra-pusat",
        password="Mitra-sandi-2026!",
        outlet=outlet,
    )
    assert not account.user.is_staff and not hasattr(account.user, "membership")
    with pytest.raises(services.PartnerError):  # the name is taken, any case
        services.partner_account_create(
            actor=facility_staff(outlet.facility),
            username="MITRA-PUSAT",
            password="Mitra-sandi-2026!",
            outlet=outlet,
        )
    assert OutletProduct.objects.filter(outlet=outlet).count() == 1
