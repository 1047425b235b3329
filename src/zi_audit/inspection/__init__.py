"""Judging a file's content in worker processes: does it open, is it whole, when was it made."""
