"""A product's photos, re-encoded by core.images. Part of catalog.models
(imported there, so `catalog.models.ProductImage` is the name to use)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core import images


class ProductImage(models.Model):
    """A photo, already re-encoded and stripped of metadata by core.images.

    `renditions` maps width to file names, made once on upload, e.g.
    {"320": {"webp": "...", "jpeg": "..."}, "640": {...}, "1280": {...}}.
    """

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="images", verbose_name=_("produk")
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    image = models.ImageField(
        _("foto"), upload_to="products/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    alt_text = models.CharField(
        _("teks alternatif"),
        max_length=200,
        help_text=_(
            "Jelaskan isi foto untuk pembaca layar, misalnya 'Tas rajut biru tampak depan'."
        ),
    )
    renditions = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("foto produk")
        verbose_name_plural = _("foto produk")

    def __str__(self):
        return self.alt_text

    RENDITION_WIDTHS = images.RENDITION_WIDTHS  # the widths the photo pipeline writes

    def rendition_url(self, width: int, fmt: str = "webp") -> str:
        """URL of the rendition `width` px wide in `fmt` ("webp" or "jpeg"),
        falling back to the stored original when renditions are missing."""
        from django.core.files.storage import default_storage

        name = self.renditions.get(str(width), {}).get(fmt)
        return default_storage.url(name) if name else self.image.url

    def srcset(self, fmt: str = "webp") -> str:
        """`srcset` value listing every rendition of `fmt` with its width."""
        from django.core.files.storage import default_storage

        parts = []
        for width in self.RENDITION_WIDTHS:
            entry = self.renditions.get(str(width), {})
            if fmt in entry:
                parts.append(f"{default_storage.url(entry[fmt])} {entry.get('width', width)}w")
        return ", ".join(parts)
