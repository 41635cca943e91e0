"""The admin's autocomplete, with lines that tell records apart (`finder_label`)."""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from .admin_search import LookAheadPaginator


class FinderJsonView(AutocompleteJsonView):
    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # "More results?" from one extra row, for every finder: no COUNT per keystroke.
        return LookAheadPaginator(queryset, per_page, orphans, allow_empty_first_page)

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if hasattr(obj, "finder_label"):
            result["text"] = obj.finder_label()
        return result


def autocomplete(request):
    """In place of the admin site's autocomplete view (same address, same permissions)."""
    return admin.site.admin_view(FinderJsonView.as_view(admin_site=admin.site))(request)
