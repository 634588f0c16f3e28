"""Type YAML nodes into model records by reading the model's field annotations.

Every scalar arrives as the text the maintainer wrote; this module decides what it means
(`1990:52` stays an SFS number, `17:30` a clock time, `no` a language code). Problems are
collected, never raised. A record with a broken required field is dropped and its id
remembered, so that references to it do not cause a second wave of errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import types
import typing
from typing import Annotated, Any, Literal

import yaml

from handbook.core.fields import is_required, record_fields, shape
from handbook.core.kinds import ITEM, VALUE_KINDS
from handbook.core.model import ID_PATTERN, Duration, Kind, Pos, Ref
from handbook.core.problems import Problem, problem
from handbook.core.walk import record_values
from handbook.load.yamlnodes import quote

_INVALID = object()
# At most four digits per part: P9999D is already far longer than any deadline.
DURATION = re.compile(r"P(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,4})D)?(?:T(\d{1,4})H)?")
# An id becomes part of a web address and a file name; the longest real id is about 35 characters.
MAX_ID_LENGTH = 60
# Dates outside these years are typing mistakes, and date arithmetic near year 1 or 9999 overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _pos(file: str, node: yaml.Node) -> Pos:
    return Pos(file, node.start_mark.line + 1, node.start_mark.column + 1)


class Converter:
    """Converts the nodes of one file; `problems` collects what went wrong."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        self.skipped_ids: set[str] = set()
        # (item kind, reference) found in records that could not be built: still judged by check, so that a
        # wrong id there is reported now, not on the run after the record is repaired.
        self.orphan_refs: list[tuple[str, Ref]] = []
        # (record's place, field name) of optional fields whose written value was rejected (and reported):
        # check must not call such a field missing.
        self.rejected: set[tuple[Pos, str]] = set()

    def report(self, code: str, node: yaml.Node, message: str) -> object:
        self.problems.append(problem(code, _pos(self.file, node), message))
        return _INVALID

    def record(self, cls: type, node: yaml.Node, what: str) -> Any:
        """A dataclass record from a mapping node, or None when it cannot be built."""
        if not isinstance(node, yaml.MappingNode):
            self.report(
                "field-type", node, f"{what} ska vara ett block med fält (namn: värde), inte {_describe(node)}."
            )
            return None
        fields = record_fields(cls)
        names = [name for name, _, _ in fields]
        given = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.report("field-type", key, f"Ett fältnamn ska vara en enkel text, inte {_describe(key)}.")
        values: dict[str, Any] = {}
        where: dict[str, Pos] = {}
        broken = False
        for key, _ in given.values():
            if key.value not in names:
                close = difflib.get_close_matches(key.value, names, n=1, cutoff=0.6)
                hint = f' Menade du "{close[0]}"?' if close else f" Tillåtna fält: {', '.join(names)}."
                self.report("field-unknown", key, f'Okänt fält "{quote(key.value)}".{hint}')
        for name, tp, f in fields:
            if name not in given or _is_null(given[name][1]):
                if is_required(f):
                    at_node = given[name][0] if name in given else node
                    self.report("field-missing", at_node, f'{what} saknar fältet "{name}": {f.metadata["doc"]}')
                    broken = True
                continue
            value_node = given[name][1]
            where[name] = _content_pos(self.file, value_node)
            value = self.value(tp, value_node, f'Fältet "{name}"', f.metadata)
            if value is _INVALID:
                broken = broken or is_required(f)
                self.rejected.add((_pos(self.file, node), name))
                continue
            values[name] = value
        if broken:
            self.orphan_refs += _refs(fields, values)
            id_node = given.get("id", (None, None))[1]
            if isinstance(id_node, yaml.ScalarNode):
                self.skipped_ids.add(id_node.value)
            return None
        return cls(**values, pos=_pos(self.file, node), where=where)

    def value(self, tp: Any, node: yaml.Node, what: str, meta: typing.Mapping) -> Any:
        """Convert one node to the annotated type, or report and return the invalid marker."""
        origin, args = shape(tp)
        if origin is types.UnionType or origin is typing.Union:  # X | None
            inner = next(a for a in args if a is not type(None))
            return self.value(inner, node, what, meta)
        if origin is list:
            if not isinstance(node, yaml.SequenceNode):
                return self.report(
                    "field-type", node, f"{what} ska vara en lista (rader som börjar med -), inte {_describe(node)}."
                )
            (item_tp,) = args
            items = [
                self.value(item_tp, item, f"{what}, rad {i + 1} i listan,", meta) for i, item in enumerate(node.value)
            ]
            return [i for i in items if i is not _INVALID and i is not None]
        if dataclasses.is_dataclass(tp) and tp not in (Ref, Duration):
            made = self.record(tp, node, what)
            return _INVALID if made is None else made
        if not isinstance(node, yaml.ScalarNode):
            return self.report("field-type", node, f"{what} ska vara ett enkelt värde, inte {_describe(node)}.")
        if origin is Literal:
            return self._literal(args, node, what)
        for typed, convert in (
            (Ref, self._ref),
            (bool, self._bool),
            (int, self._int),
            (dt.date, self._date),
            (Duration, self._duration),
        ):
            if tp is typed:
                return convert(node, what, meta)
        return self._text(args[1] if origin is Annotated else None, node, what)

    def _literal(self, options: tuple, node: yaml.ScalarNode, what: str) -> Any:
        text = node.value
        if text in options:
            return text
        close = difflib.get_close_matches(text, options, n=1)
        hint = f' Menade du "{close[0]}"?' if close else ""
        return self.report(
            "value-invalid",
            node,
            f'{what} har värdet "{quote(text)}", som inte är tillåtet.{hint} Välj ett av: {", ".join(options)}.',
        )

    def _ref(self, node: yaml.ScalarNode, what: str, meta: typing.Mapping) -> Any:
        text = node.value
        if (invalid := self._id(node, what)) is not None:
            return invalid
        if not re.fullmatch(ID_PATTERN, text):
            return self.report(
                "id-format",
                node,
                f'{what}: "{quote(text)}" är inte ett giltigt id. Id skrivs '
                "med små bokstäver a–z, siffror och bindestreck.",
            )
        return Ref(text, _pos(self.file, node))

    def _bool(self, node: yaml.ScalarNode, what: str, meta: typing.Mapping) -> Any:
        if node.value in ("true", "false"):
            return node.value == "true"
        return self.report("value-invalid", node, f'{what} ska vara true eller false, inte "{quote(node.value)}".')

    def _int(self, node: yaml.ScalarNode, what: str, meta: typing.Mapping) -> Any:
        text = node.value
        if not re.fullmatch(r"\d{1,6}", text):
            return self.report("value-invalid", node, f'{what} ska vara ett heltal, inte "{quote(text)}".')
        number = int(text)
        low, high = meta.get("minimum"), meta.get("maximum")
        if (low is not None and number < low) or (high is not None and number > high):
            return self.report("value-invalid", node, f"{what} ska vara mellan {low} och {high}, inte {number}.")
        return number

    def _date(self, node: yaml.ScalarNode, what: str, meta: typing.Mapping) -> Any:
        text = node.value
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError
            day = dt.date.fromisoformat(text)
        except ValueError:
            return self.report(
                "date-format",
                node,
                f'{what} har datumet "{quote(text)}", som inte är ett '
                "giltigt datum. Skriv ÅÅÅÅ-MM-DD, till exempel 2026-11-27.",
            )
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            return self.report(
                "date-format",
                node,
                f'{what} har datumet "{text}". Året {day.year} kan inte '
                f"stämma: skriv ett datum mellan {FIRST_YEAR} och {LAST_YEAR}.",
            )
        return day

    def _duration(self, node: yaml.ScalarNode, what: str, meta: typing.Mapping) -> Any:
        text = node.value
        match = DURATION.fullmatch(text)
        if not match or text in ("P", "PT"):
            return self.report(
                "value-invalid",
                node,
                f'{what} har tidsgränsen "{quote(text)}". Skriv den som '
                "PT0H (genast), PT24H (24 timmar), P14D (14 dagar), P1W (en vecka) eller P4M.",
            )
        months, weeks, days, hours = (int(g or 0) for g in match.groups())
        return Duration(text, months=months, days=weeks * 7 + days, hours=hours)

    def _text(self, kind: Any, node: yaml.ScalarNode, what: str) -> Any:
        """Text, judged by its value kind's pattern when the loader is the one to judge it (core.kinds)."""
        text = node.value
        if kind == Kind.ID and (invalid := self._id(node, what)) is not None:
            return invalid
        value_kind = VALUE_KINDS.get(kind)
        # The loader judges the kinds whose pattern says it all; a check rule judges the others (URLs, e-mail).
        if value_kind and value_kind.reported_by == "load" and not value_kind.matches(text):
            return self.report(
                value_kind.rule, node, f'{what}: "{quote(text)}" är inte {value_kind.noun}. {value_kind.hint}'
            )
        return text

    def _id(self, node: yaml.ScalarNode, what: str) -> object | None:
        """The invalid marker (and a problem) when an id is too long to be part of a web address."""
        if len(node.value) > MAX_ID_LENGTH:
            return self.report(
                "id-format",
                node,
                f'{what}: id:t "{quote(node.value)}" är {len(node.value)} tecken '
                f"långt. Ett id får vara högst {MAX_ID_LENGTH} tecken, eftersom det blir en del av "
                "webbadressen.",
            )
        return None


def _refs(fields: list, values: dict[str, Any]) -> list[tuple[str, Ref]]:
    """(item kind, reference) of every reference in the converted values of a record that could not be built,
    nested records walked as core.walk walks every record."""
    found: list[tuple[str, Ref]] = []
    for name, _, f in fields:
        given = values.get(name)
        for value in given if isinstance(given, list) else [given]:
            # Item kinds only: step ids (next: to:) are judged within their routine.
            if isinstance(value, Ref) and f.metadata.get("ref") in ITEM:
                found.append((f.metadata["ref"], value))
            elif dataclasses.is_dataclass(value) and hasattr(value, "where"):
                found += [
                    (v.ref, v.value) for v in record_values(value, None) if isinstance(v.value, Ref) and v.ref in ITEM
                ]
    return found


def _content_pos(file: str, node: yaml.Node) -> Pos:
    """Where a value's text starts; a block scalar (| or >) starts on the line after its indicator."""
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        return Pos(file, node.start_mark.line + 2, node.start_mark.column + 1)
    return _pos(file, node)


def _is_null(node: yaml.Node) -> bool:
    """An empty value (`field:`) or an unquoted null; a quoted "null" is text."""
    return isinstance(node, yaml.ScalarNode) and not node.style and node.value in ("", "~", "null", "Null", "NULL")


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "ett block med fält"
    if isinstance(node, yaml.SequenceNode):
        return "en lista"
    return f'texten "{quote(node.value)}"'
