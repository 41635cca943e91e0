"""A saved quotation is verified again once its transaction commits (its words or source
may have changed): a few at once, so its editor sees the result, the rest by the worker.
A source given a new address is due for a check at once."""

import threading

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
    # The first callback to run after the commit verifies every id saved; the others find
    # nothing left to do.
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = set()
    pending.add(instance.pk)
    transaction.on_commit(verify_pending)  # at once outside a transaction


def verify_pending():
    from . import tasks, verify

    ids = sorted(getattr(_local, "pending", None) or ())
    _local.pending = None
    if not ids:
        return
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
