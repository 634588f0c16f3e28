"""Read YAML text into PyYAML nodes, turning every YAML mistake into a problem.

We stop at the node tree on purpose: PyYAML's YAML 1.1 typing would turn `1990:52` into
119452, `17:30` into 1050 and `no` into False. Nodes keep the original text and its place;
`handbook.convert` types the values itself. Never raises for bad content.
"""

from __future__ import annotations

import re

import yaml

from handbook.model import Pos
from handbook.problems import Problem, problem

# Tags a plain YAML document can carry. Anything else (!!python/..., !custom, merge keys) is refused.
_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

# PyYAML's English problems, said the way a maintainer can act on them.
_SYNTAX_HINTS = [
    ("mapping values are not allowed", "Ett kolon står på fel ställe. En text som innehåller kolon följt av "
     "mellanslag måste stå inom citattecken."),
    ("could not find expected ':'", "Ett kolon saknas efter fältnamnet, eller så är indraget fel."),
    ("found unexpected end of stream", "Ett citattecken öppnas men stängs aldrig."),
    ("while scanning a quoted scalar", "Ett citattecken öppnas men stängs aldrig."),
    ("expected <block end>", "Indraget är fel: raden står inte i linje med raderna ovanför."),
    ("did not find expected '-' indicator", "Indraget är fel i en lista: raden står inte i linje med listans rader."),
    ("did not find expected key", "Indraget är fel: raden står inte i linje med fälten ovanför."),
    ("that cannot start any token", "Tecknet kan inte stå först i ett värde. Sätt texten inom citattecken."),
    ("found undefined alias", "Ett alias (*namn) pekar på ett ankare som inte finns."),
]


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
    for number, line in enumerate(text.splitlines(), start=1):
        indent = re.match(r"[ \t]*", line).group(0)
        if "\t" in indent:
            found.append(problem("yaml-tab", Pos(file, number, indent.index("\t") + 1),
                                 "Raden är indragen med tabb. Använd mellanslag."))
    return found


def _syntax_problem(file: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    pos = _mark_pos(file, mark) if mark else Pos(file)
    english = " ".join(filter(None, [error.context, error.problem]))
    hint = next((sv for key, sv in _SYNTAX_HINTS if key in english), "Filen följer inte YAML:s regler här.")
    return problem("yaml-syntax", pos, f"{hint} (YAML: {error.problem})")


def _walk(node: yaml.Node, file: str, seen: set[int], found: list[Problem], tags: bool) -> None:
    """Report duplicate keys and (when the text has a "!") non-standard tags; each node once, so
    aliases cannot multiply work."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if tags and node.tag not in _STANDARD_TAGS:
        found.append(problem("yaml-tag", _mark_pos(file, node.start_mark),
                             f'Taggen "{node.tag.replace("tag:yaml.org,2002:", "!!")}" är inte tillåten. '
                             "Ta bort den och skriv värdet som vanlig text."))
    if isinstance(node, yaml.MappingNode):
        first_line: dict[str, int] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in first_line:
                    found.append(problem("yaml-duplicate-key", _mark_pos(file, key.start_mark),
                                         f'Nyckeln "{key.value}" står redan på rad {first_line[key.value]} i samma '
                                         "block. Ta bort en av dem."))
                else:
                    first_line[key.value] = key.start_mark.line + 1
            _walk(key, file, seen, found, tags)
            _walk(value, file, seen, found, tags)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _walk(item, file, seen, found, tags)


def _slow_read(text: str):
    """(root, alias marks, error) from the pure-Python parser."""
    loader = _Loader(text)
    try:
        return loader.get_single_node(), loader.alias_marks, None
    except yaml.YAMLError as error:
        return None, [], error
    finally:
        loader.dispose()


def read_nodes(file: str, data: bytes) -> tuple[yaml.Node | None, list[Problem]]:
    """Parse one file's bytes. Returns the root node (None when unusable) and its problems.

    A file with any YAML-level problem yields no node: its values cannot be trusted.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [problem("file-encoding", Pos(file, data[: error.start].count(b"\n") + 1),
                              "Filen är inte sparad som UTF-8. Spara den som UTF-8 och försök igen.")]
    text = text.removeprefix("\ufeff")
    tabs = _tab_problems(file, text) if "\t" in text else []
    if tabs:
        return None, tabs
    try:
        root = yaml.compose(text, Loader=_FastLoader)
        alias_marks = [e.start_mark for e in yaml.parse(text, Loader=_FastLoader)
                       if isinstance(e, yaml.AliasEvent)] if "&" in text else []  # no anchor, no alias
    except yaml.YAMLError:
        # Read again with the pure-Python parser: its error messages are the ones the hints know.
        root, alias_marks, error = _slow_read(text)
        if error is not None:
            return None, [_syntax_problem(file, error) if isinstance(error, yaml.MarkedYAMLError) else
                          problem("yaml-syntax", Pos(file), f"Filen kan inte läsas som YAML. (YAML: {error})")]
    found = [problem("yaml-alias", _mark_pos(file, m),
                     "Alias (*namn) används inte i handboken. Skriv ut värdet här i stället.")
             for m in alias_marks]
    if root is None or (isinstance(root, yaml.ScalarNode) and root.value.strip() == ""):
        return None, found + [problem("file-empty", Pos(file), "Filen är tom.")]
    _walk(root, file, set(), found, "!" in text or "<<" in text)
    return (None if found else root), found
