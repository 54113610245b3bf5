"""What the page keeps between runs: per-process caches keyed by the data folder's stamp, and per-session
export tickets. Only the ui package imports Streamlit."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from .. import DATA_DIR, REFERENCE_INTERVIEW, export
from ..cards import CARD_SIZES, quote_card
from ..charts import EXPORT_WIDTH, Chart, build_chart, compose
from ..figures import load_dataset
from ..i18n import Tr
from ..model import Dataset

# How long a run waits for the PNG its own click asked for, to tell that session what happened.
TICKET_WAIT_S = export.Exporter().timeout * 2 + 15


def data_dir() -> Path:
    """The data folder: KZTRADE_DATA_DIR if set (tests use it), else the project's data/."""
    return Path(os.environ.get("KZTRADE_DATA_DIR") or DATA_DIR)


def data_stamp(folder: str) -> tuple:
    """Name, size and modification time of every file in the data folder: a cheap key that changes with the data."""
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted((e.name, e.stat(follow_symlinks=False).st_size, e.stat(follow_symlinks=False).st_mtime_ns) for e in entries))
    except OSError:
        return ()


@st.cache_resource(show_spinner=False, max_entries=4)
def dataset(folder: str, stamp: tuple) -> Dataset:
    """The checked dataset for this stamp of the folder; InvalidData is raised, never cached."""
    return load_dataset(Path(folder), REFERENCE_INTERVIEW)


@st.cache_resource(show_spinner=False, max_entries=8)
def translator(folder: str, stamp: tuple, lang: str) -> Tr:
    """Our words and the data's text in one language."""
    return Tr(lang, dataset(folder, stamp).translations)


@st.cache_resource(show_spinner=False, max_entries=64)
def chart(folder: str, stamp: tuple, chart_id: str, lang: str) -> Chart:
    """One built chart, shared by all sessions (figures are never mutated after building)."""
    return build_chart(dataset(folder, stamp), chart_id, translator(folder, stamp, lang))


@st.cache_data(show_spinner=False, max_entries=64)
def png_bytes(folder: str, stamp: tuple, chart_id: str, lang: str) -> bytes:
    """A chart's PNG as its download gives it (title, source line inside); made on the first click, then cached."""
    return export.exporter().render(compose(chart(folder, stamp, chart_id, lang)), "png", scale=2, width=EXPORT_WIDTH)


@st.cache_data(show_spinner=False, max_entries=32)
def card_bytes(folder: str, stamp: tuple, figure_id: str, lang: str, size: str) -> bytes:
    """A headline figure's quote card; made on the first click, then cached."""
    card = quote_card(dataset(folder, stamp), figure_id, translator(folder, stamp, lang), size)
    return export.exporter().render(card.figure, "png", scale=2, width=CARD_SIZES[size].width)


def html_bytes(c: Chart) -> bytes:
    """A chart as a self-contained interactive HTML page with its title and source line inside (works offline)."""
    return compose(c).to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False}).encode("utf-8")


@dataclass
class Ticket:
    """One session's record of the exports its clicks asked for, and how the last one ended.

    A deferred download runs on a thread of its own, with no session; the click's rerun waits on this
    ticket, so the message about a failed export reaches the session that clicked, and no other."""

    requested: int = 0
    completed: int = 0
    seen: int = 0
    error: str = ""  # "", or the kind of failure: "timeout", "missing" or "failed"

    def __post_init__(self) -> None:
        self.cond = threading.Condition()

    def request(self) -> None:
        with self.cond:
            self.requested += 1

    def finish(self, error: str = "") -> None:
        with self.cond:
            self.completed += 1
            self.error = error
            self.cond.notify_all()

    def wait(self, timeout: float) -> bool:
        """Wait until every requested export has finished; False if one did not in time."""
        with self.cond:
            return self.cond.wait_for(lambda: self.completed >= self.requested, timeout)


def ticket(key: str) -> Ticket:
    """This session's ticket for one download button."""
    tickets = st.session_state.setdefault("kztrade_tickets", {})
    return tickets.setdefault(key, Ticket())


def guarded(t: Ticket, make) -> bytes:
    """Run a deferred export, recording on the clicking session's ticket how it ended."""
    try:
        data = make()
    except export.ExportTimeout:
        t.finish("timeout")
        raise
    except export.BrowserMissing:
        t.finish("missing")
        raise
    except Exception:  # an ExportError or a bug: the session hears of it, Streamlit's log has the trace
        t.finish("failed")
        raise
    t.finish("")
    return data
