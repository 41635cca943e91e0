"""The link-rot watch: each re-check records what the source's address answers now."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from integrity import checks
from integrity.models import Check, Snapshot, SourceWatch
from quotes.models import Source

from .source_server import Route, article

WORDS = "No one links these issues to any exchange."
PAGE = article("MADRID — Mr. Medvedev spoke on Tuesday.", f"“{WORDS}” he said.")
State = SourceWatch.State


@pytest.fixture
def watched(db, source_server, make_quotation, speaker):
    """A source fetched once, with a quotation found in it."""
    source_server.routes["/story"] = Route(PAGE)
    source = Source.objects.create(title="A story", url=source_server.url("/story"))
    quotation = make_quotation(text=WORDS, source=source, speaker=speaker)
    first = checks.check_source(source, allow_loopback=True)
    assert first.state == State.OK
    quotation.refresh_from_db()
    assert quotation.verification.found
    return source, quotation


def test_an_unchanged_page_stays_ok_and_keeps_one_snapshot(watched):
    source, _ = watched
    check = checks.check_source(source, allow_loopback=True)
    assert check.state == State.OK
    assert check.snapshot is None  # the same bytes: nothing new to keep
    assert Snapshot.objects.filter(source=source).count() == 1


def test_a_source_answering_404_is_gone(watched, source_server):
    source, _ = watched
    source_server.routes["/story"] = Route(b"Not Found", status=404, content_type="text/plain")
    check = checks.check_source(source, allow_loopback=True)
    assert (check.state, check.outcome, check.http_status) == (State.GONE, "http_error", 404)
    source.watch.refresh_from_db()
    assert source.watch.state == State.GONE


def test_a_source_redirecting_elsewhere_has_moved(watched, source_server):
    source, quotation = watched
    source_server.routes["/story"] = Route(status=301, location="/2026/other-story")
    source_server.routes["/2026/other-story"] = Route(PAGE + b"<!-- new home -->")
    check = checks.check_source(source, allow_loopback=True)
    assert check.state == State.MOVED
    assert check.final_url == source_server.url("/2026/other-story")


def test_a_page_no_longer_holding_the_quotation_has_changed(watched, source_server):
    source, quotation = watched
    source_server.routes["/story"] = Route(article("The story was rewritten without the quote."))
    check = checks.check_source(source, allow_loopback=True)
    assert check.state == State.CHANGED
    # The changed page is kept as evidence; the quotation stays checked against the copy
    # that holds it.
    assert check.snapshot is not None and not check.snapshot.reference
    quotation.verification.refresh_from_db()
    assert quotation.verification.found
    assert quotation.verification.snapshot.reference


def test_a_page_that_changed_elsewhere_becomes_the_new_reference(watched, source_server):
    source, quotation = watched
    source_server.routes["/story"] = Route(article("A new first paragraph.", f"“{WORDS}”"))
    check = checks.check_source(source, allow_loopback=True)
    assert check.state == State.OK
    assert check.snapshot.reference
    quotation.verification.refresh_from_db()
    assert quotation.verification.snapshot == check.snapshot


def test_readers_of_a_gone_source_are_pointed_to_the_archived_copy(
    watched, source_server, client, uncached
):
    source, quotation = watched
    source_server.routes["/story"] = Route(b"Gone", status=410, content_type="text/plain")
    checks.check_source(source, allow_loopback=True)
    page = client.get(quotation.get_absolute_url()).content.decode()
    archived = reverse("integrity:archived", args=[quotation.verification.snapshot_id])
    assert "The original no longer answers" in page
    assert f'Read <a href="{archived}">our archived copy</a>' in page
    assert "Open the source at these words" not in page


def test_rechecks_back_off_while_nothing_changes_and_retry_errors_sooner(watched, source_server):
    source, _ = watched
    waits = []
    now = timezone.now()
    for day in range(3):
        with time_machine.travel(now + datetime.timedelta(days=40 * day), tick=False):
            checks.check_source(source, allow_loopback=True)
            source.watch.refresh_from_db()
            waits.append(source.watch.next_check_at - timezone.now())
    assert waits[0] < waits[1] < waits[2]
    source_server.routes["/story"] = Route(b"busy", status=503, content_type="text/plain")
    with time_machine.travel(now + datetime.timedelta(days=200), tick=False):
        check = checks.check_source(source, allow_loopback=True)
        source.watch.refresh_from_db()
        assert check.state == State.UNREACHABLE
        assert source.watch.next_check_at - timezone.now() < waits[0]


def test_due_sources_come_never_checked_first_then_by_due_time(watched, db):
    source, _ = watched
    fresh = Source.objects.create(title="New", url="https://example.org/new")
    Source.objects.create(title="No address")
    due = checks.due_sources()
    assert fresh in due and source not in due
    assert all(item.url for item in due)
    with time_machine.travel(source.watch.next_check_at + datetime.timedelta(seconds=1)):
        due = checks.due_sources()
    assert due[-1] == source and fresh in due  # never-checked sources first


def test_the_admin_lists_sources_by_state(watched, source_server, admin_client):
    source, _ = watched
    source_server.routes["/story"] = Route(b"Gone", status=404, content_type="text/plain")
    checks.check_source(source, allow_loopback=True)
    healthy = Source.objects.create(title="Healthy", url=source_server.url("/healthy"))
    source_server.routes["/healthy"] = Route(PAGE)
    checks.check_source(healthy, allow_loopback=True)
    url = reverse("admin:integrity_sourcewatch_changelist")
    gone = admin_client.get(url, {"state": "gone"}).content.decode()
    assert source.title in gone and "Healthy" not in gone
    history = admin_client.get(reverse("admin:quotes_source_change", args=[source.pk]))
    assert Check.objects.filter(source=source).count() == 2
    assert "HTTP 404" in history.content.decode()


def test_a_source_given_a_new_address_is_due_at_once(watched, source_server):
    source, _ = watched
    assert source not in checks.due_sources()
    source.url = source_server.url("/new-address")
    source.save()
    assert source in checks.due_sources()


def test_the_periodic_round_checks_every_due_source_on_the_task_queue(
    db, source_server, settings, run_worker
):
    from integrity import tasks

    settings.SOURCE_FETCH_ALLOW_PRIVATE = True  # the test server is on 127.0.0.1
    source_server.routes["/a"] = Route(PAGE)
    source_server.routes["/b"] = Route(b"gone", status=410, content_type="text/plain")
    a = Source.objects.create(title="A", url=source_server.url("/a"))
    b = Source.objects.create(title="B", url=source_server.url("/b"))
    tasks.check_due_sources.enqueue()
    run_worker()
    states = dict(SourceWatch.objects.values_list("source_id", "state"))
    assert states == {a.pk: State.OK, b.pk: State.GONE}
    assert checks.due_sources() == []


def test_editors_fetch_sources_now_from_the_admin(db, admin_client, source_server):
    from django_tasks_db.models import DBTaskResult

    from integrity import tasks

    picked = [
        Source.objects.create(title=f"S{i}", url=source_server.url(f"/{i}")) for i in range(3)
    ]
    Source.objects.create(title="No address")
    response = admin_client.post(
        reverse("admin:quotes_source_changelist"),
        {"action": "fetch_now", "_selected_action": [s.pk for s in Source.objects.all()]},
    )
    assert response.status_code == 302
    queued = DBTaskResult.objects.filter(task_path=tasks.fetch_source.module_path)
    assert sorted(job.args_kwargs["args"][0] for job in queued) == [s.pk for s in picked]
