"""Every figure as one table, with its source, side and status; CSV safe for spreadsheets. No Streamlit."""

from __future__ import annotations

import pandas as pd

from .charts import cite, fmt_date
from .model import SIDE_NAMES, STATUS_NAMES, UNIT_NAMES, Dataset

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ["id", "kind", "label", "value", "unit", "bound", "period", "side", "status", "stated_by", "stated_on",
           "source", "address", "derived_from", "how_derived", "note"]


def figures_table(ds: Dataset) -> pd.DataFrame:
    """Headline, context and derived figures, one row each, each with where it comes from."""
    rows = []
    for f in ds.figures.values():
        if f.kind == "headline":
            address = ds.interview.url
            source = f"{cite(ds, f)}: “{f.span}”"
        else:
            s = ds.sources[f.source_id]
            address, source = s.url, s.outlet + (f" (also {s.url_alt})" if s.url_alt else "")
        conversion = f" {f.conversion_note}" if f.conversion_note else ""
        rows.append(dict(id=f.figure_id, kind=f.kind, label=f.label, value=f.value, unit=UNIT_NAMES[f.unit], bound=f.bound,
                         period=f.period_label, side=SIDE_NAMES[f.side], status=STATUS_NAMES[f.status],
                         stated_by=f.stated_by, stated_on=fmt_date(f.stated_on), source=source, address=address,
                         derived_from="", how_derived="", note=(f.status_note + conversion).strip()))
    for d in ds.derived.values():
        how = {"pct_change": "(figure ÷ base − 1) × 100", "index_from_growth": "100 + % growth (base period = 100)"}[d.method]
        rows.append(dict(id=d.derived_id, kind="derived", label=d.label, value=round(d.value, 2),
                         unit="% change" if d.unit == "pct" else "index", bound="exact",
                         period=ds.figures[d.figure_id].period_label, side=SIDE_NAMES[ds.figures[d.base_id].side] if d.base_id else "",
                         status=STATUS_NAMES["derived"], stated_by="kztrade", stated_on="", source="computed from the figures named",
                         address="", derived_from=" ; ".join(d.inputs), how_derived=how, note=d.note))
    return pd.DataFrame(rows, columns=COLUMNS)


def neutralise(cell: object) -> object:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def safe_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, for spreadsheets) in which no text cell can run as a formula."""
    safe = df.map(neutralise)
    safe.columns = [neutralise(c) for c in df.columns]
    return safe.to_csv(index=False).encode("utf-8-sig")
