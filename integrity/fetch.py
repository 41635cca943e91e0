"""Fetching a source's page safely: an SSRF guard, a timeout, a size limit, manual redirects.

Every address a host name resolves to is checked before connecting, and the connection goes
to the checked address (a second DNS answer cannot swap in another). Loopback, private,
link-local (cloud metadata at 169.254.169.254), shared, reserved and multicast addresses are
refused unless SOURCE_FETCH_ALLOW_PRIVATE is on; tests and operators may allow loopback only.
Each redirect is followed by hand and checked the same way. Nothing here touches the database.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 5
USER_AGENT = "attributed-blog source checker (+quotation verification)"


class Refused(Exception):
    """The address is not one we fetch from."""


@dataclass
class Fetched:
    outcome: str  # one of Check.Outcome's values
    url: str
    final_url: str = ""
    status: int | None = None
    content_type: str = ""
    body: bytes = b""
    truncated: bool = False
    detail: str = ""
    hops: list = field(default_factory=list)


def allowed_address(ip, allow_loopback=False):
    ip = ipaddress.ip_address(ip)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if settings.SOURCE_FETCH_ALLOW_PRIVATE:
        return True
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


def resolve(host, port, allow_loopback=False):
    """The addresses of `host`, every one checked; Refused if any is not allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"cannot resolve {host}: {error}") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    refused = [a for a in addresses if not allowed_address(a, allow_loopback)]
    if refused or not addresses:
        raise Refused(f"{host} resolves to an address we do not fetch from ({', '.join(refused)})")
    return addresses


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a checked address while sending the URL's host name."""

    def __init__(self, host, address, **kwargs):
        super().__init__(host, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, address, **kwargs):
        super().__init__(host, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url, allow_loopback=False, timeout=None, max_bytes=None):
    """GET `url` within the limits; a Fetched whose outcome says what happened (no raise)."""
    timeout = timeout or settings.SOURCE_FETCH_TIMEOUT
    max_bytes = max_bytes or settings.SOURCE_FETCH_MAX_BYTES
    deadline = time.monotonic() + timeout
    result = Fetched(outcome="failed", url=url)
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            result.hops.append(current)
            response, connection = open_url(current, allow_loopback, deadline)
            try:
                location = response.getheader("Location")
                if response.status in {301, 302, 303, 307, 308} and location:
                    current = urljoin(current, location)
                    continue
                result.final_url, result.status = current, response.status
                result.content_type = response.getheader("Content-Type", "")
                result.body, result.truncated = read_limited(response, max_bytes, deadline)
            finally:
                connection.close()
            break
        else:
            result.detail = f"more than {MAX_REDIRECTS} redirects"
            return result
    except Refused as error:
        result.outcome, result.detail = "refused", str(error)
        return result
    except TimeoutError:
        result.outcome, result.detail = "timeout", f"no complete answer within {timeout:g} s"
        return result
    except (OSError, http.client.HTTPException, ValueError) as error:
        result.detail = f"{type(error).__name__}: {error}"[:500]
        return result
    result.outcome = classify(result, max_bytes)
    return result


def classify(result, max_bytes):
    from .models import is_html_type

    if result.status >= 400:
        result.detail = f"HTTP {result.status}"
        return "http_error"
    if result.truncated:
        result.detail = f"cut at the size limit of {max_bytes:,} bytes"
        return "truncated"
    if not is_html_type(result.content_type):
        result.detail = f"not an HTML page ({result.content_type or 'no type given'})"
        return "not_html"
    return "ok"


def open_url(url, allow_loopback, deadline):
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise Refused(f"not a web address: {url[:200]}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(parts.hostname, port, allow_loopback)[0]
    kind = PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
    connection = kind(parts.hostname, address, port=port, timeout=remaining(deadline))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"}
    connection.request("GET", path, headers=headers)
    return connection.getresponse(), connection


def read_limited(response, max_bytes, deadline):
    """At most `max_bytes` of the body, and whether there was more."""
    chunks, size = [], 0
    while size <= max_bytes:
        set_timeout(response, remaining(deadline))
        chunk = response.read(min(65536, max_bytes + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks)
    return body[:max_bytes], len(body) > max_bytes


def set_timeout(response, seconds):
    # The whole fetch has one deadline: each read gets what is left of it.
    sock = getattr(getattr(response.fp, "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def remaining(deadline):
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left
