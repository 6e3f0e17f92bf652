"""Short steps to pay a virtual account, per bank, for the payment page: the
menu path in each bank's own app and at its ATM (as the banks' and the
gateway's guides name them). A bank missing here gets the general line."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from orders.payments.models import GatewayChannel


@dataclass(frozen=True)
class BankSteps:
    bank: str
    app: str
    app_steps: tuple
    atm_steps: tuple


ENTER_VA = _("Masukkan nomor virtual account di atas.")
CHECK = _("Periksa nama toko dan jumlah, lalu konfirmasi dengan PIN.")
ATM_CONFIRM = _("Periksa jumlah lalu pilih Ya.")

STEPS = {
    GatewayChannel.BCA_VA: BankSteps(
        bank="BCA",
        app="BCA mobile (m-BCA)",
        app_steps=(_("Buka m-BCA, pilih m-Transfer > BCA Virtual Account."), ENTER_VA, CHECK),
        atm_steps=(
            _("Di ATM BCA pilih Transaksi Lainnya > Transfer > ke Rek BCA Virtual Account."),
            ENTER_VA,
            ATM_CONFIRM,
        ),
    ),
    GatewayChannel.BNI_VA: BankSteps(
        bank="BNI",
        app="BNI Mobile Banking (wondr)",
        app_steps=(
            _("Buka aplikasi BNI, pilih Transfer > Virtual Account Billing."),
            ENTER_VA,
            CHECK,
        ),
        atm_steps=(
            _("Di ATM BNI pilih Menu Lain > Transfer > Rekening Tabungan > Ke Rekening BNI."),
            ENTER_VA,
            ATM_CONFIRM,
        ),
    ),
    GatewayChannel.BRI_VA: BankSteps(
        bank="BRI",
        app="BRImo",
        app_steps=(_("Buka BRImo, pilih Pembayaran > BRIVA."), ENTER_VA, CHECK),
        atm_steps=(
            _("Di ATM BRI pilih Transaksi Lain > Pembayaran > Lainnya > BRIVA."),
            ENTER_VA,
            ATM_CONFIRM,
        ),
    ),
    GatewayChannel.PERMATA_VA: BankSteps(
        bank="Permata",
        app="PermataMobile X",
        app_steps=(
            _("Buka PermataMobile X, pilih Bayar Tagihan > Virtual Account."),
            ENTER_VA,
            CHECK,
        ),
        atm_steps=(
            _(
                "Di ATM Permata pilih Transaksi Lainnya > Pembayaran > Pembayaran Lainnya > "
                "Virtual Account."
            ),
            ENTER_VA,
            _("Periksa jumlah lalu pilih Benar."),
        ),
    ),
}


def steps_for(channel: str) -> BankSteps | None:
    return STEPS.get(channel)
