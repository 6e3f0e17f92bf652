"""Oversight: dashboards, reports and exports for facilities, Kanwil and head office.

It sits in the project package because it reads every app (facilities,
catalog, orders); nothing imports it back. Every number is an aggregate
computed in the database and narrowed by `facilities.scoping.scope_for`.
"""
