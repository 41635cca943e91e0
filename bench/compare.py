"""Two bench/run results side by side, so growth with the data shows:

    .venv/bin/python bench/compare.py bench/results-10k.md bench/results-100k.md

Prints a markdown table of every page in the first file's main table: its SQL queries,
req/s, p50 and ratio to the bare view in each run (a page missing from one run shows "").
"""

import sys
from pathlib import Path

COLUMNS = [("SQL queries", "SQL"), ("req/s", "req/s"), ("p50 ms", "p50 ms"),
           ("x bare view", "x bare"), ("Python MB", "Python MB")]  # fmt: skip


def main_table(path):
    """{(page, mode): {column: value}} from the first table of a results file."""
    rows, header = {}, None
    for line in Path(path).read_text().splitlines():
        if not line.startswith("|"):
            if header:
                break  # the main table is over
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if header is None:
            header = cells
        elif not set(cells[0]) <= {"-", ":"}:
            rows[(cells[0], cells[1])] = dict(zip(header, cells, strict=False))
    return rows


def side_by_side(first, second, names=("10k", "100k")):
    before, after = main_table(first), main_table(second)
    head = ["page", "mode"]
    for _, short in COLUMNS:
        head += [f"{short} {names[0]}", names[1]]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    for key in [*before, *(key for key in after if key not in before)]:
        cells = list(key)
        for column, _ in COLUMNS:
            cells += [before.get(key, {}).get(column, ""), after.get(key, {}).get(column, "")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 5):
        sys.exit("usage: bench/compare.py FIRST.md SECOND.md [FIRST-NAME SECOND-NAME]")
    print(side_by_side(sys.argv[1], sys.argv[2], tuple(sys.argv[3:5]) or ("10k", "100k")))
