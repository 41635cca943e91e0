"""Client addresses you can trust: X-Forwarded-For counts only from TRUSTED_PROXIES."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from blog.models import Comment
from ops.client_ip import client_ip
from tests.test_comments import BROWSER, typed
from tests.test_production import PRODUCTION_ENV, manage

PROXY = "10.0.0.2"


@pytest.fixture
def post(make_post):
    return make_post("The body.", title="Talks in Madrid")


def comment(client, post, remote, forwarded=None, n=0):
    headers = {**BROWSER, "REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    data = typed(text=f"Comment number {n}.")
    return client.post(reverse("blog:comment", args=[post.pk]), data, **headers).status_code


def test_forged_addresses_from_a_client_that_is_not_a_proxy_do_not_escape_the_limit(
    client, post, settings
):
    settings.TRUSTED_PROXIES = [PROXY]
    statuses = [
        comment(client, post, "203.0.113.5", f"198.51.{n // 250}.{n % 250}", n) for n in range(200)
    ]
    assert statuses.count(303) == 5 and statuses.count(429) == 195
    assert statuses[:5] == [303] * 5
    kept = Comment.objects.order_by("pk")
    assert [c.text for c in kept] == [f"Comment number {n}." for n in range(5)]  # none lost
    assert {c.ip_address for c in kept} == {"203.0.113.5"}


def test_with_no_trusted_proxies_the_socket_address_counts(client, post, settings):
    settings.TRUSTED_PROXIES = []
    statuses = [comment(client, post, "203.0.113.5", f"192.0.2.{n}", n) for n in range(7)]
    assert statuses == [303] * 5 + [429] * 2


def test_through_a_trusted_proxy_each_real_client_is_limited_on_its_own(client, post, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    statuses = {}
    for n in range(7):
        for reader in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
            # The client may claim anything on the left; the proxy appends what it saw.
            forwarded = f"6.6.6.{n}, {reader}"
            statuses.setdefault(reader, []).append(comment(client, post, PROXY, forwarded, n))
    assert all(s == [303] * 5 + [429] * 2 for s in statuses.values()), statuses
    assert Comment.objects.filter(ip_address="198.51.100.2").count() == 5


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.1"]
    request = rf.get("/", REMOTE_ADDR="192.168.1.1")
    request.META["HTTP_X_FORWARDED_FOR"] = "6.6.6.6, 198.51.100.7, 10.1.2.3"
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("1.2.3.4:5555", "1.2.3.4"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:db8::1", "2001:db8::1"),
        ("  1.2.3.4  ", "1.2.3.4"),
        ("not-an-address", PROXY),
        ("999.1.1.1", PROXY),
        ("", PROXY),
        (",,,", PROXY),
        ("1.2.3.4, garbage", PROXY),  # what lies left of garbage is not trusted either
        ('"1.2.3.4"', "1.2.3.4"),
        ("unknown, 1.2.3.4:80", "1.2.3.4"),
    ],
)
def test_addresses_with_ports_or_garbage_are_parsed_or_ignored(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = [PROXY]
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.parametrize("forwarded", ["1.2.3.4:5555", "garbage", "[::1]:80", "\x7f, ,"])
@pytest.mark.parametrize("remote", [PROXY, "203.0.113.9", "", "nonsense"])
def test_a_comment_with_any_address_headers_is_never_a_500(
    client, post, settings, forwarded, remote
):
    settings.TRUSTED_PROXIES = [PROXY]
    assert comment(client, post, remote, forwarded) == 303


def test_check_deploy_warns_when_production_trusts_no_proxy():
    result = manage("check", "--deploy", **dict(PRODUCTION_ENV, TRUSTED_PROXIES=""))
    assert "ops.W001" in result.stderr + result.stdout
    assert "TRUSTED_PROXIES is empty" in result.stderr + result.stdout


def test_a_malformed_trusted_proxy_setting_is_a_clear_error():
    result = manage("check", "--deploy", **dict(PRODUCTION_ENV, TRUSTED_PROXIES="10.0.0.0/99"))
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr + result.stdout
