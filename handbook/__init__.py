"""The handbook engine: load -> check -> render -> site, one room (subpackage) per stage.

    core/    the model and what every stage shares (problems, links, prose, escaping, call chain)
    load/    YAML files -> model, every value with its file and line; never raises for bad content
    check/   model -> problems, one module per rule family; the release gate
    render/  model -> Markdown pages, attachments and navigation (pure; knows no builder)
    site/    builder adapters: render --out, the finishing pass (CSP), the MkDocs plugin for make serve
    tools/   maintainer tools: new routine/step/contact, JSON Schema, external link check
    cli.py   the `handbook` command

A new rule goes in check/ with its entry in core/problems.py; a new field in core/model.py; a new
page type in render/. ARCHITECTURE.md has the import rules (tested) and the published URLs.
"""

__version__ = "0.1.0"
