"""The facility's side of its partners, in the admin: outlet logins (made and
switched off here), the outlets' payments (recorded, confirmed, rejected),
hand-over receipts, packaging houses and requests with their proposals.
Every write goes through partners.services; rows are scoped by the outlet's
or the request's facility (facilities.admin_scoping)."""

from partners.admin import accounts, packaging, payments  # noqa: F401  (registers them)
