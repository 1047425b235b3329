"""Stage 5, statuses: pure evaluation, matched files + facts + as-of date in, per-indicator results out."""
