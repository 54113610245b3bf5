"""Every sentence built from records, in one place: values, who stated them, citations, source lines,
derived ranges with their method, statuses, the findings, and each chart's and card's titles, rows and text
descriptions. The page, the charts, the cards, the CSV and the alt texts all use these, so wording fixed once is
fixed everywhere (tests/test_config.py proves charts.py and cards.py word nothing). No Streamlit, no plotly.

Texts here are plain (no markup); the page and the charts escape them for their own format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .i18n import N_, Tr
from .load import printed_range
from .model import Claim, Dataset, Derived, Event, Evidence, Figure, Turn
from .verdicts import VERDICTS


@dataclass(frozen=True)
class Series:
    """Who stated a figure, in what capacity: one registry row gives the charts their colours and the words their names.

    colour fills a bar; text_colour draws its label and outline (at least 5:1 on white; WCAG AA asks 4.5:1);
    colour_name is how the footer's legend names the colour. Okabe–Ito, so colour-blind readers tell them apart."""

    key: str
    name: str  # "Stated by Kazakh officials"
    short: str  # "Kazakh officials", for chart labels
    of: str  # the phrase after "the figure": "of Kazakh officials" (a translator writes the case the sentence needs)
    colour: str
    text_colour: str
    colour_name: str
    legend: str  # how the footer's colour key names it, mid-sentence: "the interview"
    side: str = ""  # figures.csv's side whose context figures this series draws ("" for the three below)


SERIES_REGISTRY: dict[str, Series] = {
    s.key: s
    for s in (
        Series(
            "KZ",
            N_("Stated by Kazakh officials"),
            N_("Kazakh officials"),
            N_("of Kazakh officials"),
            "#0072B2",
            "#0072B2",
            N_("blue"),
            N_("Kazakh officials' figures"),
            side="KZ",
        ),
        Series(
            "RU",
            N_("Stated by Russian officials"),
            N_("Russian officials"),
            N_("of Russian officials"),
            "#D55E00",
            "#B54A00",
            N_("vermillion"),
            N_("Russian officials' figures"),
            side="RU",
        ),
        Series(
            "interview",
            N_("The interview's figure"),
            N_("The interview"),
            N_("of the interview"),
            "#E69F00",
            "#8C5C00",
            N_("orange"),
            N_("the interview's figures"),
        ),
        Series(
            "KZ_rail",
            N_("Kazakh railway (KTZ) operating data"),
            N_("Kazakh railway (KTZ)"),
            N_("of the Kazakh railway (KTZ)"),
            "#56B4E9",
            "#2A6F97",
            N_("light blue"),
            N_("Kazakh railway data"),
        ),
        Series(
            "outlet",
            N_("An outlet's own figure, no source named"),
            N_("An outlet's figure, no source named"),
            N_("of an outlet"),
            "#999999",
            "#595959",
            N_("grey"),
            N_("outlets' own figures, with no source named"),
        ),
    )
}
ROUTE = {
    "containers_ru_to_cn": N_("Russia → China via Kazakhstan"),
    "containers_cn_eu_cn": N_("China–Europe–China via Russia and Kazakhstan"),
    "containers_ru_cn_both": N_("Russia ↔ China via Kazakhstan, both ways"),
}
ROUTE_SHORT = {  # the same routes where space is short (a card's rows)
    "containers_ru_to_cn": N_("Russia → China"),
    "containers_cn_eu_cn": N_("China–Europe–China"),
    "containers_ru_cn_both": N_("Russia ↔ China"),
}
SERIES_OF_SIDE = {s.side: s.key for s in SERIES_REGISTRY.values() if s.side}


def series_key(f) -> str:
    """Which series a figure belongs to: the interview's three, the railway's operating data, a side's officials
    (the registry's `side`), or an outlet's own figure for any other side."""
    if f.kind == "headline":
        return "interview"
    if f.stated_as == "railway":
        return "KZ_rail"
    return SERIES_OF_SIDE.get(f.side, "outlet")


SERIES = {k: v.name for k, v in SERIES_REGISTRY.items()}
SERIES_SHORT = {k: v.short for k, v in SERIES_REGISTRY.items()}


@dataclass(frozen=True)
class Status:
    """One status a figure or statement can have: its name, what it means, and how a badge shows it.

    badge is a Streamlit badge colour, or '' where a badge would tell the reader nothing (a quote we read in its
    source is the normal case, not news). No status reads as "verified": green is used by none."""

    name: str
    definition: str
    badge: str
    text_colour: str  # for the status line drawn in a card; each at least 4.5:1 on white


STATUSES = {
    "no_independent_source": Status(
        N_("No other source found"),
        N_("No source other than the interview gives this number for this period."),
        "violet",
        "#882255",
    ),
    "matches_report": Status(
        N_("Matches one report"),
        N_("One report gives the same number. It is not an independent check: the two may share a source."),
        "orange",
        "#8A4B00",
    ),
    "no_source_found": Status(
        N_("No source found"),
        N_("No source we found supports the claim; the nearest dated statement we found is named."),
        "violet",
        "#882255",
    ),
    "quote_not_verified": Status(
        N_("Quote not verified"),
        N_("We could not read the source's own sentence in a stored copy of its page."),
        "red",
        "#A51C30",
    ),
    "reported": Status(
        N_("Quote read in the source"),
        N_("The source's own sentence, read in a stored copy of its page, states this number."),
        "",
        "#1F2328",
    ),
    "documented": Status(N_("Documented"), N_("The statement is quoted from its source's page."), "", "#1F2328"),
    "derived": Status(
        N_("Derived by kztrade"),
        N_("Computed by kztrade from the figures named, as the range their printed digits allow."),
        "blue",
        "#5E3C99",
    ),
}


# A date in data text, written as a token so that it reads in the page's language and style: {date:YYYY[-MM[-DD]]},
# {period:YYYY-MM-DD/YYYY-MM-DD} (whole months) or {range:YYYY-MM-DD/YYYY-MM-DD} (days).
DATE_TOKEN = re.compile(r"\{(date|period|range):(\d{4}(?:-\d{2}){0,2})(?:/(\d{4}(?:-\d{2}){0,2}))?\}")

# Whose figure a change is measured against, as a phrase after "the figure": English "of Kazakh officials". A
# translator writes the form the sentence needs (Russian: the genitive «казахстанской стороны», after «к цифре»).
SERIES_OF = {k: v.of for k, v in SERIES_REGISTRY.items()}
STANCES = {
    "supports": N_("Supports the claim"),
    "contradicts": N_("Contradicts the claim"),
    "qualifies": N_("Qualifies the claim"),
}
BOUND_PREFIX = {"lower_bound": N_("over {value}"), "approximate": N_("about {value}"), "exact": "{value}"}
UNIT = {
    "usd_bn": N_("US${value} billion"),
    "rub_trn": N_("{value} trillion roubles"),
    "rub_bn": N_("{value} billion roubles"),
    "teu_thousand": N_("{value} thousand TEU"),
}
UNIT_AXIS = {
    "usd_bn": N_("US$ billion"),
    "pct": N_("change in %"),
    "teu_thousand": N_("thousand TEU"),
    "index": N_("index"),
}


LABEL_ROOM = 40  # characters on one line of a chart's bar label (charts.LABEL_CHARS, which imports this module)


def lower_first(text: str) -> str:
    """A name as it reads inside a sentence in languages that lower-case it there (Russian «российская сторона»);
    an acronym ("КТЖ") is left as it is."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


@dataclass(frozen=True)
class Finding:
    """One line of what we found: its lead (a value or a claim), and the rest of the sentence."""

    lead: str
    text: str
    status: str
    target: str  # the view or chart id that shows it
    verdict: str = ""  # the verdict on the claim it is about, where a claim states it: shown instead of the status


class Words:
    """The sentences of one dataset in one language."""

    def __init__(self, ds: Dataset, tr: Tr):
        self.ds, self.tr, self._ = ds, tr, tr._

    # --- data text, in the reader's language ---------------------------------------------------------

    def dated(self, text: str) -> str:
        """Data text with its date tokens written in the reader's language, by the one set of date functions:
        {date:2023-11-09} -> '9 Nov 2023', {date:2024-08} -> 'Aug 2024', {period:2024-01-01/2024-09-30} ->
        'Jan – Sept 2024', {range:2024-10-22/2024-10-24} -> '22–24 Oct 2024'. So no hand-written date drifts."""
        if "{" not in text:
            return text

        def one(m: re.Match) -> str:
            kind, start, end = m.group(1), m.group(2), m.group(3)
            if kind == "date" and not end:
                return self.tr.date(start)
            if kind == "period" and end and len(start) == len(end) == 10:
                return self.tr.period(date.fromisoformat(start), date.fromisoformat(end))
            if kind == "range" and end and len(start) == len(end) == 10:
                return self.tr.date_range(start, end)
            return m.group(0)  # `check` names a token like this; it is never guessed at

        out, at = "", 0
        for m in DATE_TOKEN.finditer(text):
            written = one(m)
            out += text[at : m.start()] + written
            at = m.end()
            if (
                written.endswith(".") and text[at : at + 1] == "."
            ):  # «авг. 2024 г.» ends the sentence: one point, not two
                at += 1
        return out + text[at:]

    def fig(self, f: Figure, name: str) -> str:
        """A figure's data field (label, description, stated_by, ...) in the reader's language."""
        return self.dated(self.tr.d("figures", f.figure_id, name, getattr(f, name)))

    def event(self, e: Event, name: str) -> str:
        """An event's data field in the reader's language."""
        return self.dated(self.tr.d("events", e.event_id, name, getattr(e, name)))

    def outlet(self, source_id: str) -> str:
        """A source's outlet as the reader's language writes it ("ТАСС" for TASS)."""
        return self.tr.d("sources", source_id, "outlet", self.ds.sources[source_id].outlet)

    def source_about(self, source_id: str) -> str:
        """What a source is, in our words, in the reader's language."""
        s = self.ds.sources[source_id]
        return self.dated(self.tr.d("sources", source_id, "about", s.about))

    def derived_field(self, d: Derived, name: str) -> str:
        """A derivation's label or note in the reader's language."""
        return self.dated(self.tr.d("derivations", d.derived_id, name, getattr(d, name)))

    def interview_field(self, name: str) -> str:
        """An interview metadata field in the reader's language."""
        iv = self.ds.interview
        return self.dated(self.tr.d("interview", iv.interview_id, name, getattr(iv, name)))

    # --- numbers -------------------------------------------------------------------------------------

    def number(self, f: Figure) -> str:
        """A figure's number as printed, with its bound: '17.2', 'over 27', 'nearly 28.5'."""
        return self._(BOUND_PREFIX[f.bound]).format(value=self.tr.num(f.value, f.decimals))

    def amount(self, f: Figure) -> str:
        """A figure's number with its unit, without its bound: 'US$17.2 billion', '+63%', '2 trillion roubles'."""
        if f.unit == "pct":
            return self.tr.pct(f.value, f.decimals, signed=True)
        if f.unit == "companies":  # a count agrees with its number (Russian: 7 791 компания, 3 348 компаний)
            return self.tr.n_("{value} company", "{value} companies", int(f.value)).format(
                value=self.tr.num(f.value, f.decimals)
            )
        return self._(UNIT[f.unit]).format(value=self.tr.num(f.value, f.decimals))

    def value(self, f: Figure) -> str:
        """A figure with its unit and bound for running text: 'US$17.2 billion', '+63%', 'over US$27 billion'."""
        return self._(BOUND_PREFIX[f.bound]).format(value=self.amount(f))

    def converted(self, f: Figure) -> str:
        """An outlet's conversion of a figure, said as the outlet's: 'US$24.3 billion (the outlet's conversion)'."""
        amount = self._(UNIT["usd_bn"]).format(value=self.tr.num(f.converted_value, f.converted_decimals))
        return self._("{amount} in {who}'s conversion").format(amount=amount, who=self.fig(f, "converted_by"))

    def period_unbroken(self, f: Figure) -> str:
        """A figure's dates kept on one line wherever they wrap ('Jan – Aug 2024', never 'Jan –' / 'Aug 2024'); a
        period the source words itself ('2024 to date (“this year”)') wraps as a phrase does."""
        return self.period(f) if f.period_label else self.period(f).replace(" ", "\u00a0")

    def period(self, f: Figure) -> str:
        """A figure's period: the source's own terms where given, else its dates: 'Jan – Aug 2024'."""
        if f.period_label:
            return self.fig(f, "period_label")
        return self.tr.period(f.period_start, f.period_end)

    def derived_value(self, d: Derived) -> str:
        """A derived number no more precise than its inputs: a range, or 'about' a value."""
        if d.method == "index_from_growth":
            fig = self.ds.figures[d.figure_id]
            return self.tr.num(d.value, fig.decimals)
        if d.method == "implied_rate":
            return self._("about {rate} roubles per US$").format(rate=self.tr.num(d.value, 0))
        if d.low < 0 < d.high:
            return self._("{low} to {high} (roughly flat)").format(
                low=self.tr.pct(d.low, 1, True), high=self.tr.pct(d.high, 1, True)
            )
        if d.high - d.low > 1:
            return self._("{low} to {high}").format(low=self.tr.pct(d.low, 1, True), high=self.tr.pct(d.high, 1, True))
        places = 1 if d.high - d.low <= 0.2 else 0
        return self._("about {value}").format(value=self.tr.pct(d.value, places, True))

    def derived_method(self, d: Derived) -> str:
        """How a derived number was computed, and from which printed precision."""
        f = self.ds.figures[d.figure_id]
        num = self.tr.num

        def reading(value: float, places: int) -> tuple[str, str]:
            """The range a printed number stands for, one digit finer than printed: 17 -> ('16.5', '17.5')."""
            return tuple(num(x, places + 1) for x in printed_range(value, places))

        if d.method == "pct_change":
            b = self.ds.figures[d.base_id]
            (a_lo, a_hi), (b_lo, b_hi) = reading(f.value, f.decimals), reading(b.value, b.decimals)
            how = self._(
                "({a} ÷ {b} − 1) × 100, reading {a} as {a_lo} to {a_hi} and {b} as {b_lo} to {b_hi}, as their printed "
                "digits allow."
            ).format(a=num(f.value, f.decimals), b=num(b.value, b.decimals), a_lo=a_lo, a_hi=a_hi, b_lo=b_lo, b_hi=b_hi)
            return " ".join(filter(None, (how, self.vintages(b, f))))
        if d.method == "implied_rate":
            lo, hi = reading(f.converted_value, f.converted_decimals)
            return self._("{roubles} ÷ {dollars}, reading the dollar figure as {lo} to {hi}.").format(
                roubles=self.amount(f),
                dollars=self._(UNIT["usd_bn"]).format(value=num(f.converted_value, f.converted_decimals)),
                lo=lo,
                hi=hi,
            )
        return self._("100 + {growth}: the base period is 100.").format(growth=num(f.value, f.decimals))

    def vintages(self, base: Figure, figure: Figure) -> str:
        """When the two figures of a change were stated in different months, a sentence that says so: a revision of the
        earlier figure made in between would not show in the change. A figure with no date of its own is dated by its
        page. Empty when both were stated in one month, or either date is unknown."""
        earlier, later = (f.stated_on or self.ds.sources[f.source_id].published for f in (base, figure))
        if not (earlier and later) or earlier[:7] == later[:7]:
            return ""
        return self._(
            "Two data vintages: the {base_period} figure was stated in {earlier} and the {period} figure in {later}, "
            "so a revision of the earlier one in between would not show."
        ).format(
            base_period=self.period(base),
            period=self.period(figure),
            earlier=self.tr.date(earlier[:7]),
            later=self.tr.date(later[:7]),
        )

    # --- who and what ----------------------------------------------------------------------------------

    def series(self, key: str) -> str:
        """A series' name, saying who stated its figures."""
        if key == "interview":
            return self._("{outlet}'s question").format(outlet=self.ds.interview.outlet)
        return self._(SERIES[key])

    def series_short(self, key: str) -> str:
        """A series' short name for chart labels."""
        if key == "interview":
            return self._("{outlet}'s question").format(outlet=self.ds.interview.outlet)
        return self._(SERIES_SHORT[key])

    def series_of(self, key: str) -> str:
        """Whose figure, as the phrase after "the figure": 'of Kazakh officials'."""
        return self._(SERIES_OF[key])

    def against(self, d: Derived) -> str:
        """A derived change and whose figure it is measured on: '−2.0% to +4.5% (roughly flat) on the figure of Kazakh
        officials'. The findings, the cards and the charts all say it with this."""
        return self._("{value} on the figure {of_who}").format(
            value=self.derived_value(d), of_who=self.series_of(self.ds.figures[d.base_id].series)
        )

    def against_period(self, d: Derived) -> str:
        """The same, with the base's period: '… on the Jan – Aug 2023 figure of Kazakh officials'."""
        base = self.ds.figures[d.base_id]
        return self._("{value} on the {period} figure {of_who}").format(
            value=self.derived_value(d), period=self.period(base), of_who=self.series_of(base.series)
        )

    def who(self, f: Figure) -> str:
        """Who a figure's series is, with the source's own claim of whose data it is where it makes one."""
        name = self.series_short(f.series)
        if f.data_basis == "own_data":
            return self._("{who}, “according to our data”").format(who=name)
        return name

    def who_when(self, f: Figure) -> str:
        """Who stated a figure, and when: for a period one side gave more than one number (“one year, several
        numbers”)."""
        when = self.page_date(f.source_id, f.stated_on) if f.source_id else ""
        return self._("{who}, {when}").format(who=self.who(f), when=when) if when else self.who(f)

    def hover_lines(self, f: Figure) -> tuple[str, ...]:
        """A bar's tooltip, short enough not to cover a phone's next bars: what and when on one line, then where it was
        printed (who stated it is the bar's own label, and the data view has the whole attribution)."""
        first = self._("{value}, {period}").format(value=self.value(f), period=self.period_unbroken(f))
        return (first, self.cite(f))

    def who_restated(self, figs: list[Figure]) -> dict[str, str]:
        """Labels for the bars of one period that one side stated more than once: each says when, or, where the dates
        do not tell them apart (the same day, or a page with no date), whose words they are: 'Kazakh officials (Serik
        Zhumangarin)'."""
        whens = [self.page_date(f.source_id, f.stated_on) if f.source_id else "" for f in figs]
        if all(whens) and len(set(whens)) == len(whens):
            return {f.figure_id: self.who_when(f) for f in figs}
        full = {f.figure_id: self.who_named(f) for f in figs}
        if all(len(label) <= LABEL_ROOM for label in full.values()):
            return full
        return {f.figure_id: self.who_named(f, short=True) for f in figs}  # one way of naming within one period

    def who_named(self, f: Figure, short: bool = False) -> str:
        """'Kazakh officials (Serik Zhumangarin)': the side and the speaker's name (stated_by's first clause). Short,
        for a label that must fit one chart line: a person by surname ('Казахстанская сторона (Токаев)'), anything
        longer cut to fit with an ellipsis."""
        who, name = self.who(f), self.fig(f, "stated_by").split(",")[0]
        label = self._("{who} ({name})").format(who=who, name=name)
        if not short:
            return label
        if len(name.split()) <= 3:  # a person's name
            name = name.split()[-1]
        elif len(label) > LABEL_ROOM:
            name = name[: max(1, len(name) - (len(label) - LABEL_ROOM) - 1)].rstrip() + "…"
        return self._("{who} ({name})").format(who=who, name=name)

    def colour_legend(self) -> str:
        """The footer's key to the series colours, from the registry: 'Colours: blue, Kazakh officials; …'."""
        parts = [
            self._("{colour}, {who}").format(colour=self._(sr.colour_name), who=self._(sr.legend))
            for sr in SERIES_REGISTRY.values()
        ]
        return self._("Colours: {legend}.").format(legend="; ".join(parts))

    def status(self, status: str) -> str:
        """A status's name."""
        return self._(STATUSES[status].name)

    def status_definition(self, status: str) -> str:
        """What a status means, in one sentence."""
        return self._(STATUSES[status].definition)

    def unit_axis(self, unit: str) -> str:
        """A unit for an axis or a subtitle."""
        return self._(UNIT_AXIS[unit])

    def turn_label(self, t: Turn) -> str:
        """A reader's label such as 'Question 3 · News.Az'."""
        kinds = {
            "question": self._("Question {n}"),
            "answer": self._("Answer {n}"),
            "title": self._("Title"),
            "lead": self._("Lead"),
        }
        speaker = self.interviewee() if t.speaker == self.ds.interview.interviewee else t.speaker
        return self._("{turn} · {speaker}").format(turn=kinds[t.kind].format(n=t.number), speaker=speaker)

    def turn_translation(self, t: Turn) -> str:
        """Our translation of a turn into the reader's language, or '' (English readers read the original)."""
        return self.tr.data.get(("turns", t.turn_id, "text"), "") if self.tr.lang != "en" else ""

    def interviewee(self) -> str:
        """The interviewee's name in the reader's script."""
        return self.interview_field("interviewee")

    def interviewee_gen(self) -> str:
        """The interviewee's name in the genitive, for languages that decline it (Russian «Магбата Спанова»)."""
        return self.interview_field("interviewee_genitive") or self.interviewee()

    def quoted(self, text: str) -> str:
        """Words quoted in our text, with the reader's language's quotation marks: “…” in English, «…» in Russian."""
        return self._("“{text}”").format(text=text)

    def not_spanov(self) -> str:
        """The attribution every headline figure carries."""
        iv = self.ds.interview
        return self._("{outlet}'s words, in a question, not {interviewee}'s").format(
            outlet=iv.outlet, interviewee=self.interviewee(), interviewee_gen=self.interviewee_gen()
        )

    # --- claims and their evidence -------------------------------------------------------------------------

    def verdict(self, key: str) -> str:
        """A verdict's name on the scale."""
        return self._(VERDICTS[key].name)

    def verdict_definition(self, key: str) -> str:
        """What a verdict means, in one sentence."""
        return self._(VERDICTS[key].definition)

    def claim_field(self, c: Claim, name: str) -> str:
        """A claim's data field (verdict_note, span) in the reader's language; the span is our translation outside
        English."""
        return self.dated(self.tr.d("claims", c.claim_id, name, getattr(c, name)))

    def claimant(self, c: Claim) -> str:
        """Whose words a claim is, from its turn: “News.Az's question 3”, “Magbat Spanov's answer 3”."""
        t = self.ds.turn(c.turn_id)
        outlet = self.ds.interview.outlet
        forms = {
            "title": self._("{outlet}'s headline"),
            "lead": self._("{outlet}'s introduction"),
            "question": self._("{outlet}'s question {n}"),
            "answer": self._("{interviewee}'s answer {n}"),
        }
        return forms[t.kind].format(
            outlet=outlet, n=t.number, interviewee=self.interviewee(), interviewee_gen=self.interviewee_gen()
        )

    def evidence_field(self, e: Evidence, name: str) -> str:
        """An evidence row's data field in the reader's language."""
        return self.dated(self.tr.d("evidence", e.evidence_id, name, getattr(e, name)))

    def stance(self, key: str) -> str:
        """What a piece of evidence does to the claim: 'Supports', 'Contradicts', 'Qualifies'."""
        return self._(STANCES[key])

    def cite_evidence(self, e: Evidence) -> str:
        """Short citation of an evidence row: its page's outlet and date."""
        when = self.page_date(e.source_id, e.stated_on)
        outlet = self.outlet(e.source_id)
        return f"{outlet}, {when}" if when else outlet

    def claim_sources_counted(self, c: Claim) -> str:
        """A card's short source line for a claim that rests on many pages: the turn, and how many pages, named where
        the claim is."""
        n = self.claim_sources(c).count("; ")
        return self.tr.n_(
            "Sources: {turn} and {n} page, each named in the claim's entry on kztrade and in its CSV.",
            "Sources: {turn} and {n} pages, each named in the claim's entry on kztrade and in its CSV.",
            n,
        ).format(turn=self.cite_turn(c.turn_id), n=self.tr.num(n))

    def claim_sources(self, c: Claim) -> str:
        """A claim's source line: the interview turn, then every page its evidence comes from, once."""
        ds = self.ds
        cites = (
            [self.cite_turn(c.turn_id)] if ds.turn(c.turn_id).kind in ("question", "answer") else [ds.interview.outlet]
        )
        for ref in c.evidence_ids:
            if ref in ds.evidence:
                cites.append(self.cite_evidence(ds.evidence[ref]))
            elif ref in ds.figures:
                cites.append(self.cite(ds.figures[ref]))
            elif ref in ds.derived:
                cites += [self.cite(ds.figures[i]) for i in ds.derived[ref].inputs]
            else:
                cites.append(self.cite_event(next(e for e in ds.events if e.event_id == ref)))
        cites = list(dict.fromkeys(cites))
        return self.tr.n_("Source: {sources}.", "Sources: {sources}.", len(cites)).format(sources="; ".join(cites))

    # --- the charts' sentences (charts.py lays them out) ----------------------------------------------------

    def not_drawn(self, n: int) -> tuple[str, ...]:
        """The note a chart carries, on screen and in its PNG, when it leaves statements out."""
        if not n:
            return ()
        return (
            self.tr.n_(
                "{n} earlier statement is not drawn here, to keep the chart readable; it is listed, with its source, "
                "under Data and sources.",
                "{n} earlier statements are not drawn here, to keep the chart readable; every one is listed, with its "
                "source, "
                "under Data and sources.",
                n,
            ).format(n=self.tr.num(n)),
        )

    def route(self, measure: str, short: bool = False) -> str:
        """A container route, in full or where space is short (a card's rows)."""
        return self._((ROUTE_SHORT if short else ROUTE)[measure])

    def ytd_text(self, head: Figure, figs: list[Figure], derivs: list[Derived]) -> tuple[str, str, str]:
        """The turnover chart of the interview's months: title, subtitle and text description."""
        _, tr = self._, self.tr
        months = tr.months(head.period_start, head.period_end)
        title = _("Trade in {months}: the interview's figure beside the officials'").format(months=months)
        subtitle = _(
            "{unit}, {months} of each year, as each source printed it. The interview does not say whose figures its "
            "{value} "
            "uses."
        ).format(unit=self.unit_axis("usd_bn"), months=months, value=tr.num(head.value, head.decimals))
        alt = (
            _("Bar chart of trade in {months}.").format(months=months)
            + " "
            + " ".join(f"{self.series(f.series)}, {self.period(f)}: {self.value(f)}." for f in figs)
            + " "
            + " ".join(f"{self.derived_field(d, 'label')}: {self.derived_value(d)}." for d in derivs)
        )
        return title, subtitle, alt

    def series_sections(self) -> tuple[str, str]:
        """The turnover series' two sections."""
        return self._("Whole years"), self._("Part-years, from the start of the year")

    def series_text(self, years: list[int], ordered: list[Figure], labels: dict[str, str]) -> tuple[str, str, str]:
        """The turnover series chart: title, subtitle and text description."""
        _ = self._
        title = _("Kazakhstan–Russia trade as officials stated it, {first}–{last}").format(
            first=years[0], last=years[-1]
        )
        subtitle = _(
            "{unit}; one bar per statement, and a date where one side gave a period more than one number. "
            "Kazakh and Russian officials' figures are never averaged. "
            "“over” is a lower bound: a triangle marks the bar's open end. “about” is approximate: the bar is hatched."
        ).format(unit=self.unit_axis("usd_bn"))
        alt = (
            _("Bar chart of trade by period and by who stated it.")
            + " "
            + " ".join(
                f"{self.period(f)}, {labels.get(f.figure_id, self.series(f.series))}: {self.value(f)}." for f in ordered
            )
        )
        return title, subtitle, alt

    def growth_rows(self) -> dict[str, str]:
        """The container growth chart's fixed row words (formatted where they are used)."""
        _ = self._
        return {
            "section": _("{period} against the same months of 2023"),
            "interview": _("{who} (“this year”)").format(who=self.series_short("interview")),
            "report": _("Kazakh government's report, {period}"),
            "earlier": _("Earlier: {period}, railway data"),
            "against": _("{who}, against {base}"),
            "railway": _("KTZ railway"),
        }

    def growth_text(self, figs: list[Figure]) -> tuple[str, str, str]:
        """The container growth chart: title, subtitle and text description."""
        _ = self._
        title = _("Container transit through Kazakhstan: growth rates")
        subtitle = _(
            "Percent change on the same months a year earlier. The 2024 rates and the railway's 2023 rates cover "
            "different "
            "periods; "
            "do not compare them."
        )
        alt = (
            _("Bar chart of container growth rates.")
            + " "
            + " ".join(
                f"{self.series(f.series)}, {self.route(f.measure)}, {self.period(f)}: {self.value(f)}." for f in figs
            )
        )
        return title, subtitle, alt

    def index_rows(self, h: Figure, base: str) -> tuple[str, str]:
        """An index chart's base row label (its tooltip too: nothing to add), and the interview's row label."""
        _ = self._
        return (
            _("{period} = 100 (the base)").format(period=base),
            _("“This year”, at the interview's {growth}").format(growth=self.value(h)),
        )

    def index_text(
        self, base_period: str, period: str, derivs: list[Derived], heads: list[Figure]
    ) -> tuple[str, str, str]:
        """The container index chart: title, subtitle and text description."""
        _ = self._
        title = _("Container volumes as an index ({base} = 100)").format(base=base_period)
        subtitle = _(
            "The interview says “this year” and names no months; the Kazakh government's report gives {period}."
        ).format(period=period)
        alt = (
            _("Bar chart: index with {base} = 100.").format(base=base_period)
            + " "
            + " ".join(f"{self.route(h.measure)}: {self.derived_value(d)}." for d, h in zip(derivs, heads))
        )
        return title, subtitle, alt

    def timeline_status(self, nearest: str) -> str:
        """The timeline's line under a claim no source supports (nearest: its date, already written)."""
        return self._("No source found; nearest: {date}").format(date=nearest)

    def timeline_published(self) -> str:
        """The timeline's mark for the interview."""
        return self._("The interview is published, {when}").format(when=self.published())

    def timeline_gap(self, n: int) -> str:
        """The timeline's bracket between a claim and the nearest dated statement."""
        return self.tr.n_(
            "{n} month between the nearest dated statement we found and the claimed announcement",
            "{n} months between the nearest dated statement we found and the claimed announcement",
            n,
        ).format(n=self.tr.num(n))

    def timeline_text(self, events: list[Event], gap: str) -> tuple[str, str, str]:
        """The BRICS timeline: title, subtitle and text description (gap: the bracket's words, or "")."""
        _, tr = self._, self.tr
        claims = [e for e in events if e.status == "no_source_found"]
        title = _("Kazakhstan and BRICS: what was said, and when")
        subtitle = _(
            "Drawn to scale in time, top to bottom; two slashes across the line mark months left out. Blue dots: "
            "statements with a source; orange square: the interview. "
            "Open diamond: the interview's claim of an announcement in “{span}”, which no source we found supports; "
            "the "
            "dotted bracket joins it to the nearest dated statement we found."
        ).format(span=", ".join(e.span for e in claims))
        alt = (
            _("Timeline.")
            + " "
            + " ".join(
                f"{tr.date(e.date)}: {self.event(e, 'description')}"
                + (
                    " "
                    + _("Status: no source found; nearest {date}.").format(
                        date=tr.date(next(n.date for n in events if n.event_id == e.nearest_event_id))
                    )
                    if e.status == "no_source_found"
                    else ""
                )
                for e in events
            )
        )
        if gap:
            alt += " " + gap + "."
        return title, subtitle, alt

    # --- the cards' sentences (cards.py lays them out) ------------------------------------------------------

    def card_row(self, f: Figure, named: str = "") -> str:
        """A turnover card's row: its period, never a bare year for part of one ('Jan – Aug 2023', not '2023'), and who
        stated it (named: the speaker too, for a side that stated the period twice)."""
        row = self._("{period} · {who}").format(
            period=self.period_unbroken(f), who=named or self.series_short(f.series)
        )
        return row[:1].upper() + row[1:]  # a label starts with a capital («Янв. — авг. 2023 г. · …»)

    def card_route_row(self, measure: str, report: bool) -> str:
        """A container card's row: the route, and whose figure (the interview's, or the government report's)."""
        route = self.route(measure, short=True)
        if report:
            return self._("{route}: government report").format(route=route)
        return self._("{route}: {who}").format(route=route, who=self.series_short("interview"))

    def card_status(self, f: Figure, bases: list[Derived]) -> str:
        """A quote card's judgement: the verdict on the claim that states the figure (the claims view's word), then
        against its base period (turnover) or the report it matches."""
        judged = (
            self._("Our verdict: {verdict}").format(verdict=self.verdict(self.verdict_on(f)))
            if self.verdict_on(f)
            else self.status(f.status)
        )
        if f.topic == "turnover":
            parts = "; ".join(self.against(d) for d in bases)
            base = self.period(self.ds.figures[bases[0].base_id]) if bases else ""
            return self._("{status}. Against {base_period}: {parts}.").format(
                status=judged, base_period=base, parts=parts
            )
        other = self.ds.figures.get(f.matches)
        return self._(
            "{status}. The Kazakh government's report gives it for {period}: one report, not an independent check."
        ).format(status=judged, period=self.period(other) if other else "")

    def card_translation(self, c: Claim) -> str:
        """Under a quote card's verbatim words: our translation of the claim that states its figure, labelled."""
        return self._("Our translation: {text}").format(text=self.quoted(self.claim_field(c, "span")))

    def card_attribution(self, turn: Turn) -> str:
        """Whose words a quote card quotes: News.Az's question, not the interviewee's."""
        return self._("— {outlet}, question {n} to {interviewee}, {when}. {whose}.").format(
            outlet=self.ds.interview.outlet,
            n=turn.number,
            interviewee=self.interviewee(),
            interviewee_gen=self.interviewee_gen(),
            when=self.published(),
            whose=self.not_spanov(),
        )

    def card_alt(self, f: Figure, value: str, label: str, sentence: str, status: str) -> str:
        """A quote card's text description."""
        return self._("Quote card. {value}, {label}. Excerpt: “{sentence}” {outlet}, question {n}. {status}").format(
            value=value,
            label=label,
            sentence=sentence,
            outlet=self.ds.interview.outlet,
            n=self.ds.turn(f.turn_id).number,
            status=status,
        )

    def forecast_lines(self, c: Claim) -> list[str]:
        """A prediction's horizon and what is known so far, each one sentence; nothing for a claim of another kind."""
        if c.kind != "prediction":
            return []
        return [
            self._("Its horizon: {horizon}").format(horizon=self.claim_field(c, "horizon")),
            self._("Known so far: {known}").format(known=self.claim_field(c, "known_so_far")),
        ]

    def history_lines(self, c: Claim) -> list[str]:
        """Each verdict a claim has had, oldest first: 'On 1 Dec 2026: Not borne out by the figures. The reason.'"""
        return [
            self._("On {date}: {verdict}. {reason}").format(
                date=self.tr.date(h.changed_on.isoformat()),
                verdict=self.verdict(h.verdict),
                reason=self.dated(self.tr.d("claim-history", h.history_id, "reason", h.reason)),
            )
            for h in self.ds.history.get(c.claim_id, ())
        ]

    def rechecked(self, c: Claim) -> str:
        """For a claim checked again with its verdict kept: 'Checked again on 7 Dec 2026. <why>', or ''."""
        history = self.ds.history.get(c.claim_id, ())
        if len(history) < 2 or self.verdict_changed(c):
            return ""
        last = history[-1]
        return self._("Checked again on {date}. {reason}").format(
            date=self.tr.date(last.changed_on.isoformat()),
            reason=self.dated(self.tr.d("claim-history", last.history_id, "reason", last.reason)),
        )

    def verdict_changed(self, c: Claim) -> str:
        """A card's line for a claim whose verdict changed: 'Verdict changed on 7 Dec 2026; it was: …', or '' when every
        check gave the same verdict."""
        history = self.ds.history.get(c.claim_id, ())
        changes = [(was, now) for was, now in zip(history, history[1:]) if was.verdict != now.verdict]
        if not changes:
            return ""  # a re-check that kept the verdict is in the history, not on the card
        was, now = changes[-1]
        return self._("Verdict changed on {date}; it was: {verdict}.").format(
            date=self.tr.date(now.changed_on.isoformat()), verdict=self.verdict(was.verdict)
        )

    def claim_card_lines(self, c: Claim) -> dict[str, str]:
        """A claim card's sentences by block: our verdict, our translation (not in English), whose words, the note."""
        out = {"verdict": self._("Our verdict: {verdict}").format(verdict=self.verdict(c.verdict))}
        if self.tr.lang != "en":  # the card's large words are our translation: say so, and give the original
            out["translation"] = self._("Our translation. The original, in English: {text}").format(
                text=self.quoted(c.span)
            )
        out["attribution"] = (
            self._("— {who} on {about}, {outlet} interview, {when}").format(
                who=self.claimant(c),
                about=self.claim_field(c, "about"),
                outlet=self.ds.interview.outlet,
                when=self.published(),
            )
            if c.about
            else self._("— {who}, {outlet} interview, {when}").format(
                who=self.claimant(c), outlet=self.ds.interview.outlet, when=self.published()
            )
        )
        out["note"] = self.claim_field(c, "verdict_note")
        if changed := self.verdict_changed(c):
            out["changed"] = changed
        return out

    def claim_card_alt(self, c: Claim) -> str:
        """A claim card's text description."""
        return self._("Claim card. {verdict}: {claim} ({who}). {note}").format(
            verdict=self.verdict(c.verdict),
            claim=self.quoted(c.span if self.tr.lang == "en" else self.claim_field(c, "span")),
            who=self.claimant(c),
            note=self.claim_field(c, "verdict_note"),
        )

    # --- citations --------------------------------------------------------------------------------------

    def published(self) -> str:
        """The interview's date as shown to readers ('October 2024 (approximate)')."""
        return self.interview_field("published_label")

    def cite_turn(self, turn_id: str) -> str:
        """'News.Az interview, question 3 (October 2024)': an interview turn as a short citation."""
        t = self.ds.turn(turn_id)
        when = self.tr.date(self.ds.interview.published)
        kinds = {"question": self._("question {n}"), "answer": self._("answer {n}")}
        return self._("{outlet} interview, {turn} ({when})").format(
            outlet=self.ds.interview.outlet, turn=kinds[t.kind].format(n=t.number), when=when
        )

    def page_date(self, source_id: str, stated_on: str = "") -> str:
        """The date a source line prints: the page's own date, else when the figure was stated; never an event's."""
        s = self.ds.sources[source_id]
        return self.tr.date(s.published or stated_on)

    def cite(self, f: Figure) -> str:
        """Short citation: 'News.Az interview, question 3 (Oct 2024)' or 'TASS, 8 Nov 2023'."""
        if f.kind == "headline":
            return self.cite_turn(f.turn_id)
        when = self.page_date(f.source_id, f.stated_on)
        outlet = self.outlet(f.source_id)
        return f"{outlet}, {when}" if when else outlet

    def cite_event(self, e: Event) -> str:
        """Short citation of an event: its page's outlet and date, or the interview turn that makes the claim."""
        if e.turn_id:
            return self.cite_turn(e.turn_id)
        when = self.page_date(e.source_id)
        outlet = self.outlet(e.source_id)
        return f"{outlet}, {when}" if when else outlet

    def source_line(self, figures: list[Figure] = (), events: list[Event] = (), derived: list[Derived] = ()) -> str:
        """The source line drawn under a chart and inside its PNG: every page once, then how kztrade derived."""
        cites = list(dict.fromkeys([self.cite(f) for f in figures] + [self.cite_event(e) for e in events]))
        text = self.tr.n_("Source: {sources}.", "Sources: {sources}.", len(cites)).format(sources="; ".join(cites))
        methods = list(dict.fromkeys(self._(METHOD_SHORT[d.method]) for d in derived))
        if methods:
            text += " " + self._("Derived by kztrade: {methods}.").format(methods="; ".join(methods))
        return text

    def credit(self, view: str = "", chart: bool = True) -> str:
        """The credit line of every chart and card, ending with the address of its view where the dashboard is
        hosted. A claim card draws no chart, so it is credited as a fact-check, not as a chart."""
        from .routes import image_address  # views imports the chart registry, which imports this module

        address = image_address(view, self.tr.lang) if view else ""
        line = (
            self._("Chart: kztrade · CC BY 4.0 · figures as each source printed them")
            if chart
            else self._("Fact-check: kztrade · CC BY 4.0 · each source's words as it printed them")
        )
        return line + (f" · {address}" if address else "")

    # --- findings ---------------------------------------------------------------------------------------

    def verdict_on(self, f: Figure) -> str:
        """The verdict on the claim that states a figure, or '' where no claim states it."""
        claim = self.ds.claim_stating(f)
        return claim.verdict if claim else ""

    def headline_finding(self, f: Figure) -> Finding:
        """What we found about one headline figure, in one sentence built from the data."""
        period = self.period(f)
        if f.topic == "turnover":
            derivs = [d for d in self.ds.derived.values() if d.method == "pct_change" and d.figure_id == f.figure_id]
            against = "; ".join(self.against(d) for d in derivs)
            base_period = self.period(self.ds.figures[derivs[0].base_id]) if derivs else ""
            text = self._(
                "{period}. No other source we found gives this number. Against {base_period}: {against}. "
                "The interview does not say whose figures it uses."
            ).format(period=period, base_period=base_period, against=against)
            return Finding(self.value(f), text, f.status, "turnover_ytd", self.verdict_on(f))
        other = self.ds.figures[f.matches] if f.matches else None
        route = self.fig(f, "label")
        if other is not None:
            text = self._(
                "{route}, “this year”. Matches the Kazakh government's report of the commission meeting, which gives "
                "it "
                "for "
                "{period} against the same months a year earlier. One report, not an independent check."
            ).format(route=route, period=self.period(other))
        else:
            text = self._("{route}, {period}. {note}").format(
                route=route, period=period, note=self.fig(f, "status_note")
            )
        return Finding(self.value(f), text, f.status, "containers_growth", self.verdict_on(f))

    def claim_findings(self) -> list[Finding]:
        """The interview's claims that no source supports, each with the nearest documented statement."""
        out = []
        for e in self.ds.events:
            if e.status != "no_source_found":
                continue
            nearest = next((n for n in self.ds.events if n.event_id == e.nearest_event_id), None)
            text = self._(
                "{who}'s answer speaks of an announcement of Kazakhstan's intention to join BRICS. No source found; "
                "the nearest dated statement we found is from {date}."
            ).format(
                who=self.interviewee(),
                interviewee_gen=self.interviewee_gen(),
                date=self.tr.date(nearest.date) if nearest else "—",
            )
            later = [
                self.ds.evidence[i]
                for c in self.ds.claims
                if e.event_id in c.evidence_ids
                for i in c.evidence_ids
                if i in self.ds.evidence
            ]
            text = " ".join([text] + [self.evidence_field(x, "note") for x in dict.fromkeys(later)])
            claim = self.ds.claim_about(e.turn_id, e.span)
            out.append(Finding(self.quoted(e.span), text, e.status, "brics_timeline", claim.verdict if claim else ""))
        return out

    def year_end_finding(self) -> Finding | None:
        """How the interview's year ended: the full-year totals stated for it, by who stated them."""
        head = next((f for f in self.ds.headline() if f.measure == "turnover" and f.has_period), None)
        if head is None:
            return None
        year = head.period_start.year
        totals = [
            f
            for f in self.ds.context("turnover")
            if f.unit == "usd_bn" and f.is_full_year and f.period_start.year == year
        ]
        if not totals:
            return None
        parts = " ".join(  # one sentence each: a name never stands capitalised mid-sentence
            self._("{who}: {value}.").format(who=self.series_short(f.series), value=self.value(f)) for f in totals
        )
        text = self._("How the year ended. {parts}").format(parts=parts)
        # the same side's longest part-year total for that year: a full-year figure that leaves it a large remainder
        # may be on
        # another basis, and a reader should see both
        parts_of_year = [
            f
            for f in self.ds.context("turnover")
            if f.unit == "usd_bn"
            and f.has_period
            and not f.is_full_year
            and f.period_start.year == year
            and f.period_end.year == year
            and f.series in {t.series for t in totals}
        ]
        if parts_of_year:
            p = max(parts_of_year, key=lambda f: f.period_end)
            text += " " + self._(
                "For {period}, {who} gave {value}, so the year's totals may not be on one basis."
            ).format(
                period=self.period(p),
                who=self.series_short(p.series),
                who_lower=lower_first(self.series_short(p.series)),
                value=self.value(p),
            )
        return Finding(str(year), text, "reported", "turnover_series")

    def findings(self) -> list[Finding]:
        """The overview's opening lines: one per headline figure, the unsupported claims, and the year's end."""
        out = [self.headline_finding(f) for f in self.ds.headline()] + self.claim_findings()
        end = self.year_end_finding()
        return out + ([end] if end else [])


METHOD_SHORT = {
    "pct_change": N_(
        "change in % = (interview figure ÷ each side's figure − 1) × 100, as a range its printed digits allow"
    ),
    "index_from_growth": N_("index = 100 + growth in %"),
    "implied_rate": N_("rate = roubles ÷ the outlet's dollars"),
}
