"""A saved quotation is verified again once its transaction commits (its words or source
may have changed): a few at once, so its editor sees the result, the rest by the worker.
A source given a new address is due for a check at once."""

import threading
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from quotes.models import Quotation, Source

VERIFIED_AT_ONCE = 20
_local = threading.local()


@receiver(post_save, sender=Quotation, dispatch_uid="integrity.quotation_saved")
def quotation_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    fields = instance.changed_fields(created)
    if not created and not fields & {"text", "source_id"}:
        return
    # Saved ids wait in one set; the first callback to run after the commit takes them all
    # (its own first), the others find theirs taken. Ids of a rolled-back transaction wait
    # until a later commit, where a missing quotation is skipped.
    pending().add(instance.pk)
    transaction.on_commit(partial(verify_pending, instance.pk))  # at once outside a transaction


def pending():
    if not hasattr(_local, "pending"):
        _local.pending = set()
    return _local.pending


def verify_pending(pk):
    from . import tasks, verify

    waiting = pending()
    if pk not in waiting:
        return
    ids = [pk, *sorted(waiting - {pk})]
    waiting.clear()
    with transaction.atomic():
        verify.verify_quotations(ids[:VERIFIED_AT_ONCE], render_now=True)
    if len(ids) > VERIFIED_AT_ONCE:
        tasks.verify_quotations.enqueue(ids[VERIFIED_AT_ONCE:])


@receiver(post_save, sender=Source, dispatch_uid="integrity.source_saved")
def source_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created or "url" not in instance.changed_fields():
        return
    from django.utils import timezone

    from .models import SourceWatch

    SourceWatch.objects.filter(source=instance).update(next_check_at=timezone.now())
