import pytest
from django.urls import reverse

import redirects
from redirects.models import Redirect

pytestmark = pytest.mark.django_db


def test_a_moved_address_answers_301_to_the_new_one(client):
    redirects.record("/2009/03/old-slug.html", "/about/")
    response = client.get("/2009/03/old-slug.html")
    assert response.status_code == 301
    assert response["Location"] == "/about/"


def test_a_live_page_is_never_redirected(client):
    redirects.record(reverse("blog:index"), "/elsewhere/")
    assert client.get(reverse("blog:index")).status_code == 200


def test_chains_collapse_and_a_live_again_address_stops_redirecting():
    redirects.record("/a/", "/b/")
    redirects.record("/b/", "/c/")
    assert redirects.target("/a/") == "/c/"
    redirects.record("/c/", "/a/")  # moved back to where it began
    assert redirects.target("/a/") is None
    assert redirects.target("/b/") == "/a/"
    assert redirects.target("/c/") == "/a/"


def test_full_site_urls_are_stored_as_paths_and_a_no_op_records_nothing():
    redirects.record("https://example.blogspot.com/2009/03/x.html?m=1", "/x/")
    assert redirects.target("/2009/03/x.html?m=1") == "/x/"
    assert redirects.record("/same/", "/same/") is None
    assert not Redirect.objects.filter(old_path="/same/").exists()


def test_an_unknown_address_stays_404(client):
    assert client.get("/no/such/page/").status_code == 404
