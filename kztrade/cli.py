"""Command line: `check` validates a data folder; `export` writes every chart and card as images."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import DATA_DIR, REFERENCE_INTERVIEW
from .export_cli import add_parser, run_export
from .load import InvalidData, load_dataset


class Parser(argparse.ArgumentParser):
    """argparse, but a wrong argument exits 1 like every other refusal of ours (argparse's own convention is 2)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(1, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for both commands."""
    parser = Parser(prog="python -m kztrade", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate a data folder and print every problem")
    check.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: the project's data/)")
    check.add_argument(
        "--interview",
        type=Path,
        default=REFERENCE_INTERVIEW,
        help="research copy of the interview to compare turns against (skipped if absent)",
    )
    add_parser(sub)
    return parser


def run_check(args: argparse.Namespace) -> int:
    """Print a one-line summary (exit 0) or every problem, one per line (exit 1)."""
    try:
        ds = load_dataset(args.data, args.interview, full=True)
    except InvalidData as e:
        for p in e.problems:
            print(p)
        print(
            f"{len(e.problems)} problem(s) in {args.data}. Fix each named file, row and field, then run check again.",
            file=sys.stderr,
        )
        return 1
    heads = len(ds.headline())
    research = "matches the research copy" if args.interview.is_file() else "research copy not found, not compared"
    print(
        f"OK {args.data}: {len(ds.turns)} turns, {len(ds.figures)} figures ({heads} headline, "
        f"{len(ds.figures) - heads} "
        "context), "
        f"{len(ds.derived)} derived, {len(ds.sources)} sources, {len(ds.events)} events, {len(ds.claims)} claims, "
        f"{len(ds.evidence)} evidence rows; "
        f"interview text matches its turns and {research}."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; never lets a traceback reach the user."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args)
        return run_export(args)
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # last resort: a short message instead of a traceback
        print(
            f"kztrade {args.command} failed unexpectedly ({type(e).__name__}); please report the command you ran.",
            file=sys.stderr,
        )
        return 2
