"""Read a data package the way the app loads it, and say what is wrong with file, row and field.

This is the cheap guard the app runs on every cold start (no frictionless import, no full validation).
It reads datapackage.json and exactly the files its resources name, and checks what loading depends on:
each file is a plain, regular file inside the data folder; headers match the schema; every cell has the
schema's type (numbers finite), is present when required, is in its enum and matches its pattern; ids are
unique and references resolve; no cell is huge or holds control characters. `python -m kztrade check` runs
frictionless on top of this. No Streamlit, no plotly.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from pathlib import Path

MAX_FILE_BYTES = 64_000_000  # far above any real package (the data is ~100 kB); a 1000x benchmark copy is ~20 MB
MAX_CELL_CHARS = 16_384  # 16 Ki characters: ten times our longest cell (a turn), small enough to stop a pasted file
# The csv module's limit is process-wide and frictionless raises it; set it once, to more than any cell we
# accept, so that reading never depends on what ran before.
csv.field_size_limit(4 * MAX_CELL_CHARS)
# C0 and C1 control characters, except the newline that multi-line text (an interview turn, a field the schema marks
# "kztrade:multiline") may hold.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Characters that change how text reads without being seen: bidirectional controls (U+202E can show "71" as
# "17") and zero-width characters that can hide inside a number or a word. No data cell may hold one; a
# right-to-left quote needs none of them (its letters carry their own direction).
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u180e]")


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


@dataclass
class Package:
    """What the guard read: the descriptor, every table's rows (as strings) and the text resources."""

    descriptor: dict
    tables: dict[str, list[dict[str, str]]]
    texts: dict[str, str]
    paths: dict[str, str]
    keys_ok: bool = True  # False when an id is used twice or a reference points nowhere
    unreadable: set[str] = dc_field(default_factory=set)  # tables whose rows could not be read (a broken header)
    partial: set[str] = dc_field(default_factory=set)  # tables with a row left out (its cells did not fit the header)

    def schema(self, name: str) -> dict:
        """The Table Schema of one resource."""
        return next(r for r in self.descriptor["resources"] if r["name"] == name).get("schema", {})

    def translation_tables(self) -> dict[str, str]:
        """language -> the resource holding the data's text in it (the resources marked "kztrade:lang")."""
        return {
            r["kztrade:lang"]: r["name"]
            for r in self.descriptor["resources"]
            if isinstance(r.get("kztrade:lang"), str) and r["name"] in self.tables
        }

    def translatable(self) -> dict[str, tuple[str, set[str]]]:
        """table -> (its key field, the fields the schema marks "kztrade:translatable")."""
        out = {}
        for r in self.descriptor["resources"]:
            fields = r.get("schema", {}).get("fields", [])
            marked = {f["name"] for f in fields if f.get("kztrade:translatable")}
            if marked and r["name"] in self.tables:
                out[r["name"]] = (fields[0]["name"], marked)
        return out


def shown_folder(data_dir: Path) -> str:
    """A data folder as a message may show it to anyone: relative to the project, or its name alone; never the
    server's absolute path."""
    from . import PROJECT_DIR

    try:
        return str(Path(data_dir).resolve().relative_to(PROJECT_DIR)) + "/"
    except ValueError:
        return Path(data_dir).name + "/"


def read_package(data_dir: Path) -> tuple[Package | None, list[Problem]]:
    """The package in data_dir, and every problem found reading it; None if the descriptor is unusable."""
    data_dir = Path(data_dir)
    descriptor_path = data_dir / "datapackage.json"
    raw, problem = read_file(data_dir, "datapackage.json")
    if problem:
        message = (
            f"not found in {shown_folder(data_dir)}; point --data at the folder that holds it"
            if problem == "missing"
            else problem
        )
        return None, [Problem("datapackage.json", None, "", "", message)]
    try:
        descriptor = json.loads(raw.decode("utf-8-sig"))
        resources = descriptor["resources"]
        assert isinstance(resources, list) and all(isinstance(r, dict) and r.get("name") for r in resources)
    except (ValueError, KeyError, TypeError, AssertionError) as e:
        return None, [
            Problem(
                "datapackage.json",
                None,
                "",
                "",
                f"cannot be read as a data package ({type(e).__name__}); "
                f"restore it from the repository ({descriptor_path.name})",
            )
        ]
    pkg = Package(descriptor, {}, {}, {})
    problems: list[Problem] = []
    for res in resources:
        name, path = res["name"], res.get("path")
        if not isinstance(path, str) or not is_plain_name(path):
            problems.append(
                Problem(
                    "datapackage.json",
                    None,
                    name,
                    "path",
                    f"{path!r} must be a plain file name inside the data folder (no folders, no '..')",
                )
            )
            continue
        pkg.paths[name] = path
        raw, problem = read_file(data_dir, path)
        if problem:
            problems.append(
                Problem(
                    path, None, "", "", "not found; restore it from the repository" if problem == "missing" else problem
                )
            )
            continue
        try:
            text = raw.decode("utf-8-sig")  # Excel saves CSV with a byte-order mark; accept it
        except UnicodeDecodeError as e:
            problems.append(Problem(path, None, "", "", f"is not UTF-8 (byte {e.start}); save it as UTF-8"))
            continue
        if res.get("type") == "table" or "schema" in res:
            rows, table_problems = read_table(path, text, res.get("schema", {}), name)
            pkg.tables[name] = rows
            problems += table_problems
            if any(p.row in (None, 1) for p in table_problems):
                pkg.unreadable.add(name)
            if any(p.row and p.row > 1 and not p.field for p in table_problems):
                pkg.partial.add(name)
        else:
            pkg.texts[name] = text
    keys = key_problems(pkg)
    pkg.keys_ok = not keys
    return pkg, problems + keys


def content_stamp(data_dir: Path) -> str:
    """A digest of every file's name and bytes in the data folder: it changes with any edit, even one of the same
    size with its modification time put back. About 0.2 ms for this package; a link is stamped by its target's name."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        with os.scandir(data_dir) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                digest.update(e.name.encode("utf-8", "surrogateescape") + b"\0")
                if e.is_symlink():
                    digest.update(b"link:" + os.readlink(e.path).encode("utf-8", "surrogateescape"))
                elif e.is_file(follow_symlinks=False):
                    with open(e.path, "rb") as f:
                        digest.update(hashlib.file_digest(f, "blake2b").digest())
                digest.update(b"\0")
    except OSError:
        return ""
    return digest.hexdigest()


def is_plain_name(path: str) -> bool:
    """True for a file name with no folder part, no '..' and nothing hidden."""
    return bool(re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", path)) and ".." not in path


def read_file(data_dir: Path, name: str) -> tuple[bytes, str]:
    """A regular file's bytes inside data_dir, never through a symlink; ('', reason) if it can't be read."""
    path = data_dir / name
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return b"", "missing"
    except OSError as e:
        if path.is_symlink():
            return b"", "is a symbolic link; replace it with the file itself"
        return b"", f"cannot be opened ({e.strerror})"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return b"", "is not a regular file"
        if st.st_size > MAX_FILE_BYTES:
            return b"", f"is {st.st_size:,} bytes, over the {MAX_FILE_BYTES:,} a data file may hold"
        with os.fdopen(fd, "rb") as f:
            fd = -1
            return f.read(MAX_FILE_BYTES + 1), ""
    finally:
        if fd >= 0:
            os.close(fd)


def read_table(path: str, text: str, schema: dict, name: str) -> tuple[list[dict[str, str]], list[Problem]]:
    """A CSV's rows as strings, and its problems against its Table Schema."""
    fields = schema.get("fields", [])
    names = [f.get("name", "") for f in fields]
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        body = list(reader)
    except csv.Error as e:
        return [], [Problem(path, None, "", "", f"is not valid CSV ({e})")]
    problems = []
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in names]
        for n in missing:
            problems.append(Problem(path, 1, "", n, "column is missing from the header row"))
        for h in extra:
            problems.append(Problem(path, 1, "", printable(h), "column is not in the schema in datapackage.json"))
        if not missing and not extra:
            problems.append(
                Problem(path, 1, "", "", f"columns are out of order; the schema's order is: {', '.join(names)}")
            )
        return [], problems
    rows = []
    for n, cells in enumerate(body, start=2):
        if len(cells) != len(names):
            problems.append(
                Problem(path, n, cells[0] if cells else "", "", f"has {len(cells)} cells, the header has {len(names)}")
            )
            continue
        row = dict(zip(names, cells))
        rows.append(row)
        for f in fields:
            msg = cell_problem(row[f["name"]], f, bool(f.get("kztrade:multiline")))
            if msg:
                problems.append(Problem(path, n, printable(cells[0]), f["name"], msg))
    return rows, problems


def printable(text: str, limit: int = 60) -> str:
    """Text safe to print in a problem line: control characters shown as escapes, long text cut."""
    shown = INVISIBLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def cell_problem(value: str, field: dict, multiline: bool) -> str:
    """What is wrong with one cell against its field's type and constraints, or ''."""
    c = field.get("constraints", {})
    if len(value) > MAX_CELL_CHARS:
        return f"holds {len(value):,} characters, over the {MAX_CELL_CHARS:,} a cell may hold"
    bad = CONTROL.search(value) or (not multiline and re.search(r"[\n\r]", value))
    if bad:
        return f"holds a control character ({repr(bad.group(0))[1:-1]}) at position {bad.start() + 1}; remove it"
    hidden = INVISIBLE.search(value)
    if hidden:
        return (
            f"holds an invisible character (U+{ord(hidden.group(0)):04X} "
            f"{unicodedata.name(hidden.group(0), 'format character')}) "
            f"at position {hidden.start() + 1}, which can make the text read differently from what it holds; remove it"
        )
    if value == "":
        return "is required but empty" if c.get("required") else ""
    kind = field.get("type", "string")
    try:
        if kind == "number":
            number = float(value)
            if not math.isfinite(number):
                return f"{printable(value)!r} is not a finite number"
        elif kind == "integer":
            int(value)
        elif kind == "date":
            date.fromisoformat(value)
    except ValueError:
        return f"{printable(value)!r} is not a valid {kind}" + (" (write it YYYY-MM-DD)" if kind == "date" else "")
    if "enum" in c and value not in c["enum"]:
        return f"{printable(value)!r} is not one of: {', '.join(c['enum'])}"
    if "pattern" in c and not re.fullmatch(c["pattern"], value):
        if "\\d{4}" in c["pattern"]:
            return f"{printable(value)!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD"
        if "https" in c["pattern"]:
            return f"{printable(value)!r} is not an https:// address"
        return f"{printable(value)!r} does not match the pattern {c['pattern']}"
    if kind in ("number", "integer") and "minimum" in c and float(value) < c["minimum"]:
        return f"{value} is below the minimum {c['minimum']}"
    return ""


def key_problems(pkg: Package) -> list[Problem]:
    """Unique fields and primary keys used twice, and foreign keys that point nowhere."""
    problems = []
    for res in pkg.descriptor["resources"]:
        name = res["name"]
        if name not in pkg.tables or name in pkg.unreadable:
            continue
        rows, path, schema = pkg.tables[name], pkg.paths[name], res.get("schema", {})
        unique = [(f["name"],) for f in schema.get("fields", []) if f.get("constraints", {}).get("unique")]
        key = tuple(schema.get("primaryKey", []))  # one field, or several that are unique together
        for fields in dict.fromkeys(unique + ([key] if key else [])):
            seen: dict[tuple[str, ...], int] = {}
            for n, row in enumerate(rows, start=2):
                v = tuple(row.get(f, "") for f in fields)
                shown = printable("/".join(v))
                if all(v) and v in seen:
                    problems.append(
                        Problem(
                            path,
                            n,
                            shown,
                            ", ".join(fields),
                            f"{shown!r} is used again (first used in row {seen[v]}): ids must be unique",
                        )
                    )
                seen.setdefault(v, n)
        for fk in schema.get("foreignKeys", []):
            (field,), target = fk["fields"], fk["reference"]
            ref_name = target.get("resource") or name
            if ref_name not in pkg.tables or ref_name in pkg.unreadable:
                continue
            (ref_field,) = target["fields"]
            known = {r.get(ref_field, "") for r in pkg.tables[ref_name]}
            ref_path = pkg.paths.get(ref_name, f"{ref_name}.csv")
            for n, row in enumerate(rows, start=2):
                v = row.get(field, "")
                if v and v not in known:
                    problems.append(
                        Problem(
                            path,
                            n,
                            printable(next(iter(row.values()), "")),
                            field,
                            f"{printable(v)!r} does not exist in {ref_path}",
                        )
                    )
    return problems
