"""The verdict scale for claims: one registry, read by `check`, the page, the cards, the ClaimReview export, the README
and the datapackage's copy (a test proves they agree). No Streamlit, no plotly."""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_


@dataclass(frozen=True)
class Verdict:
    """One step of the scale.

    rating is the ClaimReview ratingValue on a 1–5 scale (5 = supported), or None for a step that rates nothing:
    a claim we found no source for, one outside our subject, or an opinion. needs_evidence: `check` refuses the
    verdict on a claim that cites no evidence. forecast_only: `check` refuses it on a claim that is no prediction.
    badge is a Streamlit badge colour (the theme in .streamlit/config.toml turns "green" into teal, so none reads as
    "verified"); text_colour is the step's own colour on cards: no two judging steps share a badge, no two steps a
    text colour."""

    key: str
    name: str
    definition: str
    rating: int | None
    needs_evidence: bool
    badge: str
    text_colour: str  # on white, at least 4.5:1, for cards
    forecast_only: bool = False


BEST, WORST = 5, 1
VERDICTS: dict[str, Verdict] = {
    v.key: v
    for v in (
        Verdict(
            "supported",
            N_("Supported"),
            N_("Sources we read state the same thing, on the same basis and for the same period."),
            5,
            True,
            "blue",
            "#1F4E8C",
        ),
        Verdict(
            "partly_supported",
            N_("Partly supported"),
            N_("Sources support part of the claim, or support it on a different or unstated basis, period or scope."),
            4,
            True,
            "orange",
            "#8A4B00",
        ),
        Verdict(
            "mixed_so_far",
            N_("Mixed so far"),
            N_(
                "A forecast whose horizon has not passed, or whose like-for-like figures so far point both ways: what "
                "is known is stated, and the outcome is open."
            ),
            3,
            True,
            "yellow",
            "#7A6400",
            forecast_only=True,
        ),
        Verdict(
            "not_borne_out",
            N_("Not borne out by the figures"),
            N_("The like-for-like figures we have do not show it; they do not show the opposite either."),
            2,
            True,
            "violet",
            "#6A3D9A",
        ),
        Verdict(
            "contradicted",
            N_("Contradicted"),
            N_("A source we read states the opposite, on the same basis."),
            1,
            True,
            "red",
            "#A51C30",
        ),
        Verdict(
            "no_source_found",
            N_("No source found"),
            N_("No page we read states it or its opposite; the nearest statement we found is named."),
            None,
            False,
            "green",
            "#00695C",
        ),
        Verdict(
            "outside_subject",
            N_("Outside our subject"),
            N_("Not about Kazakhstan–Russia trade, transit or BRICS membership: not checked."),
            None,
            False,
            "gray",
            "#4A4F55",
        ),
        Verdict(
            "opinion",
            N_("Opinion, not checked"),
            N_("A view, a judgement or a reading of motives: there is nothing to check."),
            None,
            False,
            "gray",
            "#5B4B3A",
        ),
    )
}
CHECKED = tuple(
    k for k in VERDICTS if k not in ("outside_subject", "opinion")
)  # the claims a ClaimReview is written for
