"""Old addresses that keep working: `record(old, new)` whenever something public moves
(a post's slug or date, an import's old permalinks, a merged speaker or source)."""

from urllib.parse import urlsplit


def _path(url):
    """The path of `url` (a site URL or a path), query kept; full URLs elsewhere untouched."""
    parts = urlsplit(url)
    if not parts.path:
        return url
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return path if path.startswith("/") else f"/{path}"


def record(old_path, new_path, note=""):
    """Make `old_path` answer 301 to `new_path`. Chains are collapsed (a page that moved
    twice sends its first address straight to the last), and an address that is live again
    stops redirecting. Returns the Redirect, or None when old and new are the same."""
    from .models import Redirect

    old_path, new_path = _path(old_path), _path(new_path)
    Redirect.objects.filter(old_path=new_path).delete()  # the new address is live
    if old_path == new_path:
        return None
    Redirect.objects.filter(new_path=old_path).update(new_path=new_path)
    redirect, _ = Redirect.objects.update_or_create(
        old_path=old_path, defaults={"new_path": new_path, "note": note[:200]}
    )
    return redirect


def target(path):
    """Where `path` moved to, or None."""
    from .models import Redirect

    return Redirect.objects.filter(old_path=path).values_list("new_path", flat=True).first()
