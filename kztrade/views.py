"""The dashboard's views and the allowlist that turns a query string into one of them. No Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .charts import CHARTS

VIEWS = {
    "overview": "Overview",
    "turnover": "Trade turnover",
    "containers": "Container transit",
    "brics": "BRICS timeline",
    "interview": "Interview",
    "data": "Data and sources",
}
# Streamlit's own parameters, passed through untouched.
PASSTHROUGH = {"embed", "embed_options"}
MAX_VALUE_LENGTH = 64


@dataclass(frozen=True)
class Route:
    """Where a link leads: a view, optionally one chart in it, and a notice about anything refused."""

    view: str
    chart: str | None = None
    notice: str | None = None


def known_ids() -> list[str]:
    """Every value ?view= accepts: view ids, then chart ids."""
    return list(VIEWS) + list(CHARTS)


def route(params: Mapping[str, Sequence[str]]) -> Route:
    """The route for a query string given as key -> all its values. Never echoes a value it refuses."""
    fallback = "overview"
    unknown_keys = [k for k in params if k != "view" and k not in PASSTHROUGH]
    values = list(params.get("view", []))
    notice = None
    if not values:
        choice = fallback
    elif len(values) > 1:
        choice, notice = fallback, "The link named more than one view, so the overview is shown."
    elif len(values[0]) > MAX_VALUE_LENGTH:
        choice, notice = fallback, "The link's view name was too long to be one of ours, so the overview is shown."
    elif values[0] not in known_ids():
        choice, notice = fallback, "The link named a view that does not exist, so the overview is shown."
    else:
        choice = values[0]
    if unknown_keys and notice is None:
        notice = "The link carried parameters this dashboard does not use; they were ignored."
    if notice:
        notice += " Pick a view above; the address bar then holds a link you can share."
    if choice in CHARTS:
        return Route(CHARTS[choice].view, choice, notice)
    return Route(choice, None, notice)
