"""FNC-1-format stance data: a stances CSV (Headline, Body ID[, Stance]) and a bodies CSV (Body ID, articleBody).

Inputs are treated as hostile: a file that is not readable UTF-8 CSV, lacks a
column, repeats a Body ID with a different text, names a Body ID the bodies
file lacks or gives an unknown stance raises :class:`StanceDataError` with a
one-line message naming the file (and the line where there is one).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LABELS: tuple[str, ...] = ("agree", "disagree", "discuss", "unrelated")
RELATED: frozenset[str] = frozenset(LABELS[:3])

# FNC-1 bodies run to 28 kB; the csv module's default field limit (128 KiB) is kept as a guard
# against a file whose broken quoting swallows the rest of the file into one field.
_BODY_COLUMNS = ("Body ID", "articleBody")
_STANCE_COLUMNS = ("Headline", "Body ID")


class StanceDataError(ValueError):
    """A stance or bodies file that cannot be used, with a message naming it."""


@dataclass(frozen=True)
class StancePair:
    headline: str
    body_id: str
    stance: str | None = None  # None when the file has no Stance column (inputs to predict)


@dataclass(frozen=True)
class StanceData:
    pairs: list[StancePair]
    bodies: dict[str, str]

    @property
    def labelled(self) -> bool:
        return all(p.stance is not None for p in self.pairs)

    def body_texts(self) -> list[str]:
        return [self.bodies[p.body_id] for p in self.pairs]

    def headlines(self) -> list[str]:
        return [p.headline for p in self.pairs]

    def gold(self) -> list[str]:
        return [p.stance for p in self.pairs if p.stance is not None]


def _rows(path: Path, required: Sequence[str]) -> tuple[list[tuple[int, dict[str, str]]], bool]:
    """(line, row) for each row of a CSV file with the required columns, and whether it has a Stance column.

    The line is where the row ends in the file (a body may run over many lines)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, strict=True)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in required if c not in header]
            if missing:
                found = ", ".join(header) if header else "no header"
                raise StanceDataError(f"{path}: missing column(s) {', '.join(missing)} (found: {found})")
            reader.fieldnames = header
            rows = []
            for row in reader:
                if None in row or any(row.get(c) is None for c in required):
                    raise StanceDataError(f"{path}, line {reader.line_num}: wrong number of fields")
                rows.append((reader.line_num, row))
            return rows, "Stance" in header
    except StanceDataError:
        raise
    except FileNotFoundError as err:
        raise StanceDataError(f"{path}: no such file") from err
    except IsADirectoryError as err:
        raise StanceDataError(f"{path}: is a directory, not a CSV file") from err
    except UnicodeDecodeError as err:
        raise StanceDataError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from err
    except csv.Error as err:
        raise StanceDataError(f"{path}: bad CSV: {err}") from err
    except OSError as err:
        raise StanceDataError(f"{path}: cannot read: {err.strerror or err}") from err


def read_bodies(path: str | Path) -> dict[str, str]:
    """Body ID → text from a bodies CSV (columns Body ID, articleBody)."""
    path = Path(path)
    rows, _ = _rows(path, _BODY_COLUMNS)
    bodies: dict[str, str] = {}
    for line, row in rows:
        body_id = row["Body ID"].strip()
        if not body_id:
            raise StanceDataError(f"{path}, line {line}: empty Body ID")
        if body_id in bodies and bodies[body_id] != row["articleBody"]:
            raise StanceDataError(f"{path}, line {line}: Body ID {body_id} repeated with a different text")
        bodies[body_id] = row["articleBody"]
    return bodies


def read_stances(path: str | Path, bodies: dict[str, str], *, require_stance: bool = False) -> list[StancePair]:
    """The (headline, Body ID, stance) pairs of a stances CSV, checked against the bodies."""
    path = Path(path)
    rows, has_stance = _rows(path, _STANCE_COLUMNS + (("Stance",) if require_stance else ()))
    pairs: list[StancePair] = []
    for line, row in rows:
        body_id = row["Body ID"].strip()
        if body_id not in bodies:
            raise StanceDataError(f"{path}, line {line}: Body ID {body_id!r} is not in the bodies file")
        stance = None
        if has_stance:
            stance = (row["Stance"] or "").strip().lower()
            if stance not in LABELS:
                raise StanceDataError(f"{path}, line {line}: unknown stance {row['Stance']!r} (expected one of {', '.join(LABELS)})")
        pairs.append(StancePair(row["Headline"], body_id, stance))
    return pairs


def read_stance_data(stances: str | Path, bodies: str | Path, *, require_stance: bool = False) -> StanceData:
    """Read an FNC-1-format pair of files (stances and bodies)."""
    body_texts = read_bodies(bodies)
    return StanceData(read_stances(stances, body_texts, require_stance=require_stance), body_texts)
