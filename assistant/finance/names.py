"""Company names as documents write them: normalised case and quotes, the name without its legal suffix, and
the short names a document defines for its company ('Acme Widgets, Inc. ("Acme" or the "Company")')."""

from __future__ import annotations

import re
from collections import Counter

LEGAL_SUFFIX = (
    r"inc|incorporated|corp|corporation|company|co|ltd|limited|holdings?|plc|llc|l\.p|n\.v|s\.a|ag|se|"
    r"group"
)
SUFFIX_TAIL = re.compile(rf"(?:,?\s+(?:{LEGAL_SUFFIX})\.?)+$", re.IGNORECASE)
_DEFINED = re.compile(
    r"\(\s*(?:together with its subsidiaries,?\s*|collectively,?\s*)?(?:the\s+)?[“\"]([^”\"]{2,40})[”\"]"
    r"((?:\s*(?:,|or|and)\s*(?:the\s+)?[“\"][^”\"]{2,40}[”\"])*)",
    re.IGNORECASE,
)
_INITIALISM = re.compile(r"\(\s*([A-Z][A-Z0-9&]{1,9})\s*\)")
# A term defined without quotes: 'Acme Widgets Corporation (Acme or the Company)'.
_DEFINED_BARE = re.compile(r"\(\s*([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})\s+or\s+the\s+company\s*\)", re.IGNORECASE)
# What may stand between the full name and its definition: 'Acme Corporation and its subsidiaries (Acme ...)'.
_GROUP_TAIL = r"(?:\s*,?\s*(?:and|together with)\s+(?:its\s+)?(?:consolidated\s+)?subsidiaries,?)?"
_GENERIC_TERMS = re.compile(
    r"^(?:the\s+)?(?:company|companies|we|us|our|registrant|corporation|group|firm|issuer|"
    r"parent|management|board|plan|agreement|notes?|merger|transaction)$",
    re.IGNORECASE,
)


def normalise_quotes(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")


def cased_name(name: str, body: str) -> str:
    """The name as the document writes it in prose: 'ACME HOLDINGS, INC.' -> 'Acme Holdings, Inc.' when the
    text says so, keeping capitals the document itself keeps ('ACME, Inc.'); quotes and spaces normalised."""
    name = " ".join(normalise_quotes(name).replace(" ,", ",").replace(" .", ".").split()).strip(" ,")
    name = re.sub(r"\b([A-Z]) ([A-Z]{2,})\b", lambda m: _joined(m, body), name)  # small capitals: 'R ESORTS'
    letters = re.sub(r"[^A-Za-z]", "", name)
    if not letters or not letters.isupper():
        return name
    core = SUFFIX_TAIL.sub("", name).strip(" ,")
    suffix = name[len(core) :]
    body = " ".join(body.split())
    variants = Counter(
        m.group(0)
        for m in re.finditer(
            r"(?<![\w&])" + r"\s+".join(map(re.escape, core.split())) + r"(?![\w&])", body, re.IGNORECASE
        )
        if m.group(0) != m.group(0).upper()
    )
    if variants:
        cased = " ".join(variants.most_common(1)[0][0].split())
    elif re.search(r"(?<![\w&])" + re.escape(core) + r"(?![\w&])", body.replace(name, "")):
        cased = core  # the document writes the name in capitals in its prose too
    else:
        cased = " ".join(w if re.search(r"\d", w) else w.capitalize() for w in core.split())
    return cased + _title_suffix(suffix)


def _joined(m: re.Match, body: str) -> str:
    word = m.group(1) + m.group(2)
    return word if re.search(rf"\b{word}\b", body, re.IGNORECASE) else m.group(0)


def _title_suffix(suffix: str) -> str:
    def fix(m: re.Match) -> str:
        word = m.group(0)
        return word if word.lower() in ("plc", "n.v", "s.a", "ag", "se", "llc", "l.p") else word.capitalize()

    return re.sub(r"[A-Za-z][A-Za-z.]*", fix, suffix.lower()).replace("Llc", "LLC")


def short_names(name: str, body: str = "") -> list[str]:
    """The short names of a company: without its legal suffix and a leading 'The' ('The Acme Company' -> 'Acme'),
    without '.com', and the terms the document defines for it ('(“Acme” or the “Company”)')."""
    out: list[str] = []
    bare = SUFFIX_TAIL.sub("", name).strip(" ,&")
    bare = re.sub(r"^the\s+", "", bare, flags=re.IGNORECASE)
    if bare and bare != name:
        out.append(bare)
    if bare.lower().endswith(".com"):
        out.append(bare[:-4])
    out.extend(defined_terms(name, body))
    return [n for n in dict.fromkeys(out) if n and n.lower() != name.lower()]


def defined_terms(name: str, body: str) -> list[str]:
    """Terms a document defines for its company right after its full name: 'Acme Widgets, Inc. ("Acme" or the
    "Company")', 'Advanced Widget Devices, Inc. ("AWD")'. A term counts when it is made of the name's own words
    or is their initials."""
    if not body:
        return []
    pattern = re.compile(r"\s+".join(map(re.escape, name.split())) + _GROUP_TAIL + r"\s*(?=\()", re.IGNORECASE)
    words = [w.lower() for w in re.findall(r"[\w&.'-]+", SUFFIX_TAIL.sub("", name)) if w.lower() != "the"]
    initials = "".join(w[0] for w in words if w[0].isalnum())
    out: list[str] = []
    for m in pattern.finditer(body[:200_000]):
        defined = _DEFINED.match(body, m.end())
        initialism = _INITIALISM.match(body, m.end())
        bare = _DEFINED_BARE.match(body, m.end())
        if bare and all(w.lower() in words for w in bare.group(1).split()) and not _GENERIC_TERMS.match(bare.group(1)):
            out.append(bare.group(1))  # 'Acme Widgets Corporation (Acme or the Company)'

        if initialism and initialism.group(1).replace("&", "").lower() == initials:
            out.append(initialism.group(1))  # 'Acme Widget Devices, Inc. (AWD) was incorporated ...'
        if not defined:
            continue
        for term in [defined.group(1), *re.findall(r"[“\"]([^”\"]{2,40})[”\"]", defined.group(2) or "")]:
            term = " ".join(term.strip(" ,.").split())
            own = [w.lower() for w in re.findall(r"[\w&.'-]+", term)]
            if (
                term
                and not _GENERIC_TERMS.match(term)
                and (all(w in words for w in own) or term.replace("&", "").lower() == initials)
            ):
                out.append(term)
    return list(dict.fromkeys(out))
