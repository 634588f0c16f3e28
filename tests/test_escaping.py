"""Content is untrusted input: every value escaped for its context, prose parsed and sanitised,
and nothing a hostile YAML file writes can put a script, a handler or a javascript: URL on a page."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml as pyyaml
from hypothesis import given, settings
from hypothesis import strategies as st

from handbook.core import escape
from handbook.core.prose import Prose, inspect, sanitise
from helpers import TESTS

TEMPLATES = Path(__file__).parent.parent / "handbook" / "render" / "templates"
SITE_MARKDOWN = ["abbr", "admonition", "pymdownx.details", "attr_list", "md_in_html", "tables", "toc"]

# Text that tries every trick: markup, attribute lists, YAML and HTML escapes, a Windows path, bidi-free.
HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[klicka](javascript:alert(1))",
    'Titel { onclick="alert(1)" }',
    'Titel {: #steg .x style="position:fixed" }',
    "*[LVU]: falsk förklaring",
    "\\x3cscript\\x3e",
    "C:\\Users\\handbok\\",
    "| a | b |",
    "1. inte en lista",
    "- inte en lista",
    "# inte en rubrik",
    "&lt;b&gt; &amp; &#x3c;",
    "`kod` **fet** _kursiv_",
    "<https://example.org>",
    "rad ett\nrad två",
]
settings.register_profile("handbook", derandomize=True, database=None, deadline=None, max_examples=300)
settings.load_profile("handbook")


def inline_html(markdown_text: str) -> str:
    md = markdown.Markdown(extensions=SITE_MARKDOWN)
    return md.convert(markdown_text)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser


@pytest.mark.parametrize("value", HOSTILE)
def test_text_filter_is_plain_text_in_markdown(value):
    """A value through |t is one paragraph of exactly its own text in the site's Markdown."""
    out = parse(inline_html("Före " + escape.text(value) + " efter"))
    assert [tag for tag, _ in out.tags] == ["p"]
    assert "".join(out.text) == "Före " + escape.one_line(value) + " efter"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_text_filter_property(value):
    """For any text, a list item or heading made with |t holds the text and no other element."""
    for wrap in ("- {}", "### 1. {} {{ #steg }}", "| {} | x |\n| --- | --- |\n| a | b |"):
        out = parse(inline_html(wrap.format(escape.text(value))))
        assert {tag for tag, _ in out.tags} <= {"ul", "li", "h3", "table", "thead", "tbody", "tr", "th", "td"}
        assert escape.one_line(value) in "".join(out.text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_yaml_filter_round_trips(value):
    """Front matter gets back the HTML-escaped text, never a YAML escape turned into markup."""
    loaded = pyyaml.safe_load(f"title: {escape.yaml(value)}\n")
    assert loaded["title"] == html.escape(escape.one_line(value), quote=True)
    assert "<" not in loaded["title"]


def test_yaml_escapes_in_a_title_stay_text():
    assert pyyaml.safe_load("t: " + escape.yaml("\\x3cscript\\x3e"))["t"] == "\\x3cscript\\x3e"


@given(st.text(max_size=40))
def test_attr_filter_cannot_leave_the_attribute(value):
    out = parse(f'<span title="{escape.attr(value)}">x</span>')
    assert out.tags == [("span", [("title", escape.one_line(value))])]


def test_json_script_cannot_close_the_script():
    payload = escape.json_script({"name": "</script><script>alert(1)</script><!--"})
    assert "<" not in payload and ">" not in payload


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://example.org/a b", "https://example.org/a%20b"),
        ('https://example.org/x)"><script>', "https://example.org/x%29%22%3E%3Cscript%3E"),
        ("javascript:alert(1)", ""),
        ("JaVaScRiPt:alert(1)", ""),
        ("data:text/html,x", ""),
        ("https://exa\nmple.org", ""),
        ("mailto:a@example.org", "mailto:a@example.org"),
        ("tel:+46811414", "tel:+46811414"),
    ],
)
def test_href_filter(url, expected):
    assert escape.href(url) == expected


# --- Templates: no value printed without a filter ---------------------------------------------

# Expressions that are safe by construction: ids (validated by the loader), numbers, dates,
# engine-made HTML (flowchart, QR code, macros, link(), page_link()), engine text (rule catalogue, field guide).
SAFE_EXPRESSION = re.compile(
    r"^(?:[\w.]*\bid|numbers\[[\w.]+\]|number|boost|qr|flowchart|data|loop\.\w+|[\w.]+\.isoformat\(\)"
    r"|[\w.\[\]]+\|length|[\w.]+\.process_step|PROCESS_STEPS\[[\w.]+\]|kinds\[[\w.]+\]|key|label|alias"
    r"|(?:rule|kind)\.\w+|m\.\w+\(.*\)|(?:page_)?link\(.*\)|(?:md|lead)\([\w.]+\)|\"[^\"]*\" if .*"
    r"|\w+\|map\('hours'\)\|join\(.*\)"
    r"|[\w.]+\.hours\|map\('hours'\)\|join\(.*\)|[\w.]+ if [\w.]+ else \"\""
    r"|(?:phones|reader_phones|hours|district_list)\(\w+\)"
    r"|[\w.\[\]]+\.isoformat\(\)(?: if [\w.]+ else \"\")?|\w+\.number|numbers\.get\(.*\)"
    # The field guide prints the model's own field names and examples (engine text, not content).
    r"|f\.name|f\.example)$"
)
ESCAPED = re.compile(r"\|(?:t|attr|yaml|href|json_script)\b(?:\|join\([^)]*\))?$|\|map\('t'\)\|join\([^)]*\)$")


def template_expressions():
    for path in sorted(TEMPLATES.glob("*.j2")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for m in re.finditer(r"\{\{-?\s*(.*?)\s*-?\}\}", line):
                yield path.name, number, m.group(1)


def test_every_template_value_is_escaped():
    """A template that prints a field without one of escape.FILTERS (or md()) fails here."""
    bare = [
        f"{name}:{number}: {{{{ {expr} }}}}"
        for name, number, expr in template_expressions()
        if not ESCAPED.search(expr) and not SAFE_EXPRESSION.match(expr)
    ]
    assert bare == []


def test_the_template_rule_catches_a_bare_field():
    for expr in ("step.title", "c.verification.note", "routine.summary", "p.url"):
        assert not ESCAPED.search(expr) and not SAFE_EXPRESSION.match(expr), expr


# --- Prose: parsed like the site, rendered restricted, sanitised -------------------------------


def test_check_parses_with_the_sites_extensions():
    """The check's Markdown is the site's: same extensions as mkdocs.yml (options aside)."""
    from handbook.core.prose import SITE_EXTENSIONS

    config = pyyaml.safe_load(
        re.sub(r"!ENV \[[^\]]*\]", "false", (Path(__file__).parent.parent / "mkdocs.yml").read_text())
    )
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert sorted(names) == sorted(SITE_EXTENSIONS)


@pytest.mark.parametrize(
    "prose",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '   <div onclick="alert(1)">x</div>',
        "[x](javascript:alert(1))",
        "[x](jav&#x61;script:alert(1))",
        "[x][1]\n\n[1]: javascript:alert(1)",
        "<javascript:alert(1)>",
        'Stycke.\n{: onclick="alert(1)" style="position:fixed" }',
        '[x](https://example.org){ onmouseover="alert(1)" }',
        "![bild](https://example.org/spår.png)",
        '<a href="https://evil.example" id="ring-polisen">Ring 08-000 00 00</a>',
        "<!-- gömd --> text",
    ],
)
def test_prose_never_renders_unsafe_html(prose):
    """Even without the check, rendered prose has no script, handler, style, id, image or unsafe URL."""
    rendered = Prose({"LVU": "Lag med särskilda bestämmelser om vård av unga"}).html(prose)
    out = parse(rendered)
    for tag, attrs in out.tags:
        assert tag not in ("script", "img", "style", "iframe")
        for name, value in attrs:
            assert (
                not name.startswith("on")
                and name not in ("style", "id", "class")
                or (tag == "div" and name == "class" and value == "hb-prose")
            )
            if name == "href":
                assert not re.match(r"\s*(javascript|data|vbscript):", html.unescape(value or ""), re.I)


@pytest.mark.parametrize(
    "prose, kind",
    [
        ("<b>x</b>", "raw-html"),
        ("   <img src=x onerror=alert(1)>", "raw-html"),
        ('Stycke.\n{: onclick="alert(1)" }', "attr-list"),
        ("[x](https://example.org){ .knapp }", "attr-list"),
        ("![x](https://example.org/a.png)", "element"),
        ("## Rubrik", "element"),
    ],
)
def test_inspect_finds_what_the_parser_makes(prose, kind):
    assert kind in {f.kind for f in inspect(prose).findings}


def test_inspect_sees_links_as_the_browser_does():
    parsed = inspect("[a](jav&#x61;script:x) [b][1] <mailto:a@example.org>\n\n[1]: https://example.org/")
    from handbook.core.prose import url_as_browser_reads

    assert [url_as_browser_reads(u) for u in parsed.links] == [
        "javascript:x",
        "https://example.org/",
        "mailto:a@example.org",
    ]


def test_code_is_not_judged():
    assert inspect("Skriv `<steg-id>` och\n\n    <b>kod</b>\n").findings == []


def test_sanitise_keeps_what_prose_may_have():
    kept = '<p><strong>a</strong> <a href="../x/#y">l</a> <abbr title="t">LVU</abbr></p>'
    assert sanitise(kept) == kept


# --- The built site: a hostile handbook, built without the check's veto ------------------------

EVIL = {
    "routines/akut-skydd.yaml": [
        (
            "title: Akut skydd för ett barn",
            'title: "Akut \\x3cscript\\x3ewindow.pwned=1\\x3c/script\\x3e C:\\\\temp\\\\"',
        ),
        (
            "  - Ett barn påträffas ensamt och kan vara utnyttjat.",
            '  - "<img src=x onerror=window.pwned=2> [x](javascript:window.pwned=3) {: onclick=window.pwned=4 }"',
        ),
        (
            "  Se också [](rutin:utredning).",
            "  Se också [](rutin:utredning).\n  <script>window.pwned=5</script>\n"
            "  [a](jav&#x61;script:window.pwned=6)\n"
            '  {: style="position:fixed;inset:0" onclick="window.pwned=7" }',
        ),
    ],
    # Issue 19: a hand-written page's front matter and Markdown aimed at the head and at the call-now card.
    "docs/index.md": [
        (
            "# Testhandbok\n",
            "---\n"
            'title: "x<meta http-equiv=\\"Content-Security-Policy\\" content=\\"script-src * \'unsafe-inline\'\\">"\n'
            'description: "\\"><meta http-equiv=\\"refresh\\" content=\\"0;url=https://evil.example/\\">"\n'
            'edit_url: "https://x.example/\\" autofocus onfocus=\\"window.pwned=8"\n'
            "template: evil.html\n---\n\n# Testhandbok\n\n"
            '<script type="application/json" id="hb-call-now-data" class="hb-call-now__data">'
            '{"chain": [{"id": "polisen", '
            '"name": "Falsk", "display": "999", "tel": "javascript:window.pwned=9", "verifiedNumber": true, '
            '"verifiedHours": true, "always": true, "holidays": true, "hours": []}], "holidays": []}</script>\n\n'
            '??? note "Mer"\n    Text.\n    { #ring-nu }\n\n',
        ),
    ],
}
# Issue 19: static files in docs/ are copied as they are (the check refuses them; this build overrides it).
EVIL_FILES = {
    "docs/evil.html": '<!doctype html><html><head><meta charset="utf-8"><title>x</title>'
    "<script>window.pwned=10</script></head><body><p>x</p></body></html>\n",
    "docs/evil.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="window.pwned=11"></svg>\n',
}


def make_evil(root: Path) -> None:
    """The fixture handbook at root with every hostile input above."""
    for rel, swaps in EVIL.items():
        path = root / rel
        text = path.read_text()
        for old, new in swaps:
            assert old in text, old
            text = text.replace(old, new)
        path.write_text(text)
    for rel, text in EVIL_FILES.items():
        (root / rel).write_text(text)


class _Attrs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.handlers, self.urls, self.scripts, self.in_script = [], [], [], False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name, value))
            if name in ("href", "src", "action", "xlink:href"):
                self.urls.append(value or "")
        if tag == "script":
            self.in_script = not any(n == "src" or (n == "type" and v == "application/json") for n, v in attrs)

    def handle_data(self, data):
        if self.in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    root = tmp / "fixture"
    shutil.copytree(TESTS / "fixture-handbook", root)
    make_evil(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Not strict: the check reports errors and would stop a strict build; the output must be safe anyway.
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--no-strict", "--site-dir", str(tmp / "site")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "markdown-raw-html" in result.stderr and "url-unsafe" in result.stderr
    return tmp / "site"


def test_hostile_content_produces_no_script_handler_or_unsafe_url(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text()
        found = _Attrs()
        found.feed(text)
        assert found.handlers == [], page
        assert not [u for u in found.urls if re.match(r"\s*(javascript|data|vbscript):", u, re.I)], page
        assert not [s for s in found.scripts if "pwned" in s], page


def test_hostile_title_is_text_everywhere(hostile_site):
    routine = (hostile_site / "rutiner/akut-skydd/index.html").read_text()
    assert "<script>window.pwned" not in routine
    # YAML decodes "\x3c" to "<": the page shows the characters as text, and the backslashes too.
    assert "<h1" in routine and "&#60;script&#62;window.pwned=1" in routine
    assert "<title>Akut &lt;script&gt;window.pwned=1&lt;/script&gt; C:\\temp\\ - " in routine
    start = (hostile_site / "index.html").read_text()  # the title is in every page's navigation
    assert "<script>window.pwned" not in start


def test_csp_trusts_only_the_themes_scripts(hostile_site):
    import base64
    import hashlib

    from handbook.site.csp import parse

    page = (hostile_site / "rutiner/akut-skydd/index.html").read_text()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    for script in parse(page).scripts:
        digest = "'sha256-" + base64.b64encode(hashlib.sha256(script.body.encode()).digest()).decode() + "'"
        if "pwned" in script.body:
            assert digest not in policy


class _Head(HTMLParser):
    """The <head> as a browser reads it: its meta elements and its title's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.metas, self.title, self.autofocus, self._where = [], "", [], ""

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if "autofocus" in named or any(n.startswith("on") for n in named):
            self.autofocus.append((tag, named))
        if self._where == "title":
            return
        if tag == "meta" and self._where != "body":
            self.metas.append(named)
        self._where = tag if tag in ("title", "body") else self._where

    def handle_endtag(self, tag):
        if tag == "title":
            self._where = "head"

    def handle_data(self, data):
        if self._where == "title":
            self.title += data


def test_hostile_front_matter_stays_data(hostile_site):
    """Issue 19 item 3: title, description and edit_url of a hand-written page are text in the head and in
    attributes: one CSP (ours), no refresh, no autofocus or handler, the title shown as the text written."""
    head = _Head()
    head.feed((hostile_site / "index.html").read_text())
    csp = [m for m in head.metas if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(csp) == 1 and "unsafe-inline" not in csp[0]["content"].split("style-src")[0]
    assert [m for m in head.metas if (m.get("http-equiv") or "").lower() == "refresh"] == []
    assert head.autofocus == []
    assert head.title == "Testhandbok"  # the title with HTML is left out (front-matter-invalid)


def test_static_files_from_content_are_not_served(hostile_site):
    """Issue 19 item 2: a static HTML or scripted SVG from docs/ is refused by the check and, in a build that
    overrides the check, not copied; finish would trust none of its scripts anyway."""
    from handbook.site.finish import finish_page

    for rel in EVIL_FILES:
        assert not (hostile_site / rel.removeprefix("docs/")).exists(), rel
    page = finish_page(EVIL_FILES["docs/evil.html"])
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert "sha256-" not in policy and "unsafe-inline" not in policy.split("style-src")[0]


@given(st.text(alphabet=st.sampled_from(list("ab 1.-*_#=:()[]!<>{}&`|\n    ")), max_size=50))
def test_text_the_check_does_not_parse_has_nothing_to_find(text):
    """The check skips the full Markdown parse for text without any of the characters that can make raw
    HTML, attribute lists, images, headings, entities or reference links: such text really has none."""
    from handbook.check.safety import NEEDS_PARSE
    from handbook.core.refs import find_links

    if not NEEDS_PARSE.search(text):
        parsed = inspect(text)
        # A task-list box ("- [ ]") is the one element it may miss: the restricted render shows it as text.
        assert [f for f in parsed.findings if f.kind != "element" or f.detail != "input"] == []
        written = [link.target for link in find_links(text)]
        assert all(any(url.startswith(w) for w in written) for url in parsed.links), (parsed.links, written)


def test_csv_cells_never_start_a_formula():
    from handbook.render.attachments import _cell

    for payload in ('=HYPERLINK("https://evil")', "+46 8 508 000 00", "-2+3", "@SUM(A1)", "\tx"):
        assert _cell(payload).startswith("'")
    assert _cell("Polisen") == "Polisen"


def test_vcard_values_cannot_start_a_new_property():
    from handbook.render.attachments import _vcard_escape

    assert _vcard_escape("Namn\r\nTEL:112;x,y\\") == "Namn\\nTEL:112\\;x\\,y\\\\"
