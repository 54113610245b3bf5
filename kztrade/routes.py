"""The dashboard's views, and the allowlist that turns a query string into one of them. No Streamlit here.

Only `view`, `lang`, `claim` and `verdict` (on the claims view) and Streamlit's own `embed` parameters are read,
and only known values are taken.
A refused value is never echoed: the notice says what kind of thing was wrong, not what it was.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from typing import Mapping, Sequence
from urllib.parse import urlencode, urlsplit

from .addresses import base_url_problem
from .charts import CHARTS
from .i18n import LANG_NAMES, LANGS, N_
from .verdicts import VERDICTS

VIEWS = {
    "overview": N_("Overview"),
    "claims": N_("Claims"),
    "turnover": N_("Trade turnover"),
    "containers": N_("Container transit"),
    "brics": N_("BRICS timeline"),
    "interview": N_("Interview"),
    "data": N_("Data and sources"),
}
# Streamlit's own parameters, passed through untouched.
PASSTHROUGH = {"embed", "embed_options"}
KNOWN_KEYS = {"view", "lang", "claim", "verdict"} | PASSTHROUGH
CLAIM_ID = re.compile(
    r"[a-z0-9_]{1,64}"
)  # the shape of a claim id (claims.csv's pattern); which exist, the claims view knows
MAX_VALUE_LENGTH = 64

NOTICE_VIEW_REPEATED = N_("The link named more than one view, so the overview is shown.")
NOTICE_VIEW_LONG = N_("The link's view name was too long to be one of ours, so the overview is shown.")
NOTICE_VIEW_UNKNOWN = N_("The link named a view that does not exist, so the overview is shown.")
NOTICE_LANG = N_("The link asked for a language this dashboard does not have, so it is shown in English.")
NOTICE_KEYS = N_("The link carried parameters this dashboard does not use; they were ignored.")
NOTICE_CLAIM = N_("The link named a claim in a form we do not use, so every claim is shown.")
NOTICE_CLAIM_UNKNOWN = N_("The link named a claim we do not have, so every claim is shown.")
NOTICE_VERDICT = N_("The link named a verdict that is not on our scale, so every claim is shown.")
NOTICE_TAIL = N_("Pick a view above; the address bar then holds a link you can share.")


@dataclass(frozen=True)
class Route:
    """Where a link leads: a view, optionally one chart in it, a language if the link names one, and notices."""

    view: str
    chart: str | None = None
    lang: str | None = None
    notices: tuple[str, ...] = ()
    claim: str | None = None  # one claim of the claims view: a well-formed id, not yet known to exist
    verdict: str | None = None  # the claims view shows only the claims with this verdict (a step of the scale)


def known_ids() -> list[str]:
    """Every value ?view= accepts: view ids, then chart ids."""
    return list(VIEWS) + list(CHARTS)


def reader_pages() -> list[str]:
    """The pages a reader moves between: every view, and each chart its view links to instead of drawing."""
    return list(VIEWS) + [c for c, spec in CHARTS.items() if not spec.on_view]


def one_value(
    values: Sequence[str], allowed: Sequence[str], repeated: str, long: str, unknown: str
) -> tuple[str | None, str | None]:
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
    view, notice = one_value(
        list(params.get("view", [])), known_ids(), NOTICE_VIEW_REPEATED, NOTICE_VIEW_LONG, NOTICE_VIEW_UNKNOWN
    )
    if notice:
        notices.append(notice)
    lang, notice = one_value(list(params.get("lang", [])), LANGS, NOTICE_LANG, NOTICE_LANG, NOTICE_LANG)
    if notice:
        notices.append(notice)
        lang = "en"
    claims = list(params.get("claim", []))
    claim = claims[0] if len(claims) == 1 and view == "claims" and CLAIM_ID.fullmatch(claims[0]) else None
    if claims and claim is None:
        notices.append(NOTICE_CLAIM)
    verdicts = list(params.get("verdict", []))
    verdict = verdicts[0] if len(verdicts) == 1 and view == "claims" and verdicts[0] in VERDICTS else None
    if verdicts and verdict is None:
        notices.append(NOTICE_VERDICT)
    if any(k not in KNOWN_KEYS for k in params):
        notices.append(NOTICE_KEYS)
    if notices and any(n != NOTICE_LANG for n in notices):
        notices.append(NOTICE_TAIL)
    view = view or "overview"
    if view in CHARTS:
        return Route(CHARTS[view].view, view, lang, tuple(notices))
    return Route(view, None, lang, tuple(notices), claim, None if claim else verdict)


# What an address of ours may be made of: a host name or IPv4 address, an optional port, and our own path.
HOST = re.compile(r"(?i)[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*")
PATH_SEGMENT = re.compile(r"[A-Za-z0-9_.~-]+")


def own_path(base_path: str) -> str:
    """The app's own path ('/' or '/<server.baseUrlPath>/'), from the server's setting, never from a request."""
    segments = [p for p in (base_path or "").split("/") if p]
    if not all(PATH_SEGMENT.fullmatch(p) and p not in (".", "..") for p in segments):
        return "/"
    return "/" + "".join(p + "/" for p in segments)


def safe_origin(url: str, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """'scheme://host[:port]' of an address whose parts are all plain, else ''. Nothing else of it is kept."""
    try:
        parts = urlsplit(url or "")
        host, port = parts.hostname or "", parts.port
    except ValueError:  # a port that is no number, a bracket left open
        return ""
    if parts.scheme not in schemes or not HOST.fullmatch(host) or parts.username or parts.password:
        return ""
    return f"{parts.scheme}://{host.lower()}" + (f":{port}" if port else "")


def public_base(setting: str, request_url: str, base_path: str) -> str:
    """The address links, embeds and citations are built from: the configured public address when it is a plain
    https one, else the origin the browser used plus the app's own configured path; '' when neither is usable.

    The request's path is never used: Streamlit serves the app at any path, so a path is text a stranger wrote."""
    configured = safe_origin(setting, ("https",)) if setting and not base_url_problem(setting) else ""
    if configured:
        return configured + own_path(urlsplit(setting).path)
    origin = safe_origin(request_url)
    return origin + own_path(base_path) if origin else ""


def language_nav(view: str, current: str, label: str) -> str:
    """The language switch as markup: one link per language to the same view, the current one marked.

    A link, which the browser loads afresh, and not a widget: on a rerun the buttons drawn for the old language
    stayed clickable until the page was drawn again, and a click then gave the old language's file. Built only
    from allowlisted values (a known view, our languages and their names) and our own label, each escaped."""
    if view not in known_ids() or current not in LANGS:
        raise ValueError("language_nav takes a known view and language")
    links = [((view, lang), f' hreflang="{lang}" lang="{lang}"', lang == current, LANG_NAMES[lang]) for lang in LANGS]
    return nav_markup("kz-lang", label, links, "true")


def view_nav(current: str, lang: str, names: Mapping[str, str], label: str) -> str:
    """The views as markup: one link per view, in the reader's language, the one shown marked (aria-current).

    Links, not a widget: each is an address a reader can open in a new tab or copy, the browser's back button works
    as on any site, and the page carries a dozen elements where a segmented control drew 48 (and loaded a script of
    its own). Built only from our view ids, a known language, and our own (translated) names and label, each
    escaped."""
    if current not in VIEWS or lang not in LANGS or set(names) != set(VIEWS):
        raise ValueError("view_nav takes a known view and language, and a name for every view")
    return nav_markup("kz-views", label, [((view, lang), "", view == current, names[view]) for view in VIEWS], "page")


def nav_markup(cls: str, label: str, links: list[tuple[tuple[str, str], str, bool, str]], current: str) -> str:
    """A <nav> of links, each (its (view, lang), its own attributes, whether it is the current one, its name): the
    address built and every text escaped here; the current link marked aria-current="<current>"."""
    out = []
    for (view, lang), attrs, is_current, name in links:
        href = html.escape("?" + urlencode({"view": view, "lang": lang}))
        mark = f' aria-current="{current}" class="kz-current"' if is_current else ""
        out.append(f'<a href="{href}"{attrs}{mark}>{html.escape(name)}</a>')
    return f'<nav class="{cls}" aria-label="{html.escape(label)}">{"".join(out)}</nav>'


def public_setting() -> str:
    """The one setting that names where the dashboard is hosted: KZTRADE_PUBLIC_URL, an https address."""
    return os.environ.get("KZTRADE_PUBLIC_URL", "")


def image_address(view: str, lang: str = "en", setting: str | None = None) -> str:
    """The address an exported image carries back to its view ('kztrade.example.org/?view=turnover_ytd'), from
    the public address setting only: an image is cached for every reader, so no request's address goes into it.
    '' when the setting is unset or not a plain https address."""
    base = public_base(public_setting() if setting is None else setting, "", "")
    if not base or view not in known_ids():
        return ""
    query = {"view": view} if lang == "en" or lang not in LANGS else {"view": view, "lang": lang}
    return base.split("://", 1)[1] + "?" + urlencode(query)
