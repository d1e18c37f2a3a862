"""The question grammar lives in data: every key of the vocabulary and of the grammar is read by some code, no
reader under assistant/query/ keeps word lists or many patterns of its own, and no function there runs over 60
lines."""

import ast
import json
import re
from pathlib import Path

from assistant.config import PROJECT_ROOT

QUERY = PROJECT_ROOT / "assistant" / "query"
VOCABULARY = PROJECT_ROOT / "assistant" / "finance" / "data" / "vocabulary.json"
GRAMMAR = QUERY / "data" / "grammar.json"
CODE = [p for folder in ("assistant", "ingest", "ui") for p in (PROJECT_ROOT / folder).rglob("*.py")]
REGEX_SIGNS = re.compile(r"\\[sbwdSBWD]|\(\?[:=!<P]|\[\^?[A-Za-z0-9]")


def _trees(paths) -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in paths}


def _strings(tree: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _attributes(tree: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def test_every_vocabulary_key_is_read_by_code_beyond_its_loader():
    loader = ast.parse((PROJECT_ROOT / "assistant" / "finance" / "vocabulary.py").read_text(encoding="utf-8"))
    held = {}  # vocabulary key -> the attribute the loader keeps it in
    for node in ast.walk(loader):
        target = (
            node.targets[0]
            if isinstance(node, ast.Assign)
            else node.target
            if isinstance(node, ast.AnnAssign)
            else None
        )
        if isinstance(target, ast.Attribute) and node.value is not None:
            for key in _strings(node.value):
                held.setdefault(key, set()).add(target.attr)
    others = [t for p, t in _trees(CODE).items() if p.name != "vocabulary.py"]
    own_uses = [n.attr for n in ast.walk(loader) if isinstance(n, ast.Attribute)]  # kept, then read in a method
    used = (
        set().union(*(_attributes(t) for t in others))
        | set().union(*(_strings(t) for t in others))
        | {a for a in own_uses if own_uses.count(a) > 1}
    )
    keys = [k for k in json.loads(VOCABULARY.read_text(encoding="utf-8")) if not k.startswith("_")]
    unread = [k for k in keys if not held.get(k, {k}) & used]  # 'concepts' is read in a loop into .concepts
    assert unread == []


def test_every_grammar_word_list_and_pattern_is_read():
    data = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    strings = set().union(*(_strings(t) for t in _trees((PROJECT_ROOT / "assistant").rglob("*.py")).values()))
    placeholders = set(re.findall(r"@([a-z_]+)", " ".join(data["patterns"].values())))
    names = [k for section in ("words", "patterns", "tables") for k in data[section] if not k.startswith("_")]
    unread = [n for n in names if n not in strings and n not in placeholders]
    assert unread == []


def test_no_reader_keeps_words_of_its_own():
    """No list, tuple, set or dict of three or more words in the code under assistant/query/: words are data."""
    own = []
    for path, tree in _trees(QUERY.rglob("*.py")).items():
        for node in ast.walk(tree):
            items = (
                node.elts
                if isinstance(node, (ast.List, ast.Tuple, ast.Set))
                else node.keys
                if isinstance(node, ast.Dict)
                else []
            )
            words = [
                i.value
                for i in items
                if isinstance(i, ast.Constant)
                and isinstance(i.value, str)
                and re.fullmatch(r"[a-z][a-z '-]*", i.value)
                and "_" not in i.value
            ]
            if len(words) >= 3:
                own.append(f"{path.name}:{node.lineno} {words[:4]}")
    assert own == []


def test_at_most_ten_regular_expressions_in_query_code():
    found = [
        (p.name, s)
        for p, t in _trees(QUERY.rglob("*.py")).items()
        for s in _strings(t)
        if REGEX_SIGNS.search(s) and not s.strip().startswith(("'", '"')) and "\n" not in s
    ]
    assert len(found) <= 10, found


def test_no_function_over_sixty_lines_in_query_code():
    long = [
        f"{p.name}:{n.name} ({n.end_lineno - n.lineno + 1})"
        for p, t in _trees(QUERY.rglob("*.py")).items()
        for n in ast.walk(t)
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.end_lineno - n.lineno + 1 > 60
    ]
    assert long == []
