"""Addresses are remembered per view, arguments, script prefix and URLconf (ops/reversing.py)."""

from django.urls import reverse, set_script_prefix

from ops.reversing import reverse_cached


def test_a_remembered_address_is_reverses_own_and_follows_the_script_prefix(db):
    assert reverse_cached("quotes:speaker", "dmitry-medvedev") == reverse(
        "quotes:speaker", args=["dmitry-medvedev"]
    )
    assert reverse_cached("blog:post", "2009", "03", "06", "talks") == "/2009/03/06/talks/"
    try:
        set_script_prefix("/blog/")
        assert reverse_cached("blog:post", "2009", "03", "06", "talks") == "/blog/2009/03/06/talks/"
    finally:
        set_script_prefix("/")
    assert reverse_cached("blog:post", "2009", "03", "06", "talks") == "/2009/03/06/talks/"
