"""One validator for every address in the data and in the settings: `check` (url cells), `export --base-url`,
KZTRADE_PUBLIC_URL and the static edition's base. It refuses, never rewrites. No Streamlit, no plotly."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

HOST = re.compile(r"(?i)[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*")
UNSAFE = re.compile(r"[\s\"'<>\\`{}|^]")  # what breaks out of an attribute, a link or a JSON string


def url_problem(url: str) -> str:
    """What is wrong with an address for a link we publish, in a few words; '' when it is a plain https address (a
    host, an optional port in range, a path and query of plain characters, no user name or password)."""
    if not url.startswith("https://"):
        return "is not an https:// address"
    if m := UNSAFE.search(url):
        return f"holds {m.group(0)!r}, which an address may not"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "has a port that is not a number from 1 to 65535"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "names a user before its host (user@host), which can pass one site off as another"
    if not HOST.fullmatch(parts.hostname or ""):
        return "has no plain host name"
    if port == 0:
        return "has port 0"
    return ""


def base_url_problem(url: str) -> str:
    """url_problem, and what a base address may not have besides: a query, a fragment or a '..' in its path."""
    problem = url_problem(url)
    if problem:
        return problem
    parts = urlsplit(url)
    if parts.query or url.endswith("?"):
        return "has a query (?…); give the address of the dashboard alone"
    if parts.fragment or "#" in url:
        return "has a fragment (#…); give the address of the dashboard alone"
    if any(segment in (".", "..") for segment in parts.path.split("/")):
        return "has '.' or '..' in its path"
    return ""


def refused_settings() -> list[str]:
    """One line for each address setting that is set but refused, naming it and why (the server logs them once, at
    start)."""
    setting = os.environ.get("KZTRADE_PUBLIC_URL", "")
    problem = base_url_problem(setting) if setting else ""
    if not problem:
        return []
    return [f"KZTRADE_PUBLIC_URL {problem}: it is ignored, and links use the address the browser used"]


def is_loopback(url: str) -> bool:
    """Whether an address points at the reader's own machine (a local server), so it means nothing to anyone else."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.") or host.endswith(".localhost")
