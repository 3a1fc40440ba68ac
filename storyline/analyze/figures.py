"""``storyline_figures``: numbers with what they count.

"approximately 12,000 troops" → 12000 troops, approximate; "three generals" →
3 generals; "$1.5 billion" → 1.5e9 USD; "thousands of soldiers" → 1000
soldiers, approximate (a lower bound the text leaves vague); "10K" → 10000.
Numbers that are part of dates, times, ordinals or names ("Article 4") are not
figures.

Each figure also says what it counts in full (``about``: the counted noun with
its modifiers from the parse, "North Korean troops"; a bare noun whose verb's
subject is a place or people takes it as origin, "North Korea sent 3,000
troops" → "troops from North Korea"; an increment keeps its "more": "1,500
more troops" → "more troops") and how it is bounded (``qualifier``, from the
words before the number: "up to", "at least", "about", "more than", "less
than" or "exact"). Number words are read by text2num; ``$`` is the outlet
country's dollar when it has one (Babel's territory currencies), else USD.
"""

from __future__ import annotations

import re

from functools import lru_cache

import numpy as np
from spacy.attrs import LIKE_NUM, LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Token
from text_to_num import text2num

from storyline.analyze import extensions
from storyline.model import Figure

extensions.register()

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "dozen": 12, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
# Plural scales used alone are vague quantities: "thousands of troops".
_VAGUE = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000, "billions": 1_000_000_000}
_APPROXIMATE = {
    "about", "around", "approximately", "roughly", "nearly", "almost", "some", "estimated", "an estimated",
    "close to", "up to", "more than", "over", "at least", "less than", "fewer than", "under", "as many as",
    "upwards of", "around", "circa", "c.", "~", "approx.", "some", "tens of", "just over", "just under",
}
# How the words before a number bound it (longest phrase first when matching).
_QUALIFIERS = {
    "up to": "up to", "as many as": "up to", "as much as": "up to",
    "at least": "at least", "no fewer than": "at least", "no less than": "at least", "a minimum of": "at least",
    "more than": "more than", "over": "more than", "upwards of": "more than", "in excess of": "more than",
    "just over": "more than", "above": "more than",
    "less than": "less than", "fewer than": "less than", "under": "less than", "just under": "less than", "below": "less than",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about", "nearly": "about",
    "almost": "about", "some": "about", "estimated": "about", "an estimated": "about", "close to": "about",
    "circa": "about", "c.": "about", "~": "about", "approx.": "about", "tens of": "at least",
}
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW", "₽": "RUB", "₴": "UAH"}
# Entity labels whose numbers are not figures.
_NOT_FIGURES = {"DATE", "TIME", "ORDINAL", "LAW", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC", "ORG", "PERSON", "GPE"}
_NUMERIC = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def parse_number(words: list[str]) -> float | None:
    """"12,000" → 12000; "1.5 million" → 1.5e6; "twenty-five thousand" → 25000; "a dozen" → 12.

    Number words are text2num's; it reads neither digits with a scale word ("1.5 million",
    "10K") nor "dozen", which the loop below does."""
    phrase = " ".join(words).lower().replace("-", " ")
    if not any(c.isdigit() for c in phrase):
        try:
            return float(text2num(phrase, "en"))
        except ValueError:
            pass
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        word = raw.lower().replace("-", " ")
        for part in word.split():
            if _NUMERIC.match(part):
                current += float(part.replace(",", ""))
            elif part in _UNITS:
                current += _UNITS[part]
            elif part in _SCALES:
                scale = _SCALES[part]
                if scale >= 1000:
                    total += (current or 1) * scale
                    current = 0.0
                else:
                    current = (current or 1) * scale
            elif part == "and":
                continue
            else:
                return None
            seen = True
    return total + current if seen else None


def _is_number_word(token: Token) -> bool:
    lower = token.lower_
    return bool(_NUMERIC.match(token.text)) or lower in _SCALES or (token.like_num and lower not in {"a", "an"}) or (
        lower in _UNITS and lower not in {"a", "an", "one"} and token.pos_ == "NUM"
    )


def _qualifier(doc: Doc, start: int) -> int:
    """Start of an approximation phrase right before the number ("more than 500")."""
    for width in (3, 2, 1):
        if start - width >= 0 and doc[start - width : start].text.lower() in _APPROXIMATE:
            return start - width
    return start


def _bound(doc: Doc, qualified: int, start: int, vague: bool) -> str:
    """The qualifier of a figure from its approximation phrase ("as many as" → "up to")."""
    phrase = doc[qualified:start].text.lower()
    if phrase in _QUALIFIERS:
        return _QUALIFIERS[phrase]
    return "at least" if vague else "exact"


@lru_cache(maxsize=1)
def _dollars() -> dict[str, str]:
    """Prefixed dollar signs from Babel's English currency symbols: "A$" → AUD, "HK$" → HKD."""
    from babel import Locale

    out = {sym: code for code, sym in Locale("en").currency_symbols.items() if sym.endswith("$") and len(sym) > 1}
    out["US$"] = "USD"
    return out


@lru_cache(maxsize=64)
def _home_dollar(country: str | None) -> str:
    """The currency a bare "$" means for an outlet of ``country``: its own dollar, else USD."""
    from babel.numbers import get_currency_symbol, get_territory_currencies

    if country:
        for code in get_territory_currencies(country)[:1]:
            if get_currency_symbol(code, "en").endswith("$"):
                return code
    return "USD"


_KEEP = {"amod", "compound", "nmod", "poss", "nummod", "case"}
_ORIGIN_ENTS = {"GPE", "NORP"}


def _about(doc: Doc, unit: Token, number: tuple[int, int]) -> str:
    """The counted noun in full: its modifiers before it (not the number, determiners or the
    approximation words), "more" of an increment, and a "from X" origin after it."""
    left = [t for t in unit.subtree if t.i < unit.i and not (number[0] <= t.i < number[1])]
    left = [t for t in left if t.dep_ in _KEEP or t.head.dep_ in _KEEP and t.head.i < unit.i and t.head not in (doc[number[0]: number[1]])]
    left = [t for t in left if not (t.like_num or t.pos_ in ("DET", "PUNCT") or t.lower_ in _QUALIFIERS)]
    words = [t for t in left if t.i > number[0]] + [unit]
    more = [t for t in doc[number[1] : unit.i] if t.lower_ in ("more", "additional", "extra")]
    # Headline case ("North Korean Troops") is not a name: common nouns and adjectives in lower case.
    text = " ".join(t.text if t.pos_ == "PROPN" or t.ent_type_ or t.text.isupper() else t.text.lower() for t in words if t not in more)
    origin = None
    for holder in [unit] + [c for c in unit.children if c.dep_ == "acl"]:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ == "from":
                objects = [c for c in prep.children if c.dep_ == "pobj"]
                if objects:
                    origin = doc[objects[0].left_edge.i : objects[0].right_edge.i + 1].text
    if origin is None and not any(t.ent_type_ in _ORIGIN_ENTS for t in words):
        # "North Korea has sent 3,000 troops": the sender is where the troops are from.
        verb = unit.head if unit.dep_ in ("dobj", "nsubjpass") else None
        subjects = [c for c in verb.children if c.dep_ == "nsubj"] if verb is not None else []
        if subjects and subjects[0].ent_type_ in _ORIGIN_ENTS:
            s0 = subjects[0]
            origin = doc[s0.left_edge.i : s0.i + 1].text
    return ("more " if more else "") + text + (f" from {origin}" if origin else "")


_NAMES = {"GPE", "LOC", "ORG", "PERSON", "NORP", "FAC"}


def _unit(number_head: Token) -> Token | None:
    head = number_head.head
    if number_head.dep_ in {"nummod", "quantmod", "compound", "amod", "nmod"} and head.pos_ in {"NOUN", "PROPN"} and head.i > number_head.i:
        if head.ent_type_ not in _NAMES:
            return head
        # "Two Kursk Region Villages": a name sits between the number and what it counts.
        doc = head.doc
        for i in range(head.i + 1, min(head.i + 4, len(doc))):
            if doc[i].ent_type_ not in _NAMES and doc[i].pos_ in {"NOUN", "PROPN"}:
                return doc[i]
            if doc[i].ent_type_ not in _NAMES:
                break
        return None
    for child in number_head.children:  # "thousands of troops", "500 of them"
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in {"NOUN", "PROPN"}]
            if objects:
                return objects[0]
    return None


@Language.factory("storyline_figures", assigns=["doc._.figures"], requires=["doc.ents", "token.dep"])
def make_figures(nlp: Language, name: str) -> "FigureFinder":
    return FigureFinder()


# (orth, lower, like_num) → whether a token of that lexeme may start a figure (see _maybe)
_MAYBE: dict[tuple[int, int, int], bool] = {}


def _maybe(doc: Doc) -> list[bool]:
    """Per token: False where neither :func:`_is_number_word` nor a vague quantity can hold
    (each of their tests needs one of these word-level facts), so the loop below makes no
    Token object there. Decided once per word form (its lexeme's lower case and like_num),
    from Doc.to_array."""
    if len(doc) == 0:
        return []
    strings = doc.vocab.strings
    if len(_MAYBE) > 100_000:
        _MAYBE.clear()
    array = doc.to_array([ORTH, LOWER, LIKE_NUM])
    forms, first, which = np.unique(array[:, 0], return_index=True, return_inverse=True)
    decided = []
    for key in map(tuple, array[first].tolist()):
        found = _MAYBE.get(key)
        if found is None:
            lower = strings[key[1]]
            found = _MAYBE[key] = bool(
                key[2] or lower in _SCALES or lower in _UNITS or lower in _VAGUE or _NUMERIC.match(strings[key[0]])
            )
        decided.append(found)
    return np.asarray(decided, dtype=bool)[which.reshape(-1)].tolist()


class FigureFinder:
    def __call__(self, doc: Doc) -> Doc:
        figures: list[Figure] = []
        maybe = _maybe(doc)
        i = 0
        while i < len(doc):
            if not maybe[i]:
                i += 1
                continue
            token = doc[i]
            vague = token.lower_ in _VAGUE and token.pos_ in {"NOUN", "NUM"}
            if not (_is_number_word(token) or vague) or token.ent_type_ in _NOT_FIGURES:
                i += 1
                continue
            end = i + 1
            while end < len(doc) and doc[end].ent_type_ not in _NOT_FIGURES:
                if _is_number_word(doc[end]):
                    end += 1
                elif doc[end].text == "-" and end + 1 < len(doc) and doc[end + 1].lower_ in _UNITS:
                    end += 2  # "twenty-five"
                else:
                    break
            words = [t.text for t in doc[i:end] if t.text != "-"]
            value = _VAGUE[token.lower_] if vague else parse_number(words)
            if value is None or (len(words) == 1 and _YEAR.match(words[0]) and token.ent_type_ != "CARDINAL"):
                i = end
                continue
            start = i
            if start > 0 and doc[start - 1].lower_ in {"a", "an"} and doc[start].lower_ in _SCALES:
                start -= 1  # "a dozen", "a million"
            currency = None
            if start > 0 and doc[start - 1].text in _CURRENCY:
                start -= 1
                currency = _home_dollar(doc._.outlet_country) if doc[start].text == "$" else _CURRENCY[doc[start].text]
            elif start > 0 and doc[start - 1].text in _dollars():
                start -= 1
                currency = _dollars()[doc[start].text]
            qualified = _qualifier(doc, start)
            number_head = doc[end - 1]
            unit_token = _unit(number_head)
            if currency:
                unit = currency
            elif unit_token is not None and unit_token.text == "%":
                unit = "percent"
            elif unit_token is not None:
                # Headline case ("Two Kursk Region Villages") is not a name.
                unit = unit_token.text if unit_token.text.isupper() else unit_token.text.lower()
            elif end < len(doc) and doc[end].lower_ in {"percent", "per", "%"}:
                unit_token, unit = doc[end], "percent"
            else:
                unit = None
            span_end = max(end, unit_token.i + 1) if unit_token is not None and unit_token.i >= end and unit_token.i - end <= 4 else end
            span = doc[qualified:span_end]
            figures.append(
                Figure(
                    start=span.start_char,
                    end=span.end_char,
                    text=span.text,
                    value=float(value) if value != int(value) else int(value),
                    unit=unit,
                    approximate=vague or qualified < start,
                    about=_about(doc, unit_token, (start, end)) if unit_token is not None and unit not in ("percent",) and not currency else None,
                    qualifier=_bound(doc, qualified, start, vague),  # type: ignore[arg-type]
                )
            )
            i = max(end, span_end)
        doc._.figures = figures
        return doc
