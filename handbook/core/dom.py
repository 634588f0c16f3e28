"""The engine's DOM contract: the ids and classes that content may never produce.

The engine's script (render/assets/handbook.js), its stylesheet and Material's own script find their
elements by id and class. An element from content with one of those names could stand in for the
engine's (the call-now card's data, Material's `#__config`), or dress content as the engine's (an
"Öppet nu" badge). The check reports every such name that content would produce, whether from an
attribute list, a heading's generated id, an admonition's class or a YAML id that becomes an anchor
(rule `reserved-name`); ARCHITECTURE.md, "The engine's DOM contract", explains it for people.
Pure data and a few predicates; also which files docs/ may serve besides pages.
"""

from __future__ import annotations

import re

# Every id and class with these prefixes belongs to the engine (hb-), to Material (md-, and __ for
# its inputs and configuration: __drawer, __search, __config).
RESERVED_PREFIXES = ("hb-", "md-", "__")
# Ids without the prefix that the engine's generated parts put on pages that also hold hand-written
# content (the call-now card, the district picker and the draft line on the start page, which the draft
# banner links to); published links use them.
RESERVED_IDS = frozenset({"ring-nu", "min-stadsdel", "publicering"})
# Classes without the prefix that the engine's script sets and its stylesheet styles (the card's
# open / closed / unknown badges), and Material's permalink.
RESERVED_CLASSES = frozenset({"is-open", "is-closed", "is-unknown", "headerlink"})


def reserved_id(name: str) -> bool:
    return name.startswith(RESERVED_PREFIXES) or name in RESERVED_IDS


def reserved_class(name: str) -> bool:
    return name.startswith(RESERVED_PREFIXES) or name in RESERVED_CLASSES


# --- What docs/ may serve besides pages ------------------------------------------------------------
# A file the browser can run script from (HTML, XHTML, XML, JavaScript) is never served from content:
# it would run on the site's origin. Only these kinds are copied as they are; an SVG only when it is a
# plain drawing (svg_problem). The engine's vendored files are the one exception, pinned by hash so
# that content cannot change them or add a file beside them.
STATIC_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".txt", ".csv", ".json", ".yaml", ".yml", ".svg"}
)
VENDORED = {
    "assets/vendor/iframe-worker/shim.js": "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609",
    "assets/vendor/iframe-worker/LICENSE": "dd69737a4768aab9f934a5aed9efab9561ac4062d4fdbe490d44369a2cf48b6b",
}
# The SVG elements a drawing needs; nothing that runs script, loads anything or embeds other markup.
SVG_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "title",
        "desc",
        "defs",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "symbol",
        "marker",
        "pattern",
    }
)
SVG_NS = "{http://www.w3.org/2000/svg}"


def svg_problem(data: bytes) -> str | None:
    """Why an SVG file is not a plain drawing (Swedish, for the maintainer), or None when it is one.

    An allow-list: only drawing elements in the SVG namespace, no event attributes, no link of any kind
    (href), no DOCTYPE or entities. Opened directly, an SVG is a document that runs its scripts."""
    import xml.etree.ElementTree as ET  # noqa: PLC0415 (only needed for the rare SVG)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return "är inte sparad som UTF-8"
    if "<!" in text.replace("<!--", "").replace("<![CDATA[", "") or re.search(r"<\?(?!xml\s)", text):
        return "har en DOCTYPE, egna entiteter eller en instruktion (<?…?>)"
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return "går inte att läsa som SVG"
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag.startswith(SVG_NS) or tag[len(SVG_NS) :] not in SVG_ELEMENTS:
            return f"har elementet <{tag.rsplit('}', 1)[-1][:30]}>, som inte hör till en enkel bild"
        for name in element.attrib:
            local = name.rsplit("}", 1)[-1].lower()
            value = element.attrib[name].lower()
            # A style may colour a drawing; it may not load anything (url(), @import) or escape (\\).
            if (
                local.startswith("on")
                or local == "href"
                or (local == "style" and any(bad in value for bad in ("url(", "@", "\\", "expression")))
            ):
                return f'har attributet "{local[:30]}", som inte hör till en enkel bild'
    return None
