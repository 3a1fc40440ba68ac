"""The claim matrix of a story: claims × sources, the stance and date of each statement in its cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from storyline.story.views import UNATTRIBUTED, Claim, ClaimStatement, matrix_sources


@dataclass
class Row:
    claim: Claim
    cells: list[list[ClaimStatement]] = field(default_factory=list)
    others: list[ClaimStatement] = field(default_factory=list)  # by sources that have no column


@dataclass
class Matrix:
    sources: list[str]
    rows: list[Row]
    others: int  # statements by sources beyond the columns shown


def matrix(claims: list[Claim], columns: int = 10) -> Matrix:
    """Sources as columns (those that deny first, then the most active); one row per claim, contested first."""
    sources, weight = matrix_sources(claims, columns)
    rows = []
    for claim in sorted(claims, key=lambda c: (not c.contested, -len(c.statements))):
        by_source: dict[str, list[ClaimStatement]] = {}
        for s in claim.statements:
            by_source.setdefault(s.speaker or UNATTRIBUTED, []).append(s)
        others = [s for source, said in by_source.items() if source not in sources for s in said]
        rows.append(Row(claim, [by_source.get(source, []) for source in sources], others))
    return Matrix(sources, rows, sum(n for k, n in weight.items() if k not in sources))
