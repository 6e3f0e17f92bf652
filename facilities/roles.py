"""The staff roles' Django groups and their permissions, declared once.

A data migration calls `sync_role_groups`; when a later app adds models that a
role works with, add the codenames here and add a migration that calls it again.
Which rows a member may touch is not decided here but in facilities.scoping.
"""

from facilities.models import Membership

GROUP_NAMES = {
    Membership.Role.FACILITY_STAFF: "Petugas UPT",
    Membership.Role.REGIONAL_REVIEWER: "Peninjau Kanwil",
    Membership.Role.HEAD_OFFICE: "Kantor Pusat",
}

# A facility's bank accounts and proceeds shares: its staff keep them, head
# office may correct them.
_FACILITY_MONEY = [
    f"facilities.{verb}_{model}"
    for model in ("bankaccount", "proceedsshare")
    for verb in ("view", "add", "change", "delete")
]

ROLE_PERMISSIONS = {
    Membership.Role.FACILITY_STAFF: [
        "facilities.view_facility",
        "facilities.change_facility",
        *_FACILITY_MONEY,
        "catalog.view_category",
        "catalog.view_product",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.view_productimage",
        "catalog.add_productimage",
        "catalog.change_productimage",
        "catalog.delete_productimage",
        "catalog.view_pricetier",
        "catalog.add_pricetier",
        "catalog.change_pricetier",
        "catalog.delete_pricetier",
        "catalog.view_listingreview",
    ],
    Membership.Role.REGIONAL_REVIEWER: [
        "facilities.view_region",
        "facilities.view_facility",
        "facilities.view_bankaccount",
        "facilities.view_proceedsshare",
        "catalog.view_category",
        "catalog.view_product",
        "catalog.view_productimage",
        "catalog.view_pricetier",
        "catalog.view_listingreview",
        "catalog.review_product",
    ],
    # No auth.* and no membership permissions: accounts are managed on the
    # staff accounts screen, which asks the role (facilities.scoping), never
    # permissions; Django's user admin, which can grant anything, is for
    # superusers only.
    Membership.Role.HEAD_OFFICE: [
        "facilities.view_region",
        "facilities.add_region",
        "facilities.change_region",
        "facilities.view_facility",
        "facilities.add_facility",
        "facilities.change_facility",
        *_FACILITY_MONEY,
        "catalog.view_category",
        "catalog.add_category",
        "catalog.change_category",
        "catalog.view_product",
        "catalog.change_product",
        "catalog.view_productimage",
        "catalog.view_pricetier",
        "catalog.view_listingreview",
        "catalog.review_product",
    ],
}


def sync_role_groups(apps, schema_editor=None) -> None:
    """Create each role's group and set exactly its permissions (idempotent)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make sure the ones
    # we name exist now, on a fresh database too.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)


def _grant(*, staff=(), reviewer=(), head_office=()) -> None:
    """Add one area's permissions to each role (the lists below, app by app)."""
    ROLE_PERMISSIONS[Membership.Role.FACILITY_STAFF] += list(staff)
    ROLE_PERMISSIONS[Membership.Role.REGIONAL_REVIEWER] += list(reviewer)
    ROLE_PERMISSIONS[Membership.Role.HEAD_OFFICE] += list(head_office)


# Orders (the orders app): staff work their facility's orders and delivery
# settings; reviewers watch their region's; head office works all of them.
_ORDERS_VIEW = [
    "orders.view_order",
    "orders.view_orderline",
    "orders.view_orderevent",
    "orders.view_paymentproof",
    "orders.view_deliverysettings",
    "orders.view_shippingrate",
]
_ORDERS_WORK = [
    "orders.change_order",
    "orders.add_deliverysettings",
    "orders.change_deliverysettings",
    "orders.add_shippingrate",
    "orders.change_shippingrate",
    "orders.delete_shippingrate",
]
_grant(
    staff=_ORDERS_VIEW + _ORDERS_WORK,
    reviewer=_ORDERS_VIEW,
    head_office=_ORDERS_VIEW + _ORDERS_WORK,
)

# Channels beyond the web shop (partner outlets, exhibitions): staff keep their
# facility's; reviewers watch their region's; head office works all of them.
_CHANNEL_MODELS = [
    "facilities.partneroutlet",
    "facilities.exhibition",
    "catalog.outletproduct",
    "catalog.exhibitionproduct",
    "catalog.consignmentmovement",
]
_CHANNELS_VIEW = [m.replace(".", ".view_") for m in _CHANNEL_MODELS]
_CHANNELS_WORK = [
    m.replace(".", f".{verb}_") for m in _CHANNEL_MODELS for verb in ("add", "change", "delete")
]
_grant(
    staff=_CHANNELS_VIEW + _CHANNELS_WORK,
    # A Kanwil publishes its region's exhibitions too (for its facilities only).
    reviewer=_CHANNELS_VIEW
    + [
        m.replace(".", f".{verb}_")
        for m in ("facilities.exhibition", "catalog.exhibitionproduct")
        for verb in ("add", "change", "delete")
    ],
    head_office=_CHANNELS_VIEW + _CHANNELS_WORK,
)

# Privacy (orders.privacy.models): staff answer their facility's shoppers'
# requests, reviewers watch their region's; only head office reads the access
# trail and the erasures (the admin also checks national scope).
_PRIVACY_VIEW = ["orders.view_privacyrequest"]
_grant(
    staff=_PRIVACY_VIEW + ["orders.change_privacyrequest"],
    reviewer=_PRIVACY_VIEW,
    head_office=_PRIVACY_VIEW
    + ["orders.change_privacyrequest", "orders.view_accessevent", "orders.view_ordererasure"],
)
# Online payments (orders.payments.services): the settlement ledger and refunds of
# a facility's orders are its staff's to see (and their Kanwil's); charges and
# raw notifications span facilities, so head office only, with the task queue's
# jobs (procrastinate), where a failed background task shows its error (core.QueueJobError).
_PAYMENTS_VIEW = ["orders.view_settlemententry", "orders.view_gatewayrefund"]
_grant(
    staff=_PAYMENTS_VIEW,
    reviewer=_PAYMENTS_VIEW,
    head_office=_PAYMENTS_VIEW
    + [
        "orders.change_settlemententry",
        "orders.view_gatewaypayment",
        "orders.view_gatewaynotification",
        "procrastinate.view_procrastinatejob",
        "procrastinate.view_procrastinateworker",
        "procrastinate.view_procrastinateevent",
        "marketplace.view_queuejoberror",
    ],
)
# Courier bookings (orders.delivery.bookings): each request to the aggregator
# and its cancel, so a booking in review or a failed cancel is seen (and asked
# again) by the facility's staff, its Kanwil and head office.
_COURIER_VIEW = ["orders.view_courierbooking"]
_grant(staff=_COURIER_VIEW, reviewer=_COURIER_VIEW, head_office=_COURIER_VIEW)
# Reviews (the reviews app): staff moderate and answer their facility's reviews,
# the Kanwil its region's, head office all (scoped in reviews.admin).
_REVIEWS = ["reviews.view_productreview", "reviews.change_productreview"]
_grant(staff=_REVIEWS, reviewer=_REVIEWS, head_office=_REVIEWS)
# Complaints (the complaints app): staff answer their facility's, the Kanwil
# decides its region's escalations, head office all (scoped in complaints.admin
# and complaints.services); everyone in scope sees the refunds ledger.
_COMPLAINTS = [
    "complaints.view_complaint",
    "complaints.change_complaint",
    "complaints.view_complaintevent",
    "orders.view_orderrefund",
]
_grant(staff=_COMPLAINTS, reviewer=_COMPLAINTS, head_office=_COMPLAINTS)
# Quotes for institutional buyers (the quotes app): staff answer their
# facility's requests, the Kanwil reads its region's, head office all (scoped
# in quotes.admin and quotes.services).
_QUOTES_VIEW = ["quotes.view_quoterequest", "quotes.view_quote"]
_grant(
    staff=_QUOTES_VIEW + ["quotes.change_quoterequest"],
    reviewer=_QUOTES_VIEW,
    head_office=_QUOTES_VIEW + ["quotes.change_quoterequest"],
)
# The proceeds ledger (the proceeds app, issue 35): staff record their facility's
# payments, programmes and headcounts; the Kanwil reads its region's; head office
# reads and records for all (scoped, and closing, in proceeds.services).
_PROCEEDS_VIEW = [
    f"proceeds.view_{model}"
    for model in ("ledgermonth", "ledgerentry", "workprogramme", "programmemonth")
]
_PROCEEDS_WORK = [
    "proceeds.add_ledgerentry",
    "proceeds.add_workprogramme",
    "proceeds.change_workprogramme",
    "proceeds.add_programmemonth",
    "proceeds.change_programmemonth",
]
_grant(
    staff=_PROCEEDS_VIEW + _PROCEEDS_WORK,
    reviewer=_PROCEEDS_VIEW,
    head_office=_PROCEEDS_VIEW + _PROCEEDS_WORK,
)

# Partners (the partners app): staff make and switch off their outlets' logins,
# record and confirm the outlets' payments, ask packaging houses and accept
# proposals; the Kanwil reads its region's; head office all and the houses.
_PARTNERS_VIEW = [
    "partners.view_partneraccount",
    "partners.view_outletpayment",
    "partners.view_handoverreceipt",
    "partners.view_packaginghouse",
    "partners.view_packagingrequest",
    "partners.view_packagingproposal",
]
_PARTNERS_WORK = [
    "partners.add_partneraccount",
    "partners.change_partneraccount",
    "partners.add_outletpayment",
    "partners.change_outletpayment",
    "partners.add_packagingrequest",
    "partners.change_packagingproposal",
]
_grant(
    staff=_PARTNERS_VIEW + _PARTNERS_WORK,
    reviewer=_PARTNERS_VIEW,
    head_office=_PARTNERS_VIEW
    + _PARTNERS_WORK
    + ["partners.add_packaginghouse", "partners.change_packaginghouse"],
)

# Bapas clients' businesses (the bapas app): a Bapas officer registers its
# clients' businesses and records visits, the client reads their own; which
# business each sees is bapas.selectors.bapas_scope_for (Lapas staff and the
# Kanwil see none there). Head office reads them.
_BAPAS_VIEW = ["bapas.view_enterprise", "bapas.view_mentoringvisit"]
_grant(
    staff=_BAPAS_VIEW + ["bapas.add_enterprise", "bapas.add_mentoringvisit"],
    head_office=_BAPAS_VIEW,
)
