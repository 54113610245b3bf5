"""The server's start (app.py's st.App and kztrade/serve.py): `streamlit run app.py` serves the App, and its lifespan
fills the caches a fresh server's first visit needs."""

from __future__ import annotations

import logging

from streamlit.web.server.app_discovery import discover_asgi_app

from kztrade import PROJECT_DIR, serve
from kztrade.i18n import LANGS
from kztrade.ui import state

from .conftest import edit_cell
from .test_app import plotted, run_app


def clear_caches() -> None:
    for cached in (state.dataset, state.translator, state.chart, state.sent_chart):
        cached.clear()


def test_streamlit_run_finds_the_app_in_app_py():
    """Streamlit reads app.py (without running it) to decide how to serve it: it must find the App, or the lifespan
    never runs and every fresh server's first visit waits for the caches again."""
    found = discover_asgi_app(PROJECT_DIR / "app.py")
    assert (found.is_asgi_app, found.import_string) == (True, "app:app")


def test_warm_builds_what_the_overview_draws_in_every_language():
    clear_caches()
    built = serve.warm()
    drawn = {(chart_id, lang) for lang in LANGS for chart_id in plotted(run_app({"lang": lang}))}
    assert drawn and sorted(built) == sorted(drawn)


def test_a_visit_after_warm_builds_no_figure(monkeypatch):
    """After warm(), the overview in either language is drawn from the caches it filled: building a chart now fails
    the test (a figure missed by warm would show the page's error instead of its charts)."""
    clear_caches()
    serve.warm()

    def no_building(*args, **kwargs):
        raise AssertionError(f"a chart was built during the visit: {args[1:2]}")

    monkeypatch.setattr(state, "build_chart", no_building)
    for lang in LANGS:
        at = run_app({"lang": lang})
        assert plotted(at), lang
        assert not at.error, [e.value for e in at.error]


def test_warm_leaves_bad_data_to_the_page(data_copy, monkeypatch, caplog):
    edit_cell(data_copy, "figures", "kz_ru_turnover_2024_jan_aug", "value", "17.3")
    monkeypatch.setenv("KZTRADE_DATA_DIR", str(data_copy))
    clear_caches()
    with caplog.at_level(logging.WARNING, logger="kztrade"):
        assert serve.warm() == []
    assert [r.getMessage() for r in caplog.records] == [
        f"The data in {data_copy} fails its check; the page says what is wrong."
    ]
    at = run_app()
    assert at.title[0].value == "kztrade: the data needs fixing"


def test_a_bug_in_warm_is_logged_and_the_page_still_serves(monkeypatch, caplog):
    clear_caches()

    def broken(*args, **kwargs):
        raise RuntimeError("translator broke")

    monkeypatch.setattr(state, "translator", broken)
    with caplog.at_level(logging.WARNING, logger="kztrade"):
        assert serve.warm() == []
    assert caplog.records[0].getMessage().startswith("Warming the caches at the server's start failed")
    assert "RuntimeError: translator broke" in caplog.text
    monkeypatch.undo()
    assert plotted(run_app())
