"""The Streamlit page: routing, language, header and footer. Only this package and app.py import Streamlit."""

from __future__ import annotations

import gc
import logging
import time

import streamlit as st

from ..i18n import DEFAULT_LANG, LANGS, N_, Tr, plain
from ..load import InvalidData
from ..routes import PASSTHROUGH, VIEWS, language_nav, route, view_nav
from ..statements import Words
from . import pages, state
from .blocks import Page, base_url, link, md, nav_link

LOG = logging.getLogger("kztrade")
# A constant stylesheet: tighter top space so a phone's first screen reaches the findings, and smaller
# headings on narrow screens. It holds no data text and is never built from any.
STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.9rem; padding-bottom: 3rem; max-width: 1280px; }
[data-testid="stMarkdownContainer"] blockquote { color: inherit; opacity: 1; border-left-color: #9AA0A8; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
/* a highlighted figure in the interview's words sits flush with the words and punctuation around it, even across a
line break */
[data-testid="stMarkdownContainer"] .stMarkdownColoredBackground { padding: 1px 0 !important; box-decoration-break:
clone; -webkit-box-decoration-break: clone; }
/* the interview reader: lines of about 75 characters, as a printed page has them */
.st-key-interview-reader { max-width: 44rem; }
/* the claims register: each claim's words as a heading, set at reading size */
.st-key-claims-list, .st-key-claims-unchecked { max-width: 48rem; }
.st-key-claims-list h3 { font-size: 1.08rem !important; line-height: 1.4 !important; font-weight: 600 !important; }
.st-key-claims-unchecked h3 { font-size: 1rem !important; line-height: 1.4 !important; font-weight: 600 !important;
padding-bottom: 0 !important; }
/* a claim's verdict is the most prominent thing about it: its badge larger and bolder than the words it judges */
[class*="st-key-entry-claim-"] .stMarkdownBadge { font-size: 1.12rem !important; font-weight: 700 !important;
padding: 0.18rem 0.6rem !important; line-height: 1.45 !important; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #585E67 !important; }
h1 { font-size: 2.05rem !important; line-height: 1.2 !important; padding-bottom: 0.2rem !important; }
h2 { font-size: 1.5rem !important; }
h3 { font-size: 1.2rem !important; }
h4 { font-size: 1.02rem !important; }
/* a chart, its title, source line and buttons: one column of a printed figure's measure, the lines its text is
broken for (a phone's, a PNG's, an embed's) */
[class*="st-key-chart-"] { max-width: 46rem; }
/* quote card previews: the card's own figure at 336 px, framed as the image it previews */
[class*="st-key-card-preview-"] { width: fit-content; border: 1px solid #D0D4DA; }
/* the language switch: two links that look like one control; the current language is marked, not linked twice */
.kz-lang { display: inline-flex; border: 1px solid #C9CDD3; border-radius: 0.5rem; overflow: hidden; margin: 0.1rem 0
0.2rem 0; }
.kz-lang a { padding: 0.3rem 0.85rem; color: #1F2328; text-decoration: none; font-size: 0.95rem; line-height: 1.4; }
.kz-lang a + a { border-left: 1px solid #C9CDD3; }
.kz-lang a:hover, .kz-lang a:focus-visible { background: #F3F4F6; text-decoration: underline; }
.kz-lang a.kz-current { background: #E8F1F8; color: #005A8C; font-weight: 600; }
/* the views: links set as one row of tabs, wrapping on a phone; the view shown is marked */
.kz-views { display: flex; flex-wrap: wrap; gap: 0.4rem; margin: 0.75rem 0 0.1rem 0; }
.kz-views a { padding: 0.32rem 0.8rem; border: 1px solid #C9CDD3; border-radius: 0.5rem; color: #1F2328;
text-decoration: none; font-size: 0.95rem; line-height: 1.4; white-space: nowrap; }
.kz-views a:hover, .kz-views a:focus-visible { background: #F3F4F6; text-decoration: underline; }
.kz-views a.kz-current { background: #E8F1F8; border-color: #7FA9C9; color: #005A8C; font-weight: 600; }
/* the data view's table: text that wraps, every column on a desktop */
.st-key-figures-table table { width: 100%; font-size: 0.92rem; }
.st-key-figures-table td, .st-key-figures-table th { vertical-align: top; overflow-wrap: break-word; }
@media (min-width: 1100px) { .st-key-figures-table td:last-child { min-width: 22rem; } }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3.9rem 0.85rem 2rem 0.85rem; }
  /* a phone's page is read, not scanned: blocks a little closer, so a view stays within six screens */
  [data-testid="stVerticalBlock"] { gap: 0.7rem; }
  /* the data view's three phone columns: a little smaller, so a period kept on one line still fits beside its value */
  .st-key-figures-table table { font-size: 0.84rem; }
  .st-key-figures-table td, .st-key-figures-table th { padding: 0.3rem 0.35rem; }
  h1 { font-size: 1.5rem !important; }
  h2 { font-size: 1.3rem !important; }
  h3 { font-size: 1.1rem !important; }
}
</style>"""
# On a phone or a tablet, the data view's table shows three of its columns (pages.PHONE_COLUMNS); the rule is built
# from the column lists, so it cannot fall out of step with the table. Constant: no data text in it.
STYLE = STYLE.replace(
    "</style>",
    "@media (max-width: 1099px) { "
    + ", ".join(
        f".st-key-figures-table :is(td, th):nth-child({i})"
        for i, column in enumerate(pages.TABLE_COLUMNS, 1)
        if column not in pages.PHONE_COLUMNS
    )
    + " { display: none; } }\n</style>",
)
# An embedded chart starts at its title: no room kept for the app's header, which an embed does not show.
EMBED_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 0.6rem !important; padding-bottom: 0.6rem !important; }
[data-testid="stHeader"] { display: none; }
[class*="st-key-chart-"] { max-width: none; }  /* an embed fills its frame */
</style>"""
TITLE = N_("Kazakhstan–Russia trade: one interview's numbers, checked")


class Stylesheet:
    """The page's constant stylesheet, sent once: right after the view's first chart (blocks.chart_block calls send),
    or at once on a view that draws none. Streamlit puts an st.html of style tags alone in its event container, never
    on the page, so when it is sent changes nothing of where anything lands; it changes what the browser fetches first.
    The stylesheet's element loads a script of its own (Streamlit's HTML element and DOMPurify): sent first, it made
    plotly's script wait (about 90 ms of a warm visit here). A plot is drawn only once plotly's script has loaded, long
    after the stylesheet is in, and a charted view sends its words after its first chart too (the header, a view's
    heading), so nothing is drawn unstyled first."""

    def __init__(self, sheet: str):
        self.sheet, self.sent = sheet, False

    def send(self) -> None:
        if not self.sent:
            self.sent = True
            st.html(self.sheet)


def query_values() -> dict[str, list[str]]:
    """The query string as key -> every value."""
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def go_to(view: str, lang: str, claim: str | None = None, verdict: str | None = None) -> None:
    """Point the address bar at a view in a language, and at one claim of the claims view or at one verdict's claims
    (keeping Streamlit's embed parameters)."""
    keep = {k: st.query_params.get_all(k) for k in st.query_params.keys() if k in PASSTHROUGH}
    on_claims = {"claim": claim} if claim else {"verdict": verdict} if verdict else {}
    st.query_params.from_dict({**keep, "view": view, "lang": lang, **(on_claims if view == "claims" else {})})


def browser_lang() -> str:
    """The reader's browser's language where we have it (the list in i18n.LANGS), English otherwise."""
    asked = (st.context.locale or "").lower().replace("_", "-").split("-")[0]
    return asked if asked in LANGS else DEFAULT_LANG


def main() -> None:
    """The whole page."""
    # No page_icon: an emoji makes Streamlit load its emoji table (73 ms, 3.7 MiB), and a material icon makes the
    # browser fetch Google's icon font (no network here; a third-party request for every reader). The tab keeps
    # Streamlit's own icon.
    st.set_page_config(page_title="kztrade", layout="wide")
    where = route(query_values())
    embedded = bool(st.context.is_embedded and where.chart)
    style = Stylesheet(STYLE + EMBED_STYLE if embedded else STYLE)
    if not (where.chart or pages.draws_a_chart(where.view)):
        style.send()
    if "lang" not in st.session_state or (where.lang and where.lang != st.session_state.get("url_lang")):
        st.session_state["lang"] = where.lang or browser_lang()
        st.session_state["url_lang"] = where.lang
    lang = st.session_state["lang"]
    folder = str(state.data_dir())
    stamp = state.data_stamp(folder)
    try:
        ds = state.dataset(folder, stamp)
    except InvalidData as e:
        style.send()
        show_problems(e.problems, plain(lang))
        return
    tr = state.translator(folder, stamp, lang)
    p = Page(ds, tr, Words(ds, tr), folder, stamp, base_url(), where.claim, where.verdict, chart_sent=style.send)
    view = where.view  # the address is the one place the view is held: the navigation is links
    # a claim the data has stays in the address bar; one it has not leaves it (the view says so, never echoing it)
    claim = where.claim if view == "claims" and any(c.claim_id == where.claim for c in ds.claims) else None
    if (
        where.notices
        or st.query_params.get("lang") != lang
        or st.query_params.get("view") != (where.chart or view)
        or st.query_params.get("claim") != claim
        or st.query_params.get("verdict") != where.verdict
    ):
        go_to(
            where.chart or view, lang, claim, where.verdict
        )  # the address bar holds view, language, claim or verdict; refused values leave it
    try:
        if embedded:
            pages.embed_view(p, where.chart)
            return
        # The header's place comes first on the page, but its words are sent after the view: a view's first chart
        # then reaches the browser before any text, so plotly's script starts loading as early as in a bare app.
        top = st.container()
        try:
            if where.chart:
                pages.chart_view(p, where.chart)
            else:
                pages.PAGES[view](p)
            footer(p, pages.overview_tail(p) if view == "overview" and not where.chart else "")
        finally:
            with top:
                header(p, view, where.chart)
                for notice in where.notices:
                    st.info(tr._(notice), icon=":material/info:")
    except Exception:  # a bug must not show a traceback; the server log has it
        st.error(
            tr._("This view could not be drawn. Reload the page; if it happens again, please report the link you used.")
        )
        LOG.exception("view %s failed", where.chart or view)
    finally:
        style.send()  # a view that drew no chart after all (or failed before it) still gets its stylesheet


def header(p: Page, view: str, chart: str | None = None) -> None:
    """Title, what the page is about in one line, the language switch and the navigation (links: see
    routes.view_nav). A chart's own link marks the view the chart belongs to; its language links keep the chart."""
    _, iv = p.tr._, p.ds.interview
    st.title(_(TITLE), anchor=False)
    names = dict(
        outlet=iv.outlet, interviewee=p.w.interviewee(), interviewee_gen=p.w.interviewee_gen(), when=p.w.published()
    )
    if view == "overview" and not chart:  # the landing page says what this is; every other view, shorter
        about = _(
            "The figures in {outlet}'s interview with {interviewee}, {when}, beside what officials and other sources "
            "said. "
            "The three headline figures are stated in {outlet}'s question, not by {interviewee}."
        ).format(**names)
    else:
        about = _("The three headline figures are stated in {outlet}'s question, not by {interviewee}.").format(**names)
    st.markdown(md(about) + " " + link(_("Original interview"), iv.url))
    lang = p.tr.lang
    st.html(
        language_nav(chart or view, lang, _("Language"))
        + view_nav(view, lang, {v: _(name) for v, name in VIEWS.items()}, _("Views"))
    )


def footer(p: Page, lead: str = "") -> None:
    """Provenance on every view, and the key to the series colours (from the series registry), under a view's own
    last line if it has one (the overview's: where the sources' words are)."""
    _ = p.tr._
    about = _(
        "Data: the kztrade data package (data/datapackage.json), CC BY 4.0 for our compilation; the interview text is "
        "{outlet}'s, quoted as an excerpt. Every number names who stated it and where, with the source's own sentence."
    ).format(outlet=p.ds.interview.outlet)
    # the rule above it is the caption's own (Markdown "---"): one element, where st.divider() is a block of five
    st.caption(
        (lead + "\n\n" if lead else "")
        + "---\n\n"
        + md(about + " " + p.w.colour_legend())
        + " "
        + nav_link(_("Data and sources"), p.href("data"))
    )


def show_problems(problems, tr: Tr) -> None:
    """The same problem list `python -m kztrade check` prints, instead of a dashboard."""
    _ = tr._
    st.title(_("kztrade: the data needs fixing"))
    st.error(
        _(
            "The data package has {n} problem(s), so the dashboard is not shown. Fix each named file, row and field in "
            "data/, "
            "then run `python -m kztrade check` and reload."
        ).format(n=len(problems))
    )
    st.code("\n".join(str(p) for p in problems), language=None)


def skip_direct_run_check() -> None:
    """Under `streamlit run` (a Runtime exists), Streamlit's once-per-process check for a script started with plain
    `python` can only conclude that it was not, and prints nothing. The check (delta_generator._maybe_print_use_warning)
    walks the call stack and reads the source of every frame (inspect.stack()), which took 50-100 ms of a fresh
    server's first visit here, before its first element. So it is marked as done; `python app.py` still warns."""
    from streamlit import delta_generator, runtime

    if runtime.exists():
        delta_generator._use_warning_has_been_displayed = True


# How long a PNG made on a click stays at its address, at least, for the browser to fetch it (see keep_made_downloads)
DOWNLOAD_GRACE_S = 60.0


def keep_made_downloads(grace_s: float = DOWNLOAD_GRACE_S, clock=time.monotonic) -> None:
    """A file made on a click (a download button's deferred callable: our PNGs) is referenced by no session, so
    Streamlit deletes it at the second sweep for unreferenced files, and a sweep runs whenever any session's script
    run ends. With several visitors at once, two runs could end between the file being made and the browser fetching
    its address: the fetch got a 404 and the browser cancelled the download, with no word to the reader (4 of 96
    downloads, 8 visitors clicking PNG at once as their pages loaded). So a marked file is deleted only at a sweep at
    least grace_s after it was first marked; a file made again is marked afresh. Memory: a few PNGs of ~100 KB for a
    minute. Patches Streamlit's MediaFileMetadata (pinned in tests/test_config.py)."""
    from streamlit.runtime import media_file_manager as mfm

    def mark_for_delete(self) -> None:
        if getattr(self, "_kz_marked_at", None) is None:
            self._kz_marked_at = clock()

    def marked_long_enough(self) -> bool:
        marked = getattr(self, "_kz_marked_at", None)
        return marked is not None and clock() - marked >= grace_s

    mfm.MediaFileMetadata.mark_for_delete = mark_for_delete
    mfm.MediaFileMetadata.is_marked_for_delete = property(marked_long_enough)


skip_direct_run_check()
keep_made_downloads()
# What is alive once this package is imported (Streamlit's server, plotly, Babel, our modules) lives as long as the
# process. gc.freeze() moves it out of the collector's reach, so a full collection no longer walks it: on a fresh
# server the first visit's data check triggers one, which took 35 ms of the first chart's time; every later one is
# shorter too. It runs once per process, at import, so no visit's objects are ever frozen.
gc.freeze()
