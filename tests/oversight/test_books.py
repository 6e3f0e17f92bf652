"""The daily books check (oversight.books): money received through the gateway
= settled to facilities + refunded + held for a person, and every gateway
settlement one payment; each difference listed with what to do. Also the
command, the daily function and the head-office page with its scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from orders import services
from orders.payments import services as gateway_services
from orders.payments.models import (
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    GatewayReportLine,
    SettlementEntry,
)
from orders.payments.services.order_refunds import order_refund_record
from oversight.books import books_check, books_check_daily
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import ProductFactory, shop
from tests.orders.gateway_helpers import notification, online_checkout
from tests.oversight.books_helpers import import_report, paid_checkout, report, report_row

pytestmark = pytest.mark.django_db
URL = "/admin/laporan/pembukuan/"


@pytest.fixture(autouse=True)
def _gateway_key(settings):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-UJI-KEY"
    settings.MIDTRANS_BASE_URL = "http://127.0.0.1:9/v-unused"  # no HTTP in these tests


@pytest.fixture
def two_shops(db):
    return (
        ProductFactory(facility=shop(), price=175_000, stock=20),
        ProductFactory(facility=shop(), price=350_000, stock=20),
    )


def today():
    return timezone.localdate()


def at(payment) -> str:
    return f"{timezone.localtime(payment.paid_at):%Y-%m-%d %H:%M:%S}"


def kinds(result) -> list[str]:
    return sorted(d.kind for d in result.differences)


# --- the balance ------------------------------------------------------------


def test_a_day_of_paid_and_refunded_orders_balances(two_shops):
    kendari, palembang = two_shops
    _result, payment = paid_checkout([(kendari, 1), (palembang, 2)])
    cancelled, _p2 = paid_checkout([(kendari, 2)])
    # Staff cancel a paid order: its money goes back through the gateway (a
    # refund row, still being sent: held), the ledger row marked refunded.
    services.order_cancel(
        order=cancelled.orders[0], actor=facility_staff(kendari.facility), reason="Stok rusak."
    )
    assert GatewayRefund.objects.get().status == GatewayRefund.Status.PENDING

    result = books_check(day=today())

    assert result.balanced, [d.problem for d in result.differences]
    rows = {row.facility_id: row for row in result.rows}
    assert rows[kendari.facility_id].received == 175_000 + 350_000
    assert rows[kendari.facility_id].settled == 175_000
    assert rows[kendari.facility_id].held == 350_000
    assert rows[palembang.facility_id].received == rows[palembang.facility_id].settled == 700_000
    assert all(row.unexplained == 0 for row in result.rows)
    assert payment.amount == 875_000


def test_refunds_done_and_held_for_a_person_count_as_accounted(two_shops):
    kendari, _ = two_shops
    done, _p = paid_checkout([(kendari, 1)])
    manual, _q = paid_checkout([(kendari, 1)])
    for result, status in (
        (done, GatewayRefund.Status.DONE),
        (manual, GatewayRefund.Status.MANUAL),
    ):
        refund = gateway_services.gateway_refund_for_cancelled(order=result.orders[0], reason="x")
        GatewayRefund.objects.filter(pk=refund.pk).update(status=status)

    result = books_check(day=today())

    assert result.balanced
    (row,) = result.rows
    assert (row.received, row.settled, row.refunded, row.held) == (350_000, 0, 175_000, 175_000)


def test_a_partial_refund_while_owed_shrinks_the_ledger_row_and_balances(two_shops):
    kendari, _ = two_shops
    result, _payment = paid_checkout([(kendari, 2)])
    order_refund_record(
        order=result.orders[0], amount=40_000, reason="Satu cacat.", refund_key="keluhan-9"
    )

    check = books_check(day=today())

    assert check.balanced
    (row,) = check.rows
    assert (row.received, row.settled, row.held) == (350_000, 310_000, 40_000)


def test_control_a_deliberately_unbalanced_ledger_is_noticed(two_shops):
    """The check can fail: take Rp 1.000 off one ledger row and the day no
    longer balances, by exactly that much, on that order."""
    kendari, _ = two_shops
    result, _payment = paid_checkout([(kendari, 1)])
    assert books_check(day=today()).balanced
    SettlementEntry.objects.filter(order=result.orders[0]).update(amount=174_000)

    check = books_check(day=today())

    assert not check.balanced
    (difference,) = check.differences
    assert difference.kind == "unaccounted"
    assert difference.amount == 1_000
    assert difference.reference == result.orders[0].code
    assert check.rows[0].unexplained == 1_000


def test_a_paid_payment_with_no_settlement_entry_is_listed_with_what_to_do(two_shops):
    kendari, palembang = two_shops
    result, payment = paid_checkout([(kendari, 1), (palembang, 1)])
    lost = result.orders[1]
    SettlementEntry.objects.filter(order=lost).delete()

    check = books_check(day=today())

    (difference,) = check.differences
    assert difference.kind == "paid_not_recorded"
    assert difference.facility_id == lost.facility_id
    assert difference.amount == lost.total
    assert "diterima gateway tetapi pesanan" in difference.problem
    assert lost.code in difference.action and "rekonsiliasi" in difference.action


def test_a_second_payment_for_the_same_orders_is_money_without_a_home(two_shops):
    """Paid twice (two charges of one checkout both settled): the orders are
    confirmed once, so the second payment's money is listed."""
    kendari, _ = two_shops
    result, first = paid_checkout([(kendari, 1)])
    second = GatewayPayment.objects.create(
        checkout=result.checkout,
        gateway_order_id=f"KB-{result.checkout.code}-2",
        channel="qris",
        amount=first.amount,
        transaction_id="tx-second",
    )
    row, _ = gateway_services.gateway_notification_receive(payload=notification(second))
    gateway_services.gateway_notification_process(notification_id=row.pk)

    check = books_check(day=today())

    assert [d.kind for d in check.differences] == ["paid_not_recorded"]
    assert second.gateway_order_id in check.differences[0].problem


def test_a_refund_marked_in_the_ledger_but_never_made_is_listed(two_shops):
    """The ledger row says 'refunded to the shopper' but no refund exists."""
    kendari, _ = two_shops
    result, _payment = paid_checkout([(kendari, 1)])
    SettlementEntry.objects.filter(order=result.orders[0]).update(
        status=SettlementEntry.Status.REFUNDED
    )

    assert kinds(books_check(day=today())) == ["unaccounted"]


def test_a_refund_the_gateway_made_that_is_not_in_the_ledger_is_listed(two_shops):
    """A refund made in the gateway's dashboard: its notification arrives, the
    refunds ledger holds nothing."""
    kendari, _ = two_shops
    _result, payment = paid_checkout([(kendari, 1)])
    GatewayNotification.objects.create(
        event_key="refund-from-dashboard",
        gateway_order_id=payment.gateway_order_id,
        transaction_status="partial_refund",
        status_code="200",
        gross_amount="175000.00",
        payload={"refund_amount": "50000.00", "refunds": [{"refund_amount": "50000.00"}]},
    )

    check = books_check(day=today())

    (difference,) = check.differences
    assert difference.kind == "refund_unrecorded"
    assert difference.amount == 50_000
    assert "tidak ada di buku pengembalian dana" in difference.problem


def test_a_settlement_notification_never_applied_is_listed_once_stale(two_shops):
    """The worker died before applying the gateway's settlement: the payment is
    still pending here, the gateway has the money."""
    kendari, _ = two_shops
    _result, payment = online_checkout([(kendari, 1)])
    note, _new = gateway_services.gateway_notification_receive(payload=notification(payment))
    # Fresh: the worker may still be on it.
    assert books_check(day=today()).balanced
    GatewayNotification.objects.filter(pk=note.pk).update(
        received_at=timezone.now() - timedelta(minutes=20)
    )

    (difference,) = books_check(day=today()).differences
    assert difference.kind == "settlement_not_applied"
    assert difference.amount == 175_000 and "belum diproses" in difference.problem

    # Applied (e.g. by the reconciliation sweep): balanced.
    gateway_services.gateway_notification_process(notification_id=note.pk)
    assert books_check(day=today()).balanced


def test_a_settlement_of_another_amount_is_listed(two_shops):
    kendari, _ = two_shops
    _result, payment = online_checkout([(kendari, 1)])
    note, _new = gateway_services.gateway_notification_receive(
        payload=notification(payment, amount=150_000)
    )
    gateway_services.gateway_notification_process(notification_id=note.pk)

    (difference,) = books_check(day=today()).differences
    assert difference.kind == "settlement_not_applied" and difference.amount == 150_000


def test_paid_out_then_refunded_is_listed_as_owed_back_by_the_facility(two_shops):
    kendari, _ = two_shops
    result, _payment = paid_checkout([(kendari, 1)])
    gateway_services.settlement_pay_out(
        entries=SettlementEntry.objects.all(), actor=head_office_user(), reference="TRF-1"
    )
    gateway_services.gateway_refund_partial(
        order=result.orders[0], amount=25_000, refund_key="keluhan-1", reason="Cacat."
    )

    (difference,) = books_check(day=today()).differences
    assert difference.kind == "over_accounted"
    assert difference.amount == -25_000
    assert "tagih" in difference.action


# --- the gateway's settlement report in the books ---------------------------


def test_a_report_that_matches_every_payment_balances(two_shops):
    kendari, palembang = two_shops
    _r1, one = paid_checkout([(kendari, 1)])
    _r2, two = paid_checkout([(kendari, 1), (palembang, 1)])
    imported = import_report(
        head_office_user(),
        report(
            report_row(one.gateway_order_id, 175_000, time=at(one)),
            report_row(two.gateway_order_id, 525_000, time=at(two)),
        ),
    )

    assert (imported.lines_read, imported.new_lines, imported.matched) == (2, 2, 2)
    assert books_check(day=today()).balanced


def test_a_settlement_line_with_no_payment_is_a_difference_until_handled(two_shops):
    kendari, _ = two_shops
    _r, payment = paid_checkout([(kendari, 1)])
    boss = head_office_user()
    import_report(
        boss,
        report(
            report_row(payment.gateway_order_id, 175_000, time=at(payment)),
            report_row("KB-TIDAKADA-1", 99_000, time=at(payment)),
        ),
    )

    check = books_check(day=today())
    (difference,) = check.differences
    assert difference.kind == "report_unknown_order"
    assert difference.facility_id is None and difference.amount == 99_000
    assert "KB-TIDAKADA-1" in difference.action

    line = GatewayReportLine.objects.get(gateway_order_id="KB-TIDAKADA-1")
    gateway_services.gateway_report_line_resolve(line=line, actor=boss)
    assert books_check(day=today()).balanced


def test_an_amount_mismatch_is_listed(two_shops):
    kendari, _ = two_shops
    _r, payment = paid_checkout([(kendari, 1)])
    import_report(
        head_office_user(), report(report_row(payment.gateway_order_id, 170_000, time=at(payment)))
    )

    assert kinds(books_check(day=today())) == ["not_in_report", "report_amount_mismatch"]


def test_settled_at_the_gateway_but_not_paid_here_says_run_the_reconciliation(two_shops):
    """The lost notification of issue 29: the gateway settled, our payment is
    still pending (no order confirmed, nothing in the ledger)."""
    kendari, _ = two_shops
    _result, payment = online_checkout([(kendari, 1)])
    when = f"{timezone.localtime():%Y-%m-%d %H:%M:%S}"
    import_report(
        head_office_user(), report(report_row(payment.gateway_order_id, 175_000, time=when))
    )

    (difference,) = books_check(day=today()).differences
    assert difference.kind == "report_not_paid_here"
    assert "Pembayaran diterima gateway tetapi pesanan tidak tercatat dibayar" in difference.action


def test_a_payment_paid_here_missing_from_the_days_report_is_listed(two_shops):
    kendari, _ = two_shops
    _r1, one = paid_checkout([(kendari, 1)])
    _r2, two = paid_checkout([(kendari, 1)])
    import_report(
        head_office_user(), report(report_row(one.gateway_order_id, 175_000, time=at(one)))
    )

    (difference,) = books_check(day=today()).differences
    assert difference.kind == "not_in_report"
    assert difference.reference == two.gateway_order_id


# --- command and daily job --------------------------------------------------


def test_the_command_exits_non_zero_on_differences_and_zero_when_balanced(two_shops, capsys):
    kendari, _ = two_shops
    result, _payment = paid_checkout([(kendari, 1)])
    call_command("check_books", "--day", today().isoformat())
    assert "seimbang" in capsys.readouterr().out

    SettlementEntry.objects.filter(order=result.orders[0]).delete()
    with pytest.raises(CommandError) as failed:
        call_command("check_books", "--day", today().isoformat())
    assert failed.value.returncode == 1
    out = capsys.readouterr().out
    assert result.orders[0].code in out and "rekonsiliasi" in out


def test_the_command_refuses_a_day_that_is_not_a_date(db):
    with pytest.raises(CommandError):
        call_command("check_books", "--day", "99999-99-99")


def test_the_daily_job_checks_yesterday(two_shops, caplog):
    kendari, _ = two_shops
    result, payment = paid_checkout([(kendari, 1)])
    GatewayPayment.objects.filter(pk=payment.pk).update(paid_at=payment.paid_at - timedelta(days=1))
    assert books_check_daily() == 0
    SettlementEntry.objects.filter(order=result.orders[0]).delete()
    assert books_check_daily() == 1
    assert result.orders[0].code in caplog.text


# --- the page ----------------------------------------------------------------


def test_head_office_sees_each_day_and_its_differences(client, two_shops):
    kendari, palembang = two_shops
    paid_checkout([(kendari, 1), (palembang, 1)])
    result, _payment = paid_checkout([(palembang, 1)])
    SettlementEntry.objects.filter(order=result.orders[0]).delete()
    client.force_login(head_office_user())

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 hari tidak seimbang" in page
    assert result.orders[0].code in page
    assert "Yang harus dilakukan" in page
    assert "seimbang" in page  # the days before today
    assert "Impor laporan settlement gateway" in page


def test_a_kanwil_reviewer_sees_only_its_regions_facilities(client, two_shops):
    kendari, palembang = two_shops
    _r1, _p = paid_checkout([(kendari, 1)])
    other, _q = paid_checkout([(palembang, 1)])
    SettlementEntry.objects.filter(order=other.orders[0]).delete()
    client.force_login(regional_reviewer(kendari.facility.region))

    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert kendari.facility.name in page
    assert palembang.facility.name not in page and other.orders[0].code not in page
    assert "Semua hari seimbang" in page
    # Another region's facility named in the address: not found.
    assert client.get(URL, {"facility": palembang.facility_id}).status_code == 404
    assert client.get(URL, {"facility": kendari.facility_id}).status_code == 200


def test_facility_staff_and_strangers_are_refused(client, two_shops):
    kendari, _ = two_shops
    client.force_login(facility_staff(kendari.facility))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"facility": kendari.facility_id}).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302  # to the admin's login


def test_a_period_out_of_bounds_is_a_message_never_a_500(client, db):
    client.force_login(head_office_user())
    for query in (
        {"first": "2026-01-01", "last": "2026-12-31"},
        {"first": "99999-01-01"},
        {"last": "0001-01-01"},
        {"first": "2026-02-30"},
    ):
        response = client.get(URL, query)
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()


@pytest.mark.parametrize("checkouts", [1, 6])
def test_the_page_takes_the_same_queries_at_any_size(
    client, two_shops, checkouts, django_assert_max_num_queries
):
    kendari, palembang = two_shops
    for _ in range(checkouts):
        paid_checkout([(kendari, 1), (palembang, 1)])
    boss = head_office_user()
    import_report(
        boss,
        report(
            report_row("KB-TIDAKADA-1", 99_000, time=f"{timezone.localtime():%Y-%m-%d %H:%M:%S}")
        ),
    )
    client.force_login(boss)
    # 11 for the check itself, the rest session, user, permissions, the facility
    # list and the inbox badge every admin page carries (facilities.inbox).
    with django_assert_max_num_queries(18):
        response = client.get(URL)
    assert response.status_code == 200
