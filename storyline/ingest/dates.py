"""Publication dates: parsed with dateparser, made time-zone aware."""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo

import dateparser

# "October. 26, 2024" (donga.com) → "October 26, 2024": dateparser reads the
# month-with-period form, but the comma the dateline trails does confuse it.
_TRAILING = " \t\r\n\f\v\u00a0,;|·"
# No date is written in more characters; dateparser's time grows with the input.
MAX_DATE_CHARS = 200


def parse_datetime(text: str, zone: tzinfo | None) -> tuple[datetime | None, bool]:
    """Parse a publication date/time.

    Returns ``(datetime, zone_assumed)``. A zone written in the text wins; a
    naive time gets ``zone`` (the outlet's), or UTC when that is unknown, and
    ``zone_assumed`` says that the zone did not come from the text itself.
    """
    text = text.strip().rstrip(_TRAILING)
    if not text or len(text) > MAX_DATE_CHARS:
        return None, False
    try:
        parsed: datetime | None = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = dateparser.parse(text, languages=["en"], settings={"PREFER_DATES_FROM": "past"})
    if parsed is None:
        return None, False
    offset = parsed.utcoffset()
    if offset is not None:  # dateparser's own zone classes → a plain fixed offset
        return parsed.replace(tzinfo=parsed.tzinfo if isinstance(parsed.tzinfo, timezone) else timezone(offset)), False
    return parsed.replace(tzinfo=zone or timezone.utc), zone is None
