"""Validate a data folder: the Table Schemas (via frictionless), then the rules a schema cannot say."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from frictionless import validate as frictionless_validate

TABLES = ("interview", "turns", "sources", "figures", "events", "derivations")
DATE_FIELDS = {
    "interview": ("published",),
    "sources": ("published",),
    "figures": ("stated_on",),
    "events": ("date", "date_end"),
}
URL_FIELDS = {"url", "url_alt"}
PRIMARY_KEYS = {"interview": "interview_id", "turns": "turn_id", "sources": "source_id", "figures": "figure_id",
                "events": "event_id", "derivations": "derived_id"}
# A span's number, as printed: "$17.2 billion" -> 17.2, "63%" -> 63.
SPAN_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")
SPAN_UNIT = {"usd_bn": re.compile(r"\$.*\bbillion\b"), "pct": re.compile(r"%$")}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the data, named by file, row and field."""

    file: str
    row: int | None
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.record:
            where += f" ({self.record})"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


def read_table(data_dir: Path, name: str) -> list[dict[str, str]]:
    """Rows of one CSV as strings; an unreadable file gives no rows (frictionless reports it)."""
    try:
        with open(data_dir / f"{name}.csv", encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []


def check_data(data_dir: Path, reference: Path | None = None) -> list[Problem]:
    """Every problem in a data folder, in file and row order; an empty list means valid."""
    return check_tables(Path(data_dir), read_tables(Path(data_dir)), reference)


def read_tables(data_dir: Path) -> dict[str, list[dict[str, str]]]:
    """Every table of the package as rows of strings, read once."""
    return {name: read_table(data_dir, name) for name in TABLES}


def check_tables(data_dir: Path, tables: dict[str, list[dict[str, str]]], reference: Path | None) -> list[Problem]:
    """Every problem in tables already read from data_dir, in file and row order."""
    descriptor = data_dir / "datapackage.json"
    if not descriptor.is_file():
        return [Problem("datapackage.json", None, "", "", f"not found in {data_dir}; point --data at the folder that holds it")]
    try:
        json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [Problem("datapackage.json", None, "", "", f"cannot be read as JSON ({type(e).__name__}: {e})")]
    problems = schema_problems(descriptor, tables)
    problems += rule_problems(tables, data_dir, reference)
    return sorted(set(problems), key=lambda p: (TABLES.index(p.file[:-4]) if p.file[:-4] in TABLES else -1, p.row or 0, p.field, p.message))


def record_id(tables: dict[str, list[dict[str, str]]], table: str, row: int | None) -> str:
    """The primary key of a row (row 2 is the first data row, as frictionless counts)."""
    rows = tables.get(table, [])
    if row is None or not 2 <= row < len(rows) + 2:
        return ""
    first_field = next(iter(rows[row - 2]), "")
    return rows[row - 2].get(first_field) or ""


def schema_problems(descriptor: Path, tables: dict[str, list[dict[str, str]]]) -> list[Problem]:
    """Types, required fields, constraints, unique and foreign keys, as frictionless reports them."""
    try:
        report = frictionless_validate(str(descriptor))
    except Exception as e:  # frictionless raises on a descriptor it cannot parse at all
        return [Problem("datapackage.json", None, "", "", f"is not a valid data package: {e}")]
    problems = []
    for error in report.errors:
        problems.append(Problem("datapackage.json", None, "", "", error.message))
    for task in report.tasks:
        file = Path(task.place or f"{task.name}.csv").name
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", "") or ", ".join(getattr(error, "field_names", []) or [])
            field, message = friendly_note(error, field, task.name)
            problems.append(Problem(file, row, record_id(tables, task.name, row), field, message))
    return problems


def friendly_note(error, field: str, table: str) -> tuple[str, str]:
    """(field, message): frictionless's finding, said so a person knows what to fix."""
    cell = getattr(error, "cell", None)
    if error.type in ("unique-error", "primary-key"):
        first = re.search(r"position \"?(\d+)", error.note)
        where = f" (first used in row {first.group(1)})" if first else ""
        value = cell if cell is not None else (error.cells[0] if error.cells else "")
        return field or PRIMARY_KEYS.get(table, ""), f"{value!r} is used again{where}: ids must be unique"
    if error.type == "foreign-key":
        target = (error.reference_name or table) + ".csv"
        return field, f"{', '.join(map(repr, error.field_cells))} does not exist in {target}"
    if error.type == "constraint-error" and field in URL_FIELDS:
        return field, f"{cell!r} is not an https:// address"
    if error.type == "constraint-error" and "pattern" in error.note and "\\d{4}" in error.note:
        return field, f"{cell!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD"
    if error.type == "constraint-error" and '"required"' in error.note:
        return field, "is required but empty"
    if error.type == "type-error":
        kind = error.note.split('"')[1].split("/")[0] if '"' in error.note else "value"
        return field, f"{cell!r} is not a valid {kind}"
    return field, error.note if cell is None else f"{cell!r}: {error.note}"


def parse_dateish(text: str) -> date | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD string as the first day it can mean, or None if it is no real date."""
    parts = text.split("-")
    try:
        nums = [int(p) for p in parts] + [1] * (3 - len(parts))
        return date(*nums[:3]) if len(parts) <= 3 else None
    except ValueError:
        return None


def rule_problems(tables: dict[str, list[dict[str, str]]], data_dir: Path, reference: Path | None) -> list[Problem]:
    """The project's own rules: spans, attributions, references by meaning, dates, derivations."""
    problems: list[Problem] = []
    turns = {r.get("turn_id", ""): r for r in tables["turns"]}
    figures = {r.get("figure_id", ""): r for r in tables["figures"]}
    problems += date_problems(tables)
    problems += interview_problems(tables, data_dir, reference)
    problems += figure_problems(tables["figures"], turns, figures, tables["interview"])
    problems += event_problems(tables["events"], turns)
    problems += derivation_problems(tables["derivations"], figures)
    return problems


def date_problems(tables: dict[str, list[dict[str, str]]]) -> list[Problem]:
    """Dates that have the right shape but are no real day, and periods that end before they start."""
    out = []
    for table, fields in DATE_FIELDS.items():
        for n, row in enumerate(tables[table], start=2):
            for field in fields:
                value = row.get(field) or ""
                shaped = re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value)
                if value and shaped and parse_dateish(value) is None:
                    out.append(Problem(f"{table}.csv", n, record_id(tables, table, n), field, f"{value!r} is not a real date"))
    for n, row in enumerate(tables["figures"], start=2):
        start, end = row.get("period_start", ""), row.get("period_end", "")
        if start and end and re.fullmatch(r"\d{4}-\d{2}-\d{2}", start) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", end) and start > end:
            out.append(Problem("figures.csv", n, row.get("figure_id", ""), "period_end", f"{end} is before period_start {start}"))
    return out


def interview_problems(tables: dict[str, list[dict[str, str]]], data_dir: Path, reference: Path | None) -> list[Problem]:
    """One interview row; turns that rebuild data/interview.txt byte for byte; that file equal to the research copy."""
    out = []
    if len(tables["interview"]) != 1:
        out.append(Problem("interview.csv", None, "", "", f"must hold exactly one row, holds {len(tables['interview'])}"))
    interviewee = tables["interview"][0].get("interviewee", "") if tables["interview"] else ""
    expected_role = {"title": "outlet", "lead": "outlet", "question": "interviewer", "answer": "interviewee"}
    for n, row in enumerate(tables["turns"], start=2):
        kind, role = row.get("kind", ""), row.get("role", "")
        if kind in expected_role and role != expected_role[kind]:
            out.append(Problem("turns.csv", n, row.get("turn_id", ""), "role", f"a {kind} must have role {expected_role[kind]!r}, not {role!r}"))
        if role != "interviewee" and interviewee and row.get("speaker") == interviewee:
            out.append(Problem("turns.csv", n, row.get("turn_id", ""), "speaker", f"{interviewee} only speaks in answers"))
    if not any(r.get("kind") == "title" for r in tables["turns"]):
        out.append(Problem("turns.csv", None, "", "kind", "no turn of kind 'title'"))
    copy = data_dir / "interview.txt"
    if not copy.is_file():
        return out + [Problem("interview.txt", None, "", "", "missing; copy ../shared/research/interview.txt into data/ without any edit")]
    out += reference_problems(tables["turns"], copy)
    if reference is not None and Path(reference).is_file() and Path(reference).read_bytes() != copy.read_bytes():
        out.append(Problem("interview.txt", None, "", "", f"differs from the research copy {reference}; copy it again without any edit"))
    return out


def reference_problems(turns: list[dict[str, str]], reference: Path) -> list[Problem]:
    """Turns whose text differs from the research copy, named by turn and first differing character."""
    lines = reference.read_bytes().decode("utf-8").split("\n")
    out = []
    try:
        ordered = sorted(enumerate(turns, start=2), key=lambda x: int(x[1].get("seq") or 0))
    except ValueError:
        return out  # a bad seq is already a schema problem
    covered = 0
    for n, row in ordered:
        try:
            a, b = int(row.get("line_start") or 0), int(row.get("line_end") or 0)
        except ValueError:
            continue
        expected = "\n".join(lines[a - 1 : b])
        text = row.get("text", "")
        if text != expected:
            at = next((i for i, (x, y) in enumerate(zip(text, expected)) if x != y), min(len(text), len(expected)))
            out.append(Problem("turns.csv", n, row.get("turn_id", ""), "text",
                               f"differs from {reference.name} (lines {a}–{b}) at character {at + 1}; copy the text verbatim"))
        if a != covered + 1:
            out.append(Problem("turns.csv", n, row.get("turn_id", ""), "line_start", f"is {a}, expected {covered + 1}: turns must cover {reference.name} line by line"))
        covered = b
    if covered != len(lines):
        out.append(Problem("turns.csv", None, "", "line_end", f"turns end at line {covered}, but {reference.name} has {len(lines)} lines"))
    return out


def as_number(text: str | None) -> float | None:
    """A cell as a number, or None if it is not one."""
    try:
        return float(text or "")
    except ValueError:
        return None


def span_value(span: str) -> float | None:
    """The number a span prints, or None."""
    m = SPAN_NUMBER.search(span)
    return float(m.group(1).replace(",", ".")) if m else None


def figure_problems(rows, turns, figures, interview_rows) -> list[Problem]:
    """Headline spans and attribution; context sources; corroboration and conversions."""
    out = []
    outlet = interview_rows[0].get("outlet", "") if interview_rows else ""
    for n, row in enumerate(rows, start=2):
        fid = row.get("figure_id", "")
        p = lambda field, msg: out.append(Problem("figures.csv", n, fid, field, msg))  # noqa: E731
        if row.get("kind") == "headline":
            turn = turns.get(row.get("turn_id", ""))
            span = row.get("span", "")
            if not row.get("turn_id"):
                p("turn_id", "a headline figure must name the turn that states it")
            if not span:
                p("span", "a headline figure must give its text as printed")
            if turn is not None and span and span not in turn.get("text", ""):
                p("span", f"{span!r} does not occur verbatim in turn {row['turn_id']}")
            if turn is not None and turn.get("role") != "interviewer":
                p("turn_id", f"turn {row['turn_id']} is not a question ({turn.get('speaker')}, {turn.get('kind')}); headline figures are the interviewer's")
            if outlet and not row.get("stated_by", "").startswith(outlet):
                p("stated_by", f"{row.get('stated_by')!r} must start with {outlet!r}: the headline figures are stated in the interviewer's questions")
            out += span_value_problems(row, n)
        elif row.get("kind") == "context":
            if not row.get("source_id"):
                p("source_id", "a context figure must name its source")
        out += corroboration_problems(row, n, figures)
        if row.get("original_value") and not (row.get("original_unit") and row.get("conversion_note")):
            p("conversion_note", "a converted value must give original_unit and say who converted it")
    return out


def span_value_problems(row: dict[str, str], n: int) -> list[Problem]:
    """A headline value that disagrees with the number or unit its span prints."""
    fid, span = row.get("figure_id", ""), row.get("span", "")
    printed = span_value(span)
    try:
        value = float(row.get("value", ""))
    except ValueError:
        return []  # a schema problem already
    out = []
    if span and printed is None:
        out.append(Problem("figures.csv", n, fid, "span", f"{span!r} prints no number"))
    elif printed is not None and abs(printed - value) > 1e-9:
        out.append(Problem("figures.csv", n, fid, "value", f"{row['value']} does not match its span {span!r}, which prints {printed:g}"))
    unit_pattern = SPAN_UNIT.get(row.get("unit", ""))
    if span and unit_pattern is not None and not unit_pattern.search(span):
        out.append(Problem("figures.csv", n, fid, "unit", f"unit {row['unit']!r} does not match its span {span!r}"))
    return out


def corroboration_problems(row: dict[str, str], n: int, figures: dict[str, dict[str, str]]) -> list[Problem]:
    """'corroborated' must name a figure with the same value and unit; other statuses must name none."""
    fid, by = row.get("figure_id", ""), row.get("corroborated_by", "")
    status = row.get("status", "")
    if status == "corroborated" and not by:
        return [Problem("figures.csv", n, fid, "corroborated_by", "status 'corroborated' must name the corroborating figure")]
    if status != "corroborated" and by:
        return [Problem("figures.csv", n, fid, "corroborated_by", f"names {by!r} but status is {status!r}")]
    other = figures.get(by)
    if other is not None and (as_number(other.get("value")) != as_number(row.get("value")) or other.get("unit") != row.get("unit")):
        return [Problem("figures.csv", n, fid, "corroborated_by",
                        f"{by} says {other.get('value')} {other.get('unit')}, not {row.get('value')} {row.get('unit')}")]
    return []


def event_problems(rows, turns) -> list[Problem]:
    """Documented events need a source; the interview's claims need their words in their turn."""
    out = []
    for n, row in enumerate(rows, start=2):
        eid = row.get("event_id", "")
        if row.get("status") == "documented" and not row.get("source_id"):
            out.append(Problem("events.csv", n, eid, "source_id", "a documented event must name its source"))
        if row.get("status") == "no_source_found" and not row.get("nearest_event_id"):
            out.append(Problem("events.csv", n, eid, "nearest_event_id", "an unconfirmed claim must name the nearest documented event"))
        if row.get("turn_id"):
            turn = turns.get(row["turn_id"])
            if turn is not None and row.get("span", "") not in turn.get("text", ""):
                out.append(Problem("events.csv", n, eid, "span", f"{row.get('span')!r} does not occur verbatim in turn {row['turn_id']}"))
            if not row.get("span"):
                out.append(Problem("events.csv", n, eid, "span", "a claim from the interview must give its words as printed"))
    return out


def derivation_problems(rows, figures) -> list[Problem]:
    """Each method's inputs must exist and have the units the method needs."""
    out = []
    for n, row in enumerate(rows, start=2):
        did, method = row.get("derived_id", ""), row.get("method", "")
        fig, base = figures.get(row.get("figure_id", "")), figures.get(row.get("base_id", ""))
        if method == "pct_change":
            if not row.get("base_id"):
                out.append(Problem("derivations.csv", n, did, "base_id", "pct_change needs a base figure"))
            elif fig is not None and base is not None and fig.get("unit") != base.get("unit"):
                out.append(Problem("derivations.csv", n, did, "base_id", f"base unit {base.get('unit')!r} differs from {fig.get('unit')!r}"))
        if method == "index_from_growth" and fig is not None and fig.get("unit") != "pct":
            out.append(Problem("derivations.csv", n, did, "figure_id", f"index_from_growth needs a percent figure, not {fig.get('unit')!r}"))
    return out
