"""Rule families, one module each. Every family is `check(ctx) -> Iterable[Problem]`.

Pure functions over the model: no files, no MkDocs, no network.
"""
