"""The financial vocabulary (`data/vocabulary.json`, `data/formulas.json`) loaded once: concepts and their names,
formulas, forward-looking words, period grammar; plus the metrics a catalog gives as one company's own. The question grammar (operations, intents, follow-ups) is
`assistant/query/data/grammar.json`. Matching a name in text is longest-first and whole-word."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


LOSS_OR = re.compile(
    r"\(?\b(?:loss|losses)\b\)?\s*/\s*(?=\w)|\s*/\s*\(?\b(?:loss|losses)\b\)?|"
    r"\s*/\s*\((?:benefit|provision|expense|income)\)|\s+\((?:used|used in|used for)\)(?=\s)",
    re.IGNORECASE,
)  # the other sign of a line item: '(Loss)/earnings', 'provision/(benefit)', 'provided (used)'


_ATTRIBUTABLE = re.compile(
    r"attributable to (?!non-?controlling|minority)|(?<!applicable )(?<!available )\bto (?:common )?(?:stock|share)holders|"
    r"shareowners",
    re.IGNORECASE,
)
_INCLUDING_MINORITY = re.compile(r"non-?controlling|minority|including|before allocation", re.IGNORECASE)


def line_item_key(label: str) -> str:
    """The concept key of a line item no vocabulary metric names, from its printed label ('Net sales' ->
    'net_sales'): a table row that prints a narrower line beside the metric's own keeps its label as its key."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:60] or "line_item"


def company_share(label: str) -> bool:
    """A label that is the company's own share of a figure ('Net income attributable to Acme'), not the figure
    including non-controlling interests."""
    return bool(_ATTRIBUTABLE.search(label)) and not _INCLUDING_MINORITY.search(label)


@dataclass(frozen=True)
class Concept:
    """A line item or derived metric: its key, how to say it, and what kind of figure it is."""

    key: str
    label: str
    names: tuple[str, ...]
    kind: str = "flow"  # flow (over a period) | stock (at a date)
    unit: str = "money"  # money | percent | ratio | days | per_share | count
    statement: str = ""
    formula: str = ""  # for derived metrics
    alternatives: tuple[str, ...] = ()

    @property
    def derived(self) -> bool:
        return bool(self.formula)


@dataclass(frozen=True)
class Mention:
    """Where a name of a concept occurs in a text."""

    concept: Concept
    start: int
    end: int
    text: str


class Vocabulary:
    """Concepts, formulas and word lists, with one compiled matcher for every name."""

    def __init__(self, vocabulary: dict, formulas: dict, company_metrics: dict[str, dict] | None = None):
        self.raw = vocabulary
        self.concepts: dict[str, Concept] = {}
        for key, spec in vocabulary["concepts"].items():
            self.concepts[key] = Concept(
                key,
                spec["label"],
                tuple(spec["names"]),
                spec.get("kind", "flow"),
                spec.get("unit", "money"),
                spec.get("statement", ""),
            )
        for key, spec in formulas["formulas"].items():
            base = self.concepts.get(key)
            names = tuple(dict.fromkeys([*spec["names"], *(base.names if base else ())]))
            inputs = [self.concepts[n] for n in re.findall(r"[a-z_]+", spec["formula"]) if n in self.concepts]
            kind = base.kind if base else ("stock" if inputs and all(c.kind == "stock" for c in inputs) else "flow")
            self.concepts[key] = Concept(
                key,
                spec["label"],
                names,
                kind,
                spec["unit"],
                base.statement if base else "",
                spec["formula"],
                tuple(spec.get("alternatives", ())),
            )
        self.magnitudes = set(formulas.get("magnitudes", []))
        for key, spec in (company_metrics or {}).items():
            self._add_company_metric(key, spec)
        pairs = sorted(
            ((name.lower(), c) for c in self.concepts.values() for name in c.names), key=lambda p: -len(p[0])
        )
        self._by_name = {}
        for name, concept in pairs:
            self._by_name.setdefault(_norm(name), concept)
        alternation = "|".join(_name_pattern(n) for n, _ in pairs)
        self._matcher = re.compile(rf"(?<![\w&])(?:{alternation})(?![\w&])", re.IGNORECASE)
        self.periods: dict = vocabulary["periods"]
        self.scale_words: dict[str, float] = {k: float(v) for k, v in vocabulary["scale_words"].items()}
        self.question_only = {_norm(n) for n in vocabulary.get("question_only_names", [])}
        self.label_fillers = set(vocabulary.get("label_fillers", []))
        self.label_narrowers = (
            re.compile(
                r"^\s*,?\s*(?:" + "|".join(map(re.escape, vocabulary.get("label_narrowers", []))) + r")\b",
                re.IGNORECASE,
            )
            if vocabulary.get("label_narrowers")
            else None
        )
        self.label_rewrites = [
            (re.compile(pattern, re.IGNORECASE), replacement)
            for pattern, replacement in vocabulary.get("label_rewrites", [])
        ]
        self.default_growth_concept = vocabulary.get("default_growth_concept", "revenue")
        self.sources: dict[str, list[str]] = vocabulary.get("sources", {})
        self.source_kinds_also: dict[str, list[str]] = vocabulary.get("source_kinds_also", {})
        self.profit_concepts: list[str] = vocabulary.get("profit_concepts", [])
        self.negative_words: dict[str, str] = {
            key: phrase for phrase, keys in vocabulary.get("negative_words", {}).items() for key in keys
        }
        self.amount_words = set(vocabulary.get("amount_words", []))
        self.profit_label_words = set(vocabulary.get("profit_label_words", []))
        self.verb_concepts: dict[str, str] = vocabulary["verb_concepts"]
        self.initialisms: set[str] = set(vocabulary["initialisms"])
        self.line_distinctions: frozenset[str] = frozenset(vocabulary["line_distinctions"])
        self.generic_caps = frozenset(vocabulary["generic_capitalised_words"])
        self.unit_suffixes = set(vocabulary.get("unit_suffixes", []))
        self.everyday_segment_words = set(vocabulary.get("everyday_segment_words", []))
        self.line_item_heads = frozenset(vocabulary.get("line_item_heads", []))
        self.line_item_tails = frozenset(vocabulary.get("line_item_tails", []))
        self.other_kind_words = frozenset(vocabulary.get("other_kind_words", []))
        self.subgroup_statements = _word_pattern(vocabulary.get("subgroup_statements", []))
        self.per_share_rows: dict[str, str] = vocabulary.get("per_share_rows", {})
        self.forward_words: list[str] = vocabulary["forward_looking"]["question"]
        self.forward_in_documents = _word_pattern(vocabulary["forward_looking"]["document"])
        self.forward_figures = re.compile(
            rf"\b(?:{'|'.join(map(re.escape, vocabulary['forward_looking']['figures']))})\b", re.IGNORECASE
        )  # a sentence's figure that is guidance, not a result
        self.metric_fillers = set(vocabulary.get("metric_fillers", []))
        self.word_synonyms: dict[str, str] = vocabulary.get("word_synonyms", {})
        self.term_equivalents: dict[str, list[str]] = vocabulary.get("term_equivalents", {})
        self.causal_words: list[str] = vocabulary.get("causal_words", [])
        self._synonym = (
            re.compile(rf"(?<![\w&])(?:{'|'.join(map(re.escape, self.word_synonyms))})(?![\w&])", re.IGNORECASE)
            if self.word_synonyms
            else None
        )

    def _add_company_metric(self, key: str, spec: dict) -> None:
        """A company's own line item, or its own names for a metric the vocabulary has (`add_company_metrics`)."""
        base = self.concepts.get(key)
        if base is not None:
            self.concepts[key] = replace(base, names=tuple(dict.fromkeys([*base.names, *spec["names"]])))
        else:
            self.concepts[key] = Concept(
                key,
                spec.get("label") or spec["names"][0],
                tuple(spec["names"]),
                spec.get("kind", "flow"),
                spec.get("unit", "money"),
                spec.get("statement", ""),
            )
        if spec.get("magnitude"):
            self.magnitudes.add(key)

    def spelled_out(self, text: str) -> str:
        """The text with everyday short forms written out ('ads' -> 'advertising'), so the names match."""
        if self._synonym is None:
            return text
        return self._synonym.sub(lambda m: self.word_synonyms[m.group(0).lower()], text)

    def mentions(self, text: str, prose: bool = False) -> list[Mention]:
        """Every concept name in the text, longest match first, left to right, never overlapping. In a document's
        prose (`prose=True`) names too general to name a line item there ('cash', 'assets') are skipped."""
        out = []
        for m in self._matcher.finditer(text):
            key = _norm(m.group(0))
            concept = self._by_name.get(key)
            if concept is not None and not (prose and key in self.question_only):
                out.append(Mention(concept, m.start(), m.end(), m.group(0)))
        return out

    def names_exactly(self, label: str, concept: str) -> bool:
        """The label is one of the concept's own names ('Total revenues' for revenue)."""
        found = self._by_name.get(_norm(re.sub(r"\(\d\)|\[\d\]", "", LOSS_OR.sub("", label))))
        return found is not None and found.key == concept

    def concept_of(self, label: str) -> Concept | None:
        """The concept a table row label or line item names: an exact name first, else the longest name in it
        that starts the label ('Total net sales' -> revenue, 'Net income (loss)' -> net_income)."""
        for pattern, replacement in self.label_rewrites:  # 'provided/(used) by', 'diluted loss per share'
            label = pattern.sub(replacement, label)
        label = LOSS_OR.sub("", label)  # '(Loss)/earnings from operations' names earnings from operations
        clean = _norm(re.sub(r"\(\d\)|\[\d\]", "", label))
        if clean in self._by_name:
            return self._by_name[clean]
        found = [
            m
            for m in self.mentions(label, prose=True)
            if not re.search(r"(?:%|percent(?:age)?)\s+of\s+(?:\w+\s+)?$", label[: m.start], re.IGNORECASE)
            and label[: m.start].count("(") <= label[: m.start].count(")")
        ]  # not an abbreviation in brackets
        if not found or any(w not in self.label_fillers for w in label[: found[0].start].lower().split()):
            return None
        if self.label_narrowers is not None and self.label_narrowers.match(label[found[0].end :]):
            return None  # 'Operating cash flows from operating leases': a part of the line item
        if re.match(r"\s+of\s+\w", label[found[0].end :]) and len(found[0].text.split()) == 1:
            return None  # 'Sales of investments': a one-word name followed by what it is of names another thing
        net_of = re.match(r"\s*,?\s*net of\s+(?:the\s+)?$", label[found[0].end : found[1].start]) if found[1:] else None
        if net_of and not label[found[-1].end :].strip(" .:"):
            return found[0].concept  # 'Total revenues net of interest expense': what is taken off is not the item
        if any(m.concept.key != found[0].concept.key for m in found[1:]):
            return None  # 'Total liabilities and stockholders' equity' names two line items
        return found[0].concept

    def has_any(self, text: str, words: list[str]) -> bool:
        lowered = text.lower()
        return any(re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", lowered) for w in words)


def _word_pattern(words: list[str]) -> re.Pattern:
    """Any of the words, whole-word, case-insensitive, longest first."""
    return re.compile(
        rf"\b(?:{'|'.join(_name_pattern(w) for w in sorted(words, key=len, reverse=True))})\b", re.IGNORECASE
    )


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.lower().replace("’", "'")).strip(" :")


def _name_pattern(name: str) -> str:
    """A name as a regex: flexible spaces, straight or curly apostrophes, an optional plural 's'."""
    parts = [re.escape(p).replace("'", "['’]") for p in name.split()]
    return r"\s+".join(parts)


_COMPANY_METRICS: dict[str, dict] = {}  # key -> spec, as the catalog's company profiles give them


def add_company_metrics(metrics: dict[str, dict]) -> None:
    """Metrics one company's catalog profile gives (`metrics`): its own line items (names; label, else the first
    name; kind, unit, statement, and `magnitude` when filings print it as an outflow) and its own names for a general metric (names
    only). They join the vocabulary for the rest of the process; a name already known changes nothing."""
    added = False
    for key, spec in metrics.items():
        known = _COMPANY_METRICS.setdefault(key, {**spec, "names": []})
        new = [n for n in spec.get("names", []) if n not in known["names"]]
        if new:
            known["names"] = [*known["names"], *new]
            added = True
    if added:
        vocabulary.cache_clear()


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary(
        json.loads((DATA / "vocabulary.json").read_text(encoding="utf-8")),
        json.loads((DATA / "formulas.json").read_text(encoding="utf-8")),
        _COMPANY_METRICS,
    )
