"""The published-links guard: a link once published never disappears without an alias."""

from __future__ import annotations

from collections.abc import Iterable

from handbook.check.context import Context
from handbook.core.kinds import ITEM
from handbook.core.model import Pos
from handbook.core.problems import Problem, problem
from handbook.core.published import LINKS_FILE, current_links, parse_links_file, reachable_links


def check(ctx: Context) -> Iterable[Problem]:
    if ctx.published is None:
        return
    listed = parse_links_file(ctx.published)
    reachable = reachable_links(ctx.handbook)
    skipped = {ITEM["routine"].url(rid) for rid in ctx.skipped.ids.get("routine", set())}
    for line, link in listed:
        if link not in reachable and not any(link.startswith(s) for s in skipped):
            yield problem("published-link-removed", Pos(LINKS_FILE, line), f'Länken "{link}" har publicerats men finns '
                          "inte längre. Lägg det gamla id:t under aliases på rutinen eller steget, så att länken "
                          "fortsätter att fungera.")
    known = {link for _, link in listed}
    new = [link for link in current_links(ctx.handbook) if link not in known]
    if new:
        yield problem("published-links-outdated", Pos(LINKS_FILE), f"{len(new)} nya länkar saknas i {LINKS_FILE}, "
                      f'till exempel "{new[0]}". Kör make links för att lägga till dem.')
