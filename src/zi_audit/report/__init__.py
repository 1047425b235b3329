"""Stage 6, the report: one typed document built from the results, then one renderer per format."""
