"""What we publish is safe to paste (issue 36): script-safe JSON-LD, addresses and names that cannot be spoofed, spans
that mark one place, CSV cells a spreadsheet cannot run. Each case failed on the code before its fix."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from kztrade.addresses import base_url_problem, refused_settings, url_problem
from kztrade.check import check_data
from kztrade.claimreview import dumps, reviews
from kztrade.load import load_dataset
from kztrade.safejson import script_safe_json
from kztrade.table import neutralise, safe_csv

from .conftest import ROOT, edit_cell, edit_translation

HOSTILE = "</script><script>alert(document.domain)</script><!-- &"  # the guard refuses U+2028 in data cells


def test_script_safe_json_has_no_markup_and_parses_to_the_same_values():
    obj = {"a": HOSTILE + "\u2028", "b": ["<", ">", "&", "\u2029"], "c": 1}
    text = script_safe_json(obj)
    assert not any(ch in text for ch in "<>&\u2028\u2029")
    assert json.loads(text) == obj
    assert "\\u003c/script\\u003e" in text


# Every text field of claims, evidence, the interview and sources that a review or its page can carry, but the words
# quoted verbatim (a span, a quote), whose every edit check refuses.
TEXT_CELLS = [
    ("claims", "a3_grow", "verdict_note"),
    ("claims", "a3_grow", "horizon"),
    ("claims", "a3_grow", "known_so_far"),
    ("interview", "newsaz_spanov_2024", "interviewee_affiliation"),
    ("interview", "newsaz_spanov_2024", "date_reason"),
    ("interview", "newsaz_spanov_2024", "published_label"),
    ("interview", "newsaz_spanov_2024", "completeness_note"),
    ("sources", "vestnik_171966", "outlet"),
    ("sources", "vestnik_171966", "about"),
    ("evidence", "ev_border_tokayev_2022", "note"),
    ("evidence", "ev_border_tokayev_2022", "stated_by"),
]


def test_the_page_never_builds_a_review_on_an_http_origin():
    from kztrade.ui.claims import review_base

    assert review_base("http://127.0.0.1:8501/") == "https://kztrade.example.org/"
    assert review_base("https://kztrade.example.org/app/") == "https://kztrade.example.org/app/"


@pytest.mark.parametrize("table, key, field", TEXT_CELLS)
def test_markup_in_any_text_field_stays_inert_in_every_review(data_copy, monkeypatch, table, key, field):
    edit_cell(data_copy, table, key, field, f"Before {HOSTILE} after")
    edit_translation(data_copy, "ru", table, key, field, f"До {HOSTILE} после")
    monkeypatch.setenv("KZTRADE_PUBLISHER", f"Fact{HOSTILE}")
    ds = load_dataset(data_copy, None)
    text = dumps(reviews(ds, "https://kztrade.example.org/", f"Fact{HOSTILE}"))
    assert "<" not in text and ">" not in text and "&" not in text
    assert HOSTILE in json.dumps(json.loads(text), ensure_ascii=False) or table == "evidence"  # the same values


def test_the_exported_jsonld_files_are_script_safe(data_copy, tmp_path, monkeypatch):
    edit_cell(data_copy, "claims", "a3_grow", "verdict_note", f"Note {HOSTILE}")
    edit_translation(data_copy, "ru", "claims", "a3_grow", "verdict_note", f"Заметка {HOSTILE}")
    out = tmp_path / "out"
    env = {"KZTRADE_PUBLISHER": f"Fact{HOSTILE}", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kztrade",
            "export",
            "--data",
            str(data_copy),
            "--out",
            str(out),
            "--claimreview",
            "--base-url",
            "https://kztrade.example.org/",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, **env},
    )
    assert proc.returncode == 0, proc.stderr
    files = list(out.rglob("*.jsonld"))
    assert files
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert "<" not in text and "&" not in text, f
        json.loads(text)


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://news.az@evil.example/x", "user"),
        ('https://news.az/"><script>', "holds"),
        ("https://news.az/a b", "holds"),
        ("http://news.az/", "https"),
        ("https://news.az:99999/", "port"),
        ("https://news.az:0/", "port 0"),
        ("https:///nohost", "host"),
    ],
)
def test_one_validator_refuses_every_spoofed_or_broken_address(url, problem):
    assert problem in url_problem(url)
    assert url_problem("https://news.az/news/-why-is-kazakhstan-rethinking-its-plans-to-join-brics") == ""


@pytest.mark.parametrize(
    "url, problem",
    [("https://h.example/a/../b/", ".."), ("https://h.example/?x=1", "query"), ("https://h.example/#x", "fragment")],
)
def test_a_base_address_with_a_query_fragment_or_dots_is_refused_not_rewritten(url, problem, tmp_path):
    assert problem in base_url_problem(url)
    proc = subprocess.run(
        [sys.executable, "-m", "kztrade", "export", "--out", str(tmp_path / "o"), "--claimreview", "--base-url", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and problem in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_refused_public_url_is_named_in_one_line_and_not_used(monkeypatch):
    from kztrade.routes import public_base

    monkeypatch.setenv("KZTRADE_PUBLIC_URL", "https://kztrade.example.org@evil.example/")
    lines = refused_settings()
    assert len(lines) == 1 and lines[0].startswith("KZTRADE_PUBLIC_URL") and "user" in lines[0]
    assert (
        public_base("https://kztrade.example.org@evil.example/", "https://reader.example/", "")
        == "https://reader.example/"
    )
    monkeypatch.setenv("KZTRADE_PUBLIC_URL", "https://kztrade.example.org/")
    assert refused_settings() == []


@pytest.mark.parametrize(
    "table, key, field, value, expected",
    [
        ("sources", "vestnik_171966", "url", "https://news.az@evil.example/x", "names a user before its host"),
        ("interview", "newsaz_spanov_2024", "url", 'https://news.az/"><script>x', "holds '\"'"),
        ("turns", "a1", "speaker", "M\u0430gbat Spanov", "mixes Latin and Cyrillic"),
        ("interview", "newsaz_spanov_2024", "interviewee", "M\u0430gbat Sp\u0430nov", "mixes Latin and Cyrillic"),
        ("figures", "kz_turnover_2021", "stated_by", "Kassym-Jomart Tok\u0430yev", "mixes Latin and Cyrillic"),
        ("turns", "q1", "speaker", "Tural Heybatov", "is not the interviewer"),
    ],
)
def test_check_refuses_spoofed_names_addresses_and_speakers(data_copy, table, key, field, value, expected):
    edit_cell(data_copy, table, key, field, value)
    problems = [str(p) for p in check_data(data_copy, None, full=False)]
    assert any(expected in p and field in p for p in problems), problems


def test_a_claim_span_that_occurs_twice_in_its_turn_is_refused(data_copy):
    ds = load_dataset(data_copy, None)
    text = ds.turn("a3").text
    assert text.count("Russia") > 1
    edit_cell(data_copy, "claims", "a3_grow", "span", "Russia")
    problems = [str(p) for p in check_data(data_copy, None, full=False)]
    assert any("a3_grow" in p and "occurs" in p and "times in turn a3" in p for p in problems), problems


def test_a_missing_data_folder_is_named_without_the_servers_path(tmp_path):
    problems = [str(p) for p in check_data(tmp_path / "nowhere", None, full=False)]
    assert problems and str(tmp_path) not in problems[0] and "nowhere/" in problems[0]


@pytest.mark.parametrize(
    "cell", [' =HYPERLINK("https://evil.example")', "\uff1dHYPERLINK(1)", "  +1+1", "\u3000@SUM(1)"]
)
def test_a_formula_behind_spaces_or_in_fullwidth_is_neutralised(cell):
    out = io.StringIO()
    csv.writer(out).writerow([neutralise(cell)])
    assert next(csv.reader(io.StringIO(out.getvalue())))[0].startswith("'")


FORMULAS = [
    "=1+1",
    " =1+1",
    "\uff1d1+1",
    "\u00a0=1+1",
    "\t=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1;1)",
    "a\n=1+1",
    '=HYPERLINK("https://evil.example";"x")',
]


def spreadsheet_cells(csv_bytes: bytes, tmp_path) -> list[str]:
    """Each cell as Debian's LibreOffice Calc reads and evaluates it (headless), written back out as plain text."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    src = tmp_path / "in.csv"
    src.write_bytes(csv_bytes)
    profile = (tmp_path / "profile").as_uri()  # its own profile: parallel workers never share one
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--infilter=CSV:44,34,76,1",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path / "out"), str(src)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "in.csv").read_text(encoding="utf-8-sig"), newline="")))
    return [row[0] for row in rows[1:]]


@pytest.mark.slow
def test_no_neutralised_cell_is_evaluated_by_a_real_spreadsheet(tmp_path):
    """LibreOffice 7.4 evaluates only a bare leading '=' or sign among these; we neutralise the spaced and fullwidth
    forms too, for spreadsheets that trim a cell before reading it. The control row proves the spreadsheet evaluates."""
    raw = spreadsheet_cells(("v\r\n" + "\r\n".join(['"=1+1"', '"=2*3"'])).encode("utf-8"), tmp_path / "raw")
    assert raw == ["2", "6"]  # the control: a bare formula is run
    cells = spreadsheet_cells(safe_csv([{"v": f} for f in FORMULAS], ["v"]), tmp_path / "safe")
    assert cells == [neutralise(f) for f in FORMULAS]
    assert all(c.startswith("'") or "\n'" in c for c in cells)


@pytest.fixture(scope="module")
def browser():
    from .browser import launched_browser

    yield from launched_browser()


def test_every_review_pasted_into_a_host_page_runs_no_script_and_parses(browser, data_copy, monkeypatch):
    """As schema.org asks: each review inside <script type="application/ld+json"> on a publisher's page, with markup
    in its note, its interview address and its publisher. No dialog opens, and every block parses to the review."""
    edit_cell(data_copy, "claims", "a3_grow", "verdict_note", f"Note {HOSTILE}")
    edit_translation(data_copy, "ru", "claims", "a3_grow", "verdict_note", f"Заметка {HOSTILE}")
    ds = load_dataset(data_copy, None)
    written = reviews(ds, "https://kztrade.example.org/", f"Fact{HOSTILE}")
    blocks = "\n".join(f'<script type="application/ld+json">{dumps(r)}</script>' for r in written.values())
    host = f"<!doctype html><html><head><title>Host</title>{blocks}</head><body><p>Article</p></body></html>"
    ctx = browser.new_context()
    page = ctx.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_content(host)
    parsed = page.evaluate(
        "() => [...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
        ".map(s => JSON.parse(s.textContent))"
    )
    ctx.close()
    assert dialogs == []
    assert parsed == list(written.values())
    assert any(HOSTILE in r["reviewBody"] for r in parsed) and parsed[0]["author"]["name"] == f"Fact{HOSTILE}"


def test_a_citation_never_carries_a_local_servers_address():
    """Opened locally, the dashboard's 'Cite this' once gave readers http://127.0.0.1:…: a local address is left out."""
    from kztrade.addresses import is_loopback

    from .test_app import page_text, run_app

    assert is_loopback("http://127.0.0.1:57745/") and is_loopback("http://localhost:8501/x")
    assert not is_loopback("https://kztrade-fact-check.streamlit.app/")
    at = run_app({"view": "data", "lang": "en"})
    text = page_text(at) + " ".join(c.value for c in at.code)
    assert "127.0.0.1" not in text and "localhost" not in text and "?view=overview&lang=en, accessed" not in text
    assert "data package. Accessed " in text  # the citation, without an address a reader could not use
