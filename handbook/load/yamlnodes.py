"""Read YAML text into PyYAML nodes, turning every YAML mistake into a problem.

We stop at the node tree on purpose: PyYAML's YAML 1.1 typing would turn `1990:52` into
119452, `17:30` into 1050 and `no` into False. Nodes keep the original text and its place;
`handbook.load.convert` types the values itself. Never raises for bad content.
"""

from __future__ import annotations

import re

import yaml

from handbook.core.model import Pos
from handbook.core.problems import Problem, problem

# Tags a plain YAML document can carry. Anything else (!!python/..., !custom, merge keys) is refused.
_STANDARD_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}

# PyYAML's English problems, said the way a maintainer can act on them.
_SYNTAX_HINTS = [
    (
        "mapping values are not allowed",
        "Ett kolon står på fel ställe. En text som innehåller kolon följt av mellanslag måste stå inom citattecken.",
    ),
    ("could not find expected ':'", "Ett kolon saknas efter fältnamnet, eller så är indraget fel."),
    ("found unexpected end of stream", "Ett citattecken öppnas men stängs aldrig."),
    ("while scanning a quoted scalar", "Ett citattecken öppnas men stängs aldrig."),
    ("expected <block end>", "Indraget är fel: raden står inte i linje med raderna ovanför."),
    ("did not find expected '-' indicator", "Indraget är fel i en lista: raden står inte i linje med listans rader."),
    ("did not find expected key", "Indraget är fel: raden står inte i linje med fälten ovanför."),
    ("that cannot start any token", "Tecknet kan inte stå först i ett värde. Sätt texten inom citattecken."),
    ("found undefined alias", "Ett alias (*namn) pekar på ett ankare som inte finns."),
    ("maximum nesting depth", "Listor och block ligger i för många nivåer inuti varandra."),
]

# How many lists and blocks may lie inside each other. The handbook's files need about six levels;
# far deeper nesting is a mistake or an attack, and Python's recursion would give up on it.
MAX_DEPTH = 30
_TOO_DEEP = (
    f"Listor och block ligger i fler än {MAX_DEPTH} nivåer inuti varandra. Handbokens filer behöver bara "
    "några få nivåer: kontrollera hakparenteser och indrag."
)

# Control characters (C0 except tab and line breaks, DEL, C1) and the two non-characters YAML
# refuses: none of them shows in an editor, and YAML cannot read most of them.
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
# Invisible characters: every Unicode format character (Cf: bidi controls, zero-width characters,
# soft hyphen, BOM, tag characters …) and the line and paragraph separators. A reviewer reading the
# YAML cannot see them, and bidi controls can make text show differently from how it reads
# ("Trojan Source"). The no-break space U+00A0 (as in "114 14") is ordinary text and allowed.
_INVISIBLE = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
BAD_CHARACTER = re.compile(f"[{_CONTROL}{_INVISIBLE}]")
_CONTROL_CHARACTER = re.compile(f"[{_CONTROL}]")
# At most this many character problems per file: a binary file should not give thousands of lines.
_CHARACTER_LIMIT = 10
_LINE_BREAK = re.compile(r"\r\n?|\n")


# How much of a long value a message repeats.
_QUOTE_LENGTH = 80


def quote(text: str) -> str:
    """A value as a message shows it: cut short when long, so that one bad value cannot flood the report."""
    return text if len(text) <= _QUOTE_LENGTH else text[:_QUOTE_LENGTH] + "…"


def _character_name(ch: str) -> str:
    """U+XXXX and what the character is, in Swedish."""
    code = ord(ch)
    if code == 0x00:
        what = "nolltecken"
    elif code == 0x0B:
        what = "vertikal tabb, Words radbrytning"
    elif code == 0x0C:
        what = "sidbrytning"
    elif 0x80 <= code <= 0x9F:
        what = "C1-styrtecken, ofta från fel teckenkodning"
    elif code in (0xFFFE, 0xFFFF):
        what = "icke-tecken"
    elif code < 0x20 or code == 0x7F:
        what = "styrtecken"
    elif code == 0xAD:
        what = "mjukt bindestreck"
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069 or code in (0x200E, 0x200F, 0x061C):
        what = "styr åt vilket håll texten visas"
    elif 0x200B <= code <= 0x200D or code in (0x2060, 0xFEFF):
        what = "osynligt tecken utan bredd"
    elif code in (0x2028, 0x2029):
        what = "osynlig rad- eller styckebrytning"
    else:
        what = "osynligt formateringstecken"
    return f"U+{code:04X} ({what})"


def _character_problem(file: str, ch: str, pos: Pos, escaped: bool = False) -> Problem:
    name = _character_name(ch)
    written = " Det är skrivet som en escape-sekvens (\\…) i citattecken, men hamnar ändå i texten." if escaped else ""
    if _CONTROL_CHARACTER.match(ch):
        return problem(
            "control-character",
            pos,
            f"Styrtecknet {name} står här.{written} Det syns inte i de flesta "
            "redigerare och kan inte stå i handboken. Ta bort det, eller byt det mot en vanlig "
            "radbrytning eller ett mellanslag.",
        )
    return problem(
        "invisible-character",
        pos,
        f"Det osynliga tecknet {name} står här.{written} Den som granskar "
        "ändringen kan inte se det, och det kan få texten att visas på ett annat sätt än den står. "
        "Ta bort det.",
    )


def place(file: str, text: str, index: int) -> Pos:
    """The line and column of a character of text; \\r\\n, \\r and \\n each end a line, as in YAML."""
    before = text[:index]
    line = 1 + len(_LINE_BREAK.findall(before)) if ("\r" in before) else 1 + before.count("\n")
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return Pos(file, line, index - start + 1)


def character_problems(file: str, text: str) -> list[Problem]:
    """Control and invisible characters in text, each at its line and column."""
    if not BAD_CHARACTER.search(text):
        return []
    matches = list(BAD_CHARACTER.finditer(text))
    found = [_character_problem(file, m.group(0), place(file, text, m.start())) for m in matches[:_CHARACTER_LIMIT]]
    if len(matches) > _CHARACTER_LIMIT:
        last = found[-1]
        found[-1] = problem(
            last.code,
            last.pos,
            f"{last.message} Filen har {len(matches) - _CHARACTER_LIMIT} sådana tecken till längre ner.",
        )
    return found


def decode(file: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 bytes -> text without a leading BOM, or None and a placed file-encoding problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        good = data[: error.start].decode("utf-8")
        line = place(file, good, len(good)).line
        return None, [
            problem(
                "file-encoding", Pos(file, line), "Filen är inte sparad som UTF-8. Spara den som UTF-8 och försök igen."
            )
        ]
    return text.removeprefix("\ufeff"), []


def _mark_pos(file: str, mark) -> Pos:
    return Pos(file, mark.line + 1, mark.column + 1)


class _TextResolver(yaml.resolver.BaseResolver):
    """Resolve every untagged value to text: we type values ourselves, so YAML 1.1 guessing is wasted work."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            # A plain << is YAML 1.1's merge key: keep its tag so that it is refused like other tags.
            return "tag:yaml.org,2002:merge" if value == "<<" and implicit[0] else "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class _FastLoader(CParser, yaml.constructor.SafeConstructor, _TextResolver):
        """libyaml's parser (about 20 times faster than PyYAML's own), same nodes and marks."""

        def __init__(self, stream) -> None:
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _TextResolver.__init__(self)
else:  # PyYAML built without libyaml
    _FastLoader = yaml.SafeLoader


class _Loader(yaml.SafeLoader):
    """A SafeLoader composer that remembers where aliases were used."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.alias_marks: list = []

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.alias_marks.append(self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _tab_problems(file: str, text: str) -> list[Problem]:
    found = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):  # lines as YAML and editors count them
        indent = re.match(r"[ \t]*", line).group(0)
        if "\t" in indent:
            found.append(
                problem(
                    "yaml-tab",
                    Pos(file, number, indent.index("\t") + 1),
                    "Raden är indragen med tabb. Använd mellanslag.",
                )
            )
    return found


def _syntax_problem(file: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    pos = _mark_pos(file, mark) if mark else Pos(file)
    english = " ".join(filter(None, [error.context, error.problem]))
    hint = next((sv for key, sv in _SYNTAX_HINTS if key in english), "Filen följer inte YAML:s regler här.")
    return problem("yaml-syntax", pos, f"{hint} (YAML: {error.problem})")


def _walk(root: yaml.Node, file: str, found: list[Problem], tags: bool, escapes: bool) -> None:
    """Report nesting deeper than MAX_DEPTH, duplicate keys, (when the text has a "!") non-standard
    tags and (when it has a double-quoted escape) escaped control or invisible characters. Each node
    once, so aliases cannot multiply work; a loop, not recursion, so depth cannot crash it."""
    seen: set[int] = set()
    todo: list[tuple[yaml.Node, int]] = [(root, 1)]
    while todo:
        node, depth = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            found.append(problem("yaml-syntax", _mark_pos(file, node.start_mark), _TOO_DEEP))
            return
        if tags and node.tag not in _STANDARD_TAGS:
            found.append(
                problem(
                    "yaml-tag",
                    _mark_pos(file, node.start_mark),
                    f'Taggen "{quote(node.tag.replace("tag:yaml.org,2002:", "!!"))}" är inte tillåten. '
                    "Ta bort den och skriv värdet som vanlig text.",
                )
            )
        if isinstance(node, yaml.ScalarNode):
            if escapes and node.style == '"' and (bad := BAD_CHARACTER.search(node.value)):
                found.append(_character_problem(file, bad.group(0), _mark_pos(file, node.start_mark), escaped=True))
        elif isinstance(node, yaml.MappingNode):
            first_line: dict[str, int] = {}
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in first_line:
                        found.append(
                            problem(
                                "yaml-duplicate-key",
                                _mark_pos(file, key.start_mark),
                                f'Nyckeln "{quote(key.value)}" står redan på rad '
                                f"{first_line[key.value]} i samma block. Ta bort en av dem.",
                            )
                        )
                    else:
                        first_line[key.value] = key.start_mark.line + 1
            # Reversed, so that the loop visits nodes in the order they are written.
            todo.extend((child, depth + 1) for pair in reversed(node.value) for child in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((child, depth + 1) for child in reversed(node.value))


def _slow_read(text: str, fast_error: yaml.YAMLError):
    """(root, alias marks, error) from the pure-Python parser; its recursion gives up long before
    libyaml's nesting limit, and then libyaml's own error is the one to show."""
    try:
        loader = _Loader(text)
    except yaml.YAMLError as error:
        return None, [], error
    try:
        return loader.get_single_node(), loader.alias_marks, None
    except yaml.YAMLError as error:
        return None, [], error
    except RecursionError:
        return None, [], fast_error
    finally:
        loader.dispose()


def _too_deep(file: str, text: str) -> Problem:
    """Where nesting first goes deeper than MAX_DEPTH, found from the (non-recursive) event stream."""
    depth, pos = 0, Pos(file)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    pos = _mark_pos(file, event.start_mark)
                    break
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return problem("yaml-syntax", pos, _TOO_DEEP)


def _error_problem(file: str, text: str, error: yaml.YAMLError) -> Problem:
    if isinstance(error, yaml.MarkedYAMLError):
        return _syntax_problem(file, error)
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML refuses (normally found before parsing)
        return _character_problem(
            file,
            chr(error.character) if isinstance(error.character, int) else "\x00",
            place(file, text, error.position),
        )
    return problem("yaml-syntax", Pos(file), "Filen kan inte läsas som YAML.")


def read_nodes(file: str, data: bytes) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse one file's bytes. Returns the root node (None when unusable) and its problems.

    A file with any YAML-level problem yields no node: its values cannot be trusted.
    """
    text, found = decode(file, data)
    if text is None:
        return None, found
    found = character_problems(file, text)
    found += _tab_problems(file, text) if "\t" in text else []
    if found:
        return None, found
    try:
        try:
            root = yaml.compose(text, Loader=_FastLoader)
            alias_marks = (
                [e.start_mark for e in yaml.parse(text, Loader=_FastLoader) if isinstance(e, yaml.AliasEvent)]
                if "&" in text
                else []
            )  # no anchor, no alias
        except yaml.YAMLError as fast_error:
            # Read again with the pure-Python parser: its error messages are the ones the hints know.
            # Not past libyaml's nesting limit: PyYAML would take a second to reach its own.
            too_deep = "maximum nesting depth" in str(getattr(fast_error, "problem", ""))
            root, alias_marks, error = (None, [], fast_error) if too_deep else _slow_read(text, fast_error)
            if error is not None:
                return None, [_error_problem(file, text, error)]
    except RecursionError:  # only without libyaml, whose parser stops at its own nesting limit
        return None, [_too_deep(file, text)]
    found = [
        problem(
            "yaml-alias", _mark_pos(file, m), "Alias (*namn) används inte i handboken. Skriv ut värdet här i stället."
        )
        for m in alias_marks
    ]
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value.strip() == ""):
        return None, found + [problem("file-empty", Pos(file), "Filen är tom.")]
    _walk(root, file, found, "!" in text or "<<" in text, '"' in text and "\\" in text)
    return (None if found else root), found
