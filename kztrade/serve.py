"""The server's start. `streamlit run app.py` finds app.py's `st.App` and serves it; the App's lifespan starts one
thread that imports the page's modules, checks the data and builds the overview's figures in every language, while the
server starts answering. A fresh server's first visitor then finds them ready, as every later one does: before, that
visitor's page waited for them (0.1-0.25 s of its first chart). Only the standard library is imported here, so the
server's own start is not delayed."""

from __future__ import annotations

import contextlib
import logging
import threading
import time

LOG = logging.getLogger("kztrade")


def warm() -> list[tuple[str, str]]:
    """Fill the caches every visit shares (ui.state): the dataset, each language's translator, and each figure the
    overview draws. Returns the (chart, language) pairs built. Data that fails its check is left for the first visit
    to show; nothing here raises, and a bug is logged, not fatal: a visit builds whatever is missing."""
    t0 = time.perf_counter()
    built: list[tuple[str, str]] = []
    try:
        from .i18n import LANGS
        from .load import InvalidData
        from .ui import pages, state  # the page's package: Streamlit's elements, plotly, Babel, our modules

        folder = str(state.data_dir())
        stamp = state.data_stamp(folder)
        try:
            state.dataset(folder, stamp)
        except InvalidData:
            LOG.warning("The data in %s fails its check; the page says what is wrong.", folder)
            return built
        for lang in LANGS:
            state.translator(folder, stamp, lang)
            for chart_id in pages.overview_charts():
                state.sent_chart(folder, stamp, chart_id, lang)
                built.append((chart_id, lang))
    except Exception:
        LOG.exception("Warming the caches at the server's start failed; each visit builds what it needs")
        return built
    LOG.info(
        "Ready for the first visitor in %.2f s: data checked, %d figures built", time.perf_counter() - t0, len(built)
    )
    return built


@contextlib.asynccontextmanager
async def lifespan(app):
    """st.App's lifespan: starts warm() and lets the server answer at once (a visit that needs a cache being filled
    waits for it; Streamlit computes each cached value once)."""
    from .addresses import refused_settings  # the standard library only, like this module

    for line in refused_settings():  # once, at start: a refused setting is never silent
        LOG.warning("%s", line)
    threading.Thread(target=warm, name="kztrade-warm", daemon=True).start()
    yield None
