"""Typed records for the data package. Plain dataclasses: no Streamlit, no plotly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SIDE_NAMES = {
    "KZ": "Kazakh statistics",
    "RU": "Russian statistics",
    "joint": "Joint Kazakh–Russian statement",
    "not_stated": "Statistics not stated",
}
UNIT_NAMES = {
    "usd_bn": "US$ billion",
    "pct": "% change",
    "teu_thousand": "thousand TEU",
}
STATUS_NAMES = {
    "corroborated": "Corroborated",
    "no_independent_source": "No independent source found",
    "reported": "As reported by the source",
    "documented": "Documented",
    "no_source_found": "No source found",
    "derived": "Derived by kztrade",
}


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
    def label(self) -> str:
        """A reader's label such as 'Question 3 (News.Az)'."""
        if self.kind in ("question", "answer"):
            return f"{self.kind.capitalize()} {self.turn_id[1:]} ({self.speaker})"
        return f"{self.kind.capitalize()} ({self.speaker})"


@dataclass(frozen=True)
class Source:
    source_id: str
    outlet: str
    url: str
    url_alt: str
    published: str
    language: str
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
    period_start: date
    period_end: date
    comparison_base: str
    side: str
    stated_by: str
    stated_on: str
    turn_id: str
    span: str
    source_id: str
    original_value: float | None
    original_unit: str
    conversion_note: str
    status: str
    status_note: str
    corroborated_by: str
    description: str

    @property
    def is_full_year(self) -> bool:
        """True when the period is one whole calendar year."""
        s, e = self.period_start, self.period_end
        return (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year


@dataclass(frozen=True)
class Event:
    event_id: str
    date: str
    date_end: str
    short_label: str
    actor: str
    description: str
    source_id: str
    turn_id: str
    span: str
    status: str
    status_note: str
    nearest_event_id: str


@dataclass(frozen=True)
class Derived:
    derived_id: str
    label: str
    method: str
    value: float
    unit: str
    figure_id: str
    base_id: str
    note: str

    @property
    def inputs(self) -> tuple[str, ...]:
        """The figure ids this number was computed from."""
        return tuple(i for i in (self.figure_id, self.base_id) if i)


@dataclass(frozen=True)
class Dataset:
    interview: Interview
    turns: tuple[Turn, ...]
    sources: dict[str, Source]
    figures: dict[str, Figure]
    events: tuple[Event, ...]
    derived: dict[str, Derived] = field(default_factory=dict)

    def turn(self, turn_id: str) -> Turn:
        """The turn with this id."""
        return next(t for t in self.turns if t.turn_id == turn_id)

    def headline(self) -> list[Figure]:
        """The interview's own figures, in file order."""
        return [f for f in self.figures.values() if f.kind == "headline"]
