"""Notifications where shoppers are: WhatsApp messages for an order's steps.

orders knows nothing of this app: a post_save receiver on OrderEvent (apps.py)
queues, on commit, one OutboundMessage per channel and a retried task that
sends it (tasks.py, services.py) through the WhatsApp Business Cloud API
(whatsapp.py) or its local simulator (gatewaysim/whatsapp.py). Mail stays
with orders.mail.
"""
