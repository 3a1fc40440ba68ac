"""The recognition rules: one regular expression per kind of time expression.

Each rule's named groups are read by the handler of the same name in
:mod:`storyline.analyze.times.normalize`. Spans follow the TimeML guidelines:
determiners and modifiers ("the", "early", "about", "more than") belong to the
expression, prepositions ("on", "in", "since") do not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyline.analyze.times.lexicon import (
    MONTH_NAMES, MONTHS, NUMBER_WORD, ORDINALS, PARTS_OF_DAY, SEASONS, WEEKDAY_NAMES, WEEKDAYS, alternation,
)

L = r"(?<![\w$£€¥#@/.'’-])"  # left edge: not inside a word, an amount or a path
R = r"(?![\w]|-\w)"  # right edge: not inside a word or a hyphenated compound
S = r"[\s\u00a0]+"

MONTH = f"(?:{alternation(MONTHS)})"
MONTH_NAME = f"(?:{alternation(MONTH_NAMES)})"
WEEKDAY = f"(?:{alternation(WEEKDAY_NAMES)})"
WEEKDAY_ANY = f"(?:{alternation(WEEKDAYS)})"
DAY_ORDINAL = alternation(k for k, v in ORDINALS.items() if 1 <= v <= 31)
DAY = rf"(?:(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?|{DAY_ORDINAL})"
YEAR = r"(?:1[6-9]\d\d|20\d\d)"
SPOKEN_YEAR = (
    rf"(?:(?:nineteen|eighteen)(?:[\s-]+hundred(?:\s+and)?)?[\s-]+{NUMBER_WORD}"
    rf"|two\s+thousand(?:(?:\s+and)?\s+{NUMBER_WORD})?)"
)
NUM = (
    rf"(?:\d+(?:[.,]\d+)?(?:\s+\d/\d)?|{NUMBER_WORD}(?:[\s-]+(?:hundred|thousand))?"
    rf"(?:\s+and\s+a\s+half)?|(?:a|one)\s+(?:hundred|thousand)|an?(?:\s+single)?|a\s+couple\s+of|couple\s+of|a\s+couple|a\s+dozen"
    rf"|dozens\s+of|a\s+pair\s+of)"
)
VAGUE = r"(?:several|a\s+few|few|some|many|numerous|a\s+number\s+of|countless|the\s+few)"
UNIT = (
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|years?"
    r"|decades?|century|centuries|millennium|millennia)"
)
UNIT_SG = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|century|millennium)"
SEASON = f"(?:{alternation(SEASONS)})"
PART_OF_DAY = f"(?:{alternation(k for k in PARTS_OF_DAY if k not in ('tonight', 'overnight'))})"
ORDINAL = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
APPROX = (
    r"(?:(?:about|around|approximately|roughly|nearly|almost|at\s+least|at\s+most|more\s+than"
    r"|less\s+than|fewer\s+than|up\s+to|upwards\s+of|no\s+more\s+than|no\s+less\s+than"
    r"|not\s+more\s+than|an\s+additional|another|a\s+further|some|the\s+better\s+part\s+of|the\s+last|the\s+past"
    r"|the\s+next|the\s+first|the\s+final|the\s+coming|the\s+previous|the\s+following|the\s+latest"
    r"|the\s+initial|the\s+remaining|the\s+ensuing|the\s+preceding|the\s+subsequent|the|this|that|these|those"
    r"|past|last|next|first|coming|previous|following|final|recent|latest)\s+)"
)
# Modifiers that leave a date's value alone (TimeML puts them in the mod attribute).
DATE_MOD = (
    r"(?:(?:early|earlier|late|later|mid|middle|the\s+middle\s+of|the\s+end\s+of|the\s+beginning\s+of"
    r"|the\s+start\s+of|the\s+rest\s+of|the\s+remainder\s+of|the\s+turn\s+of|the\s+close\s+of"
    r"|the\s+course\s+of|the\s+dawn\s+of|end\s+of|around|about|as\s+early\s+as|as\s+late\s+as|no\s+later\s+than"
    r"|earlier\s+in|later\s+in|early\s+in|late\s+in|sometime\s+in|sometime|some\s+time\s+in|a\s+good\s+part\s+of)[\s-]+)"
)
CLOCK = (
    r"(?:(?P<h>\d{1,2})(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ampm>a\.m\.?|p\.m\.?|am|pm|a\s?m|p\s?m|o'clock)"
    r"|(?P<h2>[0-2]?\d):(?P<mi2>[0-5]\d)(?::\d\d)?(?!\d)|(?P<named>noon|midnight|midday|mid-day))"
)
ZONE = r"(?:[ECMP][SD]T|GMT|UTC|BST|CET|JST|KST|(?:\(\s*)?local\s+time(?:\s*\))?|Z)"
DAY_WORD = rf"(?:yesterday|today|tomorrow|tonight|{WEEKDAY}|{MONTH}\.?\s+{DAY}(?:,?\s+{YEAR})?)"


@dataclass(frozen=True)
class Rule:
    name: str  # also the handler's name in normalize.HANDLERS
    pattern: re.Pattern[str]


def _rule(name: str, pattern: str, flags: int = re.I) -> Rule:
    return Rule(name, re.compile(L + "(?:" + pattern + ")" + R, flags))


RULES: tuple[Rule, ...] = (
    _rule("month_day", rf"(?:(?P<wd>{WEEKDAY_ANY}),?{S})?(?P<mod>{DATE_MOD})?(?P<month>{MONTH})\.?{S}(?:the\s+)?"
          rf"(?P<day>{DAY})(?!\s*(?:%|percent|[:/]\d))(?:\s*,?\s*(?P<year>{YEAR}|{SPOKEN_YEAR}))?"),
    _rule("day_month", rf"(?:(?P<wd>{WEEKDAY_ANY}),?{S})?(?:the\s+)?(?P<day>{DAY})(?:\s+of)?{S}(?P<month>{MONTH})\.?"
          rf"(?:,?\s+(?P<year>{YEAR}))?"),
    _rule("month_year", rf"(?P<mod>{DATE_MOD})?(?P<month>{MONTH_NAME}){S}?,?\s*(?:of\s+)?(?P<year>{YEAR}|{SPOKEN_YEAR}|'\d\d)"),
    _rule("numeric_date", r"(?P<m>[01]?\d)/(?P<d>[0-3]?\d)/(?P<y>\d{4}|\d\d)(?!/)"),
    _rule("iso_date", r"(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<hh>[0-2]\d):(?P<mm>[0-5]\d))?"),
    _rule("decade", r"(?P<the>the\s+)?(?P<mod>(?:early|mid|late|middle)[\s-]*|the\s+(?:first|second|last)\s+half\s+of\s+the\s+)?"
          r"(?:(?P<year>1[0-9]\d0|20\d0)'?s|['’](?P<yy>\d0)'?s|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))"),
    _rule("century", rf"(?P<the>the\s+)?(?P<mod>(?:early|mid|late)[\s-]+)?(?P<n>\d{{1,2}}(?:st|nd|rd|th)|{DAY_ORDINAL})[\s-]+century"),
    _rule("year", rf"(?P<pre>(?:(?:fiscal|calendar|fy|model)(?:\s+year)?|the\s+year|the\s+(?:early|late)\s+part\s+of|{DATE_MOD})\s*)?"
          rf"(?P<year>{YEAR})(?P<post>\s+and\s+beyond|\s+or\s+later|\s+or\s+earlier)?(?!\s*(?:%|percent|[-/]\d|\.\d|,\d))"),
    _rule("fiscal_short", r"(?P<pre>fiscal|fy)\s*(?P<yy>'?\d\d)(?!\d)"),
    _rule("spoken_year", rf"(?P<pre>(?:the\s+year|{DATE_MOD})\s*)?(?P<spoken>{SPOKEN_YEAR})"),
    _rule("month", rf"(?P<rel>this\s+past|this\s+coming|this|last|next|the\s+following|the\s+previous|past|coming|{DATE_MOD})?\s*"
          rf"(?P<month>{MONTH_NAME})(?:{S}(?P<yrel>this|last|next)\s+year)?(?!\s*\d)"),
    _rule("weekday", rf"(?P<rel>this\s+coming|this\s+past|last|this|next|coming|past|the\s+previous|the\s+following|previous"
          rf"|early|late|earlier|later|the\s+same|that)?\s*(?P<wd>{WEEKDAY})(?P<plural>s)?"
          rf"(?:\s+(?P<pod>mornings?|afternoons?|evenings?|nights?|night))?(?:,?\s+(?P<wk>this|last|next)\s+week)?"),
    _rule("deictic", rf"(?P<mod>early|late|earlier|later|as\s+of|until|by\s+the\s+end\s+of)?\s*"
          rf"(?P<word>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow)"
          rf"(?:\s+(?P<pod>{PART_OF_DAY}))?"),
    _rule("part_of_day", rf"(?P<mod>early|late|mid|mid-)?\s*(?P<rel>this|last|yesterday|tomorrow|the|that|the\s+same|the\s+next|the\s+following|the\s+previous)\s+"
          rf"(?P<mod2>early\s+|late\s+|mid-?)?(?P<pod>{PART_OF_DAY})|(?P<mod3>mid-?\s*)(?P<pod3>{PART_OF_DAY})(?:\s+(?P<day3>yesterday|today|{WEEKDAY}))?|(?P<word>tonight|overnight)"),
    _rule("unit_relative", rf"(?P<mod>{DATE_MOD})?(?P<rel>this\s+past|this\s+coming|this|last|next|the\s+past|the\s+last|the\s+coming"
          rf"|the\s+next|the\s+current|the\s+previous|the\s+following|the\s+same|that|the\s+prior|the\s+preceding|the\s+present"
          rf"|the\s+current\s+fiscal|the\s+new|the\s+whole|the\s+entire|the\s+full|the\s+current\s+calendar"
          rf"|the\s+fiscal|the\s+calendar|the\s+financial|the\s+very\s+same|the\s+very\s+next|the\s+upcoming|the)\s+"
          rf"(?P<unit>fiscal\s+year|financial\s+year|calendar\s+year|school\s+year|year|quarter|month|week|weekend|decade|century|"
          rf"day|{SEASON})(?!\s+of\b)(?P<todate>\s+to\s+date)?"
          # "ended" / "ending" stay outside the span, as TimeML's signals do ("[the quarter] ended Sept. 30")
          rf"(?=\s+(?P<ended>ended|ending)\s+(?P<end>{MONTH}\.?\s+{DAY}(?:,?\s+{YEAR})?)?)?(?=\s+(?P<ba>before|after)\b)?"),
    _rule("year_end", r"(?P<mod>around\s+|about\s+)?(?P<w>year-end|year\s+end|year's\s+end|yearend|month-end|month's\s+end|week's\s+end)"),
    _rule("season", rf"(?P<the>the\s+)?(?P<mod>early|late|mid|mid-)?[\s-]*(?P<season>summer|winter|autumn|spring|fall)"
          rf"(?:\s+(?:of\s+)?(?P<year>{YEAR}|{SPOKEN_YEAR}))?"),
    _rule("relative_offset", rf"(?P<approx>(?:about|around|approximately|roughly|nearly|almost|only|just|some|at\s+least|more\s+than|less\s+than|over|barely)\s+)?"
          rf"(?P<num>{NUM}|{VAGUE})?[\s-]*(?P<unit>{UNIT})\s+(?:or\s+so\s+|or\s+more\s+|and\s+a\s+half\s+)?"
          # "before"/"after"/"on" end an offset only when no noun phrase follows ("two years after the war" is a duration)
          # "ago", "earlier" belong to the expression (a DATE); "later", "after", "before" are TimeML signals,
          # left outside the span of what is then a DURATION ("[Three days] later").
          rf"(?:(?P<dir>ago|earlier(?!\s+than\b)|from\s+now|hence|back|previously)|(?P<signal>later(?!\s+than\b)|afterwards?"
          rf"|(?:before|after|prior|on)(?!\s+(?:than|to|the|that|this|a|an|his|her|its|their|our|my|he|she|they|it|we|i|you)\b)))"),
    _rule("quarter", rf"(?P<det>the\s+|this\s+year's\s+|last\s+year's\s+|next\s+year's\s+|(?P<yown>{YEAR})'s\s+|a\s+|an\s+)?"
          rf"(?P<adj>(?:fiscal|calendar|year-ago|year-earlier|latest|current|comparable|previous|prior|final)[\s-]+)?"
          rf"(?:(?P<y1>{YEAR})\s+|fiscal\s+(?P<y4>{YEAR})\s+)?(?P<ord>{ORDINAL}|last)[\s-]+(?:fiscal[\s-]+)?(?P<unit>quarter|half|quarters|halves)"
          rf"(?:\s+of\s+(?:fiscal\s+)?(?:(?P<y2>{YEAR})|(?P<yrel>this|last|next|the\s+(?:current|previous|same|fiscal)(?:\s+fiscal)?)\s+year))?"
          rf"(?:,?\s+(?:fiscal\s+)?(?P<y3>{YEAR}))?"),
    _rule("quarter_code", r"(?P<code>[QH])(?P<n>[1-4])(?:\s*(?:of\s+)?(?:(?P<year>(?:19|20)\d\d)|FY\s*(?P<fy>\d\d)|'(?P<yy>\d\d)))?", 0),
    _rule("period_ref", rf"(?P<det>the\s+|a\s+)?(?P<adj>comparable\s+year-ago|comparable\s+year-earlier|year-ago|year-earlier|year\s+ago|"
          rf"year-before|prior-year|year-previous|comparable|corresponding|same|latest|recent|current|most\s+recent|(?P<year>{YEAR})(?:\s+fiscal)?)?\s*"
          rf"(?P<unit>quarter|period|nine\s+months|six\s+months|three\s+months|first\s+half|second\s+half|half|fiscal\s+year|year)"
          rf"(?P<tail>\s+(?:last\s+year|a\s+year\s+(?:ago|earlier)|of\s+last\s+year|the\s+previous\s+year|the\s+prior\s+year|a\s+year\s+before))?"),
    _rule("year_ago_adj", r"(?P<adj>year-ago|year-earlier|year-before|prior-year|year-previous)"),
    _rule("duration", rf"(?P<approx>{APPROX}){{0,2}}(?P<num>{NUM}|{VAGUE})(?:\s*(?:to|or|-|and)\s*(?P<num2>{NUM}))?[\s-]+"
          r"(?P<adj>(?:more|additional|full|straight|consecutive|trading|business|working|calendar|long|whole|entire|extra|further|remaining|short)[\s-]+)?"
          rf"(?P<unit>{UNIT})(?P<old>-old|-long|\s+old)?(?P<andhalf>\s+and\s+a\s+half)?(?:,?\s+(?:and\s+)?(?!an?\s)(?P<num3>{NUM})\s+(?P<unit3>{UNIT}))?"
          r"(?P<tail>\s+or\s+so|\s+or\s+more|\s+and\s+beyond|\s+ahead|\s+running)?"),
    _rule("unit_long", r"(?P<unit>minute|hour|day|week|month|year|decade|century)[\s-]long"),
    _rule("half_unit", rf"(?P<approx>{APPROX})?half\s+an?\s+(?P<unit>{UNIT_SG})"),
    # The preposition is context, not part of the span (the "span" group is).
    _rule("bare_units", r"(?:for|in|within|over|after|took|take|takes|lasted|last|lasts|spent|spend)\s+"
          r"(?P<span>(?P<unit>seconds|minutes|hours|days|weeks|months|years|decades|centuries)(?:\s+or\s+(?P<unit2>weeks|months|years|decades))?)"
          r"(?!\s+(?:of|ago|earlier|later|before|after|old)\b)"),
    _rule("clock", rf"(?P<approx>(?:around|about|approximately|roughly|shortly\s+after|shortly\s+before|just\s+after|just\s+before|at\s+about|at\s+around)\s+)?"
          rf"(?:(?P<pre>{DAY_WORD}),?\s+(?:at\s+)?)?{CLOCK}(?:\s*(?P<tz>{ZONE}))?(?:,?\s+(?:on\s+)?(?P<post>{DAY_WORD}))?"
          rf"(?!\s*(?:%|percent|million|billion))"),
    _rule("set", rf"(?P<every>every|each)\s+(?:other\s+|single\s+|(?P<num>{NUM})\s+)?(?P<what>{UNIT}|{WEEKDAY}|{MONTH_NAME}|{SEASON}|{PART_OF_DAY}|weekday|weekend)"
          rf"|(?P<freq>daily|annually|weekly|monthly|yearly|hourly|nightly|biweekly|bimonthly|semiannually|semi-annually|biannually|fortnightly)"
          rf"|(?P<times>once|twice|thrice|(?:{NUM})\s+times)\s+(?:a|an|per|each|every)\s+(?P<tunit>{UNIT_SG}|{WEEKDAY})"),
    _rule("vague", r"(?P<recent>recent)\s+(?P<runit>years|months|weeks|days|decades|quarters)"
          r"|(?P<present>now|right\s+now|currently|current|these\s+days|nowadays|at\s+present|presently"
          r"|the\s+present|the\s+current\s+time)"
          r"|(?P<past>recently|recent|lately|once\s+upon\s+a\s+time|the\s+past|some\s+time\s+ago|the\s+old\s+days|past\s+(?:years|decades|centuries))"
          r"|(?P<future>soon(?!\s+(?:after|as|afterwards?)\b)|the\s+future|the\s+near\s+future|the\s+near\s+term|the\s+short\s+term|the\s+long\s+term"
          r"|the\s+medium\s+term|the\s+longer\s+term|someday|in\s+due\s+course|a\s+later\s+date"
          r"|as\s+soon\s+as\s+possible|(?:the\s+)?coming\s+(?:years|months|weeks|days|decades|quarters)|the\s+(?:years|months|weeks|days)\s+ahead)"),
    _rule("holiday", r"(?P<rel>this|last|next)?\s*(?P<name>christmas\s+eve|christmas\s+day|christmas|new\s+year's\s+eve|new\s+year's\s+day|"
          r"new\s+year's|independence\s+day|thanksgiving(?:\s+day)?|halloween|valentine's\s+day|easter(?:\s+sunday)?|good\s+friday|"
          r"memorial\s+day|labor\s+day|veterans\s+day|boxing\s+day|may\s+day|election\s+day|new\s+year)(?:\s+(?P<year>\d{4}))?"),
)

RULE_RANK = {rule.name: i for i, rule in enumerate(RULES)}

# The words one of which every match of a rule contains ("#" stands for any number): the rules
# only run near their own trigger words (see recognize.windows), which keeps the component cheap.
_MONTH_WORDS = {w.rstrip(".") for w in MONTHS}
_WEEKDAY_WORDS = {w.rstrip(".") for w in WEEKDAYS}
_UNIT_WORDS = {
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "night", "nights", "week", "weeks",
    "weekend", "weekends", "fortnight", "fortnights", "month", "months", "quarter", "quarters", "year", "years",
    "decade", "decades", "century", "centuries", "millennium", "millennia",
}
_SEASON_WORDS = set(SEASONS)
_DECADE_WORDS = {"twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"}
_HOLIDAY_WORDS = {"christmas", "new", "independence", "thanksgiving", "halloween", "valentine", "easter", "good",
                  "memorial", "labor", "veterans", "boxing", "may", "election"}
TRIGGERS: dict[str, set[str]] = {
    "month_day": _MONTH_WORDS, "day_month": _MONTH_WORDS, "month_year": _MONTH_WORDS, "month": _MONTH_WORDS,
    "numeric_date": {"#"}, "iso_date": {"#"}, "decade": {"#"} | _DECADE_WORDS, "century": {"century"},
    "year": {"#"}, "fiscal_short": {"#"}, "spoken_year": {"nineteen", "eighteen", "thousand"},
    "weekday": _WEEKDAY_WORDS, "deictic": {"yesterday", "today", "tomorrow"},
    "part_of_day": set(PARTS_OF_DAY) | {"mid"},
    "unit_relative": _UNIT_WORDS | _SEASON_WORDS | {"fiscal"}, "year_end": {"year", "month", "week", "yearend"},
    "season": _SEASON_WORDS, "relative_offset": _UNIT_WORDS, "quarter": {"quarter", "quarters", "half", "halves"},
    "quarter_code": {"q", "h"},
    "period_ref": {"quarter", "period", "months", "half", "year"}, "year_ago_adj": {"year"},
    "duration": _UNIT_WORDS, "unit_long": _UNIT_WORDS, "half_unit": _UNIT_WORDS, "bare_units": _UNIT_WORDS,
    "clock": {"#", "noon", "midnight", "midday", "mid"},
    "set": {"every", "each", "once", "twice", "thrice", "times", "daily", "annually", "weekly", "monthly", "yearly",
            "hourly", "nightly", "biweekly", "bimonthly", "semiannually", "semi", "biannually", "fortnightly"},
    "vague": {"now", "currently", "current", "days", "nowadays", "present", "presently", "recently", "recent",
              "lately", "once", "past", "old", "soon", "future", "term", "someday", "course", "date", "possible",
              "coming", "ahead", "time", "years", "months", "weeks", "decades", "quarters", "centuries", "ago"},
    "holiday": _HOLIDAY_WORDS,
}
