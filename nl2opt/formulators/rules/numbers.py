"""Numbers in English: digits, money, percentages, number words and multipliers.

Word problems write the same quantity many ways ("$1,500", "1.5 thousand",
"fifteen", "40%", "40 percent", "twice", "a third"). The rules downstream only
want a value and a flag saying how the value reads (money, percent, factor), so
that is what this module returns. It never guesses: a word it does not know is
not a number.
"""

from __future__ import annotations

import re

NUMBER_WORDS: dict[str, float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALE_WORDS: dict[str, float] = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1e9}

# Multipliers: "twice as many", "three times", "half of", "a third of".
FACTOR_WORDS: dict[str, float] = {
    "twice": 2, "double": 2, "thrice": 3, "triple": 3, "quadruple": 4, "half": 0.5,
    "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25, "fourth": 0.25, "fourths": 0.25,
    "fifth": 0.2, "fifths": 0.2, "sixth": 1 / 6, "tenth": 0.1, "tenths": 0.1,
}

DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")

MAX_READ = 1e15
"""Largest number read from text: past it a float no longer counts whole units exactly, and a
few hundred digits overflow to infinity."""


def parse_digits(text: str) -> float | None:
    """Value of a digit string such as '1,500' or '0.75'; None when it is not one."""
    if not DIGITS.fullmatch(text):
        return None
    return float(text.replace(",", ""))


def too_large(text: str) -> str | None:
    """The first digit string in ``text`` above :data:`MAX_READ`, shortened for a message; else None."""
    for match in DIGITS.finditer(text):
        digits = match.group()
        if float(digits.replace(",", "")) > MAX_READ:
            shown = digits if len(digits) <= 24 else f"{digits[:10]}…{digits[-4:]} ({len(digits)} characters)"
            return shown
    return None


def word_value(words: list[str]) -> tuple[float, int] | None:
    """Value of the longest number-word phrase at the start of ``words``.

    Returns (value, words consumed), e.g. ['twenty', 'five', 'cakes'] -> (25, 2);
    None when the first word is not a number word. 'hundred' and 'thousand' scale
    what came before ('two hundred' = 200).
    """
    total = 0.0
    current = 0.0
    used = 0
    for word in words:
        w = word.lower()
        if w in NUMBER_WORDS:
            if used and current % 100 != 0 and NUMBER_WORDS[w] >= 10 and current >= 10:
                break
            current += NUMBER_WORDS[w]
        elif w in SCALE_WORDS and used:
            current = max(current, 1) * SCALE_WORDS[w]
            if SCALE_WORDS[w] >= 1000:
                total += current
                current = 0
        elif w == "and" and used and current >= 100:
            continue
        else:
            break
        used += 1
    if not used:
        return None
    return total + current, used


def fraction_value(words: list[str]) -> tuple[float, int] | None:
    """'two thirds' -> (2/3, 2); 'a half' / 'one third' -> (0.5, 2); 'half' -> (0.5, 1)."""
    if not words:
        return None
    first = words[0].lower()
    if first in FACTOR_WORDS and first not in ("twice", "double", "thrice", "triple", "quadruple"):
        return FACTOR_WORDS[first], 1
    if len(words) >= 2:
        second = words[1].lower()
        if second in FACTOR_WORDS and second not in ("twice", "double", "thrice", "triple", "quadruple"):
            if first in ("a", "an", "one"):
                return FACTOR_WORDS[second], 2
            if first in NUMBER_WORDS:
                return NUMBER_WORDS[first] * FACTOR_WORDS[second], 2
    return None


def format_number(value: float) -> str:
    """Short, exact-looking text for a coefficient: 2 not 2.0, 0.3333333333 for a third."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"
