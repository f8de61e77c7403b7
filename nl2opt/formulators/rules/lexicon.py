"""Word lists the rule formulator reads English with.

Kept apart from the rules so that a new synonym is a one-line change and the
rules stay about structure. Every list is about quantities and requirements in
general English, never about a particular problem.
"""

from __future__ import annotations

# Words that never name a decision or a resource: articles, pronouns, auxiliaries,
# prepositions and the verbs word problems use to connect things.
STOP: frozenset[str] = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "there", "their", "they", "them", "it", "its", "he", "she", "his", "her", "him", "we", "our", "us", "you", "your", "i", "my", "me", "of", "in", "on", "at", "to", "for", "from", "by", "with", "without", "into", "onto", "per", "each", "every", "both", "either", "neither", "all", "any", "some", "no", "not", "and", "or", "but", "nor", "so", "yet", "also", "as", "than", "then", "if", "when", "while", "whereas", "since", "because", "due", "though", "although", "however", "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having", "do", "does", "did", "can", "could", "may", "might", "must", "shall", "should", "will", "would", "need", "needs", "needed", "require", "requires", "required", "want", "wants", "wanted", "wish", "like", "likes", "make", "makes", "made", "making", "produce", "produces", "produced", "producing", "sell", "sells", "sold", "selling", "buy", "buys", "bought", "buying", "take", "takes", "took", "taken", "use", "uses", "used", "using", "get", "gets", "got", "give", "gives", "gave", "given", "provide", "provides", "provided", "cost", "costs", "costing", "earn", "earns", "earned", "yield", "yields", "yielding", "generate", "generates", "generated", "contain", "contains", "contained", "containing", "include", "includes", "included", "hold", "holds", "held", "carry", "carries", "how", "many", "much", "what", "which", "who", "whom", "whose", "where", "why", "many", "much", "more", "most", "less", "least", "few", "fewer", "up", "down", "out", "through", "via", "across", "over", "after", "before", "during", "between", "among", "against", "toward", "towards", "upon", "only", "just", "about", "around", "approximately", "exactly", "total", "totally", "combined", "altogether", "overall", "one", "ones", "another", "other", "others", "own", "same", "such", "very", "too", "than", "rather", "be", "let", "lets", "following", "follow", "follows", "given", "respectively", "additional", "additionally", "also", "further"]
) | frozenset(
    # verbs that open or close a list of decisions ("decides to eat bagels and burgers")
    ["decide", "decides", "decided", "eat", "eats", "grow", "grows", "transport", "transports", "hire", "hires", "employ", "employs", "build", "builds", "prepare", "prepares", "bake", "bakes", "operate", "operates", "offer", "offers", "manufacture", "manufactures", "create", "creates", "purchase", "purchases", "schedule", "schedules", "assign", "assigns", "deliver", "delivers", "pick", "picks", "invest", "invests", "own", "owns", "consider", "considers", "choose", "chooses", "plan", "plans", "hope", "hopes", "try", "tries", "aim", "aims", "prefer", "prefers", "send", "sends", "sell", "sells", "utilize", "utilizes", "produce", "call", "called", "named", "invested", "placed", "put", "install", "installs", "installing", "earning", "costing", "requiring", "containing", "taking", "needing", "yielding", "generating", "providing", "giving", "catch", "catches", "catching", "throwing", "making", "selling", "buying", "growing", "planting", "using", "producing", "purchasing", "mixing", "incur", "incurs", "incurred", "incurring"]
)

# Units: they describe a number but rarely say which resource it measures.
UNITS: frozenset[str] = frozenset(
    ["hour", "hr", "minute", "min", "second", "sec", "day", "week", "month", "year", "unit", "gram", "g", "kg", "kilogram", "pound", "lb", "ounce", "oz", "ton", "tonne", "liter", "litre", "l", "ml", "milliliter", "millilitre", "gallon", "meter", "metre", "m", "cm", "km", "mile", "foot", "feet", "inch", "yard", "acre", "hectare", "sq", "sqft", "square", "cubic", "cup", "piece", "item", "dollar", "cent", "calorie", "mg", "milligram", "serving", "batch", "package", "bag", "box", "bottle"]
)

# Units of land area ('acres', 'square feet').
AREA_UNITS: frozenset[str] = frozenset(["acre", "hectare", "square", "sqft", "sq"])

# Nouns counting people: a limit in them, with nothing per decision to match, counts the decisions.
PEOPLE: frozenset[str] = frozenset(["person", "passenger", "guest", "visitor", "customer", "patient", "attendee", "spectator", "rider", "traveler", "traveller", "tourist", "diner"])

# Nouns counting a workforce: when the text hires or schedules its decisions, a limit in them counts the decisions.
STAFF: frozenset[str] = frozenset(["staff", "employee", "worker", "person", "people", "personnel", "workforce", "member"])

# Units of measure only (never a thing one decides to make or buy).
PURE_UNITS: frozenset[str] = frozenset(
    ["hour", "hr", "minute", "min", "second", "sec", "day", "week", "month", "year", "gram", "g", "kg", "kilogram", "pound", "lb", "ounce", "oz", "ton", "tonne", "liter", "litre", "l", "ml", "milliliter", "millilitre", "gallon", "meter", "metre", "m", "cm", "km", "mile", "foot", "feet", "inch", "yard", "dollar", "cent", "mg"]
)

# Units under which a per-unit quantity of a thing is counted ("a cup of juice").
MEASURE_NOUNS: frozenset[str] = frozenset(
    ["unit", "cup", "plate", "serving", "bowl", "glass", "bottle", "can", "package", "pack", "packet", "batch", "bag", "box", "container", "pitcher", "slice", "piece", "pound", "kg", "kilogram", "gram", "liter", "litre", "gallon", "ton", "acre", "hectare", "tray", "jar", "carton", "bar", "scoop", "spoonful", "tablet", "pill", "dose", "shot", "round", "trip", "load", "lot", "sheet", "roll", "bundle", "order", "set"]
)

# Phrases that state a direction, with the relation they impose (lemmatised words).
GE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("at", "least"),
    ("a", "minimum", "of"),
    ("minimum", "of"),
    ("minimum",),
    ("no", "less", "than"),
    ("not", "less", "than"),
    ("no", "fewer", "than"),
    ("not", "fewer", "than"),
    ("more", "than"),
    ("more", "that"),
    ("greater", "than"),
    ("or", "more"),
    ("minimal",),
    ("exceed",),
)
LE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("at", "most"),
    ("at", "the", "most"),
    ("a", "maximum", "of"),
    ("maximum", "of"),
    ("maximum",),
    ("max",),
    ("no", "more", "than"),
    ("not", "more", "than"),
    ("up", "to"),
    ("less", "than"),
    ("fewer", "than"),
    ("or", "less"),
    ("or", "fewer"),
    ("not", "exceed"),
    ("cannot", "exceed"),
    ("can", "not", "exceed"),
    ("do", "not", "exceed"),
    ("not", "to", "exceed"),
    ("not", "go", "over"),
    ("limited", "to"),
    ("limit", "of"),
    ("below",),
    ("under",),
    ("within",),
    ("only",),
    ("not", "want", "to", "spend", "more", "than"),
)
EQ_PHRASES: tuple[tuple[str, ...], ...] = (
    ("exactly",),
    ("equal", "to"),
    ("must", "be", "equal"),
)

# Words saying that a stated amount is what there is (a capacity: <=).
CAPACITY_WORDS: frozenset[str] = frozenset(
    ["available", "availability", "has", "have", "budget", "capacity", "supply", "supplies", "stock", "afford", "limited", "limit", "can", "allot", "allotted", "allocate", "allocated", "spend", "spending", "possess", "receive", "receives", "using", "use"]
)

# Words saying that a stated amount must be reached (a requirement: >=).
REQUIREMENT_WORDS: frozenset[str] = frozenset(
    ["need", "needs", "require", "requires", "required", "requirement", "contract", "demand", "demands", "provide", "deliver", "meet", "recommend", "recommends", "recommended", "must"]
)

# Cue words telling what kind of money a dollar amount is.
MONEY_KINDS: dict[str, str] = {
    "cost": "cost",
    "costs": "cost",
    "spend": "cost",
    "pay": "cost",
    "paid": "cost",
    "expense": "cost",
    "expenditure": "cost",
    "charge": "cost",
    "wage": "cost",
    "salary": "cost",
    "fee": "cost",
    "price": "cost",
    "budget": "cost",
    "rent": "cost",
    "buy": "cost",
    "bought": "cost",
    "purchase": "cost",
    "profit": "profit",
    "earn": "profit",
    "net": "profit",
    "gain": "profit",
    "revenue": "revenue",
    "fundraise": "revenue",
    "raise": "revenue",
    "bring": "revenue",
    "income": "revenue",
    "sell": "revenue",
    "sold": "revenue",
    "return": "return",
    "yield": "return",
    "interest": "return",
    "dividend": "return",
    "loss": "loss",
    "lose": "loss",
}

# How the objective names money, mapped to the kind of coefficient it sums.
OBJECTIVE_MONEY: dict[str, tuple[str, ...]] = {
    "profit": ("profit", "revenue", "return"),
    "earning": ("profit", "revenue", "return"),
    "gain": ("profit", "return"),
    "revenue": ("revenue", "profit"),
    "income": ("revenue", "profit", "return"),
    "sale": ("revenue", "profit"),
    "fundraised": ("revenue", "profit"),
    "raised": ("revenue", "profit"),
    "return": ("return", "profit"),
    "interest": ("return", "profit"),
    "cost": ("cost",),
    "expense": ("cost",),
    "spending": ("cost",),
    "expenditure": ("cost",),
    "outlay": ("cost",),
    "budget": ("cost",),
    "bill": ("cost",),
    "wage": ("cost",),
    "payroll": ("cost",),
    "salary": ("cost",),
}

MAXIMIZE: frozenset[str] = frozenset({"maximal", "maximize", "maximise", "maximizing", "maximising", "maximum", "maximizes", "maximises"})
MINIMIZE: frozenset[str] = frozenset({"minimal", "minimize", "minimise", "minimizing", "minimising", "minimum", "minimizes", "minimises"})

# Words saying the variables may take fractional values.
CONTINUOUS_WORDS: tuple[str, ...] = (
    "fractional",
    "fraction of a",
    "continuous",
    "non-integer",
    "need not be whole",
    "need not be integer",
    "do not need to be whole",
    "can be divided",
    "divisible",
)
INTEGER_WORDS: tuple[str, ...] = ("whole number", "integer", "whole unit", "cannot be fractional", "indivisible")
