"""One entry point for all seed data, in dependency order."""

from seeds.bapas import load_bapas
from seeds.books import load_demo_books
from seeds.catalog import load_catalog
from seeds.channels import load_channels
from seeds.facilities import load_facilities
from seeds.orders import load_delivery, load_demo_orders
from seeds.partners import load_partners
from seeds.proceeds import load_demo_proceeds
from seeds.quotes import load_demo_quotes


def load_all() -> dict[str, int]:
    facilities = load_facilities()
    summary = {"facilities": len(facilities)}
    catalog = load_catalog(facilities)
    summary["categories"] = catalog["categories"]
    summary["products"] = catalog["products"]
    summary["shipping_rates"] = load_delivery(facilities)
    summary["demo_orders"] = load_demo_orders(facilities)
    summary["demo_quotes"] = load_demo_quotes(facilities)
    summary["demo_online_payments"] = load_demo_books(facilities)
    summary.update(load_channels(facilities))
    summary["demo_ledger_months"] = load_demo_proceeds(facilities)
    summary.update(load_partners(facilities))
    summary["bapas_enterprises"] = load_bapas(facilities)  # a client's shop (docs/bapas.md)
    return summary
