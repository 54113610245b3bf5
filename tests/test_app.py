"""The page, through Streamlit's AppTest: every view, deep links, bad links, bad data, no browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kztrade.charts import CHARTS, build_chart
from kztrade.cli import main as cli_main
from kztrade.i18n import Tr
from kztrade.load import load_dataset
from kztrade.routes import VIEWS
from kztrade.ui import STYLE
from kztrade.ui.pages import PHONE_COLUMNS, TABLE_COLUMNS

from .conftest import edit_cell, nav_links, shown_view, unfolded

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run_app(params: dict | None = None, at: AppTest | None = None) -> AppTest:
    at = at or AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    """Everything the page shows, as text: every element's values, chart specs and their descriptions."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "code")
        for e in getattr(at, kind)
    ]
    parts += [name for _v, _lang, name, _shown in nav_links(at)]
    parts += [c.proto.spec + c.proto.alt for c in at.get("plotly_chart")]
    parts += [b.label for b in at.get("download_button")]
    parts += [b.proto.popover.label for b in at.get("popover")]
    parts += [e.label for e in at.expander]
    return "\n".join(parts)


LEVELS = {"title": 1, "header": 2, "subheader": 3}


def in_order(at: AppTest) -> list[str]:
    """The page's markdown and headings, in page order, each heading written as markdown ('## What we found')."""
    return [
        f"{'#' * LEVELS[e.type]} {e.value}" if e.type in LEVELS else e.value
        for e in at.main
        if e.type in LEVELS or e.type == "markdown"
    ]


def plain(text: str) -> str:
    """Markdown escapes removed, thin spaces made plain: what a reader sees."""
    return (
        re.sub(r"\\([^\w\s])", r"\1", text)
        .replace("\u2009", " ")
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
        .replace("\u2019", "'")
    )


def plotted(at: AppTest) -> list[str]:
    """The chart ids drawn, in order (from each chart's element key)."""
    return [re.sub(r"^.*plot-", "", c.proto.id) for c in at.get("plotly_chart") if "plot-" in c.proto.id]


# From the chart registry, never a hard-coded count: each view draws its own charts, the overview those marked for it.
EXPECTED_CHARTS = {v: [c for c, spec in CHARTS.items() if spec.view == v and spec.on_view] for v in VIEWS} | {
    "overview": [c for c, spec in CHARTS.items() if spec.on_overview]
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_view_opens_from_its_link(view):
    at = run_app({"view": view, "lang": "en"})
    assert shown_view(at) == view
    assert [c for c in plotted(at)] == [f"{c}" for c in EXPECTED_CHARTS[view]]
    assert not at.info  # no notice for a good link
    assert (at.query_params["view"], at.query_params["lang"]) == (view, "en")


def test_the_navigation_is_a_link_per_view_in_the_readers_language():
    """The views are links (no widget): one per view, in the reader's language and keeping it, the view shown marked,
    each an address that opens its view."""
    at = run_app({"view": "containers", "lang": "ru"})
    links = nav_links(at)
    assert [(v, lang) for v, lang, _n, _s in links] == [(v, "ru") for v in VIEWS]
    assert [name for _v, _l, name, _s in links] == [Tr("ru")._(VIEWS[v]) for v in VIEWS]  # Russian names
    assert links[0][2] != VIEWS["overview"] and shown_view(at) == "containers"
    assert not at.segmented_control and not at.radio  # no navigation widget left on the page
    for view, lang, _name, _shown in links[:3]:  # a link's address opens its view, in its language
        again = run_app({"view": view, "lang": lang})
        assert shown_view(again) == view and plotted(again) == EXPECTED_CHARTS[view]


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_each_chart_opens_alone_from_its_link(chart_id):
    at = run_app({"view": chart_id})
    charts = [c for c in at.get("plotly_chart") if "plot-" in c.proto.id]
    assert len(charts) == 1 and plotted(at) == [chart_id] and len(at.get("plotly_chart")) == 1  # one fit, not two
    assert (
        json.loads(charts[0].proto.config)["displayModeBar"] is False
    )  # no toolbar camera: its PNG would lack the citation
    assert charts[0].proto.theme == ""  # theme=None: the figure's own colours, as in the PNG
    c = build_chart(load_dataset(), chart_id)
    assert charts[0].proto.alt == c.alt
    # the figure the page sends (read once, for every visit) is the built chart, whole
    assert json.loads(charts[0].proto.spec) == json.loads(c.figure.to_json())
    assert shown_view(at) == CHARTS[chart_id].view  # a chart's page marks the view it belongs to
    assert [b.label for b in at.get("download_button")] == ["PNG", "CSV", "HTML"]
    text = page_text(at)
    assert (
        plain(f"### {c.title}") in map(plain, in_order(at))  # the chart's title, a heading under the view's
        and plain(c.source) in plain(text)
        and plain(c.subtitle) in plain(text)
    )


def test_overview_opens_with_what_we_found_and_quotes_the_question_once():
    at = unfolded(run_app())  # the quote cards' popovers opened, as a reader who shares them does
    text = page_text(at)
    markdown = in_order(at)
    first_heading = next(i for i, m in enumerate(markdown) if m.startswith("## "))
    assert plain(markdown[first_heading]) == "## What we found"
    boxes = [m for m in markdown if "[See the chart]" in m]
    findings = [f for box in boxes for f in box.split("\n\n")]  # the findings between two charts share one box
    assert [plain(f).split(" :")[0].split("  \n")[0].strip() for f in findings] == [
        "**US$17.2 billion**",
        "**+63%**",
        "**+65%**",
        "**“August 2024”**",
        "**2024**",
    ]
    # the claims register leads: the count on each verdict, then the first finding followed by its chart; the
    # findings no chart of the overview shows follow it in one box, each linked to its chart's own page
    assert "claims in the excerpt](?view=claims&lang=en)" in markdown[first_heading + 1].replace("\u00a0", " ")
    assert markdown.index(boxes[0]) == first_heading + 2 and markdown[first_heading + 3].startswith("### Trade in")
    assert len(boxes) == 2 and markdown.index(boxes[1]) > first_heading + 3
    assert "(?view=containers_growth&lang=en)" in findings[1] and "(?view=containers_growth&lang=en)" in findings[2]
    assert plotted(at) == ["turnover_ytd"] == EXPECTED_CHARTS["overview"]
    # one word for one judgement: each headline finding carries the verdict on the claim that states the figure, as
    # the claims view does, never the figure's source status as a second verdict
    from kztrade.verdicts import VERDICTS

    ds = load_dataset()
    for finding, f in zip(findings, ds.headline()):
        key = ds.claim_stating(f).verdict
        assert f":{VERDICTS[key].badge}-badge[{VERDICTS[key].name}]" in finding, f.figure_id
        assert "-badge[Matches one report]" not in finding and "-badge[No other source found]" not in finding
    assert "−2.0% to +4.5% (roughly flat) on the figure of Kazakh officials" in plain(findings[0])
    # The verbatim question appears once in the view; later blocks point back to it.
    q3 = load_dataset().turn("q3").text[2:60]
    assert (
        plain("\n".join(markdown)).count(plain(q3)) == 1
    )  # once as text (the card previews carry it inside their images)
    assert (
        plain(text).count("Question 3 · News.Az, quoted above on this page.") == 0
    )  # the overview has no source panels
    assert "News.Az's words, in a question, not Magbat Spanov's" in plain(text)  # plain() folds ’ back to '
    assert "News.Az’s words, in a question, not Magbat Spanov’s" in re.sub(
        r"\\([^\w\s])", r"\1", text
    )  # as the reader sees it
    # One button per card and shape: the button names the shape it makes, so no choice elsewhere can go stale.
    cards = {b.key: b.label for b in at.get("download_button") if b.key and b.key.startswith("card-")}
    ids = [f.figure_id for f in load_dataset().headline()]
    assert cards == {
        f"card-{i}-{size}": label
        for i in ids
        for size, label in (("landscape", "Landscape 16:9"), ("portrait", "Portrait 4:5"))
    }
    assert "Card: US$17.2 billion" in plain(text) and "Card: +63%" in plain(text)


def test_turnover_view_shows_both_sides_ranges_and_what_the_charts_leave_out():
    view = unfolded(run_app({"view": "turnover"}))  # the lists behind the expanders, opened
    series = unfolded(run_app({"view": "turnover_series"}))  # the chart of every statement, on its own page
    text = plain(page_text(view) + "\n" + page_text(series))
    # the view draws the interview's months and links to the chart of every statement, named and counted
    assert plotted(view) == ["turnover_ytd"] and plotted(series) == ["turnover_series"]
    series_title = build_chart(load_dataset(), "turnover_series").title
    assert plain(f"### {series_title}") in map(plain, in_order(view))
    assert "[Open the chart of every statement (25)](?view=turnover_series&lang=en)" in plain(page_text(view))
    assert "−2.0% to +4.5% (roughly flat)" in text and "−9.5% to −8.5%" in text
    assert "reading 17.2 as 17.15 to 17.25 and 17 as 16.5 to 17.5" in text
    assert "Statements with no period" in text and "Totals given in roubles" in text
    assert "about 82 roubles per US$" in text and "about 96 roubles per US$" in text
    # The source's own words, verbatim, the number in bold.
    assert "> According to our data, the mutual trade has reached $**26.1** billion" in text
    assert "> По итогам 2024 года" in text and "Our translation: By the results of 2024" in text


def test_interview_view_labels_every_turn_and_links_every_span():
    at = run_app({"view": "interview"})
    text = page_text(at)
    for label in [
        "Question 1 · News.Az",
        "Answer 1 · Magbat Spanov",
        "Question 3 · News.Az",
        "Answer 3 · Magbat Spanov",
    ]:
        assert f"**{label}**" in plain(text)
    assert "(?view=brics_timeline&lang=en)" in text and "(?view=turnover_ytd&lang=en)" in text
    # the interview's "August 2024" carries the verdict on the claim that names it, in the verdict's colour, as the
    # claims view does: one colour for one judgement
    from kztrade.verdicts import VERDICTS

    assert f":{VERDICTS['no_source_found'].badge}-badge[No source found]" in text
    assert ":violet-badge[No source found]" not in text
    assert not any(m.value.startswith(("\\- ", "- ")) for m in at.markdown)  # the copy's "- " turn marker is not shown


def md_table_rows(markdown: str) -> list[list[str]]:
    """A Markdown table's rows, each a list of its cells as written (escaped), header first, the rule left out."""
    cells = [re.split(r"(?<!\\)\|", line.strip())[1:-1] for line in markdown.splitlines()]
    return [[c.strip() for c in row] for i, row in enumerate(cells) if i != 1]


def test_data_view_lists_every_figure_and_cites_each_chart_by_its_title():
    at = run_app({"view": "data"})
    ds = load_dataset()
    tables = [md_table_rows(m.value) for m in at.markdown if m.value.startswith("| ")]
    assert len(tables) == 1 and not at.table  # one Markdown table for every width: no st.table, so no pandas
    (table,) = tables
    assert len(table) == 1 + len(ds.figures) + len(ds.derived)
    assert table[0] == [
        "Figure · period · who",
        "Value",
        "Status",
        "Stated by",
        "Source",
        "The source’s words",
    ]  # headers: typeset, as all our text is
    # the three a phone shows (the stylesheet hides the others by their position): what the figure measures is in
    # the first, so a phone's row never reads "2022 · Russian side | +10.2 %"
    assert [table[0][TABLE_COLUMNS.index(c)] for c in PHONE_COLUMNS] == ["Figure · period · who", "Value", "Status"]
    assert all(f"nth-child({i})" in STYLE for i in (4, 5, 6))
    assert "nth-child(1)" not in STYLE and "nth-child(2)" not in STYLE and "nth-child(3)" not in STYLE
    # data text is escaped in the table's cells as everywhere, "|" included, so no cell splits a row
    assert all(len(row) == 6 for row in table)
    assert "Kazinform\\, 30 Sept\u00a02021" in [row[4] for row in table]  # typeset: a month keeps its year
    first = dict(zip(TABLE_COLUMNS, table[1]))
    head = ds.headline()[0]
    assert plain(first["figure"]).startswith(plain(head.label))  # the measure leads the row
    # the usual status is said once above the table, not on every row; any other status is in its cell
    usual = sum(row[TABLE_COLUMNS.index("status")] == "" for row in table[1:])
    reported = sum(f.status == "reported" for f in ds.figures.values())
    assert usual == reported and "A status is given only where it is not the usual one" in plain(page_text(at))
    assert "Download all figures (CSV)" in [b.label for b in at.get("download_button")]
    # the dashboard's citation on the page; the sources and each chart's citation a click away
    assert [e.label for e in at.expander] == [
        f"Every source we read ({len(ds.sources)})",
        f"Cite one chart ({len(CHARTS)})",
    ]
    assert len(at.code) == 1 and not [m for m in at.markdown if m.value.startswith("- [")]  # folded: not sent
    unfolded(at)
    # the sources in one list: each an item, linked
    (sources,) = [m.value for m in at.markdown if m.value.startswith("- [")]
    assert len(sources.splitlines()) == len(ds.sources)
    assert len(at.code) == 1 + len(CHARTS)
    titles = [build_chart(ds, cid).title for cid in CHARTS]
    assert [c.value.split("“")[1].split("”")[0] for c in at.code[1:]] == titles


PAYLOAD = "<script>alert('kz')</script>"


@pytest.mark.parametrize(
    "value", ["nowhere", ["data", "brics"], "v" * 8192, PAYLOAD], ids=["unknown", "repeated", "8KB", "script"]
)
def test_bad_view_links_give_the_overview_and_a_notice_without_echo(value):
    at = run_app({"view": value})
    assert shown_view(at) == "overview"
    assert len(at.info) == 2 and "so the overview is shown" in at.info[0].value
    assert at.query_params["view"] == "overview"  # the refused value left the address bar
    text = page_text(at)
    for needle in ["<script>", "alert(", "v" * 100, "nowhere"]:
        assert needle not in text


@pytest.mark.parametrize("value", ["xq", "<b>ru</b>", "r" * 5000], ids=["unknown", "markup", "5KB"])
def test_bad_language_links_give_english_and_a_notice_without_echo(value):
    at = run_app({"view": "brics", "lang": value})
    assert shown_view(at) == "brics" and at.query_params["lang"] == "en"
    assert [i.value for i in at.info] == [
        "The link asked for a language this dashboard does not have, so it is shown in English."
    ]
    assert value not in page_text(at)


def test_broken_data_shows_the_same_problem_list_as_check(data_copy, monkeypatch, capsys):
    edit_cell(data_copy, "figures", "kz_ru_turnover_2024_jan_aug", "value", "17.3")
    edit_cell(data_copy, "sources", "tass_1702995", "url", "http://tass.com/politics/1702995")
    assert cli_main(["check", "--data", str(data_copy)]) == 1
    expected = capsys.readouterr().out.strip()
    monkeypatch.setenv("KZTRADE_DATA_DIR", str(data_copy))
    at = run_app()
    assert at.title[0].value == "kztrade: the data needs fixing"
    assert "2 problem(s)" in at.error[0].value
    assert at.code[0].value == expected
    assert not at.get("plotly_chart")


def test_data_corrupted_while_serving_shows_the_problems_and_recovers(data_copy, monkeypatch):
    monkeypatch.setenv("KZTRADE_DATA_DIR", str(data_copy))
    at = run_app({"view": "turnover"})
    assert plotted(at) == EXPECTED_CHARTS["turnover"]
    good = (data_copy / "figures.csv").read_bytes()
    (data_copy / "figures.csv").write_bytes(good.replace(b",24.5,", b",NaN,", 1))
    at = run_app(at=at)
    assert at.title[0].value == "kztrade: the data needs fixing"
    assert at.code[0].value == "figures.csv, row 8 (kz_turnover_2021), field value: 'NaN' is not a finite number"
    (data_copy / "figures.csv").write_bytes(good)
    at = run_app(at=at)
    assert plotted(at) == EXPECTED_CHARTS["turnover"]


def test_the_app_reports_an_edit_only_the_rules_catch_after_serving_the_same_data(data_copy, monkeypatch):
    monkeypatch.setenv("KZTRADE_DATA_DIR", str(data_copy))
    at = run_app({"view": "turnover"})
    assert plotted(at) == EXPECTED_CHARTS["turnover"]
    edit_cell(data_copy, "figures", "kz_ru_turnover_2024_jan_aug", "value", "17.3")
    at = run_app(at=at)
    assert at.title[0].value == "kztrade: the data needs fixing"
    assert "1 problem(s)" in at.error[0].value and "kz_ru_turnover_2024_jan_aug" in at.code[0].value


def test_without_chromium_charts_stay_and_png_buttons_become_a_message(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = run_app({"view": "turnover"})
    n = len(EXPECTED_CHARTS["turnover"])  # one message and one HTML download for each chart the view draws
    assert plotted(at) == EXPECTED_CHARTS["turnover"]
    labels = [b.label for b in at.get("download_button")]
    assert "PNG" not in labels and labels.count("HTML") == n
    messages = [i.value for i in at.info]
    assert len(messages) == n
    assert all("apt-get install chromium" in m and "HTML download" in m for m in messages)


def test_data_text_reaches_the_page_as_literal_text(data_copy, monkeypatch):
    """Markup, links and bare addresses in data are shown, never rendered as formatting or links."""
    edit_cell(data_copy, "sources", "trend_3823078", "outlet", "[click](https://evil.example) **bold** <b>x</b>")
    edit_cell(
        data_copy,
        "figures",
        "kz_turnover_2023_jan_aug",
        "stated_by",
        "Visit www.evil.example or mail me@evil.example :red[now]",
    )
    monkeypatch.setenv("KZTRADE_DATA_DIR", str(data_copy))
    at = unfolded(run_app({"view": "turnover"}))
    text = "\n".join(e.value for kind in ("markdown", "caption") for e in getattr(at, kind))  # what markdown renders
    assert "[click](https://evil.example)" not in text and "**bold**" not in text and ":red[" not in text
    assert "www\u2060\\.evil\\.example" in text and "me\\@\u2060evil\\.example" in text
    assert "\\[click\\]\\(https\\:\u2060\\/\\/evil\\.example\\)" in text


def test_the_overview_previews_each_card_from_the_figure_its_png_draws():
    from kztrade.cards import preview_figure, quote_card

    at = unfolded(run_app({"view": "overview", "lang": "ru"}))  # each card's popover opened
    ds = load_dataset()
    from kztrade.i18n import Tr

    previews = {
        re.sub(r"^.*preview-", "", c.proto.id): json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if "preview-" in c.proto.id
    }
    assert list(previews) == [f.figure_id for f in ds.headline()]
    for f in ds.headline():
        card = quote_card(ds, f.figure_id, Tr("ru", ds.translations["ru"]), "landscape")
        spec = previews[f.figure_id]
        assert [a["text"] for a in spec["layout"]["annotations"]] == [
            a.text for a in card.figure.layout.annotations
        ]  # the same words
        assert spec["layout"]["width"] == 336 and spec["layout"]["height"] == round(675 * 336 / 1200)
        expected = preview_figure(card).layout.annotations
        assert [a["font"]["size"] for a in spec["layout"]["annotations"]] == [a.font.size for a in expected]


def test_no_view_imports_pandas():
    """A bare Streamlit app never imports pandas; neither does any view of ours (0.3 s on a fresh server, and a
    pandas half-imported on one thread breaks plotly on every other). Each view in a fresh interpreter."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "for view in sys.argv[1:]:\n"
        "    at = AppTest.from_file('app.py', default_timeout=60)\n"
        "    at.query_params['view'] = view\n"
        "    at.run()\n"
        "    mark = f'?view={view}&amp;lang=en\" aria-current'\n"
        "    assert not at.exception and any(mark in h.proto.body for h in at.get('html')), view\n"
        "print(sorted(m for m in ('pandas', 'pyarrow') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, *VIEWS],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_what_lives_as_long_as_the_server_is_frozen_once_and_no_visit_is():
    """In a fresh interpreter: after the first visit, what was alive when the app was imported (Streamlit's code, our
    modules) is out of the collector's reach, so no full collection walks it again; the visit's own objects (the
    checked dataset) are not, and a second visit freezes nothing more (frozen objects freed by their last reference
    leave the count, so it can only fall)."""
    import subprocess
    import sys

    script = (
        "import gc\n"
        "from streamlit.testing.v1 import AppTest\n"
        "assert gc.get_freeze_count() == 0\n"
        "AppTest.from_file('app.py', default_timeout=60).run()\n"
        "import streamlit.delta_generator, kztrade.ui\n"
        "from kztrade.ui import state\n"
        "first = gc.get_freeze_count()\n"
        "folder = str(state.data_dir())\n"
        "ds = state.dataset(folder, state.data_stamp(folder))\n"
        "tracked = {id(o) for o in gc.get_objects()}\n"
        "at = AppTest.from_file('app.py', default_timeout=60)\n"
        "at.run()\n"
        "assert not at.exception\n"
        "print(first > 10000, id(kztrade.ui.main) in tracked, id(streamlit.delta_generator.DeltaGenerator) in tracked,"
        " id(ds) in tracked, id(ds.figures) in tracked, gc.get_freeze_count() <= first)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["True", "False", "False", "True", "True", "True"]


def test_a_closed_card_is_neither_built_nor_sent():
    """The overview sends each quote card's button alone; its card, preview and shape buttons come when it opens."""
    closed = run_app()
    assert [plain(b.proto.popover.label).replace("\u00a0", " ") for b in closed.get("popover")][-3:] == [
        "Card: US$17.2 billion",
        "Card: +63%",
        "Card: +65%",
    ] and not [c for c in closed.get("plotly_chart") if "preview-" in c.proto.id]
    assert not [b for b in closed.get("download_button") if b.proto.id.endswith("-portrait")]
    opened = unfolded(closed)
    assert len([c for c in opened.get("plotly_chart") if "preview-" in c.proto.id]) == 3


def test_a_closed_list_of_sources_costs_the_page_its_label_alone():
    """The source lists and the claims' evidence are built and sent only once opened; a link to one claim opens on
    its evidence."""
    words = "the volume of trade reached"  # kz_turnover_2021's source's sentence
    assert words in load_dataset().figures["kz_turnover_2021"].quote
    closed = run_app({"view": "turnover_series"})
    assert "What other sources say (24)" in page_text(closed) and words not in page_text(closed)
    assert words in page_text(unfolded(closed))
    one = run_app({"view": "claims", "claim": "a3_grow"})
    text = page_text(one)
    assert "Forbes Kazakhstan" in text and "Taraz" not in text  # a3_grow's evidence alone, no other claim's


def sent_elements(params: dict, monkeypatch) -> list[tuple[str, int]]:
    """The kinds of the elements a run sends, in the order they are sent (Streamlit's queue of messages, each
    recorded as it is enqueued; the page's order is where they land, which is another thing): 'plotly_chart',
    'html:style' for the stylesheet, 'html' for the navigation, 'markdown', 'heading', ...; each with the container
    it lands in (0 the page, 2 Streamlit's event container)."""
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

    kinds: list[tuple[str, int]] = []
    enqueue = ForwardMsgQueue.enqueue

    def recorded(queue, msg) -> None:
        if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            kind = element.WhichOneof("type")
            kind = "html:style" if kind == "html" and element.html.body.startswith("<style>") else kind
            kinds.append((kind, msg.metadata.delta_path[0]))
        enqueue(queue, msg)

    monkeypatch.setattr(ForwardMsgQueue, "enqueue", recorded)
    run_app(params)
    return kinds


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_charted_view_sends_its_first_chart_before_its_stylesheet_and_its_words(lang, monkeypatch):
    """The browser asks for plotly's script when a chart's element arrives, so on every view that draws a chart and on
    each chart's own link, the first element sent is that chart; the stylesheet comes right after it, before any of
    the page's words. A view without a chart sends the stylesheet first. Either way it is sent once, to Streamlit's
    event container, not onto the page (see test_config for what it holds)."""
    charted = [v for v in VIEWS if EXPECTED_CHARTS[v]] + list(CHARTS)
    for view in charted:
        kinds = [k for k, _where in sent_elements({"view": view, "lang": lang}, monkeypatch)]
        assert kinds[:2] == ["plotly_chart", "html:style"] and kinds.count("html:style") == 1, (view, kinds[:4])
    for view in [v for v in VIEWS if not EXPECTED_CHARTS[v]]:
        sent = sent_elements({"view": view, "lang": lang}, monkeypatch)
        assert sent[0] == ("html:style", 2) and [k for k, _w in sent].count("html:style") == 1, (view, sent[:4])
        assert {w for k, w in sent if k != "html:style"} == {0}  # everything else on the page
