"""The kind of answer a question in words expects, and whether a sentence holds one.

A question asks for a reason ('why', 'what drove'), a time ('when', 'which quarter', 'how long'), a place
('where', 'in which city'), a person or organisation ('who', 'which company'), a quantity ('how much'), or a thing
(anything else: 'what does the guarantee not cover'); a plural noun ('which companies', 'what costs') asks for
several. A question with two parts ('Who makes it, and which city is the maker based in?') asks for each.

A sentence holds a kind by its own words, without any list of places or people: a capitalised name the question
does not already give (after 'in' or 'at', or before ', Country' for a place; with a title or as two capitalised
words for a person; a role such as 'chief executive officer'), a period, date, duration or frequency (the period
grammar of `assistant/finance/periods.py` and time words), a figure that is not a year
(`assistant/finance/figures.py`), a reason word (the vocabulary's causal words and general ones), or a list of
items. The word lists are data (`assistant/answer/data/kinds.json`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.finance.figures import quantities
from assistant.finance.periods import find_periods
from assistant.finance.vocabulary import vocabulary
from assistant.search.wordlist import is_word
from assistant.text import STOPWORDS, is_table_row, is_year

KINDS = ("reason", "time", "place", "agent", "person", "organisation", "quantity", "")
NAMED = ("agent", "person", "organisation", "place")  # kinds answered by a name
WORD_KINDS = ("reason", "time", *NAMED)  # kinds no figure answers


@dataclass(frozen=True)
class Ask:
    """One thing a question asks for."""

    kind: str  # one of KINDS; '' for a thing of any kind
    many: bool = False  # several of them: 'which companies', 'what are the pillars'
    text: str = ""  # the part of the question that asks it


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads((Path(__file__).resolve().parent / "data" / "kinds.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def word_forms() -> tuple[tuple[frozenset[str], ...], ...]:
    """The groups of `word_forms` in the data, each form as its index tokens ('head office' -> {head, offic})."""
    from assistant.text import index_tokens

    groups = [tuple(f for f in (frozenset(index_tokens(w)) for w in group) if f) for group in _data()["word_forms"]]
    return tuple(g for g in groups if len(g) > 1)


def other_forms(question_tokens: set[str], tokens: set[str]) -> set[str]:
    """The question's tokens a text says in another form: for each form the question uses, when the text uses
    another form of the same group ('run by' for 'boss', 'principal executive offices' for 'head office'), or
    as an adverb of its adjective."""
    out: set[str] = set()
    for group in word_forms():
        used = [f for f in group if f <= question_tokens]
        if used and any(f <= tokens and f not in used for f in group):
            out.update(*used)
    return out | _adverb_forms(question_tokens, tokens)


def _adverb_forms(question_tokens: set[str], tokens: set[str]) -> set[str]:
    """The question's adjectives a text says as adverbs and the other way round ('operational', 'operationally'),
    which the light stemmer keeps apart."""
    said = {t[:-2] for t in tokens if t.endswith("ly")} | {t + "ly" for t in tokens}
    return {t for t in question_tokens & said if len(t.removesuffix("ly")) > 4}  # not 'app' for 'apply'


def _phrase_pattern(phrases: list[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


@lru_cache(maxsize=1)
def _openings() -> list[tuple[re.Pattern, str]]:
    return [
        (re.compile(rf"\b(?:{_phrase_pattern(words)})\b", re.IGNORECASE), kind)
        for kind, words in _data()["question_words"].items()
    ]


@lru_cache(maxsize=1)
def _noun_kinds() -> dict[str, str]:
    return {noun: kind for kind, nouns in _data()["nouns"].items() for noun in nouns}


_WH = re.compile(r"\b(?:why|how|what|which|who|whom|whose|where|when)\b", re.IGNORECASE)
_PARTS = re.compile(
    r"\s*,?\s+and\s+(?=(?:what|how|when|by when|since when|which|who|whom|where|why|does|do|did|is|"
    r"are|was|were|has|have|in which|at which|for how)\b)",
    re.IGNORECASE,
)
_AUXILIARY = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "does",
        "do",
        "did",
        "has",
        "have",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
    ]
)
_NUMBER_WORDS = frozenset(["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several"])


def asks(focus: str) -> list[Ask]:
    """What the question asks for, one Ask per part."""
    focus = re.sub(r"\b(what|who|where|when|how)['’]s\b", r"\1 is", focus, flags=re.IGNORECASE)
    return [_ask(part) for part in _PARTS.split(focus) if part.strip()]


def in_words(query) -> bool:
    """A question answered from sentences, never from a figure: it asks first for a reason, a time, a place, a
    person or an organisation (a comparison of a metric aside), for what a document says ('what does the article
    read into ...'), or for several things when it names no metric."""
    main = asks(query.focus)[0] if query.focus.strip() else Ask("")
    if main.kind in WORD_KINDS:
        if main.kind != "reason" and query.asks_figure and query.periods and named_metric(query):
            return False  # 'What is the year end FY2019 total of inventories?': a figure of a period named
        return not (query.concepts and query.intent == "compare")
    return main.kind == "" and ((main.many and not _metric_asked(main.text)) or _asks_view(main.text))


def _metric_asked(part: str) -> bool:
    """The noun a 'what ...' question asks about names a metric ('what net sales guidance'), not only the
    context ('what costs is the operating income outlook carrying')."""
    wh = _WH.search(part)
    return bool(vocabulary().mentions(" ".join(_noun_phrase(_after_copula(part[wh.start() if wh else 0 :])))))


def named_metric(query) -> bool:
    """The question names one of its metrics in its own words (not one read into it, like 'growth' as sales)."""
    named = {m.concept.key for m in vocabulary().mentions(query.text)}
    return any(c.key in named for c in query.concepts)


def _asks_view(part: str) -> bool:
    """'What does the article read into ...', 'what do the authors admit': what a document says."""
    verbs = "|".join(map(re.escape, _data()["view_verbs"]))
    return bool(re.search(rf"\bwhat\s+(?:does|do|did)\s+(?:[\w'’.-]+\s+){{1,6}}?(?:{verbs})\b", part, re.I))


def _ask(part: str) -> Ask:
    wh = _WH.search(part)
    if wh is None:
        return Ask("", text=part)
    rest = part[wh.start() :]
    adverb = re.match(r"^(\w+)\s+(\w+)ly\s+", rest)
    if adverb and (is_word(adverb.group(2)) or is_word(adverb.group(2)[:-1] + "y")):
        rest = adverb.group(1) + " " + rest[adverb.end() :]  # 'what primarily drove' asks as 'what drove'
    lowered = rest.lower()
    many = any(lowered.startswith(o) for o in _data()["list_openings"]) or bool(
        re.match(r"who (?:are|were)\b", lowered)
    )
    for pattern, kind in _openings():
        match = pattern.match(rest)
        if match and (kind != "quantity" or not _unit_of_time(rest[match.end() :])):
            subject = _noun_phrase(re.sub(r"^\w+\s+(?:is|was|are|were)\s+(?:the\s+)?", "which ", rest, flags=re.I))
            if kind == "agent":  # 'who was the lead researcher': a person; 'who is the maker': an organisation
                kind = (
                    next((_noun_kinds()[w] for w in subject if _noun_kinds().get(w) in ("person", "organisation")), "")
                    or kind
                )
            return Ask(kind, many or (kind in NAMED and any(map(_plural, subject))), part)
    if wh.group(0).lower() in ("which", "what"):
        noun_phrase = _noun_phrase(_after_copula(rest))
        kind = next((_noun_kinds()[w] for w in reversed(noun_phrase) if w in _noun_kinds()), "")
        if not kind and any(w in _data()["nouns"]["reason"] for w in re.findall(r"[a-z]+", lowered)):
            kind = "reason"  # 'what does the article see as the motive behind ...'

        copula = _after_copula(rest) != rest  # 'what were its shipping costs' asks their value, not a list
        many = many or (not copula and any(_plural(w) or w in _NUMBER_WORDS for w in noun_phrase))
        return Ask("agent" if kind == "person" and many else kind, many, part)
    return Ask("", many, part)


def asked_verb(ask: Ask) -> str:
    """The verb whose doer a 'who' question asks ('who wrote the piece' -> 'wrote'); '' when it asks who someone
    is or became (a role, found by `named`)."""
    if ask.kind not in NAMED:
        return ""
    found = re.search(r"\b(?:who|whom)\s+(?:else\s+|[a-z]+ly\s+)?([a-z]+)\b", ask.text, re.I)  # 'who currently runs'
    verb = found.group(1).lower() if found else ""
    return "" if verb in _AUXILIARY or verb in _data()["linking_verbs"] or verb in STOPWORDS else verb


def asked_affected(ask: Ask) -> str:
    """What a question asks the effect on ('what effect did the change have on how often staff were off sick'
    -> 'how often staff were off sick'), or ''."""
    words = "|".join(map(re.escape, _data()["effect_words"]))
    found = re.search(rf"\b(?:{words})\b.*?\bon\s+(.+?)[?.!]*$", ask.text, re.IGNORECASE)
    return found.group(1) if found else ""


def asked_organisation(ask: Ask) -> list[str]:
    """The words naming the kind of organisation a 'which ...' question asks for ('which warehouse-club chains'),
    none when it may be any ('which company')."""
    wh = _WH.search(ask.text)
    if ask.kind != "organisation" or wh is None or wh.group(0).lower() not in ("which", "what"):
        return []
    phrase = _noun_phrase(_after_copula(ask.text[wh.start() :]))
    generic = set(_data()["generic_organisation_nouns"])
    return [] if not phrase or phrase[-1] in generic else [w for w in phrase if w not in _MODIFIERS]


def noun_kind(noun: str) -> str:
    """The kind of answer a noun asks for ('city' -> place), or ''."""
    return _noun_kinds().get(noun.lower(), "")


def asked_nouns(focus: str) -> list[str]:
    """The nouns naming what each part of a question asks about: 'customer' in 'Which customer buys the most?',
    'researcher' in 'Who was the lead researcher?'."""
    out = []
    for part in _PARTS.split(focus):
        wh = _WH.search(part)
        if wh is None:
            continue
        rest = re.sub(r"^(?:who|whom)\s+(?:is|was|are|were)\s+(?:the\s+)?", "which ", part[wh.start() :], flags=re.I)
        if rest.split()[0].lower() in ("which", "what"):
            phrase = _noun_phrase(_after_copula(rest))
            out += phrase[-1:]
    return out


def _after_copula(rest: str) -> str:
    """'what was the downside of ...' read as 'what downside of ...': the noun after 'is the', 'was AWS's'."""
    return re.sub(r"^(\w+)\s+(?:is|was|are|were)\s+(?:the\s+|an?\s+)?", r"\1 ", rest, flags=re.IGNORECASE)


def _noun_phrase(rest: str) -> list[str]:
    """The words naming what 'which ...' or 'what ...' asks about, up to its first listed noun ('which four
    areas', 'what product ranges'); none when 'what' is the subject of a verb ('what gives AWS ...')."""
    tokens = re.findall(r"[A-Za-z][A-Za-z'’-]*", rest)[1:7]
    out: list[str] = []
    owned = False  # after a name's possessive the words are a noun phrase ('Acme's customer deposits'), no verb
    for i, token in enumerate(tokens):
        if re.search(r"['’]s?$", token) and i + 1 < len(tokens):
            out, owned = [], token[:1].isupper()  # 'the retailer's top line': what is asked follows the owner
            continue
        word = token.lower()
        if word in _AUXILIARY or (word in STOPWORDS and word not in _MODIFIERS and not token.isupper()):
            break
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if word.endswith("s") and (after[:1].isupper() or after.lower() in _DETERMINERS):
            break  # 'what gives AWS', 'which quarter usually brings Amazon': a verb, not a noun
        if out and out[-1] in _noun_kinds() and word not in _noun_kinds():
            if owned:
                out = []  # 'customer deposits': the first noun says what kind of deposits, not who
            else:
                break  # 'which journal published ...': the noun ends at the verb
        out.append(word)
    return out


_DETERMINERS = frozenset(["the", "a", "an", "its", "their", "our", "this", "these", "that", "those", "his", "her"])
_MODIFIERS = frozenset(["other", "own", "same", "few", "more", "most", "some", "such", "all", "each", "both", "only"])


def _unit_of_time(after: str) -> bool:
    """'how many years', 'how long': a quantity of time is a time."""
    word = re.match(r"\s*([a-z]+)", after.lower())
    return word is not None and word.group(1) in _data()["time_units"]


def _plural(word: str) -> bool:
    return (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is", "ics"))
        and word not in ("headquarters", "news", "series", "species")
    )


# -- what a sentence holds --------------------------------------------------------------------------------------

_NAME = re.compile(
    r"(?<![\w@./-])(?:[A-Z][\w'’&.-]*|[A-Z]\.)(?:[ \t]+(?:(?:of|and|de|del|la|van|von|der|&)[ \t]+)?"
    r"(?:[A-Z][\w'’&.-]*))*"
)
_PERSON_NAME = re.compile(
    r"(?<![\w])(?:[A-Z][a-zà-ÿ'’-]+[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][a-zà-ÿ'’-]+"
    r"|(?:Dr|Mr|Mrs|Ms|Prof|Sir|Dame)\.?[ \t]+[A-Z][\w'’-]+)",
    re.UNICODE,
)
_FIGURE_WORDS = frozenset(["million", "billion", "thousand", "percent"])


def names(sentence: str, question: str = "") -> list[str]:
    """The capitalised names of a sentence that the question does not give: not its opening word (unless
    capitalised inside too, like 'SageMaker' or 'UAE'), not months, weekdays or generic capitalised words."""
    from assistant.answer.support import GENERIC_CAPS

    asked = {re.sub(r"['’]s?$", "", w.lower()) for w in re.findall(r"[\w'’&.-]+", question)}
    months = set(vocabulary().periods["months"]) | set(vocabulary().periods["month_abbreviations"])
    days = set(_data()["time_words"])
    companies = set(_data()["organisation_words"])  # 'Best Buy Co., Inc.' asked about Best Buy names no one new
    parts = set(_data()["document_parts"])  # 'as discussed in Note 3' names no place
    out = []
    for match in _NAME.finditer(sentence):
        words = [w.strip(".,'’") for w in match.group(0).split()]
        if match.start() == _first_word_at(sentence) and not _inner_capital(words[0]):
            words = words[1:]  # a sentence's first word is capitalised anyway
        words = [re.sub(r"['’]s$", "", w) for w in words]
        words = [w for w in words if not (w.isupper() and (len(w) > 4 and is_word(w) or w.lower() in STOPWORDS))]
        kept = [
            w
            for w in words
            if w.lower() not in asked
            and w.lower() not in GENERIC_CAPS
            and w.lower() not in months
            and w.lower() not in days
            and w.lower() not in STOPWORDS
            and w.lower() not in companies
            and w.lower() not in parts
            and not any(ch.isdigit() for ch in w)
        ]
        if kept:
            out.append(" ".join(words))
    return out


def _first_word_at(sentence: str) -> int:
    match = re.search(r"[A-Za-z]", sentence)
    return match.start() if match else -1


def _inner_capital(word: str) -> bool:
    return any(ch.isupper() for ch in word[1:])


def holds(ask: Ask, sentence: str, question: str = "") -> bool:
    """Whether the sentence holds an answer of the asked kind."""
    kind = ask.kind
    if kind == "reason":
        schedule = "|".join(map(re.escape, _data()["not_reasons"]))
        plain = re.sub(rf"\bdue to (?:{schedule})\b", " ", sentence, flags=re.IGNORECASE)
        return _has_phrase(plain, _data()["reason_words"] + vocabulary().causal_words)
    if kind == "time":
        return not is_table_row(sentence) and _states_time(sentence)  # a row's years head its columns
    if kind == "quantity":
        clock = re.sub(r"\b\d{1,2}:\d{2}\b", " ", sentence)  # '12:30' is a time of day
        money = asks_money(ask.text)
        return any(
            f.is_quantity and not is_year(f.text.strip()) and (not money or _is_money(f, clock))
            for f in quantities(clock)
        )
    if kind in NAMED:
        return bool(named(kind, sentence, question))
    return True


def roles_in(text: str) -> list[str]:
    """The roles a text names ('chief executive officer'; a short form such as 'CFO' read as its role)."""
    lowered = text.lower()
    short = _data()["role_short_forms"]
    found = [r for r in _data()["roles"] if re.search(rf"\b{re.escape(r)}\b", lowered)]
    return list(dict.fromkeys(short.get(r, r) for r in found))


def asks_money(part: str) -> bool:
    """'How much did it pay ...', 'how much money ...': an amount of money is asked."""
    words = "|".join(map(re.escape, _data()["money_words"]))
    return bool(re.search(r"\bhow much\b", part, re.I) and re.search(rf"\b(?:{words})\b", part, re.I))


def _is_money(figure, sentence: str) -> bool:
    """A figure of money: with its currency, a currency code before it ('DKK 3.2 million'), or a currency word
    after it ('45 pence')."""
    if figure.kind == "money":
        return True
    words = "|".join(map(re.escape, _data()["currency_words"]))
    return bool(
        re.search(r"\b[A-Z]{3}\s*$", sentence[: figure.start])
        or re.match(rf"\s*(?:million|billion|thousand)?\s*(?:{words})\b", sentence[figure.end :], re.I)
    )


def named(kind: str, sentence: str, question: str = "") -> list[str]:
    """The names (or roles) of the kind that the sentence gives and the question does not. A question that
    names a role ('Who is the chief technology officer?') is answered only where that role is named."""
    found = names(sentence, question)
    asked_roles = roles_in(question)
    roles = [r for r in roles_in(sentence) if not any(r in a or a in r for a in asked_roles)]
    if kind in ("agent", "person") and asked_roles and not set(asked_roles) & set(roles_in(sentence)):
        return []
    if kind == "place":
        places = _places(found, sentence)
        if places:  # the names listed after a place are places too ('at the Cambridge office, the Dundee lab')
            first = min(sentence.find(p) for p in places)
            places += [
                n
                for n in found
                if n not in places
                and sentence.find(n) > first
                and re.search(rf"(?:,|\band)\s+(?:the\s+)?{re.escape(n)}", sentence)
            ]
        return [] if _anothers_seat(found, sentence) else places
    if kind == "person":
        asked = {re.sub(r"['’]s?$", "", w) for w in re.findall(r"[\w'’.-]+", question.lower())}
        companies = set(_data()["organisation_words"])
        people = [
            m.group(0)
            for m in _PERSON_NAME.finditer(sentence)
            if not all(re.sub(r"['’]s$", "", w.lower()) in asked for w in m.group(0).split())
            and not any(w.lower().strip(".,") in companies for w in m.group(0).split())
            and (
                re.search(r"\b[A-Z]\.|^(?:Dr|Mr|Mrs|Ms|Prof|Sir|Dame)\b", m.group(0))
                or not all(is_word(w) for w in m.group(0).split())
            )
        ]  # 'Learning Environments' is no one
        return people + roles
    if kind in ("organisation", "agent"):
        as_places = set(_places(found, sentence))
        found = [n for n in found if n not in as_places]  # 'exports to France and Germany' names no customer
    return found if kind == "organisation" else found + roles


def strength(ask: Ask, sentence: str, question: str = "") -> float:
    """How fully a sentence holding the kind asked answers it (1.0 at most): several places, people or
    organisations asked, the share of three it names; a date asked ('when'), a date rather than a duration or a
    time word, a duration asked ('how long', 'how often'), a duration, and a part of the year asked ('at what
    time of year'), a month, quarter or season."""
    if ask.many and ask.kind in NAMED:
        return min(len(named(ask.kind, sentence, question)), 3) / 3
    if ask.kind == "time":
        if re.search(r"\bsince when\b|\bhow long (?:has|have)\b", ask.text, re.I):  # when it began
            return 1.0 if _has_phrase(sentence, _data()["start_words"]) and _dated(sentence) else 0.3
        if re.search(r"\bhow (?:long|often)\b", ask.text, re.I):
            return 1.0 if _duration(sentence) else 0.3
        if _has_phrase(ask.text, _data()["part_of_year_asks"]):  # 'at what time of year': not which year
            return 1.0 if _part_of_year(sentence) else 0.3
        dates = _full_dates(sentence)
        return (1.0 if dates == 1 else 0.8) if dates else 0.6 if _dated(sentence) else 0.3
    return 1.0


def _full_dates(sentence: str) -> int:
    """How many days, months and years the sentence gives ('July 26, 2022', '4 September 2023')."""
    months = "|".join(vocabulary().periods["months"])
    return len(
        re.findall(
            rf"\b(?:(?:{months})\s+\d{{1,2}},?\s+|\d{{1,2}}\s+(?:{months})\s+)(?:19|20)\d\d\b", sentence, re.IGNORECASE
        )
    )


def _part_of_year(sentence: str) -> bool:
    """The sentence names a part of a year: a month, a quarter or a season."""
    return _has_phrase(sentence, vocabulary().periods["months"] + _data()["part_of_year_words"])


def _dated(sentence: str) -> bool:
    lowered = sentence.lower()
    return (
        bool(find_periods(sentence))
        or any(re.search(rf"\b{m}\b", lowered) for m in vocabulary().periods["months"])
        or bool(re.search(r"(?<![\d,.])(?:19|20)\d\d(?![\d,])", lowered))
    )


def _duration(sentence: str) -> bool:
    units = "|".join(_data()["time_units"])
    return bool(
        re.search(
            rf"\b(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve)[\s-]+(?:{units})\b",
            sentence.lower(),
        )
    ) or _has_phrase(sentence, ["every", "daily", "weekly", "monthly", "annually"])


def _anothers_seat(found: list[str], sentence: str) -> bool:
    """The sentence gives where another name it mentions sits ('Scott Safety, which is headquartered in Monroe'):
    its places are that one's, not those of what the question asks about."""
    seat = "|".join(re.escape(w) for w in _data()["seat_words"])
    return any(
        re.search(
            rf"{re.escape(n)},?\s+(?:(?:which|that|who)\s+(?:is|was|are|were)\s+)?(?:{seat})\s+(?:in|at)\b", sentence
        )
        for n in found
    )


def _places(found: list[str], sentence: str) -> list[str]:
    """The names a sentence gives as places: after 'in', 'at', 'from' ..., or as 'City, Country'."""
    words = "|".join(re.escape(w) for w in _data()["place_words"])
    end = r"(?=[.;]|\s*$|,?\s+and\b(?!\s+[A-Z]))"  # 'Tampere, Finland.' ends a clause; 'Amazon, Google, IBM'
    # and 'Industrial, Transportation and Electronics' (one name) go on
    companies = set(_data()["organisation_words"])
    return [
        n
        for n in found
        if re.search(rf"\b(?:{words})\s+(?:the\s+)?{re.escape(n)}", sentence, re.I)
        or any(
            m.group(1).lower() not in companies for m in re.finditer(rf"{re.escape(n)},\s+([A-Z][\w-]+){end}", sentence)
        )
        or re.search(rf"[A-Za-z],\s+{re.escape(n)}{end}", sentence)
        and n.split()[-1].lower() not in companies
    ]


def _states_time(sentence: str) -> bool:
    return _dated(sentence) or _duration(sentence) or _has_phrase(sentence, _data()["time_words"])


def _has_phrase(sentence: str, phrases: list[str]) -> bool:
    """A phrase as whole words, not the end of a compound ('AI-driven' is no reason given)."""
    return bool(re.search(rf"(?<![\w-])(?:{_phrase_pattern(phrases)})(?!\w)", sentence, re.IGNORECASE))


def is_list(sentence: str) -> bool:
    """Several items: three or more joined by commas, 'and' or 'or', or items after a colon or bullets."""
    if re.search(r":\s*(?:-|•|\d+\.)?\s*\S", sentence) and (
        sentence.count(",") >= 1 or sentence.count(" - ") >= 2 or "•" in sentence
    ):
        return True
    return sentence.count(",") >= 1 and bool(re.search(r",[^,]{1,60}\s(?:and|or)\s", sentence))
