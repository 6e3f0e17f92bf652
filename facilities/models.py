"""Regions (Kanwil), facilities (Lapas, Rutan, Bapas, LPKA) and who works where.

Domain words, defined once:
- Kanwil: a regional office of the corrections directorate, one per province.
- Lapas: prison (lembaga pemasyarakatan); Rutan: remand centre (rumah tahanan);
  Bapas: probation office (balai pemasyarakatan); LPKA: juvenile facility.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PhoneField
from core.page_registry import page_url
from core.phone import whatsapp_digits


class Region(models.Model):
    name = models.CharField(_("nama"), max_length=120, unique=True)
    province = models.CharField(_("provinsi"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kanwil")
        verbose_name_plural = _("Kanwil")

    def __str__(self):
        return self.name


class Facility(models.Model):
    class Kind(models.TextChoices):
        LAPAS = "lapas", "Lapas"
        RUTAN = "rutan", "Rutan"
        BAPAS = "bapas", "Bapas"
        LPKA = "lpka", "LPKA"
        # A former inmate's own business under Bapas supervision (issue 35):
        # it sells like a facility but its money is the client's, not the state's.
        ENTERPRISE = "usaha", _("Usaha binaan Bapas")

    class Class(models.TextChoices):
        I = "I", _("Kelas I")  # noqa: E741 - the official class name
        IIA = "IIA", _("Kelas IIA")
        IIB = "IIB", _("Kelas IIB")
        II = "II", _("Kelas II")
        III = "III", _("Kelas III")
        NONE = "", _("Tanpa kelas")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB"
        WITA = "Asia/Makassar", "WITA"
        WIT = "Asia/Jayapura", "WIT"

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("Kanwil")
    )
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    facility_class = models.CharField(_("kelas"), max_length=4, choices=Class.choices, blank=True)
    is_womens = models.BooleanField(_("khusus perempuan"), default=False)
    name = models.CharField(_("nama"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    address = models.CharField(_("alamat"), max_length=255)
    city = models.CharField(_("kota/kabupaten"), max_length=80)
    province = models.CharField(_("provinsi"), max_length=80)
    # Where couriers pick up: the official region (Kemendagri codes). The
    # free-text city/province above stay as the facility writes its name; the
    # rules (local delivery, courier origin, rate rows) compare these codes.
    origin_province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provinsi (kode Kemendagri)"),
    )
    origin_district = models.ForeignKey(
        "regions.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kecamatan asal kiriman"),
    )
    origin_village = models.ForeignKey(
        "regions.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan/desa asal kiriman"),
    )
    # Copied from the village by facility_origin_set, so pricing a parcel
    # never costs a query (the checkout's query budget).
    origin_postal_code = models.CharField(_("kode pos asal kiriman"), max_length=5, blank=True)
    timezone = models.CharField(
        _("zona waktu"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    phone = PhoneField(_("telepon"), blank=True)
    whatsapp = PhoneField(_("WhatsApp"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    showroom_hours = models.CharField(
        _("jam buka showroom"),
        max_length=160,
        blank=True,
        help_text=_("Contoh: Senin–Jumat 08.00–15.00"),
    )
    about = models.TextField(
        _("tentang"), blank=True, help_text=_("Program pembinaan kemandirian dan karya unggulan.")
    )
    logo = models.ImageField(_("logo"), upload_to="facilities/logo/", blank=True)
    banner = models.ImageField(_("banner"), upload_to="facilities/banner/", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("UPT")
        verbose_name_plural = _("UPT")
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The storefront is catalog's page; catalog.apps registers its URL.
        return page_url(self)

    @property
    def is_enterprise(self) -> bool:
        """A Bapas client's business: no premi, no PNBP; paid to the client."""
        return self.kind == self.Kind.ENTERPRISE

    @property
    def whatsapp_number(self) -> str:
        """Digits for wa.me links: the WhatsApp number, else the phone."""
        number = self.whatsapp or self.phone
        return whatsapp_digits(number) if number else ""


class BankAccount(models.Model):
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="bank_accounts", verbose_name=_("UPT")
    )
    bank_name = models.CharField(_("bank"), max_length=60)
    account_number = models.CharField(_("nomor rekening"), max_length=30)
    account_holder = models.CharField(_("atas nama"), max_length=120)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["bank_name"]
        verbose_name = _("rekening bank")
        verbose_name_plural = _("rekening bank")

    def __str__(self):
        return f"{self.bank_name} {self.account_number} a.n. {self.account_holder}"


class Membership(models.Model):
    """Where a staff user works: one facility, one region, or head office.

    Permissions come from the role's group (created by a data migration);
    which rows a user may see comes from this row (see facilities.scoping).
    """

    class Role(models.TextChoices):
        FACILITY_STAFF = "facility_staff", _("Petugas UPT")
        REGIONAL_REVIEWER = "regional_reviewer", _("Peninjau Kanwil")
        HEAD_OFFICE = "head_office", _("Kantor Pusat")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("UPT"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Kanwil"),
    )

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(role="facility_staff", facility__isnull=False, region__isnull=True)
                    | models.Q(
                        role="regional_reviewer", facility__isnull=True, region__isnull=False
                    )
                    | models.Q(role="head_office", facility__isnull=True, region__isnull=True)
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class StaffAccount(User):
    """A staff login as head office and Kanwil manage it: a role and a
    facility or region (the Membership), never raw permissions or flags.

    A proxy of Django's user, so the accounts screen is its own admin with its
    own rules while Django's user admin stays for superusers only.
    """

    class Meta:
        proxy = True
        verbose_name = _("akun petugas")
        verbose_name_plural = _("akun petugas")


class ProceedsShare(models.Model):
    """One slice of how a facility shares its sales proceeds, e.g. the inmates'
    wage share, the state revenue (PNBP) share, materials.

    Configuration, not code: the sales report multiplies each facility's goods
    revenue by these percentages. A facility's shares add up to at most 100;
    what is left unallocated is shown as such (checked in the admin formset,
    since a sum across rows cannot be a row constraint).
    """

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="proceeds_shares", verbose_name=_("UPT")
    )
    name = models.CharField(
        _("nama bagian"), max_length=80, help_text=_("Contoh: Premi warga binaan, PNBP, Bahan baku")
    )
    percent = models.DecimalField(
        _("persentase"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("Persen dari pendapatan penjualan barang (tanpa ongkos kirim)."),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pembagian hasil penjualan")
        verbose_name_plural = _("pembagian hasil penjualan")
        constraints = [
            models.CheckConstraint(
                name="proceeds_share_percent_range",
                condition=models.Q(percent__gt=0, percent__lte=100),
            ),
            models.UniqueConstraint(fields=["facility", "name"], name="proceeds_share_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.percent}%)"


class PartnerOutletQuerySet(models.QuerySet):
    def current(self, today=None) -> "PartnerOutletQuerySet":
        """Outlets whose cooperation agreement is in force today: an ended
        agreement drops off the public pages by itself, no job needed."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.filter(
            models.Q(agreement_end__isnull=True) | models.Q(agreement_end__gte=today),
            is_active=True,
            agreement_start__lte=today,
            facility__is_active=True,
        )


class PartnerOutlet(models.Model):
    """A place outside the web shop where a facility's products are sold under
    a cooperation agreement (perjanjian kerja sama, PKS): a shop, a
    cooperative, a Dekranasda gallery (the regional crafts council's
    showroom), a packaging house."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("Toko")
        COOPERATIVE = "cooperative", _("Koperasi")
        DEKRANASDA = "dekranasda", _("Galeri Dekranasda")
        PACKAGING_HOUSE = "packaging_house", _("Rumah kemasan")

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="outlets", verbose_name=_("UPT")
    )
    name = models.CharField(_("nama mitra"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("alamat"), max_length=255)
    city = models.CharField(_("kota/kabupaten"), max_length=80)
    directions = models.CharField(
        _("petunjuk arah"),
        max_length=255,
        blank=True,
        help_text=_("Contoh: seberang Pasar Pembangunan, sebelah apotek."),
    )
    contact_name = models.CharField(_("narahubung"), max_length=120, blank=True)
    contact_phone = PhoneField(_("telepon"), blank=True)
    opening_hours = models.CharField(_("jam buka"), max_length=120, blank=True)
    agreement_number = models.CharField(_("nomor perjanjian kerja sama"), max_length=80)
    agreement_start = models.DateField(_("berlaku sejak"))
    agreement_end = models.DateField(
        _("berlaku sampai"), null=True, blank=True, help_text=_("Kosongkan bila tanpa batas.")
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnerOutletQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mitra penjualan")
        verbose_name_plural = _("mitra penjualan")
        constraints = [
            models.CheckConstraint(
                name="outlet_agreement_dates_in_order",
                condition=models.Q(agreement_end__isnull=True)
                | models.Q(agreement_end__gte=models.F("agreement_start")),
                violation_error_message=_("Tanggal akhir perjanjian harus setelah tanggal mulai."),
            ),
            models.UniqueConstraint(fields=["facility", "name"], name="outlet_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.city})"

    def in_force(self, today=None) -> bool:
        """The row-level twin of PartnerOutlet.objects.current(): active, its
        facility active, and today within the agreement."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return (
            self.is_active
            and self.facility.is_active
            and self.agreement_start <= today
            and (self.agreement_end is None or self.agreement_end >= today)
        )


class ExhibitionQuerySet(models.QuerySet):
    def upcoming(self, today=None) -> "ExhibitionQuerySet":
        """Events not yet over (running or to come); past ones stay in the admin."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.filter(ends_on__gte=today, is_published=True)


class Exhibition(models.Model):
    """An exhibition, bazaar or fair where facilities show and sell their work."""

    facility = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        related_name="organised_exhibitions",
        verbose_name=_("UPT penyelenggara/pendaftar"),
    )
    title = models.CharField(_("judul"), max_length=160)
    place = models.CharField(_("tempat"), max_length=200)
    city = models.CharField(_("kota/kabupaten"), max_length=80)
    province = models.CharField(_("provinsi"), max_length=80)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    description = models.TextField(_("keterangan"), blank=True)
    participants = models.ManyToManyField(
        Facility, blank=True, related_name="exhibitions", verbose_name=_("UPT peserta")
    )
    is_published = models.BooleanField(_("tayang"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("pameran")
        verbose_name_plural = _("pameran")
        indexes = [models.Index(fields=["ends_on", "province"], name="exhibition_upcoming")]
        constraints = [
            models.CheckConstraint(
                name="exhibition_dates_in_order",
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("Tanggal selesai harus sama atau setelah tanggal mulai."),
            )
        ]

    def __str__(self):
        return self.title
