"""/sitemap.xml: public products, active facilities' storefronts, categories.

Links use SITE_URL's scheme and host, never the request's Host header, so
the sitemap names the same canonical URLs the pages declare.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q

from catalog.models import Category, Product
from facilities.models import Facility


class _SiteUrlSitemap(Sitemap):
    limit = 5000

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class ProductSitemap(_SiteUrlSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Product.objects.public().only("slug", "updated_at").order_by("id")

    def lastmod(self, product):
        return product.updated_at


class FacilitySitemap(_SiteUrlSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Facility.objects.filter(is_active=True).only("slug", "updated_at").order_by("id")

    def lastmod(self, facility):
        return facility.updated_at


class CategorySitemap(_SiteUrlSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        # Only categories with something public in them (or in a child), so a
        # crawler never lands on an empty page.
        public = Product.objects.public().filter(
            Q(category=OuterRef("pk")) | Q(category__parent=OuterRef("pk"))
        )
        return Category.objects.filter(Exists(public)).only("slug").order_by("position", "id")


SITEMAPS = {
    "products": ProductSitemap,
    "facilities": FacilitySitemap,
    "categories": CategorySitemap,
}
