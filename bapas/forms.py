"""The Bapas pages' forms: they check shapes; the rules are in bapas.services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bapas.models import Enterprise

# ISO dates: what an <input type="date"> reads and sends, whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseRegisterForm(forms.Form):
    shop_name = forms.CharField(
        label=_("Nama toko"),
        max_length=160,
        help_text=_(
            "Nama yang dilihat pembeli. Jangan memuat nama klien bila klien tidak memilihnya."
        ),
    )
    client_name = forms.CharField(
        label=_("Nama klien (sesuai rekening)"),
        max_length=120,
        help_text=_("Untuk rekening dan akun; tampil di toko hanya bila klien memilih."),
    )
    show_client_name = forms.BooleanField(
        label=_("Klien memilih namanya tampil di toko"), required=False
    )
    story_shared = forms.BooleanField(
        label=_("Klien setuju kisah usahanya diceritakan"),
        required=False,
        help_text=_(
            "Biarkan kosong bila ragu: masa lalu klien tidak disebut tanpa persetujuannya."
        ),
    )
    story = forms.CharField(
        label=_("Kisah usaha (kata-kata klien)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    about = forms.CharField(
        label=_("Tentang usaha"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    address = forms.CharField(
        label=_("Alamat toko (publik)"),
        max_length=255,
        required=False,
        help_text=_("Kosongkan agar hanya nama kota yang tampil."),
    )
    whatsapp = forms.CharField(label=_("WhatsApp usaha"), max_length=20, required=False)
    consent_signed_on = forms.DateField(label=_("Tanggal persetujuan tertulis"), widget=DATE)
    consent_form = forms.FileField(
        label=_("Formulir persetujuan bertanda tangan (foto atau PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    supervision_starts_on = forms.DateField(label=_("Pembimbingan mulai"), widget=DATE)
    supervision_ends_on = forms.DateField(label=_("Pembimbingan berakhir"), widget=DATE)
    bank_name = forms.CharField(label=_("Bank"), max_length=60)
    account_number = forms.CharField(label=_("Nomor rekening atas nama klien"), max_length=30)
    username = forms.CharField(label=_("Nama pengguna untuk klien"), max_length=150)
    password = forms.CharField(
        label=_("Kata sandi awal klien"), widget=forms.PasswordInput(render_value=False)
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("supervision_starts_on"), data.get("supervision_ends_on")
        if starts and ends and ends < starts:
            self.add_error("supervision_ends_on", _("Akhir pembimbingan harus setelah awalnya."))
        if (data.get("story") or "").strip() and not data.get("story_shared"):
            self.add_error("story", _("Isi kisah hanya bila klien setuju kisahnya diceritakan."))
        return data


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Tanggal kunjungan"), widget=DATE, initial=timezone.localdate
    )
    topic = forms.CharField(label=_("Topik"), max_length=160)
    notes = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_step = forms.CharField(label=_("Langkah berikutnya"), max_length=255, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Setelah masa pembinaan"),
        choices=[
            (Enterprise.Decision.CONTINUE, _("Lanjut berjualan di sini")),
            (Enterprise.Decision.LEAVE, _("Berhenti berjualan (produk disembunyikan)")),
        ],
        widget=forms.RadioSelect,
    )
    keep_mark = forms.BooleanField(
        label=_('Tetap tampilkan tanda "Usaha binaan Bapas"'), required=False, initial=True
    )
