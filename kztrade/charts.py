"""Plotly figures built from records, drawn narrow-first so they read from 360 px to 1400 px.

Plotly never wraps text, so a chart here holds only what must sit in the plot: bars, their values at the
bar ends and a label line above each bar (no y-axis labels eating the width, no legend: every series is
named where it is drawn). Title, subtitle and source line are page text on screen, where they wrap;
`compose` draws those same strings into the figure for a PNG or SVG. Rows are laid out in pixels (the
y axis is in pixels), so no two texts can meet at any width. Figures carry an explicit template and
colours, so the screen and a PNG look the same. Every sentence a chart shows is worded in statements.py (Words);
this module lays it out.
"""

from __future__ import annotations

import calendar
import copy
import functools
import html
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

import plotly.graph_objects as go
import plotly.io as pio

from .i18n import Tr, typeset
from .model import Dataset, Derived, Figure
from .statements import LABEL_ROOM, SERIES_REGISTRY, STATUSES, Words

# Okabe–Ito fills, distinguishable with the common colour-vision deficiencies; every bar is also named.
COLOURS = {k: v.colour for k, v in SERIES_REGISTRY.items()} | {"base": "#BBBBBB"}  # base: an index's 100
# Darker shades for text and outlines, from the same registry.
TEXT_COLOURS = {k: v.text_colour for k, v in SERIES_REGISTRY.items()} | {"base": "#595959"}
# Statuses never reuse a series colour.
STATUS_COLOURS = {key: s.text_colour for key, s in STATUSES.items()}
INK, MUTED, GRID = "#1F2328", "#59606B", "#E5E7EB"
FONT = "Arial, 'Liberation Sans', 'DejaVu Sans', Helvetica, sans-serif"
EXPORT_WIDTH = 600  # a PNG seen 500 px wide in a feed keeps its 12 px text at 10 px
SIZES = {"label": 13, "value": 13, "group": 13, "section": 13, "tick": 12, "note": 12}
# Pixel heights of the rows a bar chart is built from.
ROW = {"section": 30, "group": 24, "label": 18, "bar": 16, "gap": 8, "note": 18}
MARGIN = dict(l=10, r=10, t=6, b=34)

# plotly_white's layout and the defaults of the two trace kinds we draw, not its defaults for all 24 kinds: every
# figure carries its template, so this is 2.9 kB of each chart's JSON instead of 7 kB, and a tenth of the work to build.
# Kept as plotly's own JSON of it, a plain dict (figures are built unvalidated, see unvalidated()): building it as a
# Template object was 15 ms of every fresh server's first visit, before its first chart.
_WHITE = pio.templates["plotly_white"].to_plotly_json()
TEMPLATE = {"layout": _WHITE["layout"], "data": {kind: _WHITE["data"][kind] for kind in ("bar", "scatter")}}
TEMPLATE["layout"].update(
    font=dict(family=FONT, size=13, color=INK),
    paper_bgcolor="#FFFFFF",
    plot_bgcolor="#FFFFFF",
    colorway=list(COLOURS.values()),
    hoverlabel=dict(font=dict(family=FONT, size=13)),
)
for _axis in ("xaxis", "yaxis"):
    TEMPLATE["layout"][_axis] = {**TEMPLATE["layout"][_axis], "gridcolor": GRID}


def esc(text: str) -> str:
    """Data text made literal for plotly, which reads <, > and & as markup in every text and hover field."""
    return html.escape(text, quote=False)


FONT_FILES = {
    False: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    True: "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
}  # Arial's metrics; packages.txt installs them


@functools.lru_cache(maxsize=64)
def font(size: int, bold: bool):
    """The font Chromium draws chart text in (Liberation Sans, metric-compatible with Arial), or None if it is
    missing."""
    try:
        from PIL import ImageFont

        return ImageFont.truetype(FONT_FILES[bold], size)
    except (OSError, ImportError):
        return None


def text_px(text: str, size: int, bold: bool = False) -> float:
    """A line's width in pixels, measured in the real font (an overestimate of 0.62 em a character without it)."""
    f = font(size, bold)
    return f.getlength(text) if f is not None else len(text) * size * 0.62


HOVER_WRAP = 40  # characters per tooltip line: a 13 px tooltip of 40 characters fits a 360 px phone


def hover_text(lines: tuple[str, ...]) -> str:
    """A tooltip: each plain line escaped and wrapped, the line breaks ours (escaping the joined text printed
    '<br>')."""
    return "<br>".join(esc(part) for line in lines for part in wrap(line, HOVER_WRAP))


@dataclass(frozen=True)
class Chart:
    """A built chart: the plot, the words around it, a text alternative and the ids of every record it draws."""

    chart_id: str
    figure: go.Figure
    title: str
    subtitle: str
    source: str
    credit: str
    alt: str
    shown: tuple[str, ...]
    lang: str = "en"
    notes: tuple[str, ...] = ()

    def texts(self) -> list[str]:
        """The strings drawn around the plot, on screen and in the PNG alike."""
        return [self.title, self.subtitle, *self.notes, self.source, self.credit]


@dataclass(frozen=True)
class ChartSpec:
    """A chart the dashboard offers: its id, its view, its builder, what it draws, whether the overview draws it
    under the finding it shows, and whether its view draws it or links to it. Pages, the export, the routes and the
    tests read this one registry."""

    chart_id: str
    view: str
    build: Callable[[Dataset, Tr], Chart]
    draws: str = ""  # the data it draws, in a few words (for a newcomer and the README)
    on_overview: bool = False
    # drawn on its view; False: a page of its own (its link, ?view=<chart_id>), which the view links to under its
    # title, so that no view carries more than one long chart (a page's weight: bench/visit_bench.py)
    on_view: bool = True


@dataclass
class Row:
    """One line of a bar chart: a section or group heading, a bar with the label above it, or a note."""

    kind: str
    text: str
    value: float = 0.0
    series: str = ""
    value_text: str = ""
    bound: str = "exact"
    highlight: bool = False
    muted: bool = False
    hover: tuple[str, ...] = ()  # plain lines of the tooltip; the bar's text when empty
    colour: str = ""


@dataclass
class Layout:
    """Where each row sits, in pixels from the top of the plot."""

    y: list[float] = field(default_factory=list)
    height: float = 0.0


# Plotly never wraps, so each chart's lines are broken here, for the width every reader gets: a 360 px phone
# (Russian included), the PNG (600 px) and an embed. A desktop draws the same chart in a column of that measure.
LABEL_CHARS = LABEL_ROOM  # characters per line of a 13 px label or heading (statements.LABEL_ROOM)
NOTE_CHARS = 46  # of a 12 px note inside a chart
TIMELINE_CHARS = 40  # of the timeline's 13 px text
LINE_PX = 17


def lines_of(r: Row) -> list[str]:
    """A row's text as the lines it is drawn in."""
    return wrap(r.text, LABEL_CHARS) if r.kind != "note" else [r.text]


def place(rows: list[Row]) -> Layout:
    """Stack rows top to bottom, in pixels; a bar row is its label lines, then its bar."""
    out, y = Layout(), 0.0
    for r in rows:
        extra = LINE_PX * (len(lines_of(r)) - 1)
        if r.kind == "bar":
            out.y.append(y + ROW["label"] + extra + ROW["bar"] / 2)
            y += ROW["label"] + extra + ROW["bar"] + ROW["gap"]
        else:
            y += (ROW[r.kind] if out.y or r.kind != "section" else ROW[r.kind] - 8) + extra
            out.y.append(y)
    out.height = y + 4
    return out


# plotly's offsets of a value from its bar's end, px: a bar's outside text (TEXTPAD in plotly.js's bar/plot.js) and
# a text beside an 11 px marker (its radius / 0.8 + 1, Drawing.textPointPosition).
VALUE_PAD = {"bar": 3, "open": 8}
PANEL_GAP = 44  # px between two panels: the upper panel's tick labels, then air before the next panel's heading


def panels_of(rows: list[Row]) -> list[list[Row]]:
    """Rows split at each section heading: one panel per section, each with an x axis of its own."""
    out: list[list[Row]] = []
    for r in rows:
        if r.kind == "section" or not out:
            out.append([])
        out[-1].append(r)
    return out


def unvalidated(data: list[dict], layout: dict) -> go.Figure:
    """A figure from traces and a layout already written as plotly's JSON, handed over without plotly's property
    validation: it was a third of the first chart's cost on a fresh server (0.05 s for the overview's two). `_validate`
    is plotly's own switch (used by plotly.express), pinned with plotly in requirements.txt; the tests validate every
    chart in every language (test_every_chart_is_valid_plotly), so a misspelt property still fails there."""
    return go.Figure(data=data, layout=layout, _validate=False)


def bar_figure(rows: list[Row], x_max: float | None = None, panels: bool = False) -> go.Figure:
    """Horizontal bars with a label line above each, values at the bar ends, headings between groups.

    With panels=True each section is a panel with its own x axis, so figures of different periods are set apart, but
    every panel has the same range: bars of one unit are drawn to one scale, so +65 % is never as long as +69 %. The
    axes run to the largest bar of the chart; the value labels sit in a right margin measured
    in pixels, so the bars use the width the chart is drawn at (a range padded for a phone left a desktop's plot
    half empty). Traces are collected first and handed to plotly once: add_bar re-validates the whole figure on
    every call, which made a chart of n rows cost n² (seen at 1,000 rows)."""
    groups = panels_of(rows) if panels else [rows]
    lays = [place(g) for g in groups]
    plot_h = sum(lay.height for lay in lays) + PANEL_GAP * (len(lays) - 1)
    traces: list[dict] = []
    axes: dict = {}
    top = 0.0
    right = 12 + max(
        (
            text_px(r.value_text, SIZES["value"], r.highlight)
            + (VALUE_PAD["open"] if r.bound == "lower_bound" else VALUE_PAD["bar"])
            for r in rows
            if r.kind == "bar"
        ),
        default=0,
    )
    high = x_max or max((r.value for r in rows if r.kind == "bar"), default=1) or 1  # one scale for every panel
    for k, (group, lay) in enumerate(zip(groups, lays), start=1):
        xa, ya = ("x", "y") if k == 1 else (f"x{k}", f"y{k}")
        domain = [1 - (top + lay.height) / plot_h, 1 - top / plot_h]
        axes["yaxis" if k == 1 else f"yaxis{k}"] = dict(
            range=[lay.height, 0], visible=False, fixedrange=True, domain=domain
        )
        axes["xaxis" if k == 1 else f"xaxis{k}"] = dict(
            range=[0, high * 1.02],
            showgrid=True,
            zeroline=True,
            zerolinecolor="#9AA0A8",
            anchor=ya,
            nticks=5,
            fixedrange=True,
            side="bottom",
            ticks="",
            tickfont=dict(size=SIZES["tick"], color=MUTED),
            automargin=False,
        )
        traces += panel_marks(group, lay, xa, ya)
        top += lay.height + PANEL_GAP
    return unvalidated(
        data=traces,
        layout=dict(
            template=TEMPLATE,
            height=int(plot_h + MARGIN["t"] + MARGIN["b"]),
            margin=dict(MARGIN, r=int(right)),
            barmode="overlay",
            showlegend=False,
            dragmode=False,
            hovermode="closest",
            **axes,
        ),
    )


def panel_marks(rows: list[Row], lay: Layout, xa: str, ya: str) -> list[dict]:
    """The bars, open ends, value labels, bar labels and headings of one panel.

    A panel's bars are one trace, their values its text and their labels one text trace: an annotation is five
    elements of the page and a trace per bar four more, which made the turnover view 5× the bare app's page. The
    headings and notes are in the labels' trace (words_trace)."""
    bars = [(r, y) for r, y in zip(rows, lay.y) if r.kind == "bar"]
    if not bars:
        words = headings(rows, lay)
        return [words_trace(words, xa, ya)] if words else []
    weight = ["<b>{}</b>" if r.highlight else "{}" for r, _y in bars]
    values = [w.format(esc(r.value_text)) for (r, _y), w in zip(bars, weight)]
    ends = [i for i, (r, _y) in enumerate(bars) if r.bound == "lower_bound"]  # open ends: the bar may run further
    fills = [r.colour or (COLOURS[r.series] if not r.muted else "#DADDE1") for r, _y in bars]
    lines = [TEXT_COLOURS[r.series] if not r.muted else "#A9AEB6" for r, _y in bars]
    hatched = any(r.bound == "approximate" for r, _y in bars)
    traces = [
        dict(
            type="bar",
            name="bars",
            x=[r.value for r, _y in bars],
            y=[y for _r, y in bars],
            xaxis=xa,
            yaxis=ya,
            orientation="h",
            width=ROW["bar"],
            marker=dict(
                color=fills,
                line=dict(
                    color=[INK if r.highlight else c for (r, _y), c in zip(bars, lines)],
                    width=[2 if r.highlight else 1 for r, _y in bars],
                ),
                **(
                    dict(
                        pattern=dict(
                            shape=["/" if r.bound == "approximate" else "" for r, _y in bars],
                            fgcolor="#FFFFFF",
                            size=6,
                            solidity=0.35,
                        )
                    )
                    if hatched
                    else {}
                ),
            ),
            # The value at the bar's end (an open end's value sits past its arrowhead, in the trace below).
            text=["" if i in ends else v for i, v in enumerate(values)],
            textposition="outside",
            textangle=0,
            constraintext="none",
            cliponaxis=False,
            outsidetextfont=dict(size=SIZES["value"], color=INK),
            hovertemplate="%{customdata}<extra></extra>",
            customdata=[hover_text(r.hover or (r.text,)) for r, _y in bars],
            showlegend=False,
        )
    ]
    if ends:  # an arrowhead at the bar's end, its value past it
        traces.append(
            dict(
                type="scatter",
                name="open ends",
                x=[bars[i][0].value for i in ends],
                y=[bars[i][1] for i in ends],
                xaxis=xa,
                yaxis=ya,
                mode="markers+text",
                text=[values[i] for i in ends],
                textposition="middle right",
                textfont=dict(size=SIZES["value"], color=INK),
                showlegend=False,
                hoverinfo="skip",
                cliponaxis=False,
                marker=dict(
                    symbol="triangle-right",
                    size=11,
                    color=[lines[i] for i in ends],
                    line=dict(width=0),
                ),
            )
        )
    labels = [
        ("label", y - ROW["bar"] / 2 - 2, "<br>".join(w.format(esc(t)) for t in lines_of(r)), SIZES["label"], colour)
        for (r, y), w, colour in zip(
            bars, weight, [MUTED if r.muted else TEXT_COLOURS.get(r.series, INK) for r, _y in bars]
        )
    ]
    return traces + [words_trace(labels + headings(rows, lay), xa, ya)]


def headings(rows: list[Row], lay: Layout) -> list[tuple[str, float, str, float, str]]:
    """A panel's section and group headings and its notes, each as (kind, y, text, size, colour); the line a row's
    text ends on sits at its y."""
    style = {"section": (SIZES["section"], MUTED), "group": (SIZES["group"], INK), "note": (SIZES["note"], None)}
    out = []
    for r, y in zip(rows, lay.y):
        if r.kind in style:
            size, colour = style[r.kind]
            text = esc(r.text) if r.kind == "note" else "<br>".join(f"<b>{esc(t)}</b>" for t in lines_of(r))
            out.append((r.kind, y, text, size, colour or r.colour or STATUS_COLOURS["derived"]))
    return out


def words_trace(words: list[tuple[str, float, str, float, str]], xa: str, ya: str) -> dict:
    """Every word a panel draws at its left edge, one text trace: the bars' labels, the headings and the notes, each
    point's kind ("label", "section", "group", "note") in its customdata.

    The headings and notes were annotations: each one a group of the page's elements that plotly measures in the
    browser before placing it, which made the overview's chart (8 of them) take 160 ms to draw on a visitor's first
    page, against 124 ms as text (Chromium, medians of 24 fresh pages); and one trace for all of them, not one for
    each kind, keeps a view of two charts under 3x the bare app's page. A transparent 1.6 px marker at x = 0 sets each
    text where the annotations sat: 2 px in from the axis and up from its y (the marker's radius / 0.8 + 1), with
    its last line at y; with no marker it would touch the axis line."""
    kinds, ys, texts, sizes, colours = (list(column) for column in zip(*words))
    return dict(
        type="scatter",
        name="text",
        x=[0] * len(words),
        y=ys,
        xaxis=xa,
        yaxis=ya,
        mode="markers+text",
        marker=dict(size=1.6, color="rgba(0,0,0,0)"),
        text=texts,
        customdata=kinds,
        textposition="top right",
        textfont=dict(size=sizes, color=colours),
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
    )


def figure_row(w: Words, f: Figure, label: str, highlight: bool = False, muted: bool = False) -> Row:
    """A bar for one figure, named by who stated it, with its hover citation."""
    hover = w.hover_lines(f)
    return Row("bar", label, f.value, f.series, w.number(f), f.bound, highlight, muted, hover)


def grouped(items: list, key: Callable) -> dict:
    """Items by key, keys in first-seen order, in one pass (a list scan per key was quadratic on grown data)."""
    out: dict = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def x_limit(values: list[float]) -> float:
    """The axis's end: the largest value (its label sits in the right margin, measured in pixels)."""
    return max(values)


# Bars one chart draws at most. 40 rows keep the tallest chart near 2,000 px on screen and its PNG (at scale 2,
# with title and source) under export.MAX_SIDE_PX; a grown dataset shows a note saying how many are not drawn.
MAX_BARS = 40


def capped(figs: list[Figure], limit: int = MAX_BARS) -> tuple[list[Figure], int]:
    """At most `limit` figures, in their order: every headline figure, then the most recent statements; and how
    many were left out."""
    if len(figs) <= limit:
        return figs, 0
    keep = {f.figure_id for f in figs if f.kind == "headline"}
    rest = sorted(
        (f for f in figs if f.figure_id not in keep),
        key=lambda f: (f.period_end or date.min, f.stated_on),
        reverse=True,
    )
    keep.update(f.figure_id for f in rest[: max(0, limit - len(keep))])
    return [f for f in figs if f.figure_id in keep], len(figs) - len(keep)


def repeated(keys: Iterable) -> set:
    """The keys that occur more than once: a side that gave one period several numbers, whose bars then say when."""
    return {k for k, n in Counter(keys).items() if n > 1}


def same_months(ds: Dataset, head: Figure) -> list[Figure]:
    """Every turnover figure in dollars for the same months of the year as the interview's, any year."""
    months = (head.period_start.month, head.period_start.day, head.period_end.month, head.period_end.day)
    return [
        f
        for f in ds.figures.values()
        if f.measure == "turnover"
        and f.unit == "usd_bn"
        and f.has_period
        and (f.period_start.month, f.period_start.day, f.period_end.month, f.period_end.day) == months
    ]


def turnover_bases(ds: Dataset) -> list[Derived]:
    """The derived changes of the interview's turnover figure, one per side's base."""
    return [
        d
        for d in ds.derived.values()
        if d.method == "pct_change"
        and ds.figures[d.figure_id].measure == "turnover"
        and ds.figures[d.figure_id].kind == "headline"
    ]


def like_for_like(ds: Dataset) -> list[Derived]:
    """Changes between two context totals of one side, for the same months of two years: what "will it grow?" is judged
    on."""
    return [
        d
        for d in ds.derived.values()
        if d.method == "pct_change"
        and ds.figures[d.figure_id].measure == "turnover"
        and ds.figures[d.figure_id].kind == "context"
    ]


def turnover_ytd(ds: Dataset, tr: Tr) -> Chart:
    """The interview's January–August total beside every total stated for the same months, each year."""
    w = Words(ds, tr)
    derivs = turnover_bases(ds)
    head = ds.figures[derivs[0].figure_id]
    figs, left_out = capped(
        sorted(same_months(ds, head), key=lambda f: (f.period_start, f.kind != "headline", f.series))
    )
    rows: list[Row] = []
    for group in grouped(figs, lambda f: f.period_start.year).values():
        rows.append(Row("group", w.period(group[0])))
        restated = repeated(f.series for f in group)  # two statements of one side: say when, or whose
        labels = w.who_restated([f for f in group if f.series in restated])
        for f in group:
            rows.append(figure_row(w, f, labels.get(f.figure_id, w.who(f)), highlight=f.kind == "headline"))
            if f.kind == "headline":
                for d in derivs:
                    note = w.against_period(d)
                    rows += [Row("note", line) for line in wrap(note, NOTE_CHARS)]
    fig = bar_figure(rows, x_limit([f.value for f in figs]))
    shown = (*[f.figure_id for f in figs], *[d.derived_id for d in derivs])
    title, subtitle, alt = w.ytd_text(head, figs, derivs)
    return Chart(
        "turnover_ytd",
        fig,
        title,
        subtitle,
        w.source_line(figs, derived=derivs),
        w.credit("turnover_ytd"),
        alt,
        shown,
        tr.lang,
        w.not_drawn(left_out),
    )


def turnover_series(ds: Dataset, tr: Tr) -> Chart:
    """Every dollar total stated for the trade, by period and by who stated it: whole years, then part-years."""
    w = Words(ds, tr)
    figs, left_out = capped(
        [f for f in ds.figures.values() if f.measure == "turnover" and f.unit == "usd_bn" and f.has_period]
    )
    whole, part = w.series_sections()
    sections = [
        (whole, sorted([f for f in figs if f.is_full_year], key=lambda f: (f.period_start, f.series))),
        (
            part,
            sorted([f for f in figs if not f.is_full_year], key=lambda f: (f.period_end, f.series)),
        ),
    ]
    rows: list[Row] = []
    labels: dict[str, str] = {}  # figure id -> "who, when", for the bars of a period one side restated
    for name, group_figs in sections:
        rows.append(Row("section", name))
        for period, same in grouped(group_figs, w.period).items():
            rows.append(Row("group", period))
            # one year, several numbers: where one series gave a period more than one number, each bar says when
            restated = repeated(f.series for f in same)
            labels.update(w.who_restated([f for f in same if f.series in restated]))
            rows += [figure_row(w, f, labels.get(f.figure_id, w.who(f)), highlight=f.kind == "headline") for f in same]
    fig = bar_figure(rows, x_limit([f.value for f in figs]))
    years = sorted({f.period_start.year for f in figs})
    ordered = [f for _n, g in sections for f in g]
    title, subtitle, alt = w.series_text(years, ordered, labels)
    pairs = like_for_like(ds)
    return Chart(
        "turnover_series",
        fig,
        title,
        subtitle,
        w.source_line(sorted(ordered, key=lambda f: f.kind != "headline")),
        w.credit("turnover_series"),
        alt,
        (*[f.figure_id for f in ordered], *[d.derived_id for d in pairs]),
        tr.lang,
        w.not_drawn(left_out),
    )


def container_rows(w: Words, heads: list[Figure], context: list[Figure], focus: str = "") -> list[Row]:
    """Growth rates by period: the interview's and the report it matches, then the railway's earlier ones."""
    said = w.growth_rows()
    rows: list[Row] = []
    pinned = [f for f in context if any(h.matches == f.figure_id for h in heads)]
    earlier = [f for f in context if f not in pinned]
    if heads:
        period = w.period(pinned[0]) if pinned else w.period(heads[0])
        rows.append(Row("section", said["section"].format(period=period)))
        for h in heads:
            rows.append(Row("group", w.route(h.measure)))
            muted = bool(focus) and h.figure_id != focus
            rows.append(
                figure_row(
                    w,
                    h,
                    said["interview"],
                    highlight=not muted,
                    muted=muted,
                )
            )
            for f in (f for f in pinned if f.figure_id == h.matches):
                rows.append(figure_row(w, f, said["report"].format(period=w.period(f)), muted=muted))
    if earlier:
        first = earlier[0]
        rows.append(Row("section", said["earlier"].format(period=w.period(first))))
        for measure in dict.fromkeys(f.measure for f in earlier):
            rows.append(Row("group", w.route(measure)))
            rows += [
                figure_row(
                    w,
                    f,
                    said["against"].format(
                        who=said["railway"] if f.series == "KZ_rail" else w.series_short(f.series),
                        base=w.fig(f, "comparison_base"),
                    ),
                    muted=bool(focus),
                )
                for f in earlier
                if f.measure == measure
            ]
    return rows


def containers_growth(ds: Dataset, tr: Tr, focus: str = "") -> Chart:
    """Container growth rates: the interview's, the report they match, and the railway's earlier ones apart."""
    w = Words(ds, tr)
    figs, left_out = capped([f for f in ds.figures.values() if f.topic == "containers" and f.unit == "pct"])
    heads = [f for f in figs if f.kind == "headline"]
    context = [f for f in figs if f.kind == "context"]
    rows = container_rows(w, heads, context, focus)
    for r in rows:
        if r.kind == "bar":
            r.value_text = tr.pct(r.value, 0, signed=True)
    fig = bar_figure(rows, panels=True)  # one panel per period, all drawn to one scale
    title, subtitle, alt = w.growth_text(figs)
    shown = tuple(f.figure_id for f in heads + context)
    return Chart(
        "containers_growth",
        fig,
        title,
        subtitle,
        w.source_line(heads + context),
        w.credit("containers_growth"),
        alt,
        shown,
        tr.lang,
        w.not_drawn(left_out),
    )


def containers_index(ds: Dataset, tr: Tr) -> Chart:
    """The interview's growth rates as an index beside their base (the same months of 2023 = 100)."""
    w = Words(ds, tr)
    derivs = [d for d in ds.derived.values() if d.method == "index_from_growth"]
    heads = [ds.figures[d.figure_id] for d in derivs]
    pinned = [ds.figures[h.matches] for h in heads if h.matches]
    period = w.period(pinned[0]) if pinned else w.period(heads[0])
    base_period = w.fig(heads[0], "comparison_base")  # the interview's own words for its base, set mid-sentence
    rows: list[Row] = []
    for d, h in zip(derivs, heads):
        rows.append(Row("group", w.route(h.measure)))
        base_label, this_year = w.index_rows(h, w.fig(h, "comparison_base"))
        rows.append(Row("bar", base_label, 100, "base", tr.num(100), hover=(base_label,)))
        rows.append(
            Row(
                "bar",
                this_year,
                d.value,
                "interview",
                w.derived_value(d),
                highlight=True,
                hover=(w.derived_value(d), w.derived_method(d)),
            )
        )
    fig = bar_figure(rows, x_limit([d.value for d in derivs]))
    title, subtitle, alt = w.index_text(base_period, period, derivs, heads)
    shown = (*[d.derived_id for d in derivs], *dict.fromkeys(f.figure_id for f in heads + pinned))
    return Chart(
        "containers_index",
        fig,
        title,
        subtitle,
        w.source_line(heads + pinned, derived=derivs),
        w.credit("containers_index"),
        alt,
        shown,
        tr.lang,
    )


def last_day(text: str) -> str:
    """The last day a YYYY[-MM[-DD]] date can mean, as YYYY-MM-DD: dates known to the month sort at its end."""
    parts = text.split("-")
    if len(parts) == 3:
        return text
    if len(parts) == 1:
        return f"{text}-12-31"
    year, month = int(parts[0]), int(parts[1])
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


YEAR_MARK = re.compile(r"(\d) (?=гг?\.)")  # Russian typography: "2024 г." never splits


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, for plotly, which never wraps, typeset by the locales' rules: a year keeps
    its "г.", a number its unit, and no line starts with a dash. textwrap breaks only at ASCII spaces."""
    return textwrap.wrap(typeset(YEAR_MARK.sub("\\1\u00a0", text)), width, break_long_words=False) or [""]


def unbroken(text: str) -> str:
    """Text that `wrap` keeps on one line, such as a date ("24 авг. 2023 г.")."""
    return text.replace(" ", "\u00a0")


PX_PER_DAY = 2.0  # the timeline's scale: a month is 60 px, and a week keeps two 13 px dots apart
TIMELINE_TOP = 14


def first_day(text: str) -> date:
    """The first day a YYYY[-MM[-DD]] date can mean."""
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from one date's month to another's: 24 Aug 2023 to Aug 2024 is 12."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


MARK_CLEAR = 15  # px between two marks' centres on the timeline, so neither covers the other (13-15 px marks)
BREAK_DAYS = 120  # a stretch longer than this with nothing in it is drawn cut short, at BREAK_PX
BREAK_PX = 180  # room for the words of the mark above it and the gap's note


def time_scale(days: list[date]) -> tuple[Callable[[date], float], list[tuple[date, date, float, float]]]:
    """The timeline's y for a date: PX_PER_DAY between the dates it draws, except that an empty stretch longer than
    BREAK_DAYS is cut to BREAK_PX (returned as breaks: first and last day, top and bottom y), so a year with nothing to
    show does not take a third of the image."""
    ys = [float(TIMELINE_TOP)]
    breaks = []
    for a, b in zip(days, days[1:]):
        gap = (b - a).days
        px = BREAK_PX if gap > BREAK_DAYS else gap * PX_PER_DAY
        if gap > BREAK_DAYS:
            breaks.append((a, b, ys[-1], ys[-1] + px))
        ys.append(ys[-1] + px)

    def at(d: date) -> float:
        for (a, b), (ya, yb) in zip(zip(days, days[1:]), zip(ys, ys[1:])):
            if a <= d <= b:
                return ya + (yb - ya) * ((d - a).days / max((b - a).days, 1))
        return ys[0] + (d - days[0]).days * PX_PER_DAY if d < days[0] else ys[-1] + (d - days[-1]).days * PX_PER_DAY

    return at, breaks


def brics_timeline(ds: Dataset, tr: Tr) -> Chart:
    """The BRICS statements the interview refers to, top to bottom and to scale in time, with its 'August 2024' claim,
    that claim's status, and the gap to the nearest statement we found, in months.

    Each mark sits at its date (a span of days or a month is drawn as a band); its words sit beside it, pushed down
    where two dates are close, with a leader line back to the mark."""
    w = Words(ds, tr)
    events = sorted(ds.events, key=lambda e: last_day(e.date_end or e.date))
    iv = ds.interview
    # (kind, key, date text, start, end, lines, of which status lines)
    items: list[tuple[str, str, str, date, date, list[str], int]] = []
    for e in events:
        claim = e.status == "no_source_found"
        lines, status = wrap(w.event(e, "short_label"), TIMELINE_CHARS), []
        if claim:
            nearest = next(n for n in events if n.event_id == e.nearest_event_id)
            status = wrap(w.timeline_status(unbroken(tr.date(nearest.date))), TIMELINE_CHARS)
        items.append(
            (
                "claim" if claim else "event",
                e.event_id,
                tr.date_range(e.date, e.date_end),
                first_day(e.date),
                date.fromisoformat(last_day(e.date_end or e.date)),
                lines + status,
                len(status),
            )
        )
    items.append(
        (
            "published",
            "published",
            tr.date(iv.published),
            first_day(iv.published),
            date.fromisoformat(last_day(iv.published)),
            wrap(w.timeline_published(), TIMELINE_CHARS),
            0,
        )
    )
    items.sort(key=lambda it: (it[4], it[0] == "published"))
    at, breaks = time_scale(sorted({d for it in items for d in (it[3], it[4])}))
    t0 = min(it[3] for it in items)

    by_id = {e.event_id: e for e in events}
    traces: list[dict] = []
    notes: list[dict] = []
    shapes: list[dict] = []
    line_px, date_px, gap, axis_x, text_x = 17, 19, 14, 0.035, 0.09
    marks: dict[str, tuple[float, float]] = {}
    bottom = 0.0
    claim = next((e for e in events if e.status == "no_source_found"), None)
    gap_item = None
    if claim is not None:
        nearest = next(n for n in events if n.event_id == claim.nearest_event_id)
        n = months_between(first_day(nearest.date), first_day(claim.date))
        gap_item = (
            (at(first_day(nearest.date)) + at(first_day(claim.date))) / 2,
            wrap(w.timeline_gap(n), TIMELINE_CHARS),
        )
    placed: list[float] = []  # the marks' y so far, top to bottom
    for kind, key, when, start, end, lines, n_status in items:
        y0, y1 = at(start), at(end)
        y = (y0 + y1) / 2
        if kind == "published":  # a month only: its square at the month's end, clear of the dated marks in it
            y = max([y1] + [p + MARK_CLEAR for p in placed if p > y0 - MARK_CLEAR])
        placed.append(y)
        marks[key] = (y0, y1)
        colour = {
            "event": COLOURS["KZ"],
            "claim": STATUS_COLOURS["no_source_found"],
            "published": COLOURS["interview"],
        }[kind]
        if y1 - y0 > 3:  # a span: the days or the month it covers, as a band on the axis
            shapes.append(
                dict(
                    type="rect",
                    xref="paper",
                    yref="y",
                    x0=axis_x - 0.006,
                    x1=axis_x + 0.006,
                    y0=y0,
                    y1=y1,
                    line=dict(width=0),
                    fillcolor=colour,
                    opacity=0.35,
                    layer="below",
                )
            )
        e = by_id.get(key)
        hover = hover_text((w.event(e, "description"), w.cite_event(e)) if e else (w.published(),))
        symbol = {"event": "circle", "claim": "diamond-open", "published": "square"}[kind]
        traces.append(
            dict(
                type="scatter",
                x=[axis_x],
                y=[y],
                mode="markers",
                showlegend=False,
                hovertemplate="%{customdata}<extra></extra>",
                customdata=[hover],
                marker=dict(
                    symbol=symbol,
                    size=15 if kind == "claim" else 13,
                    color=colour,
                    line=dict(color=colour, width=3 if kind == "claim" else 1),
                ),
            )
        )
        if gap_item is not None and kind == "claim":  # the gap's note sits in the text column, in the empty months
            gy, glines = gap_item
            top = max(gy - len(glines) * line_px / 2, bottom + gap)
            notes.append(
                dict(
                    x=text_x,
                    y=top,
                    xref="paper",
                    yref="y",
                    xanchor="left",
                    yanchor="top",
                    align="left",
                    showarrow=False,
                    name="gap",
                    text="<br>".join(f"<i>{esc(t)}</i>" for t in glines),
                    font=dict(size=12, color=STATUS_COLOURS["no_source_found"]),
                )
            )
            bottom = top + len(glines) * line_px
        top = max(y - date_px / 2, bottom + gap)
        if top - (y - date_px / 2) > 2:  # pushed down by the words above: a leader line back to the mark
            shapes.append(
                dict(
                    type="line",
                    xref="paper",
                    yref="y",
                    x0=axis_x + 0.012,
                    x1=text_x - 0.008,
                    y0=y,
                    y1=top + date_px / 2,
                    line=dict(color="#9AA0A8", width=1),
                )
            )
        notes.append(
            dict(
                x=text_x,
                y=top + date_px / 2,
                xref="paper",
                yref="y",
                xanchor="left",
                yanchor="middle",
                showarrow=False,
                name="date",
                text=f"<b>{esc(when)}</b>",
                font=dict(size=13, color=STATUS_COLOURS["no_source_found"] if kind == "claim" else INK),
            )
        )
        body = [esc(t) for t in lines]
        for i in range(len(body) - n_status, len(body)):  # the claim's status, in the status colour
            body[i] = f"<span style='color:{STATUS_COLOURS['no_source_found']}'><b>{body[i]}</b></span>"
        notes.append(
            dict(
                x=text_x,
                y=top + date_px,
                xref="paper",
                yref="y",
                xanchor="left",
                yanchor="top",
                align="left",
                showarrow=False,
                name="text",
                text="<br>".join(body),
                font=dict(size=13, color=INK),
            )
        )
        bottom = top + date_px + len(lines) * line_px
    for year in range(t0.year + 1, max(it[4] for it in items).year + 1):  # where each year begins, on the time axis
        if any(a < date(year, 1, 1) < b for a, b, _y0, _y1 in breaks):
            continue  # inside months left out: the dates beside the marks say the year
        y = at(date(year, 1, 1))
        shapes.append(
            dict(
                type="line",
                xref="paper",
                yref="y",
                x0=0,
                x1=axis_x + 0.02,
                y0=y,
                y1=y,
                line=dict(color="#9AA0A8", width=1),
            )
        )
        notes.append(
            dict(
                x=0,
                y=y,
                xref="paper",
                yref="y",
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                name="year",
                text=str(year),
                bgcolor="white",  # the bracket passes behind the year, never through its digits
                font=dict(size=12, color=MUTED),
            )
        )
    if claim is not None:  # a bracket in the marker column from the nearest statement we found to the claim
        y0, y1 = marks[claim.nearest_event_id][0], marks[claim.event_id][0]
        shapes.append(
            dict(
                type="line",
                xref="paper",
                yref="y",
                x0=0.012,
                x1=0.012,
                y0=y0,
                y1=y1,
                line=dict(color=STATUS_COLOURS["no_source_found"], width=2, dash="dot"),
            )
        )
        for yy in (y0, y1):
            shapes.append(
                dict(
                    type="line",
                    xref="paper",
                    yref="y",
                    x0=0.012,
                    x1=0.024,
                    y0=yy,
                    y1=yy,
                    line=dict(color=STATUS_COLOURS["no_source_found"], width=2),
                )
            )
    for _a, _b, y0, y1 in breaks:  # months left out: the axis is cut, with two short slashes across the cut
        for yy in (y0 + (y1 - y0) * 0.45, y0 + (y1 - y0) * 0.55):
            shapes.append(
                dict(
                    type="line",
                    xref="paper",
                    yref="y",
                    x0=axis_x - 0.018,
                    x1=axis_x + 0.018,
                    y0=yy + 4,
                    y1=yy - 4,
                    line=dict(color=MUTED, width=2),
                    name="break",
                )
            )
    height = max(bottom, max(y1 for _y0, y1 in marks.values())) + 8
    shapes.append(
        dict(
            type="line",
            xref="paper",
            yref="y",
            x0=axis_x,
            x1=axis_x,
            y0=0,
            y1=height,
            line=dict(color=GRID, width=2),
            layer="below",
        )
    )
    fig = unvalidated(
        data=traces,
        layout=dict(
            template=TEMPLATE,
            height=int(height + 12),
            margin=dict(l=10, r=10, t=6, b=6),
            showlegend=False,
            dragmode=False,
            annotations=notes,
            shapes=shapes,
            xaxis=dict(range=[0, 1], visible=False, fixedrange=True),
            yaxis=dict(range=[height, 0], visible=False, fixedrange=True),
        ),
    )
    title, subtitle, alt = w.timeline_text(events, " ".join(gap_item[1]) if gap_item is not None else "")
    return Chart(
        "brics_timeline",
        fig,
        title,
        subtitle,
        w.source_line(events=events),
        w.credit("brics_timeline"),
        alt,
        tuple(e.event_id for e in events),
        tr.lang,
    )


CHARTS: dict[str, ChartSpec] = {
    spec.chart_id: spec
    for spec in (
        ChartSpec(
            "turnover_ytd", "turnover", turnover_ytd, "dollar turnover for the interview's months, every year", True
        ),
        ChartSpec(
            "turnover_series",
            "turnover",
            turnover_series,
            "every dollar turnover total with a period, by who stated it",
            on_view=False,
        ),
        ChartSpec("containers_growth", "containers", containers_growth, "container growth rates, by period and route"),
        ChartSpec(
            "containers_index", "containers", containers_index, "the interview's growth rates as an index on their base"
        ),
        ChartSpec("brics_timeline", "brics", brics_timeline, "statements on BRICS membership, to scale in time"),
    )
}


def chart_showing(f: Figure) -> str | None:
    """The chart that draws a figure, or None for one no chart draws (counts of companies, rouble totals, undated
    lines)."""
    if f.kind == "headline":
        return chart_for(f)
    if f.measure == "turnover" and f.unit == "usd_bn" and f.has_period:
        return "turnover_series"
    if f.topic == "containers" and f.unit == "pct":
        return "containers_growth"
    return None


def chart_for(f: Figure) -> str:
    """The chart that shows a headline figure first."""
    return "turnover_ytd" if f.measure == "turnover" else "containers_growth"


def build_chart(ds: Dataset, chart_id: str, tr: Tr | None = None) -> Chart:
    """One chart by id, in a language."""
    return CHARTS[chart_id].build(ds, tr or Tr())


# --- the export figure: the same strings as the page, drawn into the image -----------------------------


def wrap_px(text: str, size: int, width_px: float, bold: bool = False) -> list[str]:
    """Lines that fit a pixel width in the font Chromium draws with, measured word by word (a per-character guess
    cut a Russian title mid-word). Typeset first, so a no-break space keeps its words on one line."""
    words = typeset(YEAR_MARK.sub("\\1\u00a0", text)).split(" ")
    lines: list[str] = []
    for word in words:
        if lines and text_px(f"{lines[-1]} {word}", size, bold) <= width_px:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def lines_for(text: str, size: int, width: int, bold: bool = False) -> list[str]:
    """A text wrapped for a given font size and the image's width, inside its side margins."""
    return wrap_px(text, size, width - 28, bold)


def compose(chart: Chart, width: int = EXPORT_WIDTH) -> go.Figure:
    """The figure as a PNG or SVG shows it: title, subtitle and notes above the plot, source and credit below."""
    fig = go.Figure(copy.deepcopy(chart.figure.to_dict()))
    title = lines_for(chart.title, 20, width, bold=True)
    sub = lines_for(chart.subtitle, 14, width) + [line for n in chart.notes for line in lines_for(n, 14, width)]
    foot = lines_for(chart.source, 12, width) + lines_for(chart.credit, 12, width)
    head_px = 16 + 25 * len(title) + 6 + 18 * len(sub) + 12
    foot_px = 16 + 16 * len(foot) + 8
    t0, b0, l0, r0 = (int(getattr(fig.layout.margin, k)) for k in ("t", "b", "l", "r"))  # numbers, not the live object
    fig.update_layout(
        width=width,
        height=int(fig.layout.height + head_px + foot_px),
        margin=dict(l=max(l0, 12), r=max(r0, 12), t=t0 + head_px, b=b0 + foot_px),
    )
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=t0 + 8 + 18 * len(sub) + 6,
        showarrow=False,
        align="left",
        name="title",
        text="<br>".join(f"<b>{esc(t)}</b>" for t in title),
        font=dict(size=20, color=INK),
    )
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        xanchor="left",
        yanchor="bottom",
        yshift=t0 + 8,
        showarrow=False,
        align="left",
        name="subtitle",
        text="<br>".join(esc(t) for t in sub),
        font=dict(size=14, color=MUTED),
    )
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-(b0 + 12),
        showarrow=False,
        align="left",
        name="source",
        text="<br>".join(esc(t) for t in foot),
        font=dict(size=12, color=MUTED),
    )
    return fig


# The embed page at its narrowest (360 px): its text column, and each block's type as the page draws it (a Streamlit
# h2 and captions in Source Sans). Widths are measured in Liberation Sans, which runs a little wider, so the estimate
# errs on the side of room; tests/test_e2e.py checks it against the rendered page in both languages.
EMBED_TEXT_WIDTH = (
    360 - 2 * 13.6
) / 0.95  # the page's Source Sans sets about 5 % more text a line than Liberation Sans
EMBED_BLOCKS = {
    "title": (21, 25.0, True),
    "caption": (14, 22.4, False),
    "link": (16, 25.6, False),
}  # size, line height, bold
EMBED_GAPS = (
    11.2 * 5 + 2 * 9.6 + 8 + 24
)  # the phone's 0.7 rem between blocks, the padding above and below, 24 px to spare


def embed_height(charts: list[Chart], back_link: list[str]) -> int:
    """The iframe height that shows an embedded chart whole at 360 px in every language: its tallest version."""

    def lines(text: str, block: str) -> float:
        size, line_px, bold = EMBED_BLOCKS[block]
        return sum(len(wrap_px(part, size, EMBED_TEXT_WIDTH, bold)) for part in text.split("\n")) * line_px

    def one(c: Chart, link: str) -> float:
        captions = [c.subtitle, *c.notes, c.source, c.credit]
        return (
            c.figure.layout.height
            + lines(c.title, "title")
            + sum(lines(t, "caption") for t in captions)
            + lines(link, "link")
        )

    return int(max(one(c, link) for c, link in zip(charts, back_link)) + EMBED_GAPS + 0.5)


def compose_height(chart: Chart, width: int = EXPORT_WIDTH) -> int:
    """The exported image's height in CSS pixels."""
    return int(compose(chart, width).layout.height)
