"""Property tests: hostile cells in copies of data/ never make check, the loader, the charts or the page raise,
never reach a chart or the page as markup, and never give the CSV a cell that starts a formula on any line."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kztrade import DATA_DIR
from kztrade.charts import CHARTS, build_chart, compose
from kztrade.check import check_data
from kztrade.i18n import Tr
from kztrade.load import InvalidData, load_dataset
from kztrade.statements import Words
from kztrade.table import figures_table, neutralise, safe_csv
from kztrade.ui.blocks import md

FORMULA = ("=", "+", "-", "@", "\t", "|", "%")
PIECES = st.sampled_from(
    [
        "=cmd|' /C calc'!A0",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=2",
        "\n@x",
        "\r\n+3",
        "|pipe",
        "%0A",
        "<a href='https://evil.example'>x</a>",
        "<b>bold</b>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "&amp;",
        "&",
        "[link](https://evil.example)",
        "**bold**",
        "_it_",
        ":red[now]",
        "$x^2$",
        "`code`",
        "# head",
        "> quote",
        "www.evil.example",
        "me@evil.example",
        "https://evil.example/x",
        "%{x}",
        "{0}",
        "\x00",
        "\x1b[31m",
        "\u2028",
        "\u202e",
        "\ufeff",
        "NaN",
        "INF",
        "-inf",
        "1e400",
        "0",
        "17.2",
        "’",
        "Ω",
        "中文",
    ]
)
HOSTILE = st.lists(st.one_of(PIECES, st.text(max_size=12)), min_size=1, max_size=6).map("".join)
TABLES = {
    "sources": ["outlet", "about", "url_alt", "published"],
    "figures": ["label", "stated_by", "description", "status_note", "value", "quote"],
    "events": ["short_label", "actor", "description"],
    "interview": ["outlet", "interviewee"],
    "derivations": ["label", "note"],
}
TARGET = st.sampled_from([(t, f) for t, fields in TABLES.items() for f in fields])
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def hostile_copy(root: Path, table: str, field: str, value: str, row: int, bom: bool, huge: bool) -> Path:
    """A copy of data/ with one cell set to a hostile value (written as a spreadsheet would: quoted)."""
    data = root / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(DATA_DIR, data)
    path = data / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row % len(rows)][field] = value + ("x" * 140_000 if huge else "")
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n", quoting=csv.QUOTE_ALL)
    w.writeheader()
    w.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))
    return data


def no_formula_on_any_line(cell: str) -> bool:
    return not any(line.startswith(FORMULA) for line in re.split(r"\r\n|\r|\n", cell))


@pytest.mark.slow
@SETTINGS
@given(target=TARGET, value=HOSTILE, row=st.integers(0, 40), bom=st.booleans(), huge=st.booleans())
def test_hostile_cells_never_break_check_loading_charts_or_the_csv(tmp_path_factory, target, value, row, bom, huge):
    table, field = target
    data = hostile_copy(tmp_path_factory.mktemp("h"), table, field, value, row, bom, huge)
    problems = check_data(data, None, full=False)  # never raises
    assert all(str(p) and not str(p).endswith(": ") for p in problems)
    try:
        ds = load_dataset(data, None)
    except InvalidData as e:
        assert e.problems == problems
        return
    assert problems == []
    # Accepted text is drawn as text: no markup from data in any chart, on screen or in the image.
    for chart_id in CHARTS:
        c = build_chart(ds, chart_id)
        text = c.figure.to_json() + compose(c).to_json()
        for tag in ("<a ", "<b>bold", "<script", "<img"):
            assert tag not in text, (chart_id, tag)
    # And the CSV never starts a cell's line with a formula.
    rows = figures_table(ds, Words(ds, Tr()))
    parsed = list(csv.reader(io.StringIO(safe_csv(rows).decode("utf-8-sig"), newline="")))
    assert all(
        no_formula_on_any_line(cell) or re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", cell) for r in parsed for cell in r
    )


@settings(max_examples=300, deadline=None)
@given(value=HOSTILE)
def test_neutralised_text_starts_no_formula_on_any_line(value):
    assert no_formula_on_any_line(neutralise(value))


@settings(max_examples=300, deadline=None)
@given(value=HOSTILE)
def test_markdown_from_data_has_no_live_punctuation_and_no_autolink(value):
    out = md(value)
    # Every ASCII punctuation character is escaped, so markdown sees no syntax in data.
    unescaped = re.sub(r"\\[!-/:-@\[-`{-~]", "", out)
    assert not re.search(r"[!-/:-@\[-`{-~]", unescaped.replace("  \n", "\n")), out
    # GFM's autolink patterns find nothing once escapes are undone.
    shown = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", out)
    assert not re.search(r"(?i)https?://|www\.|[-.\w+]+@[-\w]+\.", shown), shown


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(target=TARGET, value=HOSTILE)
def test_the_page_never_raises_and_never_renders_data_as_markup(tmp_path_factory, monkeypatch, target, value):
    from streamlit.testing.v1 import AppTest

    table, field = target
    data = hostile_copy(tmp_path_factory.mktemp("p"), table, field, value, 3, False, False)
    monkeypatch.setenv("KZTRADE_DATA_DIR", str(data))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.query_params["view"] = "turnover"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("could not be drawn" in e.value for e in at.error)
    text = "\n".join(m.value for m in [*at.markdown, *at.caption])
    assert "[link](https://evil.example)" not in text and "<script>" not in text and "**bold**" not in text
