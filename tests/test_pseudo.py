"""A test-only pseudo-locale, en-XA, proves that a language is data: a copy of the project gets one row in the
language list (kztrade/i18n.py, LANGUAGES), a catalogue and a data translations file, and nothing else. Every
message is bracketed and every text stretched (vowels doubled, letters accented: a third longer, as Russian is
longer than English), so a string that skips the catalogue shows unbracketed, and a layout that only fits English
breaks. In it, `check` passes, and every view, chart and card renders with the layout tests green."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from kztrade.cards import CARD_SIZES
from kztrade.charts import CHARTS
from kztrade.claimreview import checked_claims
from kztrade.load import load_dataset
from kztrade.routes import VIEWS

from .browser import (
    CHARTS_PER_VIEW,
    SHOTS,
    WIDTHS,
    drawn,
    launched_browser,
    layout_faults,
    measure,
    new_page,
    open_page,
    plot_page,
    resized,
    screenshot_full,
    scroll_width,
    streamlit_server,
)
from .conftest import ROOT

LANG = "en-XA"
ROW = 'Language("en-XA", "[Ëñğļîšĥ]", "Pseudo-English", "en_GB"),'
ACCENTS = str.maketrans("acdeghijklnorstuwyzACDEGHIJKLNORSTUWYZ", "àçďéğĥîĵķļñöŕšţûŵýžÀÇĎÉĞĤÎĴĶĻÑÖŔŠŢÛŴÝŽ")
# What a message keeps as it is: placeholders, markup, addresses, Streamlit's icon names and Roman numerals (a number
# that check holds every translation to).
KEEP = re.compile(r"(\{[^{}]*\}|<[^>]*>|https?://\S+|:material/\w+:|\b[MDCLXVI]{2,}\b)")


def stretch(text: str) -> str:
    """Letters accented and vowels doubled, one character at a time, so a quoted span of a text stays inside it;
    placeholders (a message's {value}, the data's {date:2024-10}) and markup kept."""
    return "".join(
        p if KEEP.fullmatch(p) else "".join(c * 2 if c in "aeiouAEIOU" else c for c in p).translate(ACCENTS)
        for p in KEEP.split(text)
    )


def pseudo(message: str) -> str:
    """A catalogue message, bracketed and stretched."""
    return "[" + stretch(message) + "]"


def add_language(tree: Path) -> None:
    """Add en-XA to a copy of the project: its row in the language list, its catalogue, its data translations."""
    i18n = tree / "kztrade" / "i18n.py"
    text = i18n.read_text(encoding="utf-8")
    anchor = 'Language("ru", "Русский", "Russian", "ru"),'
    assert text.count(anchor) == 1
    i18n.write_text(text.replace(anchor, anchor + "\n        " + ROW), encoding="utf-8")

    with open(ROOT / "kztrade" / "locale" / "kztrade.pot", encoding="utf-8") as f:
        template = read_po(f)
    catalogue = Catalog(locale="en_GB", domain="kztrade")
    for m in template:
        if m.id:
            string = tuple(pseudo(i) for i in m.id) if isinstance(m.id, tuple) else pseudo(m.id)
            catalogue.add(m.id, string)
    folder = tree / "kztrade" / "locale" / LANG / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "kztrade.mo", "wb") as f:
        write_mo(f, catalogue)

    data = tree / "data"
    pkg = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    rows = []
    for res in pkg["resources"]:
        fields = res.get("schema", {}).get("fields", [])
        marked = [f["name"] for f in fields if f.get("kztrade:translatable")]
        if not marked:
            continue
        with open(data / res["path"], encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for name in marked:
                    if row[name]:
                        rows.append(dict(table=res["name"], id=row[fields[0]["name"]], field=name,
                                         english=row[name], text=stretch(row[name])))  # fmt: skip
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=["table", "id", "field", "english", "text"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    name = f"translations-{LANG.lower()}"  # a Data Package resource name is lower case
    (data / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")
    ru = next(r for r in pkg["resources"] if r.get("kztrade:lang") == "ru")
    pkg["resources"].append(
        dict(ru, name=name, path=f"{name}.csv", title="Pseudo-English (test only)") | {"kztrade:lang": LANG}
    )
    (data / "datapackage.json").write_text(json.dumps(pkg, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def browser():
    yield from launched_browser()


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A copy of the project with en-XA added, beside a copy of the research folder (as the repository sits)."""
    base = tmp_path_factory.mktemp("pseudo")
    tree = base / "main"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    tree.mkdir()
    for name in ("app.py", "kztrade", "data", ".streamlit"):
        src = ROOT / name
        (shutil.copytree(src, tree / name, ignore=ignore) if src.is_dir() else shutil.copy(src, tree / name))
    if (ROOT.parent / "shared").is_dir():
        shutil.copytree(ROOT.parent / "shared", base / "shared")
    add_language(tree)
    return tree


def in_tree(tree: Path, code: str) -> subprocess.CompletedProcess:
    """Python run in the copy, with its own kztrade."""
    return subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, timeout=600)


def test_only_the_language_list_changed_in_the_code(tree):
    """The copy's code differs from ours in one line: the language's row."""
    changed = [
        p.relative_to(tree).as_posix()
        for p in sorted((tree / "kztrade").rglob("*.py"))
        if p.read_bytes() != (ROOT / p.relative_to(tree)).read_bytes()
    ]
    assert changed == ["kztrade/i18n.py"]
    ours = (ROOT / "kztrade" / "i18n.py").read_text(encoding="utf-8").splitlines()
    theirs = (tree / "kztrade" / "i18n.py").read_text(encoding="utf-8").splitlines()
    assert [line.strip() for line in theirs if line not in ours] == [ROW]


def test_check_passes_and_every_message_is_translated_in_the_pseudo_locale(tree):
    proc = subprocess.run(
        [sys.executable, "-m", "kztrade", "check"], cwd=tree, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    proc = in_tree(
        tree,
        "from kztrade.i18n import LANGS, Tr\n"
        "from kztrade.load import load_dataset\n"
        "from kztrade.statements import Words\n"
        "ds = load_dataset()\n"
        f"tr = Tr({LANG!r}, ds.translations[{LANG!r}])\n"
        "print(LANGS)\n"
        "print(tr._('Share a quote card'))\n"
        "print(Words(ds, tr).fig(ds.headline()[0], 'label'))\n"
        "print(tr.num(17.2, 1), tr.date('2024-10-16'))\n",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.splitlines() == [
        "('en', 'ru', 'en-XA')",
        pseudo("Share a quote card"),
        stretch("Kazakhstan–Russia trade turnover"),
        "17.2 16 Oct 2024",  # en-XA's numbers and dates are en_GB's: its Babel locale
    ]


@pytest.fixture(scope="module")
def pseudo_server(tree):
    with streamlit_server(tree) as (url, _proc):
        yield url


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_renders_and_fits_every_width_in_the_pseudo_locale(browser, pseudo_server, view):
    """Every view at every width, in en-XA: our title and switch through the catalogue, every placeholder filled, no
    sideways scroll, and every chart (each is on its view) drawn whole with the data's pseudo text."""
    assert {spec.view for spec in CHARTS.values()} <= set(VIEWS)  # every chart is on a view, so drawn here
    ctx, pg = new_page(browser, WIDTHS[0], 900)
    try:
        open_page(pg, pseudo_server, f"view={view}&lang={LANG}", CHARTS_PER_VIEW[view])
        expect(pg.locator("h1").first).to_have_text(re.compile(r"^\[.*\]$"))  # our title, through the catalogue
        expect(pg.locator(".kz-lang a.kz-current")).to_have_text("[Ëñğļîšĥ]")
        text = pg.locator("[data-testid=stMain]").inner_text()
        assert "{" not in text and "}" not in text  # every placeholder filled, the data's date tokens included
        for width in WIDTHS:
            resized(pg, width)
            sizes = scroll_width(pg)
            assert sizes["doc"] <= sizes["viewport"] and sizes["main"] <= sizes["viewport"], (width, sizes)
            for chart in measure(pg):
                assert len(chart["texts"]) >= 8 and layout_faults(chart) == [], width
                assert any("àà" in t["text"] or "éé" in t["text"] for t in chart["texts"]), width  # the data's text
            if width in (390, 1400):
                screenshot_full(pg, SHOTS / f"{view}-{width}-{LANG}.png")
        assert pg.console_errors == []
    finally:
        ctx.close()


CARDS = """
import json, sys
from kztrade.cards import CARD_SIZES, claim_card, quote_card
from kztrade.claimreview import checked_claims
from kztrade.i18n import Tr
from kztrade.load import load_dataset
ds = load_dataset()
tr = Tr(sys.argv[1], ds.translations[sys.argv[1]])
out = {}
for size in CARD_SIZES:
    for f in ds.headline():
        out[f"{f.figure_id}-{size}"] = quote_card(ds, f.figure_id, tr, size).figure.to_json()
    for c in checked_claims(ds):
        out[f"claim-{c.claim_id}-{size}"] = claim_card(ds, c.claim_id, tr, size).figure.to_json()
print(json.dumps(out))
"""


def test_every_card_lays_out_in_the_pseudo_locale(browser, tree):
    """Each quote card and claim card, in both shapes, built by the copy in en-XA and drawn by Chromium: no text
    past its edge or its padding, none overlapping, none under 11 px."""
    proc = subprocess.run([sys.executable, "-c", CARDS, LANG], cwd=tree, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    cards = json.loads(proc.stdout)
    ds = load_dataset()
    assert len(cards) == len(CARD_SIZES) * (len(ds.headline()) + len(checked_claims(ds)))
    with plot_page(browser) as pg:
        for name, spec in cards.items():
            fig = json.loads(spec)
            chart = drawn(pg, fig)
            assert chart["width"] == fig["layout"]["width"] and len(chart["texts"]) >= 4, name
            assert layout_faults(chart) == [], name
            margin = 36  # each card keeps its 40 px padding on both sides (less a few px of text box)
            inside = [t["text"] for t in chart["texts"] if t["x"] < chart["x"] + margin or t["r"] > chart["r"] - margin]
            assert inside == [], name
            assert any(t["text"].startswith("[") or "àà" in t["text"] for t in chart["texts"]), name
