"""schema.org ClaimReview for each checked claim, as fact-check aggregators read it. Built from the claims register and
the verdict scale; the page shows the same JSON-LD the export writes. No Streamlit, no plotly."""

from __future__ import annotations

import os
from urllib.parse import urlencode

from .i18n import Tr
from .model import Claim, Dataset
from .routes import public_base
from .safejson import script_safe_json
from .statements import Words
from .verdicts import BEST, CHECKED, VERDICTS, WORST

DEFAULT_PUBLISHER = "kztrade"


def publisher_setting() -> str:
    """The one setting that names who publishes the reviews: KZTRADE_PUBLISHER (default 'kztrade')."""
    return " ".join(os.environ.get("KZTRADE_PUBLISHER", "").split())[:120] or DEFAULT_PUBLISHER


def checked_claims(ds: Dataset) -> list[Claim]:
    """The claims a review is written for: every verdict but 'outside our subject' and 'opinion'."""
    return [c for c in ds.claims if c.verdict in CHECKED]


def claim_url(base: str, c: Claim, lang: str = "en") -> str:
    """The claim's entry on the hosted app: the claims view, opened on this claim."""
    query = (
        {"view": "claims", "claim": c.claim_id}
        if lang == "en"
        else {"view": "claims", "lang": lang, "claim": c.claim_id}
    )
    return f"{base}?{urlencode(query)}"


def review(ds: Dataset, c: Claim, base: str, publisher: str, tr: Tr | None = None) -> dict:
    """One ClaimReview as a JSON-LD object (schema.org context)."""
    tr = tr or Tr()
    w = Words(ds, tr)
    iv = ds.interview
    turn = ds.turn(c.turn_id)
    v = VERDICTS[c.verdict]
    rating = {"@type": "Rating", "alternateName": w.verdict(c.verdict), "description": w.verdict_definition(c.verdict)}
    if v.rating is not None:
        rating.update(ratingValue=v.rating, bestRating=BEST, worstRating=WORST)
    author = (
        {"@type": "Person", "name": w.interviewee(), "jobTitle": w.interview_field("interviewee_affiliation")}
        if turn.role == "interviewee"
        else {"@type": "Organization", "name": iv.outlet}
    )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim_url(base, c, tr.lang),
        "claimReviewed": c.span,
        "reviewBody": w.claim_field(c, "verdict_note"),
        "datePublished": first_verdict_on(ds, c),
        "dateModified": c.checked_on.isoformat(),
        "author": {"@type": "Organization", "name": publisher, "url": base},
        "reviewRating": rating,
        "itemReviewed": {
            "@type": "Claim",
            "author": author,
            "datePublished": iv.published,
            "description": tr._("The interview's date is approximate. {reason}").format(
                reason=w.interview_field("date_reason")
            ),
            "appearance": {
                "@type": "NewsArticle",
                "url": iv.url,
                "headline": iv.title,
                "publisher": {"@type": "Organization", "name": iv.outlet},
            },
        },
        "inLanguage": tr.lang,
    }


def first_verdict_on(ds: Dataset, c: Claim) -> str:
    """When the claim's first verdict was published: its history's first date, or the day it was checked."""
    history = ds.history.get(c.claim_id, ())
    return (history[0].changed_on if history else c.checked_on).isoformat()


def reviews(ds: Dataset, base: str, publisher: str, tr: Tr | None = None) -> dict[str, dict]:
    """Every checked claim's review, by claim id."""
    return {c.claim_id: review(ds, c, base, publisher, tr) for c in checked_claims(ds)}


def https_base(url: str) -> str:
    """The base address a review's url is built from: a plain https address (host, optional port, path), or ''."""
    return public_base(url, "", "") if url.startswith("https://") else ""


def dumps(obj: dict | list) -> str:
    """JSON-LD as written to a file and shown on the page: UTF-8, indented, keys in the order built, safe to paste
    inside a script element."""
    return script_safe_json(obj) + "\n"
