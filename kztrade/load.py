"""The data layer: load data/ into typed records, once checked. Knows nothing of Streamlit or plotly."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path

from . import DATA_DIR, REFERENCE_INTERVIEW
from .check import Problem, check_package
from .guard import read_package
from .model import Claim, ClaimChange, Dataset, Derived, Event, Evidence, Figure, Interview, Source, Turn

# How many roubles of a figure's unit make one billion roubles.
ROUBLE_BN = {"rub_trn": 1000.0, "rub_bn": 1.0}


class InvalidData(Exception):
    """The data folder has problems; .problems lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


def load_dataset(
    data_dir: Path = DATA_DIR,
    reference: Path | None = REFERENCE_INTERVIEW,
    full: bool = False,
) -> Dataset:
    """The checked dataset; raises InvalidData listing every problem otherwise.

    full=False runs the cheap guard and the project's rules (what the app needs on a cold start);
    full=True adds frictionless's validation of every Table Schema, as `python -m kztrade check` does.
    The rules check exactly the bytes the guard read, every time: no receipt or cache can stand for a check (it costs
    a fresh server about 45 ms; docs/operating.md)."""
    data_dir = Path(data_dir)
    pkg, problems = read_package(data_dir)
    problems = check_package(data_dir, pkg, problems, reference, full)
    if problems or pkg is None:
        raise InvalidData(problems)
    t, schema = pkg.tables, pkg.schema
    turns = tuple(sorted((record(Turn, r, schema("turns")) for r in t["turns"]), key=lambda x: x.seq))
    title = next(x.text for x in turns if x.kind == "title")
    figures = {r["figure_id"]: record(Figure, r, schema("figures")) for r in t["figures"]}
    ds = Dataset(
        interview=record(Interview, {**t["interview"][0], "title": title}, schema("interview")),
        turns=turns,
        sources={r["source_id"]: record(Source, r, schema("sources")) for r in t["sources"]},
        figures=figures,
        events=tuple(record(Event, r, schema("events")) for r in t["events"]),
        evidence={r["evidence_id"]: record(Evidence, r, schema("evidence")) for r in t.get("evidence", [])},
        claims=tuple(record(Claim, r, schema("claims")) for r in t.get("claims", [])),
        history=claim_histories(record(ClaimChange, r, schema("claim-history")) for r in t.get("claim-history", [])),
    )
    ds.derived.update({r["derived_id"]: derive(r, figures) for r in t["derivations"]})
    ds.translations.update(translations(pkg))
    return ds


def claim_histories(changes) -> dict[str, tuple[ClaimChange, ...]]:
    """claim id -> its verdicts, oldest first."""
    out: dict[str, list[ClaimChange]] = {}
    for change in sorted(changes, key=lambda c: c.changed_on):
        out.setdefault(change.claim_id, []).append(change)
    return {cid: tuple(changes) for cid, changes in out.items()}


def translations(pkg) -> dict[str, dict[tuple[str, str, str], str]]:
    """Data text in other languages: language -> (table, record, field) -> text, from each language's translations
    resource (data/translations-<lang>.csv)."""
    return {
        lang: {(r["table"], r["id"], r["field"]): r["text"] for r in pkg.tables[name] if r["text"]}
        for lang, name in pkg.translation_tables().items()
    }


def decimals(text: str) -> int:
    """Digits after the decimal point as printed: '18.9' -> 1, '17' -> 0."""
    return len(text.split(".", 1)[1]) if "." in text else 0


# How a cell's text becomes a value, by its Table Schema type; every other type is text as written.
CONVERT = {"integer": int, "number": float, "date": date.fromisoformat}


def record(cls, row: dict[str, str], schema: dict | None = None):
    """A dataclass from a CSV row, each cell converted by its field's type in the Table Schema (an empty optional
    cell is None); a field the row lacks is computed (a figure's printed decimals) or left to its default."""
    types = {f["name"]: f.get("type", "string") for f in (schema or {}).get("fields", [])}
    kwargs = {}
    for f in fields(cls):
        if f.name not in row:
            continue
        raw, convert = row[f.name] or "", CONVERT.get(types.get(f.name, "string"))
        kwargs[f.name] = raw if convert is None else (convert(raw) if raw else None)
    if cls is Figure:
        kwargs["decimals"] = decimals(row["value"])
        kwargs["converted_decimals"] = decimals(row.get("converted_value", ""))
    return cls(**kwargs)


def printed_range(value: float, places: int) -> tuple[float, float]:
    """The values a printed number can stand for: 17 -> (16.5, 17.5), 18.9 -> (18.85, 18.95)."""
    half = 0.5 * 10**-places
    return value - half, value + half


def derive(row: dict[str, str], figures: dict[str, Figure]) -> Derived:
    """One derived number, computed from the figures its row names, with the range their precision allows."""
    fig = figures[row["figure_id"]]
    lo_a, hi_a = printed_range(fig.value, fig.decimals)
    if row["method"] == "pct_change":
        base = figures[row["base_id"]]
        lo_b, hi_b = printed_range(base.value, base.decimals)
        value = (fig.value / base.value - 1) * 100
        low, high, unit = (lo_a / hi_b - 1) * 100, (hi_a / lo_b - 1) * 100, "pct"
    elif row["method"] == "implied_rate":
        # The outlet converted the printed rouble number; the rate is known as well as its dollar figure's digits.
        roubles = fig.value * ROUBLE_BN[fig.unit]
        lo_c, hi_c = printed_range(fig.converted_value, fig.converted_decimals)
        value, low, high, unit = roubles / fig.converted_value, roubles / hi_c, roubles / lo_c, "rub_per_usd"
    else:  # index_from_growth: the base period is 100 by definition
        value, low, high, unit = 100 + fig.value, 100 + lo_a, 100 + hi_a, "index"
    return Derived(
        row["derived_id"],
        row["label"],
        row["method"],
        value,
        low,
        high,
        unit,
        row["figure_id"],
        row.get("base_id", ""),
        row["note"],
    )
