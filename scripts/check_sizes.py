"""Fail when a production module is over 450 lines or a function over 60 (issue of structure:
code the next engineer reads in one sitting). Tests, migrations and the benchmark are exempt."""

import ast
import sys
from pathlib import Path

MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
ROOT = Path(__file__).resolve().parent.parent / "apoyo"


def production_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "migrations" in parts or "tests" in parts or parts[0] == "testing":
            continue
        yield path


def long_functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            length = node.end_lineno - first + 1
            if length > MAX_FUNCTION_LINES:
                yield node.name, node.lineno, length


def main():
    problems = []
    for path in production_modules():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT.parent)
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            problems.append(f"{name}: {lines} líneas (máximo {MAX_MODULE_LINES})")
        for function, line, length in long_functions(ast.parse(text)):
            problems.append(
                f"{name}:{line}: la función {function} tiene {length} líneas "
                f"(máximo {MAX_FUNCTION_LINES})"
            )
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
