"""`zi-audit rules import`: a draft rule file from the Rencana Aksi a unit already has.

read.py turns a document (PDF, spreadsheet, Word, CSV, Markdown, HTML) into tables of cell
text; columns.py finds the header and what each column means; rows.py turns the table into
plan rows (components, areas, indicators); cells.py reads a row's time, documents and name
patterns; draft.py writes the draft, checks it with the rule loader, and says what to check.
"""
