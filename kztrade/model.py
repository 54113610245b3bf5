"""Typed records for the data package. Plain dataclasses: no Streamlit, no plotly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Interview:
    interview_id: str
    title: str
    outlet: str
    interviewer: str
    interviewee: str
    interviewee_affiliation: str
    url: str
    published: str
    published_label: str
    date_reason: str
    completeness: str
    completeness_note: str
    interviewee_genitive: str = ""  # the name as a language that declines it needs it after "not" ("Магбата Спанова")


@dataclass(frozen=True)
class Turn:
    turn_id: str
    seq: int
    kind: str
    speaker: str
    role: str
    line_start: int
    line_end: int
    text: str

    @property
    def number(self) -> str:
        """The turn's number within its kind ('3' for q3), or '' for the title and lead."""
        return self.turn_id[1:] if self.kind in ("question", "answer") else ""

    @property
    def words(self) -> str:
        """The turn's words without the '- ' that opens a question or answer in our copy (the copy itself is
        unchanged)."""
        return self.text[2:] if self.text.startswith("- ") else self.text


@dataclass(frozen=True)
class Source:
    source_id: str
    outlet: str
    url: str
    url_alt: str
    published: str
    language: str
    accessed: date
    about: str


@dataclass(frozen=True)
class Figure:
    figure_id: str
    kind: str
    topic: str
    measure: str
    label: str
    value: float
    unit: str
    bound: str
    period_label: str
    period_start: date | None
    period_end: date | None
    comparison_base: str
    side: str
    stated_as: str
    data_basis: str
    stated_by: str
    stated_on: str
    turn_id: str
    span: str
    source_id: str
    quote: str
    quote_lang: str
    quote_en: str
    converted_value: float | None
    converted_unit: str
    converted_by: str
    status: str
    status_note: str
    matches: str
    description: str
    # Digits after the decimal point as printed in figures.csv: 17 -> 0, 18.9 -> 1. Derived ranges use them.
    decimals: int = 0
    converted_decimals: int = 0

    @property
    def has_period(self) -> bool:
        """True when the source states a period (such figures can be plotted)."""
        return self.period_start is not None and self.period_end is not None

    @property
    def is_full_year(self) -> bool:
        """True when the period is one whole calendar year."""
        s, e = self.period_start, self.period_end
        return (
            s is not None and e is not None and (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year
        )

    @property
    def series(self) -> str:
        """Which series a figure belongs to: who stated it, in what capacity (the series registry decides)."""
        from .statements import series_key  # the registry imports this module

        return series_key(self)


@dataclass(frozen=True)
class Event:
    event_id: str
    date: str
    date_end: str
    short_label: str
    actor: str
    description: str
    source_id: str
    quote: str
    quote_lang: str
    quote_en: str
    turn_id: str
    span: str
    status: str
    status_note: str
    nearest_event_id: str


@dataclass(frozen=True)
class Derived:
    """A number kztrade computes, with the range its inputs' printed precision allows."""

    derived_id: str
    label: str
    method: str
    value: float
    low: float
    high: float
    unit: str
    figure_id: str
    base_id: str
    note: str

    @property
    def inputs(self) -> tuple[str, ...]:
        """The figure ids this number was computed from."""
        return tuple(i for i in (self.figure_id, self.base_id) if i)


@dataclass(frozen=True)
class Evidence:
    """A source's sentence that bears on a claim but gives no number to chart."""

    evidence_id: str
    source_id: str
    stated_by: str
    stated_on: str
    quote: str
    quote_lang: str
    quote_en: str
    key_phrase: str
    stance: str
    note: str


@dataclass(frozen=True)
class Claim:
    """One claim in the excerpt, with its verdict and the ids of what it rests on."""

    claim_id: str
    turn_id: str
    span: str
    claimant: str
    kind: str
    verdict: str
    verdict_note: str
    evidence: str
    checked_on: date
    horizon: str = ""  # a prediction's: by when it can be judged
    known_so_far: str = ""  # a prediction's: what the figures show on checked_on
    about: str = ""  # what the claim is about, in our words (a checked claim's card names it beside the span)

    @property
    def evidence_ids(self) -> tuple[str, ...]:
        return tuple(self.evidence.split())


@dataclass(frozen=True)
class ClaimChange:
    """One verdict a claim was given, dated, and why: a claim's history, oldest first, ends at its verdict."""

    history_id: str
    claim_id: str
    changed_on: date
    verdict: str
    reason: str


@dataclass(frozen=True)
class Dataset:
    interview: Interview
    turns: tuple[Turn, ...]
    sources: dict[str, Source]
    figures: dict[str, Figure]
    events: tuple[Event, ...]
    derived: dict[str, Derived] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    claims: tuple[Claim, ...] = ()
    # claim id -> every verdict it has had, oldest first
    history: dict[str, tuple[ClaimChange, ...]] = field(default_factory=dict)
    # Data text in other languages: lang -> (table, record id, field) -> text, from the <field>_<lang> columns.
    translations: dict[str, dict[tuple[str, str, str], str]] = field(default_factory=dict)

    def turn(self, turn_id: str) -> Turn:
        """The turn with this id."""
        return next(t for t in self.turns if t.turn_id == turn_id)

    def headline(self) -> list[Figure]:
        """The interview's own figures, in file order."""
        return [f for f in self.figures.values() if f.kind == "headline"]

    def claim_stating(self, f: Figure) -> Claim | None:
        """The claim whose words state a headline figure (its turn's figure claim containing the figure's span): where
        a figure is judged, its verdict is that claim's."""
        return next(
            (c for c in self.claims if c.turn_id == f.turn_id and c.kind == "figure" and f.span and f.span in c.span),
            None,
        )

    def claim_about(self, turn_id: str, span: str) -> Claim | None:
        """The claim whose words contain an event's words in the same turn (the interview's "August 2024"): where the
        event is judged, its verdict is that claim's."""
        return next((c for c in self.claims if c.turn_id == turn_id and span and span in c.span), None)

    def claims_in(self, turn_id: str) -> list[Claim]:
        """The claims a turn makes, in the order their words appear in it."""
        text = self.turn(turn_id).text
        return sorted((c for c in self.claims if c.turn_id == turn_id), key=lambda c: text.find(c.span))

    def context(self, measure: str | None = None) -> list[Figure]:
        """Context figures, optionally of one measure, in file order."""
        return [f for f in self.figures.values() if f.kind == "context" and (measure is None or f.measure == measure)]
