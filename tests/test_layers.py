"""Imports run one way: no package of the project imports one that imports it back (docs/architecture.md)."""

import ast
from collections import defaultdict

from assistant.config import PROJECT_ROOT

TOP = ("assistant", "ingest", "ui")


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "assistant" and len(parts) > 1 else parts[0]


def import_graph() -> dict[str, set[str]]:
    """Package -> the packages it imports (at module level or inside functions)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for top in TOP:
        for file in (PROJECT_ROOT / top).rglob("*.py"):
            source = _package(".".join(file.relative_to(PROJECT_ROOT).with_suffix("").parts))
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                names = (
                    [node.module]
                    if isinstance(node, ast.ImportFrom) and node.module
                    else [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else []
                )
                for name in names:
                    if name.split(".")[0] in TOP and _package(name) != source:
                        graph[source].add(_package(name))
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def test_no_package_imports_one_that_imports_it_back():
    graph = import_graph()
    circles = sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets if _reaches(graph, b, a))
    assert circles == []


def test_the_contract_and_the_finance_knowledge_import_nothing_above_them():
    graph = import_graph()
    assert graph.get("assistant.contract", set()) <= set()
    assert graph.get("assistant.finance", set()) <= {"assistant.contract", "assistant.text"}
