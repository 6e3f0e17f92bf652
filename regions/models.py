"""Official Indonesian regions (Kemendagri codes): provinsi > kabupaten/kota >
kecamatan > kelurahan/desa, with the postal code (kode pos) at village level.

The dotted Kemendagri code is the primary key, so reloading a newer data set
updates names and postal codes in place and never breaks a reference to a code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.CharField(_("kode"), max_length=2, primary_key=True)
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self):
        return self.name


class Regency(models.Model):
    code = models.CharField(_("kode"), max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def __str__(self):
        return self.name


class District(models.Model):
    code = models.CharField(_("kode"), max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(_("nama"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.name


class Village(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("nama"), max_length=100)
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kelurahan/desa")
        verbose_name_plural = _("kelurahan/desa")

    def __str__(self):
        return self.name
