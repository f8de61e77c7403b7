"""Text to sentences to tokens, with numbers recognised and words lemmatised.

Everything downstream works on :class:`Token` lists, so the quirks of written
numbers (``$1,500``, ``40%``, ``twenty five``, ``two thirds``) and of plurals are
settled once, here. Sentences keep their original text for the descriptions of
the spec elements built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nl2opt.formulators.rules.lexicon import PURE_UNITS
from nl2opt.formulators.rules.numbers import (
    FACTOR_WORDS,
    NUMBER_WORDS,
    SCALE_WORDS,
    fraction_value,
    parse_digits,
    word_value,
)


@dataclass
class Token:
    """One word, number or punctuation mark of a sentence."""

    text: str
    lemma: str
    kind: str  # "word" | "num" | "punct"
    value: float | None = None
    money: bool = False
    percent: bool = False
    factor: bool = False  # a multiplier word: twice, half, a third
    spelled: bool = False  # written in words ("two"), not digits
    index: int = 0
    label: bool = False  # a number that names a decision: the '2' of 'oven 2'

    @property
    def is_num(self) -> bool:
        return self.kind == "num"


@dataclass
class Sentence:
    """A sentence of the problem: its text, its tokens and its position."""

    text: str
    tokens: list[Token]
    index: int
    numbers: list[Token] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.numbers = [t for t in self.tokens if t.is_num]


_IRREGULAR = {
    "geese": "goose", "people": "person", "men": "man", "women": "woman", "children": "child",
    "teeth": "tooth", "feet": "foot", "mice": "mouse", "oxen": "ox", "data": "data", "series": "series",
    "species": "species", "gas": "gas", "bus": "bus", "buses": "bus", "glasses": "glass", "classes": "class",
    "news": "news", "status": "status", "lens": "lens", "canvas": "canvas", "tomatoes": "tomato",
    "potatoes": "potato", "heroes": "hero", "echoes": "echo", "knives": "knife", "loaves": "loaf",
    "shelves": "shelf", "halves": "half", "leaves": "leaf", "lives": "life", "wolves": "wolf",
    "calves": "calf", "thieves": "thief", "analyses": "analysis", "sold": "sell", "made": "make",
    "costs": "cost", "less": "less", "cannot": "cannot", "was": "be", "is": "be", "are": "be", "were": "be",
    "has": "have", "does": "do", "did": "do", "minimize": "minimize", "this": "this", "his": "his",
    "its": "its", "us": "us", "yes": "yes", "plus": "plus", "gross": "gross", "process": "process",
    "business": "business", "fitness": "fitness", "mattress": "mattress", "dress": "dress",
    "chassis": "chassis", "physics": "physics", "electronics": "electronics", "vitamins": "vitamin",
}


_INVARIANT = frozenset(
    ["whereas", "always", "perhaps", "sometimes", "towards", "afterwards", "besides", "unless", "across", "thus", "plus", "series", "news", "less", "bus", "gas", "yes", "this", "his", "its", "us", "does", "has", "was", "is", "as", "lens", "chaos", "bias", "canvas", "atlas", "christmas"]
)


def lemma(word: str) -> str:
    """A crude, predictable singular of a lower-case word (no dictionary needed)."""
    w = word.lower()
    if w.endswith("'s") or w.endswith("’s"):
        w = w[:-2]
    w = w.rstrip("'’")
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in _INVARIANT:
        return w
    if len(w) > 4 and w.endswith("ie"):
        return w[:-2] + "y"  # 'hoodie' and 'hoodies' both become 'hoody'
    if len(w) <= 3 or not w.endswith("s"):
        return w
    if w.endswith(("ss", "us", "is", "ous")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return w[:-2]
    return w[:-1]


_TOKEN = re.compile(r"[A-Za-z]+\d+\b|\d+(?:,\d{3})*(?:\.\d+)?|\.\d+|[A-Za-z]+(?:-[A-Za-z]+)*(?:['’][A-Za-z]+)*|[^\w\s]")


# Words after a symbol that show it is the decision itself, not a label before a product's name:
# 'x1 plus x2', 'x3 should receive', 'for x2, x3 and x4 respectively'.
_NOT_A_NAME = (
    "respectively|plus|minus|times|multiplied|combined|together|than|as|to|by|with|from|in|for|of|"
    "must|should|can|cannot|could|will|would|shall|may|might|has|have|had|was|were|"
    "requires?|needs?|demands?|receives?|gets?|takes?|uses?|exceeds?"
)


def normalize(text: str) -> str:
    """Undo the escapes some datasets carry (literal '\\n', '\\$', TeX '$x$') and tidy spaces."""
    t = text.replace("\\n", "\n").replace("\\%", "%")
    if "\\$" in t:
        t = t.replace("\\$", "\x00").replace("$", "").replace("\x00", "$")
    t = re.sub(r"\$([A-Za-z][A-Za-z0-9_]*(?:\s*,\s*(?:and\s+)?[A-Za-z][A-Za-z0-9_]*)*,?)\$", r"\1", t)  # TeX names: '$P$', '$p1, p2,$'
    t = t.replace("\\times", "*").replace("\\cdot", "*").replace("\\", "")
    t = re.sub(r"\((?=[^()]*\b[a-z]\d\b)(?=[^()]*(?:\b0\b|zero|negative|unknown))[^()]*\)", "", t)  # '(y1 and y2 are unknowns, at least 0)'
    standalone = set(re.findall(r"\b([a-z]\d)(?=\s*(?:[,.;:)]|$|\s(?:and|or)\b))", t))  # 'x2' named on its own
    t = re.sub(
        r"\b([a-z]\d)\s+(?=[a-z])(?!(?:and|or|represents?|denotes?|stands?|is|are|be|units?|" + _NOT_A_NAME + r")\b)",
        lambda m: m.group(0) if m.group(1) in standalone else "",
        t,
    )  # 'bakes y1 plain buns': a symbol before the name (not 'x2 plus x3', nor an 'x2' named on its own)
    t = re.sub(
        r"\b([A-Za-z]\d{0,2})\s*\((?:multiplied|weighted) by (?:a factor of )?([\w.]+)(?:,?\s+(?:due to|because|as|reflecting)\b[^()\d]*)?\)",
        r"\2 times \1",
        t,
    )  # 'x1 (multiplied by two)': the multiplier written before the symbol, as algebra reads it
    t = re.sub(r"\[\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*\]", r"[\1 , \2]", t)  # '[0,3000]': two bounds, not 300
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", ",", t)
    t = re.sub(r"[ \t]+", " ", t)
    return t.strip()


_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "Mr.", "Mrs.", "Ms.", "Dr.", "St.", "approx.", "No.")


def split_sentences(text: str) -> list[str]:
    """Sentences of a normalised text: ends at . ! ? or a line break, never inside a decimal."""
    protected = text
    for i, abbr in enumerate(_ABBREVIATIONS):
        protected = protected.replace(abbr, abbr.replace(".", f"\x01{i}\x01"))
    protected = re.sub(r"(?<=[.:;])\s+(?:[b-hj-z]|\([a-z]\)|[a-z]\))\s+(?=[A-Z])", "\n", protected)  # not 'a' / 'i': articles
    protected = re.sub(r"(?<=\s)\.(?=[A-Z][a-z])", ".\n", protected)  # 'each pie .There is': a stop with the space on the wrong side
    protected = re.sub(r"(?<=[.:;])-\s*(?=[A-Z])", "\n", protected)  # 'rules:- The total ...': a bullet glued to the stop
    parts = re.split(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9$])|\n+\s*(?:[-*•]\s+)?|(?<=\S)\s+-\s+(?=[A-Z])", protected)
    out = []
    for part in parts:
        for i, _abbr in enumerate(_ABBREVIATIONS):
            part = part.replace(f"\x01{i}\x01", ".")
        part = part.strip().lstrip("-*• ").strip()
        if part and re.search(r"[A-Za-z0-9]", part):
            out.append(part)
    return out


def numbered_names(text: str) -> set[str]:
    """'2-piece' and '3-piece' in one text: a number glued to a word, with several numbers, is a name."""
    seen: dict[str, set[str]] = {}
    for num, word in re.findall(r"(?<![\w.])(\d+)-([A-Za-z]+)\b", text):
        seen.setdefault(word.lower(), set()).add(num)
    return {f"{n}-{w}" for w, nums in seen.items() if len(nums) >= 2 for n in nums}


# Units that 'half a ... of' measures out ('half a kilogram of flour'); money keeps its own reading, and
# a bare 'half an hour' ('one can't book half an hour') stays a remark, not an amount.
_HALF_UNITS = PURE_UNITS - {"dollar", "cent"}


def _split_hyphenated_numbers(raw: list[str]) -> list[str]:
    """'twenty-five' -> 'twenty', 'five'; 'two-thirds' -> 'two', 'thirds': every part a number or
    fraction word, so that the number reads as if it were written with spaces (never dropped)."""
    out: list[str] = []
    for piece in raw:
        parts = piece.split("-")
        known = NUMBER_WORDS.keys() | FACTOR_WORDS.keys() | SCALE_WORDS.keys()
        if len(parts) > 1 and all(p.lower() in known for p in parts) and parts[0].lower() in NUMBER_WORDS:
            out.extend(parts)
        else:
            out.append(piece)
    return out


def tokenize(sentence: str, names: set[str] = frozenset()) -> list[Token]:
    """Tokens with numbers merged: '$' + digits, digits + '%' / 'percent', number words, fractions."""
    raw = _TOKEN.findall(sentence)
    if names:
        merged: list[str] = []
        k = 0
        while k < len(raw):
            if k + 2 < len(raw) and raw[k + 1] == "-" and f"{raw[k]}-{raw[k + 2].lower()}" in names:
                merged.append(f"{raw[k]}-{raw[k + 2]}")
                k += 3
                continue
            merged.append(raw[k])
            k += 1
        raw = merged
    raw = _split_hyphenated_numbers(raw)
    out: list[Token] = []
    i = 0
    while i < len(raw):
        piece = raw[i]
        low = piece.lower()
        if low == "dozen" and not (out and out[-1].is_num and not out[-1].spelled) and i + 1 < len(raw) and raw[i + 1].lower() != "of":
            if out and out[-1].is_num and out[-1].spelled and not out[-1].factor:
                out[-1].value *= 12  # 'two dozen chairs'
                out[-1].text += " dozen"
                i += 1
                continue
            if out and out[-1].lemma in ("a", "one") and not (len(out) > 1 and out[-2].is_num):
                out[-1] = Token(f"{out[-1].text} dozen", "dozen", "num", value=12, spelled=True)  # 'at least a dozen tables', not '$3 a dozen'
                i += 1
                continue
        value = parse_digits(piece)
        if value is not None:
            tok = Token(piece, piece, "num", value=value)
            if out and out[-1].text in ("$", "£", "€"):
                out.pop()
                tok.money = True
            # "1.5 million", "2 thousand"
            scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "k": 1e3, "thousands": 1e3, "millions": 1e6, "billions": 1e9, "dozen": 12}
            if i + 1 < len(raw) and raw[i + 1].lower() in scale:
                tok.value = value * scale[raw[i + 1].lower()]
                i += 1
            out.append(tok)
            i += 1
            continue
        if low in ("dollar", "dollars", "usd") and out and out[-1].is_num:
            out[-1].money = True
        if low in ("%", "percent", "percentage") and out and out[-1].is_num and not out[-1].percent:
            out[-1].percent = True
            i += 1
            if low == "percentage" or (low == "percent" and i < len(raw) and raw[i].lower() == "age"):
                pass
            continue
        if low == "per" and i + 1 < len(raw) and raw[i + 1].lower() == "cent" and out and out[-1].is_num:
            out[-1].percent = True
            i += 2
            continue
        if low == "half" and i + 3 < len(raw) and raw[i + 1].lower() in ("a", "an") and lemma(raw[i + 2]) in _HALF_UNITS and raw[i + 3].lower() == "of":
            out.append(Token(piece, low, "num", value=0.5, spelled=True))  # 'half a kilogram of flour': an amount, not a multiplier
            i += 2
            continue
        frac = fraction_value(raw[i:i + 2]) if low not in ("a", "an") else None
        if frac is not None and (frac[1] == 2 or low in FACTOR_WORDS):
            val, used = frac
            out.append(Token(" ".join(raw[i:i + used]), low, "num", value=val, factor=True, spelled=True))
            i += used
            continue
        if low in FACTOR_WORDS:
            out.append(Token(piece, low, "num", value=FACTOR_WORDS[low], factor=True, spelled=True))
            i += 1
            continue
        if low in NUMBER_WORDS:
            wv = word_value(raw[i:i + 6])
            if wv is not None:
                val, used = wv
                out.append(Token(" ".join(raw[i:i + used]), low, "num", value=val, spelled=True))
                i += used
                continue
        kind = "word" if re.match(r"[A-Za-z]|\d+-[A-Za-z]", piece) else "punct"
        out.append(Token(piece, lemma(piece) if kind == "word" else piece, kind))
        i += 1
    for n, tok in enumerate(out):
        tok.index = n
    return out


def sentences(text: str) -> list[Sentence]:
    """The problem as tokenised sentences."""
    clean = normalize(text)
    names = numbered_names(clean)
    out = [Sentence(s, tokenize(s, names), k) for k, s in enumerate(split_sentences(clean))]
    for sent in out:
        pronoun_ones(sent)
    numbered_labels(out)
    return out


_ONE_ENDS = frozenset({"and", "or", ",", ".", ";", "which", "that", "with", "for"})


def pronoun_ones(sent: Sentence) -> None:
    """'sells two lamps: a desk one and a floor one': each 'one' stands for the counted noun ('desk lamp').

    Only after a counted noun closed by ':' or ',' and when every such 'one' follows a
    describing word, so 'one' as an amount ('one hour') is never touched.
    """
    toks = sent.tokens
    ones = [i for i, t in enumerate(toks) if t.is_num and t.spelled and t.lemma == "one" and i > 0 and toks[i - 1].kind == "word" and toks[i - 1].text.isalpha() and toks[i - 1].lemma not in ("each", "per", "every", "only", "than", "the", "a", "an", "of", "least", "most")]
    ones = [i for i in ones if i + 1 == len(toks) or toks[i + 1].lemma in _ONE_ENDS]
    if len(ones) < 2:
        return
    for h in range(ones[0]):
        if toks[h].is_num and toks[h].value is not None and toks[h].value == len(ones):
            stop = next((k for k in range(h + 1, ones[0]) if toks[k].text in (":", ",")), None)
            nouns = [t for t in toks[h + 1:stop] if t.kind == "word"] if stop else []
            if nouns and stop - h - 1 == len(nouns) <= 4:
                head = nouns[-1]
                for i in ones:
                    toks[i] = Token(head.text, head.lemma, "word", index=i)
                sent.numbers = [t for t in toks if t.is_num]
            return


def numbered_labels(sents: list[Sentence]) -> None:
    """'runs two ovens ... oven 1 ... oven 2': numbers 1..k right after a noun counted k are names.

    The numbers become word tokens (lemma '1', '2', flagged ``label``), so they name
    decisions and no rule reads them as amounts. Only when the text counts the noun
    ('two large ovens') or each name opens a sentence ('Blend 2 contains ...'), and the
    numbers run 1, 2, ... k with nothing left out.
    """
    found: dict[str, dict[int, list[Token]]] = {}
    counted: set[tuple[int, str]] = set()
    opening: set[tuple[str, int]] = set()
    for s in sents:
        toks = s.tokens
        for i, t in enumerate(toks):
            if not t.is_num or t.money or t.percent or t.factor or t.value is None or t.value != int(t.value):
                continue
            for j in range(i + 1, min(i + 4, len(toks))):
                if toks[j].kind == "word" and toks[j].text.lower() != toks[j].lemma:
                    counted.add((int(t.value), toks[j].lemma))  # 'two large ovens'
                    break
            noun = toks[i - 1] if i > 0 else None
            if noun is not None and noun.kind == "word" and noun.text.isalpha() and 1 <= t.value <= 9:
                found.setdefault(noun.lemma, {}).setdefault(int(t.value), []).append(t)
                if i == 1 and noun.text[0].isupper() and i + 1 < len(toks) and toks[i + 1].kind == "word":
                    opening.add((noun.lemma, int(t.value)))  # 'Blend 2 contains ...' opens its sentence
    for noun, by_value in found.items():
        k = len(by_value)
        if k < 2 or set(by_value) != set(range(1, k + 1)) or not ((k, noun) in counted or all((noun, v) in opening for v in by_value)):
            continue
        for value, toks in by_value.items():
            for t in toks:
                t.kind, t.lemma, t.value, t.label, t.spelled = "word", str(value), None, True, False
    for s in sents:
        s.numbers = [t for t in s.tokens if t.is_num]
