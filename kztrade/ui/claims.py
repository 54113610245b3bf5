"""The claims register on the page: every claim in the excerpt with its verdict, who made it and the evidence a reader
can read; the marks the interview reader puts under each turn. Wording comes from kztrade.statements."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from ..cards import claim_card_id
from ..charts import chart_showing
from ..claimreview import dumps, https_base, publisher_setting, review
from ..i18n import N_
from ..model import Claim
from ..table import CLAIM_COLUMNS, claims_table, safe_csv
from ..verdicts import CHECKED, VERDICTS
from . import state
from .blocks import (
    Page,
    folded,
    heading,
    lang_suffix,
    md,
    nav_link,
    png_outcome,
    shape_buttons,
    source_link,
    source_quote,
)
from .blocks import verdict_badge as blocks_verdict_badge

CARD_SHAPES = {"landscape": N_("Card, landscape 16:9"), "portrait": N_("Card, portrait 4:5")}
KINDS = {
    "figure": N_("a figure"),
    "prediction": N_("a forecast"),
    "description": N_("a statement of fact"),
    "opinion": N_("an opinion"),
}


def anchor(c: Claim) -> str:
    """The claim's name on the page: its entry's key (st-key-entry-claim-…), for the stylesheet and tests. A link to a
    claim is its address (claim_link: ?view=claims&claim=…), which opens it whole, as the ClaimReview url does."""
    return "claim-" + c.claim_id.replace("_", "-")


def verdict_badge(p: Page, key: str) -> str:
    """A verdict as a coloured badge (our words only)."""
    return blocks_verdict_badge(p.w, key)


def claim_link(p: Page, c: Claim) -> str:
    """The address of one claim's entry, in the reader's language: the claims view opens on it."""
    return "?" + urlencode({"view": "claims", "lang": p.tr.lang, "claim": c.claim_id})


def ordered(p: Page, claims: list[Claim]) -> list[Claim]:
    """Claims in reading order: by turn, then where their words stand in it."""
    seq = {t.turn_id: t.seq for t in p.ds.turns}
    return sorted(claims, key=lambda c: (seq[c.turn_id], p.ds.turn(c.turn_id).text.find(c.span)))


def phrase_markdown(text: str, phrase: str) -> str:
    """A source's sentence, verbatim, with the words that bear on the claim in bold."""
    at = text.find(phrase) if phrase else -1
    if at < 0:
        return md(text, verbatim=True)
    return (
        md(text[:at], verbatim=True) + f"**{md(phrase, verbatim=True)}**" + md(text[at + len(phrase) :], verbatim=True)
    )


def scale(p: Page) -> None:
    """The verdict scale: every step, its badge and what it means; sent once opened (see blocks.folded), as the
    evidence is. Sent closed, it was 36 of the page's elements, and put the Russian claims view over 3x the bare app's
    page."""
    _ = p.tr._
    with folded(
        _("The verdict scale: {n} steps").format(n=p.tr.num(len(VERDICTS))), "verdict-scale", ":material/rule:"
    ) as box:
        if not box.open:
            return
        st.markdown("\n".join(f"- {verdict_badge(p, key)}: {md(p.w.verdict_definition(key))}" for key in VERDICTS))
        st.caption(
            md(
                _(
                    "A verdict is never stronger than its weakest piece of evidence. Claims outside our subject and "
                    "opinions "
                    "are listed, not checked."
                )
            )
        )


def evidence_item(p: Page, ref: str) -> None:
    """One piece of evidence: a figure with its source's sentence, a derived range, an event, or a sentence in words."""
    ds, w, _ = p.ds, p.w, p.tr._
    if ref in ds.evidence:
        e = ds.evidence[ref]
        st.markdown(
            f"**{md(w.stance(e.stance))}** · {md(w.evidence_field(e, 'stated_by'))} · "
            f"{source_link(p, e.source_id, e.stated_on)}"
        )
        st.markdown("> " + phrase_markdown(e.quote, e.key_phrase))
        if e.quote_lang not in ("en", p.tr.lang):
            st.caption(md(_("Our translation: {text}").format(text=w.evidence_field(e, "quote_en"))))
        read = _("Read in a stored copy of the page on {date}.").format(
            date=p.tr.date(ds.sources[e.source_id].accessed.isoformat())
        )
        st.caption(md(w.evidence_field(e, "note") + " " + read))
    elif ref in ds.figures:
        f = ds.figures[ref]
        if f.kind == "headline":
            st.markdown(f"**{md(w.value(f))}** · {md(w.period(f))} · {md(w.not_spanov())}")
        else:
            source_quote(p, f)
        target = chart_showing(f)
        st.markdown(
            nav_link(_("See the chart"), p.href(target))
            if target
            else nav_link(_("See it in the data view"), p.href("data"))
        )
    elif ref in ds.derived:
        d = ds.derived[ref]
        st.markdown(f"**{md(w.derived_value(d))}** · {md(w.derived_field(d, 'label'))}")
        st.caption(md(w.derived_method(d) + " " + w.derived_field(d, "note")))
    else:
        e = next(x for x in ds.events if x.event_id == ref)
        where = source_link(p, e.source_id) if e.source_id else md(w.cite_event(e))
        st.markdown(f"**{md(w.event(e, 'short_label'))}** · {where}")
        if e.quote:
            st.markdown("> " + md(e.quote, verbatim=True))
        st.markdown(nav_link(_("See the chart"), p.href("brics_timeline")))


def review_base(base_url: str) -> str:
    """The address a review on the page is built from: the page's own when it is plain https, as the CLI demands;
    else a placeholder to replace, never an http:// origin."""
    return https_base(base_url) or "https://kztrade.example.org/"


def entry(p: Page, c: Claim) -> None:
    """One checked claim: its words as a heading, who made it, the verdict and why, the evidence, and its
    ClaimReview."""
    _, w = p.tr._, p.w
    with st.container(border=True, key=f"entry-{anchor(c)}"):
        heading(3, *claim_words(p, c))
        whose = _("{who}, {kind}").format(who=w.claimant(c), kind=_(KINDS[c.kind]))
        # checked again with the verdict kept: said after the reason, in the same line (an expander for each, or a line
        # of its own, put the Russian claims view over 3x the bare app's page)
        again = " " + md(w.rechecked(c)) if w.rechecked(c) else ""
        verdict = f"{verdict_badge(p, c.verdict)} {md(whose)}  \n{md(w.claim_field(c, 'verdict_note'))}{again}"
        # In another language the heading is our translation, and the verbatim original is named under it, in small
        # type in the verdict's block: a caption of its own was five elements more for each of 14 claims, which put
        # the Russian claims view over 3x the bare app's page.
        translated = original_line(p, c)
        # a prediction's horizon and what is known so far, in the same block: an element of its own put the Russian
        # claims view over 3x the bare app's page
        forecast = "".join(f"  \n:small[{md(line)}]" for line in w.forecast_lines(c))
        # the original, in another language, opens the block at reading size, no element of its own (a small-print
        # span for each claim put the Russian claims view over 3x the bare app's page)
        st.markdown((f"{md(translated)}  \n{verdict}" if translated else verdict) + forecast)
        history = w.history_lines(c)
        if w.verdict_changed(c):  # a verdict that changed: every verdict it had, dated, with why
            with folded(
                _("Verdict history ({n})").format(n=p.tr.num(len(history))),
                f"history-{c.claim_id}",
                ":material/history:",
                expanded=p.claim == c.claim_id,
            ) as box:
                if box.open or p.claim == c.claim_id:
                    st.markdown("\n".join(f"- {md(line)}" for line in history))
        if c.evidence_ids:
            with folded(
                _("The evidence ({n})").format(n=p.tr.num(len(c.evidence_ids))),
                f"evidence-{c.claim_id}",
                ":material/format_quote:",
                expanded=p.claim == c.claim_id,  # a link to one claim opens on its evidence
            ) as box:
                if box.open or p.claim == c.claim_id:
                    for i, ref in enumerate(c.evidence_ids):
                        if i:
                            st.divider()
                        evidence_item(p, ref)
        # the card downloads and the review's JSON-LD in one place, so each entry stays short
        with st.popover(_("Share: card or ClaimReview"), icon=":material/share:"):
            keys = shape_buttons(
                p,
                f"claim-card-{c.claim_id}",
                lambda size: claim_card_id(c.claim_id, size),
                lambda size: state.claim_card_bytes(p.folder, p.stamp, c.claim_id, p.tr.lang, size),
                CARD_SHAPES,
            )
            st.markdown(nav_link(_("Link to this claim"), claim_link(p, c)))
            st.caption(md(_("ClaimReview for fact-check sites (JSON-LD):")))
            st.code(
                dumps(review(p.ds, c, review_base(p.base_url), publisher_setting(), p.tr)),
                language="json",
                wrap_lines=True,
            )
        for key in keys:
            png_outcome(p, key)


def verdict_link(p: Page, key: str) -> str:
    """The address of the claims view showing only the claims with one verdict, in the reader's language."""
    return "?" + urlencode({"view": "claims", "lang": p.tr.lang, "verdict": key})


def summary(p: Page, linked: bool = False) -> str:
    """How many claims, and how many on each step, as a legend of badges: '33 claims in the excerpt: [Supported 3] …';
    each badge links to the claims with that verdict; linked, the count leads to the claims view."""
    counts = {k: sum(c.verdict == k for c in p.ds.claims) for k in VERDICTS}
    badges = " ".join(
        f"[:{VERDICTS[k].badge}-badge[{md(p.w.verdict(k))} {md(p.tr.num(n))}]]({verdict_link(p, k)})"
        for k, n in counts.items()
        if n
    )
    lead = p.tr.n_("{n} claim in the excerpt", "{n} claims in the excerpt", len(p.ds.claims)).format(
        n=p.tr.num(len(p.ds.claims))
    )
    return (nav_link(lead, p.href("claims")) if linked else md(lead)) + md(":") + " " + badges


def view(p: Page) -> None:
    """Every claim in the excerpt: the checked ones with their evidence, then those outside our subject and the
    opinions."""
    _ = p.tr._
    from ..routes import NOTICE_CLAIM_UNKNOWN, VIEWS

    heading(2, _(VIEWS["claims"]))
    one = next((c for c in p.ds.claims if c.claim_id == p.claim), None)
    if p.claim and one is None:
        st.info(_(NOTICE_CLAIM_UNKNOWN), icon=":material/info:")  # the id is never echoed
    if one is not None:  # a link to one claim: that claim, whole, and the way to all of them
        st.markdown(md(_("Showing one claim.")) + " " + nav_link(_("See every claim"), p.href("claims")))
        if one.verdict in CHECKED:
            entry(p, one)
        else:
            unchecked_entry(p, one)
        return
    about = _(
        "Each claim in its own words, whose words they are, our verdict and the evidence, each piece with its source's "
        "sentence. The three headline figures are {outlet}'s, in a question."
    ).format(outlet=p.ds.interview.outlet)
    lines = [summary(p)]
    if p.verdict:  # a legend's link: only the claims with one verdict, and the way back to all of them
        chosen = [c for c in p.ds.claims if c.verdict == p.verdict]
        said = _("Showing the claims judged “{verdict}” ({n}).").format(
            verdict=p.w.verdict(p.verdict), n=p.tr.num(len(chosen))
        )
        lines.append(md(said) + " " + nav_link(_("See every claim"), p.href("claims")))
    # the legend, the filter and what the view holds: one block (a caption of its own, with the legend's links, put
    # the Russian claims view over 3x the bare app's page)
    st.markdown("\n\n".join([*lines, f":small[{md(about)}]"]))
    scale(p)
    shown = [c for c in p.ds.claims if not p.verdict or c.verdict == p.verdict]
    checked = ordered(p, [c for c in shown if c.verdict in CHECKED])
    with st.container(key="claims-list"):
        for c in checked:
            entry(p, c)
    st.download_button(
        _("Download all claims (CSV)"),
        data=lambda: safe_csv(claims_table(p.ds, p.w), CLAIM_COLUMNS),
        file_name=f"kztrade-claims{lang_suffix(p.tr)}.csv",
        mime="text/csv",
        on_click="ignore",
        key="csv-claims",
        icon=":material/table:",
    )
    rest = ordered(p, [c for c in shown if c.verdict not in CHECKED])
    if rest:  # folded: 19 headings and lines were a quarter of the view's page, and they carry no evidence
        with folded(
            _("Not checked: outside our subject, or opinion ({n})").format(n=p.tr.num(len(rest))),
            "unchecked",
            ":material/do_not_disturb_on:",
        ) as box:
            if box.open:
                with st.container(key="claims-unchecked"):
                    for c in rest:
                        unchecked_entry(p, c)


def unchecked_entry(p: Page, c: Claim) -> None:
    """A claim outside our subject, or an opinion: its words, whose they are and why it is not checked."""
    heading(3, *claim_words(p, c))
    line = f"{verdict_badge(p, c.verdict)} {md(p.w.claimant(c))}: {md(p.w.claim_field(c, 'verdict_note'))}"
    if p.tr.lang != "en":
        line += "  \n" + md(original_line(p, c))
    st.markdown(line)


def claim_words(p: Page, c: Claim) -> tuple[str, bool]:
    """A claim's heading and whether it is verbatim: the words as said for an English reader; for any other, our
    translation first (its original is named under it, original_line)."""
    if p.tr.lang == "en":
        return p.w.quoted(c.span), True
    return p.w.quoted(p.w.claim_field(c, "span")), False


def original_line(p: Page, c: Claim) -> str:
    """Under a translated claim: that the heading is ours, and the words as said ('' in English)."""
    if p.tr.lang == "en":
        return ""
    return p.tr._("Our translation. The original, in English: {text}").format(text=p.w.quoted(c.span))


def overview_lead(p: Page) -> None:
    """The overview's opening line: how many claims, on which verdicts, the count linked to each claim and its
    evidence."""
    st.markdown(summary(p, linked=True))


def marks(p: Page, turn_id: str) -> None:
    """Under a turn in the reader: each claim it makes, with its verdict, linked to its entry."""
    claims = p.ds.claims_in(turn_id)
    if not claims:
        return
    lines = [
        f"{verdict_badge(p, c.verdict)} [{md(p.w.quoted(c.span), verbatim=True)}]({claim_link(p, c)})" for c in claims
    ]
    st.markdown("  \n".join(lines))
