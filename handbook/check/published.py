"""The published-links guard: a link once published never disappears without an alias."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from handbook.check.context import Context
from handbook.core.kinds import ITEM, ITEM_KINDS
from handbook.core.model import Pos
from handbook.core.paths import PAGE, folder_url
from handbook.core.problems import Problem, problem, quoted
from handbook.core.published import LINKS_FILE, current_links, parse_links_file, reachable_links, short_url


def check(ctx: Context) -> Iterable[Problem]:
    if (ctx.published is None and ctx.base_published is None) or "routine" in ctx.skipped.unreadable:
        return  # no links, or no routines could be read at all (a base that is missing): nothing to judge
    reachable = reachable_links(ctx.handbook, ctx.pages)
    unjudged = _unjudged(ctx)

    def removed(text: str) -> Iterable[tuple[int, str]]:
        for line, link in parse_links_file(text):
            if link not in reachable and not unjudged(link):
                yield line, link

    # A base's links were published by the base's site; a local site built on it keeps them working.
    if ctx.base_published is not None:
        file, text = ctx.base_published
        for line, link in removed(text):
            yield problem(
                "published-link-removed",
                Pos(file, line),
                f'Länken "{quoted(link)}" har publicerats av '
                "grundhandboken men finns inte i den här handboken. Grunden har troligen tagit bort ett id "
                "utan att lägga det under aliases. Be grundens förvaltare att lägga tillbaka id:t som "
                "alias, eller lås grunden vid den tidigare versionen.",
            )
    if ctx.published is None:
        return  # the base's file lists only the base's links: new local links are not its business
    listed = parse_links_file(ctx.published)
    # The addresses of generated pages: a kind's own page, every item's pages (those have aliases), the changes.
    generated = tuple(
        dict.fromkeys(
            [
                *(kind.index_url for kind in ITEM_KINDS),
                *(folder_url(p) for kind in ITEM_KINDS for p in kind.also),
                PAGE["changes"].url(),
            ]
        )
    )
    for line, link in removed(ctx.published):
        if link.startswith(generated):
            fix = "Lägg det gamla id:t under aliases på rutinen eller steget, så att länken fortsätter att fungera."
        else:  # a hand-written page's address: pages have no aliases
            fix = (
                f"Sidan kom från docs/{quoted(link.strip('/') or 'index')}.md (eller index.md i mappen). Lägg tillbaka "
                "sidan, eller låt en sida med samma adress berätta var innehållet finns nu."
            )
        yield problem(
            "published-link-removed",
            Pos(LINKS_FILE, line),
            f'Länken "{quoted(link)}" har publicerats men finns inte längre. {fix}',
        )
    known = {link for _, link in listed}
    if ctx.base_published is not None:
        known |= {link for _, link in parse_links_file(ctx.base_published[1])}  # the base guards those already
    new = [link for link in current_links(ctx.handbook, ctx.pages) if link not in known]
    if new:
        yield problem(
            "published-links-outdated",
            Pos(LINKS_FILE),
            f"{len(new)} nya länkar saknas i {LINKS_FILE}, "
            f'till exempel "{new[0]}". Kör make links för att lägga till dem.',
        )


def _unjudged(ctx: Context) -> Callable[[str], bool]:
    """Whether a link leads to something that failed to load: its file already has the one message."""
    skipped = ctx.skipped
    prefixes = [ITEM[kind].index_url for kind in skipped.unreadable]
    exact: set[str] = set()
    for kind, ids in skipped.ids.items():
        for item_id in ids:
            # A routine's or role's page and every anchor on it; an anchor-only item (the anchor) exactly.
            (exact.add if ITEM[kind].anchor_only else prefixes.append)(ITEM[kind].url(item_id))
            if kind == "routine":
                exact.add(short_url(item_id))
    exact |= {f"{ITEM['routine'].url(rid)}#{sid}" for rid, sids in skipped.steps.items() for sid in sids}
    return lambda link: link in exact or link.startswith(tuple(prefixes))
