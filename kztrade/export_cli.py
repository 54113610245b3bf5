"""`python -m kztrade export`: every chart and card as images, with one browser for the whole batch."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import DATA_DIR, REFERENCE_INTERVIEW
from .cards import CARD_WIDTH, all_cards
from .charts import CHARTS, EXPORT_WIDTH, Chart, build_chart
from .export import ExportError, exporter
from .figures import InvalidData, load_dataset


def add_parser(sub) -> None:
    """Register the export subcommand."""
    p = sub.add_parser("export", help="write every chart and quote card as PNG or SVG")
    p.add_argument("--out", type=Path, default=Path("exports"), help="output folder (default: exports/)")
    p.add_argument("--format", choices=("png", "svg"), default="png")
    p.add_argument("--scale", type=float, default=2, help="PNG scale factor (default 2)")
    p.add_argument("--only", default="", help="comma-separated chart or card ids (default: all)")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: the project's data/)")


def items(ds, only: list[str]) -> list[Chart]:
    """The charts and cards to write, in order; unknown ids raise ValueError naming the known ones."""
    every = [build_chart(ds, cid) for cid in CHARTS] + all_cards(ds)
    if not only:
        return every
    known = {c.chart_id for c in every}
    unknown = [i for i in only if i not in known]
    if unknown:
        raise ValueError(f"unknown id(s): {', '.join(unknown)}. Known: {', '.join(sorted(known))}")
    return [c for c in every if c.chart_id in only]


def run_export(args: argparse.Namespace) -> int:
    """Write the images and print each path; exit 1 with a short message on any failure."""
    try:
        ds = load_dataset(args.data, REFERENCE_INTERVIEW)
    except InvalidData as e:
        print(f"The data has {len(e.problems)} problem(s); run `python -m kztrade check` first.", file=sys.stderr)
        return 1
    try:
        todo = items(ds, [i for i in args.only.split(",") if i])
    except ValueError as e:
        print(f"kztrade export: {e}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    ex = exporter()
    start = time.perf_counter()
    try:
        jobs = [(c.figure, args.format, args.scale if args.format == "png" else 1,
                 CARD_WIDTH if c.chart_id.endswith("-card") else EXPORT_WIDTH) for c in todo]
        for c, data in zip(todo, ex.render_many(jobs)):
            path = args.out / f"{c.chart_id}.{args.format}"
            path.write_bytes(data)
            print(f"wrote {path} ({len(data):,} bytes)")
    except ExportError as e:
        print(f"kztrade export: {e}", file=sys.stderr)
        return 1
    finally:
        ex.close()
    print(f"{len(todo)} file(s) in {time.perf_counter() - start:.1f} s with one browser.")
    return 0
