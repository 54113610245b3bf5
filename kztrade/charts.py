"""Plotly figures built from records. Each carries its title, unit, period and source line inside it,
with an explicit template and colours, so the screen and a PNG look the same."""

from __future__ import annotations

import calendar
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from .model import SIDE_NAMES, Dataset, Derived, Event, Figure

# Okabe–Ito: distinguishable with the common colour-vision deficiencies. Every series is also labelled
# directly, so colour is never the only cue.
COLOURS = {
    "KZ": "#0072B2",
    "RU": "#D55E00",
    "joint": "#009E73",
    "interview": "#E69F00",
    "not_stated": "#7F7F7F",
}
INK, MUTED, GRID = "#1F2328", "#5A6270", "#E5E7EB"
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
EXPORT_WIDTH = 900
SOURCE_WRAP = 100
SUBTITLE_WRAP = 80
TITLE_WRAP = 58
SERIES_NAMES = {
    "KZ": "Kazakh statistics",
    "RU": "Russian statistics",
    "joint": "Joint statement of both governments",
    "interview": "News.Az question (statistics not stated)",
    "not_stated": "Outlet's own figure (statistics not stated)",
}
MEASURE_NAMES = {
    "containers_ru_to_cn": "Russia → China via Kazakhstan",
    "containers_cn_eu_cn": "China–Europe–China via Russia and Kazakhstan",
    "containers_ru_cn_both": "Russia ↔ China via Kazakhstan, both ways",
}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# Never inherit Streamlit's placeholder template: Kaleido would draw its colours literally.
TEMPLATE = go.layout.Template(pio.templates["plotly_white"])
TEMPLATE.layout.font = dict(family=FONT, size=13, color=INK)
TEMPLATE.layout.paper_bgcolor = "#FFFFFF"
TEMPLATE.layout.plot_bgcolor = "#FFFFFF"
TEMPLATE.layout.xaxis.gridcolor = GRID
TEMPLATE.layout.yaxis.gridcolor = GRID
TEMPLATE.layout.colorway = list(COLOURS.values())


@dataclass(frozen=True)
class Chart:
    """A built chart: the figure, a text alternative, and the ids of every record it draws."""

    chart_id: str
    figure: go.Figure
    alt: str
    shown: tuple[str, ...]


@dataclass(frozen=True)
class ChartSpec:
    """A chart the dashboard offers: id, view, title and builder."""

    chart_id: str
    view: str
    title: str
    build: Callable[[Dataset], Chart]


def fmt(value: float) -> str:
    """A number as printed, without adding precision ("17", "18.9")."""
    return f"{value:g}"


def fmt_signed(value: float) -> str:
    """A derived percent change to one decimal, with a true minus sign."""
    return f"{value:+.1f} %".replace("-", "−")


def fmt_date(text: str) -> str:
    """A YYYY[-MM[-DD]] string for readers: '8 Nov 2023', 'Oct 2024', '2023'."""
    parts = [int(p) for p in text.split("-")] if text else []
    if len(parts) == 3:
        return f"{parts[2]} {MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return text


def value_label(f: Figure) -> str:
    """The value with its bound and conversion marks: 'over 28', 'nearly 28.5', '24.3†'."""
    text = {"lower_bound": "over ", "approximate": "nearly "}.get(f.bound, "") + fmt(f.value)
    return text + ("†" if f.original_value is not None else "")


def value_text(f: Figure) -> str:
    """A figure with its unit for running text: 'over 28 US$ bn', '+63 %', '454 thousand TEU'."""
    if f.unit == "pct":
        return f"+{fmt(f.value)} %" if f.value >= 0 else fmt_signed(f.value)
    unit = "US$ bn" if f.unit == "usd_bn" else "thousand TEU"
    return f"{value_label(f).rstrip('†')} {unit}"


def tick(period_label: str) -> str:
    """A period label broken before its year, so category ticks stay horizontal."""
    head, _, year = period_label.rpartition(" ")
    return f"{head}<br>{year}" if head else period_label


def series_of(f: Figure) -> str:
    """The series a figure belongs to: its side, or 'interview' for the interview's own figures."""
    return "interview" if f.kind == "headline" else f.side


def turn_cite(ds: Dataset, turn_id: str) -> str:
    """'News.Az interview, question 3 (October 2024)': an interview turn as a short citation."""
    turn = ds.turn(turn_id)
    return f"{ds.interview.outlet} interview, {turn.kind} {turn.turn_id[1:]} ({ds.interview.published_label.split(' (')[0]})"


def cite(ds: Dataset, f: Figure) -> str:
    """Short citation for a source line: 'News.Az interview, question 3 (Oct 2024)' or 'TASS, 8 Nov 2023'."""
    if f.kind == "headline":
        return turn_cite(ds, f.turn_id)
    s = ds.sources[f.source_id]
    when = fmt_date(f.stated_on or s.published)
    return f"{s.outlet}, {when}" if when else s.outlet


def source_line(ds: Dataset, figures: list[Figure], derived: str = "") -> list[str]:
    """The 'Source: …' lines drawn inside a figure, wrapped to fit its width."""
    seen: list[str] = []
    for f in figures:
        c = cite(ds, f)
        if c not in seen:
            seen.append(c)
    text = "Source: " + "; ".join(seen) + "."
    if derived:
        text += f" Derived by kztrade: {derived}."
    return textwrap.wrap(text, SOURCE_WRAP)


def frame(fig: go.Figure, *, title: str, subtitle: str, sources: list[str], height: int,
          left: int = 64, axis_space: int = 46, legend: str = "", extra_top: int = 0) -> go.Figure:
    """Title, subtitle, legend ("h", "v" or none), source line, template and margins: the same on screen and in a PNG."""
    sub = textwrap.wrap(subtitle, SUBTITLE_WRAP)
    heading = textwrap.wrap(title, TITLE_WRAP)
    title_block = 20 + 24 * len(heading) + 17 * len(sub)
    legend_rows = 0
    names = [t.name for t in fig.data if t.showlegend is not False and t.name]
    if legend == "v":
        legend_rows = len(names)
    elif legend == "h":
        legend_rows = 1 + sum(len(n) + 6 for n in names) // 105
    top = title_block + 22 * legend_rows + 16 + extra_top
    bottom = axis_space + 15 * len(sources) + 14
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        margin=dict(l=left, r=28, t=top, b=bottom),
        title=dict(text="<br>".join(f"<b>{line}</b>" for line in heading), x=0, xref="container", xanchor="left", y=1 - 10 / height, yref="container",
                   yanchor="top", pad=dict(l=14), font=dict(size=19, color=INK),
                   subtitle=dict(text="<br>".join(sub), font=dict(size=13, color=MUTED))),
        showlegend=bool(legend),
        # "v" is drawn as one full-width row per entry: a true vertical legend would push the plot aside.
        legend=dict(orientation="h", entrywidth=1 if legend == "v" else None, entrywidthmode="fraction" if legend == "v" else None, x=0, xref="container", xanchor="left", y=1 - (title_block + 4) / height,
                    yref="container", yanchor="top", font=dict(size=12), bgcolor="rgba(255,255,255,0)",
                    indentation=8),
        hoverlabel=dict(font=dict(family=FONT)),
    )
    fig.add_annotation(text="<br>".join(sources), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", xshift=14 - left, yshift=-axis_space, showarrow=False, align="left",
                       font=dict(size=11, color=MUTED), name="source")
    return fig


def turnover_bases(ds: Dataset) -> list[Derived]:
    """The derived changes of the interview's turnover figure, one per side's base."""
    return [d for d in ds.derived.values() if d.method == "pct_change" and ds.figures[d.figure_id].measure == "turnover"]


def turnover_ytd(ds: Dataset) -> Chart:
    """The interview's year-to-date turnover beside the same months of the year before, per side."""
    derivs = turnover_bases(ds)
    head = ds.figures[derivs[0].figure_id]
    bases = [ds.figures[d.base_id] for d in derivs]
    fig = go.Figure()
    for f in bases + [head]:
        s = series_of(f)
        fig.add_bar(x=[f"{f.period_label}<br>{SERIES_NAMES[s].split(' (')[0]}"], y=[f.value], name=SERIES_NAMES[s],
                    marker_color=COLOURS[s], text=[value_label(f)], textposition="outside", cliponaxis=False,
                    textfont=dict(size=14, color=INK), width=0.6,
                    hovertemplate=f"{f.label}, {f.period_label}<br>{value_label(f)} US$ bn<br>{cite(ds, f)}<extra></extra>")
    for base in bases:
        fig.add_hline(y=base.value, line=dict(color=COLOURS[base.side], width=1.2, dash="dot"))
    changes = "<br>".join(f"{fmt_signed(d.value)} on the {SIDE_NAMES[ds.figures[d.base_id].side].split()[0]} base"
                          for d in derivs)
    fig.add_annotation(x=1, xref="paper", xanchor="right", y=1, yref="paper", yanchor="top", align="right",
                       showarrow=False, text=f"<b>{head.period_label} vs {bases[0].period_label}</b><br>{changes}",
                       font=dict(size=13, color=INK), bgcolor="rgba(255,255,255,0.9)", name="changes")
    top = max(f.value for f in bases + [head])
    fig.update_yaxes(title_text="US$ billion", range=[0, top * 1.45], rangemode="tozero")
    fig.update_xaxes(type="category", tickfont=dict(size=12), tickangle=0)
    fig.update_layout(bargap=0.35)
    frame(fig, title=f"Trade turnover, {head.period_label}, against two bases",
          subtitle=f"US$ billion. The interview does not say whether its {fmt(head.value)} is Kazakh or Russian statistics.",
          sources=source_line(ds, [head] + bases, "% change = interview figure ÷ each side's figure − 1"),
          height=500, axis_space=58)
    alt = (f"Bar chart. {head.label}, {head.period_label}: {fmt(head.value)} US$ billion ({ds.interview.outlet}'s question). "
           + " ".join(f"{b.period_label}, {SERIES_NAMES[b.side]}: {fmt(b.value)} US$ billion; change {fmt_signed(d.value)}."
                      for d, b in zip(derivs, bases)))
    return Chart("turnover_ytd", fig, alt, (head.figure_id, *[b.figure_id for b in bases], *[d.derived_id for d in derivs]))


def label_position(f: Figure, series: str) -> str:
    """Where a dot's label goes: bounds below (their line points up), Kazakh left, others right or above."""
    if f.bound == "lower_bound":
        return "bottom center"
    return {"KZ": "middle left", "RU": "middle right", "interview": "middle right"}.get(series, "top center")


def turnover_series(ds: Dataset) -> Chart:
    """Every turnover figure by period and side: whole years and part-years in separate panels."""
    figs = [f for f in ds.figures.values() if f.measure == "turnover"]
    panels = [sorted([f for f in figs if f.is_full_year], key=lambda f: f.period_start),
              sorted([f for f in figs if not f.is_full_year], key=lambda f: (f.period_start, f.period_end))]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        column_widths=[len({f.period_label for f in p}) for p in panels],
                        subplot_titles=("Whole years", "Part-years, from January"))
    top = max(f.value for f in figs)
    for col, panel in enumerate(panels, start=1):
        order = list(dict.fromkeys(tick(f.period_label) for f in panel))
        for s in COLOURS:
            pts = [f for f in panel if series_of(f) == s]
            if not pts:
                continue
            fig.add_scatter(
                x=[tick(f.period_label) for f in pts], y=[f.value for f in pts], row=1, col=col,
                mode="markers+text", name=SERIES_NAMES[s], legendgroup=s, showlegend=col == 1 or s == "interview",
                offsetgroup=s, text=[value_label(f) for f in pts],
                textposition=[label_position(f, s) for f in pts],
                textfont=dict(size=11, color=COLOURS[s]), cliponaxis=False,
                marker=dict(color=COLOURS[s], size=12, line=dict(color="#FFFFFF", width=1),
                            symbol=[{"lower_bound": "triangle-up", "approximate": "diamond"}.get(f.bound, "circle") for f in pts]),
                error_y=dict(type="data", symmetric=False, array=[top * 0.08 if f.bound == "lower_bound" else 0 for f in pts],
                             arrayminus=[0] * len(pts), width=0, thickness=1.5, color=COLOURS[s]),
                customdata=[[cite(ds, f), f.stated_by] for f in pts],
                hovertemplate="%{text} US$ bn<br>%{customdata[1]}<br>%{customdata[0]}<extra></extra>",
            )
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=order, tickangle=0, row=1, col=col)
    fig.update_yaxes(range=[0, top * 1.2], title_text="US$ billion", row=1, col=1)
    fig.update_layout(scattermode="group", scattergap=0.55)
    fig.update_annotations(selector=dict(text="Whole years"), font=dict(size=13, color=MUTED))
    fig.update_annotations(selector=dict(text="Part-years, from January"), font=dict(size=13, color=MUTED))
    periods = [f.period_start.year for f in figs]
    frame(fig, title="Kazakhstan–Russia trade turnover, as each side reported it",
          subtitle=f"US$ billion, {min(periods)}–{max(periods)}. Each side's figures are separate series, never averaged. "
                   "“over” = a lower bound (triangle, line upward); “nearly” = approximate (diamond); † = an outlet's conversion from roubles.",
          sources=source_line(ds, sorted(figs, key=lambda f: (f.kind != "headline", f.period_start))), height=580,
          legend="h", extra_top=26, axis_space=56)
    alt = "Dot chart of trade turnover by period and side. " + " ".join(
        f"{f.period_label}, {SERIES_NAMES[series_of(f)]}: {value_label(f)} US$ billion." for p in panels for f in p)
    return Chart("turnover_series", fig, alt, tuple(f.figure_id for p in panels for f in p))


def container_legend(ds: Dataset, f: Figure) -> str:
    """Legend name for a container growth series: who, and which periods it compares."""
    if f.kind == "headline":
        return f"{ds.interview.outlet} question: {f.period_label}"
    who = "Intergovernmental commission" if f.side == "joint" else "KTZ, Kazakh railway"
    return f"{who}: {f.period_label} vs {f.comparison_base}"


def containers_growth(ds: Dataset) -> Chart:
    """Container growth rates: the interview's, the commission's that corroborate them, and KTZ's earlier ones."""
    figs = [f for f in ds.figures.values() if f.topic == "containers" and f.unit == "pct"]
    routes = list(dict.fromkeys(f.measure for f in figs))
    groups: dict[str, list[Figure]] = {}
    for f in figs:
        groups.setdefault(container_legend(ds, f), []).append(f)
    fig = go.Figure()
    # Horizontal groups stack their first trace at the bottom: add in reverse so the interview reads first.
    for name, pts in reversed(groups.items()):
        s = series_of(pts[0])
        fig.add_bar(y=[route_label(f.measure) for f in pts], x=[f.value for f in pts], orientation="h", name=name,
                    marker_color=COLOURS[s], text=[f"+{fmt(f.value)} %" for f in pts], textposition="outside",
                    cliponaxis=False, textfont=dict(size=13, color=INK),
                    customdata=[[cite(ds, f)] for f in pts],
                    hovertemplate="%{x} % growth<br>" + name + "<br>%{customdata[0]}<extra></extra>")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=[route_label(r) for r in reversed(routes)],
                     tickfont=dict(size=12))
    fig.update_xaxes(title_text="% change on the same months a year earlier", range=[0, max(f.value for f in figs) * 1.18])
    fig.update_layout(barmode="group", bargap=0.28, bargroupgap=0.08, legend=dict(traceorder="reversed"))
    heads = [f for f in figs if f.kind == "headline"]
    frame(fig, title="Container transit through Kazakhstan: growth rates",
          subtitle="% change on a year earlier. The interview's two rates match the commission's for Jan–Sep 2024; "
                   "KTZ's rates are for an earlier period and are shown for context only.",
          sources=source_line(ds, heads + [f for f in figs if f.kind == "context"]), height=560, left=200,
          legend="v", axis_space=64)
    alt = "Horizontal bar chart of container growth rates. " + " ".join(
        f"{MEASURE_NAMES[f.measure]}, {container_legend(ds, f)}: +{fmt(f.value)} %." for f in figs)
    return Chart("containers_growth", fig, alt, tuple(f.figure_id for f in figs))


def route_label(measure: str) -> str:
    """A route name broken over lines to fit a category axis."""
    return "<br>".join(textwrap.wrap(MEASURE_NAMES[measure], 26))


def containers_index(ds: Dataset) -> Chart:
    """The interview's growth rates as an index beside their base (the same months of 2023 = 100)."""
    derivs = [d for d in ds.derived.values() if d.method == "index_from_growth"]
    heads = [ds.figures[d.figure_id] for d in derivs]
    pinned = [ds.figures.get(h.corroborated_by, h) for h in heads]
    routes = [route_label(h.measure) for h in heads]
    fig = go.Figure()
    fig.add_bar(x=routes, y=[100] * len(derivs), name=f"{pinned[0].comparison_base} = 100 (the base)",
                marker_color=COLOURS["not_stated"], text=["100"] * len(derivs), textposition="outside",
                textfont=dict(size=14, color=INK), cliponaxis=False, hovertemplate="%{x}<br>base = 100<extra></extra>")
    fig.add_bar(x=routes, y=[d.value for d in derivs], name=f"{pinned[0].period_label} (News.Az's rates, as pinned by the commission)",
                marker_color=COLOURS["interview"], text=[fmt(d.value) for d in derivs], textposition="outside",
                textfont=dict(size=14, color=INK), cliponaxis=False,
                hovertemplate="%{x}<br>index %{y}<extra></extra>")
    fig.update_xaxes(type="category", tickfont=dict(size=12))
    fig.update_yaxes(title_text="Index (base period = 100)", range=[0, max(d.value for d in derivs) * 1.2])
    fig.update_layout(barmode="group", bargap=0.35, bargroupgap=0.06)
    frame(fig, title="Container volumes as an index: the base made explicit",
          subtitle=f"{pinned[0].comparison_base} = 100. The interview says “this year”; the commission's statement pins "
                   f"the same rates to {pinned[0].period_label}.",
          sources=source_line(ds, heads + pinned, "index = 100 + % growth"), height=500, legend="h", axis_space=62)
    alt = f"Bar chart: index with {pinned[0].comparison_base} = 100. " + " ".join(
        f"{MEASURE_NAMES[h.measure]}: {fmt(d.value)}." for d, h in zip(derivs, heads))
    return Chart("containers_index", fig, alt, (*[d.derived_id for d in derivs], *dict.fromkeys(f.figure_id for f in heads + pinned)))


def date_range(text: str, text_end: str = "") -> tuple[date, date]:
    """First and last day a YYYY[-MM[-DD]] date can mean, or the range to text_end."""
    parts = [int(p) for p in text.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 1
    start = date(year, month, parts[2] if len(parts) > 2 else 1)
    if text_end:
        return start, date.fromisoformat(text_end)
    if len(parts) == 1:
        return start, date(year, 12, 31)
    if len(parts) == 2:
        return start, date(year, month, calendar.monthrange(year, month)[1])
    return start, start


def event_cite(ds: Dataset, e: Event) -> str:
    """Short citation of an event: the outlet and date, or the interview turn that makes the claim."""
    if e.turn_id:
        return turn_cite(ds, e.turn_id)
    s = ds.sources[e.source_id]
    return f"{s.outlet}, {fmt_date(s.published or e.date)}"


def brics_timeline(ds: Dataset) -> Chart:
    """The BRICS statements the interview refers to, with its 'August 2024' claim and that claim's status."""
    events = sorted(ds.events, key=lambda e: date_range(e.date, e.date_end)[0])
    labels = [f"<b>{fmt_date(e.date)}</b><br>{e.short_label}" for e in events]
    fig = go.Figure()
    for e, label in zip(events, labels):
        start, end = date_range(e.date, e.date_end)
        claim = e.status == "no_source_found"
        colour = COLOURS["RU"] if claim else COLOURS["KZ"]
        hover = f"{e.actor}<br>{e.description}<br>{event_cite(ds, e)}<extra></extra>"
        if end > start:
            fig.add_scatter(x=[start, end], y=[label, label], mode="lines", line=dict(color=colour, width=12),
                            opacity=0.3 if claim else 0.8, showlegend=False, hovertemplate=hover)
        fig.add_scatter(x=[start + (end - start) / 2], y=[label], mode="markers", showlegend=False, hovertemplate=hover,
                        marker=dict(size=14, color="#FFFFFF" if claim else colour, line=dict(color=colour, width=2.5),
                                    symbol="circle-open" if claim else "circle"))
        if claim:
            nearest = next(n for n in events if n.event_id == e.nearest_event_id)
            fig.add_annotation(x=start, y=label, ax=date_range(nearest.date)[0], ay=labels[events.index(nearest)],
                               xref="x", yref="y", axref="x", ayref="y", showarrow=True, arrowhead=0, arrowwidth=1.2,
                               arrowcolor=COLOURS["RU"], standoff=8, startstandoff=8, text="")
            # Left of the claim and below the connector, so the label never runs off a narrow chart.
            fig.add_annotation(x=start, y=label, xanchor="right", yanchor="top", xshift=-6, yshift=-6, showarrow=False, align="right",
                               text=f"<b>No source found</b><br>nearest: {fmt_date(nearest.date)}",
                               font=dict(size=12, color=COLOURS["RU"]))
    pub_start, pub_end = date_range(ds.interview.published)
    fig.add_vrect(x0=pub_start, x1=pub_end, fillcolor=COLOURS["interview"], opacity=0.18, line_width=0, layer="below")
    fig.add_annotation(x=pub_start, xanchor="right", y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=f"Interview published: {ds.interview.published_label}", font=dict(size=11, color=MUTED))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(reversed(labels)), tickfont=dict(size=12),
                     automargin=False, showgrid=False)
    first, last = date_range(events[0].date)[0], max(date_range(e.date, e.date_end)[1] for e in events)
    fig.update_xaxes(type="date", tickformat="%b %Y", dtick="M3", showgrid=True,
                     range=[first - timedelta(days=45), last + timedelta(days=75)])
    frame(fig, title="Kazakhstan and BRICS: what was said, and when",
          subtitle="Blue: statements with a source. Red, open: the interview's claim of an announcement in “"
                   + "”, “".join(e.span for e in events if e.status == "no_source_found")
                   + "”, which no source we found supports; the line points to the nearest statement we found.",
          sources=textwrap.wrap("Source: " + "; ".join(dict.fromkeys(event_cite(ds, e) for e in events)) + ".", SOURCE_WRAP),
          height=520, left=330)
    alt = "Timeline. " + " ".join(f"{fmt_date(e.date)}: {e.description}" + (f" Status: no source found; nearest {fmt_date(next(n.date for n in events if n.event_id == e.nearest_event_id))}." if e.status == "no_source_found" else "") for e in events)
    return Chart("brics_timeline", fig, alt, tuple(e.event_id for e in events))


CHARTS: dict[str, ChartSpec] = {
    spec.chart_id: spec
    for spec in (
        ChartSpec("turnover_ytd", "turnover", "Trade turnover against each side's base", turnover_ytd),
        ChartSpec("turnover_series", "turnover", "Trade turnover as each side reported it", turnover_series),
        ChartSpec("containers_growth", "containers", "Container growth rates", containers_growth),
        ChartSpec("containers_index", "containers", "Container volumes as an index", containers_index),
        ChartSpec("brics_timeline", "brics", "BRICS statements timeline", brics_timeline),
    )
}


def chart_for(ds: Dataset, f: Figure) -> str:
    """The chart that shows a headline figure first."""
    return "turnover_ytd" if f.measure == "turnover" else "containers_growth"


def build_chart(ds: Dataset, chart_id: str) -> Chart:
    """One chart by id."""
    return CHARTS[chart_id].build(ds)
