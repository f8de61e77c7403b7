"""Word helpers shared by the text checks: one crude singular, so every check compares alike."""

from __future__ import annotations

import re

__all__ = ["stem", "word_set"]

_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child"}


def stem(word: str) -> str:
    """A crude singular: trucks -> truck, boxes -> box, batteries -> battery, people -> person."""
    w = word.lower().strip("-")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if re.search(r"(?:ch|sh|x|ss|z|us)es$", w):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a literal list, for vocabularies written as one string."""
    return frozenset(text.split())
