"""Courier rates, bookings and tracking through a shipping aggregator.

Below orders: this package knows couriers, postal codes and parcels, never an
Order. orders/delivery/rates.py composes it with the facility's own rate table.
"""
