"""Benchmark of source checks (integrity/): not a test, figures for bench/results.md.

    .venv/bin/python bench/integrity.py [--quotations 10000] [--sources 2000] [--record]

1. Verifying QUOTATIONS quotations (10 per source) against pasted snapshots of about 6 KB of
   text: 70% quoted exactly, 10% with spacing, case and closing punctuation changed, 10% with one
   word changed, 10% absent.
2. Checking SOURCES sources served by a local HTTP server on 127.0.0.1 (HTML articles of
   about 6 KB, one quotation each), then re-checking them all once unchanged, then once
   with a tenth answering 404, a tenth redirected elsewhere and a tenth rewritten.

Each phase reports its wall time and the process's peak memory (max RSS) at its end. It
uses a SQLite database of its own in a temporary folder (DATABASE_URL unless set).
"""

import argparse
import os
import platform
import random
import resource
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORDS = (
    "the president said government letter missile defense officials russia moscow iran "
    "nuclear program united states talks week agreement minister policy foreign security "
    "administration europe system weapons deal plan vote congress senate report economy "
    "trade tariffs border court ruling election campaign voters budget spending tax"
).split()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sentence(rng, n=None):
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def article_text(rng, paragraphs=8):
    return "\n\n".join(" ".join(sentence(rng) for _ in range(5)) for _ in range(paragraphs))


def quoted_from(rng, text, kind):
    sentences = [s.strip() + "." for s in text.replace("\n\n", " ").split(".") if s.strip()]
    words = rng.choice(sentences).split()
    if kind == "typography":  # line breaks, capitals, the closing full stop as a comma
        return "  " + " \n ".join(words).upper().rstrip(".") + ",\n"
    if kind == "one word":
        words[len(words) // 2] = "zeppelin"
    if kind == "absent":
        return sentence(rng) + " Zeppelins over Madrid."
    return " ".join(words)


def verify_phase(n_quotations, rng):
    from integrity import snapshots, verify
    from quotes.models import Quotation, Source

    kinds = ["exact"] * 7 + ["typography", "one word", "absent"]
    n_sources = max(1, n_quotations // 10)
    sources = Source.objects.bulk_create(
        Source(title=f"Pasted source {i}", slug=f"pasted-{i}") for i in range(n_sources)
    )
    rows = []
    for source in sources:
        text = article_text(rng)
        snapshots.build(source, text.encode(), "text/plain; charset=utf-8", origin="pasted").save()
        for i in range(10):
            rows.append(Quotation(source=source, text=quoted_from(rng, text, kinds[i])))
    Quotation.objects.bulk_create(rows, batch_size=1000)
    start = time.perf_counter()
    counts = {}
    for source in sources:
        for status, n in verify.verify_source(source.pk).items():
            counts[status] = counts.get(status, 0) + n
    return time.perf_counter() - start, counts


class Pages(BaseHTTPRequestHandler):
    def do_GET(self):
        status, body, location = self.server.pages.get(self.path, (404, b"gone", None))
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def html(text):
    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        "<!doctype html><html><head><title>News</title></head><body><nav>Home World</nav>"
        f"<article><h1>A story</h1>{body}</article><footer>Publisher</footer></body></html>"
    ).encode()


def check_phase(n_sources, rng):
    from integrity import checks
    from quotes.models import Quotation, Source

    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    server.pages = {}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    texts = {}
    for i in range(n_sources):
        texts[i] = article_text(rng, paragraphs=6)
        server.pages[f"/s/{i}"] = (200, html(texts[i]), None)
    sources = Source.objects.bulk_create(
        Source(title=f"Live source {i}", slug=f"live-{i}", url=f"{base}/s/{i}")
        for i in range(n_sources)
    )
    Quotation.objects.bulk_create(
        Quotation(source=s, text=quoted_from(rng, texts[i], "exact")) for i, s in enumerate(sources)
    )

    def round_of_checks():
        start, states = time.perf_counter(), {}
        for source in sources:
            check = checks.check_source(source, allow_loopback=True)
            states[check.state] = states.get(check.state, 0) + 1
        return time.perf_counter() - start, states

    rounds = [("first fetch", *round_of_checks(), peak_mb())]
    rounds.append(("re-check, unchanged", *round_of_checks(), peak_mb()))
    tenth = n_sources // 10
    for i in range(tenth):
        server.pages.pop(f"/s/{i}")  # 404
        server.pages[f"/s/{tenth + i}"] = (301, b"", f"/elsewhere/{i}")
        server.pages[f"/elsewhere/{i}"] = (200, html(texts[tenth + i]), None)
        server.pages[f"/s/{2 * tenth + i}"] = (200, html(article_text(rng, 6)), None)
    rounds.append(("re-check, 30% rotted", *round_of_checks(), peak_mb()))
    server.shutdown()
    return rounds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotations", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=2_000)
    parser.add_argument("--record", action="store_true", help="append to bench/results.md")
    options = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="bench-integrity-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)

    base = peak_mb()
    seconds, counts = verify_phase(options.quotations, rng)
    verify_peak = peak_mb()
    rounds = check_phase(options.sources, rng)

    lines = [
        f"\n## Source checks (integrity/), {datetime.now(UTC):%Y-%m-%d}\n",
        f"`bench/integrity.py --quotations {options.quotations} --sources {options.sources}` "
        f"on {platform.machine()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores (shared), SQLite; peak memory is the process's max RSS "
        f"({base:.0f} MB after Django's start).\n",
        "| phase | items | seconds | per item (ms) | peak memory (MB) | result |",
        "|---|---|---|---|---|---|",
        f"| verify quotations against snapshots | {options.quotations:,} | {seconds:.1f} | "
        f"{1000 * seconds / options.quotations:.2f} | {verify_peak:.0f} | "
        + ", ".join(f"{n:,} {status}" for status, n in sorted(counts.items()))
        + " |",
    ]
    for name, took, states, peak in rounds:
        lines.append(
            f"| check sources on 127.0.0.1: {name} | {options.sources:,} | {took:.1f} | "
            f"{1000 * took / options.sources:.2f} | {peak:.0f} | "
            + ", ".join(f"{n:,} {state}" for state, n in sorted(states.items()))
            + " |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    if options.record:
        with open(ROOT / "bench" / "results.md", "a", encoding="utf-8") as results:
            results.write(report)


if __name__ == "__main__":
    main()
