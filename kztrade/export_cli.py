"""`python -m kztrade export`: every chart and card as images, with one browser for the whole batch."""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

from . import DATA_DIR, REFERENCE_INTERVIEW
from .cards import CARD_SIZES, all_cards
from .charts import CHARTS, EXPORT_WIDTH, Chart, build_chart, compose
from .export import MAX_SCALE, ExportError, exporter
from .figures import InvalidData, load_dataset
from .i18n import LANGS, Tr


def scale_arg(text: str) -> float:
    """--scale: a finite number above 0 and at most MAX_SCALE."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and 0 < value <= MAX_SCALE):
        raise argparse.ArgumentTypeError(f"must be above 0 and at most {MAX_SCALE:g}, not {text}")
    return value


def add_parser(sub) -> None:
    """Register the export subcommand."""
    p = sub.add_parser("export", help="write every chart and quote card as PNG or SVG")
    p.add_argument("--out", type=Path, default=Path("exports"), help="output folder (default: exports/)")
    p.add_argument("--format", choices=("png", "svg"), default="png")
    p.add_argument("--scale", type=scale_arg, default=2.0, help=f"PNG scale factor, above 0 and at most {MAX_SCALE:g} (default 2)")
    p.add_argument("--only", default="", help="comma-separated chart or card ids (default: all)")
    p.add_argument("--lang", choices=LANGS, default="en", help="language of every chart and card (default en); Russian files end .ru.<ext>")
    p.add_argument("--card-size", choices=list(CARD_SIZES), default="landscape",
                   help="quote card shape: landscape 16:9 (1200×675) or portrait 4:5 (1080×1350), before --scale")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: the project's data/)")


def items(ds, only: list[str], tr: Tr, card_size: str) -> list[tuple[Chart, object, int]]:
    """(chart, figure to render, width) for each chart and card to write; unknown ids raise ValueError naming the known ones."""
    every = [(c, compose(c), EXPORT_WIDTH) for c in (build_chart(ds, cid, tr) for cid in CHARTS)]
    every += [(c, c.figure, CARD_SIZES[card_size].width) for c in all_cards(ds, tr, card_size)]
    if not only:
        return every
    known = {c.chart_id for c, _f, _w in every}
    unknown = [i for i in only if i not in known]
    if unknown:
        raise ValueError(f"unknown id(s): {', '.join(unknown)}. Known: {', '.join(sorted(known))}")
    return [x for x in every if x[0].chart_id in only]


def run_export(args: argparse.Namespace) -> int:
    """Write the images and print each path; exit 1 with a short message on any failure."""
    try:
        ds = load_dataset(args.data, REFERENCE_INTERVIEW)
    except InvalidData as e:
        print(f"kztrade export: the data has {len(e.problems)} problem(s); run `python -m kztrade check` first.", file=sys.stderr)
        return 1
    tr = Tr(args.lang, ds.translations.get(args.lang, {}))
    try:
        todo = items(ds, [i for i in args.only.split(",") if i], tr, args.card_size)
    except ValueError as e:
        print(f"kztrade export: {e}", file=sys.stderr)
        return 1
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"kztrade export: cannot create the folder {args.out} ({e.strerror}); choose another with --out.", file=sys.stderr)
        return 1
    suffix = "" if args.lang == "en" else f".{args.lang}"
    ex = exporter()
    start = time.perf_counter()
    try:
        jobs = [(fig, args.format, args.scale if args.format == "png" else 1, width) for _c, fig, width in todo]
        for (c, _f, _w), data in zip(todo, ex.render_many(jobs)):
            path = args.out / f"{c.chart_id}{suffix}.{args.format}"
            path.write_bytes(data)
            print(f"wrote {path} ({len(data):,} bytes)")
    except (ExportError, ValueError) as e:
        print(f"kztrade export: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"kztrade export: cannot write into {args.out} ({e.strerror}); choose another folder with --out.", file=sys.stderr)
        return 1
    finally:
        ex.close()
    print(f"{len(todo)} file(s) in {time.perf_counter() - start:.1f} s with one browser.")
    return 0
