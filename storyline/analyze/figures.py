"""``storyline_figures``: numbers with what they count.

"approximately 12,000 troops" → 12000 troops, approximate; "three generals" →
3 generals; "$1.5 billion" → 1.5e9 USD; "thousands of soldiers" → 1000
soldiers, approximate (a lower bound the text leaves vague). Numbers that are
part of dates, times, ordinals or names ("Article 4") are not figures.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Token

from storyline.model import Figure

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
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW", "₽": "RUB", "₴": "UAH"}
# Entity labels whose numbers are not figures.
_NOT_FIGURES = {"DATE", "TIME", "ORDINAL", "LAW", "WORK_OF_ART", "PRODUCT", "EVENT", "FAC", "ORG", "PERSON", "GPE"}
_NUMERIC = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?$")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def parse_number(words: list[str]) -> float | None:
    """"12,000" → 12000; "1.5 million" → 1.5e6; "twenty-five thousand" → 25000; "a dozen" → 12."""
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


_NAMES = {"GPE", "LOC", "ORG", "PERSON", "NORP", "FAC"}


def _unit(number_head: Token) -> Token | None:
    head = number_head.head
    if number_head.dep_ in {"nummod", "quantmod", "compound", "amod"} and head.pos_ in {"NOUN", "PROPN"} and head.i > number_head.i:
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


class FigureFinder:
    def __call__(self, doc: Doc) -> Doc:
        figures: list[Figure] = []
        i = 0
        while i < len(doc):
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
                currency = _CURRENCY[doc[start].text]
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
                )
            )
            i = max(end, span_end)
        doc._.figures = figures
        return doc
