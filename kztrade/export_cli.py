"""`python -m kztrade export`: every chart and card as images, with one browser for the whole batch; or, with
--claimreview, the claims register as ClaimReview JSON-LD."""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

from . import DATA_DIR, REFERENCE_INTERVIEW
from .cards import CARD_SIZES, card_id, claim_card, claim_card_id, quote_card
from .charts import CHARTS, EXPORT_WIDTH, build_chart, compose
from .claimreview import checked_claims
from .export import MAX_SCALE, ExportError, exporter
from .guard import printable
from .i18n import LANGS, Tr
from .load import InvalidData, load_dataset
from .routes import public_setting


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
    p.add_argument(
        "--scale", type=scale_arg, default=2.0, help=f"PNG scale factor, above 0 and at most {MAX_SCALE:g} (default 2)"
    )
    p.add_argument("--only", default=None, help="comma-separated chart or card ids (default: all)")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="en",
        help="language of every chart and card (default en); Russian files end .ru.<ext>",
    )
    p.add_argument(
        "--card-size",
        choices=list(CARD_SIZES),
        default="landscape",
        help="quote card shape: landscape 16:9 (1200×675) or portrait 4:5 (1080×1350), before --scale",
    )
    p.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: the project's data/)")
    p.add_argument(
        "--claimreview",
        action="store_true",
        help="write schema.org ClaimReview JSON-LD, one file per checked claim and one with them all, instead of "
        "images",
    )
    p.add_argument(
        "--base-url",
        default=None,
        help="https address of the hosted dashboard, for each review's url (default: the KZTRADE_PUBLIC_URL setting)",
    )


def only_ids(text: str) -> list[str]:
    """--only as a list of ids; an empty list (such as ',,,') is refused rather than read as 'everything'."""
    ids = [i.strip() for i in text.split(",") if i.strip()]
    if not ids:
        raise ValueError(
            "--only names no id; give one or more chart or card ids, or leave --only out to export everything"
        )
    return ids


def known_ids(ds, card_size: str) -> dict[str, str]:
    """Every id `export` writes: chart id -> 'chart', card id -> the figure it shows, claim card id -> 'claim:<claim
    id>'."""
    out = {cid: "chart" for cid in CHARTS}
    out.update({card_id(f, card_size): f.figure_id for f in ds.headline()})
    out.update({claim_card_id(c.claim_id, card_size): f"claim:{c.claim_id}" for c in checked_claims(ds)})
    return out


def items(ds, only: list[str] | None, tr: Tr, card_size: str, building=None) -> list[tuple[str, object, int]]:
    """(id, figure to render, width) for each chart and card to write; only the ones asked for are built.

    Unknown ids raise ValueError naming the known ones, with each refused id cut short and escaped. `building`, if
    given, is called once the ids are known good and before anything is built (the CLI starts its browser there)."""
    known = known_ids(ds, card_size)
    wanted = list(known) if only is None else only
    unknown = [i for i in wanted if i not in known]
    if unknown:
        shown = ", ".join(f"'{printable(i, 40)}'" for i in unknown[:5]) + (
            f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        )
        raise ValueError(f"unknown id(s): {shown}. Known: {', '.join(sorted(known))}")
    if building is not None:
        building()
    out = []
    for i in dict.fromkeys(wanted):
        if known[i] == "chart":
            out.append((i, compose(build_chart(ds, i, tr)), EXPORT_WIDTH))
        elif known[i].startswith("claim:"):
            out.append(
                (i, claim_card(ds, known[i].split(":", 1)[1], tr, card_size).figure, CARD_SIZES[card_size].width)
            )
        else:
            out.append((i, quote_card(ds, known[i], tr, card_size).figure, CARD_SIZES[card_size].width))
    return out


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: into a temporary file in the same folder, then renamed over the path.

    The rename replaces a link planted at the path instead of writing through it, and a full disk leaves
    the old file (or none), never a truncated image; the temporary file is removed on any failure."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def run_claimreview(args: argparse.Namespace, ds, tr: Tr) -> int:
    """Write one ClaimReview file per checked claim and one holding them all; exit 1 with one line on a bad address."""
    from .addresses import base_url_problem
    from .claimreview import checked_claims, dumps, https_base, publisher_setting, reviews

    given = args.base_url if args.base_url is not None else public_setting()
    problem = base_url_problem(given) if given else "is not set"
    base = "" if problem else https_base(given)
    if not base:
        what = "--base-url" if args.base_url is not None else "KZTRADE_PUBLIC_URL"
        print(
            f"kztrade export: {what} {problem or 'is not a plain https:// address'}; give the plain https:// address "
            f"of the hosted dashboard (for example https://kztrade.example.org/) with --base-url.",
            file=sys.stderr,
        )
        return 1
    found = reviews(ds, base, publisher_setting(), tr)
    suffix = "" if args.lang == "en" else f".{args.lang}"
    folder = args.out / "claimreview"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for claim_id, obj in found.items():
            path = folder / f"{claim_id}{suffix}.jsonld"
            write_atomically(path, dumps(obj).encode("utf-8"))
            print(f"wrote {path}")
        graph = {
            "@context": "https://schema.org",
            "@graph": [{k: v for k, v in o.items() if k != "@context"} for o in found.values()],
        }
        path = args.out / f"claimreview{suffix}.jsonld"
        write_atomically(path, dumps(graph).encode("utf-8"))
        print(f"wrote {path}")
    except OSError as e:
        print(
            f"kztrade export: cannot write into {args.out} ({e.strerror}); choose another folder with --out.",
            file=sys.stderr,
        )
        return 1
    print(f"{len(found)} review(s) of {len(checked_claims(ds))} checked claim(s), and one file with them all.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write the images (or, with --claimreview, the reviews) and print each path; exit 1 with a short message on any
    failure."""
    try:
        ds = load_dataset(args.data, REFERENCE_INTERVIEW)
    except InvalidData as e:
        print(
            f"kztrade export: the data has {len(e.problems)} problem(s); run `python -m kztrade check` first.",
            file=sys.stderr,
        )
        return 1
    tr = Tr(args.lang, ds.translations.get(args.lang, {}))
    if getattr(args, "claimreview", False):
        return run_claimreview(args, ds, tr)
    if getattr(args, "base_url", None) is not None:
        print("kztrade export: --base-url applies only with --claimreview.", file=sys.stderr)
        return 1
    try:
        only = only_ids(args.only) if args.only is not None else None
        args.out.mkdir(parents=True, exist_ok=True)
    except ValueError as e:
        print(f"kztrade export: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(
            f"kztrade export: cannot create the folder {args.out} ({e.strerror}); choose another with --out.",
            file=sys.stderr,
        )
        return 1
    suffix = "" if args.lang == "en" else f".{args.lang}"
    ex = exporter()
    start = time.perf_counter()
    try:
        try:
            todo = items(ds, only, tr, args.card_size, building=ex.warm)  # the browser starts while figures are built
        except ValueError as e:
            print(f"kztrade export: {e}", file=sys.stderr)
            return 1
        jobs = [(fig, args.format, args.scale if args.format == "png" else 1, width) for _i, fig, width in todo]
        for (item_id, _f, _w), data in zip(todo, ex.render_many(jobs)):
            path = args.out / f"{item_id}{suffix}.{args.format}"
            write_atomically(path, data)
            print(f"wrote {path} ({len(data):,} bytes)")
    except (ExportError, ValueError) as e:
        print(f"kztrade export: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(
            f"kztrade export: cannot write into {args.out} ({e.strerror}); choose another folder with --out.",
            file=sys.stderr,
        )
        return 1
    finally:
        ex.close()
    print(f"{len(todo)} file(s) in {time.perf_counter() - start:.1f} s with one browser.")
    return 0
