"""The figures table and its CSV: every figure with its source, and nothing a spreadsheet would run."""

import csv
import io

import pandas as pd

from kztrade.figures import load_dataset
from kztrade.table import figures_table, neutralise, safe_csv


def test_neutralise_every_formula_start():
    for cell in ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]:
        assert neutralise(cell) == "'" + cell
    for cell in ["plain", "17.2", "", "−9.0 %", " =x"]:
        assert neutralise(cell) == cell
    assert neutralise(-9.0) == -9.0 and neutralise(17) == 17


def test_safe_csv_neutralises_text_but_keeps_numbers():
    df = pd.DataFrame({"=label": ["=1+2", "@x", "ok"], "value": [-1.5, 2.0, 3.0]})
    rows = list(csv.reader(io.StringIO(safe_csv(df).decode("utf-8-sig"))))
    assert rows == [["'=label", "value"], ["'=1+2", "-1.5"], ["'@x", "2.0"], ["ok", "3.0"]]


def test_table_has_every_figure_with_source_side_and_status():
    ds = load_dataset()
    t = figures_table(ds)
    assert len(t) == len(ds.figures) + len(ds.derived)
    head = t.set_index("id").loc["kz_ru_turnover_2024_jan_aug"]
    assert (head.kind, head.value, head.status, head.side) == ("headline", 17.2, "No independent source found", "Statistics not stated")
    assert head.source == "News.Az interview, question 3 (October 2024): “$17.2 billion”"
    lower = t.set_index("id").loc["ru_turnover_2023"]
    assert (lower.bound, lower.address) == ("lower_bound", "https://en.vestikavkaza.ru/material/171966")
    derived = t.set_index("id").loc["turnover_change_vs_ru_base"]
    assert derived.kind == "derived" and derived.derived_from == "kz_ru_turnover_2024_jan_aug ; ru_turnover_2023_jan_aug"
    assert derived.value == -8.99
    assert t[t.kind != "derived"].address.str.startswith("https://").all()
