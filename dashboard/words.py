"""What the dashboard calls things: warnings in words (never their codes) and the import library's
command-line hints in the Import form's words (fields, not flags).

Every page reads a warning's words through `warning_words`, so they come from one place: the
warnings registry's titles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from queries import warning_registry

# A warning's few words, for tables and headings (the registry's titles, capitalised); the message and
# advice say the numbers and the why.
WARNING_WORDS: dict[str, str] = {w.code: w.title[:1].upper() + w.title[1:] for w in warning_registry.REGISTRY}
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def warning_words(code: str) -> str:
    """A warning's name in words (a code the table does not know yet: its words from the code)."""
    return WARNING_WORDS.get(code) or code.replace("_", " ").capitalize()


def warnings_text(codes: Iterable[str], none: str = "none") -> str:
    """Several warnings in words, most important first as given: 'Load spike (ACWR high); All runs alike'."""
    words = [warning_words(c) for c in codes]
    return "; ".join(words) or none


def in_words(text: str) -> str:
    """`text` (a plan suggestion's why, a message) with every warning code in it said in words."""
    return CODE.sub(lambda m: warning_words(m.group(0)) if m.group(0) in WARNING_WORDS else m.group(0), text)


DATE_ORDER_WORDS = {"dmy": "day/month", "mdy": "month/day"}
# The import library speaks to the command line; the Import form has a field for each of its options.
FLAG_WORDS: list[tuple[re.Pattern[str], Any]] = [
    # the advice for unlabelled sessions: the athlete page has a picker for them
    (
        re.compile(r"label them with `crosstrain activities set ID --category C[^`]*`.*?recategorise`"),
        "pick their category under \u201cUnlabelled sessions\u201d below, for one session or all of that "
        "name (or add the words of their names to [category_keywords] in the settings file)",
    ),
    (
        re.compile(
            r'crosstrain athletes set "[^"]*" --timezone ZONE, then import again; '
            r"or import with --timezone ZONE"
        ),
        "choose the Time zone field and import again",
    ),
    (re.compile(r"(?:pass|use|choose another name with) --athlete(?: NAME)?"), "fill in the Athlete field"),
    (re.compile(r"--athlete(?: NAME)?"), "the Athlete field"),
    (re.compile(r"(?:re-?import|import again) with --timezone ZONE"), "import again with a Time zone"),
    (re.compile(r"--timezone(?: ZONE)?"), "the Time zone field"),
    (re.compile(r"pass --units (\w+)"), r'import again with Units "\1"'),
    (re.compile(r"--units (\w+)"), r'Units "\1"'),
    (re.compile(r"--units"), "the Units field"),
    (re.compile(r"pass --date-order (\w+)"), lambda m: f'import again with Date order "{_order(m)}"'),
    (re.compile(r"--date-order (\w+)"), lambda m: f'Date order "{_order(m)}"'),
    (re.compile(r"--date-order"), "the Date order field"),
    (re.compile(r"--format (\w+)"), r'Format "\1"'),
    (re.compile(r"`"), ""),
]


def _order(match: re.Match[str]) -> str:
    return DATE_ORDER_WORDS.get(match.group(1), match.group(1))


def page_words(text: str) -> str:
    """`text` from the import library with its command-line options named as the form's fields."""
    for pattern, words in FLAG_WORDS:
        text = pattern.sub(words, text)
    return text
