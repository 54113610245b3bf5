"""The figures table and its CSV: every figure with its source's words, and nothing a spreadsheet would run."""

import csv
import io

import pytest

from kztrade.i18n import Tr
from kztrade.load import load_dataset
from kztrade.statements import Words
from kztrade.table import COLUMNS, figures_table, neutralise, safe_csv


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "|calc", "%0A", " =x", "\uff1dx"]
)
def test_neutralise_every_formula_start(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["plain", "17.2", "", "−9.0 %", "a=b", " x = 1"])
def test_leave_harmless_text_alone(cell):
    assert neutralise(cell) == cell


def test_neutralise_every_line_of_a_cell():
    """A CR or LF inside a cell starts a new line in a spreadsheet: each line is neutralised, not only the first."""
    assert neutralise("Trade turnover\r=cmd|' /C calc'!A0") == "Trade turnover\r'=cmd|' /C calc'!A0"
    assert neutralise("a\n@SUM(A1)\r\n+1") == "a\n'@SUM(A1)\r\n'+1"
    assert neutralise("x\x00y\x1b") == "x y "  # other control characters become spaces
    assert neutralise(-9.0) == -9.0 and neutralise(17) == 17


def test_safe_csv_quotes_text_keeps_numbers_and_never_starts_a_line_with_a_formula():
    rows = [{"label": "Trade\r=cmd", "value": -1.5}, {"label": "@x", "value": 2.0}, {"label": "ok", "value": 3}]
    text = safe_csv(rows, ["label", "value"]).decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed == [["label", "value"], ["Trade\r'=cmd", "-1.5"], ["'@x", "2.0"], ["ok", "3"]]
    # Read naively, line by line, as a spreadsheet that ignores quoting would: no line opens with a formula.
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        assert not line.lstrip('"').startswith(("=", "+", "@", "|")), line


def test_table_has_every_figure_with_its_words_status_and_derived_range():
    ds = load_dataset()
    w = Words(ds, Tr())
    rows = {r["id"]: r for r in figures_table(ds, w)}
    assert len(rows) == len(ds.figures) + len(ds.derived)
    head = rows["kz_ru_turnover_2024_jan_aug"]
    assert (head["kind"], head["value"], head["status"], head["who"]) == (
        "headline",
        17.2,
        "No other source found",
        "News.Az's question",
    )
    assert head["source"] == "News.Az interview, question 3 (Oct 2024)" and head["quote"] == "$17.2 billion"
    ru = rows["ru_turnover_2024_jan_sep"]
    assert ru["value_as_printed"] == "over US$20 billion" and ru["bound"] == "lower_bound"
    assert "exceeded $20 billion" in ru["quote"] and ru["address"] == "https://en.vestikavkaza.ru/material/171966"
    kz24 = rows["kz_turnover_2024"]
    assert kz24["quote_lang"] == "ru" and kz24["quote_translation"].startswith("By the results of 2024")
    derived = rows["turnover_change_vs_kz_base"]
    assert derived["value_as_printed"] == "−2.0% to +4.5% (roughly flat)" and (derived["low"], derived["high"]) == (
        -2.0,
        4.55,
    )
    assert derived["how_derived"].startswith("(17.2 ÷ 17 − 1) × 100, reading 17.2 as 17.15 to 17.25")
    assert all(r["address"].startswith("https://") for r in rows.values() if r["kind"] != "derived")
    text = safe_csv(list(rows.values())).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header == COLUMNS and "quote" in header and "low" in header
