"""Seeded mutations of real files, for the fuzz test and bench/fuzz.py (its soak at 10x).

Each mutation is one of what real damage looks like: bytes flipped, a cut (an upload that
stopped), junk inserted, a block repeated, the head or the tail lost.
"""

from __future__ import annotations

import random


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(6)
        if not out:
            out = bytearray(b"%PDF-")
        at = rng.randrange(len(out))
        if kind == 0:  # flip bytes
            for _ in range(rng.randint(1, 16)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif kind == 1:  # cut
            del out[at:]
        elif kind == 2:  # insert junk
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
        elif kind == 3:  # repeat a block
            end = min(len(out), at + rng.randint(1, 256))
            out[at:at] = out[at:end] * rng.randint(1, 8)
        elif kind == 4:  # lose the head
            del out[: rng.randint(1, max(1, len(out) // 4))]
        else:  # digits changed (lengths, offsets, counts)
            for i in range(at, min(len(out), at + 200)):
                if 48 <= out[i] <= 57 and rng.random() < 0.3:
                    out[i] = rng.randrange(48, 58)
    return bytes(out)


def mutate_text(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(6)
        n = rng.randrange(len(lines)) if lines else 0
        if not lines:
            lines = [""]
        if kind == 0:
            del lines[n]
        elif kind == 1:  # indentation off by one or two
            lines[n] = " " * rng.randint(1, 2) + lines[n]
        elif kind == 2:  # a character replaced by one people type by mistake
            line = lines[n]
            if line:
                i = rng.randrange(len(line))
                lines[n] = line[:i] + rng.choice(":-[]{}&*!|>'\"#\t\x07é") + line[i + 1 :]
        elif kind == 3:  # a line duplicated
            lines.insert(n, lines[n])
        elif kind == 4:  # a value replaced
            if ":" in lines[n]:
                key = lines[n].split(":", 1)[0]
                lines[n] = (
                    key + ": " + rng.choice(["", "-", "[]", "{}", "123", "null", "*x", "Agustus-"])
                )
        else:  # two lines swapped
            m = rng.randrange(len(lines))
            lines[n], lines[m] = lines[m], lines[n]
    return "\n".join(lines)
