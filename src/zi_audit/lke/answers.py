"""The Tim ZI's own answers to the LKE (its self-assessment), read from a YAML file.

```yaml
answers:
  "1.i.a": Ya                 # Pemenuhan rows by id
  "1.i.b": A
  "reform 1.i.a": 80%         # percent rows: the percentage the team computed
  "reform 1.i.a.1": 12        # Jumlah rows: the numbers behind it (kept, shown, not scored)
survey:                       # optional: the Hasil figures, as in zi-audit.yaml's lke section
  ipak: 3.62
  ipkp: 3.41
  capaian_kinerja: B
```

Each answer is held against the evidence (lke/score.py): a claim the evidence does not
support is listed, because it is what the TPI strikes first. Rows that need numbers and
rows no plan covers take their value from these answers.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import yaml

from zi_audit.core.errors import FileError
from zi_audit.lke.model import ANSWER_VALUES, Lke, load_lke, parse_key
from zi_audit.util.yamlread import Reader, read_text


class AnswersError(FileError):
    """A mistake in an answers file."""


class Hasil(NamedTuple):
    """What the team enters for the Hasil component; None where it has no figure yet."""

    ipak: float | None = None  # Survei Persepsi Anti Korupsi, 0-4
    ipkp: float | None = None  # Survei Persepsi Kualitas Pelayanan, 0-4
    kinerja: str | None = None  # Capaian Kinerja answer, A-E

    def merged(self, other: Hasil) -> Hasil:
        """These figures, completed by another source's where these have none."""
        return Hasil(
            self.ipak if self.ipak is not None else other.ipak,
            self.ipkp if self.ipkp is not None else other.ipkp,
            self.kinerja if self.kinerja is not None else other.kinerja,
        )


class Answer(NamedTuple):
    label: str  # as the team wrote it: A, Ya, 80%, 12
    value: float | None  # the row's value (0-1); None for Jumlah rows
    line: int


_TOP = {"answers": True, "survey": False}
_SURVEY = {"ipak": False, "ipkp": False, "capaian_kinerja": False}


def parse_hasil(r: Reader, node: yaml.Node, what: str, extra: tuple[str, ...] = ()) -> Hasil:
    """The Hasil figures as people write them: surveys 0-4, Capaian Kinerja A-E."""
    m = r.mapping(node, what, {**_SURVEY, **dict.fromkeys(extra, False)})
    scores: dict[str, float | None] = {}
    for key in ("ipak", "ipkp"):
        scores[key] = None
        if key in m:
            raw = r.text(m[key], key)
            try:
                scores[key] = float(raw.replace(",", "."))
            except ValueError:
                raise r.fail(m[key], key, f"must be a number from 0 to 4, not '{raw}'") from None
            if not 0.0 <= (scores[key] or 0.0) <= 4.0:
                raise r.fail(m[key], key, f"must be a number from 0 to 4, not '{raw}'")
    kinerja = None
    if "capaian_kinerja" in m:
        kinerja = r.text(m["capaian_kinerja"], "capaian_kinerja").upper()
        if kinerja not in ("A", "B", "C", "D", "E"):
            raise r.fail(m["capaian_kinerja"], "capaian_kinerja", "must be one of A, B, C, D, E")
    return Hasil(scores["ipak"], scores["ipkp"], kinerja)


def load_answers(path: Path, lke: Lke | None = None) -> tuple[dict[str, Answer], Hasil]:
    """(row key -> answer, the survey figures). Stops at the first mistake."""
    shown = str(path)
    text = read_text(path, AnswersError, "the answers file")
    r = Reader(shown, AnswersError)
    top = r.mapping(r.compose(text, "the answers file"), "the answers file", _TOP)
    node = top["answers"]
    if not isinstance(node, yaml.MappingNode):
        raise r.fail(node, "answers", 'must map LKE rows to answers, e.g. "1.i.a": Ya')
    lke = lke or load_lke()
    out: dict[str, Answer] = {}
    for key_node, value in node.value:
        ident = r.text(key_node, "answers")  # a key, never an alias to a tree
        key = parse_key(ident)
        row = lke.row(key)
        if row is None:
            raise r.fail(key_node, ident, "is not a row of the LKE (e.g. 1.i.a, reform 1.i.a)")
        if key in out:
            raise r.fail(key_node, ident, "is answered twice")
        raw = r.text(value, ident)
        out[key] = Answer(
            raw, _value(r, value, ident, raw, row.answer_type), value.start_mark.line + 1
        )
    survey = parse_hasil(r, top["survey"], "survey") if "survey" in top else Hasil()
    return out, survey


def _value(r: Reader, node: yaml.Node, ident: str, raw: str, answer_type: str) -> float | None:
    if answer_type in ANSWER_VALUES:
        options = dict((label.upper(), v) for label, v in ANSWER_VALUES[answer_type])
        word = raw.strip().upper()
        if word not in options:
            allowed = ", ".join(label for label, _ in ANSWER_VALUES[answer_type])
            raise r.fail(node, ident, f"'{raw}' is not an answer of this row; one of {allowed}")
        return options[word]
    number = raw.strip().rstrip("%").replace(",", ".")
    try:
        amount = float(number)
    except ValueError:
        what = "a percentage such as 85%" if answer_type == "percent" else "a number"
        raise r.fail(node, ident, f"must be {what}, not '{raw}'") from None
    if amount < 0:
        raise r.fail(node, ident, f"must not be negative, not '{raw}'")
    if answer_type == "count":
        return None
    share = amount / 100 if raw.strip().endswith("%") or amount > 1 else amount
    return min(share, 1.0)  # above 100% counts as 100% (docs/lke.md: capped)
