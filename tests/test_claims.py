"""The claims register: every claim verbatim in its turn with a verdict on the scale, evidence read in its source, the
rules `check` enforces on both, the ClaimReview export, the Claims view, the reader's marks and the claim cards."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from pyld import jsonld

from kztrade import DATA_DIR
from kztrade.cards import CARD_SIZES, claim_card
from kztrade.check import check_data
from kztrade.claimreview import checked_claims, https_base, reviews
from kztrade.cli import main
from kztrade.i18n import LANGS, Tr
from kztrade.load import load_dataset, printed_range
from kztrade.verdicts import BEST, VERDICTS, WORST

from .conftest import ROOT, edit_cell, edit_translation, unfolded
from .test_app import run_app

TRADE_ANSWER = [
    "a3_grow",
    "a3_grey",
    "a3_companies",
    "a3_single_market",
]  # the four checkable claims of the trade answer


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def test_every_claim_is_verbatim_in_its_turn_and_its_claimant_is_the_turns(ds):
    roles = {t.turn_id: t.role for t in ds.turns}
    for c in ds.claims:
        turn = ds.turn(c.turn_id)
        assert c.span in turn.text and c.claimant == roles[c.turn_id], c.claim_id
        assert (
            ds.translations["ru"][("claims", c.claim_id, "span")] in ds.translations["ru"][("turns", c.turn_id, "text")]
        ), c.claim_id
    # every turn with words is read for claims, the expert's answers and the outlet's questions alike
    assert {c.turn_id for c in ds.claims} == {t.turn_id for t in ds.turns}
    assert {c.claimant for c in ds.claims} == {"outlet", "interviewer", "interviewee"}


def test_the_headline_figures_and_the_august_claim_are_rows_with_their_statuses_as_verdicts(ds):
    by_id = {c.claim_id: c for c in ds.claims}
    assert (
        by_id["q3_turnover"].verdict == "no_source_found"
        and "kz_ru_turnover_2024_jan_aug" in by_id["q3_turnover"].evidence_ids
    )
    assert by_id["q3_ru_cn"].verdict == by_id["q3_cn_eu_cn"].verdict == "partly_supported"  # one report, months unnamed
    assert by_id["a1_august"].verdict == "no_source_found" and "ev_brics_timing_open" in by_id["a1_august"].evidence_ids
    for cid in ("q3_turnover", "q3_ru_cn", "q3_cn_eu_cn"):
        assert by_id[cid].claimant == "interviewer"  # News.Az's question, never Spanov's


def test_the_four_claims_of_the_trade_answer_have_verdicts_resting_on_quotes_read_in_their_sources(ds):
    by_id = {c.claim_id: c for c in ds.claims}
    assert [by_id[i].verdict for i in TRADE_ANSWER] == [
        "mixed_so_far",  # a forecast, judged as one: its full-year pairs point both ways and 2025 is open
        "partly_supported",
        "partly_supported",
        "partly_supported",
    ]
    for c in ds.claims:
        if not VERDICTS[c.verdict].needs_evidence:
            continue
        read = [
            r
            for r in c.evidence_ids
            if (r in ds.evidence and ds.evidence[r].quote)
            or (r in ds.figures and ds.figures[r].status == "reported")
            or (r in ds.derived and all(ds.figures[i].status == "reported" for i in ds.derived[r].inputs))
            or any(e.event_id == r and e.status == "documented" for e in ds.events)
        ]
        assert read, c.claim_id


def test_counts_of_companies_by_different_definitions_stay_apart(ds):
    counts = [f for f in ds.context() if f.unit == "companies"]
    by_measure: dict[str, list] = {}
    for f in counts:
        by_measure.setdefault(f.measure, []).append(f)
        assert f.stated_by and f.quote and f.description
    assert len(by_measure) == 5  # one measure per definition: never summed, never one series
    # a definition counted twice is a like-for-like pair, years apart, and the claim's reason gives both
    note = next(c.verdict_note for c in ds.claims if c.claim_id == "a3_companies")
    for measure in ("companies_russian_participation", "joint_ventures_kz_ru"):
        pair = sorted(by_measure[measure], key=lambda f: f.stated_on)
        assert [f.stated_on[:4] for f in pair] == ["2021", "2023"]
        assert all(f"{f.value:,.0f}" in note for f in pair), measure


def test_will_it_grow_is_judged_on_a_like_for_like_pair_as_a_range_the_printed_digits_allow(ds):
    d = ds.derived["turnover_change_jan_nov_kz"]
    a, b = ds.figures[d.figure_id], ds.figures[d.base_id]
    assert (a.period_start.month, a.period_end.month, b.period_start.month, b.period_end.month) == (1, 11, 1, 11)
    assert a.side == b.side == "KZ" and a.period_start.year == b.period_start.year + 1
    assert printed_range(24.2, 1) == pytest.approx((24.15, 24.25)) and printed_range(24, 0) == (23.5, 24.5)
    assert (d.low, d.high) == pytest.approx(((24.15 / 24.5 - 1) * 100, (24.25 / 23.5 - 1) * 100))
    assert d.low < 0 < d.high  # so the figures cannot tell growth from no change


def test_the_verdict_scale_is_the_same_in_code_in_the_datapackage_and_in_the_readme():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    claims = next(r for r in descriptor["resources"] if r["name"] == "claims")
    field = next(f for f in claims["schema"]["fields"] if f["name"] == "verdict")
    assert field["constraints"]["enum"] == list(VERDICTS)
    assert [(s["key"], s["definition"], s["ratingValue"]) for s in field["kztrade:scale"]] == [
        (v.key, v.definition, v.rating) for v in VERDICTS.values()
    ]
    assert 5 <= len(VERDICTS) <= 8
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for v in VERDICTS.values():
        assert f"| {v.name} | {v.definition} |" in readme, v.key


def write_rows(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


BAD = {
    "a span that is not in its turn": (
        ("claims", "a3_grow", "span", "trade will double"),
        "claims.csv, row 29 (a3_grow), field span: 'trade will double' does not occur verbatim in turn a3",
    ),
    "a verdict outside the scale": (
        ("claims", "a3_grow", "verdict", "true"),
        "claims.csv, row 29 (a3_grow), field verdict:",
    ),
    "evidence that points at nothing": (
        ("claims", "a3_grow", "evidence", "turnover_change_jan_nov_kz nowhere_at_all"),
        "claims.csv, row 29 (a3_grow), field evidence: 'nowhere_at_all' points at nothing",
    ),
    "a checked verdict with no evidence": (
        ("claims", "a3_grey", "evidence", ""),
        "claims.csv, row 30 (a3_grey), field evidence: verdict 'partly_supported' needs evidence",
    ),
    "a claimant that is not the turn's": (
        ("claims", "q3_turnover", "claimant", "interviewee"),
        "claims.csv, row 26 (q3_turnover), field claimant: is 'interviewee', but turn q3 is the interviewer's",
    ),
    "a translation that is not in the turn's": (
        ("translations-ru", "claims/a3_grow", "span", "торговля удвоится"),
        "claims.csv, row 29 (a3_grow), field span: its Russian text 'торговля удвоится' is not in the turn's "
        "(turns/a3/text in translations-ru.csv)",
    ),
    "an evidence row without a quote": (
        ("evidence", "ev_eu_chp_2024", "quote", ""),
        "evidence.csv, row 4 (ev_eu_chp_2024), field quote: an evidence row needs the source's sentence",
    ),
    "a key phrase that is not in the quote": (
        ("evidence", "ev_eu_chp_2024", "key_phrase", "far below"),
        "evidence.csv, row 4 (ev_eu_chp_2024), field key_phrase: 'far below' is not in its quote",
    ),
    "an evidence row stated after its page": (
        ("evidence", "ev_eu_chp_2024", "stated_on", "2025-01-01"),
        "evidence.csv, row 4 (ev_eu_chp_2024), field stated_on: 2025-01-01 is after its page was published",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_check_names_each_bad_claim_or_evidence_row_by_file_row_and_field(data_copy, case):
    (table, key, field, value), expected = BAD[case]
    if table.startswith("translations-"):
        edit_translation(data_copy, table.split("-", 1)[1], *key.split("/"), field, value)
    else:
        edit_cell(data_copy, table, key, field, value)
    problems = [str(p) for p in check_data(data_copy, full=True)]
    assert any(p.startswith(expected) for p in problems), problems
    assert all(p.startswith(("claims.csv", "evidence.csv")) for p in problems), problems  # nothing else is blamed


def test_check_refuses_evidence_no_claim_cites(data_copy):
    edit_cell(data_copy, "claims", "a2_border", "evidence", "ev_border_tokayev_2022")
    assert [str(p) for p in check_data(data_copy, full=False)] == [
        "evidence.csv, row 3 (ev_border_tokayev_2024), field evidence_id: no claim cites this evidence; add its id to "
        "a "
        "claim's evidence, "
        "or remove the row"
    ]


def test_the_app_shows_the_problem_list_for_a_bad_claim_and_keeps_serving(data_copy, monkeypatch):
    edit_cell(data_copy, "claims", "a3_grow", "evidence", "nowhere_at_all")
    monkeypatch.setenv("KZTRADE_DATA_DIR", str(data_copy))
    at = run_app({"view": "claims"})
    assert not at.exception
    shown = " ".join(c.value for c in at.code)
    assert "claims.csv, row 29 (a3_grow), field evidence: 'nowhere_at_all' points at nothing" in shown


# --- ClaimReview ---------------------------------------------------------------------------------------------------

# Google's fact-check markup: the properties it requires, and those it recommends, on ClaimReview and its parts.
REQUIRED = {"claimReviewed", "reviewRating", "url", "author"}
RECOMMENDED = {"datePublished", "itemReviewed"}
RATING_REQUIRED = {"alternateName"}
CLAIM_RECOMMENDED = {"author", "datePublished", "appearance"}


def test_each_review_has_the_properties_fact_check_aggregators_read(ds):
    found = reviews(ds, "https://kztrade.example.org/", "kztrade")
    assert list(found) == [c.claim_id for c in checked_claims(ds)] and len(found) == 14
    for claim_id, r in found.items():
        c = next(x for x in ds.claims if x.claim_id == claim_id)
        assert r["@context"] == "https://schema.org" and r["@type"] == "ClaimReview"
        assert REQUIRED | RECOMMENDED <= set(r), claim_id
        assert r["claimReviewed"] == c.span and r["dateModified"] == c.checked_on.isoformat()
        assert r["datePublished"] == ds.history[c.claim_id][0].changed_on.isoformat() <= r["dateModified"]
        assert r["url"] == f"https://kztrade.example.org/?view=claims&claim={claim_id}"
        assert (
            RATING_REQUIRED <= set(r["reviewRating"]) and r["reviewRating"]["alternateName"] == VERDICTS[c.verdict].name
        )
        rating = VERDICTS[c.verdict].rating
        if rating is None:
            assert "ratingValue" not in r["reviewRating"]
        else:
            assert (
                r["reviewRating"]["ratingValue"],
                r["reviewRating"]["bestRating"],
                r["reviewRating"]["worstRating"],
            ) == (rating, BEST, WORST)
        item = r["itemReviewed"]
        assert item["@type"] == "Claim" and CLAIM_RECOMMENDED <= set(item)
        assert item["author"]["name"] == ("Magbat Spanov" if c.claimant == "interviewee" else "News.Az")
        assert item["datePublished"] == "2024-10" and "approximate" in item["description"]
        assert item["appearance"]["url"] == ds.interview.url


def test_a_json_ld_processor_reads_every_review_offline_with_an_inline_context(ds):
    def no_network(url, options=None):  # the processor must never fetch: fail loudly if it tries
        raise AssertionError(f"tried to load {url}")

    for r in reviews(ds, "https://kztrade.example.org/", "kztrade").values():
        doc = {**r, "@context": {"@vocab": "https://schema.org/"}}
        expanded = jsonld.expand(doc, {"documentLoader": no_network})
        (node,) = expanded
        assert node["@type"] == ["https://schema.org/ClaimReview"]
        assert node["https://schema.org/claimReviewed"][0]["@value"] == r["claimReviewed"]
        rating = node["https://schema.org/reviewRating"][0]
        assert rating["https://schema.org/alternateName"][0]["@value"] == r["reviewRating"]["alternateName"]
        claim = node["https://schema.org/itemReviewed"][0]
        assert claim["@type"] == ["https://schema.org/Claim"]


def test_the_cli_writes_one_review_per_checked_claim_and_one_with_them_all(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KZTRADE_PUBLISHER", "Example Fact Desk")
    assert (
        main(["export", "--claimreview", "--base-url", "https://kztrade.example.org/app/", "--out", str(tmp_path)]) == 0
    )
    files = sorted(p.name for p in (tmp_path / "claimreview").iterdir())
    assert files == sorted(f"{c.claim_id}.jsonld" for c in checked_claims(load_dataset()))
    one = json.loads((tmp_path / "claimreview" / "a3_grow.jsonld").read_text(encoding="utf-8"))
    assert one["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://kztrade.example.org/app/",
    }
    assert one["url"] == "https://kztrade.example.org/app/?view=claims&claim=a3_grow"
    everything = json.loads((tmp_path / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert [g["claimReviewed"] for g in everything["@graph"]] == [c.span for c in checked_claims(load_dataset())]
    assert (
        capsys.readouterr().out.strip().splitlines()[-1]
        == "14 review(s) of 14 checked claim(s), and one file with them all."
    )


@pytest.mark.parametrize(
    "url", ["http://kztrade.example.org/", "ftp://x", "kztrade.example.org", "https://", "https://a b/"]
)
def test_the_cli_refuses_a_base_url_that_is_not_https_with_one_line(tmp_path, capsys, url):
    assert main(["export", "--claimreview", "--base-url", url, "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kztrade export: --base-url ") and "with --base-url." in err[0]
    assert url == "https://" or url not in err[0].replace("https://kztrade.example.org/", "")  # never echoed
    assert not (tmp_path / "claimreview").exists()  # the message is fixed text: the refused address is never echoed


def test_https_base_keeps_only_a_plain_address():
    assert https_base("https://kztrade.example.org/app/") == "https://kztrade.example.org/app/"
    from kztrade.addresses import base_url_problem

    assert "'..'" in base_url_problem("https://kztrade.example.org/a/../b")  # refused by the CLI, never rewritten
    assert https_base("http://kztrade.example.org/") == ""


# --- the page ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_claims_view_shows_every_claim_its_verdict_whose_words_and_its_evidence(ds, lang):
    at = run_app({"view": "claims", "lang": lang})
    assert not at.exception
    tr = Tr(lang, ds.translations.get(lang, {}))
    checked = {c.claim_id for c in checked_claims(ds)}
    heads = [re.sub(r"\\(.)", r"\1", h.value) for h in at.subheader]

    def words(c):  # the heading: the words as said in English; in another language, ours first (typeset spaces)
        return " ".join((c.span if lang == "en" else tr.d("claims", c.claim_id, "span", c.span)).split())

    heads = [" ".join(h.split()) for h in heads]

    for c in ds.claims:  # the checked claims open; those not checked are folded, and not sent until opened
        assert any(words(c) in h for h in heads) == (c.claim_id in checked), c.claim_id
    rest = len(ds.claims) - len(checked)
    assert tr._("Not checked: outside our subject, or opinion ({n})").format(n=tr.num(rest)) in [
        e.label for e in at.expander
    ]
    heads = [" ".join(re.sub(r"\\(.)", r"\1", h.value).split()) for h in unfolded(at).subheader]
    for c in ds.claims:
        assert any(words(c) in h for h in heads), c.claim_id
    text = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
    for key in {c.verdict for c in ds.claims}:
        assert tr._(VERDICTS[key].name) in text, key
    from kztrade.statements import Words

    w = Words(ds, tr)
    for key in VERDICTS:  # the scale, every step with what it means, in the reader's language
        step = f"{tr._(VERDICTS[key].name)}]: {w.verdict_definition(key)}"
        assert " ".join(step.split()) in " ".join(text.split()), key  # the page sets no-break spaces
    for c in checked_claims(ds):  # in Russian, under our translation: that it is ours, and the words as said
        original = tr._("Our translation. The original, in English: {text}").format(text=w.quoted(c.span))
        assert (" ".join(original.split()) in " ".join(text.split())) == (lang != "en"), c.claim_id
    # each checked claim's review, as the page shows it to copy, is the export's
    shown = [json.loads(code.value) for code in at.code if code.language == "json"]
    assert [s["claimReviewed"] for s in shown] == [
        c.span for c in sorted(checked_claims(ds), key=lambda c: shown_order(ds, c))
    ]
    evidence = " ".join(e.label for e in at.expander)
    first = next(c for c in checked_claims(ds))
    assert tr._("The evidence ({n})").format(n=tr.num(len(first.evidence_ids))) in evidence


def shown_order(ds, c):
    seq = {t.turn_id: t.seq for t in ds.turns}
    return seq[c.turn_id], ds.turn(c.turn_id).text.find(c.span)


def test_an_evidence_quote_bolds_its_number_or_key_phrase_and_links_to_its_chart():
    at = unfolded(run_app({"view": "claims", "lang": "en"}))  # each claim's evidence, opened
    text = "\n".join(m.value for m in at.markdown)
    assert "**24\\,2**" in text  # the Jan–Nov 2024 figure's number, bold in its Russian quote
    assert "**a much higher level compared to pre\\-invasion**" in text  # the EU's words that bear on "grey schemes"
    assert "(?view=turnover_series&lang=en)" in text


def test_the_overview_leads_with_the_claims(ds):
    at = run_app({"view": "overview", "lang": "en"})
    values = [m.value.replace("\u00a0", " ") for m in at.markdown]
    first = next(i for i, v in enumerate(values) if "[33 claims in the excerpt](?view=claims&lang=en)" in v)
    finding = next(i for i, v in enumerate(values) if "US\\$17\\.2 billion" in v)
    assert first < finding and "(?view=claims&lang=en)" in values[first]
    assert all(f":{VERDICTS[k].badge}-badge[" in values[first] for k in {c.verdict for c in ds.claims})


@pytest.mark.parametrize("lang", LANGS)
def test_the_reader_marks_every_claim_with_its_verdict_linked_to_its_entry(ds, lang):
    at = run_app({"view": "interview", "lang": lang})
    text = "\n".join(m.value for m in at.markdown)
    for c in ds.claims:
        anchor = f"(?view=claims&lang={lang}&claim={c.claim_id})"
        assert anchor in text, c.claim_id
        line = next(ln for ln in text.splitlines() if anchor in ln)
        assert line.startswith(f":{VERDICTS[c.verdict].badge}-badge["), c.claim_id


# --- claim cards -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", list(CARD_SIZES))
def test_each_claim_card_keeps_its_text_inside_measured_in_the_real_font(ds, lang, size, monkeypatch):
    from kztrade.charts import text_px

    monkeypatch.setenv("KZTRADE_PUBLIC_URL", "https://kztrade-fact-check.streamlit.app")
    tr = Tr(lang, ds.translations.get(lang, {}))
    cs = CARD_SIZES[size]
    for c in checked_claims(ds):
        card = claim_card(ds, c.claim_id, tr, size)
        names = [a.name for a in card.figure.layout.annotations]
        assert names[:2] == ["verdict", "claim"] and names[-1] == "source", c.claim_id
        texts = {a.name: a for a in card.figure.layout.annotations}
        assert tr._("Our verdict: {verdict}").format(verdict=tr._(VERDICTS[c.verdict].name)) in texts["verdict"].text
        assert "kztrade-fact-check.streamlit.app/?view=claims" in texts["source"].text.replace("<br>", " ")
        bottoms = []
        for a in card.figure.layout.annotations:
            lines = [re.sub(r"<[^>]+>", "", ln).replace("&amp;", "&") for ln in a.text.split("<br>")]
            bold = a.text.startswith("<b>")
            assert max(text_px(ln, a.font.size, bold) for ln in lines) <= cs.width - 2 * 48 + 1, (c.claim_id, a.name)
            assert a.font.size >= 24
            bottoms.append(
                (a.name, (1 - a.y) * cs.height, (1 - a.y) * cs.height + len(lines) * round(a.font.size * 1.32))
            )
        *body, source = bottoms
        assert body[-1][2] <= source[1], (c.claim_id, bottoms)  # nothing runs into the footer


@pytest.mark.parametrize("lang", LANGS)
def test_a_link_to_one_claim_opens_on_that_claim_and_keeps_it_in_the_address(ds, lang):
    at = run_app({"view": "claims", "lang": lang, "claim": "a3_companies"})
    heads = [re.sub(r"\\(.)", r"\1", h.value) for h in at.subheader]
    tr = Tr(lang, ds.translations.get(lang, {}))
    claim = next(c for c in ds.claims if c.claim_id == "a3_companies")
    words = claim.span if lang == "en" else tr.d("claims", claim.claim_id, "span", claim.span)  # ours first
    assert heads == [tr._("“{text}”").format(text=words)]
    assert at.query_params["claim"] == "a3_companies" and at.query_params["view"] == "claims"
    assert len([c for c in at.code if c.language == "json"]) == 1
    links = " ".join(m.value for m in at.markdown)
    assert f"(?view=claims&lang={lang})" in links  # the way to every claim


@pytest.mark.parametrize(
    "value, notice",
    [
        ("a_claim_we_do_not_have", "The link named a claim we do not have, so every claim is shown."),
        ("<script>alert(1)</script>", "The link named a claim in a form we do not use, so every claim is shown."),
    ],
)
def test_a_link_to_a_claim_we_do_not_have_shows_every_claim_and_never_echoes_it(ds, value, notice):
    at = run_app({"view": "claims", "lang": "en", "claim": value})
    assert notice in [i.value for i in at.info]
    assert len(unfolded(at).subheader) == len(ds.claims)  # every claim: the checked ones, and those folded
    shown = " ".join(
        e.value for kind in ("markdown", "caption", "info", "code", "subheader") for e in getattr(at, kind)
    )
    assert value not in shown and "alert" not in shown
    assert "claim" not in at.query_params  # a refused value leaves the address bar


@pytest.mark.parametrize("lang", LANGS)
def test_the_claims_csv_has_every_claim_with_its_verdict_evidence_and_sources_neutralised(ds, lang, data_copy):
    from kztrade.statements import Words
    from kztrade.table import CLAIM_COLUMNS, claims_table, safe_csv

    tr = Tr(lang, ds.translations.get(lang, {}))
    rows = list(
        csv.DictReader(io.StringIO(safe_csv(claims_table(ds, Words(ds, tr)), CLAIM_COLUMNS).decode("utf-8-sig")))
    )
    assert [r["claim_id"] for r in rows] == [c.claim_id for c in ds.claims] and list(rows[0]) == CLAIM_COLUMNS
    grow = next(r for r in rows if r["claim_id"] == "a3_grow")
    assert (
        grow["verdict"] == tr._("Mixed so far")
        and grow["evidence"].split()[0] == "turnover_change_full_year_tokayev"
        and grow["horizon"]
        and grow["known_so_far"]
    )
    assert "Forbes Kazakhstan" in grow["sources"] and grow["span"] == next(
        c.span for c in ds.claims if c.claim_id == "a3_grow"
    )
    assert (grow["span_translation"] != "") == (lang != "en")
    # a claim's words that a spreadsheet would run as a formula are neutralised, every line of them
    edit_cell(data_copy, "claims", "a3_grow", "verdict_note", '=HYPERLINK("https://evil.example")')
    edit_translation(data_copy, "ru", "claims", "a3_grow", "verdict_note", '=HYPERLINK("https://evil.example")')
    bad = load_dataset(data_copy)
    bad_tr = Tr(lang, bad.translations.get(lang, {}))
    rows = list(
        csv.DictReader(io.StringIO(safe_csv(claims_table(bad, Words(bad, bad_tr)), CLAIM_COLUMNS).decode("utf-8-sig")))
    )
    assert next(r for r in rows if r["claim_id"] == "a3_grow")["verdict_note"].startswith("'=")


# --- a forecast judged as a forecast (issue 35) ------------------------------------------------------------------


def test_no_two_judging_steps_share_a_badge_and_no_two_steps_a_colour_and_none_is_green():
    judging = [v for v in VERDICTS.values() if v.rating is not None or v.key == "no_source_found"]
    assert len({v.badge for v in judging}) == len(judging)
    assert len({v.text_colour for v in VERDICTS.values()}) == len(VERDICTS)
    assert VERDICTS["not_borne_out"].text_colour != VERDICTS["contradicted"].text_colour
    # "green" is the badge of one step only because the theme turns it into a teal: no verdict reads as "verified"
    theme = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    teal = re.search(r'^greenColor = "#([0-9A-F]{6})"', theme, re.M).group(1)
    r, g, b = (int(teal[i : i + 2], 16) for i in (0, 2, 4))
    assert b > 0.6 * g and r < 0.3 * g  # as much blue as green: a teal, never a traffic-light green


def test_an_open_forecast_has_its_own_step_rated_between_partly_and_not_borne_out():
    mixed = VERDICTS["mixed_so_far"]
    assert mixed.forecast_only and mixed.needs_evidence and mixed.definition
    assert VERDICTS["not_borne_out"].rating < mixed.rating < VERDICTS["partly_supported"].rating


def test_the_growth_forecast_is_judged_on_full_year_pairs_by_the_same_speaker_and_2025_so_far(ds):
    by_id = {c.claim_id: c for c in ds.claims}
    for cid in ("a3_grow", "a3_increase"):
        c = by_id[cid]
        assert c.kind == "prediction" and c.verdict == "mixed_so_far" and c.horizon and c.known_so_far
        assert "2024" in c.horizon and "{date:2024-10}" in c.horizon  # when he spoke, and from when it is judged
        pair = ds.derived["turnover_change_full_year_tokayev"]
        a, b = ds.figures[pair.figure_id], ds.figures[pair.base_id]
        assert a.stated_by == b.stated_by and a.is_full_year and b.is_full_year  # the same speaker, whole years
        assert (pair.low, pair.high) == pytest.approx((0.0, (28.5 / 26.5 - 1) * 100))  # 27 -> 28 as printed
        putin = [ds.figures[i] for i in ("ru_turnover_2023_talks", "ru_turnover_2024")]
        assert {f.stated_by for f in putin} == {"Vladimir Putin, President of Russia"}
        assert [f.bound for f in putin] == ["approximate", "lower_bound"]  # "almost 28.5", then "over 27"
        assert {"turnover_change_full_year_tokayev", "ru_turnover_2025_so_far"} <= set(c.evidence_ids)
        # the change is shown, not overwritten: first "not borne out", then judged again as a forecast
        history = ds.history[cid]
        assert [h.verdict for h in history] == ["not_borne_out", "mixed_so_far"]
        assert history[-1].changed_on == c.checked_on and "premise" in history[-1].reason


def test_a_changed_verdict_shows_on_its_card_in_its_review_and_in_the_csv(ds):
    for lang in LANGS:
        tr = Tr(lang, ds.translations.get(lang, {}))
        fig = claim_card(ds, "a3_grow", tr).figure
        changed = next(a for a in fig.layout.annotations if a.name == "changed")
        assert (
            tr.date("2026-12-07") in changed.text.replace("\u00a0", " ")
            and tr._(VERDICTS["not_borne_out"].name) in changed.text
        )
        assert changed.font.color == VERDICTS["mixed_so_far"].text_colour
        unchanged = claim_card(ds, "q1_kazan", tr).figure
        assert "changed" not in {a.name for a in unchanged.layout.annotations}
    r = reviews(ds, "https://kztrade.example.org/", "kztrade")["a3_grow"]
    assert (r["datePublished"], r["dateModified"]) == ("2026-12-01", "2026-12-07")
    assert r["reviewRating"]["ratingValue"] == 3


BAD_FORECASTS = {
    "a forecast without a horizon": (
        [("claims", "a3_grow", "horizon", "")],
        "claims.csv, row 29 (a3_grow), field horizon: a prediction needs its horizon",
    ),
    "an open-forecast verdict on a description": (
        [("claims", "q1_kazan", "verdict", "mixed_so_far")],
        "claims.csv, row 4 (q1_kazan), field verdict: 'mixed_so_far' judges a forecast",
    ),
    "a horizon on a claim that predicts nothing": (
        [("claims", "q1_kazan", "horizon", "2025")],
        "claims.csv, row 4 (q1_kazan), field horizon: only a prediction has a horizon",
    ),
    "a verdict changed without a history entry": (
        [("claims", "q1_kazan", "verdict", "partly_supported")],
        "(q1_kazan_2026_12_01), field verdict: is 'supported', but q1_kazan's verdict is 'partly_supported'",
    ),
    "a history entry without its reason": (
        [("claim_history", "a3_grow_2026_12_07", "reason", "")],
        "claim_history.csv, row 12 (a3_grow_2026_12_07), field reason: is required but empty",
    ),
    "a history entry dated after its claim's check": (
        [("claim_history", "a3_grow_2026_12_07", "changed_on", "2026-12-09")],
        "claim_history.csv, row 12 (a3_grow_2026_12_07), field changed_on: 2026-12-09 is after the claim's checked_on",
    ),
    "a translation that drops a percent sign": (
        [
            (
                "translations-ru",
                "q3_ru_cn",
                "span",
                "Объём контейнерных перевозок из России в Китай через Казахстан вырос",
            )
        ],
        "field text: does not keep every number and unit of its English: it drops 63; has 0 percent sign(s)",
    ),
}


@pytest.mark.parametrize("case", BAD_FORECASTS)
def test_check_refuses_a_bad_forecast_history_or_translation_naming_file_row_and_field(data_copy, case):
    from .conftest import write_cell

    edits, expected = BAD_FORECASTS[case]
    for table, key, field, value in edits:
        if table == "translations-ru":
            edit_translation(data_copy, "ru", "claims", key, field, value)
        elif table == "claim_history":
            write_cell(data_copy, table, key, field, value)
        else:
            edit_cell(data_copy, table, key, field, value)
    problems = [str(p) for p in check_data(data_copy, None, full=False)]
    assert any(expected in p for p in problems), problems
    # nothing else is blamed
    assert all(p.startswith(("claims.csv", "claim_history.csv", "translations-ru.csv")) for p in problems), problems


def test_a_translation_or_a_quotes_english_keeps_every_number_percent_and_unit():
    from kztrade.quotes import lost_in_translation

    assert lost_in_translation("by 65% compared to 2023", "en", "на 65 % к 2023 г.", "ru") == ""
    assert "drops 2023" in lost_in_translation("by 65% compared to 2023", "en", "на 65 %", "ru")
    assert "percent" in lost_in_translation("by 63%", "en", "на 63", "ru")
    assert "drops billion" in lost_in_translation("$27 billion", "en", "27 долларов", "ru")
    assert lost_in_translation("почти 28,5 млрд долларов", "ru", "almost 28.5 billion dollars", "en") == ""
    assert lost_in_translation("на XVII Форуме", "ru", "at the 17th forum", "en") == ""


def test_a_change_between_figures_stated_in_different_months_says_both_dates(ds):
    """Two figures stated a year apart can be two vintages of the data: the method says when each was stated, in the
    reader's language; a pair stated in the same month says nothing of it."""
    from kztrade.statements import Words

    for lang in LANGS:
        tr = Tr(lang)
        w = Words(ds, tr)
        for d in (d for d in ds.derived.values() if d.method == "pct_change"):
            a, b = ds.figures[d.figure_id], ds.figures[d.base_id]
            when = [f.stated_on or ds.sources[f.source_id].published for f in (b, a)]
            dates = [tr.date(x[:7]) for x in when]
            assert all(x in w.derived_method(d) for x in dates), (lang, d.derived_id)
    # the same pair, both stated in one month: no vintage sentence
    from dataclasses import replace

    pair = ds.derived["turnover_change_full_year_tokayev"]
    a, b = ds.figures[pair.figure_id], ds.figures[pair.base_id]
    w = Words(ds, Tr("en"))
    assert w.vintages(b, a) and w.vintages(replace(b, stated_on=a.stated_on), a) == ""


def test_audit_corrections_dates_and_attributions(ds):
    """The audit's corrections: the trade ministry's company counts date from the draft decree of Feb 2023, not the
    page's 2024 header; Putin's 28.5 is his (Trend's line repeats it); AP's 'record $27 billion' is AP's words."""
    counts = [f for f in ds.figures.values() if f.source_id == "helsingefors_trade_mission"]
    assert {f.value for f in counts} == {8000, 3348}
    assert all(f.stated_on == "2023-02" and "2024" not in f.figure_id for f in counts)
    assert all("{date:2023-02-01}" in f.status_note for f in counts)
    assert not any("2024" in s for s in ds.sources if s.startswith("helsingefors"))
    assert not [f for f in ds.figures.values() if f.stated_as == "outlet" and f.value == 28.5]
    assert "Trend" in ds.figures["ru_turnover_2023_talks"].status_note
    ap = ds.figures["kz_turnover_2022_tokayev"]
    assert ap.stated_by.startswith("AP") and "paraphrase" in ap.status_note
    stated = {"kz_turnover_2024": "2025-10-09", "kz_turnover_2024_jan_nov": "2025-01-30"}
    assert {k: ds.figures[k].stated_on for k in stated} == stated
    assert ds.figures["kz_turnover_2025_11_no_period"].stated_on == "2025-11-11"


@pytest.mark.parametrize("lang", LANGS)
def test_a_claim_card_draws_no_chart_and_is_not_credited_as_one(ds, lang):
    """A claim card is a fact-check with no chart in it: its credit never says "Chart:", while a quote card's does."""
    from kztrade.cards import all_cards

    tr = Tr(lang, ds.translations.get(lang, {}))
    chart_word = tr._("Chart: kztrade · CC BY 4.0 · figures as each source printed them").split(":")[0]
    for c in checked_claims(ds):
        source = next(a for a in claim_card(ds, c.claim_id, tr).figure.layout.annotations if a.name == "source")
        assert f"{chart_word}:" not in source.text and "kztrade" in source.text, c.claim_id
    quote = next(iter(all_cards(ds, tr)))
    assert any(f"{chart_word}:" in (a.text or "") for a in quote.figure.layout.annotations)


def test_a_recheck_that_keeps_the_verdict_is_shown_but_never_as_a_change(ds):
    """After the audit, five claims were checked again and kept their verdicts: each says so beside its reason, with
    the date; neither the claims view nor the card calls it a changed verdict."""
    from kztrade.statements import Words

    w = Words(ds, Tr("en"))
    kept = [c for c in checked_claims(ds) if len(ds.history[c.claim_id]) > 1 and not w.verdict_changed(c)]
    changed = [c for c in checked_claims(ds) if w.verdict_changed(c)]
    assert {c.claim_id for c in kept} >= {"a3_companies", "a3_grey", "title_rethinking"}
    assert {c.claim_id for c in changed} == {"a3_grow", "a3_increase"}
    at = run_app({"view": "claims", "lang": "en"})
    text = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
    for c in kept:
        last = ds.history[c.claim_id][-1]
        assert f"Checked again on {Tr('en').date(last.changed_on.isoformat())}" in " ".join(text.split())
        assert w.claim_card_lines(c).get("changed", "") == ""
    labels = [e.label for e in at.expander]
    assert sum(lab.startswith("Verdict history") for lab in labels) == len(changed)


@pytest.mark.parametrize("lang", LANGS)
def test_every_reason_stands_on_its_own_on_a_card(ds, lang):
    """A claim card travels alone: its reason never leans on another claim's ("The same report gives …")."""
    from kztrade.statements import Words

    w = Words(ds, Tr(lang, ds.translations.get(lang, {})))
    for c in checked_claims(ds):
        note = w.claim_field(c, "verdict_note")
        assert not re.match(r"(The same|То же|Тот же|Та же)\b", note), (c.claim_id, note)


@pytest.mark.parametrize("lang", LANGS)
def test_the_legend_links_each_verdict_to_its_claims(ds, lang):
    """The scale as a legend: each verdict's count links to the claims view showing only those claims; the filter
    stays in the address, and a verdict not on the scale is refused with a notice and never echoed."""
    tr = Tr(lang, ds.translations.get(lang, {}))
    at = run_app({"view": "claims", "lang": lang})
    text = " ".join(m.value for m in at.markdown)
    for key in {c.verdict for c in ds.claims}:
        assert f"(?view=claims&lang={lang}&verdict={key})" in text, key
    at = run_app({"view": "claims", "lang": lang, "verdict": "partly_supported"})
    chosen = [c for c in ds.claims if c.verdict == "partly_supported"]
    heads = [h.value for h in at.subheader]
    assert len(heads) == len(chosen) and at.query_params["verdict"] == "partly_supported"
    assert tr._("Showing the claims judged “{verdict}” ({n}).").format(
        verdict=tr._(VERDICTS["partly_supported"].name), n=tr.num(len(chosen))
    ).split("“")[0] in re.sub(r"\\(.)", r"\1", " ".join(m.value for m in at.markdown))
    bad = run_app({"view": "claims", "lang": lang, "verdict": "<b>true</b>"})
    assert len(bad.subheader) == len(checked_claims(ds)) and "verdict" not in bad.query_params
    assert "<b>true</b>" not in " ".join([m.value for m in bad.markdown] + [i.value for i in bad.info])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", list(CARD_SIZES))
def test_a_claim_cards_words_are_never_smaller_than_its_note(ds, lang, size):
    """The claim is what the card is about: where type steps down to fit, its words stay at least the note's size."""
    tr = Tr(lang, ds.translations.get(lang, {}))
    for c in checked_claims(ds):
        sizes = {a.name: a.font.size for a in claim_card(ds, c.claim_id, tr, size).figure.layout.annotations}
        assert sizes["claim"] >= sizes["note"], (c.claim_id, sizes)
