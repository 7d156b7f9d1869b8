"""The reference-matching benchmark: a synthetic registry and references built the way
Crossref built its evaluation set, and the scorer for `match_references` output.

`generate` writes the set, `evaluate` scores an output against it, `run` does both around the
portal's `import_works` and `match_references` commands (`make bench-matching`).
"""
