"""Shared fixtures: a writable copy of data/ to break on purpose."""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from kztrade import DATA_DIR, PROJECT_DIR, REFERENCE_INTERVIEW

ROOT = PROJECT_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may mutate."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest)
    return dest


@pytest.fixture(scope="session")
def reference() -> Path:
    """The research copy of the interview. CI lays shared/ beside the clone, so there it must exist;
    a clone elsewhere has only data/interview.txt, and the comparison with the research copy is skipped."""
    if not REFERENCE_INTERVIEW.is_file():
        assert not os.environ.get("CI"), f"CI must have the research copy at {REFERENCE_INTERVIEW}"
        pytest.skip(f"no research copy beside this clone ({REFERENCE_INTERVIEW})")
    return REFERENCE_INTERVIEW


NAV_LINK = re.compile(r'<a href="\?([^"]+)"( aria-current="page" class="kz-current")?>([^<>]*)</a>')


def nav_links(at) -> list[tuple[str, str, str, bool]]:
    """The views' navigation as an AppTest page renders it, read from its markup: (view, lang, name, shown) per
    link, in order."""
    body = next(h.proto.body for h in at.get("html") if 'class="kz-views"' in h.proto.body)
    links = []
    for query, current, name in NAV_LINK.findall(body):
        q = parse_qs(html.unescape(query))
        links.append((q["view"][0], q["lang"][0], html.unescape(name), bool(current)))
    return links


def shown_view(at) -> str:
    """The view the navigation marks as shown (aria-current): exactly one."""
    (view,) = [v for v, _lang, _name, shown in nav_links(at) if shown]
    return view


def unfolded(at):
    """An AppTest page with every folded expander opened (each opens on a rerun), as a reader who opens them all
    sees it."""
    keys = [k for k in at.session_state.keys() if str(k).startswith("fold-")]
    assert keys, "no folded expander on this page"
    for k in keys:
        at.session_state[k] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def edit_cell(data_dir: Path, table: str, key: str, field: str, value: str, retranslated: bool = True) -> None:
    """Set one cell of data_dir/table.csv, found by the row's first-column id.

    An English cell's translations follow it (their `english` is set to the new text), as a translator's would: a
    test of another rule then sees that rule's problem alone. retranslated=False leaves them, as an editor who
    forgets them does (check reports each as out of date)."""
    write_cell(data_dir, table, key, field, value)
    from kztrade.guard import CONTROL, MAX_CELL_CHARS

    if not retranslated or table.startswith("translations-") or CONTROL.search(value) or len(value) > MAX_CELL_CHARS:
        return  # a value the guard refuses is reported once, where it was written
    for path in data_dir.glob("translations-*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        hit = [r for r in rows if (r["table"], r["id"], r["field"]) == (table, key, field)]
        if hit:
            hit[0]["english"] = value
            write_rows(path, rows)


def edit_translation(data_dir: Path, lang: str, table: str, key: str, field: str, text: str | None) -> None:
    """Set (or, with None, remove) one data translation in data_dir/translations-<lang>.csv."""
    path = data_dir / f"translations-{lang}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    hit = [r for r in rows if (r["table"], r["id"], r["field"]) == (table, key, field)]
    if text is None:
        rows = [r for r in rows if r not in hit]
    elif hit:
        hit[0]["text"] = text
    else:
        with open(data_dir / f"{table}.csv", encoding="utf-8", newline="") as f:
            src = list(csv.DictReader(f))
        english = next((r.get(field, "") for r in src if next(iter(r.values())) == key), "(no such record)")
        rows.append(dict(table=table, id=key, field=field, english=english, text=text))
    write_rows(path, rows)


def translate_copies(data_dir: Path, table: str, copied: dict[str, str]) -> None:
    """Give each copied record (new id -> the id it copies) the translations of the record it copies."""
    for path in data_dir.glob("translations-*.csv"):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        by_record: dict[str, list[dict]] = {}
        for r in rows:
            if r["table"] == table:
                by_record.setdefault(r["id"], []).append(r)
        rows += [dict(r, id=new) for new, old in copied.items() for r in by_record.get(old, [])]
        write_rows(path, rows)


def write_rows(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writeheader()
        w.writerows(rows)


def write_cell(data_dir: Path, table: str, key: str, field: str, value: str) -> None:
    """Set one cell, and nothing else."""
    path = data_dir / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fieldnames = list(rows[0])
    hits = [r for r in rows if r[fieldnames[0]] == key]
    assert len(hits) == 1, f"no single row {key!r} in {path}"
    hits[0][field] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        # Every field quoted: a value holding a line break or a carriage return stays one cell, as a spreadsheet writes
        # it.
        w = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n", quoting=csv.QUOTE_ALL)
        w.writeheader()
        w.writerows(rows)


BROWSER_FIXTURES = {"browser", "server", "page"}
BROWSER_MODULES = {"test_e2e", "test_faults", "test_concurrency", "test_pseudo"}


def pytest_collection_modifyitems(items) -> None:
    """Mark every test that needs a browser, so the developer loop (`make test-fast`) can leave them out."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module in BROWSER_MODULES or BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
