"""The dashboard's views, and the allowlist that turns a query string into one of them. No Streamlit here.

Only `view`, `lang` and Streamlit's own `embed` parameters are read, and only known values are taken.
A refused value is never echoed: the notice says what kind of thing was wrong, not what it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .charts import CHARTS
from .i18n import LANGS, N_

VIEWS = {
    "overview": N_("Overview"),
    "turnover": N_("Trade turnover"),
    "containers": N_("Container transit"),
    "brics": N_("BRICS timeline"),
    "interview": N_("Interview"),
    "data": N_("Data and sources"),
}
# Streamlit's own parameters, passed through untouched.
PASSTHROUGH = {"embed", "embed_options"}
KNOWN_KEYS = {"view", "lang"} | PASSTHROUGH
MAX_VALUE_LENGTH = 64

NOTICE_VIEW_REPEATED = N_("The link named more than one view, so the overview is shown.")
NOTICE_VIEW_LONG = N_("The link's view name was too long to be one of ours, so the overview is shown.")
NOTICE_VIEW_UNKNOWN = N_("The link named a view that does not exist, so the overview is shown.")
NOTICE_LANG = N_("The link asked for a language this dashboard does not have, so it is shown in English.")
NOTICE_KEYS = N_("The link carried parameters this dashboard does not use; they were ignored.")
NOTICE_TAIL = N_("Pick a view above; the address bar then holds a link you can share.")


@dataclass(frozen=True)
class Route:
    """Where a link leads: a view, optionally one chart in it, a language if the link names one, and notices."""

    view: str
    chart: str | None = None
    lang: str | None = None
    notices: tuple[str, ...] = ()


def known_ids() -> list[str]:
    """Every value ?view= accepts: view ids, then chart ids."""
    return list(VIEWS) + list(CHARTS)


def one_value(values: Sequence[str], allowed: Sequence[str], repeated: str, long: str, unknown: str) -> tuple[str | None, str | None]:
    """(the value, None) when a parameter holds exactly one allowed value, else (None, the notice to show)."""
    if not values:
        return None, None
    if len(values) > 1:
        return None, repeated
    if len(values[0]) > MAX_VALUE_LENGTH:
        return None, long
    if values[0] not in allowed:
        return None, unknown
    return values[0], None


def route(params: Mapping[str, Sequence[str]]) -> Route:
    """The route for a query string given as key -> all its values. Never echoes a value it refuses."""
    notices = []
    view, notice = one_value(list(params.get("view", [])), known_ids(), NOTICE_VIEW_REPEATED, NOTICE_VIEW_LONG, NOTICE_VIEW_UNKNOWN)
    if notice:
        notices.append(notice)
    lang, notice = one_value(list(params.get("lang", [])), LANGS, NOTICE_LANG, NOTICE_LANG, NOTICE_LANG)
    if notice:
        notices.append(notice)
        lang = "en"
    if any(k not in KNOWN_KEYS for k in params):
        notices.append(NOTICE_KEYS)
    if notices and any(n != NOTICE_LANG for n in notices):
        notices.append(NOTICE_TAIL)
    view = view or "overview"
    if view in CHARTS:
        return Route(CHARTS[view].view, view, lang, tuple(notices))
    return Route(view, None, lang, tuple(notices))
