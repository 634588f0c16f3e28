"""The step graph is walked without recursion: a routine of thousands of steps is checked, not crashed."""

from __future__ import annotations

from handbook.check import check_handbook
from handbook.load import load_handbook
from helpers import TODAY, base_root


def long_routine(tmp_path, n: int, back_to: str = "end"):
    root = base_root(tmp_path)
    path = root / "routines" / "rutin-a.yaml"
    text = path.read_text()
    steps = "".join(
        f"  - id: s{i}\n    title: Steg {i}\n    role: X\n    instructions: Gör.\n"
        f"    next: [{{to: {f's{i + 1}' if i < n - 1 else back_to}}}]\n"
        for i in range(n)
    )
    path.write_text(text[: text.index("steps:")] + "steps:\n" + steps)
    return root


def test_three_thousand_chained_steps(tmp_path):
    problems = check_handbook(load_handbook(long_routine(tmp_path, 3000)), TODAY)
    assert {p.code for p in problems} <= {"contact-unused"}


def test_a_cycle_at_the_end_of_a_long_chain_is_found(tmp_path):
    problems = check_handbook(load_handbook(long_routine(tmp_path, 3000, back_to="s0")), TODAY)
    cycles = [p for p in problems if p.code == "step-cycle"]
    assert len(cycles) == 1 and '"s2999" leder tillbaka till "s0"' in cycles[0].message
