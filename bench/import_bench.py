"""Import benchmark (not a test): a generated WordPress export of N posts imported by
`manage.py importblog` into a fresh SQLite database, in a process of its own; prints the
time and the peak memory (max RSS) of that process, for N and N/10 (bounded memory means
the two peaks are close), and with --record appends them to bench/results.md.

    .venv/bin/python bench/import_bench.py [--posts 10000] [--comments 3] [--record]
"""

import argparse
import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated</title><link>https://generated.example.org</link>
<wp:author><wp:author_login><![CDATA[writer]]></wp:author_login>
<wp:author_display_name><![CDATA[Pat Writer]]></wp:author_display_name></wp:author>
"""
PARAGRAPH = (
    "<!-- wp:paragraph --><p>Paragraph {n} of post {i}: the minister said the talks would "
    'resume <strong>next week</strong>, and <a href="https://example.org/{i}">the record</a> '
    "shows why that matters for everyone involved.</p><!-- /wp:paragraph -->\n"
)
QUOTE = (
    '<!-- wp:quote --><blockquote class="wp-block-quote" cite="https://news.example.org/{i}">'
    "<p>We will not accept any exchange of this kind, number {i}.</p></blockquote>"
    "<!-- /wp:quote -->\n"
)


def comment(i, n, parent):
    return (
        f"<wp:comment><wp:comment_id>{i * 100 + n}</wp:comment_id>"
        f"<wp:comment_author>Reader {n}</wp:comment_author>"
        f"<wp:comment_author_email>r{n}@example.org</wp:comment_author_email>"
        f"<wp:comment_date_gmt>2020-01-01 12:{n:02d}:00</wp:comment_date_gmt>"
        f"<wp:comment_content>Comment {n} on post {i}.</wp:comment_content>"
        f"<wp:comment_approved>{'1' if n % 4 else '0'}</wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
    )


def generate(path, posts, comments):
    start = datetime.datetime(2010, 1, 1)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for i in range(1, posts + 1):
            when = start + datetime.timedelta(hours=7 * i)
            body = "".join(PARAGRAPH.format(n=n, i=i) for n in range(6))
            body += QUOTE.format(i=i) if i % 10 == 0 else ""
            thread = "".join(
                comment(i, n, i * 100 + n - 1 if n % 3 == 2 else 0) for n in range(1, comments + 1)
            )
            out.write(
                f"<item><title>Generated post {i}</title>"
                f"<link>https://generated.example.org/{when:%Y/%m}/generated-post-{i}/</link>"
                f"<dc:creator>writer</dc:creator><guid>https://generated.example.org/?p={i}</guid>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                f"<wp:post_id>{i}</wp:post_id><wp:post_date_gmt>{when:%Y-%m-%d %H:%M:%S}"
                f"</wp:post_date_gmt><wp:post_name>generated-post-{i}</wp:post_name>"
                f"<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="post_tag" nicename="t{i % 50}">Topic {i % 50}</category>'
                f"{thread}</item>\n"
            )
        out.write("</channel></rss>\n")


def run(args, env):
    """(seconds, peak RSS in MB) of `manage.py args` in a process of its own."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    if status:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({status})")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def measure(posts, comments, folder):
    export = Path(folder) / f"export-{posts}.xml"
    generate(export, posts, comments)
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=f"sqlite:///{folder}/import-{posts}.sqlite3", CACHE_URL="locmem://")
    run(["migrate", "-v0"], env)
    seconds, peak = run(["importblog", str(export)], env)
    again, _ = run(["importblog", str(export)], env)
    size = export.stat().st_size / 1048576
    cells = [f"{posts:,}", f"{posts * comments:,}", f"{size:.1f}", f"{seconds:.1f}",
             f"{peak:.0f}", f"{again:.1f}"]  # fmt: skip
    return f"| {' | '.join(cells)} |"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append to bench/results.md")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure(n, options.comments, folder) for n in (options.posts // 10, options.posts)]
    section = "\n".join([
        f"\n## Import benchmark ({datetime.date.today()}, bench/import_bench.py, SQLite)\n",
        "A generated WordPress export (6 Gutenberg paragraphs a post, a cited blockquote in one "
        f"post of ten, {options.comments} comments a post, some threaded and pending) imported by "
        "`manage.py importblog` in a process of its own; the second import finds everything "
        "already there and writes nothing. Peak memory is the process's max RSS.\n",
        "| posts | comments | file (MB) | import (s) | peak memory (MB) | second import (s) |",
        "|---:|---:|---:|---:|---:|---:|",
        *rows,
    ])  # fmt: skip
    print(section)
    if options.record:
        with open(ROOT / "bench/results.md", "a", encoding="utf-8") as results:
            results.write(section + "\n")


if __name__ == "__main__":
    main()
