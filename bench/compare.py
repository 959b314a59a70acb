"""Side by side: ``srkg bench`` of an earlier revision and of this checkout, in one run, with ratios.

::

    .venv/bin/python -m bench.compare --baseline fd2c3a5 --rounds 2 -- --sizes 100k

checks the baseline revision out into a temporary git worktree (and ``--current REV`` too, instead of
this checkout), then runs the two benchmarks in turns
(baseline, current; then current, baseline; …, so a drift of the machine weighs on both alike), each in
a fresh process with the same arguments. It reads every table the two print, takes the median of each
figure over the rounds, and prints one table: each figure of ours (our build, the embedded store's
queries, our service's rates and latencies) with the baseline, the current value, the ratio, and a mark
where the current value is worse by more than the threshold. The other engines' figures (rdflib,
Oxigraph server) are code that did not change: they are printed apart, as the run's noise control.
It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: column headers whose figure is better when higher; every other numeric column is better when lower
HIGHER_IS_BETTER = {"req/s", "triples/s"}
#: columns that are not figures of one engine (sizes, counts, ratios between engines)
NOT_COMPARED = {"triples", "rows", "requests", "errors", "rdflib/emb", "srv/emb"}
#: rows and columns that measure another engine, not our code: the noise control
OTHER_ENGINES = re.compile(r"^(oxigraph|rdflib)", re.I)
OTHER_COLUMNS = re.compile(r"^(rdflib|oxigraph srv)", re.I)

Figures = dict[tuple[str, str, str], float]  # (table, row, column) -> value


@dataclass(frozen=True)
class Comparison:
    """One figure in both runs."""

    table: str
    row: str
    column: str
    baseline: float
    current: float

    @property
    def change(self) -> float:
        """How much worse the current value is, as a fraction (negative: better)."""
        if self.baseline == 0:
            return 0.0
        ratio = self.current / self.baseline
        return 1 / ratio - 1 if self.column in HIGHER_IS_BETTER and ratio else ratio - 1


def number(cell: str) -> float | None:
    """A figure of the bench's tables ("1,093", "2.4", "188 held", "63.2¹"); None for "-", ">20s", "10.1×"."""
    text = cell.strip().rstrip("¹").replace(",", "")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?: held)?", text)
    return float(m.group(1)) if m else None


def tables(report: str) -> Iterator[tuple[str, list[str], list[list[str]]]]:
    """Each table of a ``srkg bench`` report: its title, its column headers, its rows (cells as text).

    A table is a title line, a header line and a line of dashes whose runs give the columns' extents."""
    lines = report.splitlines()
    for i, line in enumerate(lines):
        if i < 2 or not re.fullmatch(r"-+(  -+)*", line):
            continue
        spans = [(m.start(), m.end()) for m in re.finditer(r"-+", line)]

        def cut(text: str, spans: list[tuple[int, int]] = spans) -> list[str]:
            cells = [text[a:b].strip() for a, b in spans[:-1]]
            return cells + [text[spans[-1][0]:].strip()]

        headers = _unique(cut(lines[i - 1]))
        rows = []
        for row in lines[i + 1:]:
            if not row.strip():
                break
            rows.append(cut(row))
        yield lines[i - 2].split("(")[0].split(":")[0].strip(), headers, rows


def _unique(headers: list[str]) -> list[str]:
    """Headers made unique: a repeated "p95" names the column before it ("embedded p95")."""
    out: list[str] = []
    for h in headers:
        out.append(f"{out[-1]} {h}" if h in out or (h == "p95" and out) else h)
    return out


def figures(report: str) -> Figures:
    """Every numeric figure of ``report``, keyed by table, row (its text columns) and column."""
    out: Figures = {}
    for title, headers, rows in tables(report):
        for cells in rows:
            key = "  ".join(cells[:2])  # every table starts with the size and what was measured
            for header, cell in zip(headers[2:], cells[2:], strict=False):
                value = number(cell)
                if value is not None and header not in NOT_COMPARED:
                    out[(title, key, header)] = value
    return out


def is_ours(row: str, column: str) -> bool:
    """Whether a figure measures this project's code rather than another engine's."""
    return not (OTHER_ENGINES.match(row.split("  ")[-1]) or OTHER_COLUMNS.match(column))


@contextmanager
def worktree(revision: str) -> Iterator[Path]:
    """A temporary checkout of ``revision`` (removed at the end)."""
    folder = Path(tempfile.mkdtemp(prefix="srkg-baseline-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(folder), revision], cwd=REPO, check=True,
                   capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=REPO, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def run_bench(checkout: Path, args: list[str], label: str) -> str:
    """``srkg bench ARGS`` of the code in ``checkout`` (its own ``graph`` package first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "SRKG_DATA_DIR": str(checkout / "data"),
           "SRKG_ONTOLOGY_DIR": str(checkout / "ontology")}
    print(f"[{label}] srkg bench {' '.join(args)} in {checkout}", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "graph.cli", "bench", *args], cwd=checkout, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"[{label}] srkg bench failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def compare(baseline: list[Figures], current: list[Figures]) -> list[Comparison]:
    """The median of each figure over the rounds, for the figures both sides report."""
    def medians(runs: list[Figures]) -> dict[tuple[str, str, str], float]:
        values: dict[tuple[str, str, str], list[float]] = defaultdict(list)
        for run in runs:
            for key, value in run.items():
                values[key].append(value)
        return {key: statistics.median(v) for key, v in values.items()}

    before, after = medians(baseline), medians(current)
    return [Comparison(*key, before[key], after[key]) for key in before if key in after]


def report(rows: list[Comparison], threshold: float, rounds: int, revision: str, current: str | None = None) -> str:
    """The side-by-side table: ours first, then the other engines as the noise control."""
    def table(items: list[Comparison]) -> list[str]:
        width = max((len(f"{c.row}  {c.column}") for c in items), default=10)
        lines = [f"{'figure':<{width}}  {'baseline':>10}  {'current':>10}  {'change':>8}",
                 f"{'-' * width}  {'-' * 10}  {'-' * 10}  {'-' * 8}"]
        for c in items:
            mark = f"  worse by more than {threshold:.0%}" if c.change > threshold else ""
            lines.append(f"{c.row + '  ' + c.column:<{width}}  {c.baseline:>10,.1f}  {c.current:>10,.1f}  "
                         f"{c.change:>+8.1%}{mark}")
        return lines

    ours = [c for c in rows if is_ours(c.row, c.column)]
    others = [c for c in rows if not is_ours(c.row, c.column)]
    worse = [c for c in ours if c.change > threshold]
    out = [f"srkg bench, baseline {revision} against {current or 'this checkout'}, median of {rounds} round(s) each, "
           f"taken in turns; change > 0 is worse (a longer time, more memory, a lower rate)", ""]
    for title in dict.fromkeys(c.table for c in ours):
        out += [title, *table([c for c in ours if c.table == title]), ""]
    out += ["Noise control: the other engines, whose code is the same in both runs", *table(others), ""]
    out.append(f"{len(worse)} of {len(ours)} figures of ours are worse by more than {threshold:.0%}"
               + (": " + "; ".join(f"{c.row} {c.column} {c.change:+.0%}" for c in worse) if worse else "."))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Arguments after -- go to srkg bench, e.g. -- --sizes 100k")
    parser.add_argument("--baseline", required=True, help="the git revision to compare against")
    parser.add_argument("--current", help="a git revision to measure instead of this checkout")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each side, taken in turns")
    parser.add_argument("--threshold", type=float, default=0.10, help="mark changes worse than this fraction")
    parser.add_argument("--out", type=Path, help="also write the table here")
    parser.add_argument("bench_args", nargs="*", help="arguments of srkg bench")
    args = parser.parse_args()
    baseline: list[Figures] = []
    current: list[Figures] = []
    with worktree(args.baseline) as old, (worktree(args.current) if args.current else nullcontext(REPO)) as new:
        for i in range(args.rounds):
            sides = [("baseline", old, baseline), ("current", new, current)]
            for label, checkout, runs in sides if i % 2 == 0 else sides[::-1]:
                runs.append(figures(run_bench(checkout, args.bench_args, f"{label} {i + 1}/{args.rounds}")))
    text = report(compare(baseline, current), args.threshold, args.rounds, args.baseline, args.current)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
