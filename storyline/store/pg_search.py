"""``--search`` on PostgreSQL: the query language the CLI documents (SQLite FTS5's) as a ``tsquery``.

Plain words must all occur; ``"a phrase"`` occurs as written; ``troop*`` is a
prefix; ``OR``, ``AND`` and ``NOT`` (``a NOT b``: a without b) combine, and
parentheses group. FTS5's ``NEAR``, column filters (``speaker_name:``) and the
``^``/``+`` operators have no counterpart here: such a query is a
:class:`~storyline.store.base.BadQuery`. Each word or phrase goes to PostgreSQL
quoted, so its own parser splits it into lexemes exactly as it split the text
(``Zakharova's`` is the phrase ``zakharova <-> s`` in both).
"""

from __future__ import annotations

import re

from storyline.store.base import BadQuery

_TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"(\*?)|(\()|(\))|([^\s()"]+))')
_OPERATORS = {"AND": "&", "OR": "|", "NOT": "& !"}
_UNSUPPORTED = re.compile(r"[:^+{}]")


def _lexeme(text: str, prefix: bool) -> str:
    quoted = "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


def tsquery(text: str) -> str:
    """``text`` (words, "phrases", prefix*, AND/OR/NOT, parentheses) as ``to_tsquery`` input;
    raises BadQuery for what it cannot express."""
    out: list[str] = []
    position, operand_before = 0, False
    stripped = text.rstrip()
    while position < len(stripped):
        match = _TOKEN.match(stripped, position)
        if match is None:  # a quote that is never closed
            raise BadQuery(f"{text!r}: unbalanced quote")
        position = match.end()
        phrase, phrase_prefix, opening, closing, word = match.groups()
        if word in _OPERATORS:
            if word == "NOT" and not operand_before:
                out.append("!")
            else:
                out.append(_OPERATORS[word])
            operand_before = False
            continue
        if word == "NEAR" or (word and _UNSUPPORTED.search(word)):
            raise BadQuery(f"{text!r}: NEAR, column filters and ^ or + are not supported by the PostgreSQL store")
        if closing:
            out.append(")")
            operand_before = True
            continue
        if operand_before:  # two operands side by side: both must occur
            out.append("&")
        if opening:
            out.append("(")
            operand_before = False
        elif phrase is not None:
            out.append(_lexeme(phrase.replace('""', '"'), bool(phrase_prefix)))
            operand_before = True
        else:
            out.append(_lexeme(word.rstrip("*"), word.endswith("*")))
            operand_before = True
    if not out:
        raise BadQuery(f"{text!r}: nothing to search for")
    return " ".join(out)
