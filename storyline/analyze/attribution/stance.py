"""The stance of a statement toward its content: affirm, deny or hedge.

Read off the parse, at two places: the cue (what the speaker does with the
content) and the content's main clause (what the content says). At each:

- negation: a ``neg`` dependent ("not", "n't", "never") or a negative
  determiner of a core argument ("no troops", "nothing");
- denial: a verb that says its complement is false (deny, reject, dismiss,
  refute, rule out, debunk …) or a falsity word describing it ("fake",
  "false", "untrue", "baseless" — the refuting words of FNC-1's Athene system);
- hedging: a possibility modal (may, might, could), a hedging adverb or
  adjective (reportedly, allegedly, possibly, perhaps, apparently, possible,
  unclear), a verb of appearance or doubt (appear, seem, doubt, suspect,
  speculate), refusing or declining (to confirm), a condition ("if …") or a
  question.

They compose: a negated denial ("does not deny", "cannot be ruled out") and a
negated saying ("refused to confirm or deny", "did not say") hedge; a negated
belief verb (neg-raising: "does not think X") denies X; negation or denial
inside the content ("said there were no troops") denies; two of them cancel
("denied that it had not …", "never doubted"); "highly likely" and "likely"
affirm. ``stance_reason`` is the deciding words, as the text writes them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from storyline.model import Statement

_DENY = {"deny", "reject", "dismiss", "refute", "rebut", "disavow", "debunk", "dispute", "contradict", "retract", "disprove"}
_DENY_PHRASES = {("rule", "out"), ("shoot", "down"), ("brush", "off"), ("play", "down")}
_FALSE = {"fake", "false", "untrue", "baseless", "groundless", "unfounded", "bogus", "hoax", "nonsense", "fabricated",
          "fabrication", "inaccurate", "lie", "lies", "misinformation", "fiction", "exaggerated", "absurd", "wrong"}
_POSSIBLE_MODALS = {"may", "might", "could"}
_HEDGE_WORDS = {"reportedly", "allegedly", "possibly", "perhaps", "maybe", "apparently", "purportedly", "supposedly",
                "possible", "unclear", "uncertain", "unconfirmed", "unverified", "conceivably", "presumably"}
_HEDGE_VERBS = {"appear", "seem", "doubt", "suspect", "speculate", "wonder", "guess", "rumor", "rumour", "purport", "fear", "ask"}
_REFUSE = {"refuse", "decline", "fail", "avoid"}
_NEG_RAISING = {"think", "believe", "expect", "suppose", "seem", "appear", "want"}
_NEGATIVE_DETS = {"no", "none", "nothing", "nobody", "neither", "nor", "never"}
_CONDITIONS = {"if", "unless", "whether"}


def _negations(token: Token) -> list[Token]:
    out = [c for c in token.children if c.dep_ == "neg" or c.lower_ == "never" and c.dep_ in ("advmod", "neg")]
    for c in token.children:
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "expl") and (c.lower_ in _NEGATIVE_DETS or any(d.lower_ == "no" and d.dep_ == "det" for d in c.children)):
            out.append(c if c.lower_ in _NEGATIVE_DETS else next(d for d in c.children if d.lower_ == "no"))
    return out


def _is_denial(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if lemma in _DENY:
        return True
    return any((lemma, c.lower_) in _DENY_PHRASES for c in token.children if c.dep_ == "prt")


def _hedges(token: Token) -> list[Token]:
    """Possibility modals, hedging adverbs/adjectives and conditions on ``token``."""
    out = []
    for c in token.children:
        if c.dep_ == "aux" and c.lower_ in _POSSIBLE_MODALS:
            out.append(c)
        elif c.dep_ in ("advmod", "acomp", "amod") and c.lower_ in _HEDGE_WORDS:
            out.append(c)
        elif c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in c.children):
            out.append(next(m for m in c.children if m.dep_ == "mark"))
    if token.lower_ in _HEDGE_WORDS:
        out.append(token)
    return out


def _main(span: Span) -> Token | None:
    """The content's main predicate: the shallowest verb (else the shallowest word) of its
    first sentence with words."""
    words = [t for t in span if not (t.is_space or t.is_punct)]
    if not words:
        return None
    sent = words[0].sent
    inside = [t for t in words if sent.start <= t.i < sent.end]
    roots = [t for t in inside if not (span.start <= t.head.i < span.end) or t.head == t]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")]
    return (verbs or roots or inside)[0]


def _reason(doc: Doc, tokens: list[Token]) -> str | None:
    """The deciding words as the text writes them: the span from the first to the last when
    they lie close together, else each run joined with " … "."""
    if not tokens:
        return None
    ordered = sorted({t.i for t in tokens})
    runs: list[list[int]] = [[ordered[0]]]
    for i in ordered[1:]:
        if i - runs[-1][-1] <= 3:
            runs[-1].append(i)
        else:
            runs.append([i])
    return " … ".join(doc[r[0] : r[-1] + 1].text for r in runs)


def stance(doc: Doc, statement: Statement) -> tuple[str, str | None]:
    """(stance, reason) of one statement found in ``doc``."""
    content = doc.char_span(statement.content.start, statement.content.end, alignment_mode="expand")
    cue = doc.char_span(statement.cue.start, statement.cue.end, alignment_mode="expand") if statement.cue else None
    if content is None:
        return "affirm", None
    flips: list[Token] = []  # each negation or denial turns the polarity over
    hedges: list[Token] = []
    cue_neg: list[Token] = []
    cue_kind = None
    cue_aux: list[Token] = []
    if cue is not None and len(cue):
        head = cue.root
        verbs = [head] + [t for t in cue if t.dep_ in ("xcomp", "conj") and t.head in cue]
        for verb in verbs:
            lemma = verb.lemma_.lower()
            cue_neg += _negations(verb)
            if _is_denial(verb):
                cue_kind = "deny"
                flips.append(verb)
            elif lemma in _HEDGE_VERBS:
                cue_kind = cue_kind or "hedge"
                hedges.append(verb)
            elif lemma in _NEG_RAISING:
                cue_kind = cue_kind or "raise"
            hedges += [t for t in _hedges(verb) if t.lower_ != "would"]
        # "refused to confirm", "declined to comment": the cue under a verb of refusing
        governor = head.head if head.dep_ == "xcomp" else None
        if governor is not None and governor.lemma_.lower() in _REFUSE:
            cue_neg.append(governor)
        cue_neg += [t for t in cue if t.lemma_.lower() in _REFUSE and t not in cue_neg]
        cue_neg += [t for t in cue if t.dep_ == "neg" and t not in cue_neg]
        cue_aux = [t for t in head.children if t.dep_ == "aux" and t.i < head.i]  # "does" of "does not deny"
    main = _main(content)
    tokens = list(content)  # made once: the content is read up to four times below
    content_flips: list[Token] = []
    if main is not None:
        content_flips += _negations(main)
        if _is_denial(main) and content_flips:  # "cannot be ruled out", "did not deny"
            return "hedge", _reason(doc, content_flips + [main] + [c for c in main.children if c.dep_ in ("aux", "auxpass", "prt")])
        if _is_denial(main):
            content_flips.append(main)
        hedges += _hedges(main)
        lemma = main.lemma_.lower()
        if lemma == "doubt" and content_flips:  # "never doubted that …"
            content_flips.append(main)
        elif lemma in _HEDGE_VERBS - {"ask"}:
            hedges.append(main)
        # A quotation of several sentences: a condition on a later one hedges it too
        # ("Images are a serious thing. If there are images, then they reflect something").
        main_end = main.sent.end
        for t in tokens[max(0, main_end - content.start) :]:
            if t.pos_ in ("VERB", "AUX") and not (content.start <= t.head.i < content.end):
                hedges += [h for h in _hedges(t) if h.dep_ == "mark"]
    falsity = [t for t in tokens if t.lower_ in _FALSE and not t.is_space]
    question = content.text.rstrip().endswith("?") or (statement.cue is None and content.sent.text.rstrip().endswith("?"))
    if statement.cue_class == "ask":
        question = True
    if question:
        return "hedge", _reason(doc, hedges) or "?"
    if cue_neg:
        if cue_kind == "raise":  # "does not think X": thinks not X
            return ("affirm" if len(content_flips) % 2 else "deny"), _reason(doc, cue_aux + cue_neg + [cue.root] + content_flips)  # type: ignore[union-attr]
        # "does not deny", "refused to confirm or deny", "did not say"
        return "hedge", _reason(doc, cue_aux + cue_neg + list(cue or []))
    if main is not None and content_flips and main.lemma_.lower() == "doubt":
        return "affirm", _reason(doc, content_flips)
    likely = [t for t in tokens if t.lower_ == "likely"]
    if hedges and not likely:
        return "hedge", _reason(doc, hedges)
    polarity = len(flips) + len(content_flips)
    if falsity and cue_kind in (None, "deny"):
        return "deny", _reason(doc, flips + falsity)
    if polarity % 2 == 1:
        return "deny", _reason(doc, flips + content_flips)
    if polarity:
        return "affirm", _reason(doc, flips + content_flips)
    return "affirm", _reason(doc, likely + [t for t in tokens if t.lower_ in ("highly", "certainly", "definitely", "clearly") and t.head in likely])


def add_stances(doc: Doc, statements: list[Statement]) -> None:
    """Fill ``stance`` and ``stance_reason`` of each statement."""
    for statement in statements:
        statement.stance, statement.stance_reason = stance(doc, statement)  # type: ignore[assignment]
