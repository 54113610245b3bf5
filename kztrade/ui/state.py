"""What the page keeps between runs: per-process caches keyed by the data folder's stamp, and per-session
export tickets. Only the ui package imports Streamlit."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from .. import DATA_DIR, REFERENCE_INTERVIEW, charts, export
from ..cards import CARD_SIZES, claim_card, preview_figure, quote_card
from ..charts import EXPORT_WIDTH, Chart, build_chart, compose
from ..guard import content_stamp
from ..i18n import Tr
from ..load import load_dataset
from ..model import Dataset
from ..statements import Words
from ..table import figures_table

LOG = logging.getLogger("kztrade")


def data_dir() -> Path:
    """The data folder: KZTRADE_DATA_DIR if set (tests use it), else the project's data/."""
    return Path(os.environ.get("KZTRADE_DATA_DIR") or DATA_DIR)


def data_stamp(folder: str) -> str:
    """A digest of the data folder's contents: the caches' key, so any edit is seen on the next run."""
    return content_stamp(Path(folder))


@st.cache_resource(show_spinner=False, max_entries=4)
def dataset(folder: str, stamp: str) -> Dataset:
    """The checked dataset for this stamp of the folder; InvalidData is raised, never cached."""
    return load_dataset(Path(folder), REFERENCE_INTERVIEW)


@st.cache_resource(show_spinner=False, max_entries=8)
def translator(folder: str, stamp: str, lang: str) -> Tr:
    """Our words and the data's text in one language."""
    return Tr(lang, dataset(folder, stamp).translations.get(lang, {}))


@st.cache_resource(show_spinner=False, max_entries=128)
def chart(folder: str, stamp: str, chart_id: str, lang: str) -> Chart:
    """One built chart, shared by all sessions (figures are never mutated after building)."""
    return build_chart(dataset(folder, stamp), chart_id, translator(folder, stamp, lang))


class SentFigure(go.Figure):
    """A built figure as the page sends it, read once. st.plotly_chart calls to_dict(), which deep-copies and scans
    the whole figure on every call (two fifths of a warm visit's server time); this one hands back the dict made from
    the built figure once. It is itself an empty figure (a copy would be validated again: 0.1 s for the overview's
    five on a fresh server), so it is only ever handed to st.plotly_chart; every other use (the PNG, the HTML, a
    card's preview) reads the built chart itself."""

    def __init__(self, figure: go.Figure):
        super().__init__()
        self._sent = figure.to_dict()

    def to_dict(self) -> dict:
        return self._sent


@st.cache_resource(show_spinner=False, max_entries=128)
def sent_chart(folder: str, stamp: str, chart_id: str, lang: str) -> SentFigure:
    """A chart's figure as every visit's page sends it."""
    return SentFigure(chart(folder, stamp, chart_id, lang).figure)


@st.cache_data(show_spinner=False, max_entries=32)
def embed_height(folder: str, stamp: str, chart_id: str, lang: str) -> int:
    """The embed snippet's height: the chart in the snippet's language (its address names it), as a 360 px page draws
    it."""
    t = translator(folder, stamp, lang)
    return charts.embed_height(
        [chart(folder, stamp, chart_id, lang)], [t._("Open this chart with its sources in kztrade")]
    )


@st.cache_data(show_spinner=False, max_entries=8)
def table_rows(folder: str, stamp: str, lang: str) -> list[dict]:
    """The figures table in one language, built once per data stamp (the data view and every CSV use it)."""
    ds = dataset(folder, stamp)
    return figures_table(ds, Words(ds, translator(folder, stamp, lang)))


@st.cache_data(show_spinner=False, max_entries=64)
def png_bytes(folder: str, stamp: str, chart_id: str, lang: str) -> bytes:
    """A chart's PNG as its download gives it (title, source line inside); made on the first click, then cached."""
    fig = compose(chart(folder, stamp, chart_id, lang))
    return export.exporter().render(
        fig, "png", scale=export.fit_scale(2, EXPORT_WIDTH, fig.layout.height), width=EXPORT_WIDTH
    )


@st.cache_resource(show_spinner=False, max_entries=32)
def card(folder: str, stamp: str, figure_id: str, lang: str, size: str) -> Chart:
    """A headline figure's quote card, built once: the page's preview and the PNG draw this same figure."""
    return quote_card(dataset(folder, stamp), figure_id, translator(folder, stamp, lang), size)


@st.cache_resource(show_spinner=False, max_entries=16)
def card_preview(folder: str, stamp: str, figure_id: str, lang: str) -> SentFigure:
    """The landscape card, drawn at preview size for the overview, as every visit's page sends it."""
    return SentFigure(preview_figure(card(folder, stamp, figure_id, lang, "landscape")))


@st.cache_data(show_spinner=False, max_entries=32)
def card_bytes(folder: str, stamp: str, figure_id: str, lang: str, size: str) -> bytes:
    """A headline figure's quote card; made on the first click, then cached."""
    return export.exporter().render(
        card(folder, stamp, figure_id, lang, size).figure, "png", scale=2, width=CARD_SIZES[size].width
    )


@st.cache_data(show_spinner=False, max_entries=64)
def claim_card_bytes(folder: str, stamp: str, claim_id: str, lang: str, size: str) -> bytes:
    """A checked claim's card; built and made on the first click, then cached."""
    fig = claim_card(dataset(folder, stamp), claim_id, translator(folder, stamp, lang), size).figure
    return export.exporter().render(fig, "png", scale=2, width=CARD_SIZES[size].width)


def html_bytes(c: Chart) -> bytes:
    """A chart as a self-contained interactive HTML page with its title and source line inside (works offline)."""
    return compose(c).to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False}).encode("utf-8")


@dataclass
class Ticket:
    """One session's record of how its exports from one button ended.

    A deferred download runs on a thread of its own, with no session, and the click does not rerun the page:
    a rerun at that moment would let another session's cleanup drop the very file the browser is asking for.
    So the export records its outcome here and, only when it failed, asks the clicking session to rerun;
    that run shows the message. No other session ever sees it."""

    completed: int = 0
    seen: int = 0
    error: str = ""  # "", or the kind of failure: "timeout", "missing" or "failed"
    showing: bool = False  # the page shows this button's failure now

    def __post_init__(self) -> None:
        self.lock = threading.Lock()

    def finish(self, error: str = "") -> None:
        with self.lock:
            self.completed += 1
            self.error = error

    def unseen_failure(self) -> str:
        """The kind of the last failure this session has not been told of yet, or ''."""
        with self.lock:
            fresh, self.seen = self.completed > self.seen, self.completed
            self.showing = bool(fresh and self.error)
            return self.error if self.showing else ""

    def clear_after_success(self) -> bool:
        """True once when an export succeeded while the page still shows an earlier failure."""
        with self.lock:
            was, self.showing = self.showing, False
            return was


def ticket(key: str) -> Ticket:
    """This session's ticket for one download button."""
    tickets = st.session_state.setdefault("kztrade_tickets", {})
    return tickets.setdefault(key, Ticket())


@dataclass(frozen=True)
class Caller:
    """Who drew a button: the session, and the address it was showing (a rerun must keep the view)."""

    session_id: str = ""
    query_string: str = ""
    page_script_hash: str = ""


def caller() -> Caller:
    """The session whose script is running, captured where a button is drawn."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return Caller()
    return Caller(ctx.session_id, ctx.query_string, ctx.page_script_hash)


REPLY_WAIT = 0.1  # seconds between looks at a session's outgoing queue
REPLY_TRIES = 50  # at most 5 s of looking, then rerun anyway


def reply_pending(session) -> bool:
    """Whether the session's outgoing queue still holds an answer to a download request.

    A rerun clears that queue when its script starts (Streamlit keeps only lifecycle messages), so an answer
    still waiting there would be dropped, and the button would spin until the browser gives up (180 s)."""
    queue = getattr(getattr(session, "_browser_queue", None), "_queue", [])
    return any(m.WhichOneof("type") == "backend_operation_response" for m in list(queue))


def rerun_session(who: Caller, delay: float = 0.0) -> None:
    """Ask one session to run its script again, at the address it showed, on the server's event loop, once
    the answer to its download request has gone out."""
    try:
        session = Runtime.instance().get_app_session(who.session_id) if who.session_id and Runtime.exists() else None
        if session is None:
            return
        state = ClientState(query_string=who.query_string, page_script_hash=who.page_script_hash)
        loop = session._event_loop

        def when_sent(tries: int = 0) -> None:
            if reply_pending(session) and tries < REPLY_TRIES:
                loop.call_later(REPLY_WAIT, when_sent, tries + 1)
            else:
                session.request_rerun(state)

        # The answer is queued just after this thread returns; give it that moment, then wait until it is sent.
        loop.call_soon_threadsafe(loop.call_later, max(delay, 3 * REPLY_WAIT), when_sent)
    except Exception:  # the message is lost, the export is not: the reader still saw the button's own error
        LOG.exception("could not rerun session %s to report an export failure", who.session_id)


def failure_kind(e: BaseException) -> str:
    """How an export failed, in the words the page has a message for."""
    if isinstance(e, export.ExportTimeout):
        return "timeout"
    if isinstance(e, export.BrowserMissing):
        return "missing"
    return "failed"


def guarded(t: Ticket, who: Caller, make) -> bytes:
    """Run a deferred export; if it fails, record how on the clicking session's ticket and let that session show it."""
    try:
        data = make()
    except BaseException as e:
        kind = failure_kind(e)
        t.finish(kind)
        rerun_session(who)
        raise
    t.finish("")
    if t.clear_after_success():  # a success after a shown failure: take the warning away once the file is delivered
        rerun_session(who, delay=2.0)
    return data
