"""TEMPORARY STUB of the `matching` branch's interface (deleted before merging it)."""

from urllib.parse import quote


def text_fragment_url(url, exact, prefix="", suffix=""):
    def enc(term):
        return quote(term, safe="")

    parts = ([f"{enc(prefix)}-"] if prefix else []) + [enc(exact)]
    parts += [f"-{enc(suffix)}"] if suffix else []
    return f"{url.split('#')[0]}#:~:text={','.join(parts)}"
