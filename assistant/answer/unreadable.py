"""Questions that cannot be read as asked: a number on its own, words that say nothing to look for ('what is the'),
or a question in another language. Each gets a refusal that says so, never an error."""

from __future__ import annotations

import re

from assistant.contract import phrases
from assistant.search.wordlist import is_word
from assistant.text import QUESTION_WORDS, STOPWORDS, content_terms

FOREIGN_WORDS = 2  # lower-case words no English word list has, at the least, in a question in another language
FOREIGN_SHARE = 0.4  # ... and their share of its lower-case words
_NUMBER_ONLY = re.compile(r"^[\s$€£¥%+\-.,:;()#?!]*\d[\d\s.,%/:-]*[\s%?!.)]*$")
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def unreadable(question: str) -> str:
    """Why a question cannot be looked up at all ('' when it can): a bare number, or no word to look for."""
    if _NUMBER_ONLY.match(question):
        return phrases.NUMBER_ONLY
    if not content_terms(question) or not _LETTERS.search(question):
        return phrases.NO_WORDS_TO_FIND
    return ""


def other_language(question: str) -> bool:
    """The question reads as another language: mostly another script, several lower-case words that are not
    English (names, capitalised, are not counted), or words none of which is an English function word while some
    are not English."""
    letters = _LETTERS.findall(question)
    latin = [ch for ch in letters if ch.isascii() or "\u00c0" <= ch <= "\u024f"]
    if letters and len(latin) * 2 < len(letters):
        return True
    lower = [w for w in re.findall(r"[^\W\d_]+", question) if w.islower()]
    english = [w for w in lower if w in STOPWORDS or w in QUESTION_WORDS]
    foreign = [w for w in lower if w not in english and not is_word(w)]
    if len(foreign) >= FOREIGN_WORDS and len(foreign) >= FOREIGN_SHARE * len(lower):
        return True
    return bool(foreign) and not english and len(lower) >= 3  # no English word to join the others
