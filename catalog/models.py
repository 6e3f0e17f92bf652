"""Categories, products and their quantity prices; photos (catalog.models_photos),
the review history (catalog.models_review) and partner outlets, exhibitions and
consignment (catalog.models_channels) are imported at the end. Those modules
name Product by string ("catalog.Product") and take ListingStatus from
catalog.choices, so none imports this one back.

P-IRT: Pangan Industri Rumah Tangga, the home-industry food registration number
issued by a regency; BPOM: the national food and drug agency's registration.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from catalog.choices import ListingStatus
from core.fields import MoneyField
from core.money import MAX_UNIT_AMOUNT
from facilities.models import Facility

# The top-level category of food (pempek, kue, kopi ...), by its stable slug.
FOOD_CATEGORY_SLUG = "makanan"


class Category(models.Model):
    """A shallow tree: top-level groups and their children, nothing deeper."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("induk"),
    )
    name_id = models.CharField(_("nama (Indonesia)"), max_length=80)
    name_en = models.CharField(_("nama (Inggris)"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["position", "name_id"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:category", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        """The name in the active language (Indonesian unless English is chosen)."""
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class ProductQuerySet(models.QuerySet):
    def public(self) -> "ProductQuerySet":
        """What the public may see: approved listings of active facilities.

        The one definition of visibility; storefront pages, search, sitemaps
        and the cart all start from here.
        """
        return self.filter(status=ListingStatus.APPROVED, facility__is_active=True)

    def review_queue(self) -> "ProductQuerySet":
        """Listings waiting for a reviewer, the longest-waiting first."""
        return self.filter(status=ListingStatus.PENDING_REVIEW).order_by("submitted_at", "id")


_BEST_RATED = (
    models.F("status"),
    models.F("rating_avg").desc(nulls_last=True),
    models.F("rating_count").desc(),
    models.F("id").desc(),
)


class Product(models.Model):
    class Unit(models.TextChoices):
        PCS = "pcs", _("pcs")
        PACK = "pack", _("pak")
        SET = "set", _("set")
        M2 = "m2", _("m²")
        KG = "kg", _("kg")
        M = "m", _("m")
        DOZEN = "lusin", _("lusin")

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="products", verbose_name=_("UPT")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("kategori")
    )
    name = models.CharField(_("nama produk"), max_length=160)
    slug = models.SlugField(_("slug"), max_length=180, unique=True)
    description = models.TextField(_("deskripsi"))
    price = MoneyField(
        _("harga (Rp)"),
        limit=MAX_UNIT_AMOUNT,
        validators=[MinValueValidator(1)],
        help_text=_("Dalam Rupiah, tanpa titik atau koma."),
    )
    unit = models.CharField(_("satuan"), max_length=8, choices=Unit.choices, default=Unit.PCS)
    min_order_quantity = models.PositiveIntegerField(
        _("minimal pembelian"), default=1, validators=[MinValueValidator(1)]
    )
    made_to_order = models.BooleanField(
        _("dibuat sesuai pesanan"),
        default=False,
        help_text=_("Tidak memakai stok; dikerjakan setelah dipesan."),
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lama pengerjaan (hari)"), null=True, blank=True
    )
    stock = models.PositiveIntegerField(_("stok siap"), default=0)
    weight_grams = models.PositiveIntegerField(
        _("berat (gram)"),
        validators=[MinValueValidator(1)],
        help_text=_("Berat setelah dikemas, untuk ongkos kirim."),
    )
    length_cm = models.PositiveSmallIntegerField(_("panjang (cm)"), null=True, blank=True)
    width_cm = models.PositiveSmallIntegerField(_("lebar (cm)"), null=True, blank=True)
    height_cm = models.PositiveSmallIntegerField(_("tinggi (cm)"), null=True, blank=True)
    local_only = models.BooleanField(
        _("hanya area lokal"),
        default=False,
        help_text=_("Makanan segar dan sejenisnya: tidak bisa dikirim lewat kurir."),
    )
    food_registration = models.CharField(_("nomor P-IRT/BPOM"), max_length=60, blank=True)
    halal_certificate = models.CharField(_("nomor sertifikat halal"), max_length=60, blank=True)
    shelf_life_days = models.PositiveSmallIntegerField(
        _("masa simpan (hari)"), null=True, blank=True
    )
    # What a food label must say besides the numbers above (PP 69/1999 on food
    # labels; BPOM's rules): the composition and the net weight or volume. The
    # best-before date is the production date plus shelf_life_days, chosen
    # when labels are printed (catalog/labels.py), since it changes per batch.
    composition = models.TextField(
        _("komposisi"), blank=True, help_text=_("Bahan, dari yang terbanyak. Untuk label pangan.")
    )
    net_content = models.CharField(
        _("berat/isi bersih"),
        max_length=40,
        blank=True,
        help_text=_("Contoh: 250 g, 500 ml. Untuk label pangan."),
    )
    is_featured = models.BooleanField(_("unggulan"), default=False)
    status = models.CharField(
        _("status tayang"),
        max_length=20,
        choices=ListingStatus.choices,
        default=ListingStatus.DRAFT,
        db_index=True,
    )
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    # Published reviews' average and count, kept by the reviews app's services
    # so sorting by rating needs no join (and catalog no knowledge of reviews).
    rating_avg = models.DecimalField(
        _("rata-rata ulasan"), max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    rating_count = models.PositiveIntegerField(_("jumlah ulasan"), default=0, editable=False)
    # When the listing last entered pending_review: the review queue's order and age.
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    # Kept current by catalog.services (name, description, category and facility
    # names, Indonesian configuration); never edited by hand.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-approved_at", "-id"]
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        permissions = [("review_product", _("Dapat meninjau produk"))]
        indexes = [
            GinIndex(fields=["search_vector"], name="product_search_gin"),
            GinIndex(name="product_name_trgm", fields=["name"], opclasses=["gin_trgm_ops"]),
            models.Index(fields=["status", "-approved_at"], name="product_status_approved"),
            models.Index(fields=["facility", "status"], name="product_facility_status"),
            # A category's listing in price or newest order reads its page
            # straight off these; with (status, price) alone PostgreSQL walked
            # every public product in price order until the category's turned
            # up (92 ms for furniture sorted by price, page 3; 0.4 ms now).
            models.Index(fields=["category", "status", "price"], name="product_category_price"),
            models.Index(
                fields=["category", "status", "-approved_at"], name="product_category_newest"
            ),
            models.Index(fields=["status", "price"], name="product_status_price"),
            models.Index(fields=["status", "submitted_at"], name="product_review_queue"),
            # "Best rated" in the sort's full order (most products have no
            # rating yet, so the id decides among them): a page without a
            # category was a sort of every public product (105 ms; 3.7 now),
            # a top-level category's 55 ms (1 ms, catalog.category_merge).
            models.Index(*_BEST_RATED, name="product_status_rating"),
            models.Index(models.F("category"), *_BEST_RATED, name="product_category_rating"),
        ]
        constraints = [
            models.CheckConstraint(name="product_price_positive", condition=models.Q(price__gt=0)),
            models.CheckConstraint(
                name="product_min_order_positive", condition=models.Q(min_order_quantity__gt=0)
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:product", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.made_to_order and not self.lead_time_days:
            raise ValidationError(
                {
                    "lead_time_days": _(
                        "Isi lama pengerjaan untuk produk yang dibuat sesuai pesanan."
                    )
                }
            )

    @property
    def is_public(self) -> bool:
        return self.status == ListingStatus.APPROVED and self.facility.is_active

    @property
    def is_food(self) -> bool:
        """Food is what sits in the food category (or under it) or carries a
        food fact (P-IRT/BPOM number, halal certificate, shelf life): the one
        rule the review checklist and the product page use."""
        category = self.category
        in_food_category = FOOD_CATEGORY_SLUG in {
            category.slug,
            category.parent.slug if category.parent_id else "",
        }
        return in_food_category or bool(
            self.food_registration or self.halal_certificate or self.shelf_life_days
        )

    @property
    def in_stock(self) -> bool:
        return self.made_to_order or self.stock >= self.min_order_quantity


class PriceTier(models.Model):
    """A lower unit price from `min_quantity` of the product's unit upward.

    Below the lowest tier the product's own price applies, so "1-99 m² Rp 95.000
    · 100+ m² Rp 85.000" is a product at 95.000 with one tier at 100. Prices are
    read through catalog.pricing.unit_price_for, never here.
    """

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="price_tiers", verbose_name=_("produk")
    )
    min_quantity = models.PositiveIntegerField(_("mulai jumlah"), validators=[MinValueValidator(2)])
    unit_price = MoneyField(
        _("harga satuan (Rp)"), limit=MAX_UNIT_AMOUNT, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["product", "min_quantity"]
        verbose_name = _("harga grosir")
        verbose_name_plural = _("harga grosir (per jumlah)")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "min_quantity"], name="pricetier_one_per_quantity"
            ),
            models.CheckConstraint(
                name="pricetier_min_quantity_above_one", condition=models.Q(min_quantity__gt=1)
            ),
            models.CheckConstraint(
                name="pricetier_price_positive", condition=models.Q(unit_price__gt=0)
            ),
        ]

    def __str__(self):
        return f"{self.min_quantity}+ @ {self.unit_price}"


# The rest of the app's models live in modules by concern; importing them here
# keeps `catalog.models.X` the one name for every model (migrations, admin, code).
from catalog.models_channels import (  # noqa: E402, F401
    ConsignmentMovement,
    ExhibitionProduct,
    OutletProduct,
)
from catalog.models_holds import StockHold  # noqa: E402, F401
from catalog.models_photos import ProductImage  # noqa: E402, F401
from catalog.models_review import ListingReview  # noqa: E402, F401


class ReviewQueueItem(Product):
    """The reviewer's queue in the admin: pending listings, oldest first. Here
    and not in models_review: a proxy subclasses Product, and the submodules
    never import this module (it imports them; no cycle)."""

    class Meta:
        proxy = True
        verbose_name = _("antrean tinjauan")
        verbose_name_plural = _("antrean tinjauan")
