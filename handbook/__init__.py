"""The handbook engine: load -> check -> render -> site, one room (subpackage) per stage.

    core/    the model and what every stage shares: the registries of item and value kinds, the table of
             generated pages (paths), the one walk over the records (walk), problems, links, prose,
             escaping, the call chain
    load/    content files -> model, every value with its file and line; never raises for bad content
             (files: file access and write_atomic; loader: the loader; layers: a base and a local layer)
    check/   model -> problems, one module per rule family (each gets a check.context.Context); the release gate
    render/  model -> Markdown pages, attachments and navigation (pure; knows no builder)
    site/    the pipeline (load -> check -> render for every caller) and the builder adapters: render --out,
             the builders (MkDocs, Zensical), the finishing pass (CSP), the search index (Pagefind), the
             MkDocs plugin for make serve
    tools/   maintainer tools: new routine/step/contact, JSON Schema, external link check, the law-change
             radar (lawradar, with the SFS scope parser sfsscope)
    cli.py   the `handbook` command

A new rule goes in check/ with its entry in core/problems.py; a new field in core/model.py; a new
generated page in core/paths.py and render/. ARCHITECTURE.md has the import rules (tested) and the
published URLs.
"""

__version__ = "0.1.0"
