"""Every sentence a member reads lives in `bot/ui/`, so the translation step finds all of them.

This parses each `cogs/*.py` and fails on a string literal or f-string that reads like words for
people (it has a space and a letter, or it is a capitalised word such as a button label "Leave"),
unless it sits in a place that is not member wording or is worded elsewhere:

- docstrings;
- slash-command metadata, which discord.py's `app_commands.Translator` will translate:
  the arguments of `app_commands.command / describe / choices / Choice / rename / Group`
  and of a group's `.command(...)`;
- logging calls (`log.info(...)` and friends): they are for whoever runs the bot;
- `custom_id=` and `template=` values, which members never read;
- class keyword arguments such as `group_name=` / `group_description=` (command metadata again).

Only the literal parts of an f-string are judged (`f"<@{to}>: {question}"` has no words of its own).
A lowercase single word (`"everything"`) cannot be told from a key (`"open"`) and is not caught.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COG_FILES = sorted((ROOT / "cogs").glob("*.py"))

#: Calls whose string arguments are command metadata (`app_commands.<name>(...)`, or `group.command(...)`).
METADATA_CALLS = {"command", "describe", "choices", "Choice", "rename", "Group"}
#: Logger methods; the receiver must be called `log`, `logger` or `logging`.
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
LOGGERS = {"log", "logger", "logging"}
#: Keyword arguments whose values members never read as prose (wherever they appear).
ID_KEYWORDS = {"custom_id", "template"}
#: Keyword arguments of a class statement (`class X(commands.GroupCog, group_name=..., ...)`).
CLASS_KEYWORDS = {"group_name", "group_description", "name", "description", "template"}

#: Known sentences that may not move yet, each named exactly (file, enclosing function, text with `{}`
#: for each placeholder). Empty: keep it that way.
PENDING: set[tuple[str, str, str]] = set()

CAPITALISED_WORD = re.compile(r"[A-Z][a-z]+[.!?…]?")


def reads_like_words(text: str) -> bool:
    """A sentence or a label: a space and a letter, or one capitalised word."""
    if not any(c.isalpha() for c in text):
        return False
    return bool(re.search(r"\s", text.strip())) or CAPITALISED_WORD.fullmatch(text.strip()) is not None


def literal_text(node: ast.Constant | ast.JoinedStr) -> str:
    """The words of a literal; each f-string placeholder becomes `{}`."""
    if isinstance(node, ast.Constant):
        return str(node.value)
    return "".join(str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values)


def _called_name(call: ast.Call) -> tuple[str | None, str | None]:
    """(receiver name, attribute) of `receiver.attribute(...)`, or (None, name) of `name(...)`."""
    func = call.func
    if isinstance(func, ast.Attribute):
        receiver = func.value.id if isinstance(func.value, ast.Name) else None
        return receiver, func.attr
    if isinstance(func, ast.Name):
        return None, func.id
    return None, None


def _allowed_call(call: ast.Call) -> bool:
    receiver, name = _called_name(call)
    if name in LOG_METHODS and receiver in LOGGERS:
        return True
    if name in METADATA_CALLS and isinstance(call.func, ast.Attribute):
        return receiver == "app_commands" or name == "command"
    return False


class Finder(ast.NodeVisitor):
    """Collects (line, enclosing function, text) of every wording-like literal outside the allowed places."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str, str]] = []
        self.functions: list[str] = []

    # --- places that are skipped whole ------------------------------------------------------------

    def _skip_docstring(self, body: list[ast.stmt]) -> list[ast.stmt]:
        first = body[0] if body else None
        is_doc = (
            isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
        )
        return body[1:] if is_doc else body

    def visit_Module(self, node: ast.Module) -> None:
        for stmt in self._skip_docstring(node.body):
            self.visit(stmt)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for item in [*node.decorator_list, *node.bases]:
            self.visit(item)
        for keyword in node.keywords:
            if keyword.arg not in CLASS_KEYWORDS:
                self.visit(keyword.value)
        for stmt in self._skip_docstring(node.body):
            self.visit(stmt)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for item in [*node.decorator_list, node.args]:
            self.visit(item)
        if node.returns is not None:
            self.visit(node.returns)
        self.functions.append(node.name)
        for stmt in self._skip_docstring(node.body):
            self.visit(stmt)
        self.functions.pop()

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def visit_Call(self, node: ast.Call) -> None:
        if _allowed_call(node):
            return
        self.visit(node.func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            if keyword.arg not in ID_KEYWORDS:
                self.visit(keyword.value)

    # --- the literals themselves ------------------------------------------------------------------

    def _judge(self, node: ast.Constant | ast.JoinedStr) -> None:
        text = literal_text(node)
        if reads_like_words(text):
            self.found.append((node.lineno, self.functions[-1] if self.functions else "", text))

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._judge(node)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        self._judge(node)
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                self.visit(part.value)  # a literal inside a placeholder is judged on its own


def wording_outside_ui(path: Path) -> list[str]:
    """`file:line: text` for each sentence in `path` that belongs in `bot/ui/`."""
    name = path.relative_to(ROOT).as_posix()
    finder = Finder()
    finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=name))
    return [
        f"{name}:{line}: {text!r}" for line, function, text in finder.found if (name, function, text) not in PENDING
    ]


def test_there_are_cogs_to_check() -> None:
    assert len(COG_FILES) >= 5


@pytest.mark.parametrize("path", COG_FILES, ids=lambda p: p.name)
def test_cog_has_no_wording_of_its_own(path: Path) -> None:
    found = wording_outside_ui(path)
    assert not found, "Words members read belong in bot/ui/ (see ARCHITECTURE.md):\n" + "\n".join(found)


# --- the guard itself -----------------------------------------------------------------------------


def _found_in(source: str) -> list[str]:
    finder = Finder()
    finder.visit(ast.parse(source))
    return [text for _, _, text in finder.found]


@pytest.mark.parametrize(
    "source",
    [
        'await reply(interaction, "Only the member who asked can confirm.")',
        'x = f"Proposal #{p.id} is withdrawn."',
        'discord.ui.Button(label="Leave", custom_id="shift:leave:1")',
        'discord.ui.TextInput(label="When (server time)", placeholder="sat 10am")',
        'embed.add_field(name="Member", value=f"<@{member}>")',
        "x = f\"{n} {'blocks' if one else 'block things'}\"",
        'def f():\n    """Doc."""\n    return "Nothing changed."',
    ],
)
def test_guard_finds_wording(source: str) -> None:
    assert _found_in(source)


@pytest.mark.parametrize(
    "source",
    [
        '"""Module docstring with words."""',
        'class C:\n    """Class docstring with words."""',
        'async def f():\n    """Function docstring with words."""',
        '@app_commands.command(name="log", description="The public record of who did what")\ndef f(): pass',
        '@app_commands.describe(days="How far back (default 90 days)")\ndef f(): pass',
        '@mydata.command(name="export", description="A JSON file of everything")\ndef f(): pass',
        'CHOICES = [app_commands.Choice(name="consent: passes unless someone blocks", value="consent")]',
        'g = app_commands.Group(name="mydata", description="Your own data: see it all, or delete it")',
        '@app_commands.rename(other="with")\ndef f(): pass',
        'log.warning("could not post in channel %s: %s", channel_id, exc)',
        'discord.ui.Button(custom_id=f"log:{kind}:{days} x")',
        'class B(discord.ui.DynamicItem, template=r"log:(?P<kind>a b)"): pass',
        'class C(commands.GroupCog, group_name="rota", group_description="Take turns at facilitating, fairly"): pass',
        'x = f"<@{to}>: {question}"',
        'x = {"open": "open", "shift_channel_id": 1}',
        'x = "proposal:new:"',
        'bot.get_cog("ProposalCog")',
    ],
)
def test_guard_allows(source: str) -> None:
    assert _found_in(source) == []
