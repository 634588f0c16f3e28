"""The pull-request workflow: valid YAML that runs the README's test command and annotates problems."""

from __future__ import annotations

import re

import yaml

from helpers import REPO


def steps():
    workflow = yaml.safe_load((REPO / ".github/workflows/handbook.yml").read_text(encoding="utf-8"))
    return workflow, [s.get("run", "") for s in workflow["jobs"]["test"]["steps"]]


def test_workflow_runs_the_readme_test_command():
    """The workflow runs `make test`, the command the README gives, with CI=true."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme
    workflow, runs = steps()
    test_step = next(s for s in workflow["jobs"]["test"]["steps"] if s.get("run") == "make test")
    assert test_step["env"]["CI"] == "true"


def test_workflow_annotates_and_keeps_a_preview():
    """Problems go out as GitHub annotations, and the built site is uploaded as an artifact."""
    workflow, runs = steps()
    assert "make check-github" in runs and "make site" in runs
    uses = [s.get("uses", "") for s in workflow["jobs"]["test"]["steps"]]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


def test_make_targets_exist():
    """Every make target the workflow and pre-commit use is defined in the Makefile."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    _, runs = steps()
    used = {word for run in runs for word in re.findall(r"make ([a-z-]+)", run)}
    assert used <= targets


def test_ci_entry_point_runs_make_test():
    """.ci/run installs Chromium when missing and runs `make test` with CI=true, failing on errors."""
    script = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script and "export CI=true" in script
    assert "apt-get install" in script and "chromium" in script
    assert script.rstrip().endswith("make test")
