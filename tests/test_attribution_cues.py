"""Cue classes."""

import pytest

from storyline.analyze.attribution.cues import CUE_CLASSES, cue_class


@pytest.mark.parametrize(
    ("lemmas", "head", "expected"),
    [
        (["deny"], "deny", "deny"),
        (["say"], "say", "assert"),
        (["have", "say"], "say", "assert"),
        (["accord", "to"], "accord", "report"),
        (["according", "to"], "according", "report"),
        (["call", "for"], "call", "demand"),
        (["call"], "call", "describe"),
        (["warn"], "warn", "warn"),
        (["acknowledge"], "acknowledge", "acknowledge"),
        (["accuse"], "accuse", "accuse"),
        (["announce"], "announce", "report"),
        (["believe"], "believe", "believe"),
        (["vow"], "vow", "intend"),
        (["endorse"], "endorse", "support"),
        (["frobnicate"], "frobnicate", "other"),
    ],
)
def test_cue_class(lemmas, head, expected):
    assert cue_class(lemmas, head) == expected


def test_no_phrase_in_two_classes():
    seen: dict[str, str] = {}
    for cls, phrases in CUE_CLASSES.items():
        for phrase in phrases:
            assert seen.setdefault(phrase, cls) == cls, (phrase, seen[phrase], cls)
