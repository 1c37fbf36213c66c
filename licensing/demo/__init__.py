"""Demo and benchmark data: a realistic council, and the bulk loader for London-sized ones.
Only the CLI, the benchmarks and the tests use it."""
