"""The pieces every view is made of: safe markdown, the chart block with its downloads, the interview's
words and the sources' words. Only the ui package imports Streamlit."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote, urlencode

import streamlit as st

from .. import export
from ..charts import Chart, chart_for
from ..i18n import N_, Tr, sentence, typeset
from ..model import Dataset, Figure, Turn
from ..quotes import find_value
from ..routes import public_base, public_setting
from ..statements import STATUSES, Words
from ..table import safe_csv
from ..verdicts import VERDICTS
from . import state

# Every ASCII punctuation character is escaped, so data text can carry no formatting, link, directive,
# LaTeX or HTML. Escapes do not stop GFM's autolinks, which are found in the text after escapes are undone,
# so a word joiner (invisible, U+2060) goes where an address or e-mail would start: "https:⁠//", "www⁠.", "@⁠".
MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
JOINER = "\u2060"
AUTOLINK_STARTS = re.compile(r"(?i)(https?:|ftp:|mailto:)(?=/)|(www)(?=\.)|(@)")
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False, "scrollZoom": False, "responsive": True}


def md(text: str, verbatim: bool = False) -> str:
    """Text made literal for Streamlit markdown: no formatting, no links or autolinks, no directives, no HTML.

    Our text is typeset (no-break spaces where a line may not break); verbatim words (a quote) are left as written."""
    unlinked = AUTOLINK_STARTS.sub(lambda m: m.group(0) + JOINER, text if verbatim else typeset(text))
    return MD_SPECIAL.sub(r"\\\1", unlinked).replace("\n", "  \n")


def md_table(header: list[str], rows: list[list]) -> str:
    """A Markdown table whose every cell is literal text (md() escapes "|" with the rest); a line break in a cell
    would end its row, so it becomes a space."""

    def cell(value) -> str:
        return md(" ".join(str(value).split("\n")))

    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(c if i == 1 else cell(c) for c in line) + " |" for i, line in enumerate(lines))


def link(label: str, url: str) -> str:
    """A markdown link with an escaped label and a percent-encoded https address."""
    if not url.startswith("https://"):
        return md(label)
    return f"[{md(label)}]({quote(url, safe=':/?&=#%~.-_+')})"


HEADINGS = {1: st.title, 2: st.header, 3: st.subheader}


def heading(level: int, text: str, verbatim: bool = False) -> None:
    """A heading (our words, already translated, or a claim's verbatim), without Streamlit's link icon: five elements
    of the page each, and every view, chart and claim has a link of its own (the address bar, a chart's or a claim's
    share menu)."""
    if level in HEADINGS:
        HEADINGS[level](md(text, verbatim), anchor=False)
    else:
        st.markdown(f"{'#' * level} {md(text, verbatim)}")


def nav_link(label: str, href: str) -> str:
    """A markdown link within the app, with an escaped label and an address that cannot close the link."""
    return f"[{md(label)}]({quote(href, safe=':/?&=#%~.-_+')})"


def badge(w: Words, status: str) -> str:
    """A coloured markdown badge for a status (our words only), or '' for a status whose badge would tell nothing."""
    colour = STATUSES[status].badge
    return f":{colour}-badge[{md(w.status(status))}]" if colour else ""


def verdict_badge(w: Words, key: str) -> str:
    """A verdict as a coloured badge (our words only)."""
    return f":{VERDICTS[key].badge}-badge[{md(w.verdict(key))}]"


def judged_badge(w: Words, f: Figure) -> str:
    """A headline figure's badge: the verdict on the claim that states it, so a reader sees one word for one
    judgement wherever the figure is shown; a figure no claim states keeps its source status."""
    claim = w.ds.claim_stating(f)
    return verdict_badge(w, claim.verdict) if claim else badge(w, f.status)


def event_badge(w: Words, e) -> str:
    """An interview's claimed event's badge: the verdict on the claim whose words name it, else its source status."""
    claim = w.ds.claim_about(e.turn_id, e.span) if e.turn_id else None
    return verdict_badge(w, claim.verdict) if claim else badge(w, e.status)


@dataclass
class Page:
    """What every block needs: the data, its words in the reader's language, and where the app lives."""

    ds: Dataset
    tr: Tr
    w: Words
    folder: str
    stamp: str
    base_url: str
    claim: str | None = None  # the one claim a link to the claims view names (a well-formed id, maybe not ours)
    verdict: str | None = None  # the claims view shows only the claims with this verdict (a step of the scale)
    # Sends the page's stylesheet, once (ui.Stylesheet); chart_block calls it after the view's first chart
    chart_sent: Callable[[], None] = lambda: None

    def href(self, view: str) -> str:
        """A link to a view or chart, in the reader's language."""
        return "?" + urlencode({"view": view, "lang": self.tr.lang})

    def absolute(self, view: str, **extra: str) -> str:
        """The app's own address for a view, for embeds and citations."""
        return self.base_url + "?" + urlencode({"view": view, "lang": self.tr.lang, **extra})


def base_url() -> str:
    """The app's address for links, embeds and citations (see views.public_base); '' when none is usable."""
    return public_base(public_setting(), st.context.url or "", st.get_option("server.baseUrlPath") or "")


def chart_block(p: Page, chart_id: str, actions: bool = True, level: int = 3) -> Chart:
    """A chart as on screen = PNG: title, subtitle, plot, source line and credit, then its downloads."""
    _ = p.tr._
    c = state.chart(p.folder, p.stamp, chart_id, p.tr.lang)
    # One chart, whose lines are broken for a phone, a PNG and an embed; a desktop sets it in a column of that measure
    # (the stylesheet), as a printed figure is. One fit, not two: half the page's weight and the server's work.
    with st.container(key=f"chart-{chart_id}"):
        head = st.container()  # title, subtitle and notes: placed above the plot, sent after it (it starts loading)
        st.plotly_chart(
            state.sent_chart(p.folder, p.stamp, chart_id, p.tr.lang),
            theme=None,
            width="stretch",
            key=f"plot-{chart_id}",
            alt=c.alt,
            config=CHART_CONFIG,
        )
        p.chart_sent()
        with head:
            heading(level, c.title)
            st.caption(md(c.subtitle))
            for note in c.notes:
                st.caption(md(note))
        st.caption(md(c.source) + "  \n" + md(c.credit))
        if actions:
            chart_actions(p, c)
    return c


def chart_actions(p: Page, c: Chart) -> None:
    """One short row under the chart: the PNG (made on click and cached), and one popover with the rest: the CSV and
    HTML downloads, the embed snippet, the text description and the chart's own link. One row on a phone, not four."""
    _ = p.tr._
    if export.browser_path() is None:
        st.info(
            _(
                "PNG export needs Chromium on the server, which is missing here. Install it (Debian/Ubuntu: "
                "apt-get install chromium; Streamlit Cloud: list chromium in packages.txt). Meanwhile the HTML "
                "download "
                "carries the chart with its title and source."
            ),
            icon=":material/image:",
        )
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        if export.browser_path() is not None:
            png_button(
                p,
                f"png-{c.chart_id}",
                _("PNG"),
                f"{c.chart_id}{lang_suffix(p.tr)}.png",
                lambda: state.png_bytes(p.folder, p.stamp, c.chart_id, p.tr.lang),
                width="content",
            )
        with st.popover(_(MORE_ACTIONS), icon=":material/share:"):
            with st.container(horizontal=True, gap="small"):
                st.download_button(
                    _("CSV"),
                    data=lambda: chart_csv(p, c),
                    file_name=f"{c.chart_id}{lang_suffix(p.tr)}.csv",
                    mime="text/csv",
                    on_click="ignore",
                    key=f"csv-{c.chart_id}",
                    icon=":material/table:",
                )
                st.download_button(
                    _("HTML"),
                    data=lambda: state.html_bytes(c),
                    file_name=f"{c.chart_id}{lang_suffix(p.tr)}.html",
                    mime="text/html",
                    on_click="ignore",
                    key=f"html-{c.chart_id}",
                    icon=":material/code:",
                )
            embed_snippet(p, c)
            st.caption(md(_("Chart description (text)")) + "  \n" + md(c.alt))
            st.markdown(nav_link(_("Link to this chart"), p.href(c.chart_id)))
    png_outcome(p, f"png-{c.chart_id}")


MORE_ACTIONS = N_("CSV, HTML, embed")


def lang_suffix(tr: Tr) -> str:
    """'.ru' before a file's extension for a Russian export; nothing for English."""
    return "" if tr.lang == "en" else f".{tr.lang}"


def png_button(
    p: Page, key: str, label: str, file_name: str, make, width: str = "stretch", outcome: bool = False
) -> None:
    """A download button whose image is made on click; the clicking session hears if it could not be made."""
    t, who = state.ticket(key), state.caller()
    st.download_button(
        label,
        data=lambda: state.guarded(t, who, make),
        file_name=file_name,
        mime="image/png",
        on_click="ignore",
        key=key,
        icon=":material/image:",
        width=width,
    )
    if outcome:
        png_outcome(p, key)


def shape_buttons(p: Page, prefix: str, stem, make, names: dict[str, str]) -> list[str]:
    """One PNG button per card shape, in a row: key '<prefix>-<shape>', file '<stem(shape)>[.ru].png', made by
    make(shape) on the click. Returns the buttons' keys (for png_outcome)."""
    keys = []
    with st.container(horizontal=True, gap="small"):
        for size in names:
            keys.append(f"{prefix}-{size}")
            png_button(
                p,
                keys[-1],
                p.tr._(names[size]),
                f"{stem(size)}{lang_suffix(p.tr)}.png",
                lambda size=size: make(size),
                width="content",
            )
    return keys


def png_outcome(p: Page, key: str) -> None:
    """Say so, in this session only, if this button's last export failed."""
    kind = state.ticket(key).unseen_failure()
    if kind:
        st.warning(export_failure(p.tr, kind), icon=":material/error:")


def export_failure(tr: Tr, kind: str) -> str:
    """What to tell the reader whose export failed, by kind of failure."""
    _ = tr._
    return {
        "timeout": _("The image took too long and was stopped. Click again; the server has started a fresh browser."),
        "missing": _("Image export needs Chromium on the server, and it is missing. Use the HTML download meanwhile."),
        "failed": _(
            "The image could not be made. Click again; if it fails again, reload the page or use the HTML download."
        ),
    }[kind]


def chart_csv(p: Page, c: Chart) -> bytes:
    """The rows of the figures table that a chart draws, as safe CSV."""
    return safe_csv([r for r in state.table_rows(p.folder, p.stamp, p.tr.lang) if r["id"] in c.shown])


def embed_snippet(p: Page, c: Chart) -> None:
    """The <iframe> that embeds this chart alone, built from the app's own address."""
    _ = p.tr._
    height = state.embed_height(p.folder, p.stamp, c.chart_id, p.tr.lang)  # the whole chart at 360 px, in this language
    src = p.absolute(c.chart_id, embed="true") if p.base_url else p.href(c.chart_id) + "&embed=true"
    st.caption(_("Paste this into an article to embed the chart, with its title, source line and a link back."))
    st.code(
        f'<iframe src="{html.escape(src)}" title="{html.escape(c.title)}" width="100%" height="{height}" '
        f'style="border:0" loading="lazy"></iframe>',
        language="html",
        wrap_lines=True,
    )


def highlight(text: str, spans: dict[str, str], p: Page) -> str:
    """Turn text as markdown, verbatim, each span bold, highlighted and linked to its chart (span -> chart id)."""
    out = md(text, verbatim=True)
    for span, target in spans.items():
        out = out.replace(
            md(span, verbatim=True), f"[:orange-background[**{md(span, verbatim=True)}**]]({p.href(target)})", 1
        )
    return out


def turn_spans(ds: Dataset, turn_id: str) -> dict[str, str]:
    """Spans stated in a turn, each with the chart that shows it."""
    spans = {f.span: chart_for(f) for f in ds.headline() if f.turn_id == turn_id}
    spans.update({e.span: "brics_timeline" for e in ds.events if e.turn_id == turn_id})
    return spans


def interview_words(p: Page, figures: list[Figure], shown: set[str]) -> None:
    """The verbatim turn that states these headline figures, once per view, with whose words they are and their
    status."""
    _ = p.tr._
    for turn_id in dict.fromkeys(f.turn_id for f in figures):
        turn = p.ds.turn(turn_id)
        if turn_id in shown:
            st.markdown(md(_("{turn}, quoted above on this page.").format(turn=p.w.turn_label(turn))))
        else:
            shown.add(turn_id)
            verbatim(p, turn)
    # each figure's status, one block of text (a block each drew five more elements for every figure)
    st.markdown(
        "\n\n".join(f"{judged_badge(p.w, f)} **{md(p.w.value(f))}**: {md(p.w.fig(f, 'status_note'))}" for f in figures)
    )


def verbatim(p: Page, turn: Turn) -> None:
    """A turn as News.Az printed it: whose words, the words with their figures highlighted, and (in Russian) that they
    are
    the original, with our translation a click away."""
    # whose words, the words and (in Russian) that they are the original: one block of text (a block each drew five
    # more elements for every turn)
    original = ""
    if p.tr.lang != "en":
        said = p.tr._("Verbatim, in English, as {outlet} printed it.").format(outlet=p.ds.interview.outlet)
        original = f"\n\n:small[{md(said)}]"
    st.markdown(
        f"**{md(p.w.turn_label(turn))}** · {md(p.w.not_spanov())}\n\n> "
        + highlight(turn.words, turn_spans(p.ds, turn.turn_id), p)
        + original
    )
    if original:
        translation(p, turn, fold=True)


def translation(p: Page, turn: Turn, fold: bool) -> None:
    """Our translation of a turn, labelled as ours, under the verbatim original: in an expander (sent once opened, see
    folded), or shown."""
    text = p.w.turn_translation(turn)
    if not text:
        return
    label = p.tr._("Our translation")
    if fold:
        with folded(label, f"translation-{turn.turn_id}", ":material/translate:") as box:
            if box.open:
                st.markdown(md(text))
    else:
        st.caption(md(p.tr._("Our translation: {text}").format(text=text)))


def source_link(p: Page, source_id: str, stated_on: str = "") -> str:
    """A source's outlet linked to its page, with the date a source line may print: 'TASS, 24 Oct 2024'."""
    when = p.w.page_date(source_id, stated_on)
    return link(p.w.outlet(source_id), p.ds.sources[source_id].url) + (md(", " + when) if when else "")


def quote_markdown(text: str, value: float, lang: str = "en") -> str:
    """A source's sentence as markdown, verbatim, with the number we took from it (read in the sentence's language) in
    bold."""
    found = find_value(text, value, lang)
    if found is None:
        return md(text, verbatim=True)
    return (
        md(text[: found.start], verbatim=True)
        + f"**{md(text[found.start : found.end], verbatim=True)}**"
        + md(text[found.end :], verbatim=True)
    )


def source_quote(p: Page, f: Figure) -> None:
    """One context figure: its value, period and who stated it; the page it comes from; its sentence, verbatim."""
    _, w = p.tr._, p.w
    s = p.ds.sources[f.source_id]
    st.markdown(
        f"**{md(w.value(f))}** · {md(w.period(f))} · {md(w.who(f))}  \n"
        f"{md(w.fig(f, 'stated_by'))} · {source_link(p, f.source_id, f.stated_on)}"
    )
    if f.quote:
        st.markdown("> " + quote_markdown(f.quote, f.value, f.quote_lang))
        if f.quote_lang not in (
            "en",
            p.tr.lang,
        ):  # a quote in neither English nor the reader's language: our translation beside it
            st.caption(md(_("Our translation: {text}").format(text=w.fig(f, "quote_en"))))
        st.caption(md(_("Read in a stored copy of the page on {date}.").format(date=p.tr.date(s.accessed.isoformat()))))
    else:
        st.markdown(badge(w, "quote_not_verified"))
    note = w.fig(f, "status_note")
    if f.converted_value is not None:
        note = (note + " " + w.converted(f) + ".").strip()
    if note:
        st.caption(md(note))


# Source cards one chart section draws at most; a grown dataset lists the rest in the data view, and says so.
MAX_SOURCE_CARDS = 24


def capped_cards(p: Page, figures: list[Figure]) -> list[Figure]:
    """The first MAX_SOURCE_CARDS figures, with a line saying how many more the data view lists."""
    if len(figures) > MAX_SOURCE_CARDS:
        more = len(figures) - MAX_SOURCE_CARDS
        st.caption(
            md(
                p.tr.n_(
                    "{n} more statement is listed under Data and sources.",
                    "{n} more statements are listed under Data and sources.",
                    more,
                ).format(n=p.tr.num(more))
            )
            + " "
            + nav_link(p.tr._("Data and sources"), p.href("data"))
        )
    return figures[:MAX_SOURCE_CARDS]


def folded(label: str, key: str, icon: str, expanded: bool = False):
    """An expander whose content is built and sent only while it is open: opening it reruns the page (Streamlit's
    on_change="rerun"), so a closed one costs the page its label alone (a plain expander sends all of its content:
    600 elements for one list of 23 quotes). Use as `with folded(...) as box:` and draw inside `if box.open:`."""
    return st.expander(label, expanded, key=f"fold-{key}", icon=icon, on_change="rerun")


def sources_grid(p: Page, figures: list[Figure], key: str) -> None:
    """What other sources say: each figure with its source's own sentence, behind an expander that names how many
    there are (the page stays short on a phone; one click shows every quote)."""
    if not figures:
        return
    with folded(
        p.tr._("What other sources say ({n})").format(n=p.tr.num(len(figures))), key, ":material/format_quote:"
    ) as box:
        if box.open:
            for f in capped_cards(p, figures):
                with st.container(border=True):
                    source_quote(p, f)


def derived_list(p: Page, ids: tuple[str, ...], key: str) -> None:
    """Derived numbers: the range their inputs allow, how they were computed, and when they hold."""
    derived = [p.ds.derived[i] for i in ids if i in p.ds.derived]
    if not derived:
        return
    with folded(
        p.tr._("Derived by kztrade ({n})").format(n=p.tr.num(len(derived))), f"derived-{key}", ":material/calculate:"
    ) as box:
        if box.open:
            for d in derived:
                st.markdown(
                    f"- **{md(p.w.derived_value(d))}**: {md(sentence(p.w.derived_field(d, 'label')))} "
                    f"{md(p.w.derived_method(d))} "
                    f"{md(p.w.derived_field(d, 'note'))}"
                )


def chart_section(p: Page, chart_id: str, shown: set[str]) -> None:
    """A chart beside the interview's words; under them, behind expanders, the derived numbers and what other
    sources say, each with its source's sentence."""
    left, right = st.columns([3, 2], gap="large")
    with left:
        c = chart_block(p, chart_id)
    figs = [p.ds.figures[i] for i in c.shown if i in p.ds.figures]
    heads = [f for f in figs if f.kind == "headline"]
    context = [f for f in figs if f.kind == "context"]
    with right:
        if heads:
            heading(4, p.tr._("In the interview"))
            interview_words(p, heads, shown)
        derived_list(p, c.shown, chart_id)
        sources_grid(p, context, f"sources-{chart_id}")
