"""Quotation spans."""

from storyline.analyze.attribution.quotes import quote_spans


def quoted(text: str) -> list[str]:
    return [text[a:b] for a, b in quote_spans(text)]


def test_straight_and_curly_quotes_pair():
    assert quoted('He said: "Go home." Then “stay”.') == ['"Go home."', "“stay”"]


def test_interrupted_quote_gives_two_quotations():
    assert quoted("“A,” he said, “B.”") == ["“A,”", "“B.”"]


def test_apostrophes_are_not_quotes():
    assert quoted("It's Trump’s plan, ‘the best’ one") == ["‘the best’"]


def test_ascii_double_single_quotes():
    assert quoted("''Eye of the Tiger.'' and ``x''") == ["''Eye of the Tiger.''", "``x''"]


def test_unclosed_quote_ends_with_its_paragraph():
    assert quoted('"Para one.\n\n"Para two," she said.') == ['"Para one.', '"Para two,"']
