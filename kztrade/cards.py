"""Quote cards: one image per headline figure with its chart, the verbatim excerpt and the citation."""

from __future__ import annotations

import html
import re
import textwrap

import plotly.graph_objects as go

from .charts import COLOURS, INK, MUTED, Chart, build_chart, chart_for, fmt
from .model import STATUS_NAMES, Dataset, Figure

CARD_WIDTH, CARD_HEIGHT = 1200, 1000
HIGHLIGHT = "#B35C00"  # a darker shade of the interview's orange, readable as text


def excerpt(text: str, span: str) -> str:
    """The sentence of a turn that contains the span, verbatim (the turn's '- ' marker dropped)."""
    body = text[2:] if text.startswith("- ") else text
    sentences = re.split(r"(?<=[.!?])\s+", body)
    return next(s for s in sentences if span in s)


def highlighted(sentence: str, spans: list[str], width: int = 110) -> list[str]:
    """The sentence as plotly text lines, every span in bold and the highlight colour, never split by wrapping."""
    nbsp = "\u00a0"
    for span in spans:  # textwrap does not break at a no-break space, so a span stays on one line
        sentence = sentence.replace(span, span.replace(" ", nbsp))
    out = []
    for line in textwrap.wrap(sentence, width):
        safe = html.escape(line, quote=False)
        for span in spans:
            glued = html.escape(span.replace(" ", nbsp), quote=False)
            safe = safe.replace(glued, f"<span style='color:{HIGHLIGHT}'><b>{glued}</b></span>")
        out.append(safe)
    return out


def headline_value(f: Figure) -> str:
    """A headline figure as a reader writes it: 'US$17.2 billion' or '+63 %'."""
    return f"US${fmt(f.value)} billion" if f.unit == "usd_bn" else f"+{fmt(f.value)} %"


def card_id(f: Figure) -> str:
    """File stem of a figure's card."""
    return f"{f.figure_id}-card"


def quote_card(ds: Dataset, figure_id: str) -> Chart:
    """The card for one headline figure: its chart, its words with the figure highlighted, its citation."""
    f = ds.figures[figure_id]
    turn = ds.turn(f.turn_id)
    chart = build_chart(ds, chart_for(ds, f))
    fig = go.Figure(chart.figure)
    sentence = excerpt(turn.text, f.span)
    iv = ds.interview
    quote = highlighted(f"“{sentence}”", [f.span])
    who = f.stated_by.split(",")[0]
    attribution = (f"— {iv.outlet}, question {turn.turn_id[1:]} to {iv.interviewee}, {iv.published_label}. "
                   f"These are {who}'s words, not {iv.interviewee}'s.")
    # Pixel layout: title block, excerpt, legend, then the chart down to the source lines.
    top = 96
    excerpt_px = 25 * len(quote) + 34
    legend_px = 22 * sum(1 for t in fig.data if t.showlegend is not False and t.name) if fig.layout.showlegend else 0
    source = fig.layout.annotations[[a.name for a in fig.layout.annotations].index("source")]
    source.text = source.text + "<br>" + "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(
        f"Excerpt: {iv.outlet}, “{ds.turn('title').text}”, {iv.published_label}, {iv.url} (our copy is an {iv.completeness}).", 150))
    bottom = fig.layout.margin.b + 15 * 2 + 10
    plot_px = CARD_HEIGHT - top - bottom
    chart_top = 1 - (excerpt_px + legend_px + 24) / plot_px
    fig.update_yaxes(domain=[0, chart_top])
    for ann in fig.layout.annotations:
        if ann.yref == "paper" and ann.name != "source":
            ann.y = ann.y * chart_top
    fig.add_annotation(xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="top", xshift=14 - fig.layout.margin.l,
                       align="left", showarrow=False, name="excerpt", font=dict(size=18, color=INK),
                       text="<br>".join(quote) + f"<br><span style='font-size:15px;color:{MUTED}'>{html.escape(attribution, quote=False)}</span>")
    status = STATUS_NAMES[f.status]
    matches = f" (matches the {ds.figures[f.corroborated_by].stated_by.split(',')[0]})" if f.corroborated_by else ""
    fig.update_layout(
        width=CARD_WIDTH, height=CARD_HEIGHT,
        margin=dict(t=top, b=bottom),
        title=dict(text=f"<b>{headline_value(f)}: {html.escape(f.label)}, {html.escape(f.period_label)}</b>", font=dict(size=24),
                   y=1 - 14 / CARD_HEIGHT,
                   subtitle=dict(text=f"Stated by {iv.outlet} in a question · Status: {status}{matches}",
                                 font=dict(size=15, color=COLOURS["RU"] if f.status != "corroborated" else COLOURS["joint"]))),
        legend=dict(y=chart_top + 0.01, yref="paper", yanchor="bottom", x=0, xref="paper"),
    )
    alt = f"Quote card. {headline_value(f)}, {f.label}, {f.period_label}. Excerpt: “{sentence}” {iv.outlet}, {turn.label}. Status: {status}. {chart.alt}"
    return Chart(card_id(f), fig, alt, (f.figure_id, *chart.shown))


def all_cards(ds: Dataset) -> list[Chart]:
    """One card per headline figure."""
    return [quote_card(ds, f.figure_id) for f in ds.headline()]
