"""The ``storyline_statements`` spaCy component: who said what, in ``doc._.statements``."""

from __future__ import annotations

from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from storyline.analyze import extensions
from storyline.analyze.attribution import features as F
from storyline.analyze.attribution import rules
from storyline.analyze.attribution.cues import cue_class_of
from storyline.analyze.attribution.extract import Found, extract
from storyline.analyze.attribution.stance import add_stances
from storyline.analyze.attribution.topics import is_topic_cue, topic_words
from storyline.analyze.attribution.speakers import Ents, PronounResolver, make_speaker, relative_antecedent
from storyline.model import Speaker, Statement, StatementKind, TextSpan

extensions.register()
# The spans of each statement as the tagger marked them (PolNeAR's conventions), parallel to
# doc._.statements, in characters: {"source": [start, end] or None, "cue": [start, end],
# "content": [[start, end], …]}. The content may have several pieces: a quote interrupted by
# its attribution ("A," he said, "B.") has two; the source is the relative pronoun where
# Statement.speaker names its antecedent; the cue keeps auxiliaries and adverbs ("has also
# said") that Statement.cue leaves out.
if not Doc.has_extension("statement_parts"):
    Doc.set_extension("statement_parts", default=None)


def _text_span(facts: F.TokenFacts, start: int, end: int) -> TextSpan:
    """The tokens start:end as a TextSpan (from the cached text: Span.text joins tokens)."""
    a, b = facts.char_span(start, end)
    return TextSpan(a, b, facts.text[a:b])


def _kind(facts: F.TokenFacts, start: int, end: int) -> StatementKind:
    """direct: the content is a quotation; mixed: part of it is; indirect: none is."""
    words = [i for i in range(start, end) if not facts.mark[i]]
    quoted = sum(1 for i in words if facts.quote[i] >= 0)
    if words and quoted >= 0.9 * len(words):
        return "direct"
    return "mixed" if quoted else "indirect"


def _as_shown(facts: F.TokenFacts, f: Found) -> Found:
    """``f`` without the content pieces that open a sentence after the cue's.

    PolNeAR joins “A,” she said. “B.” into one content of two pieces, and the
    evaluation keeps that; a reader sees “B.” as its own statement with the speaker
    carried over (a continuation quote), not one content with the attribution inside it."""
    k = int(facts.sent[f.cue[0]])
    kept = [p for p in f.content_parts if not (p[0] >= f.cue[1] and int(facts.sent[p[0]]) > k and int(facts.sent_start[p[0]]) >= p[0] - 1)]
    if not kept or len(kept) == len(f.content_parts):
        return f
    return replace(f, content=(kept[0][0], kept[-1][1]), content_parts=kept)


class StatementExtractor:
    """Tags cues, then each cue's source and content, resolves speakers, adds continuation quotes."""

    def __init__(self, weights: str | None = None, keep_topics: bool = False) -> None:
        self.weights = weights  # a directory with cue.json and role.json; None: the shipped ones
        self.keep_topics = keep_topics  # keep "addressed the issue"-like attributions (PolNeAR has them)

    def __call__(self, doc: Doc) -> Doc:
        facts = F.token_facts(doc)
        tagged_found = [f for f in extract(doc, facts, self.weights) if f.content is not None]
        found = [_as_shown(facts, f) for f in tagged_found]
        ents = Ents(doc)
        resolver = PronounResolver(doc, ents, facts.sents)
        entities = doc._.entities
        statements: list[Statement] = []
        parts: list[dict] = []
        spans: dict[int, tuple] = {}  # id(statement) → its cue and content tokens
        order = sorted(range(len(found)), key=lambda k: found[k].cue[0])
        found, tagged_found = [found[k] for k in order], [tagged_found[k] for k in order]
        for f, as_tagged in zip(found, tagged_found):
            speaker = None
            tagged = None
            if f.source is not None:
                span = doc[f.source[0] : f.source[1]]
                tagged = [span.start_char, span.end_char]
                if (antecedent := relative_antecedent(span, ents)) is not None:
                    span = antecedent  # "Zakharova, who denied …": the text names the speaker
                resolved = resolver.resolve(span.root) if span.root.pos_ == "PRON" else None
                speaker = make_speaker(doc, span, resolved, entities, ents)
                resolver.note_speaker(resolved or span, span.root.lower_ if resolved is not None else None)
            statement = self._statement(doc, facts, f, speaker)
            if not self.keep_topics and f.content is not None and is_topic_cue(doc, facts, statement.cue_class, f.content):
                continue
            statements.append(statement)
            spans[id(statement)] = (f.cue, f.content)
            content = [list(facts.char_span(a, b)) for a, b in as_tagged.content_parts]
            parts.append({"source": tagged, "cue": list(facts.char_span(*f.cue)), "content": content})
        for statement in list(self._continuations(doc, facts, found, statements)):
            statements.append(statement)
            parts.append({"source": None, "content": [[statement.content.start, statement.content.end]]})
        order = sorted(range(len(statements)), key=lambda k: statements[k].start)
        doc._.statements = [statements[k] for k in order]
        add_stances(doc, doc._.statements)
        self._topics(doc, spans)
        doc._.statement_parts = [parts[k] for k in order]
        return doc

    @staticmethod
    def _topics(doc: Doc, spans: dict[int, tuple]) -> None:
        """A saying or asking cue's content that names a topic takes no stance (topics.py); the
        reason is the word that makes it one ("question", "what")."""
        for statement in doc._.statements:
            if id(statement) in spans and (word := topic_words(doc, statement, *spans[id(statement)])):
                statement.stance, statement.stance_reason = None, word

    def _statement(self, doc: Doc, facts: F.TokenFacts, f: Found, speaker: Speaker | None) -> Statement:
        bare = rules.bare_cue(doc, facts, f.cue)
        assert f.content is not None
        bounds = [f.cue, f.content] + ([f.source] if f.source else [])
        whole = _text_span(facts, min(b[0] for b in bounds), max(b[1] for b in bounds))
        head = doc[F.cue_head(facts, f.cue[0], f.cue[1])]
        content = _text_span(facts, *f.content)
        return Statement(
            start=whole.start,
            end=whole.end,
            text=whole.text,
            speaker=speaker,
            cue=_text_span(facts, *bare),
            content=content,
            kind=_kind(facts, *f.content),
            cue_class=cue_class_of(doc[f.cue[0] : f.cue[1]], head),
        )

    def _continuations(self, doc: Doc, facts: F.TokenFacts, found: list[Found], statements: list[Statement]):
        """Sentences that are wholly a quotation, follow a direct or mixed statement in the same
        or the next paragraph, and carry no cue of their own: the speaker carries over."""
        covered = set()
        for f in found:
            for a, b in f.content_parts:
                covered.update(range(a, b))
            covered.update(range(*f.cue))
        quoted = facts.quote >= 0
        for s, e in facts.sents:
            if not quoted[s:e].any():
                continue
            words = [i for i in range(s, e) if not facts.space[i]]
            if len(words) < 3 or any(i in covered for i in words):
                continue
            if sum(bool(quoted[i]) for i in words) < 0.9 * len(words):
                continue
            earlier = [st for st in statements if st.end <= int(facts.start_char[s]) and st.cue is not None]
            if not earlier:
                continue
            prev = max(earlier, key=lambda st: st.end)
            between = facts.text[prev.end : int(facts.start_char[s])]
            if prev.kind == "indirect" or between.count("\n") > 2 or len(between) > 200 or prev.speaker is None:
                continue
            span = _text_span(facts, words[0], words[-1] + 1)
            yield Statement(
                start=span.start,
                end=span.end,
                text=span.text,
                speaker=prev.speaker,
                cue=None,
                content=span,
                kind="direct",
                cue_class=prev.cue_class,
            )


@Language.factory(
    "storyline_statements",
    assigns=["doc._.statements"],
    requires=["token.dep", "token.lemma", "token.pos", "doc.ents"],
    default_config={"weights": None, "keep_topics": False},
)
def make_statement_extractor(nlp: Language, name: str, weights: str | None, keep_topics: bool) -> StatementExtractor:
    return StatementExtractor(weights, keep_topics)
