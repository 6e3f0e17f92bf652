"""Read an HTML form the way a browser would submit it (hidden fields, checked
or first-offered radios, selected options), for the checkout steps of the bench."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode


class _FormParser(HTMLParser):
    def __init__(self, action: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self.radios: dict[str, list[str]] = {}
        self.select: str | None = None
        self.select_first: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.inside = self.action in a.get("action", "")
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value", ""))
                if "checked" in a:
                    self.fields[name] = a.get("value", "")
            elif kind == "checkbox":
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.fields.setdefault(name, a.get("value", ""))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select:
            self.select_first.setdefault(self.select, a.get("value", ""))
            if "selected" in a:
                self.fields[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def read_form(html: str, action: str) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The fields of the form posting to `action`, and each radio group's choices."""
    parser = _FormParser(action)
    parser.feed(html)
    fields = dict(parser.fields)
    for name, first in parser.select_first.items():
        fields.setdefault(name, first)
    return fields, parser.radios


def checkout_body(html: str, *, name: str, phone: str, csrf: str) -> bytes:
    """The POST a shopper sends from the checkout page: pickup at the showroom
    where offered (else the first method), paying at pickup where offered."""
    fields, radios = read_form(html, "/checkout/")
    for group, values in radios.items():
        if group in fields:
            continue
        if group.endswith("-delivery"):
            fields[group] = "pickup" if "pickup" in values else values[0]
        elif group.endswith("-payment"):
            fields[group] = "pay_at_pickup" if "pay_at_pickup" in values else values[0]
        else:
            fields[group] = values[0]
    fields.update({"c-name": name, "c-phone": phone, "p-agree": "on", "action": "place"})
    fields["csrfmiddlewaretoken"] = csrf
    return urlencode(fields).encode()
