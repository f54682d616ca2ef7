"""Member text: cleaning, limits, mentions, display names."""

import pytest

from bot.domain.errors import MentionNotAllowed, TextRequired, TextTooLong
from bot.domain.text import clean_text, display_name, one_line, strip_invisible


def test_strips_whitespace_and_invisible_characters_but_keeps_inner_text():
    raw = "  \u200bCorner of\u202e Main\u2066 St\n  by the \u2060bakery\ufeff  "
    assert clean_text(raw, field="where", max_len=100) == "Corner of Main St\n  by the bakery"


@pytest.mark.parametrize(
    "char", ["\u200b", "\u200f", "\u2060", "\u2064", "\ufeff", "\u202a", "\u202e", "\u2066", "\u2069"]
)
def test_every_listed_invisible_character_is_removed(char):
    assert strip_invisible(f"a{char}b") == "ab"


def test_required_and_optional_empty_text():
    with pytest.raises(TextRequired) as caught:
        clean_text(" \u200b ", field="where", max_len=10)
    assert caught.value == TextRequired("where")
    assert clean_text("   ", field="notes", max_len=10, required=False) == ""


def test_too_long_reports_limit_and_length_after_cleaning():
    assert clean_text("abcde\u200b", field="where", max_len=5) == "abcde"
    with pytest.raises(TextTooLong) as caught:
        clean_text("abcdef", field="where", max_len=5)
    assert caught.value == TextTooLong("where", 5, 6)


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("hi @everyone", "@everyone"),
        ("@here now", "@here"),
        ("ping @\u200beveryone", "@everyone"),
        ("@e\u200bvery\u2060one", "@everyone"),
        ("@HERE", "@HERE"),
        ("hey <@123>", "<@123>"),
        ("hey <@!456>", "<@!456>"),
        ("role <@&789>", "<@&789>"),
    ],
)
def test_mentions_are_refused(text, mention):
    with pytest.raises(MentionNotAllowed) as caught:
        clean_text(text, field="notes", max_len=100)
    assert caught.value == MentionNotAllowed("notes", mention)


@pytest.mark.parametrize("text", ["email me at a@hereford.uk", "@everyones", "<@abc>", "<#123> channel"])
def test_harmless_at_signs_pass(text):
    assert clean_text(text, field="notes", max_len=100) == text


def test_one_line_folds_whitespace():
    assert one_line("  a\n\tb   c \r\n") == "a b c"


def test_display_name_escapes_markdown_and_breaks_mentions():
    assert display_name("**bold**") == "\\*\\*bold\\*\\*"
    assert display_name("a_b|c~d`e>f\\g") == "a\\_b\\|c\\~d\\`e\\>f\\\\g"
    assert display_name("@everyone") == "@\u200beveryone"
    assert display_name("<@123>") == "\\<@\u200b123\\>"
    assert display_name("# big") == "\\# big"
    assert display_name("- item") == "\\- item"
    assert display_name("a-b #1") == "a-b #1"


def test_display_name_removes_invisible_folds_and_truncates():
    assert display_name("  Ana\u200b\nLuz  ") == "Ana Luz"
    long = "x" * 40
    shown = display_name(long)
    assert shown == "x" * 31 + "…"
    assert len(display_name("y" * 32)) == 32
    assert display_name("\u200b \u202e") == ""


def test_display_name_truncates_before_escaping():
    # The limit is on visible characters; escaping happens after, so no dangling backslash.
    shown = display_name("*" * 40)
    assert shown == "\\*" * 31 + "…"
