"""The model's attribute rules (POS, morphology and lemma exceptions), matched on arrays.

spaCy's ``attribute_ruler`` runs its rules (179 in en_core_web_sm) through the ``Matcher``, which
tries every rule's first token at every token: a tenth of the whole analysis on news text. The rules
are exact tests of a token's LOWER, TAG and DEP (a value, ``IN``, ``NOT_IN``, ``REGEX``) and
IS_SPACE, one or two tokens long, so each rule's test is a few comparisons over the document's
columns (``Doc.to_array``). The matches are those the ``Matcher`` finds, in the order the ruler
sorts them, and spaCy's own ``AttributeRuler.set_annotations`` applies them: the tokens end with
the same attributes (``tests/test_attributes.py`` compares the two on real text). A rule this cannot
test (another attribute or operator) sends the whole document through the ``Matcher``.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

_COLUMNS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
_ARRAY = [LOWER, TAG, DEP, IS_SPACE]

# One condition on one token: (column, operator, operand). A pattern: the conditions of each token.
Condition = tuple[int, str, Any]
Pattern = list[list[Condition]]


class ArrayAttributeRuler(AttributeRuler):
    """:class:`spacy.pipeline.AttributeRuler` with its rules matched on the document's arrays."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._rules: list[tuple[int, list[Pattern]]] | None = []  # per rule: its Matcher key, its patterns
        self._regex_hits: dict[tuple[str, int], bool] = {}
        super().__init__(*args, **kwargs)

    def clear(self) -> None:
        super().clear()
        self._rules = []

    def add(self, patterns: Any, attrs: dict[str, Any], index: int = 0) -> None:
        super().add(patterns, attrs, index)  # the rule's key: the string of its position (AttributeRuler.add)
        if self._rules is not None:
            try:
                compiled = [[self._conditions(spec) for spec in pattern] for pattern in patterns]
            except ValueError:
                self._rules = None  # a rule this cannot test: the Matcher matches every document
            else:
                self._rules.append((self.vocab.strings.add(str(len(self.attrs) - 1)), compiled))

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        if self._rules is None or len(self._rules) != len(self.attrs):
            return super().match(doc)  # type: ignore[no-any-return]
        n = len(doc)
        columns = doc.to_array(_ARRAY)
        present = [set(np.unique(columns[:, c]).tolist()) for c in range(3)]  # LOWER, TAG, DEP values in the doc
        masks: dict[Condition, np.ndarray] = {}  # each condition tested once per document
        found: set[tuple[int, int, int, int]] = set()
        for attr_id, (key, patterns) in enumerate(self._rules):
            for pattern in patterns:
                size = len(pattern)
                if n < size or any(op == "==" and value not in present[column]
                                   for token in pattern for column, op, value in token):
                    continue  # a value it needs is nowhere in the document
                hits = np.ones(n - size + 1, dtype=bool)
                for offset, token in enumerate(pattern):
                    for condition in token:
                        mask = masks.get(condition)
                        if mask is None:
                            mask = masks[condition] = self._mask(condition, columns)
                        hits &= mask[offset:n - size + 1 + offset]
                found.update((attr_id, key, start, start + size) for start in np.flatnonzero(hits).tolist())
        return sorted(found)

    def _conditions(self, spec: dict[str, Any]) -> list[Condition]:
        """The conditions of one token's pattern (all must hold)."""
        conditions: list[Condition] = []
        strings = self.vocab.strings
        for attr, value in spec.items():
            if attr not in _COLUMNS:
                raise ValueError(attr)
            column = _COLUMNS[attr]
            if attr == "IS_SPACE":
                if not isinstance(value, bool):
                    raise ValueError(attr)
                conditions.append((column, "space", value))
            elif isinstance(value, str):
                conditions.append((column, "==", strings.add(value)))
            elif isinstance(value, dict) and len(value) == 1:
                (op, operand), = value.items()
                if op in ("IN", "NOT_IN") and isinstance(operand, list) and all(isinstance(v, str) for v in operand):
                    conditions.append((column, op, tuple(strings.add(v) for v in operand)))
                elif op == "REGEX" and isinstance(operand, str):
                    conditions.append((column, op, operand))
                else:
                    raise ValueError(attr)
            else:
                raise ValueError(attr)
        return conditions

    def _mask(self, condition: Condition, columns: np.ndarray) -> np.ndarray:
        column, op, value = condition
        values = columns[:, column]
        if op == "space":
            return (values != 0) == value  # type: ignore[no-any-return]
        if op == "==":
            return values == value  # type: ignore[no-any-return]
        if op in ("IN", "NOT_IN"):
            return np.isin(values, np.asarray(value, dtype=np.uint64)) == (op == "IN")  # type: ignore[no-any-return]
        return self._regex(value, values)

    def _regex(self, pattern: str, values: np.ndarray) -> np.ndarray:
        """Whether each value's string holds ``pattern`` (``re.search``, as the Matcher's REGEX),
        each distinct string tested once."""
        distinct, where = np.unique(values, return_inverse=True)
        strings = self.vocab.strings
        hits = np.zeros(len(distinct), dtype=bool)
        for i, value in enumerate(distinct.tolist()):
            known = self._regex_hits.get((pattern, value))
            if known is None:
                known = self._regex_hits[(pattern, value)] = bool(re.search(pattern, strings[value]))
            hits[i] = known
        return hits[where]  # type: ignore[no-any-return]


@Language.factory("storyline_attribute_ruler", default_config={"validate": False, "scorer": None})
def make_array_attribute_ruler(nlp: Language, name: str, validate: bool, scorer: Any) -> ArrayAttributeRuler:
    return ArrayAttributeRuler(nlp.vocab, name, validate=validate, scorer=scorer)


def use_array_rules(nlp: Language, name: str = "attribute_ruler") -> None:
    """Put an :class:`ArrayAttributeRuler` with the same rules in the place of the model's ruler."""
    if name not in nlp.pipe_names or type(nlp.get_pipe(name)) is not AttributeRuler:
        return
    model = nlp.get_pipe(name)
    ruler = nlp.replace_pipe(name, "storyline_attribute_ruler")
    ruler.add_patterns(model.patterns)
    ruler.scorer = model.scorer
