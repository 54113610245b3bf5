"""Chart builders: the values drawn, their units, and the source line inside each figure."""

from __future__ import annotations

import ast
import re

import pytest

from kztrade import PROJECT_DIR
from kztrade.cards import all_cards, excerpt
from kztrade.charts import CHARTS, COLOURS, build_chart
from kztrade.figures import load_dataset


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def source_text(fig) -> str:
    return next(a.text for a in fig.layout.annotations if a.name == "source")


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_every_chart_carries_title_subtitle_and_source(ds, chart_id):
    fig = build_chart(ds, chart_id).figure
    assert fig.layout.title.text.startswith("<b>")
    assert fig.layout.title.subtitle.text
    assert source_text(fig).startswith("Source: ")
    # An explicit template and colours: Streamlit's placeholder colours (#000001...) would print black in a PNG.
    assert fig.layout.template.layout.colorway == tuple(COLOURS.values())
    assert "#00000" not in fig.to_json()


def test_turnover_ytd_values_units_and_changes(ds):
    c = build_chart(ds, "turnover_ytd")
    fig = c.figure
    assert [t.y[0] for t in fig.data] == [17, 18.9, 17.2]
    assert [t.name for t in fig.data] == ["Kazakh statistics", "Russian statistics", "News.Az question (statistics not stated)"]
    assert [t.marker.color for t in fig.data] == [COLOURS["KZ"], COLOURS["RU"], COLOURS["interview"]]
    assert fig.layout.yaxis.title.text == "US$ billion"
    changes = next(a.text for a in fig.layout.annotations if a.name == "changes")
    assert "+1.2 % on the Kazakh base" in changes and "−9.0 % on the Russian base" in changes
    assert "whether its 17.2 is Kazakh or Russian" in fig.layout.title.subtitle.text.replace("<br>", " ")
    src = source_text(fig).replace("<br>", " ")
    assert "News.Az interview, question 3" in src and "Trend, 9 Nov 2023" in src and "TASS, 8 Nov 2023" in src
    assert "Spanov" not in src


def test_turnover_series_keeps_sides_apart_and_bounds_as_bounds(ds):
    fig = build_chart(ds, "turnover_series").figure
    by_series = {}
    for t in fig.data:
        by_series.setdefault(t.name, []).extend(zip(t.x, t.y, t.marker.symbol, t.error_y.array, [t.xaxis] * len(t.x)))
    ru = {(x.replace("<br>", " "), y): (sym, err, ax) for x, y, sym, err, ax in by_series["Russian statistics"]}
    kz = {(x.replace("<br>", " "), y) for x, y, *_ in by_series["Kazakh statistics"]}
    assert kz == {("2021", 24.5), ("2022", 26.1), ("Jan–Aug 2023", 17)}
    # Lower bounds ("over 28", "over 20") are triangles with a line upward; exact values are circles with none.
    assert ru[("2023", 28)][:1] == ("triangle-up",) and ru[("2023", 28)][1] > 0
    assert ru[("Jan–Sep 2024", 20)][:1] == ("triangle-up",) and ru[("Jan–Sep 2024", 20)][1] > 0
    assert ru[("2022", 28.2)][:2] == ("circle", 0)
    # Part-year periods are in the second panel, whole years in the first.
    assert ru[("Jan–Aug 2023", 18.9)][2] == "x2" and ru[("2022", 28.2)][2] == "x"
    names = [t.name for t in fig.data]
    assert not any("average" in n.lower() for n in names)


def test_containers_growth_and_index(ds):
    fig = build_chart(ds, "containers_growth").figure
    bars = {t.name: list(t.x) for t in fig.data}
    assert bars["News.Az question: 2024 (“this year”)"] == [63, 65]
    assert bars["Intergovernmental commission: Jan–Sep 2024 vs Jan–Sep 2023"] == [63, 65]
    assert bars["KTZ, Kazakh railway: Jan–Nov 2023 vs Jan–Nov 2022"] == [69, 49]
    idx = build_chart(ds, "containers_index").figure
    assert [list(t.y) for t in idx.data] == [[100, 100], [163, 165]]
    assert idx.data[0].name == "Jan–Sep 2023 = 100 (the base)"
    assert "index = 100 + % growth" in source_text(idx).replace("<br>", " ")


def test_brics_timeline_shows_the_claim_with_its_status(ds):
    fig = build_chart(ds, "brics_timeline").figure
    ticks = list(fig.layout.yaxis.categoryarray)
    assert len(ticks) == 5 and any(t.startswith("<b>Aug 2024</b>") for t in ticks)
    notes = [a.text for a in fig.layout.annotations]
    assert "<b>No source found</b><br>nearest: 24 Aug 2023" in notes
    open_markers = [t for t in fig.data if t.mode == "markers" and t.marker.symbol == "circle-open"]
    assert len(open_markers) == 1 and open_markers[0].marker.line.color == COLOURS["RU"]


def test_every_chart_has_a_text_alternative_naming_its_values(ds):
    alts = {cid: build_chart(ds, cid).alt for cid in CHARTS}
    assert "17.2 US$ billion" in alts["turnover_ytd"] and "change −9.0 %" in alts["turnover_ytd"]
    assert "over 28 US$ billion" in alts["turnover_series"]
    assert "163" in alts["containers_index"] and "165" in alts["containers_index"]
    assert "no source found; nearest 24 Aug 2023" in alts["brics_timeline"]


def test_quote_cards_quote_the_question_verbatim_and_attribute_it_to_news_az(ds):
    cards = {c.chart_id: c for c in all_cards(ds)}
    assert set(cards) == {"kz_ru_turnover_2024_jan_aug-card", "containers_ru_cn_via_kz_growth-card", "containers_cn_eu_cn_growth-card"}
    card = cards["kz_ru_turnover_2024_jan_aug-card"].figure
    text = next(a.text for a in card.layout.annotations if a.name == "excerpt")
    assert "<b>$17.2\u00a0billion</b>" in text
    assert "These are News.Az's words, not Magbat Spanov's." in text
    assert card.layout.title.text == "<b>US$17.2 billion: Kazakhstan–Russia trade turnover, Jan–Aug 2024</b>"
    q3 = ds.turn("q3").text
    assert excerpt(q3, "63%") in q3 and excerpt(q3, "63%").startswith("Container transportation volumes")


def code_constants(path):
    """Every constant in a module's code, docstrings excluded (comments never reach the AST)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in docstrings]


def test_no_figure_is_a_literal_in_code(ds):
    values = {f.value for f in ds.figures.values()}
    texts = {f"{v:g}" for v in values if "." in f"{v:g}" or v >= 100}
    hits = []
    for path in [*PROJECT_DIR.glob("kztrade/*.py"), PROJECT_DIR / "app.py"]:
        for const in code_constants(path):
            # Small integers (17, 20, 63) are also pixel sizes; decimals and values of 100 or more are not.
            if isinstance(const, (int, float)) and not isinstance(const, bool) and const in values and (const != int(const) or const >= 100):
                hits.append((path.name, const))
            if isinstance(const, str) and any(re.search(rf"(?<![\w.]){re.escape(t)}(?![\w.])", const) for t in texts):
                hits.append((path.name, const))
    assert hits == []


def test_literal_scan_would_catch_a_figure(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""Docstring 17.2 is fine."""\nTITLE = "Trade of 17.2 billion"\nBASE = 18.9\n', encoding="utf-8")
    assert code_constants(bad) == ["Trade of 17.2 billion", 18.9]
