"""`handbook finish` and the front matter of hand-written pages against hostile pages (issue 19 items 2 and 3):
finish decides from the parsed page what it trusts, never from a substring."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from handbook.core import frontmatter
from handbook.core.dom import reserved_id
from handbook.core.model import Handbook
from handbook.load import load_handbook
from handbook.render.attachments import redirects
from handbook.render.pages import Renderer
from handbook.site.csp import UnknownLayout, has_policy, parse, policy, trusted_scripts
from handbook.site.finish import finish_page
from helpers import REPO, TESTS, TODAY

FIXTURE = TESTS / "fixture-handbook"

HEAD = '<!doctype html><html><head><meta charset="utf-8">{title}<script>theme()</script></head>'
BODY = (
    '<body><div class="md-content" data-md-component="content"><article class="md-content__inner md-typeset">'
    "{content}</article></div><script>after()</script></body></html>"
)


def themed(content: str = "<p>x</p>", title: str = "<title>T</title>") -> str:
    return HEAD.format(title=title) + BODY.format(content=content)


def csp_of(html: str) -> str:
    return re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)


def test_a_title_with_the_words_of_a_csp_tag_still_gets_the_policy():
    page = themed(title='<title>x&lt;meta http-equiv="Content-Security-Policy"&gt;</title>')
    raw = themed(title='<title>x<meta http-equiv="Content-Security-Policy" content="script-src *"></title>')
    for html in (page, raw):  # a browser reads <title> as text: neither is a meta element
        assert not has_policy(html)
        assert finish_page(html) != html and "'sha256-" in csp_of(finish_page(html))


def test_finish_is_idempotent():
    once = finish_page(themed())
    assert has_policy(once) and finish_page(once) == once


def test_only_the_themes_scripts_are_trusted():
    content = (
        "<script>content()</script></article><script>stray()</script>"
        '<!-- <article class="md-content__inner md-typeset"> --><p>x</p>'
    )
    assert trusted_scripts(themed(content)) == ["theme()", "after()"]
    # A content article named in a comment or an attribute starts nothing.
    fake = HEAD.format(title='<!-- <article class="md-content__inner md-typeset"> -->') + BODY.format(content="x")
    assert trusted_scripts(fake) == ["theme()", "after()"]


def test_a_themed_page_without_its_content_element_is_refused():
    with pytest.raises(UnknownLayout):
        policy('<html><head></head><body><div class="md-content"><script>x()</script></div></body></html>')


def test_a_page_without_the_theme_gets_no_script_but_the_engines_redirect():
    static = '<html><head><meta charset="utf-8"><script>window.pwned=1</script></head><body></body></html>'
    assert trusted_scripts(static) == []
    assert "sha256-" not in csp_of(finish_page(static))
    hb = load_handbook(FIXTURE).handbook
    stubs = redirects(hb)
    assert stubs, "the fixture has a renamed routine"
    for html in stubs.values():
        assert len(trusted_scripts(html)) == 1 and "'sha256-" in csp_of(finish_page(html))
    # The redirect's form with anything else in it is not the engine's.
    assert trusted_scripts('<script>location.replace("x" + location.hash);alert(1)</script>') == []
    assert trusted_scripts('<script>location.replace("x\\" + alert(1) + \\"" + location.hash);</script>') == []


def test_the_csp_goes_into_the_head_not_into_content():
    html = themed(content='<p>&lt;meta charset="utf-8"&gt;</p>')
    done = finish_page(html)
    assert done.index("Content-Security-Policy") < done.index("<body")
    assert parse(done).head_csp


HOSTILE = """---
title: "x<meta http-equiv=\\"Content-Security-Policy\\">"
description: "A & B \\"citat\\""
edit_url: "https://x.example/\\" autofocus onfocus=\\"alert(1)"
template: evil.html
hide: [navigation]
search: {boost: 2}
---

# Sida
"""


def test_front_matter_is_rewritten_with_only_safe_fields():
    text = frontmatter.normalised(HOSTILE)
    body, meta = frontmatter.split(text)
    assert meta == {"description": "A &amp; B &quot;citat&quot;", "hide": ["navigation"], "search": {"boost": 2}}
    assert body.startswith("# Sida")
    mm = frontmatter.normalised("Title: x <b>\nEdit_url: https://ok.example/a\n\n# Sida\n")
    assert frontmatter.split(mm)[1] == {"edit_url": "https://ok.example/a"}


def test_every_id_in_the_engines_parts_of_a_hand_written_page_is_reserved():
    """The DOM contract lists the ids the call-now card and the publication list bring to a hand-written page."""
    hb = load_handbook(REPO).handbook
    renderer = Renderer(hb)
    parts = renderer.call_now("index.md", TODAY) + renderer.blockers_list("index.md")
    ids = set(re.findall(r'\bid="([^"]+)"', parts)) | set(re.findall(r"\{ #([\w-]+)", parts))
    assert ids and all(reserved_id(i) for i in ids), sorted(i for i in ids if not reserved_id(i))
    assert isinstance(hb, Handbook)


@pytest.mark.parametrize("search", [{}, {"boost": 3}, {"boost": 0.5}, {"exclude": True}])
@pytest.mark.parametrize(
    "html",
    [themed(), themed().replace("<body>", "\n\n<body>\n"), themed(content='<article class="md-content__inner">')],
    ids=["one-line", "lines", "content-claims-an-article"],
)
def test_finish_marks_for_the_search_in_its_own_pass_as_the_search_would(html, search):
    """handbook build gives a page its policy and its search marks from one parse; the result is the page that
    finish and then the search's own marking make (the article moved by the policy inserted before it)."""
    from handbook.site.search import mark_page

    assert finish_page(html, search) == mark_page(finish_page(html), search)
    if not search.get("exclude"):
        assert "data-pagefind-body" in finish_page(html, search)


def _site(tmp_path, pages: dict[str, str]):
    site = tmp_path / "site"
    for rel, html in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(html, encoding="utf-8")
    return site


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_a_warm_build_inserts_what_finish_remembered_without_parsing(tmp_path, monkeypatch):
    """handbook build keeps what finish inserted, by the page's whole content; the same page again is finished
    from memory, a changed page is parsed, and a remembered entry of the wrong shape is ignored."""
    from handbook.site import finish

    pages = {"index.html": themed(), "a/index.html": themed("<p>a</p>")}
    search = {"index.html": {"boost": 3}, "a/index.html": {}}
    memory: dict = {}
    assert finish.finish_site(_site(tmp_path / "1", pages), search, memory) == 2
    expected = _files(tmp_path / "1" / "site")
    assert len(memory) == 2

    def no_parse(html, until_content=False):
        raise AssertionError("parsed a page finish remembered")

    monkeypatch.setattr(finish, "parse", no_parse)
    assert finish.finish_site(_site(tmp_path / "2", pages), search, memory) == 2
    assert _files(tmp_path / "2" / "site") == expected

    monkeypatch.undo()
    changed = {**pages, "a/index.html": themed("<p>ny</p>")}
    # The entry of the unchanged start page, made unusable (an offset outside the page): parsed again.
    key = hashlib.sha256((json.dumps({"boost": 3}, sort_keys=True) + "\0" + themed()).encode()).hexdigest()
    assert key in memory
    memory[key] = [[[10**9, "<script>evil()</script>"]], True]
    finish.finish_site(_site(tmp_path / "3", changed), search, memory)
    fresh: dict = {}
    finish.finish_site(_site(tmp_path / "4", changed), search, fresh)
    assert _files(tmp_path / "3" / "site") == _files(tmp_path / "4" / "site")
    assert "evil" not in "".join(_files(tmp_path / "3" / "site").values())
