"""The catalogues are complete and in step with the code.

- `pybabel extract` on today's code gives exactly the committed template (`bot/locale/rota.pot`),
  and `pybabel update --check` finds nothing to change in any catalogue: no string is missed;
- every shipped language translates every message, nothing fuzzy, with the same placeholders as
  the English text (a translator may drop `{count}` from a singular form: "ein Platz").
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.ui.i18n import ENGLISH, LANGUAGES, LOCALE_DIR, catalogue_path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = LOCALE_DIR / "rota.pot"
KEYWORDS = ["-k", "_", "-k", "n_:1,2", "-k", "p_:1c,2", "-k", "N_"]
TRANSLATED = sorted(set(LANGUAGES) - {ENGLISH})
MARKERS = {"_", "n_", "p_", "N_"}
PLACEHOLDER = re.compile(r"(?<!\{)\{([a-z_]+)\}(?!\})")


def pybabel(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).parent / "pybabel"), "-q", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pot") / "rota.pot"
    done = pybabel("extract", "-F", "babel.cfg", *KEYWORDS, "--no-location", "--sort-output", "-o", str(out), ".")
    assert done.returncode == 0, done.stderr
    # A fresh template is stamped with this minute; only its messages matter to `update --check`.
    stamp = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.M)
    committed = stamp.search(TEMPLATE.read_text(encoding="utf-8"))
    assert committed is not None
    out.write_text(stamp.sub(lambda _: committed.group(0), out.read_text(encoding="utf-8")), encoding="utf-8")
    return out


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def keys(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(_id(message), message.context) for message in catalog if message.id}


def _id(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def test_the_committed_template_is_what_the_code_says(fresh_template: Path) -> None:
    fresh, committed = keys(read(fresh_template)), keys(read(TEMPLATE))
    assert fresh - committed == set(), "new text in the code: run the extract command in README.md"
    assert committed - fresh == set(), "text gone from the code: run the extract command in README.md"


@pytest.mark.parametrize("language", TRANSLATED)
def test_update_would_change_nothing(fresh_template: Path, language: str) -> None:
    done = pybabel(
        "update", "--check", "-i", str(fresh_template), "-d", str(LOCALE_DIR), "-D", "rota", "-l", language,
        "--no-fuzzy-matching", "--ignore-obsolete",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_marked_text_in_the_code_is_in_the_template() -> None:
    """Babel's extractor skips a marker nested in another marker's arguments (`_("a {b}", b=_("c"))`):
    such text would stay English in every language. Every literal given to a marker must be found."""
    found = {_id(message) for message in read(TEMPLATE) if message.id}
    missed = []
    for path in [*(ROOT / "bot" / "ui").glob("*.py"), *(ROOT / "cogs").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS:
                index = 1 if node.func.id == "p_" else 0
                text = node.args[index] if len(node.args) > index else None
                if isinstance(text, ast.Constant) and text.value not in found:
                    missed.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text.value!r}")
    assert missed == [], "compute nested text first, then pass it in:\n" + "\n".join(missed)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    catalog = read(catalogue_path(language), locale=language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set().union(*(placeholders(i) for i in ids))
        for form, text in enumerate(strings):
            if not text:
                problems.append(f"empty: {message.id!r}")
                continue
            have = placeholders(text)
            # A plural's singular-like forms may say "one" in words instead of {count}.
            allowed_missing = {"count"} if len(ids) > 1 and form < len(strings) - 1 else set()
            if have - expected or expected - have - allowed_missing:
                problems.append(f"placeholders {sorted(have)} != {sorted(expected)}: {message.id!r} -> {text!r}")
    assert problems == [], "\n".join(problems[:20])
