"""Chart builders: the values drawn, who they are credited to, bounds, escaping, and the words around each chart."""

from __future__ import annotations

import ast
import html
import re

import pytest

from kztrade import PROJECT_DIR
from kztrade.cards import CARD_SIZES, MIN_FONT, all_cards, excerpt, quote_card
from kztrade.charts import CHARTS, COLOURS, STATUS_COLOURS, build_chart, compose
from kztrade.i18n import LANGS, Tr
from kztrade.load import load_dataset

from .conftest import edit_cell
from .plotted import bar_points, font_sizes, texts


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def spaced(text: str) -> str:
    """Babel sets thin spaces around the dash of a period ('Jan\u2009–\u2009Aug'); compare with plain ones."""
    return text.replace("\u2009", " ").replace("\u00a0", " ").replace("\u202f", " ")


def bars(fig) -> list[tuple[str, float]]:
    """(label above the bar, value) for every bar, top to bottom."""
    labels = [re.sub(r"</?b>", "", t.replace("<br>", " ")) for _p, _y, t in texts(fig, "label")]
    values = [b["x"] for b in sorted(bar_points(fig), key=lambda b: (b["panel"], b["y"]))]
    assert len(labels) == len(values)
    return [(spaced(html.unescape(lab)), v) for lab, v in zip(labels, values)]


def notes(fig, name: str) -> list[str]:
    """The plain words of every text drawn under a name (a bar chart's headings and notes, a timeline's annotations),
    top to bottom."""
    return [spaced(html.unescape(re.sub(r"<[^>]+>", "", t.replace("<br>", " ")))) for _p, _y, t in texts(fig, name)]


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_is_valid_plotly(ds, lang):
    """Charts are handed to plotly unvalidated (charts.unvalidated, for a fresh server's first chart): here every chart,
    in every language, goes through plotly's validation, and comes out the same figure. A misspelt property or a
    wrong value type fails here, named by plotly."""
    import plotly.graph_objects as go

    tr = Tr(lang, ds.translations.get(lang, {}))
    for chart_id in CHARTS:
        fig = build_chart(ds, chart_id, tr).figure
        checked = go.Figure(fig.to_plotly_json())  # raises ValueError on any property plotly does not know
        assert checked.to_plotly_json() == fig.to_plotly_json(), chart_id


def test_validation_would_catch_a_misspelt_property():
    import plotly.graph_objects as go

    from kztrade.charts import unvalidated

    fig = unvalidated(data=[dict(type="bar", x=[1], y=[1], markr=dict(color="red"))], layout=dict(height=100))
    with pytest.raises(ValueError, match="markr"):
        go.Figure(fig.to_plotly_json())


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_every_chart_has_its_words_and_draws_them_into_the_png(ds, chart_id):
    c = build_chart(ds, chart_id)
    assert (
        c.title
        and c.subtitle
        and c.source.startswith(("Source: ", "Sources: "))
        and c.credit.startswith("Chart: kztrade")
    )
    composed = compose(c)
    drawn = " ".join(
        html.unescape(re.sub(r"<[^>]+>", "", a.text.replace("<br>", " ")))
        for a in composed.layout.annotations
        if a.name in ("title", "subtitle", "source")
    )
    for text in c.texts():  # the same strings on screen (page text) and in the image
        assert " ".join(text.split()) in " ".join(drawn.replace("\u2019", "'").split()), text  # the image typesets ’
    # An explicit template and colours: Streamlit's placeholder colours (#000001...) would print black in a PNG.
    assert c.figure.layout.template.layout.colorway == tuple(COLOURS.values())
    assert "#00000" not in c.figure.to_json()
    # Nothing in the plot is smaller than 12 px, and no text sits outside the plot's own words.
    assert min(font_sizes(c.figure)) >= 12
    assert c.figure.layout.showlegend is False and not c.figure.layout.title.text


def test_turnover_ytd_shows_the_same_months_every_year_and_marks_the_interview(ds):
    fig = build_chart(ds, "turnover_ytd").figure
    # Jan–Aug 2023 from two Kazakh officials (Tokayev on a dated page, Zhumangarin on an undated one, at the same
    # forum): the dates cannot tell the two 17s apart, so each bar says whose words it is
    assert bars(fig) == [
        ("Kazakh officials", 14.7),
        ("Kazakh officials (Kassym-Jomart Tokayev)", 17.0),
        ("Kazakh officials (Serik Zhumangarin)", 17.0),
        ("Russian officials", 18.9),
        ("News.Az’s question", 17.2),
        ("An outlet’s figure, no source named", 17.0),
    ]
    groups = notes(fig, "group")
    assert groups == ["Jan – Aug 2021", "Jan – Aug 2023", "Jan – Aug 2024", "Jan – Aug 2025"]
    highlighted = [b for b in bar_points(fig) if b["line_width"] == 2]
    assert [b["x"] for b in highlighted] == [17.2] and highlighted[0]["colour"] == COLOURS["interview"]
    assert [re.sub("</?b>", "", b["text"]) for b in highlighted] == ["17.2"]  # its value, bold, at the bar's end
    derived = " ".join(notes(fig, "note"))
    assert "−2.0% to +4.5% (roughly flat) on the Jan – Aug 2023 figure of Kazakh officials" in derived
    assert "−9.5% to −8.5% on the Jan – Aug 2023 figure of Russian officials" in derived
    assert "does not say whose figures its 17.2 uses" in spaced(build_chart(ds, "turnover_ytd").subtitle)


def test_turnover_series_keeps_each_statement_and_each_side_apart(ds):
    c = build_chart(ds, "turnover_series")
    fig = c.figure
    assert notes(fig, "section") == ["Whole years", "Part-years, from the start of the year"]
    plotted = {f for f in c.shown if f in ds.figures}
    usd_with_period = {f.figure_id for f in ds.context("turnover") if f.unit == "usd_bn" and f.has_period} | {
        "kz_ru_turnover_2024_jan_aug"
    }
    assert plotted == usd_with_period  # roubles and statements with no period keep their own place, off the chart
    # the like-for-like changes, listed beside it
    assert [i for i in c.shown if i not in ds.figures] == [
        "turnover_change_jan_nov_kz",
        "turnover_change_jan_nov_kz_2023",
        "turnover_change_full_year_tokayev",
    ]
    assert len(bar_points(fig)) == len(plotted)
    rows = bars(fig)
    assert ("Russian officials", 28.2) in rows
    # one year, several numbers: 2022 as Nurtleu gave it in April 2023 and as Tokayev gave it in November 2023
    assert ("Kazakh officials, “according to our data”, 11 Apr 2023", 26.1) in rows and (
        "Kazakh officials, 9 Nov 2023",
        27.0,
    ) in rows
    assert not any("average" in label.lower() for label, _v in rows)
    # Lower bounds are open-ended (a triangle at the bar's end); approximations are hatched.
    ends = sorted(x for t in fig.data if t.type == "scatter" and t.marker.symbol == "triangle-right" for x in t.x)
    assert ends == [17.0, 20.0, 27.0]
    # an open end's value sits past its arrowhead, not at the bar's end under it
    assert sorted(t for _p, _y, t in texts(fig, "open ends")) == ["over 17", "over 20", "over 27"]
    assert not [b for b in bar_points(fig) if b["x"] in ends and b["text"].startswith("over")]
    hatched = [b["x"] for b in bar_points(fig) if b["pattern"] == "/"]
    # Putin's "almost 28.5" for 2023 (Trend's "nearly 28.5" that day is his figure, not a second bar), 1lurer.am's
    # "about 28" for 2024
    assert hatched == [28.5, 28.0]


def test_containers_keep_the_railways_earlier_period_apart(ds):
    fig = build_chart(ds, "containers_growth").figure
    assert notes(fig, "section") == [
        "Jan – Sept 2024 against the same months of 2023",
        "Earlier: Jan – Nov 2023, railway data",
    ]
    assert bars(fig) == [
        ("News.Az’s question (“this year”)", 63.0),
        ("Kazakh government’s report, Jan – Sept 2024", 63.0),
        ("News.Az’s question (“this year”)", 65.0),
        ("Kazakh government’s report, Jan – Sept 2024", 65.0),
        ("KTZ railway, against the same months of 2022", 69.0),
        ("KTZ railway, against the same months of 2022", 49.0),
    ]
    idx = build_chart(ds, "containers_index").figure
    assert [v for _l, v in bars(idx)] == [100, 163, 100, 165]
    assert "index = 100 + growth in %" in build_chart(ds, "containers_index").source


def test_brics_timeline_reads_top_to_bottom_with_the_claims_status(ds):
    c = build_chart(ds, "brics_timeline")
    fig = c.figure
    dates = notes(fig, "date")
    assert dates == ["9 Aug 2023", "24 Aug 2023", "Aug 2024", "16 Oct 2024", "22 – 24 Oct 2024", "Oct 2024"]
    claim = [t for t in fig.data if t.marker.symbol == "diamond-open"]
    assert len(claim) == 1 and claim[0].marker.color == STATUS_COLOURS["no_source_found"]
    assert STATUS_COLOURS["no_source_found"] not in COLOURS.values()
    assert any("No source found; nearest: 24 Aug 2023" in t for t in notes(fig, "text"))
    bracket = [s for s in fig.layout.shapes if s.line.dash == "dot"]
    assert len(bracket) == 1 and bracket[0].x0 == bracket[0].x1  # vertical: it joins two rows, it is no trend line
    assert "TASS, 24 Oct 2024" in c.source and "News.Az, 22 Oct" not in c.source


def test_brics_timeline_is_drawn_to_scale_in_time_and_labels_the_gap_in_months(ds):
    from datetime import date

    from kztrade.charts import BREAK_DAYS, BREAK_PX, MARK_CLEAR, PX_PER_DAY

    fig = build_chart(ds, "brics_timeline").figure
    marks = {t.marker.symbol: t.y[0] for t in fig.data}  # circle: the last event drawn; diamond: the claim
    dots = sorted(t.y[0] for t in fig.data if t.marker.symbol == "circle")
    first, johannesburg = dots[0], dots[1]
    assert johannesburg - first == pytest.approx((date(2023, 8, 24) - date(2023, 8, 9)).days * PX_PER_DAY)
    # the claim's month is a band, its mark at mid-month; the eleven empty months before it are cut to BREAK_PX, and
    # the cut is marked on the axis (two slashes), so the year's gap is said in words, not left as blank space
    assert (date(2024, 8, 1) - date(2023, 8, 24)).days > BREAK_DAYS
    claim_mid = johannesburg + BREAK_PX + 30 * PX_PER_DAY / 2
    assert marks["diamond-open"] == pytest.approx(claim_mid)
    assert len([s for s in fig.layout.shapes if s.name == "break"]) == 2
    assert notes(fig, "gap") == ["12 months between the nearest dated statement we found and the claimed announcement"]
    assert notes(fig, "year") == []  # 1 Jan 2024 falls in the cut: each mark's own date says the year
    # no mark covers another: the interview's square (a month only) sits clear of 16 Oct and 22-24 Oct
    ys = sorted(t.y[0] for t in fig.data)
    assert all(b - a >= MARK_CLEAR - 1 for a, b in zip(ys, ys[1:])), ys
    ru = build_chart(ds, "brics_timeline", Tr("ru", ds.translations["ru"])).figure
    assert notes(ru, "gap")[0].startswith("12 месяцев")


def test_data_text_is_never_markup_in_a_chart(data_copy):
    hostile = '<a href="https://evil.example">Trend</a> & <b>bold</b>'
    edit_cell(data_copy, "sources", "trend_3823078", "outlet", hostile)
    edit_cell(
        data_copy, "figures", "kz_turnover_2023_jan_aug", "stated_by", "<img src=x onerror=alert(document.domain)>"
    )
    ds = load_dataset(data_copy, None)
    for chart_id in CHARTS:
        c = build_chart(ds, chart_id)
        text = c.figure.to_json() + compose(c).to_json()
        assert "<a href" not in text and "<img" not in text and "<b>bold" not in text, chart_id
    c = build_chart(ds, "turnover_ytd")
    text = c.figure.to_json()  # the outlet in a tooltip, the speaker (by surname) in a bar label: both escaped
    assert "&lt;a href" in text and "onerror=alert(document.domain)&gt;" in text and "<img" not in text


def test_every_chart_has_a_text_alternative_naming_its_values(ds):
    alts = {cid: build_chart(ds, cid).alt for cid in CHARTS}
    assert "US$17.2 billion" in alts["turnover_ytd"] and "−9.5% to −8.5%" in alts["turnover_ytd"]
    assert "over US$27 billion" in alts["turnover_series"] and "about US$28.5 billion" in alts["turnover_series"]
    assert "163" in alts["containers_index"] and "165" in alts["containers_index"]
    assert "no source found; nearest 24 Aug 2023" in alts["brics_timeline"]


def test_quote_cards_quote_the_question_and_mark_their_own_figure(ds):
    cards = {c.chart_id: c for c in all_cards(ds)}
    assert set(cards) == {
        "kz_ru_turnover_2024_jan_aug-card",
        "containers_ru_cn_via_kz_growth-card",
        "containers_cn_eu_cn_growth-card",
    }
    card = cards["kz_ru_turnover_2024_jan_aug-card"].figure
    text = next(a.text for a in card.layout.annotations if a.name == "excerpt")
    assert "<b>$17.2\u00a0billion</b>" in text
    attribution = next(a.text for a in card.layout.annotations if a.name == "attribution")
    assert "News.Az’s words, in a question, not Magbat Spanov’s." in html.unescape(attribution.replace("<br>", " "))
    q3 = ds.turn("q3").text
    assert excerpt(q3, "63%") in q3 and excerpt(q3, "63%").startswith("Container transportation volumes")
    # Each container card marks its own rate and mutes the other.
    for fid, own in (("containers_ru_cn_via_kz_growth", 63.0), ("containers_cn_eu_cn_growth", 65.0)):
        fig = quote_card(ds, fid).figure
        marked = {b["x"] for b in bar_points(fig) if b["line_width"] == 2}
        muted = {b["x"] for b in bar_points(fig) if b["colour"] == "#DADDE1"}
        assert marked == {own} and own not in muted and muted
    # The status colour is never a series colour.
    for c in cards.values():
        status = next(a for a in c.figure.layout.annotations if a.name == "status")
        assert status.font.color not in COLOURS.values()


@pytest.mark.parametrize("size", list(CARD_SIZES))
def test_cards_are_sized_for_feeds_and_read_at_500_px(ds, size):
    for card in all_cards(ds, Tr(), size):
        fig = card.figure
        assert (fig.layout.width, fig.layout.height) == (CARD_SIZES[size].width, CARD_SIZES[size].height)
        smallest = min(a.font.size for a in fig.layout.annotations if a.text)
        assert smallest >= MIN_FONT and smallest * 500 / fig.layout.width >= 10


def code_constants(path):
    """Every constant in a module's code, docstrings excluded (comments never reach the AST)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in docstrings]


def test_no_figure_is_a_literal_in_code(ds):
    values = {f.value for f in ds.figures.values()}
    texts = {f"{v:g}" for v in values if "." in f"{v:g}" or v >= 100}
    hits = []
    for path in [*PROJECT_DIR.glob("kztrade/**/*.py"), PROJECT_DIR / "app.py"]:
        for const in code_constants(path):
            # Small integers (17, 20, 63) are also pixel sizes; decimals and values of 100 or more are not.
            if (
                isinstance(const, (int, float))
                and not isinstance(const, bool)
                and const in values
                and (const != int(const) or const >= 100)
            ):
                hits.append((path.name, const))
            if isinstance(const, str) and any(re.search(rf"(?<![\w.]){re.escape(t)}(?![\w.])", const) for t in texts):
                hits.append((path.name, const))
    assert hits == []


def test_literal_scan_would_catch_a_figure(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""Docstring 17.2 is fine."""\nTITLE = "Trade of 17.2 billion"\nBASE = 18.9\n', encoding="utf-8")
    assert code_constants(bad) == ["Trade of 17.2 billion", 18.9]


def test_containers_draw_each_period_in_a_panel_of_its_own(ds):
    """The 2024 rates and KTZ's Jan–Nov 2023 rates are set apart: two panels, each with its axis, on one scale."""
    fig = build_chart(ds, "containers_growth").figure
    assert {b["xaxis"] for b in bar_points(fig)} == {"x", "x2"}
    top, bottom = fig.layout.yaxis.domain, fig.layout.yaxis2.domain
    assert bottom[1] < top[0]  # stacked, apart
    assert fig.layout.xaxis2.anchor == "y2" and fig.layout.xaxis.anchor == "y"
    by_axis = {ax: [b["x"] for b in bar_points(fig) if b["xaxis"] == ax] for ax in ("x", "x2")}
    assert by_axis == {"x": [63.0, 63.0, 65.0, 65.0], "x2": [69.0, 49.0]}
    # one scale: both panels run to the chart's largest bar, so +65 % is drawn shorter than +69 %
    assert fig.layout.xaxis.range[1] == pytest.approx(69 * 1.02) == fig.layout.xaxis2.range[1]


def test_each_chart_breaks_its_lines_for_a_phone(ds):
    """Plotly never wraps: every line of a chart's labels, notes and timeline text is broken where a 360 px phone, the
    PNG and an embed need it (the page draws this one chart at every width), and a long label does wrap."""
    from kztrade.charts import LABEL_CHARS, NOTE_CHARS, TIMELINE_CHARS

    limit = max(LABEL_CHARS, NOTE_CHARS, TIMELINE_CHARS)
    wrapped = 0
    for chart_id in CHARTS:
        fig = build_chart(ds, chart_id).figure
        drawn = [t for name in ("label", "note", "text") for _p, _y, t in texts(fig, name)]
        lines = [line for t in drawn for line in re.sub(r"</?(b|i|span[^>]*)>", "", t).split("<br>")]
        assert lines, chart_id
        assert max(map(len, lines)) <= limit, (chart_id, max(lines, key=len))
        wrapped += sum("<br>" in t for _p, _y, t in texts(fig, "label"))
    assert wrapped >= 3  # the long labels (a source's words, the timeline's events) are on more than one line


def all_strings(node) -> list[str]:
    """Every string in a figure's JSON (titles, labels, hovers, notes), markup stripped."""
    if isinstance(node, str):
        return [re.sub(r"<[^>]+>", " ", node)]
    if isinstance(node, dict):
        node = list(node.values())
    if isinstance(node, list | tuple):
        return [s for v in node for s in all_strings(v)]
    return []


# A full stop inside a sentence: after a word or number, before "=" or a lower-case word ("the same period of 2023. =
# 100"). Russian abbreviations ("2023 г. = 100", "авг. 2024") end in a point by rule, so only a number before it counts.
MID_SENTENCE_STOP = {"en": re.compile(r"\w\.\s+[=a-z]"), "ru": re.compile(r"\d\.\s+[=а-яё]")}


@pytest.mark.parametrize("lang", LANGS)
def test_no_chart_puts_a_full_stop_inside_a_sentence(ds, lang):
    """The class of "the same period of 2023. = 100": a period or base phrase made a sentence, then set mid-sentence."""
    for chart_id in CHARTS:
        for text in all_strings(compose(build_chart(ds, chart_id, Tr(lang))).to_plotly_json()):
            assert not MID_SENTENCE_STOP[lang].search(text), (chart_id, text)
    base = ds.figures["containers_ru_cn_via_kz_growth"].comparison_base
    assert f"({base} = 100)" in spaced(build_chart(ds, "containers_index", Tr("en")).title)


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_panels_of_one_unit_are_drawn_to_one_scale(ds, chart_id):
    """+65 % (Jan–Sep 2024) and +69 % (Jan–Nov 2023) sit in two panels; a bar's length must still be its value, so
    every panel's x axis has the same range and width."""
    layout = build_chart(ds, chart_id, Tr("en")).figure.to_plotly_json()["layout"]
    axes = [v for k, v in layout.items() if re.fullmatch(r"xaxis\d*", k) and "range" in v]
    assert len({tuple(a["range"]) for a in axes}) <= 1, chart_id
    assert len({tuple(a.get("domain", (0, 1))) for a in axes}) <= 1, chart_id
    if chart_id == "containers_growth":
        points = bar_points(build_chart(ds, chart_id, Tr("en")).figure)
        assert len({b["panel"] for b in points}) >= 2  # still one panel per period
        longest = max(points, key=lambda b: b["x"])
        assert longest["x"] == max(f.value for f in ds.figures.values() if f.topic == "containers" and f.unit == "pct")


@pytest.mark.parametrize("lang", LANGS)
def test_a_bars_tooltip_is_short_enough_for_a_phone_and_keeps_its_period_whole(ds, lang):
    """A tooltip of 5-8 lines covered the next bars' labels on a 390 px phone: at most 4 lines of 40 characters, the
    value with its period on one line, the period never broken, and an outlet never named twice."""
    tr = Tr(lang, ds.translations.get(lang, {}))
    from kztrade.statements import Words

    w = Words(ds, tr)
    for chart_id in CHARTS:
        if chart_id == "brics_timeline":  # its words sit beside each mark; the tooltip adds the whole description
            continue
        chart = build_chart(ds, chart_id, tr)
        for trace in chart.figure.data:
            for tip in trace.customdata if trace.customdata is not None else ():
                if isinstance(tip, str):
                    assert tip.count("<br>") + 1 <= 4, (chart_id, tip)
        for fid in (i for i in chart.shown if i in ds.figures):
            lines = w.hover_lines(ds.figures[fid])
            f = ds.figures[fid]
            period = w.period(f) if f.period_label else w.period(f).replace(" ", "\u00a0")  # dates: on one line
            assert period in lines[0]
            assert len(lines) <= 2 and lines[-1].endswith(w.cite(ds.figures[fid]))  # what and when; who and where


def card_rows_of(card) -> list[str]:
    """A quote card's chart rows, by their value texts."""
    return [a.text for a in card.figure.layout.annotations if a.name == "row_value"]


@pytest.mark.parametrize("lang", LANGS)
def test_a_quote_card_in_another_language_carries_our_translation(ds, lang):
    """A Russian reader of a quote card reads the question's words in Russian too: our translation of the claim that
    states the figure, labelled as ours, under the verbatim English; an English card has none."""
    tr = Tr(lang, ds.translations.get(lang, {}))
    for f in ds.headline():
        for size in CARD_SIZES:
            card = quote_card(ds, f.figure_id, tr, size)
            texts = {a.name: a.text for a in card.figure.layout.annotations}
            claim = ds.claim_stating(f)
            if lang == "en":
                assert "translation" not in texts
            elif size == "landscape" and "translation" not in texts:  # left out only to keep every row of the chart
                assert len(card_rows_of(card)) == len(card_rows_of(quote_card(ds, f.figure_id, Tr(), size)))
            else:
                ours = tr.d("claims", claim.claim_id, "span", claim.span)
                shown = html.unescape(re.sub(r"<br>", " ", texts["translation"]))
                assert " ".join(ours.split()) in " ".join(shown.split()), (f.figure_id, size)
