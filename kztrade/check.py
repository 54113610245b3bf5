"""Validate a data folder: the guard (what loading needs), frictionless (the Table Schemas, in `check` and CI
only), then the rules a schema cannot state. No Streamlit, no plotly."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import regex

from .addresses import url_problem
from .guard import Package, Problem, printable, read_package
from .i18n import DEFAULT_LANG, LANGS, LANGUAGES
from .quotes import bound_in, find_value, lost_in_translation, says_own_data
from .verdicts import CHECKED, VERDICTS

TABLES = ("interview", "turns", "sources", "figures", "events", "derivations", "evidence", "claims", "claim-history")
URL_FIELDS = {"url", "url_alt"}
# Cells that name a person or an outlet: each word is in one script, so a Cyrillic «а» cannot pass for a Latin "a".
NAME_FIELDS = {
    "interview": ("outlet", "interviewer", "interviewee"),
    "turns": ("speaker",),
    "sources": ("outlet",),
    "figures": ("stated_by",),
    "evidence": ("stated_by",),
    "events": ("actor",),
}
SCRIPTS = ("Latin", "Cyrillic", "Greek")
BOUND_NAMES = {"exact": "exact", "lower_bound": "a lower bound", "approximate": "approximate"}
DATE_SHAPE = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"
HEADLINE_STATUSES = {"no_independent_source", "matches_report"}
CONTEXT_STATUSES = {"reported", "quote_not_verified"}

__all__ = ["Problem", "check_data", "check_package", "TABLES"]


def check_data(data_dir: Path, reference: Path | None = None, full: bool = True) -> list[Problem]:
    """Every problem in a data folder, in file and row order; an empty list means valid.

    full=False skips frictionless: the app's cheap guard on cold start. full=True is `python -m kztrade check`."""
    pkg, problems = read_package(Path(data_dir))
    return check_package(Path(data_dir), pkg, problems, reference, full)


def check_package(
    data_dir: Path, pkg: Package | None, problems: list[Problem], reference: Path | None, full: bool
) -> list[Problem]:
    """Every problem, given what the guard read and found."""
    if pkg is None:
        return problems
    unsafe_files = any(p.row is None and (p.field in ("", "path")) for p in problems)
    if full and not unsafe_files:  # never hand frictionless a symlink or a path outside the folder
        # The guard checks what frictionless does for this schema; frictionless speaks only where the guard found
        # nothing.
        seen = {(p.file, p.row) for p in problems}
        broken = {p.file for p in problems if p.row in (None, 1)}  # a file whose header or structure is already wrong
        problems = problems + [
            p for p in schema_problems(data_dir, pkg) if (p.file, p.row) not in seen and p.file not in broken
        ]
    all_read = len(pkg.tables) == len([r for r in pkg.descriptor["resources"] if r.get("type") == "table"])
    if (
        all_read and pkg.keys_ok and not pkg.unreadable
    ):  # with an id used twice, references by meaning would be read against the wrong row
        problems += rule_problems(pkg, data_dir, reference, {(p.file, p.row, p.field) for p in problems})
    order = {pkg.paths.get(t, f"{t}.csv"): i for i, t in enumerate(TABLES)}
    return sorted(set(problems), key=lambda p: (order.get(p.file, -1), p.row or 0, p.field, p.message))


def record_id(pkg: Package, table: str, row: int | None) -> str:
    """The primary key of a row (row 2 is the first data row, as frictionless counts)."""
    rows = pkg.tables.get(table, [])
    if row is None or not 2 <= row < len(rows) + 2:
        return ""
    return printable(next(iter(rows[row - 2].values()), ""))


def schema_problems(data_dir: Path, pkg: Package) -> list[Problem]:
    """Types, required fields, constraints, unique and foreign keys, as frictionless reports them."""
    from frictionless import validate as frictionless_validate  # slow to import; `check` and CI only

    try:
        report = frictionless_validate(str(Path(data_dir) / "datapackage.json"))
    except Exception as e:  # frictionless raises on a descriptor it cannot parse at all
        return [Problem("datapackage.json", None, "", "", f"is not a valid data package: {e}")]
    problems = [Problem("datapackage.json", None, "", "", error.message) for error in report.errors]
    for task in report.tasks:
        file = Path(task.place or f"{task.name}.csv").name
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", "") or ", ".join(getattr(error, "field_names", []) or [])
            field, message = friendly_note(error, field, task.name)
            problems.append(Problem(file, row, record_id(pkg, task.name, row), field, message))
    return problems


def friendly_note(error, field: str, table: str) -> tuple[str, str]:
    """(field, message): frictionless's finding, said so a person knows what to fix; never empty."""
    cell = getattr(error, "cell", None)
    shown = printable(str(cell)) if cell is not None else None
    if error.type in ("unique-error", "primary-key"):
        first = re.search(r"position \"?(\d+)", error.note)
        where = f" (first used in row {first.group(1)})" if first else ""
        value = shown if cell is not None else printable(str(error.cells[0] if error.cells else ""))
        return field, f"{value!r} is used again{where}: ids must be unique"
    if error.type == "foreign-key":
        target = (error.reference_name or table) + ".csv"
        return field, f"{', '.join(repr(printable(str(c))) for c in error.field_cells)} does not exist in {target}"
    if error.type == "constraint-error" and field in URL_FIELDS:
        return field, f"{shown!r} is not an https:// address"
    if error.type == "constraint-error" and "pattern" in error.note and "\\d{4}" in error.note:
        return field, f"{shown!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD"
    if error.type == "constraint-error" and '"required"' in error.note:
        return field, "is required but empty"
    if error.type == "type-error":
        kind = error.note.split('"')[1].split("/")[0] if '"' in error.note else "value"
        return field, f"{shown!r} is not a valid {kind}"
    note = error.note or error.message or error.title
    return field, note if cell is None else f"{shown!r}: {note}"


def scripts_of(word: str) -> list[str]:
    """The scripts, of Latin, Cyrillic and Greek, whose letters a word holds."""
    return [s for s in SCRIPTS if regex.search(rf"\p{{Script={s}}}", word)]


def mixed_script_word(text: str) -> str:
    """The first word of a text that mixes Latin, Cyrillic or Greek letters, or ''."""
    return next((w for w in regex.findall(r"\w+", text) if len(scripts_of(w)) > 1), "")


def num(row: dict[str, str], field: str) -> float | None:
    """A cell as a finite number, or None (the guard reports cells that are not)."""
    try:
        value = float(row.get(field, ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


DATE_TOKEN_HELP = (
    "write a date as {date:YYYY-MM-DD}, {date:YYYY-MM} or {date:YYYY}, or a span as {period:START/END} or "
    "{range:START/END}"
)


def token_problem(token: str) -> str:
    """What is wrong with one {…} in data text, or ''."""
    m = re.fullmatch(r"\{(date|period|range):(\d{4}(?:-\d{2}){0,2})(?:/(\d{4}(?:-\d{2}){0,2}))?\}", token)
    shown = printable(token, 40)
    if m is None:
        return f"{shown!r} is not a date token; {DATE_TOKEN_HELP}"
    kind, start, end = m.groups()
    if kind == "date":
        return "" if not end and parse_dateish(start) else f"{shown!r} does not name one real date; {DATE_TOKEN_HELP}"
    if not end or len(start) != 10 or len(end) != 10 or parse_dateish(start) is None or parse_dateish(end) is None:
        return f"{shown!r} needs two real days, START/END as YYYY-MM-DD; {DATE_TOKEN_HELP}"
    if start > end:
        return f"{shown!r} ends before it starts"
    return ""


def parse_dateish(text: str) -> date | None:
    """A YYYY, YYYY-MM or YYYY-MM-DD string as the first day it can mean, or None if it is no real date."""
    parts = text.split("-")
    try:
        nums = [int(p) for p in parts] + [1] * (3 - len(parts))
        return date(*nums[:3]) if 1 <= len(parts) <= 3 else None
    except ValueError:
        return None


def last_dateish(text: str) -> date | None:
    """The last day a YYYY[-MM[-DD]] string can mean."""
    first = parse_dateish(text)
    if first is None:
        return None
    parts = text.split("-")
    if len(parts) == 3:
        return first
    if len(parts) == 1:
        return date(first.year, 12, 31)
    nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


class Rules:
    """The project's own rules over tables the guard has read."""

    def __init__(self, pkg: Package, reference: Path | None, refused: set | None = None):
        self.pkg, self.reference, self.refused = pkg, reference, refused or set()
        t = pkg.tables
        self.turns = {r["turn_id"]: r for r in t["turns"]}
        self.figures = {r["figure_id"]: r for r in t["figures"]}
        self.sources = {r["source_id"]: r for r in t["sources"]}
        self.events = {r["event_id"]: r for r in t["events"]}
        self.derivations = {r["derived_id"]: r for r in t["derivations"]}
        self.evidence = {r["evidence_id"]: r for r in t.get("evidence", [])}
        self.problems: list[Problem] = []

    def add(self, table: str, n: int | None, record: str, field: str, message: str) -> None:
        self.problems.append(Problem(self.pkg.paths.get(table, f"{table}.csv"), n, printable(record), field, message))

    def run(self) -> list[Problem]:
        self.dates()
        self.names_and_addresses()
        self.interview()
        for n, row in enumerate(self.pkg.tables["figures"], start=2):
            self.figure(n, row)
        for n, row in enumerate(self.pkg.tables["events"], start=2):
            self.event(n, row)
        for n, row in enumerate(self.pkg.tables["derivations"], start=2):
            self.derivation(n, row)
        for n, row in enumerate(self.pkg.tables.get("evidence", []), start=2):
            self.evidence_row(n, row)
        for n, row in enumerate(self.pkg.tables.get("claims", []), start=2):
            self.claim(n, row)
            self.forecast(n, row)
        self.histories()
        self.translations()
        self.date_tokens()
        return self.problems

    def names_and_addresses(self) -> None:
        """No name mixes scripts within a word; every address is a plain https one (addresses.url_problem)."""
        for table, fields in NAME_FIELDS.items():
            for n, row in enumerate(self.pkg.tables.get(table, []), start=2):
                for field in fields:
                    if word := mixed_script_word(row.get(field, "")):
                        self.add(
                            table,
                            n,
                            next(iter(row.values())),
                            field,
                            f"the word {word!r} mixes {' and '.join(scripts_of(word))} letters; type it again in one "
                            "script",
                        )
        for table in ("interview", "sources"):
            for n, row in enumerate(self.pkg.tables.get(table, []), start=2):
                for field in sorted(URL_FIELDS & row.keys()):
                    if row[field] and row[field].startswith("https://") and (problem := url_problem(row[field])):
                        self.add(table, n, next(iter(row.values())), field, f"{printable(row[field], 50)!r} {problem}")

    def date_tokens(self) -> None:
        """Every {…} in our data text is a date token that names a real date or period (quotes are verbatim: not
        read)."""
        verbatim = {"quote", "quote_en", "text", "span", "url", "url_alt"}
        for table, rows in self.pkg.tables.items():
            for n, row in enumerate(rows, start=2):
                for field, value in row.items():
                    if field in verbatim or "{" not in value:
                        continue
                    for m in re.finditer(r"\{[^{}]*\}?", value):
                        message = token_problem(m.group(0))
                        if message:
                            self.add(table, n, next(iter(row.values())), field, message)

    def translated(self, lang: str) -> dict[tuple[str, str, str], str]:
        """(table, record, field) -> its text in a language, from that language's translations resource."""
        name = self.pkg.translation_tables().get(lang)
        return {(r["table"], r["id"], r["field"]): r["text"] for r in self.pkg.tables.get(name, [])} if name else {}

    def translations(self) -> None:
        """Every language of the language list has its translations resource; in each, every translatable field that
        has English text has its row, and each row points at a translatable field with text and translates the English
        it stands beside (an English text changed since it was translated is reported, to be translated again)."""
        marked = self.pkg.translatable()
        english = {
            (table, row[key], f): (n, row[f], row)
            for table, (key, fields) in marked.items()
            for n, row in enumerate(self.pkg.tables[table], start=2)
            for f in sorted(fields)
        }
        found = self.pkg.translation_tables()
        for lang in LANGS:
            if lang == DEFAULT_LANG:
                continue
            name = LANGUAGES[lang].english_name
            resource = found.get(lang)
            if resource is None:
                self.problems.append(
                    Problem(
                        "datapackage.json",
                        None,
                        "",
                        "resources",
                        f"no {name} translations of the data: add a resource translations-{lang.lower()} (marked "
                        f'"kztrade:lang": "{lang}") like translations-ru',
                    )
                )
                continue
            rows = {}
            for n, r in enumerate(self.pkg.tables[resource], start=2):
                where = (r["table"], r["id"], r["field"])
                rows[where] = r
                add = lambda field, msg, n=n, r=r: self.add(  # noqa: E731
                    resource, n, f"{r['table']}/{r['id']}/{r['field']}", field, msg
                )
                if r["table"] not in marked or r["field"] not in marked[r["table"]][1]:
                    add("field", f"{r['table']}.{r['field']} is not a field marked kztrade:translatable")
                elif where not in english:
                    if r["table"] not in self.pkg.partial:  # a row the guard left out is reported there, once
                        add("id", f"{r['table']} has no record {printable(r['id'], 40)!r}: remove this row")
                elif not english[where][1]:
                    add("text", f"translates {r['table']}.{r['field']}, which is empty: remove this row")
                elif r["english"] != english[where][1]:
                    if (self.pkg.paths[r["table"]], english[where][0], r["field"]) not in self.refused:
                        add(
                            "english",
                            f"the English of {r['table']}.{r['field']} has changed since this was translated: "
                            "translate it again and copy the new English here",
                        )
                elif lost := lost_in_translation(r["english"], DEFAULT_LANG, r["text"], lang):
                    add("text", f"does not keep every number and unit of its English: it {lost}")
            for (table, rid, f), (n, text, row) in english.items():
                quoted_as_is = f == "quote_en" and row.get("quote_lang") in (DEFAULT_LANG, lang)
                if text and (table, rid, f) not in rows and not quoted_as_is:
                    self.add(
                        table,
                        n,
                        rid,
                        f,
                        f"has no {name} text: add the row {table},{rid},{f} to "
                        f"{self.pkg.paths.get(resource, resource)}",
                    )

    def dates(self) -> None:
        """Dates of the right shape that are no real day, and periods that end before they start."""
        for table, fields in {
            "interview": ("published",),
            "sources": ("published",),
            "figures": ("stated_on",),
            "events": ("date", "date_end"),
            "evidence": ("stated_on",),
        }.items():
            for n, row in enumerate(self.pkg.tables.get(table, []), start=2):
                for field in fields:
                    value = row.get(field, "")
                    # Only dates the schema's pattern accepts: the guard has reported the others.
                    if value and re.fullmatch(DATE_SHAPE, value) and parse_dateish(value) is None:
                        self.add(table, n, next(iter(row.values())), field, f"{value!r} is not a real date")

    def interview(self) -> None:
        """One interview row; turns by the right speakers that rebuild interview.txt; that file equal to the research
        copy."""
        rows = self.pkg.tables["interview"]
        if len(rows) != 1:
            self.add("interview", None, "", "", f"must hold exactly one row, holds {len(rows)}")
        interviewee = rows[0]["interviewee"] if rows else ""
        expected_role = {"title": "outlet", "lead": "outlet", "question": "interviewer", "answer": "interviewee"}
        for n, row in enumerate(self.pkg.tables["turns"], start=2):
            kind, role = row["kind"], row["role"]
            if kind in expected_role and role != expected_role[kind]:
                self.add(
                    "turns", n, row["turn_id"], "role", f"a {kind} must have role {expected_role[kind]!r}, not {role!r}"
                )
            outlet = rows[0]["outlet"] if rows else ""
            expected_speaker = {"outlet": outlet, "interviewer": outlet, "interviewee": interviewee}.get(role)
            if role != "interviewee" and interviewee and row["speaker"] == interviewee:
                self.add("turns", n, row["turn_id"], "speaker", f"{interviewee} only speaks in answers")
            elif expected_speaker and row["speaker"] != expected_speaker:
                self.add(
                    "turns",
                    n,
                    row["turn_id"],
                    "speaker",
                    f"{printable(row['speaker'], 40)!r} is not the {role}: a {role}'s turn is spoken by "
                    f"{expected_speaker!r}, as the interview row names it",
                )
        if not any(r["kind"] == "title" for r in self.pkg.tables["turns"]):
            self.add("turns", None, "", "kind", "no turn of kind 'title'")
        text_name = "interview-text"
        if text_name not in self.pkg.texts:
            return
        text = self.pkg.texts[text_name]
        self.turns_rebuild(text, self.pkg.paths[text_name])
        ref = Path(self.reference) if self.reference is not None else None
        if ref is not None and ref.is_file() and ref.read_bytes() != text.encode("utf-8"):
            self.add(text_name, None, "", "", f"differs from the research copy {ref}; copy it again without any edit")

    def turns_rebuild(self, text: str, name: str) -> None:
        """Turns whose text differs from interview.txt, named by turn and first differing character."""
        lines = text.split("\n")
        try:
            ordered = sorted(enumerate(self.pkg.tables["turns"], start=2), key=lambda x: int(x[1]["seq"] or 0))
        except ValueError:
            return  # a bad seq is already a guard problem
        covered = 0
        for n, row in ordered:
            try:
                a, b = int(row["line_start"] or 0), int(row["line_end"] or 0)
            except ValueError:
                continue
            expected = "\n".join(lines[a - 1 : b])
            if row["text"] != expected:
                at = next(
                    (i for i, (x, y) in enumerate(zip(row["text"], expected)) if x != y),
                    min(len(row["text"]), len(expected)),
                )
                self.add(
                    "turns",
                    n,
                    row["turn_id"],
                    "text",
                    f"differs from {name} (lines {a}–{b}) at character {at + 1}; copy the text verbatim",
                )
            if a != covered + 1:
                self.add(
                    "turns",
                    n,
                    row["turn_id"],
                    "line_start",
                    f"is {a}, expected {covered + 1}: turns must cover {name} line by line",
                )
            covered = b
        if covered != len(lines):
            self.add("turns", None, "", "line_end", f"turns end at line {covered}, but {name} has {len(lines)} lines")

    def figure(self, n: int, row: dict[str, str]) -> None:
        """One figure: headline spans and attribution; context quotes, bounds, dates and status."""
        fid = row["figure_id"]
        add = lambda field, msg: self.add("figures", n, fid, field, msg)  # noqa: E731
        if (row["period_start"] == "") != (row["period_end"] == ""):
            add(
                "period_end" if row["period_start"] else "period_start",
                "give both ends of the period, or neither (a statement with no period)",
            )
        elif not row["period_start"] and not row["period_label"]:
            add("period_label", "a figure with no period must say so in period_label (for example “period not stated”)")
        elif row["period_start"] and row["period_start"] > row["period_end"]:
            add("period_end", f"{row['period_end']} is before period_start {row['period_start']}")
        if row["kind"] == "headline":
            self.headline(row, add)
        else:
            self.context(row, add)
        if row["converted_value"] and not (row["converted_unit"] and row["converted_by"]):
            add("converted_by", "a converted value must give converted_unit and say who converted it")

    def headline(self, row: dict[str, str], add) -> None:
        """A headline figure sits verbatim in an interviewer's turn, is the outlet's, and agrees with its span."""
        outlet = self.pkg.tables["interview"][0]["outlet"] if self.pkg.tables["interview"] else ""
        turn, span = self.turns.get(row["turn_id"]), row["span"]
        if not row["turn_id"]:
            add("turn_id", "a headline figure must name the turn that states it")
        if not span:
            add("span", "a headline figure must give its text as printed")
        if turn is not None and span and span not in turn["text"]:
            add("span", f"{span!r} does not occur verbatim in turn {row['turn_id']}")
        if turn is not None and turn["role"] != "interviewer":
            add(
                "turn_id",
                f"turn {row['turn_id']} is not a question ({turn['speaker']}, {turn['kind']}); headline figures are "
                "the "
                "interviewer's",
            )
        if outlet and not row["stated_by"].startswith(outlet):
            add(
                "stated_by",
                f"{row['stated_by']!r} must start with {outlet!r}: the headline figures are stated in the "
                "interviewer's "
                "questions",
            )
        if span:
            value = num(row, "value")
            printed = find_value(span, value) if value is not None else None
            numbers = re.findall(r"\d+(?:[.,]\d+)?", span)
            if not numbers:
                add("span", f"{span!r} prints no number")
            elif printed is None and value is not None:
                add(
                    "value",
                    f"{row['value']} does not match its span {span!r}, which prints {numbers[0].replace(',', '.')}",
                )
            unit_words = {"usd_bn": r"\$.*\bbillion\b", "pct": r"%$"}
            if row["unit"] in unit_words and not re.search(unit_words[row["unit"]], span):
                add("unit", f"unit {row['unit']!r} does not match its span {span!r}")
        if row["status"] not in HEADLINE_STATUSES:
            add(
                "status",
                f"a headline figure's status is one of {', '.join(sorted(HEADLINE_STATUSES))}, not {row['status']!r}",
            )
        other = self.figures.get(row["matches"])
        if row["status"] == "matches_report" and not row["matches"]:
            add("matches", "status 'matches_report' must name the figure it matches")
        elif row["status"] != "matches_report" and row["matches"]:
            add("matches", f"names {row['matches']!r} but status is {row['status']!r}")
        elif other is not None:
            if (num(other, "value"), other["unit"]) != (num(row, "value"), row["unit"]):
                add(
                    "matches",
                    f"{row['matches']} says {other['value']} {other['unit']}, not {row['value']} {row['unit']}",
                )
            elif other["kind"] != "context" or other["status"] != "reported":
                add("matches", f"{row['matches']} must be a context figure whose quote was read (status 'reported')")

    def context(self, row: dict[str, str], add) -> None:
        """A context figure: its source, its quote (value and bound in the source's words), dates, who and status."""
        if not row["source_id"]:
            add("source_id", "a context figure must name its source")
        if row["status"] not in CONTEXT_STATUSES:
            add(
                "status",
                f"a context figure's status is one of {', '.join(sorted(CONTEXT_STATUSES))}, not {row['status']!r}",
            )
        self.quote_rules("figures", row, add)
        quote = row["quote"]
        value = num(row, "value")
        if quote and value is not None:
            found = find_value(quote, value, row["quote_lang"])
            if found is None:
                add(
                    "value",
                    f"{row['value']} is not in its quote; copy the number as the source prints it, or fix the value",
                )
            else:
                bound, words = bound_in(quote, found)
                if bound != row["bound"]:
                    said = (
                        f"says “{words}”, which makes it {BOUND_NAMES[bound]}"
                        if words
                        else f"prints it bare, which makes it {BOUND_NAMES[bound]}"
                    )
                    add("bound", f"is {row['bound']!r}, but the quote {said}; set bound to {bound!r}")
            converted = num(row, "converted_value")
            if converted is not None and find_value(quote, converted, row["quote_lang"]) is None:
                add("converted_value", f"{row['converted_value']} is not in its quote")
        own = says_own_data(quote)
        if row["data_basis"] == "own_data" and not own:
            add(
                "data_basis",
                "'own_data' needs a quote that says so (“according to our data”); otherwise use 'not_stated'",
            )
        elif row["data_basis"] != "own_data" and own:
            add("data_basis", f"the quote says “{own}”: set data_basis to 'own_data'")
        self.stated_after_page(row, add)

    def quote_rules(self, table: str, row: dict[str, str], add) -> None:
        """Quote, language, translation and status agree with each other and with the source."""
        quote, lang, status = row["quote"], row["quote_lang"], row.get("status", "")
        verified = {"figures": "reported", "events": "documented", "evidence": ""}[table]
        if table == "evidence" and not quote:
            add("quote", "an evidence row needs the source's sentence, read in a stored copy of its page")
        if quote and status == "quote_not_verified":
            add("status", f"the quote was read: set status to {verified!r}")
        if verified and not quote and status == verified:
            add(
                "quote",
                f"status {verified!r} needs the source's sentence, read in a stored copy; without one, set status to "
                "'quote_not_verified'",
            )
        if quote and not lang:
            add("quote_lang", "give the quote's language")
        if quote and lang and lang != "en" and not row["quote_en"]:
            add("quote_en", f"a quote in {lang!r} needs our English translation")
        if lang == "en" and row["quote_en"]:
            add("quote_en", "an English quote needs no translation; leave it empty")
        source = self.sources.get(row["source_id"])
        if source is not None and quote and lang and lang != source["language"]:
            add("quote_lang", f"is {lang!r}, but its source {row['source_id']} is in {source['language']!r}")
        elif quote and lang and lang != DEFAULT_LANG and row["quote_en"]:
            if lost := lost_in_translation(quote, lang, row["quote_en"], DEFAULT_LANG):
                add("quote_en", f"does not keep every number and unit of the quote: it {lost}")

    def event(self, n: int, row: dict[str, str]) -> None:
        """Documented events need a quoted source published no earlier than the event; claims need their words in their
        turn."""
        eid = row["event_id"]
        add = lambda field, msg: self.add("events", n, eid, field, msg)  # noqa: E731
        if row["status"] in ("documented", "quote_not_verified"):
            if not row["source_id"]:
                add("source_id", "a documented event must name its source")
            self.quote_rules("events", row, add)
            source = self.sources.get(row["source_id"])
            started, published = (
                parse_dateish(row["date"]),
                last_dateish(source["published"]) if source and source["published"] else None,
            )
            if started and published and published < started:
                add(
                    "source_id",
                    f"{row['source_id']} was published {source['published']}, before the event ({row['date']}); "
                    "cite a page that reports it as done",
                )
        if row["status"] == "no_source_found" and not row["nearest_event_id"]:
            add("nearest_event_id", "an unconfirmed claim must name the nearest documented event")
        if row["turn_id"]:
            turn = self.turns.get(row["turn_id"])
            if not row["span"]:
                add("span", "a claim from the interview must give its words as printed")
            elif turn is not None and row["span"] not in turn["text"]:
                add("span", f"{row['span']!r} does not occur verbatim in turn {row['turn_id']}")

    def stated_after_page(self, row: dict[str, str], add) -> None:
        """A statement's date cannot be after the page that reports it was published."""
        source = self.sources.get(row["source_id"])
        if source is not None and row["stated_on"] and source["published"]:
            stated, published = parse_dateish(row["stated_on"]), last_dateish(source["published"])
            if stated and published and stated > published:
                add(
                    "stated_on",
                    f"{row['stated_on']} is after its page was published ({source['published']}); a source line's date "
                    "must come from the page",
                )

    def evidence_row(self, n: int, row: dict[str, str]) -> None:
        """A piece of evidence in words: a verified quote with its key phrase in it, dated no later than its page,
        cited by a claim."""
        eid = row["evidence_id"]
        add = lambda field, msg: self.add("evidence", n, eid, field, msg)  # noqa: E731
        self.quote_rules("evidence", row, add)
        if row["quote"] and row["key_phrase"] and row["key_phrase"] not in row["quote"]:
            add(
                "key_phrase",
                f"{printable(row['key_phrase'], 40)!r} is not in its quote; copy the words from the quote as printed",
            )
        self.stated_after_page(row, add)
        cited = any(eid in c["evidence"].split() for c in self.pkg.tables.get("claims", []))
        if not cited:
            add("evidence_id", "no claim cites this evidence; add its id to a claim's evidence, or remove the row")

    def verified(self, ref: str) -> bool | None:
        """Whether an evidence id points at a source's sentence read in a stored copy; None when it points at
        nothing."""
        if ref in self.evidence:
            return bool(self.evidence[ref]["quote"])
        if ref in self.figures:
            f = self.figures[ref]
            return f["kind"] == "context" and f["status"] == "reported"
        if ref in self.events:
            return self.events[ref]["status"] == "documented"
        if ref in self.derivations:
            d = self.derivations[ref]
            return all(self.verified(i) for i in (d["figure_id"], d["base_id"]) if i)
        return None

    def claim(self, n: int, row: dict[str, str]) -> None:
        """A claim: its words in its turn (and in our translation of it), its claimant from the turn, a verdict from
        the scale,
        and evidence that exists and, for a verdict that needs it, was read in its source."""
        cid = row["claim_id"]
        add = lambda field, msg: self.add("claims", n, cid, field, msg)  # noqa: E731
        turn = self.turns.get(row["turn_id"])
        if turn is not None:
            if row["span"] and row["span"] not in turn["text"]:
                add("span", f"{printable(row['span'], 40)!r} does not occur verbatim in turn {row['turn_id']}")
            elif row["span"] and turn["text"].count(row["span"]) > 1:
                add(
                    "span",
                    f"{printable(row['span'], 40)!r} occurs {turn['text'].count(row['span'])} times in turn "
                    f"{row['turn_id']}: give enough words to mark one place",
                )
            for lang in LANGS[1:]:
                words = self.translated(lang)
                span, text = words.get(("claims", cid, "span"), ""), words.get(("turns", row["turn_id"], "text"), "")
                if span and span not in text:
                    add(
                        "span",
                        f"its {LANGUAGES[lang].english_name} text {printable(span, 40)!r} is not in the turn's "
                        f"(turns/{row['turn_id']}/text in {self.pkg.paths.get(self.pkg.translation_tables()[lang])}); "
                        "copy it from there",
                    )
            if row["claimant"] and row["claimant"] != turn["role"]:
                add(
                    "claimant",
                    f"is {row['claimant']!r}, but turn {row['turn_id']} is the {turn['role']}'s; the claimant comes "
                    "from the turn",
                )
        verdict = VERDICTS.get(row["verdict"])
        if verdict is None:
            add("verdict", f"{printable(row['verdict'], 30)!r} is not on the scale; use one of {', '.join(VERDICTS)}")
        refs = row["evidence"].split()
        found = {ref: self.verified(ref) for ref in refs}
        for ref, ok in found.items():
            if ok is None:
                add(
                    "evidence",
                    f"{printable(ref, 40)!r} points at nothing: no figure, derived number, event or evidence row has "
                    "this id",
                )
        if verdict is not None and verdict.needs_evidence:
            if not refs:
                add(
                    "evidence",
                    f"verdict {row['verdict']!r} needs evidence; cite the figures or evidence rows it rests on",
                )
            elif not any(found.values()):
                add(
                    "evidence",
                    f"verdict {row['verdict']!r} needs at least one piece of evidence whose quote was read in its "
                    "source",
                )
            for ref, ok in found.items():
                if ok is False and ref in self.figures and self.figures[ref]["kind"] == "context":
                    add("evidence", f"{ref} has no quote read in its source; a verdict cannot rest on it")

    def forecast(self, n: int, row: dict[str, str]) -> None:
        """A prediction states its horizon and what is known so far; only a prediction may be judged 'open'."""
        add = lambda field, msg: self.add("claims", n, row["claim_id"], field, msg)  # noqa: E731
        prediction = row["kind"] == "prediction"
        for field in ("horizon", "known_so_far"):
            if prediction and not row.get(field, "").strip():
                add(field, f"a prediction needs its {field}: a forecast is judged against it")
            elif not prediction and row.get(field, "").strip():
                add(field, f"only a prediction has a {field}; leave it empty, or set kind to 'prediction'")
        verdict = VERDICTS.get(row["verdict"])
        if row["verdict"] in CHECKED and not row.get("about", "").strip():
            add("about", "a checked claim needs 'about': what it is about, in our words, for its card to stand alone")
        if verdict is not None and verdict.forecast_only and not prediction:
            add("verdict", f"{row['verdict']!r} judges a forecast; this claim's kind is {row['kind']!r}")

    def histories(self) -> None:
        """Each history entry is dated no later than its claim's check, and a claim's latest entry is its verdict."""
        claims = {r["claim_id"]: (n, r) for n, r in enumerate(self.pkg.tables.get("claims", []), start=2)}
        latest: dict[str, tuple[str, int, dict[str, str]]] = {}
        for n, row in enumerate(self.pkg.tables.get("claim-history", []), start=2):
            add = lambda field, msg, n=n, row=row: self.add(  # noqa: E731
                "claim-history", n, row["history_id"], field, msg
            )
            claim = claims.get(row["claim_id"])
            if row["verdict"] not in VERDICTS:
                add(
                    "verdict",
                    f"{printable(row['verdict'], 30)!r} is not on the scale; use one of {', '.join(VERDICTS)}",
                )
            if claim is None or not row["changed_on"]:
                continue
            if row["changed_on"] > claim[1]["checked_on"]:
                add("changed_on", f"{row['changed_on']} is after the claim's checked_on {claim[1]['checked_on']}")
            if row["claim_id"] in latest and latest[row["claim_id"]][0] == row["changed_on"]:
                add("changed_on", f"{row['claim_id']} already has a verdict dated {row['changed_on']}")
            if row["claim_id"] not in latest or row["changed_on"] > latest[row["claim_id"]][0]:
                latest[row["claim_id"]] = (row["changed_on"], n, row)
        for cid, (n, claim) in claims.items():
            verdict = VERDICTS.get(claim["verdict"])
            if verdict is not None and verdict.key in CHECKED and cid not in latest:
                self.add(
                    "claims",
                    n,
                    cid,
                    "verdict",
                    f"has no history: add a row to {self.pkg.paths.get('claim-history', 'claim_history.csv')} with the "
                    "date and reason of this verdict",
                )
        for cid, (_, n, row) in latest.items():
            if cid in claims and claims[cid][1]["verdict"] in VERDICTS and row["verdict"] != claims[cid][1]["verdict"]:
                self.add(
                    "claim-history",
                    n,
                    row["history_id"],
                    "verdict",
                    f"is {row['verdict']!r}, but {cid}'s verdict is {claims[cid][1]['verdict']!r}: a change of "
                    "verdict is added to the history, with its date and reason",
                )

    def derivation(self, n: int, row: dict[str, str]) -> None:
        """Each method's inputs exist, are exact, have the units it needs, and a base is never zero."""
        did, method = row["derived_id"], row["method"]
        add = lambda field, msg: self.add("derivations", n, did, field, msg)  # noqa: E731
        fig, base = self.figures.get(row["figure_id"]), self.figures.get(row["base_id"])
        for field, f in (("figure_id", fig), ("base_id", base)):
            if (
                f is not None and f["bound"] != "exact" and method != "implied_rate"
            ):  # a rate reads the conversion, not the bound
                add(field, f"{row[field]} is {BOUND_NAMES[f['bound']]}; a derived number needs exact inputs")
            if (
                f is not None and not f["period_start"] and method != "index_from_growth"
            ):  # an index's base is "the same period" by definition
                add(field, f"{row[field]} states no period; a derived number needs one")
        if method == "pct_change":
            if not row["base_id"]:
                add("base_id", "pct_change needs a base figure")
            elif fig is not None and base is not None and fig["unit"] != base["unit"]:
                add("base_id", f"base unit {base['unit']!r} differs from {fig['unit']!r}")
            elif base is not None and (num(base, "value") if num(base, "value") is not None else 1) <= 0:
                add("base_id", f"{row['base_id']} is {base['value']}; a percent change needs a base above zero")
        if method == "index_from_growth" and fig is not None and fig["unit"] != "pct":
            add("figure_id", f"index_from_growth needs a percent figure, not {fig['unit']!r}")
        if method == "implied_rate" and fig is not None:
            if fig["unit"] not in ("rub_trn", "rub_bn") or not fig["converted_value"]:
                add("figure_id", "implied_rate needs a rouble figure with a converted dollar value")
            elif (num(fig, "converted_value") if num(fig, "converted_value") is not None else 1) <= 0:
                add(
                    "figure_id",
                    f"{row['figure_id']}'s converted value is {fig['converted_value']}; it must be above zero",
                )


def rule_problems(pkg: Package, data_dir: Path, reference: Path | None, refused: set | None = None) -> list[Problem]:
    """The project's own rules: spans, attributions, quotes, bounds, references by meaning, dates, derivations.
    `refused` holds the (file, row, field) cells already reported, whose text no rule reads again."""
    return Rules(pkg, reference, refused or set()).run()
