"""The data layer: load data/ into typed records, once validated. Knows nothing of Streamlit or plotly."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path

from . import DATA_DIR, REFERENCE_INTERVIEW
from .check import Problem, check_tables, read_tables
from .model import Dataset, Derived, Event, Figure, Interview, Source, Turn


class InvalidData(Exception):
    """The data folder has problems; .problems lists every one."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = problems


def load_dataset(data_dir: Path = DATA_DIR, reference: Path | None = REFERENCE_INTERVIEW) -> Dataset:
    """The validated dataset; raises InvalidData listing every problem otherwise."""
    data_dir = Path(data_dir)
    tables = read_tables(data_dir)
    problems = check_tables(data_dir, tables, reference)
    if problems:
        raise InvalidData(problems)
    turns = tuple(sorted((record(Turn, r) for r in tables["turns"]), key=lambda t: t.seq))
    title = next(t.text for t in turns if t.kind == "title")
    interview = record(Interview, {**tables["interview"][0], "title": title})
    figures = {r["figure_id"]: record(Figure, r) for r in tables["figures"]}
    ds = Dataset(
        interview=interview,
        turns=turns,
        sources={r["source_id"]: record(Source, r) for r in tables["sources"]},
        figures=figures,
        events=tuple(record(Event, r) for r in tables["events"]),
    )
    ds.derived.update({r["derived_id"]: derive(r, figures) for r in tables["derivations"]})
    return ds


def record(cls, row: dict[str, str]):
    """A dataclass from a CSV row, converting by the dataclass's annotations."""
    kwargs = {}
    for f in fields(cls):
        raw = row.get(f.name, "") or ""
        if f.type == "int":
            kwargs[f.name] = int(raw)
        elif f.type == "float":
            kwargs[f.name] = float(raw)
        elif f.type == "float | None":
            kwargs[f.name] = float(raw) if raw else None
        elif f.type == "date":
            kwargs[f.name] = date.fromisoformat(raw)
        else:
            kwargs[f.name] = raw
    return cls(**kwargs)


def derive(row: dict[str, str], figures: dict[str, Figure]) -> Derived:
    """One derived number, computed from the figures its row names."""
    fig = figures[row["figure_id"]]
    if row["method"] == "pct_change":
        value, unit = (fig.value / figures[row["base_id"]].value - 1) * 100, "pct"
    else:  # index_from_growth: the base period is 100 by definition
        value, unit = 100 + fig.value, "index"
    return Derived(row["derived_id"], row["label"], row["method"], value, unit, row["figure_id"], row.get("base_id", ""), row["note"])
