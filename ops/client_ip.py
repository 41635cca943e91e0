"""The client's address: the socket's, or X-Forwarded-For as written by our own proxies.

X-Forwarded-For is whatever the client sent, with each proxy appending the address it saw.
Only entries appended by a proxy we run can be believed, and only a connection's socket
address tells who is talking to us: so the header is read only when REMOTE_ADDR is one of
TRUSTED_PROXIES (addresses or networks), and then from the right, past our own proxies, up
to the first address that is not one of them. A hop count alone cannot tell a proxy from
a client that forged the header and reached an app server directly.

Entries with a port (`1.2.3.4:5555`, `[2001:db8::1]:80`) are read without it; garbage
ends the walk (what lies left of it cannot be trusted either).
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def parse_address(value):
    """An ip_address from a socket or header value, without a port; None for garbage."""
    value = (value or "").strip().strip('"')
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # IPv4 with a port; IPv6 has more colons
        value = value.partition(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


@lru_cache(maxsize=8)
def networks(entries):
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {error}") from error


def is_trusted_proxy(address):
    return any(address in network for network in networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request):
    """The client's address as a string (no port), or None if the socket gives none."""
    address = parse_address(request.META.get("REMOTE_ADDR"))
    if address is None:
        return None
    if is_trusted_proxy(address):
        for hop in reversed(request.headers.get("X-Forwarded-For", "").split(",")):
            forwarded = parse_address(hop)
            if forwarded is None:
                break
            address = forwarded
            if not is_trusted_proxy(forwarded):
                break
    return str(address)
