"""The payments room's tables (app label `orders`, tables unchanged): the
gateway's payments, notifications, refunds and settlement ledger (gateway),
its settlement report (gateway_report), bank statements (transfers), refunds
against an order (refunds). Loaded by OrdersConfig.import_models."""

from orders.payments.models.gateway import (  # noqa: F401
    GatewayChannel,
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    SettlementEntry,
)
from orders.payments.models.gateway_report import (  # noqa: F401
    NEEDS_PERSON,
    GatewayReportImport,
    GatewayReportLine,
)
from orders.payments.models.refunds import OrderRefund  # noqa: F401
from orders.payments.models.transfers import StatementImport, StatementLine  # noqa: F401
