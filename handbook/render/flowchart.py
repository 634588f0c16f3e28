"""Draw a routine's step graph as an inline SVG at build time.

Made from the same `next` data as the step list, so the two can never disagree. No JavaScript,
no diagram library, nothing fetched: it renders offline, prints, and weighs a few kilobytes.
Layout: steps stacked in their order; an edge to the following step is a straight arrow, every
other edge runs in its own lane (forward edges on the right, loops back on the left).
"""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass

from handbook.core.model import Routine

BOX_W, LINE_H, PAD, GAP = 340, 18, 10, 34
LANE = 14
LEFT = 20
LABEL_W = 190
WRAP = 36
LABEL_WRAP = 30


@dataclass(frozen=True)
class _Box:
    y: float
    h: float

    @property
    def mid(self) -> float:
        return self.y + self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h


LABEL_LINE = 14


def _label_lines(condition: str) -> list[str]:
    """Up to two lines beside an arrow; the full wording is in the arrow's <title> and the text list."""
    lines = textwrap.wrap(condition, LABEL_WRAP)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_WRAP, placeholder="…")]
    return lines


def _esc(value: str) -> str:
    return html.escape(value, quote=True)


@dataclass(frozen=True)
class _Layout:
    """Where everything goes: the steps' boxes top to bottom, the end box, and the lanes' left edge."""

    numbers: dict[str, int]  # step id -> its index
    edges: list[tuple[int, str, str]]  # (source index, target step id or "end", condition)
    left: int  # the boxes' left edge, right of the lanes of the loops back
    boxes: list[_Box]
    lines: list[list[str]]  # each box's text, wrapped
    end_box: _Box


def _follows(numbers: dict[str, int], last: int, src: int, target: str) -> bool:
    """Whether an edge goes to the box right below its source (a straight arrow); the end box is below the last."""
    return src == last if target == "end" else numbers[target] == src + 1


def _layout(routine: Routine) -> _Layout:
    numbers = {s.id: i for i, s in enumerate(routine.steps)}
    edges = [
        (numbers[s.id], nxt.to.id, nxt.condition)
        for s in routine.steps
        for nxt in s.next
        if nxt.to.id == "end" or nxt.to.id in numbers
    ]
    back = [e for e in edges if e[1] != "end" and numbers[e[1]] <= e[0]]
    left = LEFT + LANE * len(back)

    # A condition on the arrow to the next box is written in the gap below the box: make the gap tall
    # enough for its lines, so the label never runs into the next box.
    gap_lines = {}
    for src, target, condition in edges:
        if condition and _follows(numbers, len(routine.steps) - 1, src, target):
            gap_lines[src] = max(gap_lines.get(src, 0), len(_label_lines(condition)))
    boxes, labels, y = [], [], 10.0
    for i, step in enumerate(routine.steps):
        lines = textwrap.wrap(f"{i + 1}. {step.title}", WRAP) or [""]
        boxes.append(_Box(y, len(lines) * LINE_H + 2 * PAD))
        labels.append(lines)
        y += boxes[-1].h + max(GAP, LABEL_LINE * gap_lines.get(i, 0) + 12)
    return _Layout(numbers, edges, left, boxes, labels, _Box(y, 32))


def _edge_label(condition: str, x: float, y: float) -> str:
    """Up to two lines beside the arrow; the full wording is in the arrow's <title> and the text list."""
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if n == 0 else LABEL_LINE}">{_esc(line)}</tspan>'
        for n, line in enumerate(_label_lines(condition))
    )
    return f'<text class="hb-edge-label" x="{x}" y="{y}">{spans}</text>'


def _edges(layout: _Layout) -> tuple[list[str], int]:
    """The arrows and their labels, and how many lanes the forward edges on the right use."""
    parts: list[str] = []
    right_lane = back_lane = 0
    side_labels: dict[int, int] = {}
    left = layout.left
    right_edge = left + BOX_W
    for src, target, condition in layout.edges:
        a = layout.boxes[src]
        b = layout.end_box if target == "end" else layout.boxes[layout.numbers[target]]
        title = f"<title>{_esc(condition)}</title>" if condition else ""
        label = None
        if _follows(layout.numbers, len(layout.boxes) - 1, src, target):
            x = left + BOX_W / 2
            parts.append(
                f'<path class="hb-edge" d="M{x},{a.bottom} V{b.y - 2}" marker-end="url(#hb-arrow)">{title}</path>'
            )
            label = (x + 8, a.bottom + LABEL_LINE)
        elif target != "end" and layout.numbers[target] <= src:
            back_lane += 1
            x = left - LANE * back_lane
            parts.append(
                f'<path class="hb-edge hb-edge--back" d="M{left},{a.mid} H{x} V{b.mid} H{left - 2}" '
                f'marker-end="url(#hb-arrow)">{title}</path>'
            )
        else:
            right_lane += 1
            x = right_edge + LANE * right_lane
            end_x = right_edge + 2 if target != "end" else left + BOX_W / 2 + 40
            path = (
                f"M{right_edge},{a.mid} H{x} V{b.mid} H{end_x}"
                if target != "end"
                else f"M{right_edge},{a.mid} H{x} V{b.mid} H{end_x + 2}"
            )
            parts.append(f'<path class="hb-edge" d="{path}" marker-end="url(#hb-arrow)">{title}</path>')
            # The first label of a box's side arrows sits above the arrow's start, further ones below it,
            # so they clear the label under the box and each other.
            k = side_labels.get(src, 0)
            side_labels[src] = k + 1
            n = len(_label_lines(condition)) if condition else 1
            label = (x + 6, a.mid - 6 - LABEL_LINE * (n - 1) if k == 0 else a.mid + 14 + 2 * LABEL_LINE * (k - 1))
        if condition and label is not None:
            parts.append(_edge_label(condition, *label))
    return parts, right_lane


def _nodes(routine: Routine, layout: _Layout) -> list[str]:
    """The step boxes, each a link to its step, and the end box."""
    left = layout.left
    nodes = []
    for step, box, lines in zip(routine.steps, layout.boxes, layout.lines, strict=True):
        tspans = "".join(
            f'<tspan x="{left + PAD}" y="{box.y + PAD + (n + 1) * LINE_H - 4}">{_esc(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        nodes.append(
            f'<a xlink:href="#{step.id}"><rect class="hb-node" x="{left}" y="{box.y}" width="{BOX_W}" '
            f'height="{box.h}" rx="6"/><text class="hb-node-text">{tspans}</text></a>'
        )
    cx = left + BOX_W / 2
    end_box = layout.end_box
    nodes.append(
        f'<rect class="hb-node hb-node--end" x="{cx - 40}" y="{end_box.y}" width="80" height="{end_box.h}" '
        f'rx="16"/><text class="hb-node-text" x="{cx}" y="{end_box.y + 21}" text-anchor="middle">Slut</text>'
    )
    return nodes


def flowchart_svg(routine: Routine) -> str:
    """An accessible SVG of the routine's steps and paths: a group named by its title and described in words,
    whose step boxes are links (so not role=img, which would hide them from screen readers)."""
    layout = _layout(routine)
    parts, right_lanes = _edges(layout)
    width = layout.left + BOX_W + LANE * right_lanes + LABEL_W
    height = layout.end_box.bottom + 10
    numbers = layout.numbers
    description = "; ".join(
        f"steg {src + 1} leder till "
        + ("slutet" if t == "end" else f"steg {numbers[t] + 1}")
        + (f" ({c})" if c else "")
        for src, t, c in layout.edges
    )
    return (
        f'<svg class="hb-flowchart" role="group" aria-labelledby="hb-fc-title" aria-describedby="hb-fc-desc" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="hb-fc-title">Flödesschema: {_esc(routine.title)}</title>'
        f'<desc id="hb-fc-desc">{_esc(description)}.</desc>'
        '<defs><marker id="hb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="hb-arrowhead"/></marker></defs>'
        + "".join(parts)
        + "".join(_nodes(routine, layout))
        + "</svg>"
    )
