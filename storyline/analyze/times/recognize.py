"""Find time expressions in a text and resolve them in reading order.

1. every grammar rule proposes matches; a match its handler rejects, or that
   the parse shows is something else ("may" the verb, "1990" troops), drops out;
2. the longest proposals win, earlier rules break ties;
3. the winners are resolved left to right, each against the publication time
   or the date last mentioned before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from storyline.analyze.times.anchoring import Context
from storyline.analyze.times.grammar import RULE_RANK, RULES, TRIGGERS
from storyline.analyze.times.normalize import HANDLERS, Resolved
from storyline.analyze.times.tense import Tense, tense_at
from storyline.analyze.times.values import granularity_of, parse_anchor
from storyline.model import TimeExpression


@dataclass
class Candidate:
    start: int
    end: int
    rule: str
    match: re.Match[str]


# Time zones only: "Oct. 4 (UPI)", "August 11 (Xinhua)" name the agency of a dateline.
_ZONE_AFTER = re.compile(r"\s*\(\s*(?:local\s+time|(?:[ECMPA]|AK|H)[SD]T|GMT[+-]?\d*|UTC[+-]?\d*|BST|CES?T|EES?T|WES?T|MSK|IST"
                         r"|JST|KST|HKT|SGT|AE[SD]T|NZ[SD]T)(?:\s+time)?\s*\)")
_TRIM = " \t\n\r\u00a0,;:"
# Words before a four-digit number that make it something other than a year.
_NOT_YEAR_BEFORE = {"$", "no.", "nos.", "#", "page", "pages", "route", "flight", "number", "room", "highway", "£",
                    "€", "us$", "c$", "a$", "hk$", "s$", "nt$", "rs", "rs.", "yen"}
# "$1.76 a year", "four flights a week": a rate, which TimeML does not mark.
_RATE_BEFORE = re.compile(r"(?:\d|%|\b(?:million|billion|trillion|cents?|dollars?|percent|shares?|times|pence|yen|"
                          r"seconds|minutes|hours|days|weeks|months|"
                          r"flights|seats|units|barrels|tons|points))\s*$", re.I)
# A date right after these closes the period just named ("the quarter ended Sept. 30"): not a new reference.
_PERIOD_END_BEFORE = re.compile(r"\b(?:ended|ending|through|thru)\s+$", re.I)
# Determiners TimeML leaves out of a prenominal compound ("a third-quarter loss", "the 23-year lease").
# (No "^": Pattern.match(text, pos) anchors at pos already, and "^" would only match at the text's start.)
_COMPOUND = re.compile(r"(?:the|a|an)\s+(?=\S+-(?:quarter|year|month|week|day|night|hour|minute|second|decade|century)s?\b)", re.I)
# Plural nouns a year modifies as a date ("1990 earnings"), not as a count.
_PERIOD_NOUNS = {"result", "earning", "sale", "profit", "revenue", "figure", "estimate", "forecast", "budget", "election",
                 "level", "price", "rate", "loss", "return", "income", "payment", "dividend", "target", "goal", "plan",
                 "game", "olympics", "championship", "census", "statistic", "number", "total"}
_AMBIGUOUS_MONTHS = {"may", "march", "jan", "mar", "jun", "sep", "oct", "dec", "aug", "nov", "feb", "apr", "jul"}


# How far a match may reach before / after a trigger word ("the better part of the last three …").
_REACH_BEFORE, _REACH_AFTER = 45, 45
_WORD = re.compile(r"[^\W\d_]+|\d+")
_RULES_OF: dict[str, list[int]] = {}
for _i, _rule in enumerate(RULES):
    for _w in TRIGGERS[_rule.name]:
        _RULES_OF.setdefault(_w, []).append(_i)


def windows(text: str) -> list[list[tuple[int, int]]]:
    """For each rule, the stretches of ``text`` around its trigger words, merged: the only places it can match.

    Scanning only these keeps the component cheap on long texts with few dates.
    """
    per_rule: list[list[tuple[int, int]]] = [[] for _ in RULES]
    n = len(text)
    for m in _WORD.finditer(text):
        word = m.group(0)
        rules = _RULES_OF.get("#" if word[0].isdigit() else word.lower())
        if not rules:
            continue
        start, end = max(0, m.start() - _REACH_BEFORE), min(n, m.end() + _REACH_AFTER)
        for i in rules:
            spans = per_rule[i]
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    for spans in per_rule:
        for k, (start, end) in enumerate(spans):
            while start > 0 and not text[start - 1].isspace():
                start -= 1
            while end < n and not text[end].isspace():
                end += 1
            spans[k] = (start, end)
    return per_rule


def propose(text: str) -> list[Candidate]:
    """Every rule's matches, trimmed of surrounding spaces and commas."""
    found: list[Candidate] = []
    for rule, spans in zip(RULES, windows(text)):
        has_span = "span" in rule.pattern.groupindex
        has_signal = "signal" in rule.pattern.groupindex
        for m in (m for s, e in spans for m in rule.pattern.finditer(text, s, e)):
            start, end = m.span("span") if has_span else m.span()
            if has_signal and m.group("signal"):
                end = m.start("signal")  # a trailing signal word ("later") is context, not the expression
            while start < end and text[start] in _TRIM:
                start += 1
            while end > start and text[end - 1] in _TRIM:
                end -= 1
            compound = _COMPOUND.match(text, start, end)
            if compound:
                start = compound.end()
            if end > start:
                found.append(Candidate(start, end, rule.name, m))
    return found


def _token_at(doc: Doc, char: int):  # type: ignore[no-untyped-def]
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def plausible(c: Candidate, text: str, doc: Doc | None) -> bool:
    """Context checks a regular expression cannot make."""
    m = c.match
    groups = m.groupdict()
    month = groups.get("month")
    if month and c.rule in ("month_day", "day_month", "month_year", "month") and not month[0].isupper():
        return False
    wd = groups.get("wd")
    if wd and not wd[0].isupper():
        return False
    if c.rule == "month" and not groups.get("rel") and not groups.get("yrel"):
        if month and month.lower().rstrip(".") in _AMBIGUOUS_MONTHS and doc is not None:
            tok = _token_at(doc, c.start)
            if tok is None or tok.tag_ == "MD" or tok.pos_ in ("VERB", "AUX"):
                return False
            if month.lower() == "may" and tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in ("VERB", "AUX", "ADV", "PART"):
                return False
        if month and month.lower() == "may" and doc is None:
            return False
    if c.rule == "year" and not (groups.get("pre") or "").strip():
        before = text[max(0, c.start - 12) : c.start].split()
        if before and before[-1].lower() in _NOT_YEAR_BEFORE:
            return False
        if doc is not None:
            tok = _token_at(doc, c.start)
            if tok is not None and tok.dep_ == "nummod" and tok.head.tag_ == "NNS":
                # "1990 cars" counts; "the company's 1989 results" dates.
                prev = doc[tok.i - 1] if tok.i else None
                dated = prev is not None and (prev.tag_ in ("DT", "PRP$", "POS", "IN") or prev.lower_ in ("'s", "’s"))
                if not dated and tok.head.lemma_.lower() not in _PERIOD_NOUNS:
                    return False
    if c.rule == "duration" and (groups.get("num") or "").lower() in ("a", "an", "one", "per"):
        if _RATE_BEFORE.search(text[max(0, c.start - 30) : c.start]):
            return False
    return True


def select(cands: list[Candidate], ctx: Context, text: str, doc: Doc | None) -> list[Candidate]:
    """Non-overlapping candidates, longest first (earlier rules break ties)."""
    viable = [c for c in cands if plausible(c, text, doc) and HANDLERS[c.rule](c.match, ctx) is not None]
    viable.sort(key=lambda c: (-(c.end - c.start), RULE_RANK[c.rule], c.start))
    taken: list[Candidate] = []
    occupied: list[tuple[int, int]] = []
    for c in viable:
        if any(c.start < e and s < c.end for s, e in occupied):
            continue
        taken.append(c)
        occupied.append((c.start, c.end))
    return sorted(taken, key=lambda c: c.start)


def find_times(text: str, published: str | None, doc: Doc | None = None) -> list[TimeExpression]:
    """The time expressions of ``text`` (with ``doc``, its spaCy parse, for tense and word classes)."""
    dct = parse_anchor(published)
    probe = Context(dct)
    chosen = select(propose(text), probe, text, doc)
    country = doc._.outlet_country if doc is not None and doc.has_extension("outlet_country") else None
    ctx = Context(dct, country=country)
    out: list[TimeExpression] = []
    for c in chosen:
        raw_tense = _tense_getter(doc, c.start, c.end)
        ctx.tense = lambda raw=raw_tense: "past" if raw() == "pluperfect" else raw()  # type: ignore[misc]
        ctx.cue = _cue_getter(text, c.start, raw_tense)
        resolved: Resolved | None = HANDLERS[c.rule](c.match, ctx)
        if resolved is None:
            continue
        end = c.end
        if resolved.type in ("DATE", "TIME"):
            zone = _ZONE_AFTER.match(text, end)
            if zone:
                end = zone.end()
        if resolved.point is not None and resolved.remember and not _PERIOD_END_BEFORE.search(text[max(0, c.start - 10) : c.start]):
            ctx.mention(resolved.point)
        out.append(
            TimeExpression(
                start=c.start,
                end=end,
                text=text[c.start : end],
                value=resolved.value,
                type=resolved.type,
                granularity=granularity_of(resolved.value, resolved.type),
                anchor=resolved.anchor.value if resolved.anchor is not None else None,
            )
        )
    return out


# Words before a date that set its direction whatever the verb's tense.
_AHEAD_CUE = re.compile(r"\b(?:until|till|through|by|effective|payable|due|starting|beginning|expires?|extended\s+to|deadline\s+of|"
                        r"scheduled\s+for|as\s+early\s+as|as\s+soon\s+as|no\s+later\s+than)\s+(?:on\s+|at\s+|the\s+)?$", re.I)
_BACK_CUE = re.compile(r"\b(?:since|ago)\s+$", re.I)


def _cue_getter(text: str, start: int, tense):  # type: ignore[no-untyped-def]
    def get() -> Tense:
        if tense() == "pluperfect":
            return None  # "Until Thursday, they had not called him a suspect": that Thursday is past
        before = text[max(0, start - 30) : start]
        if _AHEAD_CUE.search(before):
            return "future"
        if _BACK_CUE.search(before):
            return "past"
        return None

    return get


def _tense_getter(doc: Doc | None, start: int, end: int):  # type: ignore[no-untyped-def]
    @lru_cache(maxsize=1)
    def get() -> Tense:
        return tense_at(doc, start, end) if doc is not None else None

    return get
