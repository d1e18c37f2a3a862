"""'On what date did Acme's fiscal 2022 end?': the last day of a fiscal year, as the filings' own statements date
it (a 52- or 53-week year ends on the day its columns print), cited to a passage that prints that date."""

from __future__ import annotations

from assistant.answer.context import AnswerContext
from assistant.answer.select import make_citation
from assistant.contract import phrases
from assistant.contract.types import Answer
from assistant.finance.periods import Period
from assistant.query.analyze import Query
from assistant.query.grammar import grammar
from assistant.text import split_sentences

DATED_CONCEPTS = ("revenue", "net_income", "operating_cash_flow")  # flows every annual filing dates by its year


class FiscalDateAnswerer:
    name = "fiscal dates"

    def answer(self, query: Query, context: AnswerContext) -> Answer | None:
        if not grammar().pattern("year_end_asked").match(query.focus) or len(query.entities) != 1:
            return None
        fiscal_year = next((p.fiscal_year for p in query.periods if p.fiscal_year and not p.quarter), None)
        company = query.entities[0].company
        if fiscal_year is None:
            return None
        calendar = context.registry.calendar(company)
        ends = {
            p
            for concept in DATED_CONCEPTS
            for p in context.index.facts.periods(concept, company, "")
            if p.months == 12 and calendar.fiscal_year_of(p.end) == fiscal_year
        }
        if len(ends) != 1:
            return None  # the filings date no such year, or two ways: no answer from them
        end = ends.pop()
        printed = Period(end.end, 0).label()  # 'May 29, 2022'
        cited = next((p for p in context.passages if printed in " ".join(p.chunk.text.split())), None)
        if cited is None:
            return None
        quote = _sentence_with(cited.chunk.text, printed)
        direct = phrases.FISCAL_YEAR_ENDED.format(who=context.registry.name(company), year=fiscal_year, date=printed)
        return Answer(
            question=query.text,
            text=f"{direct}\n“{quote}” [1]",
            citations=[make_citation(1, cited, quote)],
            refused=False,
            timings={},
            direct=direct,
        )


def _sentence_with(text: str, printed: str) -> str:
    """The sentence of the passage that prints the date (a run-on cut at word breaks, as quotes are)."""
    flat = " ".join(text.split())
    at = flat.find(printed)
    return next((flat[s:e] for s, e in split_sentences(flat) if s <= at < e), printed)
