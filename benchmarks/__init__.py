"""Performance benchmarks (scripts, not tests): every figure of a table is measured side by side in one run, so
that the ratios between them hold on a noisy, shared machine. ``python -m benchmarks.run_all`` runs them all and
prints the tables of BENCHMARKS.md; each module also runs on its own (``python -m benchmarks.<module> --help``)."""
