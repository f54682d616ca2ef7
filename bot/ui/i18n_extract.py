"""`pybabel extract` for the cogs: their marked text, plus every command's names and descriptions.

Command names, descriptions, option names and fixed choices are written in decorators
(`@app_commands.command(name=..., description=...)`, `describe`, `rename`, `Choice`) and in the
callbacks' parameter names, where no `_()` can go. This extractor finds them in the source and
files them under the contexts the command translator looks them up by (`COMMAND_CONTEXTS`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

from babel.messages.extract import extract_python

NAME, DESCRIPTION, OPTION, OPTION_DESCRIPTION, CHOICE = (
    "command name",
    "command description",
    "option name",
    "option description",
    "choice",
)
_NOT_OPTIONS = {"self", "interaction"}

Found = tuple[int, str, tuple[str, str], list[str]]


def extract_cogs(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Sequence[str], options: dict[str, Any]
) -> Iterator[Any]:
    """Babel's Python extraction, then the command texts (as `p_(context, text)` calls)."""
    yield from extract_python(fileobj, keywords, comment_tags, options)  # type: ignore[arg-type]
    fileobj.seek(0)
    yield from command_texts(fileobj.read().decode("utf-8"))


def command_texts(source: str) -> Iterator[Found]:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ClassDef):
            for keyword in node.keywords:
                if keyword.arg == "group_name":
                    yield from _literal(keyword.value, NAME)
                elif keyword.arg == "group_description":
                    yield from _literal(keyword.value, DESCRIPTION)
        elif isinstance(node, ast.Call):
            yield from _call(node)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _options(node)


def _call(call: ast.Call) -> Iterator[Found]:
    name = _called(call)
    if name in {"command", "Group"}:
        for keyword in call.keywords:
            if keyword.arg == "name":
                yield from _literal(keyword.value, NAME)
            elif keyword.arg == "description":
                yield from _literal(keyword.value, DESCRIPTION)
    elif name == "describe":
        for keyword in call.keywords:
            yield from _literal(keyword.value, OPTION_DESCRIPTION)
    elif name == "rename":
        for keyword in call.keywords:
            yield from _literal(keyword.value, OPTION)
    elif name == "Choice":
        for keyword in call.keywords:
            if keyword.arg == "name":
                yield from _literal(keyword.value, CHOICE)


def _options(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[Found]:
    """A command callback's parameters are its option names, unless `rename` gives another."""
    decorators = [d for d in function.decorator_list if isinstance(d, ast.Call)]
    if not any(_called(d) == "command" for d in decorators):
        return
    renamed = {k.arg for d in decorators if _called(d) == "rename" for k in d.keywords}
    for arg in function.args.args + function.args.kwonlyargs:
        if arg.arg not in _NOT_OPTIONS and arg.arg not in renamed:
            yield (function.lineno, "p_", (OPTION, arg.arg), [])


def _called(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _literal(value: ast.expr, context: str) -> Iterator[Found]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        yield (value.lineno, "p_", (context, value.value), [])
