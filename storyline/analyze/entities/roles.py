"""Roles the text gives a person: "Russian President Vladimir Putin",
"Maria Zakharova, the foreign ministry's spokeswoman,".
"""

from __future__ import annotations

from spacy.tokens import Span

# Dependency relations of the words in a pre-name title ("U.S. Secretary of Defense").
_TITLE_DEPS = {"compound", "amod", "nmod", "poss", "case", "prep", "pobj", "npadvmod", "punct"}
_MAX_ROLE_TOKENS = 8


def pre_name_role(name: Span) -> str | None:
    """The title right before a person's name, within the same noun phrase."""
    doc = name.doc
    head = name.root
    first = name.start
    i = name.start - 1
    while i >= 0 and name.start - i <= _MAX_ROLE_TOKENS:
        token = doc[i]
        if token.is_space or token.dep_ not in _TITLE_DEPS or token.text in {",", "(", ")", "—", "–", "-"}:
            break
        # The word must hang (transitively) off the name's head.
        if head not in token.ancestors:
            break
        if token.ent_type_ == "PERSON" or token.ent_type_ in {"DATE", "TIME", "CARDINAL"}:
            break
        first = i
        i -= 1
    while first < name.start and (doc[first].is_punct or doc[first].lower_ in {"'s", "’s", "of"}):
        first += 1
    if first >= name.start:
        return None
    role = doc[first : name.start]
    # A bare adjective ("former", "Russian") is not a role; a title noun is.
    if not any(t.pos_ in {"NOUN", "PROPN"} and t.ent_type_ not in {"GPE", "NORP"} for t in role):
        return None
    return role.text


def appositive_role(name: Span) -> str | None:
    """"Maria Zakharova, the foreign ministry spokeswoman" → "foreign ministry spokeswoman"."""
    for child in name.root.children:
        if child.dep_ == "appos" and child.i >= name.end and child.pos_ == "NOUN" and child.ent_type_ != "PERSON":
            tokens = [t for t in child.subtree if not t.is_punct or t.text in {"-", "’s", "'s"}]
            # Stop at a relative clause or a comma-separated continuation.
            tokens = [t for t in tokens if t.dep_ not in {"relcl", "acl"} and not any(a.dep_ in {"relcl", "acl"} and a.i > child.i for a in t.ancestors if a in child.subtree)]
            if tokens and tokens[0].lower_ in {"the", "a", "an"}:
                tokens = tokens[1:]
            if 0 < len(tokens) <= _MAX_ROLE_TOKENS:
                return name.doc[tokens[0].i : tokens[-1].i + 1].text
    return None


def roles_of(name: Span) -> list[str]:
    return [r for r in (pre_name_role(name), appositive_role(name)) if r]
