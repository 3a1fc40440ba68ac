"""Outlet profiles: an outlet's home region from its other articles (leave-one-out)."""

from __future__ import annotations

from storyline.analyze.places.outlets import OutletProfiles
from storyline.analyze.places.resolver import Resolution


def place(admin1: str, kind: str = "city") -> Resolution:
    return Resolution("x", 0.0, 0.0, admin1[:2], admin1, None, "P", "PPL", 0, kind)


def test_home_region_from_the_other_articles():
    profiles = OutletProfiles(min_articles=2)
    profiles.add("towntalk", "a", [place("US-LA"), place("US-LA"), None])
    profiles.add("towntalk", "b", [place("US-LA"), place("US-TX")])
    profiles.add("towntalk", "c", [place("US-TX")])
    assert profiles.region("towntalk", "c") == "US-LA"  # a and b: LA 3 of 4
    assert profiles.region("towntalk", "a") == "US-TX"  # b and c: TX 2 of 3
    assert profiles.region("unknown", "a") is None


def test_too_few_articles_or_no_majority():
    profiles = OutletProfiles(min_articles=2, min_share=0.6)
    profiles.add("paper", "a", [place("US-GA")])
    profiles.add("paper", "b", [place("US-GA")])
    assert profiles.region("paper", "a") is None  # one other article
    profiles.add("paper", "c", [place("US-AL")])
    assert profiles.region("paper", "c") == "US-GA"
    assert profiles.region("paper", "a") is None  # GA 1, AL 1: no 60 % majority


def test_countries_do_not_vote():
    profiles = OutletProfiles(min_articles=1)
    profiles.add("paper", "a", [place("US-GA", kind="country")])
    profiles.add("paper", "b", [])
    assert profiles.region("paper", "b") is None
