"""The client's address, the key every per-address rule counts by, and login lockout glue."""

from __future__ import annotations

import functools
import ipaddress

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with a request.

    Every login over HTTP (the admin's login form, any shopper or staff form)
    passes its request to authenticate(), so it is counted and, after
    AXES_FAILURE_LIMIT failures, refused. Code that authenticates without a
    request (a management command, Django's test client) has no address to count
    by; axes would raise there, so those calls go straight to the next backend.
    """

    def authenticate(self, request: HttpRequest | None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


# Where TrustedProxyMiddleware leaves the resolved address, so every later
# caller (django-axes, rate limits, logs) gets the same answer.
CLIENT_ADDR_META = "kb.client_addr"


def client_ip(request: HttpRequest) -> str:
    """The client's address: the TCP peer, or what a trusted proxy says it saw.

    X-Forwarded-For is read only when the peer (REMOTE_ADDR) is one of
    settings.TRUSTED_PROXIES; a client connecting straight to gunicorn may
    write anything there and it is ignored. Each proxy appends the address it
    received from, so the entries are walked from the right, past trusted
    proxies, to the first one that is not: the client as the outermost
    trusted proxy saw it. Anything further left was written by the client.
    """
    resolved = request.META.get(CLIENT_ADDR_META)
    if resolved:
        return resolved
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not proxies or not _is_trusted(peer, proxies):
        return peer
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([h.strip() for h in hops if h.strip()]):
        try:
            address = ipaddress.ip_address(hop)
        except ValueError:
            # Not an address a proxy writes: stop at the proxy that passed it on.
            return client
        client = str(address)
        if not _is_trusted(client, proxies):
            return client
    return client


def client_key(request: HttpRequest) -> str:
    """What every per-address rule counts this client by (rate limits, the
    login lockout): `address_key` of its address."""
    return address_key(client_ip(request))


def address_key(address: str) -> str:
    """An IPv4 address itself; an IPv6 address's network (settings.CLIENT_IPV6_PREFIX, /64).

    One IPv4 address is shared by many people (carrier-grade NAT), but one IPv6
    subscriber gets a whole /64 (RFC 6177) and may use any of its 2^64
    addresses: counted per address, 60 addresses of one /64 made 60 tracking
    guesses and 30 password tries without a lock. The key is the network's
    first address (`2001:db8:1:2::`), still an address, as django-axes stores
    it in an address column. An IPv4 address mapped into IPv6 counts as IPv4.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 4:
        return str(ip)
    prefix = getattr(settings, "CLIENT_IPV6_PREFIX", 64)
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _is_trusted(address: str, proxies: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies if network.version == ip.version)
