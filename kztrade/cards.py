"""Quote cards made for feeds: one image per headline figure with its value, the verbatim sentence that
states it (the figure highlighted), its status, a small chart that marks it, and the citation.

Text is laid out from widths measured in the font Chromium draws with (Liberation Sans, via Pillow; charts.text_px).
A card is read at about 500 px wide in a feed, so no text is smaller than MIN_FONT: 24 px on a 1200 px card
is 10 px there. Landscape 16:9 is the default; portrait 4:5 suits phone feeds. The cards' sentences are worded in
statements.py (Words.card_*); this module lays them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import plotly.graph_objects as go

from .charts import (
    COLOURS,
    FONT,
    INK,
    MUTED,
    STATUS_COLOURS,
    TEMPLATE,
    TEXT_COLOURS,
    Chart,
    chart_for,
    esc,
    repeated,
    same_months,
    text_px,
    turnover_bases,
    wrap_px,
)
from .i18n import Tr, typeset
from .model import Dataset, Figure
from .statements import Words

MIN_FONT = 24


@dataclass(frozen=True)
class CardSize:
    """A card's shape: CSS pixels (exported at scale 2) and where its blocks sit."""

    name: str
    width: int
    height: int
    landscape: bool


CARD_SIZES = {"landscape": CardSize("landscape", 1200, 675, True), "portrait": CardSize("portrait", 1080, 1350, False)}
HIGHLIGHT = TEXT_COLOURS["interview"]  # a dark shade of the interview's orange, readable as text


@dataclass(frozen=True)
class Spacing:
    """The vertical gaps of a quote card, in card pixels. Loose by default; tight when the blocks must move closer so
    that every row of the small chart still fits (a long Russian label, a source line that wraps)."""

    after_value: int  # between the value (and its label) and the quote: the value is read first, then the words
    quote_line: int  # the quote's line pitch at 26 px type: 1.3 leading, as the page's paragraphs
    after_quote: int  # between the quote and whose words they are, which belong to it
    after_attribution: int  # before the chart and status, a new block


LOOSE, TIGHT = Spacing(30, 34, 10, 22), Spacing(16, 34, 4, 10)
CARD_PAD = 40  # the card's margin: a feed's rounded corners and its crop never reach the text
SMALL_LINE = 31  # the pitch of 24 px lines (attribution, status, source): 1.3 leading
ROW_LABEL, ROW_BAR, ROW_GAP = 30, 24, 8  # a chart row: its label's line, its bar, and the air before the next row


class CardRow(NamedTuple):
    """One bar of a card's small chart."""

    label: str
    value: float
    value_text: str
    series: str
    marked: bool  # the card's own figure: drawn in its colour, the others muted
    bound: str
    figure: Figure


def excerpt(text: str, span: str) -> str:
    """The sentence of a turn's words (`Turn.words`) that contains the span, verbatim."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return next(s for s in sentences if span in s)


def highlighted(sentence: str, span: str, size: int, width_px: float) -> list[str]:
    """The sentence as plotly text lines, wrapped by the real font's measure, the span bold in the highlight colour and
    never split by wrapping."""
    nbsp = "\u00a0"
    glued = span.replace(" ", nbsp)  # a line never breaks at a no-break space
    out = []
    for line in wrap_px(sentence.replace(span, glued), size, width_px, bold=True):
        safe = esc(line)
        out.append(safe.replace(esc(glued), f"<span style='color:{HIGHLIGHT}'><b>{esc(glued)}</b></span>"))
    return out


def card_id(f: Figure, size: str = "landscape") -> str:
    """File stem of a figure's card: '<figure-id>-card', or '<figure-id>-card-portrait'."""
    return f"{f.figure_id}-card" + ("" if size == "landscape" else f"-{size}")


def card_rows(ds: Dataset, w: Words, f: Figure) -> list[CardRow]:
    """The card's small chart, one row a bar; the card's own figure marked."""
    if f.topic == "turnover":
        figs = sorted(same_months(ds, f), key=lambda g: (g.period_start, g.kind != "headline", g.series))
        twice = repeated((g.period_start.year, g.series) for g in figs)
        named: dict[str, str] = {}  # one side, one period, two statements: each row says whose (as the charts do)
        for key in twice:
            named.update(w.who_restated([g for g in figs if (g.period_start.year, g.series) == key]))
        return [
            CardRow(
                w.card_row(g, named.get(g.figure_id, "")),
                g.value,
                w.number(g),
                g.series,
                g.figure_id == f.figure_id,
                g.bound,
                g,
            )
            for g in figs
            if g.period_start.year >= f.period_start.year - 1
        ]
    heads = [h for h in ds.headline() if h.topic == "containers"]
    rows = []
    for h in heads:
        other = ds.figures.get(h.matches)
        rows.append(
            CardRow(
                w.card_route_row(h.measure, report=False),
                h.value,
                w.tr.pct(h.value, 0, True),
                "interview",
                h.figure_id == f.figure_id,
                h.bound,
                h,
            )
        )
        if other is not None:
            rows.append(
                CardRow(
                    w.card_route_row(h.measure, report=True),
                    other.value,
                    w.tr.pct(other.value, 0, True),
                    other.series,
                    h.figure_id == f.figure_id,
                    other.bound,
                    other,
                )
            )
    return rows


def judged_colour(ds: Dataset, f: Figure) -> str:
    """The colour of a card's judgement: its verdict's, where a claim states the figure, else its status's."""
    from .verdicts import VERDICTS

    claim = ds.claim_stating(f)
    return VERDICTS[claim.verdict].text_colour if claim else STATUS_COLOURS[f.status]


def status_text(ds: Dataset, w: Words, f: Figure) -> str:
    """The card's status sentence (worded in statements.py)."""
    return w.card_status(f, turnover_bases(ds))


def quote_card(ds: Dataset, figure_id: str, tr: Tr | None = None, size: str = "landscape") -> Chart:
    """The card for one headline figure: its value, its words with the figure highlighted, its status, its chart, its
    citation.

    Where the chart would run into the source line (a long translation, a source line that wraps), the card is drawn
    again with the blocks above the chart set closer together."""
    tr = tr or Tr()
    # every row if the blocks fit, or fit once set closer together; then without our translation line (the page and
    # the portrait card have it) before any context row is left out
    for tight, translated in ((False, True), (True, True), (True, False)):
        card, room = draw_card(ds, figure_id, tr, size, tight=tight, trim=False, translated=translated)
        if room >= 0:
            return card
    return draw_card(ds, figure_id, tr, size, tight=True, trim=True, translated=False)[0]


def draw_card(
    ds: Dataset, figure_id: str, tr: Tr, size: str, tight: bool, trim: bool = True, translated: bool = True
) -> tuple[Chart, float]:
    """A quote card, and the height left between its chart and its footer (negative: short of room)."""
    w = Words(ds, tr)
    f, cs = ds.figures[figure_id], CARD_SIZES[size]
    turn = ds.turn(f.turn_id)
    W, H, pad = cs.width, cs.height, CARD_PAD
    inner = W - 2 * pad
    k = 1.0 if cs.landscape else 1.15  # portrait has the height for larger type
    gaps = TIGHT if tight else LOOSE
    # Collected, then handed to plotly once: add_annotation re-validates every annotation already added.
    anns: list[dict] = []
    bars: list[dict] = []

    def ann(**k) -> None:
        anns.append(dict(xref="paper", yref="paper", showarrow=False, align="left", xanchor="left", **k))

    def px(y: float) -> float:  # card pixels from the top -> paper
        return 1 - y / H

    # Value and what it is.
    value, label = w.value(f), f"{w.fig(f, 'label')}, {w.period(f)}"
    value_px = 64 if cs.landscape else 96
    while (
        not cs.landscape and text_px(value, value_px, bold=True) > inner
    ):  # "17,2 млрд долл. США" is wider than "US$17.2 billion"
        value_px -= 4
    value_w = text_px(typeset(value), value_px, bold=True) + 28  # the value, then 28 px of air before its label
    label_w = inner - (value_w if cs.landscape else 0)
    label_size = round(28 * k)
    # The label is never cut: where it needs more than two lines, its type steps down (not below MIN_FONT), and
    # where it still needs more, the blocks below move down to make room.
    label_lines = wrap_px(label, label_size, label_w, bold=True)
    while len(label_lines) > 2 and label_size > MIN_FONT:
        label_size -= 2
        label_lines = wrap_px(label, label_size, label_w, bold=True)
    label_line_px = round(label_size * 1.3)
    ann(
        x=0,
        y=px(pad),
        yanchor="top",
        text=f"<b>{esc(typeset(value))}</b>",
        font=dict(size=value_px, color=HIGHLIGHT),
        name="value",
    )
    label_x, label_y = (value_w / inner, pad + 6) if cs.landscape else (0, pad + value_px + 16)
    ann(
        x=label_x,
        y=px(label_y),
        yanchor="top",
        text="<br>".join(f"<b>{esc(t)}</b>" for t in label_lines),
        font=dict(size=label_size, color=INK),
        name="label",
    )
    if cs.landscape:
        y = max(pad + value_px, label_y + label_line_px * len(label_lines)) + gaps.after_value
    else:
        y = label_y + label_line_px * len(label_lines) + gaps.after_value
    # The sentence that states it, verbatim, and whose words these are.
    quote_size = round(26 * k)
    quote = highlighted(f"“{excerpt(turn.words, f.span)}”", f.span, quote_size, inner)
    ann(x=0, y=px(y), yanchor="top", text="<br>".join(quote), font=dict(size=quote_size, color=INK), name="excerpt")
    y += round(gaps.quote_line * k) * len(quote) + gaps.after_quote
    small = round(24 * k)
    claim = ds.claim_stating(f)
    if translated and tr.lang != "en" and claim is not None:  # another language: our translation, in ink, labelled
        ours = wrap_px(w.card_translation(claim), small, inner)
        ann(x=0, y=px(y), yanchor="top", text="<br>".join(esc(t) for t in ours), font=dict(size=small, color=INK),
            name="translation")  # fmt: skip
        y += round(SMALL_LINE * k) * len(ours) + gaps.after_attribution
    attribution = w.card_attribution(turn)
    att = wrap_px(attribution, small, inner)
    ann(
        x=0,
        y=px(y),
        yanchor="top",
        text="<br>".join(esc(t) for t in att),
        font=dict(size=small, color=MUTED),
        name="attribution",
    )
    y += round(SMALL_LINE * k) * len(att) + gaps.after_attribution
    # Chart and status: side by side in landscape, stacked in portrait.
    rows = card_rows(ds, w, f)
    # In landscape the chart takes 55 % of the width, or up to 60 % where that keeps every row label on one line.
    longest = max(text_px(r.label, small, bold=True) for r in rows)
    chart_frac = 1.0 if not cs.landscape else next((c for c in (0.55, 0.58, 0.6) if inner * c >= longest), 0.6)
    status_x = chart_frac + 0.03
    chart_w = inner * chart_frac
    status_lines = wrap_px(status_text(ds, w, f), small, inner * (1 - status_x) if cs.landscape else inner, bold=True)
    credit = wrap_px(w.credit(chart_for(f)), small, inner)
    line_px, label_px, bar_px, row_gap = (round(n * k) for n in (SMALL_LINE, ROW_LABEL, ROW_BAR, ROW_GAP))
    status_px = line_px * len(status_lines)

    def layout(rows):
        """Each row's wrapped label and top, the rows' height, the source lines, and the footer's height."""
        labels = [wrap_px(r.label, small, chart_w, bold=r.marked) for r in rows]
        tops, top = [], 0
        for lines in labels:
            tops.append(top)
            top += label_px * len(lines) + bar_px + row_gap
        source = wrap_px(w.source_line([f] + [r.figure for r in rows if r.figure is not f]), small, inner)
        return labels, tops, top, source, line_px * (len(source) + len(credit)) + pad - 8

    def room(chart_h: float, foot_px: float) -> float:
        """Height left between the chart and the footer (negative: they would overlap)."""
        used = max(chart_h, status_px) if cs.landscape else status_px + 26 + chart_h
        return H - foot_px - 16 - y - used

    labels, tops, chart_h, source, foot_px = layout(rows)
    # Where the card is short of room (Russian words are longer, or the data has grown), leave out context rows,
    # latest first, then earliest: the figure's own row always stays, so this ends.
    while trim and room(chart_h, foot_px) < 0 and len(rows) > 1:
        later = [
            r
            for r in rows
            if r.figure is not f and f.has_period and r.figure.has_period and r.figure.period_start >= f.period_start
        ]
        drop = later[-1] if later else next(r for r in rows if r.figure is not f)
        rows = [r for r in rows if r is not drop]
        labels, tops, chart_h, source, foot_px = layout(rows)
    if not cs.landscape:
        spare = max(0.0, room(chart_h, foot_px) - 30)  # spread the leftover height between the blocks
        y += spare * 0.4
        ann(
            x=0,
            y=px(y),
            yanchor="top",
            text="<br>".join(f"<b>{esc(t)}</b>" for t in status_lines),
            font=dict(size=small, color=judged_colour(ds, f)),
            name="status",
        )
        chart_top = y + status_px + 26 + spare * 0.15
    else:
        chart_top = y
        ann(
            x=status_x,
            y=px(y),
            yanchor="top",
            text="<br>".join(f"<b>{esc(t)}</b>" for t in status_lines),
            font=dict(size=small, color=judged_colour(ds, f)),
            name="status",
        )
    top_frac, bottom_frac = px(chart_top), max(0.0, px(chart_top + chart_h))
    x_max = max(r.value for r in rows) * 1.4  # room after the longest bar for its value
    for (_label, v, vtext, series, marked, _bound, _fig), lines, top in zip(rows, labels, tops):
        yy = top + label_px * len(lines) + bar_px / 2
        colour, outline = (COLOURS[series], INK) if marked else ("#DADDE1", "#A9AEB6")
        bars.append(
            dict(
                type="bar",
                x=[v],
                y=[yy],
                orientation="h",
                width=bar_px,
                marker=dict(color=colour, line=dict(color=outline, width=2 if marked else 1)),
                showlegend=False,
                hoverinfo="skip",
            )
        )
        text = "<br>".join(f"<b>{esc(t)}</b>" if marked else esc(t) for t in lines)
        anns.append(
            dict(
                x=0,
                y=yy - bar_px / 2 - 2,
                xref="x",
                yref="y",
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                align="left",
                text=text,
                name="row",
                font=dict(size=small, color=TEXT_COLOURS[series] if marked else MUTED),
            )
        )
        anns.append(
            dict(
                x=v,
                y=yy,
                xref="x",
                yref="y",
                xanchor="left",
                yanchor="middle",
                xshift=8,
                showarrow=False,
                text=f"<b>{esc(vtext)}</b>" if marked else esc(vtext),
                font=dict(size=small, color=INK if marked else MUTED),
                name="row_value",
            )
        )
    ann(
        x=0,
        y=px(H - foot_px + 8),
        yanchor="top",
        text="<br>".join(esc(t) for t in source + credit),
        font=dict(size=small, color=MUTED),
        name="source",
    )
    fig = go.Figure(
        data=bars,
        layout=dict(
            template=TEMPLATE,
            width=W,
            height=H,
            margin=dict(l=pad, r=pad, t=0, b=0),
            font=dict(family=FONT),
            barmode="overlay",
            showlegend=False,
            annotations=anns,
            xaxis=dict(domain=[0, chart_w / (W - 2 * pad)], range=[0, x_max], visible=False, fixedrange=True),
            yaxis=dict(domain=[bottom_frac, top_frac], range=[chart_h, 0], visible=False, fixedrange=True),
        ),
    )
    alt = w.card_alt(f, value, label, excerpt(turn.words, f.span), status_text(ds, w, f))
    return Chart(
        card_id(f, size),
        fig,
        f"{value}: {label}",
        status_text(ds, w, f),
        "\n".join(source),
        w.credit(chart_for(f)),
        alt,
        (f.figure_id,),
        tr.lang,
    ), room(chart_h, foot_px)


def preview_figure(card: Chart, width: int = 336) -> go.Figure:
    """The card's own figure drawn smaller for the page: every position is a share of the card, so only what is set in
    pixels (sizes, margins, shifts, line widths) is scaled. The PNG is this figure at full size. Scaled as plain data,
    then handed to plotly once (it validates every assignment to a figure)."""
    spec = card.figure.to_dict()  # a deep copy: the card itself is never changed
    layout = spec["layout"]
    k = width / layout["width"]
    for a in layout.get("annotations", []):
        a.setdefault("font", {})["size"] = a["font"].get("size", 12) * k
        a["xshift"], a["yshift"] = a.get("xshift", 0) * k, a.get("yshift", 0) * k
    for t in spec["data"]:
        line = t.get("marker", {}).get("line", {})
        if line.get("width"):
            line["width"] *= k
    layout["width"], layout["height"] = width, round(layout["height"] * k)
    layout["margin"] = {side: layout.get("margin", {}).get(side, 0) * k for side in "lrtb"}
    return go.Figure(spec)


def all_cards(ds: Dataset, tr: Tr | None = None, size: str = "landscape") -> list[Chart]:
    """One card per headline figure."""
    return [quote_card(ds, f.figure_id, tr, size) for f in ds.headline()]


# --- claim cards: one image per checked claim, its words, whose they are, our verdict and why, and where the evidence
# is ----------

CLAIM_PAD = 48  # the card's margin on every side, as in the quote cards' 40 px plus room for a feed's rounded corners
CLAIM_GAP = 22  # between blocks: enough to read them as separate, little enough for a long claim to fit
CLAIM_GAP_TIGHT = 10  # between blocks of a card whose text still does not fit at the smallest type
CLAIM_LEADING = 1.32  # line height as a share of the font size, for the claim's words and the note
CLAIM_MAX_LINES = {True: 4, False: 7}
# of the height a short claim leaves unused, the share set between the claim and the rest  # the claim's words at most;
# their type steps down to MIN_FONT before this is passed
CLAIM_SPREAD = 0.3
CLAIM_SOURCE_LINES = 3  # a longer source line is counted on the card, and each page named on the claim's entry


def claim_card(ds: Dataset, claim_id: str, tr: Tr | None = None, size: str = "landscape") -> Chart:
    """The card for one checked claim, laid out from text measured in the font Chromium draws (Liberation Sans).

    The claim's words start large and step down (never below MIN_FONT) until they take at most CLAIM_MAX_LINES lines and
    every block fits above the footer; the note steps down after them."""
    from .verdicts import VERDICTS

    tr = tr or Tr()
    w = Words(ds, tr)
    c = next(x for x in ds.claims if x.claim_id == claim_id)
    cs = CARD_SIZES[size]
    W, H, pad = cs.width, cs.height, CLAIM_PAD
    inner = W - 2 * pad
    k = 1.0 if cs.landscape else 1.2
    verdict = VERDICTS[c.verdict]
    words = w.quoted(c.span) if tr.lang == "en" else w.quoted(w.claim_field(c, "span"))  # the reader's language first
    small = round(24 * k)
    sources = wrap_px(w.claim_sources(c), small, inner)
    if len(sources) > CLAIM_SOURCE_LINES:  # a claim that rests on many pages: counted here, named on its entry
        sources = wrap_px(w.claim_sources_counted(c), small, inner)
    foot = sources + wrap_px(w.credit("claims", chart=False), small, inner)
    foot_h = len(foot) * round(small * CLAIM_LEADING)

    def layout(
        claim_px: int, note_px: int, gap: int = CLAIM_GAP
    ) -> tuple[list[tuple[str, list[str], int, str, bool]], float]:
        """(name, lines, font size, colour, bold) for each block, and the height left above the footer."""
        said = w.claim_card_lines(c)
        texts = [
            ("verdict", said["verdict"], round(30 * k), verdict.text_colour, True),
            ("claim", words, claim_px, INK, True),
        ]
        if "translation" in said:
            texts.append(("translation", said["translation"], small, MUTED, False))
        texts.append(("attribution", said["attribution"], small, MUTED, False))
        texts.append(("note", said["note"], note_px, INK, False))
        if "changed" in said:
            texts.append(("changed", said["changed"], small, verdict.text_colour, False))
        blocks = [(name, wrap_px(text, px_, inner, bold), px_, colour, bold) for name, text, px_, colour, bold in texts]
        used = pad + sum(len(lines) * round(px_ * CLAIM_LEADING) + gap for _n, lines, px_, _c, _b in blocks)
        return blocks, H - pad - foot_h - used

    claim_px, note_px = round(44 * k), round(28 * k)
    while len(wrap_px(words, claim_px, inner, True)) > CLAIM_MAX_LINES[cs.landscape] and claim_px > MIN_FONT:
        claim_px -= 2
    blocks, room = layout(claim_px, note_px)
    while room < 0 and (claim_px > MIN_FONT or note_px > MIN_FONT):  # a long claim or translation: type steps down,
        # the claim's words never smaller than the note under them (they are what the card is about)
        if claim_px > note_px or note_px <= MIN_FONT:
            claim_px = max(MIN_FONT, claim_px - 2)
        else:
            note_px = max(MIN_FONT, note_px - 2)
        blocks, room = layout(claim_px, note_px)
    gap = CLAIM_GAP
    if room < 0:  # the smallest type still does not fit (a translation and its original): closer blocks
        gap = CLAIM_GAP_TIGHT
        blocks, room = layout(claim_px, note_px, gap)
    fig = go.Figure()
    y = pad
    spare = (
        max(0.0, room) * CLAIM_SPREAD
    )  # a short claim leaves room: part of it goes between the claim and what is said of it
    for name, lines, size_px, colour, bold in blocks:
        text = "<br>".join(f"<b>{esc(t)}</b>" if bold else esc(t) for t in lines)
        fig.add_annotation(
            xref="paper",
            yref="paper",
            x=0,
            y=1 - y / H,
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            text=text,
            font=dict(size=size_px, color=colour),
            name=name,
        )
        y += len(lines) * round(size_px * CLAIM_LEADING) + gap + (spare if name == "claim" else 0)
    fig.add_annotation(
        xref="paper",
        yref="paper",
        x=0,
        y=1 - (H - pad - foot_h) / H,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        text="<br>".join(esc(t) for t in foot),
        font=dict(size=small, color=MUTED),
        name="source",
    )
    # a bar in the verdict's colour down the card's left edge: the verdict is seen before a word is read
    fig.add_shape(
        type="rect",
        xref="paper",
        yref="paper",
        x0=-pad / inner,
        x1=(12 - pad) / inner,
        y0=0,
        y1=1,
        line=dict(width=0),
        fillcolor=verdict.text_colour,
        name="verdict_bar",
    )
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    fig.update_layout(
        template=TEMPLATE,
        width=W,
        height=H,
        margin=dict(l=pad, r=pad, t=0, b=0),
        font=dict(family=FONT),
        showlegend=False,
    )
    alt = w.claim_card_alt(c)
    return Chart(
        claim_card_id(c.claim_id, size),
        fig,
        words,
        w.claim_field(c, "verdict_note"),
        w.claim_sources(c),
        w.credit("claims", chart=False),
        alt,
        c.evidence_ids,
        tr.lang,
    )


def claim_card_id(claim_id: str, size: str = "landscape") -> str:
    """File stem of a claim's card: 'claim-<claim-id>-card', or '…-card-portrait'."""
    return f"claim-{claim_id}-card" + ("" if size == "landscape" else f"-{size}")
