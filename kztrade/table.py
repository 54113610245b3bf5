"""Every figure as one table, with its source, its quote and its status; CSV that no spreadsheet will run.

Built from the statements module, so the CSV says what the page says, in the page's language. No Streamlit,
and no pandas: the CSV is written with the csv module, so a download costs no import.
"""

from __future__ import annotations

import csv
import io
import re

from .model import Dataset
from .statements import Words

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection), and it starts a new
# cell's text after every line break inside a cell, so each line is neutralised, not only the first.
# A line that starts (after any spaces) with a sign a spreadsheet reads as a formula, ASCII or fullwidth (＝＋－＠).
LINE_START = re.compile(r"(^|\r\n|\r|\n)([ \u00a0\u3000]*[=+\-@\t|%\uff1d\uff0b\uff0d\uff20])")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CLAIM_COLUMNS = [
    "claim_id",
    "turn",
    "claimant",
    "kind",
    "span",
    "span_translation",
    "verdict",
    "verdict_means",
    "verdict_note",
    "horizon",
    "known_so_far",
    "verdict_history",
    "evidence",
    "sources",
    "checked_on",
]
COLUMNS = [
    "id",
    "kind",
    "figure",
    "label",
    "value",
    "value_as_printed",
    "unit",
    "bound",
    "period",
    "who",
    "data_basis",
    "stated_by",
    "stated_on",
    "source",
    "address",
    "accessed",
    "quote",
    "quote_lang",
    "quote_translation",
    "status",
    "note",
    "derived_from",
    "how_derived",
    "low",
    "high",
]


def figures_table(ds: Dataset, w: Words) -> list[dict[str, object]]:
    """Headline, context and derived figures, one row each, each with where it comes from and how sure we are."""
    rows: list[dict[str, object]] = []
    for f in ds.figures.values():
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            id=f.figure_id,
            kind=f.kind,
            figure=f"{w.fig(f, 'label')} · {w.period_unbroken(f)} · {w.series_short(f.series)}",  # what, when, who
            label=w.fig(f, "label"),
            value=f.value,
            value_as_printed=w.value(f),
            unit=f.unit,
            bound=f.bound,
            period=w.period(f),
            who=w.series(f.series),
            data_basis=f.data_basis,
            stated_by=w.fig(f, "stated_by"),
            stated_on=w.tr.date(f.stated_on),
            status=w.status(f.status),
            note=w.fig(f, "status_note"),
        )
        if f.kind == "headline":
            row.update(source=w.cite(f), address=ds.interview.url, quote=f.span, quote_lang="en")
        else:
            s = ds.sources[f.source_id]
            row.update(
                source=w.cite(f),
                address=s.url,
                accessed=w.tr.date(s.accessed.isoformat()),
                quote=f.quote,
                quote_lang=f.quote_lang,
                quote_translation=f.quote_en,
            )
            if f.converted_value is not None:
                row["note"] = (row["note"] + " " + w.converted(f)).strip()
        rows.append(row)
    for d in ds.derived.values():
        row = dict.fromkeys(COLUMNS, "")
        fig = ds.figures[d.figure_id]
        row.update(
            id=d.derived_id,
            kind="derived",
            figure=f"{w.derived_field(d, 'label')} · kztrade",
            label=w.derived_field(d, "label"),
            value=round(d.value, 2),
            value_as_printed=w.derived_value(d),
            unit=d.unit,
            bound="range",
            period=w.period(fig),
            stated_by="kztrade",
            source=w.tr._("computed from the figures named"),
            status=w.status("derived"),
            note=w.derived_field(d, "note"),
            derived_from=" ; ".join(d.inputs),
            how_derived=w.derived_method(d),
            low=round(d.low, 2),
            high=round(d.high, 2),
        )
        rows.append(row)
    return rows


def neutralise(cell: object) -> object:
    """A text cell that a spreadsheet would run as a formula, on any of its lines, made inert with an apostrophe."""
    if not isinstance(cell, str):
        return cell
    return LINE_START.sub(lambda m: m.group(1) + "'" + m.group(2), CONTROL.sub(" ", cell))


def safe_csv(rows: list[dict[str, object]], columns: list[str] = COLUMNS) -> bytes:
    """UTF-8 CSV (with BOM, for spreadsheets): text always quoted, every line of every text cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in rows:
        writer.writerow([neutralise(row.get(c, "")) for c in columns])
    return out.getvalue().encode("utf-8-sig")


def claims_table(ds: Dataset, w: Words) -> list[dict[str, object]]:
    """One row per claim: its words, whose, the verdict and why, the ids of its evidence and where that evidence comes
    from."""
    turns = {t.turn_id: t for t in ds.turns}
    return [
        dict(
            claim_id=c.claim_id,
            turn=w.turn_label(turns[c.turn_id]),
            claimant=w.claimant(c),
            kind=c.kind,
            span=c.span,
            span_translation=w.claim_field(c, "span") if w.tr.lang != "en" else "",
            verdict=w.verdict(c.verdict),
            verdict_means=w.verdict_definition(c.verdict),
            verdict_note=w.claim_field(c, "verdict_note"),
            horizon=w.claim_field(c, "horizon"),
            known_so_far=w.claim_field(c, "known_so_far"),
            verdict_history=" ".join(w.history_lines(c)),
            evidence=c.evidence,
            sources=w.claim_sources(c),
            checked_on=c.checked_on.isoformat(),
        )
        for c in ds.claims
    ]
