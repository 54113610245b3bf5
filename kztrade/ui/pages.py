"""The dashboard's views. Each is a function of the page context; the wording comes from kztrade.statements."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import streamlit as st

from ..addresses import is_loopback
from ..cards import card_id
from ..charts import CHARTS
from ..i18n import N_, sentence
from ..routes import VIEWS
from ..statements import STATUSES
from ..table import COLUMNS, safe_csv
from . import claims as claims_ui
from . import state
from .blocks import (
    Page,
    badge,
    capped_cards,
    chart_block,
    chart_section,
    event_badge,
    folded,
    heading,
    highlight,
    judged_badge,
    lang_suffix,
    link,
    md,
    md_table,
    nav_link,
    png_outcome,
    shape_buttons,
    source_link,
    source_quote,
    turn_spans,
    verbatim,
    verdict_badge,
)

MAX_TABLE_ROWS = 200  # rows of the data view's static table; the CSV holds every row
# The data view's table: its columns on a desktop, and the three a phone or a tablet shows (below 1100 px the
# stylesheet hides the rest by position; ui builds that rule from these two lists).
TABLE_COLUMNS = ("figure", "value_as_printed", "status", "stated_by", "source", "quote")
PHONE_COLUMNS = ("figure", "value_as_printed", "status")
CARD_SHAPES = {"landscape": N_("Landscape 16:9"), "portrait": N_("Portrait 4:5")}


def finding_box(p: Page, found: list) -> None:
    """Lines of what we found in one box, each its lead, its status, the sentence, and a link to the chart that shows
    it: one box and one block of text for the findings that share a place (a box each drew three times the page)."""
    _ = p.tr._
    see = _("See the chart")
    with st.container(border=True):
        st.markdown(
            "\n\n".join(
                f"**{md(f.lead)}** {verdict_badge(p.w, f.verdict) if f.verdict else badge(p.w, f.status)}  \n"
                f"{md(f.text)} {nav_link(see, p.href(f.target))}"
                for f in found
            )
        )


def findings(p: Page) -> None:
    """What we found, each headline finding followed by the chart that shows it, so a chart is on the first screen;
    then the claims no source supports and how the year ended. A chart follows the last finding that points to it;
    the findings between two charts share one box."""
    _ = p.tr._
    groups: list[tuple[list, str | None]] = []  # (findings, the chart after them)
    current: list = []
    found = p.w.findings()
    for i, f in enumerate(found):
        current.append(f)
        later = {g.target for g in found[i + 1 :]}
        charted = {chart for _g, chart in groups}
        if f.target in CHARTS and CHARTS[f.target].on_overview and f.target not in charted | later:
            groups.append((current, f.target))
            current = []
    if current:
        groups.append((current, None))
    # The words above the first chart have their place first but are sent after it (see ui.main): the chart is on its
    # way to the browser before any text of the view.
    for i, (group, chart) in enumerate(groups):
        words = st.container()  # the findings' place, above their chart; filled once the chart is sent
        if chart:
            chart_block(p, chart)
        with words:
            if i == 0:
                heading(2, _("What we found"))
                claims_ui.overview_lead(p)  # the claims register first: every claim in the excerpt, the expert's too
            finding_box(p, group)


def draws_a_chart(view: str) -> bool:
    """Whether a view draws a chart of its own (the overview: the registry's on_overview charts)."""
    return bool(overview_charts() if view == "overview" else charts_of(view))


def overview_charts() -> list[str]:
    """The charts the overview may draw (the registry's on_overview ones), in the registry's order."""
    return [c for c, spec in CHARTS.items() if spec.on_overview]


def charts_of(view: str, drawn: bool = True) -> list[str]:
    """The charts a view draws, in the registry's order; drawn=False: those it links to, each on a page of its own."""
    return [c for c, spec in CHARTS.items() if spec.view == view and spec.on_view == drawn]


def linked_charts(p: Page, view: str) -> None:
    """A view's charts that have a page of their own: each one's title, what it draws, and its link."""
    _ = p.tr._
    for chart_id in charts_of(view, drawn=False):
        c = state.chart(p.folder, p.stamp, chart_id, p.tr.lang)
        with st.container(border=True, key=f"linked-{chart_id}"):
            heading(3, c.title)
            st.markdown(
                md(c.subtitle)
                + "  \n"
                + nav_link(
                    _("Open the chart of every statement ({n})").format(
                        n=p.tr.num(sum(i in p.ds.figures for i in c.shown))
                    ),
                    p.href(chart_id),
                )
            )


def question(p: Page, shown: set[str]) -> None:
    """The question that states the three headline figures, verbatim, once."""
    _ = p.tr._
    turn = p.ds.turn(p.ds.headline()[0].turn_id)
    shown.add(turn.turn_id)
    heading(2, _("The question, verbatim"))
    verbatim(p, turn)


def cards(p: Page) -> None:
    """A quote card per headline figure, ready to post: one popover per card, with the card drawn small and one button
    per shape, so a click always gets the shape it names. A card is built and sent only when its popover opens (a
    rerun): closed, it costs the page one button, and a visit no card is opened in builds none."""
    _ = p.tr._
    heading(2, _("Share a quote card"))
    keys = [f"card-{f.figure_id}-{size}" for f in p.ds.headline() for size in CARD_SHAPES]
    with st.container(horizontal=True, gap="small", key="cards-row"):
        for f in p.ds.headline():
            label = md(_("Card: {value}").format(value=p.w.value(f)))
            with st.popover(label, icon=":material/image:", key=f"fold-card-{f.figure_id}", on_change="rerun") as box:
                if not box.open:
                    continue
                preview = state.card(p.folder, p.stamp, f.figure_id, p.tr.lang, "landscape")
                with st.container(key=f"card-preview-{f.figure_id}"):  # the PNG's own figure, drawn small
                    st.plotly_chart(
                        state.card_preview(p.folder, p.stamp, f.figure_id, p.tr.lang),
                        theme=None,
                        width="content",
                        key=f"preview-{f.figure_id}",
                        alt=preview.alt,
                        config={"staticPlot": True, "displayModeBar": False},
                    )
                shape_buttons(
                    p,
                    f"card-{f.figure_id}",
                    lambda size, f=f: card_id(f, size),
                    lambda size, f=f: state.card_bytes(p.folder, p.stamp, f.figure_id, p.tr.lang, size),
                    CARD_SHAPES,
                )
    for key in keys:  # outside the popovers: a failed export is seen without opening one
        png_outcome(p, key)


def overview(p: Page) -> None:
    """What we found, each finding beside the chart that shows it; then the question, once, and the quote cards.
    The sources' own words are a click away, on each topic's view."""
    _ = p.tr._
    shown: set[str] = set()
    findings(p)
    question(p, shown)
    cards(p)


def overview_tail(p: Page) -> str:
    """The overview's last line, set in the footer's caption (see ui.footer): where the sources' words are."""
    _ = p.tr._
    return (
        md(_("Every source's own words, and how kztrade derived each number, are on the topic views:"))
        + " "
        + " · ".join(nav_link(_(VIEWS[v]), p.href(v)) for v in ("turnover", "containers", "brics", "data"))
    )


def turnover(p: Page) -> None:
    """Turnover: the same months each year, then every statement by period and side, then what is not on a chart."""
    _ = p.tr._
    shown: set[str] = set()
    lead = st.container()  # the view's heading: placed first, sent after its first chart (see ui.Stylesheet)
    for chart_id in charts_of("turnover"):  # the registry says which charts a view draws, in order
        chart_section(p, chart_id, shown)
    with lead:
        heading(2, _(VIEWS["turnover"]))
        st.caption(
            md(
                _(
                    "Kazakh and Russian officials give different totals for the same trade; each chart shows both, as "
                    "printed."
                )
            )
        )
    linked_charts(p, "turnover")
    unplotted(p)


def unplotted(p: Page) -> None:
    """Statements the charts leave out, each kind behind its own expander: no stated period, and totals in roubles."""
    _ = p.tr._
    no_period = [f for f in p.ds.context("turnover") if not f.has_period]
    roubles = [f for f in p.ds.context("turnover") if f.has_period and f.unit in ("rub_trn", "rub_bn")]
    if no_period:
        with folded(
            _("Statements with no period ({n})").format(n=p.tr.num(len(no_period))),
            "no-period",
            ":material/event_busy:",
        ) as box:
            if box.open:
                st.caption(md(_("Listed, not plotted: without a period they cannot be compared with anything.")))
                for f in capped_cards(p, no_period):
                    with st.container(border=True):
                        source_quote(p, f)
    if roubles:
        with folded(
            _("Totals given in roubles ({n})").format(n=p.tr.num(len(roubles))), "roubles", ":material/currency_ruble:"
        ) as box:
            if box.open:
                roubles_list(p, roubles)


def roubles_list(p: Page, roubles: list) -> None:
    """The rouble totals, each with the rate its outlet's dollar conversion implies."""
    _ = p.tr._
    st.caption(
        md(
            _(
                "Not drawn with the dollar totals: the dollar figures beside them are outlets' conversions at "
                "about "
                "the day's rate, not the governments' own."
            )
        )
    )
    rates = {d.figure_id: d for d in p.ds.derived.values() if d.method == "implied_rate"}
    for f in capped_cards(p, roubles):
        with st.container(border=True):
            source_quote(p, f)
            if f.figure_id in rates:
                d = rates[f.figure_id]
                st.caption(
                    md(f"{p.w.derived_field(d, 'label')}: {sentence(p.w.derived_value(d))} {p.w.derived_method(d)}")
                )


def containers(p: Page) -> None:
    """Containers: growth rates and the index view."""
    shown: set[str] = set()
    lead = st.container()  # the view's heading: placed first, sent after its first chart (see ui.Stylesheet)
    for chart_id in charts_of("containers"):
        chart_section(p, chart_id, shown)
    with lead:
        heading(2, p.tr._(VIEWS["containers"]))


def brics(p: Page) -> None:
    """The BRICS statements timeline, then each statement with its source's words."""
    _ = p.tr._
    lead = st.container()  # the view's heading: placed first, sent after its first chart (see ui.Stylesheet)
    left, right = st.columns([3, 2], gap="large")
    with left:
        for chart_id in charts_of("brics"):
            chart_block(p, chart_id)
    with lead:
        heading(2, _(VIEWS["brics"]))
    with right:
        heading(4, _("The statements"))
        for e in p.ds.events:
            with st.container(border=True):
                events_line(p, e)


def events_line(p: Page, e) -> None:
    """One statement: its date and who, what was said in our words, the source's sentence or the claim's status."""
    _, w = p.tr._, p.w
    when = p.tr.date_range(e.date, e.date_end)
    st.markdown(f"**{md(when)}** · {md(w.event(e, 'actor'))}  \n{md(w.event(e, 'description'))}")
    if e.turn_id:
        turn = p.ds.turn(e.turn_id)
        st.markdown(f"> {md('…' + e.span + '…', verbatim=True)}")
        st.markdown(f"{event_badge(w, e)} {md(w.turn_label(turn))}. {md(w.event(e, 'status_note'))}")
        return
    if e.quote:
        st.markdown("> " + md(e.quote, verbatim=True))
    st.caption(source_link(p, e.source_id))


def interview(p: Page) -> None:
    """The whole excerpt, turn by turn, each figure highlighted and linked to its chart."""
    _, iv, w = p.tr._, p.ds.interview, p.w
    st.markdown(
        md(
            _(
                "Our copy of the interview, verbatim. It is an excerpt; read the whole interview at the original "
                "address."
            )
        )
        + " "
        + link(_("Original interview on {outlet}").format(outlet=iv.outlet), iv.url)
    )
    st.caption(md(w.interview_field("completeness_note")) + " " + md(w.interview_field("date_reason")))
    with st.container(key="interview-reader"):  # a readable measure: the stylesheet keeps lines near 75 characters
        for t in p.ds.turns:
            ours = w.turn_translation(t) if p.tr.lang != "en" else ""
            if t.kind == "title":
                if ours:  # a reader of another language reads ours first, the original under it, labelled
                    st.markdown(f"## {md(ours)}")
                    st.caption(md(_("Original, in English: {text}").format(text=t.text), verbatim=True))
                else:
                    st.markdown(f"## {md(t.text, verbatim=True)}")
                claims_ui.marks(p, t.turn_id)
                continue
            with st.container(border=t.kind != "lead"):
                if t.kind != "lead":
                    st.markdown(f"**{md(w.turn_label(t))}**")
                byline, words = split_byline(t.words, iv.interviewer) if t.kind == "lead" else ("", t.words)
                if byline and not ours:
                    st.caption(md(byline, verbatim=True))
                original = highlight(words, turn_spans(p.ds, t.turn_id), p)
                if ours:  # ours first, at reading size; the verbatim original (its byline too) under it, labelled
                    said = _("Verbatim, in English, as {outlet} printed it:").format(outlet=iv.outlet)
                    st.markdown(md(_("Our translation: {text}").format(text=ours)))
                    printed = f":small[{md(byline, verbatim=True)}]  \n{original}" if byline else original
                    st.markdown(f":small[{md(said)}]\n\n{printed}")
                else:
                    st.markdown(original)
                for f in (f for f in p.ds.headline() if f.turn_id == t.turn_id):
                    st.markdown(
                        f"{judged_badge(w, f)} {md(w.quoted(f.span), verbatim=True)}, {md(w.fig(f, 'label'))}: "
                        f"{md(w.fig(f, 'status_note'))}"
                    )
                for e in (e for e in p.ds.events if e.turn_id == t.turn_id):
                    st.markdown(
                        f"{event_badge(w, e)} {md(w.quoted(e.span), verbatim=True)}: {md(w.event(e, 'status_note'))}"
                    )
            claims_ui.marks(p, t.turn_id)


def split_byline(words: str, interviewer: str) -> tuple[str, str]:
    """The lead's byline and the rest: our copy runs them together ("By Tural HeybatovIn an interview…"). Shown on
    two lines, every character as printed; the copy itself is unchanged."""
    byline = f"By {interviewer}"
    if interviewer and words.startswith(byline) and words[len(byline) : len(byline) + 1].isupper():
        return byline, words[len(byline) :]
    return "", words


def shown_cell(p: Page, row: dict, column: str, usual: str) -> object:
    """A data-view cell: the row's value, except in the status column: the usual status is left blank (the CSV keeps
    it), and a headline figure shows the verdict on the claim that states it, the word the claims view uses."""
    if column != "status":
        return row[column]
    f = p.ds.figures.get(row["id"]) if row.get("kind") == "headline" else None
    claim = p.ds.claim_stating(f) if f else None
    if claim is not None:
        return p.tr._("Our verdict: {verdict}").format(verdict=p.w.verdict(claim.verdict))
    return "" if row[column] == usual else row[column]


def data(p: Page) -> None:
    """Every figure with its value, status, who stated it and its source's words; CSV; sources; citations."""
    _ = p.tr._
    heading(2, _("All figures"))
    st.markdown(
        md(_("Every figure on this dashboard: the interview's, what other sources state, and what kztrade derives."))
    )
    rows = state.table_rows(p.folder, p.stamp, p.tr.lang)
    names = {
        "figure": _("Figure · period · who"),
        "label": _("Figure"),
        "value_as_printed": _("Value"),
        "status": _("Status"),
        "period": _("Period"),
        "who": _("Who stated it"),
        "stated_by": _("Stated by"),
        "source": _("Source"),
        "quote": _("The source's words"),
        "quote_translation": _("Our translation"),
        "note": _("Note"),
        "address": _("Address"),
        "id": "id",
    }
    # One table, every cell's text wrapping, so no cell is cut (a scrolling grid showed 11 rows and truncated the
    # quotes): on a desktop (1100 px and wider) every column; on a phone or a tablet the stylesheet shows three of them,
    # which figure, its value and its status (PHONE_COLUMNS). One table, not one per width: a hidden copy would still
    # weigh on the page. The CSV has every column.
    # A Markdown table, every cell made literal with md() like all data text: st.table would import pandas and Arrow
    # (0.3 s and about 90 MiB) for a table that is only text, and pandas half-imported on one thread breaks plotly on
    # every other (plotly looks pandas up in sys.modules).
    usual = p.w.status("reported")  # the usual status, on nearly every row: said once above the table, not per row
    st.caption(md(_("A status is given only where it is not the usual one: {usual}.").format(usual=usual)))
    with st.container(key="figures-table"):
        st.markdown(
            md_table(
                [names[c] for c in TABLE_COLUMNS],
                [[shown_cell(p, r, c, usual) for c in TABLE_COLUMNS] for r in rows[:MAX_TABLE_ROWS]],
            )
        )
    if (
        len(rows) > MAX_TABLE_ROWS
    ):  # a static table is all in the page: past this, a browser would hold it all in memory
        st.caption(
            md(
                _("The first {shown} of {total} rows; the CSV below has every row.").format(
                    shown=p.tr.num(MAX_TABLE_ROWS), total=p.tr.num(len(rows))
                )
            )
        )
    st.download_button(
        _("Download all figures (CSV)"),
        data=lambda: safe_csv(state.table_rows(p.folder, p.stamp, p.tr.lang)),
        file_name=f"kztrade-figures{lang_suffix(p.tr)}.csv",
        mime="text/csv",
        on_click="ignore",
        key="csv-all",
        icon=":material/table:",
    )
    st.caption(md(_("The CSV has every column: {columns}.").format(columns=", ".join(COLUMNS))))
    status_legend(p)
    heading(2, _("Sources"))
    # Every source in one list (not one element per source), sent once the reader opens it: the list is a tenth of
    # the page's weight, and the table above already names each figure's source.
    with folded(
        _("Every source we read ({n})").format(n=p.tr.num(len(p.ds.sources))), "sources", ":material/menu_book:"
    ) as box:
        if box.open:
            lines = []
            for s in p.ds.sources.values():
                alt = " (" + link(_("also here"), s.url_alt) + ")" if s.url_alt else ""
                when = p.tr.date(s.published) or _("no date on the page")
                read = _("Read on {date}.").format(date=p.tr.date(s.accessed.isoformat()))
                outlet = p.w.outlet(s.source_id)
                lines.append(
                    f"- {link(outlet, s.url)}{alt}, {md(when)}: {md(p.w.source_about(s.source_id))} {md(read)}"
                )
            st.markdown("\n".join(lines))
    heading(2, _("Cite this"))
    st.markdown(md(_("The dashboard:")))
    st.code(
        cite_text(p, _("Kazakhstan–Russia trade: one interview's numbers, checked"), p.absolute("overview")),
        language=None,
        wrap_lines=True,
    )
    with folded(_("Cite one chart ({n})").format(n=p.tr.num(len(CHARTS))), "cite-charts", ":material/link:") as box:
        if box.open:  # each citation with its own copy button, sent once the reader asks for them
            for chart_id in CHARTS:
                c = state.chart(p.folder, p.stamp, chart_id, p.tr.lang)
                st.markdown(md(c.title) + ":")
                st.code(cite_text(p, c.title, p.absolute(chart_id)), language=None, wrap_lines=True)


def status_legend(p: Page) -> None:
    """What each status means, with the badge the page shows for it (a status with no badge says so)."""
    _ = p.tr._
    heading(3, _("What the statuses mean"))
    lines = []
    for key in STATUSES:
        shown = badge(p.w, key) or f"**{md(p.w.status(key))}**"
        note = "" if STATUSES[key].badge else " " + md(_("(no badge: this is the usual case)"))
        lines.append(f"- {shown}{note}: {md(p.w.status_definition(key))}")
    st.markdown("\n".join(lines))  # one list, not an element per status


def cite_text(p: Page, title: str, url: str) -> str:
    """A plain citation for the dashboard or one chart, with the date it was read (today, in the reader's language)."""
    iv = p.ds.interview
    if not urlsplit(url).netloc or is_loopback(url):  # no address, or a local server's: a reader can use neither
        return p.tr._(
            "kztrade, “{title}”, with figures from {outlet}, “{interview}”, {when}, and the sources listed in the "
            "kztrade data package. Accessed {accessed}."
        ).format(
            title=title,
            outlet=iv.outlet,
            interview=p.ds.turn("title").text,
            when=p.w.published(),
            accessed=p.tr.date(date.today().isoformat()),
        )
    return p.tr._(
        "kztrade, “{title}”, with figures from {outlet}, “{interview}”, {when}, and the sources listed in the kztrade "
        "data package. {url}, accessed {accessed}."
    ).format(
        title=title,
        outlet=iv.outlet,
        interview=p.ds.turn("title").text,
        when=p.w.published(),
        url=url,
        accessed=p.tr.date(date.today().isoformat()),
    )


def chart_view(p: Page, chart_id: str) -> None:
    """One chart on its own, as a shared link opens it."""
    _ = p.tr._
    view = CHARTS[chart_id].view
    lead = st.container()  # placed first, sent after the chart (see ui.Stylesheet)
    chart_section(p, chart_id, set())
    with lead:
        heading(2, _(VIEWS[view]))
        st.markdown(md(_("Showing one chart of this view.")) + " " + nav_link(_("See the whole view"), p.href(view)))


def embed_view(p: Page, chart_id: str) -> None:
    """An embedded chart alone: its title, unit and period, source line, and a link back to the full view."""
    _ = p.tr._
    chart_block(p, chart_id, actions=False, level=2)
    target = p.absolute(CHARTS[chart_id].view) if p.base_url else p.href(CHARTS[chart_id].view)
    st.markdown(nav_link(_("Open this chart with its sources in kztrade"), target))


PAGES = {
    "overview": overview,
    "claims": claims_ui.view,
    "turnover": turnover,
    "containers": containers,
    "brics": brics,
    "interview": interview,
    "data": data,
}
