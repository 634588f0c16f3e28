"""The engine's settings in mkdocs.yml `extra:`, judged where they are written.

A second city's handbook sets its own words and numbers there (the contacts page's heading for the city's
units, the search weight of a routine, the numbers on every short version, what a page says where a number is
missing). Render falls back to the engine's neutral default for a value it cannot use; this module makes sure
such a value never passes silently: a value of the wrong shape is a placed problem here, and every id a setting
names is handed to the check (`SettingRefs`), which reports an unknown one like any other reference.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Iterator

import yaml

from handbook.core.model import Contact, Pos, Ref
from handbook.core.phones import parse_phone
from handbook.core.problems import Problem, problem

CONTACT_KIND_NAMES = typing.get_args(typing.get_type_hints(Contact)["kind"])
# (item kind, reference): ids the settings name, judged by check/references.py.
SettingRefs = list[tuple[str, Ref]]


def extra_settings(config_file: str, text: str) -> tuple[list[Problem], SettingRefs]:
    """Problems in the engine's `extra:` settings of a config text, and the ids they name."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)  # nodes only: MkDocs' own tags need no support
    except yaml.YAMLError:
        return [], []  # MkDocs reports its own config's syntax
    extra = _get(node, "extra")
    if not isinstance(extra, yaml.MappingNode):
        return [], []
    judge = _Judge(config_file)
    for key, value in extra.value:
        check = _SETTINGS.get(key.value)
        if check is not None:
            check(judge, value)
    return judge.problems, judge.refs


class _Judge:
    def __init__(self, config_file: str) -> None:
        self.file = config_file
        self.problems: list[Problem] = []
        self.refs: SettingRefs = []

    def pos(self, node: yaml.Node) -> Pos:
        return Pos(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def wrong(self, node: yaml.Node, where: str, should: str) -> None:
        self.problems.append(
            problem(
                "config-setting-invalid",
                self.pos(node),
                f"extra.{where} i {self.file} {should} Handboken använder annars sitt eget standardvärde.",
            )
        )

    def text(self, node: yaml.Node, where: str) -> bool:
        if isinstance(node, yaml.ScalarNode) and node.value.strip():
            return True
        self.wrong(node, where, "ska vara en text.")
        return False

    def ids(self, node: yaml.Node, where: str) -> Iterator[yaml.ScalarNode]:
        if not isinstance(node, yaml.SequenceNode):
            self.wrong(node, where, "ska vara en lista, till exempel [a, b].")
            return
        for item in node.value:
            if self.text(item, where):
                yield item


def _get(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _missing_number(judge: _Judge, node: yaml.Node) -> None:
    if not isinstance(node, yaml.MappingNode):
        judge.wrong(node, "missing_number", "ska ha text, contact, ask, kinds och except.")
        return
    for key, value in node.value:
        where = f"missing_number.{key.value}"
        if key.value in ("text", "ask"):
            judge.text(value, where)
        elif key.value == "contact" and judge.text(value, where):
            judge.refs.append(("contact", Ref(value.value, judge.pos(value))))
        elif key.value == "kinds":
            for kind in judge.ids(value, where):
                if kind.value not in CONTACT_KIND_NAMES:
                    judge.wrong(kind, where, f'nämner "{kind.value}", som inte är en sorts kontakt ({_names()}).')
        elif key.value == "except":
            judge.refs.extend(("contact", Ref(c.value, judge.pos(c))) for c in judge.ids(value, where))
        else:
            judge.wrong(key, where, "är ingen inställning. Det finns text, contact, ask, kinds och except.")


def _contact_kinds(judge: _Judge, node: yaml.Node) -> None:
    if not isinstance(node, yaml.MappingNode):
        judge.wrong(node, "contact_kinds", "ska para ihop en sorts kontakt med en rubrik, till exempel city-unit: X.")
        return
    for key, value in node.value:
        if key.value not in CONTACT_KIND_NAMES:
            judge.wrong(key, "contact_kinds", f'nämner "{key.value}", som inte är en sorts kontakt ({_names()}).')
        else:
            judge.text(value, f"contact_kinds.{key.value}")


def _search_boost(judge: _Judge, node: yaml.Node) -> None:
    if not isinstance(node, yaml.MappingNode):
        judge.wrong(node, "search_boost", "ska para ihop en rutins id med en vikt, till exempel forsta-atgarder: 3.")
        return
    for key, value in node.value:
        judge.refs.append(("routine", Ref(key.value, judge.pos(key))))
        if not (isinstance(value, yaml.ScalarNode) and value.style is None and _positive(value.value)):
            judge.wrong(value, f"search_boost.{key.value}", "ska vara ett tal större än 0, till exempel 3 eller 0.5.")


def _urgent_numbers(judge: _Judge, node: yaml.Node) -> None:
    if not isinstance(node, yaml.SequenceNode):
        judge.wrong(node, "urgent_numbers", "ska vara en lista med text och number för varje nummer.")
        return
    for entry in node.value:
        text, number = _get(entry, "text"), _get(entry, "number")
        if text is None or number is None:
            judge.wrong(entry, "urgent_numbers", "ska ha både text och number för varje nummer.")
            continue
        judge.text(text, "urgent_numbers.text")
        if not (isinstance(number, yaml.ScalarNode) and parse_phone(number.value)):
            judge.wrong(number, "urgent_numbers.number", 'ska vara ett telefonnummer, till exempel "112".')


def _positive(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return 0 < value < math.inf


def _names() -> str:
    return ", ".join(CONTACT_KIND_NAMES)


_SETTINGS = {
    "missing_number": _missing_number,
    "contact_kinds": _contact_kinds,
    "search_boost": _search_boost,
    "urgent_numbers": _urgent_numbers,
}
