"""The shopper's way back to their orders without a password: signed links in
WhatsApp and mail (links.py), and one message per checkout event (events.py)."""
