"""Sentence case for Title Case (and ALL CAPS) headlines, by word frequency.

spaCy's small English model reads a capitalised word as a proper noun: in
"Ukraine Says Russia To Deploy 10K North Korean Troops" it tags "Says" as a
plural proper noun and splits the line in two. The same line in sentence case
("Ukraine says Russia to deploy 10K North Korean troops") parses as news text
does. A capitalised word is lower-cased when the text itself writes it in lower
case elsewhere (the article's body), or else when news text mostly does: the
lexicon (``lexicons/casing.txt``) holds each word in the case it is written in more
often away from the start of a sentence, counted over
1.1 million words of news (PolNeAR train, ECB+, TempEval-3; the frequency
truecasing baseline of Lita et al. 2003, "tRuEcasIng"; Title Case lines are
left out of the counts). An inflected form news text never showed takes its
base form's case there ("Abandons" → "abandon"). A word news text never
showed at all is lower-cased when the model's own dictionary (its lemmatizer's WordNet
word lists) knows it and the model's entity recogniser did not put it inside a
name; else it stays as written.

Lower-casing never changes a word's length, so offsets are kept.

    python -m storyline.casing ../shared/data/polnear/train/text \\
        ../shared/data/ecbplus/text ../shared/data/timeml      # rebuilds the lexicon
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

LEXICON = Path(__file__).parent / "lexicons" / "casing.txt"
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TAG = re.compile(r"<[^>]+>")
# Characters between a word and what comes before it that do not end a sentence.
_OPENERS = " \t“\"‘'([—–-"
_ENDS = ".?!:;"


_INITIALS = re.compile(r"(?:^|[\s(])(?:[A-Z]\.)+$|(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Jr|Sr|vs)\.$")


def _initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a sentence (or a line, a quotation after a colon …);
    the period of "U.S." or "Dr." ends none."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    if i < 0 or text[i] == "\n":
        return True
    if text[i] == "." and _INITIALS.search(text[max(0, i - 11) : i + 1]):
        return False
    return text[i] in _ENDS


def _title_shaped(word: str) -> bool:
    """"Says", "Large-Scale", "Russia’s": capitalised, the rest in lower case."""
    parts = [p for p in re.split(r"[-'’]", word) if p]
    return bool(parts) and parts[0][:1].isupper() and all(p[1:].islower() or len(p) == 1 for p in parts) and word[1:] != word[1:].upper()


def count_cases(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """(lower-case count, capitalised count) of each word away from the start of a sentence;
    each text's first line (its title) is left out, and so is any line in Title Case (a
    header such as "Poughkeepsie Savings @ Abandons Plan to Sell"): it shows no word's case."""
    lower: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for text in texts:
        body = text.split("\n", 1)[1] if "\n" in text else ""
        titled = _titled_lines(body)
        for m in _WORD.finditer(body):
            word = m.group()
            if _initial(body, m.start()) or titled and _in_any(m.start(), titled):
                continue
            if word.islower():
                lower[word] += 1
            elif _title_shaped(word):
                capital[word.lower()] += 1
    return lower, capital


def _titled_lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) of the lines of ``text`` in Title Case: three or more words of four letters
    or more, all capitalised (a sentence heavy with names still has "said", "with" …)."""
    out = []
    at = 0
    for line in text.split("\n"):
        long = [w for w in _WORD.findall(line) if len(w) >= 4]
        if len(long) >= 3 and all(w[0].isupper() for w in long):
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


def _in_any(i: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= i < b for a, b in spans)


def build_lexicon(texts: Iterable[str]) -> list[str]:
    """Every word seen away from the start of a sentence, in the case it is written most
    often there ("troops", "Ukraine"; a tie goes to lower case)."""
    lower, capital = count_cases(texts)
    words = set(lower) | set(capital)
    return sorted(w if lower[w] >= capital[w] else w[:1].upper() + w[1:] for w in words)


@lru_cache(maxsize=1)
def news_usage() -> dict[str, bool]:
    """The shipped lexicon: word (lower case) → written in lower case in news (True) or
    capitalised (False). Empty if the file is missing."""
    if not LEXICON.exists():
        return {}
    return {w.lower(): w.islower() for w in LEXICON.read_text(encoding="utf-8").split()}


def _key(word: str) -> str:
    """The lexicon form: lower case, without a possessive ending."""
    w = word.lower()
    for ending in ("'s", "’s"):
        if w.endswith(ending):
            return w[: -len(ending)]
    return w


def _lemmas(word: str) -> set[str]:
    """Candidate dictionary forms of an inflected word (a crude stemmer, for a look-up)."""
    out = {word}
    for ending, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            stem = word[: -len(ending)] + repl
            out.add(stem)
            if repl == "" and len(stem) > 2 and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # "stopping" → "stop"
    return out


def body_usage(text: str, skip: tuple[int, int], only: set[str] | None = None) -> dict[str, tuple[int, int]]:
    """(lower-case, capitalised) counts of the words of ``text`` outside ``skip``, away from the
    start of a sentence: how the document itself writes them. With ``only`` (lexicon forms,
    see :func:`looked_up`), just the words of those forms are counted."""
    # A word's form is its lower case, or that without "'s": a word whose lower case is
    # neither a wanted form nor one with "'s" added cannot have a wanted form.
    wanted = None if only is None else only | {k + end for k in only for end in ("'s", "’s")}
    counts: dict[str, list[int]] = {}
    for m in _WORD.finditer(text):
        if wanted is not None and m.group().lower() not in wanted:
            continue
        if skip[0] <= m.start() < skip[1] or _initial(text, m.start()):
            continue
        word = m.group()
        if word.islower():
            counts.setdefault(_key(word), [0, 0])[0] += 1
        elif _title_shaped(word):
            counts.setdefault(_key(word), [0, 0])[1] += 1
    return {w: (a, b) for w, (a, b) in counts.items()}


def looked_up(headlines: Iterable[str]) -> set[str]:
    """The lexicon forms :meth:`Caser.sentence_case` may look up in a body's usage for these
    headlines: those of their words and of the words' hyphen-separated parts."""
    return {_key(part) for line in headlines for m in _WORD.finditer(line) for part in [m.group(), *m.group().split("-")]}


class Caser:
    """Decides which capitalised words of a headline are common words.

    In order: how the document's own body writes the word; else how news text writes it
    (the shipped lexicon); else, for a word news text never showed, whether the model's
    dictionary (its lemmatizer's WordNet word lists) knows it and the model's entity
    recogniser did not put it inside a name."""

    def __init__(self, usage: dict[str, bool], dictionary: frozenset[str] = frozenset()) -> None:
        self.usage = usage
        self.dictionary = dictionary

    @classmethod
    def for_model(cls, nlp: object) -> "Caser":
        """With the dictionary of ``nlp``'s lemmatizer (none if it has no lemma index)."""
        words: set[str] = set()
        try:
            table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
            for lemmas in table.values():
                words.update(w for w in lemmas if "_" not in w)
        except (KeyError, ValueError, AttributeError):
            pass
        return cls(news_usage(), frozenset(words))

    def common(self, word: str, body: dict[str, tuple[int, int]], named: bool = False) -> bool:
        key = _key(word)
        low, cap = body.get(key, (0, 0))
        if low or cap:
            return low >= cap
        if key in self.usage:
            return self.usage[key]
        # An inflected form news text never showed takes its base form's case ("Abandons" →
        # "abandon"), which the text's name tagger, misled by the capitals, cannot overrule.
        base = [self.usage[w] for w in _lemmas(key) - {key} if w in self.usage]
        if base:
            return any(base)
        return not named and bool(_lemmas(key) & self.dictionary)

    def sentence_case(
        self, text: str, body: dict[str, tuple[int, int]] | None = None, named: Callable[[int, int], bool] | None = None
    ) -> str | None:
        """``text`` (one headline) in sentence case, or None when it is in neither Title Case
        nor ALL CAPS. ``named(start, end)``: whether the model found those characters inside
        a name.

        Title Case: at least two capitalised common words after the first, and more of them
        than lower-case words of four letters or more. ALL CAPS: four words or more, four in
        five of them in capitals of three letters or more. The words opening the line, a
        sentence or a quotation after a colon keep their capital."""
        body = body or {}
        words = list(_WORD.finditer(text))
        if not words:
            return None

        def common(m: re.Match[str], part: str | None = None) -> bool:
            return self.common(part or m.group(), body, named(m.start(), m.end()) if named else False)

        chars = list(text)
        caps = [m for m in words if len(m.group()) > 2 and m.group().isupper()]
        if len(words) >= 4 and len(caps) >= 0.8 * len(words):
            for m in caps:
                w = m.group()
                new = w.lower() if common(m) else w[0] + w[1:].lower()
                if _initial(text, m.start()):
                    new = new[0].upper() + new[1:]
                if len(new) == len(w):
                    chars[m.start() : m.end()] = new
            return "".join(chars)
        inner = [m for m in words if not _initial(text, m.start())]
        capitalised = [m for m in inner if _title_shaped(m.group()) and any(common(m, p) for p in m.group().split("-") if p)]
        lower = [m for m in inner if m.group().islower() and len(m.group()) >= 4]
        if len(capitalised) < 2 or len(capitalised) <= len(lower):
            return None
        for m in capitalised:
            w = m.group()
            new = "".join(p.lower() if p != "-" and p and common(m, p) else p for p in re.split(r"(-)", w))
            if len(new) == len(w):
                chars[m.start() : m.end()] = new
        return "".join(chars)


def _texts(paths: Iterable[str]) -> Iterable[str]:
    for raw in paths:
        path = Path(raw)
        files = sorted(path.rglob("*.txt")) + sorted(path.rglob("*.tml")) if path.is_dir() else [path]
        for f in files:
            text = f.read_text(encoding="utf-8", errors="replace")
            yield _TAG.sub("", text) if f.suffix == ".tml" else text


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m storyline.casing DIR_OR_FILE … (writes lexicons/casing.txt)")
    words = build_lexicon(_texts(sys.argv[1:]))
    LEXICON.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words → {LEXICON}")
