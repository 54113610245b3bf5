"""The page, through Streamlit's AppTest: every view, deep links, bad links, bad data, no browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kztrade.charts import CHARTS
from kztrade.cli import main as cli_main
from kztrade.figures import load_dataset
from kztrade.views import VIEWS

from .conftest import edit_cell

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run_app(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    """Everything the page shows, as text: every element's values, chart specs and their descriptions."""
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "code")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [" ".join(map(str, r.options)) for r in at.radio]
    parts += [c.proto.spec + c.proto.alt for c in at.get("plotly_chart")]
    parts += [b.label for b in at.get("download_button")]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(parts)


def plain(text: str) -> str:
    """Markdown escapes removed: what a reader sees."""
    return re.sub(r"\\([^\w\s])", r"\1", text)


def chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]


EXPECTED_CHARTS = {
    "overview": ["turnover_ytd", "containers_growth"],
    "turnover": ["turnover_ytd", "turnover_series"],
    "containers": ["containers_growth", "containers_index"],
    "brics": ["brics_timeline"],
    "interview": [],
    "data": [],
}


@pytest.mark.parametrize("view", list(VIEWS))
def test_each_view_opens_from_its_link(view):
    at = run_app({"view": view})
    assert at.radio[0].value == view
    assert [json.loads(c.proto.config)["toImageButtonOptions"]["filename"] for c in at.get("plotly_chart")] == EXPECTED_CHARTS[view]
    assert not at.info  # no notice for a good link
    assert at.query_params["view"] == view


@pytest.mark.parametrize("chart_id", list(CHARTS))
def test_each_chart_opens_alone_from_its_link(chart_id):
    at = run_app({"view": chart_id})
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    assert json.loads(charts[0].proto.config)["toImageButtonOptions"] == {"format": "png", "filename": chart_id, "scale": 2}
    assert charts[0].proto.theme == ""  # theme=None: the figure's own colours, as in the PNG
    assert charts[0].proto.alt == CHARTS[chart_id].build(load_dataset()).alt  # the text alternative
    assert at.radio[0].value == CHARTS[chart_id].view
    assert [b.label for b in at.get("download_button")] == ["Download PNG", "Download HTML", "Download CSV"]


def test_overview_shows_the_three_figures_their_status_and_their_words():
    at = run_app()
    assert [m.value for m in at.metric] == ["US$17.2 billion", "+63 %", "+65 %"]
    assert [m.label for m in at.metric] == ["Jan–Aug 2024", "2024 (“this year”)", "2024 (“this year”)"]
    text = page_text(at)
    assert ":orange-badge[No independent source found]" in text
    assert text.count(":green-badge[Corroborated]") >= 2
    # The excerpt is verbatim, the span highlighted and linked to its chart, and attributed to News.Az.
    assert r"[:orange-background[**\$17\.2 billion**]](?view=turnover_ytd)" in text
    assert r"[:orange-background[**63%**]](?view=containers_growth)" in text
    assert "News.Az's words, not Magbat Spanov's" in plain(text)
    assert "excerpt" in text and "https://news.az/news/-why-is-kazakhstan-rethinking-its-plans-to-join-brics" in text
    assert "No source found" in text  # the August 2024 claim's status
    assert [b.label for b in at.get("download_button")][:3] == ["Quote card (PNG)"] * 3


def test_turnover_view_shows_both_sides_and_the_derived_changes():
    text = plain(page_text(run_app({"view": "turnover"})))
    assert "+1.2 %" in text and "−9.0 %" in text
    assert "(17.2 ÷ 18.9 − 1) × 100" in text and "(17.2 ÷ 17 − 1) × 100" in text
    assert "Kazakh statistics" in text and "Russian statistics" in text
    assert "over 28 US$ bn" in text and "over 20 US$ bn" in text


def test_interview_view_labels_every_turn_and_links_every_span():
    at = run_app({"view": "interview"})
    text = page_text(at)
    for label in ["Question 1 (News.Az)", "Answer 1 (Magbat Spanov)", "Question 3 (News.Az)", "Answer 3 (Magbat Spanov)"]:
        assert f"**{label}**" in plain(text)
    assert "(?view=brics_timeline)" in text and "(?view=turnover_ytd)" in text
    assert ":red-badge[No source found]" in text


def test_data_view_lists_every_figure_and_offers_csv():
    at = run_app({"view": "data"})
    assert at.dataframe[0].value.shape == (25, 16)
    assert "Download all figures (CSV)" in [b.label for b in at.get("download_button")]
    assert len(at.code) == 1 + len(CHARTS)  # cite text for the dashboard and for each chart


PAYLOAD = "<script>alert('kz')</script>"


@pytest.mark.parametrize("value", ["nowhere", ["data", "brics"], "v" * 8192, PAYLOAD],
                         ids=["unknown", "repeated", "8KB", "script"])
def test_bad_links_give_the_overview_and_a_notice_without_echo(value):
    at = run_app({"view": value})
    assert at.radio[0].value == "overview"
    assert len(at.info) == 1 and "so the overview is shown" in at.info[0].value
    assert at.query_params["view"] == "overview"  # the refused value left the address bar
    text = page_text(at)
    for needle in ["<script>", "alert(", "v" * 100, "nowhere"]:
        assert needle not in text


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


def test_without_chromium_charts_stay_and_png_buttons_become_a_message(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = run_app({"view": "turnover"})
    assert len(at.get("plotly_chart")) == 2
    labels = [b.label for b in at.get("download_button")]
    assert "Download PNG" not in labels and labels.count("Download HTML") == 2
    messages = [i.value for i in at.info]
    assert len(messages) == 2
    assert all("apt-get install -y chromium" in m and "camera icon" in m for m in messages)
