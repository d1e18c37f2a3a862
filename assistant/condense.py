"""Follow-up questions resolved against the chat history before retrieval ("And what about Alibaba?")."""

from __future__ import annotations

import re

from assistant.question import strict_terms

_FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|and what about|same for|also|then|ok(ay)?,?)\b|"
                        r"\b(it|its|they|their|them|that|this|those|these|the same|he|she)\b", re.IGNORECASE)
_PRONOUNS = re.compile(r"\b(its|their)\b", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^\s*(and\s+)?(what|how)\s+about\s+(?P<subject>.+?)\s*\??\s*$", re.IGNORECASE)


def needs_context(question: str) -> bool:
    """Short or elliptical questions that lean on the previous turn."""
    return bool(_FOLLOW_UP.search(question)) or len(question.split()) <= 3


def condense(question: str, history: list[tuple[str, str]] | None) -> str:
    """A standalone version of `question`, or the question itself when it needs no context."""
    if not history or not needs_context(question):
        return question
    previous = history[-1][0].strip()
    about = _WHAT_ABOUT.match(question)
    if about:
        # "What about X?" -> the previous question with its subject replaced by X.
        subject = about.group("subject").strip()
        old_names = [t for t in strict_terms(previous) if not re.fullmatch(r"q[1-4]|(19|20)\d\d", t)]
        if old_names:
            pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, _name_span(previous, old_names))) + r"\b",
                                 re.IGNORECASE)
            replaced, count = pattern.subn(subject, previous, count=1)
            if count:
                return replaced
        return f"{previous.rstrip('?')} for {subject}?"
    names = _name_span(previous, strict_terms(previous))
    subject = " ".join(names) if names else ""
    body = re.sub(r"^\s*(and|also|then|ok(ay)?,?)\s+", "", question, flags=re.IGNORECASE)
    if subject and _PRONOUNS.search(body):
        return _PRONOUNS.sub(subject + "'s", body, count=1)
    # Otherwise carry over the previous question's specifics (company, period) the new one lacks.
    missing = [t for t in strict_terms(previous) if t.lower() not in body.lower()]
    return f"{body.rstrip(' ?')} ({' '.join(_original_case(previous, missing))})?" if missing else body


def _name_span(text: str, terms: list[str]) -> list[str]:
    """The first run of consecutive words in `text` that are all among `terms` (e.g. 'Alibaba Cloud')."""
    words = re.findall(r"[A-Za-z0-9][A-Za-z0-9.&'’-]*", text)
    lowered = {t.lower() for t in terms}
    best: list[str] = []
    run: list[str] = []
    for word in words:
        clean = re.sub(r"['’]s$", "", word).strip(".").lower()
        if clean in lowered and not re.fullmatch(r"q[1-4]|(19|20)\d\d", clean):
            run.append(re.sub(r"['’]s$", "", word))
        else:
            if run and not best:
                best = run
            run = []
    return best or run


def _original_case(text: str, terms: list[str]) -> list[str]:
    out = []
    for term in terms:
        match = re.search(r"\b" + re.escape(term) + r"\b", text, re.IGNORECASE)
        out.append(match.group() if match else term)
    return out
