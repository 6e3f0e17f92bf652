"""What the orders app tells the page cache (core.page_cache): the
header's cart count is per visitor in shared pages, and no order row appears
on a public page."""


def register() -> None:
    """Called from OrdersConfig.ready()."""
    from core.page_cache import register_fragment, register_private_models
    from orders import models, models_privacy
    from orders.context_processors import cart_badge

    register_fragment("cart", cart_badge)
    register_private_models(
        models.DeliverySettings,
        models.ShippingRate,
        models.Checkout,
        models.Order,
        models.OrderLine,
        models.OrderEvent,
        models.PaymentProof,
        models.StatementImport,
        models.StatementLine,
        models.GatewayReportImport,
        models.GatewayReportLine,
        models.GatewayPayment,
        models.GatewayNotification,
        models.GatewayRefund,
        models.Shipment,
        models.CourierBooking,
        models.TrackingEvent,
        models.SettlementEntry,
        models.OrderRefund,
        models.Invoice,
        models.InvoiceNumberCounter,
        models_privacy.PrivacyRequest,
        models_privacy.OrderErasure,
        models_privacy.AccessEvent,
    )
