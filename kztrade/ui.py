"""Streamlit page functions. Only this module and app.py import Streamlit."""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path
from urllib.parse import quote

import streamlit as st

from . import DATA_DIR, REFERENCE_INTERVIEW, export
from .cards import CARD_WIDTH, card_id, headline_value, quote_card
from .charts import CHARTS, EXPORT_WIDTH, Chart, build_chart, chart_for, cite, fmt, fmt_date, fmt_signed, value_text
from .figures import InvalidData, load_dataset
from .model import SIDE_NAMES, STATUS_NAMES, Dataset, Figure
from .table import figures_table, safe_csv
from .views import PASSTHROUGH, VIEWS, route

STATUS_COLOURS = {"corroborated": "green", "no_independent_source": "orange", "reported": "gray",
                  "documented": "blue", "no_source_found": "red", "derived": "violet"}
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|$<>~:=])")
# Export failures from deferred downloads (which run off the script thread), shown on the next run.
_EXPORT_FAILURES: dict[str, str] = {}
_FAILURES_LOCK = threading.Lock()


def md(text: str) -> str:
    """Data text made literal for Streamlit markdown: no formatting, no LaTeX, no directives, no HTML."""
    return MD_SPECIAL.sub(r"\\\1", text)


def link(label: str, url: str) -> str:
    """A markdown link with an escaped label and a percent-encoded address."""
    return f"[{md(label)}]({quote(url, safe=':/?&=#%~.-_+')})"


def data_dir() -> Path:
    """The data folder: KZTRADE_DATA_DIR if set (tests use it), else the project's data/."""
    return Path(os.environ.get("KZTRADE_DATA_DIR") or DATA_DIR)


@st.cache_resource(show_spinner=False)
def dataset(folder: str) -> Dataset:
    """The validated dataset, loaded once per process; InvalidData is raised, never cached."""
    return load_dataset(Path(folder), REFERENCE_INTERVIEW)


@st.cache_resource(show_spinner=False)
def chart(folder: str, chart_id: str) -> Chart:
    """One built chart, shared by all sessions (figures are never mutated after building)."""
    return build_chart(dataset(folder), chart_id)


def render_png(key: str, fig, width: int) -> bytes:
    """PNG at scale 2; a failure is kept under key to show beside its button on the next run, then re-raised."""
    try:
        return export.exporter().render(fig, "png", scale=2, width=width)
    except export.ExportError as e:
        with _FAILURES_LOCK:
            _EXPORT_FAILURES[key] = str(e)
        raise


@st.cache_data(show_spinner=False, max_entries=64)
def png_bytes(folder: str, chart_id: str) -> bytes:
    """A chart's PNG; made on the first click, then served from the cache."""
    return render_png(chart_id, chart(folder, chart_id).figure, EXPORT_WIDTH)


@st.cache_data(show_spinner=False, max_entries=16)
def card_png(folder: str, figure_id: str) -> bytes:
    """A headline figure's quote card; made on the first click, then served from the cache."""
    card = quote_card(dataset(folder), figure_id)
    return render_png(card.chart_id, card.figure, CARD_WIDTH)


def html_bytes(folder: str, chart_id: str) -> bytes:
    """A chart as a self-contained interactive HTML page (works offline)."""
    return chart(folder, chart_id).figure.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


def query_values() -> dict[str, list[str]]:
    """The query string as key -> every value."""
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def go_to(view: str) -> None:
    """Point the address bar at a view (keeping Streamlit's embed parameters)."""
    keep = {k: st.query_params.get_all(k) for k in st.query_params.keys() if k in PASSTHROUGH}
    st.query_params.from_dict({**keep, "view": view})


def on_nav() -> None:
    """Navigation changed: the URL follows, so a copied link reopens this view."""
    go_to(st.session_state["nav"])


def main() -> None:
    """The whole page."""
    st.set_page_config(page_title="kztrade: Kazakhstan–Russia trade in one interview", page_icon="📊", layout="wide")
    folder = str(data_dir())
    try:
        ds = dataset(folder)
    except InvalidData as e:
        show_problems(e.problems)
        return
    where = route(query_values())
    if where.notice:
        go_to(where.chart or where.view)  # the refused value leaves the address bar
    header(ds)
    if "nav" not in st.session_state:
        st.session_state["nav"] = where.view
    st.radio("View", list(VIEWS), format_func=VIEWS.get, key="nav", horizontal=True, on_change=on_nav,
             label_visibility="collapsed")
    if where.notice:
        st.info(where.notice, icon="ℹ️")
    view = st.session_state["nav"]
    try:
        if where.chart and view == where.view:
            chart_view(ds, folder, where.chart)
        else:
            PAGES[view](ds, folder)
    except Exception:  # a bug must not show a traceback; the server log has it
        st.error("This view could not be drawn. Reload the page; if it happens again, please report the link you used.")
        logging.getLogger("kztrade").exception("view %s failed", view)
    footer(ds)


def show_problems(problems) -> None:
    """The same problem list `python -m kztrade check` prints, instead of a dashboard."""
    st.title("kztrade: the data needs fixing")
    st.error(f"The data package has {len(problems)} problem(s), so the dashboard is not shown. "
             "Fix each named file, row and field in data/, then run `python -m kztrade check` and reload.")
    st.code("\n".join(str(p) for p in problems), language=None)


def header(ds: Dataset) -> None:
    """Title, the interview it is about, and the excerpt note."""
    iv = ds.interview
    st.title("Kazakhstan–Russia trade: one interview's numbers, in context")
    st.markdown(
        f"From {md(iv.outlet)}'s interview {link('“' + ds.turn('title').text + '”', iv.url)} "
        f"with **{md(iv.interviewee)}** ({md(iv.interviewee_affiliation)}), by {md(iv.interviewer)}, "
        f"{md(iv.published_label)}. The three figures are stated in {md(iv.outlet)}'s question, not by {md(iv.interviewee)}."
    )
    st.caption(f"Our copy is an {md(iv.completeness)}: {md(iv.completeness_note)} Date: {md(iv.date_reason)}")


def footer(ds: Dataset) -> None:
    """Provenance on every view."""
    st.divider()
    st.caption(
        f"Data: the kztrade data package (data/datapackage.json), CC BY 4.0 for our compilation; the interview text is "
        f"{md(ds.interview.outlet)}'s, quoted as an excerpt. Every number links to its words or its source: see "
        f"[Data and sources](?view=data). Colours: blue = Kazakh statistics, vermillion = Russian, green = joint, "
        f"orange = the interview's own figure."
    )


def status_badge(status: str) -> str:
    """A coloured markdown badge for a status."""
    return f":{STATUS_COLOURS[status]}-badge[{md(STATUS_NAMES[status])}]"


def highlight(text: str, spans: dict[str, str]) -> str:
    """Turn text as markdown, each span highlighted and linked to its view (span -> view id)."""
    out = md(text)
    for span, view in spans.items():
        out = out.replace(md(span), f"[:orange-background[**{md(span)}**]](?view={view})")
    return out


def turn_spans(ds: Dataset, turn_id: str) -> dict[str, str]:
    """Spans stated in a turn, each with the chart or view that shows it."""
    spans = {f.span: chart_for(ds, f) for f in ds.headline() if f.turn_id == turn_id}
    spans.update({e.span: "brics_timeline" for e in ds.events if e.turn_id == turn_id})
    return spans


def excerpt_block(ds: Dataset, figures: list[Figure]) -> None:
    """The verbatim turn that states these headline figures, highlighted, with who said it."""
    for turn_id in dict.fromkeys(f.turn_id for f in figures):
        turn = ds.turn(turn_id)
        st.markdown(f"**{md(turn.label)}** · {md(ds.interview.outlet)}'s words, not {md(ds.interview.interviewee)}'s")
        st.markdown("> " + highlight(turn.text, turn_spans(ds, turn_id)))


def context_lines(ds: Dataset, figures: list[Figure]) -> None:
    """What other sources say: one line per context figure, with side, speaker, outlet, date and address."""
    for f in figures:
        s = ds.sources[f.source_id]
        when = fmt_date(f.stated_on or s.published)
        conv = f" ({md(f.conversion_note)})" if f.conversion_note else ""
        st.markdown(
            f"- **{md(value_text(f))}**, {md(f.period_label)} · {md(SIDE_NAMES[f.side])} · "
            f"{md(f.stated_by)}; {link(s.outlet, s.url)}{', ' + md(when) if when else ''}{conv}"
        )


def derived_lines(ds: Dataset, ids: tuple[str, ...]) -> None:
    """Derived numbers with how they were computed and when they hold."""
    for d in (ds.derived[i] for i in ids if i in ds.derived):
        if d.method == "pct_change":
            a, b = ds.figures[d.figure_id], ds.figures[d.base_id]
            how = f"({fmt(a.value)} ÷ {fmt(b.value)} − 1) × 100"
            value = fmt_signed(d.value)
        else:
            how = f"100 + {fmt(ds.figures[d.figure_id].value)}"
            value = fmt(d.value)
        st.markdown(f"- **{md(value)}**: {md(d.label)}. Derived: {md(how)}. {md(d.note)} {status_badge('derived')}")


def chart_actions(ds: Dataset, folder: str, c: Chart) -> None:
    """Download PNG (made on click, cached), HTML and CSV; or, with no browser, the reason and what to do."""
    cols = st.columns(3)
    with cols[0]:
        if export.browser_path() is None:
            st.info(export.missing_browser_message(), icon="🖼️")
        else:
            st.download_button("Download PNG", data=lambda: png_bytes(folder, c.chart_id), file_name=f"{c.chart_id}.png",
                               mime="image/png", on_click="ignore", key=f"png-{c.chart_id}", icon=":material/image:")
    with cols[1]:
        st.download_button("Download HTML", data=lambda: html_bytes(folder, c.chart_id), file_name=f"{c.chart_id}.html",
                           mime="text/html", on_click="ignore", key=f"html-{c.chart_id}", icon=":material/code:")
    with cols[2]:
        st.download_button("Download CSV", data=lambda: chart_csv(ds, c), file_name=f"{c.chart_id}.csv",
                           mime="text/csv", on_click="ignore", key=f"csv-{c.chart_id}", icon=":material/table:")
    with _FAILURES_LOCK:
        failure = _EXPORT_FAILURES.pop(c.chart_id, None)
    if failure:
        st.warning(f"The last PNG export of this chart failed. {failure}")


def chart_csv(ds: Dataset, c: Chart) -> bytes:
    """The rows of the figures table that a chart draws, as safe CSV."""
    rows = figures_table(ds)
    return safe_csv(rows[rows["id"].isin(c.shown)])


def show_chart(ds: Dataset, folder: str, chart_id: str) -> Chart:
    """One chart as on screen = PNG, with its text description and its downloads."""
    c = chart(folder, chart_id)
    st.plotly_chart(c.figure, theme=None, width="stretch", key=f"plot-{chart_id}", alt=c.alt,
                    config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": chart_id, "scale": 2}})
    st.caption(f"Chart description: {md(c.alt)}")
    chart_actions(ds, folder, c)
    st.markdown(f"[Link to this chart](?view={chart_id}) · [Cite this chart](?view=data)")
    return c


def chart_with_words(ds: Dataset, folder: str, chart_id: str) -> None:
    """A chart beside the words that state its figures and what other sources say."""
    left, right = st.columns([5, 3], gap="large")
    with left:
        c = show_chart(ds, folder, chart_id)
    with right:
        shown = [ds.figures[i] for i in c.shown if i in ds.figures]
        heads = [f for f in shown if f.kind == "headline"]
        if heads:
            st.markdown("##### In the interview")
            excerpt_block(ds, heads)
            for f in heads:
                st.markdown(f"{status_badge(f.status)} {md(headline_value(f))}: {md(f.status_note)}")
        context = [f for f in shown if f.kind == "context"]
        if context:
            st.markdown("##### What other sources say")
            context_lines(ds, context)
        if any(i in ds.derived for i in c.shown):
            st.markdown("##### Derived by kztrade")
            derived_lines(ds, c.shown)
        if chart_id == "brics_timeline":
            events_lines(ds)


def events_lines(ds: Dataset) -> None:
    """The timeline's statements as text, the interview's claim with its status."""
    st.markdown("##### The statements")
    for e in ds.events:
        if e.turn_id:
            turn = ds.turn(e.turn_id)
            st.markdown(f"- **{md(fmt_date(e.date))}**: {md(e.description)} {md(turn.label)} says “{md(e.span)}”. "
                        f"{status_badge(e.status)} {md(e.status_note)}")
        else:
            s = ds.sources[e.source_id]
            st.markdown(f"- **{md(fmt_date(e.date))}**: {md(e.actor)}. {md(e.description)} {link(s.outlet, s.url)}")


def overview(ds: Dataset, folder: str) -> None:
    """The three figures as metrics, then each chart beside its words."""
    cols = st.columns(len(ds.headline()))
    for col, f in zip(cols, ds.headline()):
        with col, st.container(border=True):
            st.markdown(f"**{md(f.label)}**")
            st.metric(f.period_label, headline_value(f), help=f"{f.description} Stated in {cite(ds, f)}.")
            st.markdown(f"{status_badge(f.status)}  \n{md(cite(ds, f))}")
            if export.browser_path() is not None:
                st.download_button("Quote card (PNG)", data=lambda f=f: card_png(folder, f.figure_id),
                                   file_name=f"{card_id(f)}.png", mime="image/png", on_click="ignore",
                                   key=f"card-{f.figure_id}", icon=":material/format_quote:")
    st.subheader("Trade turnover")
    chart_with_words(ds, folder, "turnover_ytd")
    st.subheader("Container transit")
    chart_with_words(ds, folder, "containers_growth")
    claim = next((e for e in ds.events if e.status == "no_source_found"), None)
    if claim is not None:
        st.subheader("BRICS")
        st.markdown(f"The interview's answer mentions an announcement in “{md(claim.span)}”. {status_badge(claim.status)} "
                    f"{md(claim.status_note)} See the [BRICS timeline](?view=brics).")


def turnover(ds: Dataset, folder: str) -> None:
    """Turnover: the year-to-date comparison, then every figure by period and side."""
    st.markdown("Kazakh and Russian statistics give different totals for the same trade (mirror statistics). "
                "Both are shown, never averaged.")
    chart_with_words(ds, folder, "turnover_ytd")
    chart_with_words(ds, folder, "turnover_series")


def containers(ds: Dataset, folder: str) -> None:
    """Containers: growth rates and the index view."""
    chart_with_words(ds, folder, "containers_growth")
    chart_with_words(ds, folder, "containers_index")


def brics(ds: Dataset, folder: str) -> None:
    """The BRICS statements timeline."""
    chart_with_words(ds, folder, "brics_timeline")


def interview(ds: Dataset, folder: str) -> None:
    """The whole excerpt, turn by turn, each figure highlighted and linked to its chart."""
    iv = ds.interview
    st.markdown(f"Verbatim {md(iv.completeness)} of {link(iv.outlet + ': ' + ds.turn('title').text, iv.url)}. "
                "Highlighted figures link to their charts.")
    for t in ds.turns:
        if t.kind == "title":
            st.markdown(f"#### {md(t.text)}")
            continue
        st.markdown(f"**{md(t.label)}**")
        st.markdown(highlight(t.text, turn_spans(ds, t.turn_id)))
        for f in (f for f in ds.headline() if f.turn_id == t.turn_id):
            st.caption(f"“{md(f.span)}” ({md(f.label)}) {status_badge(f.status)} {md(f.status_note)}")
        for e in (e for e in ds.events if e.turn_id == t.turn_id):
            st.caption(f"“{md(e.span)}” {status_badge(e.status)} {md(e.status_note)}")


def data(ds: Dataset, folder: str) -> None:
    """Every figure with its source, side and status; CSV; citations."""
    table = figures_table(ds)
    st.markdown("Every figure on this dashboard: the interview's, other sources', and those kztrade derives.")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"address": st.column_config.LinkColumn("address")})
    st.download_button("Download all figures (CSV)", data=safe_csv(table), file_name="kztrade-figures.csv", mime="text/csv",
                       on_click="ignore", key="csv-all", icon=":material/table:")
    st.subheader("Sources")
    for s in ds.sources.values():
        alt = f" (also {link('here', s.url_alt)})" if s.url_alt else ""
        st.markdown(f"- {link(s.outlet, s.url)}{alt}, {md(fmt_date(s.published) or 'date not given')}: {md(s.about)}")
    st.subheader("Cite this")
    base = (st.context.url or "").split("?")[0]
    st.markdown("The dashboard:")
    st.code(cite_text(ds, "Kazakhstan–Russia trade: one interview's numbers, in context", f"{base}?view=overview"), language=None, wrap_lines=True)
    for spec in CHARTS.values():
        st.markdown(f"{md(spec.title)}:")
        st.code(cite_text(ds, spec.title, f"{base}?view={spec.chart_id}"), language=None, wrap_lines=True)


def cite_text(ds: Dataset, title: str, url: str) -> str:
    """A plain citation for the dashboard or one chart."""
    iv = ds.interview
    return (f"kztrade, “{title}”. Figures from {iv.outlet}, “{ds.turn('title').text}” ({iv.published_label}), "
            f"and the sources listed in the kztrade data package. {url}")


def chart_view(ds: Dataset, folder: str, chart_id: str) -> None:
    """One chart on its own, as a shared link opens it."""
    spec = CHARTS[chart_id]
    st.markdown(f"Showing one chart of **{md(VIEWS[spec.view])}**. [See the whole view](?view={spec.view})")
    chart_with_words(ds, folder, chart_id)


PAGES = {"overview": overview, "turnover": turnover, "containers": containers, "brics": brics,
         "interview": interview, "data": data}
