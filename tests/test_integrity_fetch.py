"""Fetching sources: the SSRF guard, redirects, size and type limits, timeouts and retries.

Every fetch goes to a real HTTP server on 127.0.0.1 (tests/source_server.py)."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from integrity import checks, fetch, tasks
from integrity.models import Check, Snapshot, SourceWatch
from quotes.models import Source

from .source_server import Route, article

PAGE = article(
    "MADRID — President Dmitri A. Medvedev said Tuesday that his country welcomed the letter.",
    "“No one links these issues to any exchange,” he said at a news conference.",
)


@pytest.fixture
def live_source(db, source_server):
    source_server.routes["/story"] = Route(PAGE)
    return Source.objects.create(title="A story", url=source_server.url("/story"))


def test_loopback_is_refused_by_default(live_source, source_server):
    check = checks.check_source(live_source)
    assert check.outcome == Check.Outcome.REFUSED
    assert "127.0.0.1" in check.detail
    assert source_server.hits == []  # never connected
    assert not Snapshot.objects.filter(source=live_source).exists()
    assert live_source.watch.state == SourceWatch.State.UNREACHABLE


def test_loopback_is_fetched_when_allowed(live_source, source_server):
    check = checks.check_source(live_source, allow_loopback=True)
    assert check.outcome == Check.Outcome.OK
    snapshot = check.snapshot
    assert snapshot.http_status == 200
    assert snapshot.final_url == live_source.url
    assert snapshot.document == PAGE
    assert len(snapshot.sha256) == 64
    assert "No one links these issues to any exchange" in snapshot.text
    assert "Copyright the publisher" not in snapshot.text  # main text only
    assert live_source.watch.state == SourceWatch.State.OK


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "192.168.0.7", "169.254.169.254", "[::1]", "100.64.0.1", "0.0.0.0"],  # noqa: S104
)
def test_private_link_local_and_metadata_addresses_are_refused(address, settings):
    result = fetch.fetch(f"http://{address}/latest/meta-data/", allow_loopback=False)
    assert result.outcome == "refused"
    assert result.status is None


def test_a_redirect_to_a_private_address_is_refused(db, source_server):
    source_server.routes["/moved"] = Route(
        status=302, location="http://192.168.1.1/admin", content_type="text/plain"
    )
    source = Source.objects.create(title="Moved", url=source_server.url("/moved"))
    check = checks.check_source(source, allow_loopback=True)
    assert check.outcome == Check.Outcome.REFUSED
    assert "192.168.1.1" in check.detail
    assert source_server.hits == ["/moved"]


def test_each_redirect_hop_is_followed_and_recorded(db, source_server):
    source_server.routes["/old"] = Route(status=301, location="/story")
    source_server.routes["/story"] = Route(PAGE)
    result = fetch.fetch(source_server.url("/old"), allow_loopback=True)
    assert result.outcome == "ok"
    assert result.hops == [source_server.url("/old"), source_server.url("/story")]
    assert result.final_url == source_server.url("/story")


def test_a_20_mb_answer_is_cut_at_the_limit_with_a_clear_status(db, source_server, settings):
    settings.SOURCE_FETCH_MAX_BYTES = 1_000_000
    chunk = b"<p>" + b"x" * 1020 + b"</p>\n"
    source_server.routes["/huge"] = Route(chunk, repeat=20 * 1024 * 1024 // len(chunk))
    source = Source.objects.create(title="Huge", url=source_server.url("/huge"))
    check = checks.check_source(source, allow_loopback=True)
    assert check.outcome == Check.Outcome.TRUNCATED
    assert "size limit of 1,000,000 bytes" in check.detail
    assert check.snapshot.truncated
    assert check.snapshot.size == settings.SOURCE_FETCH_MAX_BYTES


def test_a_non_html_answer_is_recorded_and_not_parsed_as_html(db, source_server):
    body = b"<p>Not markup here</p><script>alert(1)</script> plain words"
    source_server.routes["/notes.txt"] = Route(body, content_type="text/plain; charset=utf-8")
    source_server.routes["/report.pdf"] = Route(b"%PDF-1.7 binary", content_type="application/pdf")
    text_source = Source.objects.create(title="Notes", url=source_server.url("/notes.txt"))
    pdf_source = Source.objects.create(title="Report", url=source_server.url("/report.pdf"))

    text_check = checks.check_source(text_source, allow_loopback=True)
    pdf_check = checks.check_source(pdf_source, allow_loopback=True)

    assert text_check.outcome == pdf_check.outcome == Check.Outcome.NOT_HTML
    assert text_check.snapshot.content_type == "text/plain; charset=utf-8"
    assert text_check.snapshot.text == body.decode()  # kept as it is: no tags removed
    assert pdf_check.snapshot.content_type == "application/pdf"
    assert pdf_check.snapshot.text == ""
    assert pdf_check.snapshot.document == b"%PDF-1.7 binary"


def test_a_timeout_is_recorded_and_retried_later(live_source, source_server, settings, run_worker):
    from django_tasks_db.models import DBTaskResult

    settings.SOURCE_FETCH_TIMEOUT = 0.3
    source_server.routes["/story"] = Route(PAGE, delay=1.0)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        tasks.fetch_source.enqueue(live_source.pk, allow_loopback=True)
        run_worker()
        check = Check.objects.get(source=live_source)
        assert check.outcome == Check.Outcome.TIMEOUT
        assert "0.3 s" in check.detail
        retry = DBTaskResult.objects.get(status="READY")
        assert retry.run_after > start
        assert run_worker() == 0  # not yet
    source_server.routes["/story"] = Route(PAGE)
    with time_machine.travel(retry.run_after + datetime.timedelta(seconds=1), tick=False):
        assert run_worker() == 1
    latest = Check.objects.filter(source=live_source).first()
    assert latest.outcome == Check.Outcome.OK
    assert Snapshot.objects.filter(source=live_source).count() == 1


def test_checksources_fetches_and_verifies_now(live_source, make_quotation, speaker):
    quotation = make_quotation(
        text="No one links these issues to any exchange.", source=live_source, speaker=speaker
    )
    out = io.StringIO()
    call_command("checksources", "--source", str(live_source.pk), "--allow-loopback", stdout=out)
    out = out.getvalue()
    assert "Answers, quotations found" in out
    quotation.refresh_from_db()
    assert quotation.verification.found
