from django.db import router, transaction

import freshness


class FreshnessBatchMixin:
    """Admin views whose changes are one freshness batch, acted on before the commit.

    A post saved with its updates and tags is then rendered once, not once per row, and
    the pages it shows up in are purged once."""

    def batched(self, view, *args, **kwargs):
        with transaction.atomic(using=router.db_for_write(self.model)), freshness.batch():
            return view(*args, **kwargs)

    def changeform_view(self, *args, **kwargs):
        return self.batched(super().changeform_view, *args, **kwargs)

    def delete_view(self, *args, **kwargs):
        return self.batched(super().delete_view, *args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        return self.batched(super().changelist_view, *args, **kwargs)
