"""Splits: the claim split keeps held-out headlines and bodies out of training; both are stable."""

from __future__ import annotations

from storyline.story.stance.data import StanceData, StancePair
from storyline.story.stance.splits import claims, split


def _data() -> StanceData:
    pairs = []
    for c in range(40):  # 40 claims of 2 headlines × 3 bodies, plus unrelated pairs across claims
        for h in range(2):
            for b in range(3):
                pairs.append(StancePair(f"claim {c} headline {h}", f"{c}-{b}", ("agree", "discuss")[b % 2]))
            pairs.append(StancePair(f"claim {c} headline {h}", f"{(c + 1) % 40}-0", "unrelated"))
    bodies = {p.body_id: f"body {p.body_id}" for p in pairs}
    return StanceData(pairs, bodies)


def test_claims_are_components_of_related_pairs():
    head_key, body_key = claims(_data().pairs)
    assert head_key["claim 3 headline 0"] == head_key["claim 3 headline 1"] == body_key["3-2"] == "3-0"
    assert body_key["4-0"] != body_key["3-0"]


def test_claim_split_is_disjoint_and_drops_crossing_pairs():
    data = _data()
    kept, held = split(data, "claim", share=0.3)
    assert held.pairs and kept.pairs
    assert not {p.headline for p in kept.pairs} & {p.headline for p in held.pairs}
    assert not set(kept.bodies) & set(held.bodies)
    assert len(kept.pairs) + len(held.pairs) < len(data.pairs)  # unrelated pairs across the split are gone
    assert split(data, "claim", share=0.3)[1].pairs == held.pairs  # stable


def test_body_split_holds_out_whole_bodies():
    kept, held = split(_data(), "body", share=0.3)
    assert held.pairs and not set(kept.bodies) & set(held.bodies)
    assert {p.headline for p in kept.pairs} & {p.headline for p in held.pairs}  # headlines recur
