"""What both sheets of the LKE workbook share: styles, the parts' names, the answer formula."""

from __future__ import annotations

from openpyxl.styles import Font, PatternFill

from zi_audit.lke.model import ANSWER_VALUES

HEAD = Font(bold=True)
INPUT = PatternFill("solid", fgColor="FFF4CC")  # cells an evaluator may change
PART_NAMES = {"pemenuhan": "Pemenuhan", "reform": "Reform"}


def value_formula(cell: str, answer_type: str) -> str:
    """=IF(H5="A",1,IF(H5="B",0.5,0)): the answer's value, the scale of docs/lke.md."""
    options = ANSWER_VALUES[answer_type]
    formula = "0"
    for label, value in reversed(options[:-1]):
        formula = f'IF(UPPER({cell})="{label.upper()}",{value},{formula})'
    return "=" + formula
