"""Oversight: dashboards, reports and exports for facilities, Kanwil and head office.

An app on top of the others because it reads every app (facilities,
catalog, orders, reviews); nothing imports it back. Every number is an aggregate
computed in the database and narrowed by `facilities.scoping.scope_for`.
"""
