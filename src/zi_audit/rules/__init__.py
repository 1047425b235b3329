"""Stage 1, the plan: the rule file read and checked (indicators, evidence items, windows, patterns)."""
