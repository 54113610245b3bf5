"""What a bar chart draws, read from its figure: every bar, and every text whether plotly draws it as an annotation
or as a trace's text (bar charts draw a panel's bars as one trace, their values as its text and their labels as a
text trace, "text", which also draws the panel's headings and notes: each point's kind, "label", "section", "group" or
"note", is its customdata). Other figures (the timeline, the cards, a PNG's title and source) draw their words as
annotations, read by name."""

from __future__ import annotations


def panel(ref: str | None) -> int:
    """Which panel an axis reference is in: 'y' is the first, 'y2' the second."""
    return int((ref or "y")[1:] or 1)


def each(value, n: int) -> list:
    """A per-point property as a list: plotly takes one value for every point or an array."""
    return list(value) if isinstance(value, (list, tuple)) else [value] * n


def bar_points(fig) -> list[dict]:
    """Every bar, in drawing order: its panel, y, value, fill, outline width, pattern and the text at its end."""
    out = []
    for t in fig.data:
        if t.type != "bar":
            continue
        n = len(t.x)
        pattern = t.marker.pattern.shape if t.marker.pattern else None
        for i, (colour, width, shape, text) in enumerate(
            zip(
                each(t.marker.color, n),
                each(t.marker.line.width, n),
                each(pattern, n),
                each(t.text if t.text is not None else "", n),
            )
        ):
            out.append(
                dict(
                    panel=panel(t.yaxis),
                    xaxis=t.xaxis or "x",
                    y=t.y[i],
                    x=t.x[i],
                    colour=colour,
                    line_width=width,
                    pattern=shape or "",
                    text=text,
                )
            )
    return out


def texts(fig, name: str | None = None) -> list[tuple[int, float, str]]:
    """(panel, y, text) of every text drawn under a name, top to bottom: annotations by their name, a scatter trace's
    texts by each point's kind in its customdata if it has one ("label", "section", "group", "note"), else by the
    trace's name ("open ends" for the values past an arrowhead), a bar trace's texts as "value". Without a name, every
    text."""
    out = [
        (panel(a.yref) if a.yref != "paper" else 0, a.y or 0, a.text)
        for a in fig.layout.annotations
        if a.text and (name is None or a.name == name)
    ]
    for t in fig.data:
        if t.text is None:
            continue
        kinds = each(
            t.customdata
            if t.type == "scatter" and t.customdata is not None
            else ("value" if t.type == "bar" else t.name),
            len(t.y),
        )
        for y, text, kind in zip(t.y, each(t.text, len(t.y)), kinds):
            if text and (name is None or kind == name):
                out.append((panel(t.yaxis), y, text))
    return sorted(out, key=lambda p: (p[0], p[1]))


def font_sizes(fig) -> list[float]:
    """The size of every text the figure draws: annotations, trace texts and the x axis's ticks."""
    sizes = [a.font.size for a in fig.layout.annotations if a.text]
    for t in fig.data:
        if t.text is not None:
            font = t.outsidetextfont if t.type == "bar" else t.textfont
            sizes += each(font.size, len(t.x))
    sizes += [fig.layout.xaxis.tickfont.size] if fig.layout.xaxis.visible is not False else []
    return [s for s in sizes if s is not None]
