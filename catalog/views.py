"""Storefront pages: catalog, category, facility storefront, product page."""

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import HttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from catalog.feeds import feed_item, render_csv, render_xml
from catalog.page_tags import cleaned_listing_tags, listing_tags, product_tag
from catalog.pricing import price_bands
from catalog.related_cache import related_for_page
from catalog.selectors import (
    active_facility_by_slug,
    browse_products,
    category_by_slug,
    category_tree_ids,
    facility_outlets,
    feed_products,
    listing_products,
    next_exhibition,
    outlets_carrying,
    product_for_page,
    upcoming_exhibitions,
)
from catalog.sitemaps import SITEMAPS
from catalog.structured_data import (
    absolute_url,
    availability_key,
    json_ld_script,
    product_json_ld,
    share_image_url,
)
from core.page_cache import page_depends_on, public_page
from core.templatetags.kb import whatsapp_url
from facilities.page_tags import facility_tag


@require_safe
@public_page(tags=lambda request: listing_tags(request.GET))
def catalog(request):
    """All public products: search, filters, sorting, pagination."""
    page_depends_on(request, *listing_tags(request.GET))
    listing = browse_products(data=request.GET)
    page_depends_on(request, *cleaned_listing_tags(listing))
    return render(request, "catalog/product_list.html", {"listing": listing})


@require_safe
@public_page(tags=lambda request, slug: listing_tags(request.GET, category_slug=slug))
def category(request, slug):
    """One category and its children's products, with the same filters."""
    page_depends_on(request, *listing_tags(request.GET, category_slug=slug))
    category = category_by_slug(slug)
    listing = browse_products(
        data=request.GET, without=("category",), category_ids=category_tree_ids(category)
    )
    page_depends_on(request, *cleaned_listing_tags(listing, category_slug=slug))
    return render(request, "catalog/product_list.html", {"listing": listing, "category": category})


@require_safe
@public_page(
    tags=lambda request, slug: {
        facility_tag(slug),
        *listing_tags(request.GET, facility_slug=slug),
    }
)
def storefront(request, slug):
    """A facility's own page: who they are, where to find them, what they make."""
    page_depends_on(request, facility_tag(slug), *listing_tags(request.GET, facility_slug=slug))
    facility = active_facility_by_slug(slug)
    listing = browse_products(
        data=request.GET,
        queryset=listing_products().filter(facility=facility),
        without=("facility", "province", "kind", "womens"),
    )
    context = {
        "facility": facility,
        "listing": listing,
        "outlets": list(facility_outlets(facility)),
        "next_event": next_exhibition(facility),
    }
    return render(request, "catalog/facility_storefront.html", context)


@require_safe
# The product's own tag is read with the stored page (one cache call fewer per build).
@public_page(tags=lambda request, slug: (product_tag(slug),))
def product(request, slug):
    """The product page; a non-public listing is a 404 except to staff in scope,
    who see it with a preview banner."""
    page_depends_on(request, product_tag(slug))
    product, preview = product_for_page(slug=slug, user=request.user)
    facility = facility_tag(product.facility.slug)
    # The facility's and the related products' tag versions are read with the
    # related list (one cache call), so the page_depends_on below finds them.
    related = related_for_page(product, also_read=(facility,))
    # Outlets and next exhibition (the facility's), and the related cards.
    page_depends_on(request, facility, *(product_tag(p.slug) for p in related))
    images = list(product.images.all())
    cover = images[0] if images else None
    # Worked out once here rather than in the template's filters and again in
    # the JSON-LD (each reverse() or strip_tags is tens of microseconds).
    canonical_url = absolute_url(product.get_absolute_url())
    plain = strip_tags(product.description)
    image_urls = [share_image_url(image) for image in images]
    json_ld = product_json_ld(
        product, images, url=canonical_url, plain_description=plain, image_urls=image_urls
    )
    # Built here, not with {% blocktranslate asvar %}: that escapes the name
    # for HTML before it is URL-encoded ("Tas &amp; Dompet" in the chat).
    greeting = _("Halo, saya tertarik dengan %(name)s: %(url)s") % {
        "name": product.name,
        "url": canonical_url,
    }
    context = {
        "product": product,
        "preview": preview,
        "images": images,
        "cover": cover,
        "availability": availability_key(product),
        "price_bands": price_bands(product),
        "related": related,
        "outlets": list(outlets_carrying(product)),
        "canonical_url": canonical_url,
        "share_image": image_urls[0] if image_urls else "",
        "json_ld": json_ld_script(json_ld),
        "summary_155": _summary(plain, 155),
        "summary_200": _summary(plain, 200),
        "unit": product.get_unit_display(),
        "category_url": product.category.get_absolute_url(),
        "facility_url": product.facility.get_absolute_url(),
        "whatsapp_link": whatsapp_url(product.facility.whatsapp_number, greeting),
    }
    response = render(request, "catalog/product_detail.html", context)
    if preview:
        # A preview must never be stored by a shared cache or indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


def _summary(plain: str, length: int) -> str:
    """The first `length` characters of a description, "…" where cut.
    Truncator walks every character it is given (~0.1 ms for a long
    description, twice a page); the first 2 x length decide the cut."""
    return Truncator(plain[: 2 * length]).chars(length)


@require_safe
@x_robots_tag
def sitemap_index(request):
    """/sitemap.xml: every page of every section, linked from SITE_URL (Django's
    own index view would take the host from the request)."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        url = absolute_url(reverse("sitemap_section", kwargs={"section": section}))
        items.append(SitemapIndexItem(url, None))
        pages = sitemap_class().paginator.num_pages
        items += [SitemapIndexItem(f"{url}?p={page}", None) for page in range(2, pages + 1)]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


def _feed_response(request, *, facility, fmt: str) -> HttpResponse:
    items = [feed_item(product) for product in feed_products(facility=facility)]
    if fmt == "csv":
        response = HttpResponse(render_csv(items), content_type="text/csv; charset=utf-8")
        name = f"feed-{facility.slug}.csv" if facility else "feed-karya-binaan.csv"
        response["Content-Disposition"] = f'inline; filename="{name}"'
    else:
        if facility:
            title = facility.name
            link = absolute_url(facility.get_absolute_url())
            description = _("Produk karya warga binaan %(name)s") % {"name": facility.name}
        else:
            title = "Karya Binaan"
            link = absolute_url(reverse("home"))
            description = _(
                "Produk karya warga binaan dari UPT pemasyarakatan di seluruh Indonesia"
            )
        body = render_xml(items, title=title, link=link, description=description)
        response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    # Channels fetch feeds a few times a day; an hour's staleness is harmless.
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def feed(request, fmt):
    """/feed/google.xml and .csv: every public product of the site."""
    return _feed_response(request, facility=None, fmt=fmt)


@require_safe
def facility_feed(request, slug, fmt):
    """/upt/<slug>/feed.xml and .csv: one facility's public products."""
    return _feed_response(request, facility=active_facility_by_slug(slug), fmt=fmt)


@require_safe
@public_page
def exhibitions(request):
    """/pameran/: exhibitions and bazaars not yet over, grouped by province."""
    return render(
        request, "catalog/exhibitions.html", {"exhibitions": list(upcoming_exhibitions())}
    )
