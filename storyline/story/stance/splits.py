"""Train / held-out splits of stance data that keep test pairs unseen, as the competition test is.

- ``body``: the FNC-1 organisers' way: a share of the bodies is held out, with
  every pair that uses them; headlines (claims) recur on both sides.
- ``claim``: headlines and bodies are grouped into claims, the connected
  components of the graph whose edges are the related (agree / disagree /
  discuss) pairs; a share of the claims is held out. A pair is kept only when
  its headline and body fall on the same side, so held-out pairs have
  headlines and bodies never seen in training, as most of the competition
  test has. (Unrelated pairs that cross the split are dropped.)

Membership is decided by a hash of the body id or of the claim's smallest body
id, so splits are stable across machines and Python versions.

    python -m storyline.story.stance.splits ../shared/data/fnc-1/train_stances.csv \
        ../shared/data/fnc-1/train_bodies.csv --out splits/fnc

writes, for each kind (body, claim), ``train`` and ``heldout``, and inside the
training part ``train-inner`` and ``dev`` (the same rule with another salt):
the folds to tune on. Each is an FNC-1-format pair ``NAME_stances.csv`` +
``NAME_bodies.csv``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from storyline.story.stance.data import RELATED, StanceData, StancePair, read_stance_data

KINDS = ("body", "claim")


def _unit(key: str, salt: str) -> float:
    """A stable pseudo-random number in [0, 1) for key."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def claims(pairs: list[StancePair]) -> tuple[dict[str, str], dict[str, str]]:
    """Claim key of each headline and each body id: the smallest body id of its related component."""
    headlines = sorted({p.headline for p in pairs})
    body_ids = sorted({p.body_id for p in pairs})
    node = {("h", h): i for i, h in enumerate(headlines)}
    node.update({("b", b): len(headlines) + i for i, b in enumerate(body_ids)})
    edges = np.array(
        [(node["h", p.headline], node["b", p.body_id]) for p in pairs if p.stance in RELATED], dtype=np.int64
    ).reshape(-1, 2)
    n = len(node)
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    key: dict[int, str] = {}
    for b in body_ids:  # sorted, so the first seen is the smallest
        key.setdefault(int(component[node["b", b]]), b)
    # A headline with no related pair is a claim of its own.
    head_key = {h: key.get(int(component[node["h", h]]), f"headline:{h}") for h in headlines}
    body_key = {b: key[int(component[node["b", b]])] for b in body_ids}
    return head_key, body_key


def split(data: StanceData, kind: str, share: float = 0.2, salt: str = "heldout") -> tuple[StanceData, StanceData]:
    """(kept, held out) parts of ``data``, split by ``kind`` (body or claim)."""
    if kind == "body":
        held_body: Callable[[str], bool] = lambda b: _unit(b, salt) < share  # noqa: E731
        held_pair: Callable[[StancePair], bool | None] = lambda p: held_body(p.body_id)  # noqa: E731
    elif kind == "claim":
        head_key, body_key = claims(data.pairs)

        def held_pair(p: StancePair) -> bool | None:
            h = _unit(head_key[p.headline], salt) < share
            b = _unit(body_key[p.body_id], salt) < share
            return h if h == b else None

    else:
        raise ValueError(f"unknown split kind {kind!r} (expected one of {', '.join(KINDS)})")
    sides: dict[bool, list[StancePair]] = {False: [], True: []}
    for pair in data.pairs:
        side = held_pair(pair)
        if side is not None:
            sides[side].append(pair)

    def part(pairs: list[StancePair]) -> StanceData:
        used = {p.body_id for p in pairs}
        return StanceData(pairs, {b: t for b, t in data.bodies.items() if b in used})

    return part(sides[False]), part(sides[True])


def write(data: StanceData, directory: Path, name: str) -> None:
    """Write ``data`` as FNC-1-format ``NAME_stances.csv`` and ``NAME_bodies.csv``."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / f"{name}_stances.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Headline", "Body ID", "Stance"])
        writer.writerows((p.headline, p.body_id, p.stance) for p in data.pairs)
    with open(directory / f"{name}_bodies.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Body ID", "articleBody"])
        writer.writerows(data.bodies.items())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stances", help="FNC-1-format stances CSV (Headline, Body ID, Stance)")
    parser.add_argument("bodies", help="FNC-1-format bodies CSV (Body ID, articleBody)")
    parser.add_argument("--out", required=True, type=Path, help="folder to write KIND/NAME_{stances,bodies}.csv in")
    parser.add_argument("--share", type=float, default=0.2, help="share held out (default 0.2)")
    args = parser.parse_args(argv)
    data = read_stance_data(args.stances, args.bodies, require_stance=True)
    for kind in KINDS:
        train, heldout = split(data, kind, args.share)
        inner, dev = split(train, kind, args.share, salt="dev")
        for name, part in (("train", train), ("heldout", heldout), ("train-inner", inner), ("dev", dev)):
            write(part, args.out / kind, name)
            print(f"{kind}/{name}: {len(part.pairs)} pairs, {len(part.bodies)} bodies, "
                  f"{len({p.headline for p in part.pairs})} headlines")


if __name__ == "__main__":
    main()
