"""Pages of quotations, speakers and sources that readers may not see yet.

Readers get a 404 for anything not public (QuerySet.public(), quotes/models.py). Staff
who may change it see the page with a "not public yet" banner, never stored in a shared
cache (the draft preview of a post does the same).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def is_preview(request, obj, permission):
    """False for a public object (annotated `shown`); True for staff who may change it; else 404."""
    if obj.shown:
        return False
    user = request.user
    if user.is_active and user.is_staff and user.has_perm(permission):
        return True
    raise Http404("Nothing public at this address.")


def render_page(request, template, context, preview):
    response = render(request, template, {**context, "preview": preview})
    if preview:
        add_never_cache_headers(response)
    return response
