"""Validating and neutralising text that members type or that Discord gives us as names.

Members write shift locations, notes and proposals that the bot later posts in public channels, so
text is cleaned once on the way in: invisible direction/zero-width characters are removed (they are
used to hide mentions and to reverse text), and mentions are refused outright rather than silently
edited, so what the member sees is what gets posted. Names are not validated (members do not choose
them here) but neutralised for display.
"""

from __future__ import annotations

import re

from bot.domain.errors import MentionNotAllowed, TextRequired, TextTooLong

# Zero-width, word-joiner/invisible-operator, BOM and bidi embedding/override/isolate controls.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069]")

_MENTION = re.compile(
    r"@(?:everyone|here)(?![\w])"  # mass mentions
    r"|<@[!&]?\d+>",  # user (<@1>, <@!1>) and role (<@&1>) mentions
    re.IGNORECASE,
)

_WHITESPACE_RUN = re.compile(r"\s+")
_MARKDOWN = re.compile(r"([\\*_~|>`\[\]<])")
_LINE_START_MARKDOWN = re.compile(r"^([#-])")  # headings and list items only start a line

DISPLAY_NAME_MAX = 32


def strip_invisible(value: str) -> str:
    """Remove zero-width and bidi control characters, which can hide mentions or flip text."""
    return _INVISIBLE.sub("", value)


def clean_text(value: str, *, field: str, max_len: int, required: bool = True) -> str:
    """Return member text ready to store and post, or raise the error that explains why not.

    Strips surrounding whitespace and invisible characters; keeps line breaks and inner spacing as
    typed. `field` names the input in the error so the reply can point at it. An optional empty
    field comes back as "".
    """
    cleaned = strip_invisible(value).strip()
    if not cleaned:
        if required:
            raise TextRequired(field)
        return ""
    if len(cleaned) > max_len:
        raise TextTooLong(field, max_len, len(cleaned))
    mention = _MENTION.search(cleaned)
    if mention is not None:
        raise MentionNotAllowed(field, mention.group(0))
    return cleaned


def one_line(value: str) -> str:
    """Collapse every run of whitespace (line breaks included) to one space, for titles and names."""
    return _WHITESPACE_RUN.sub(" ", value).strip()


def display_name(raw: str) -> str:
    """Make a Discord name safe to put inside a card or message.

    Removes invisible characters, folds it onto one line, truncates it to 32 characters (ending with
    an ellipsis when cut), then escapes markdown and breaks `@` so that a name such as `@everyone`
    or `**x**` shows literally and never pings. Meant for markdown contexts (message content,
    embed descriptions and fields); embed author names and titles do not render escapes. Returns ""
    when nothing visible is left; the caller chooses the fallback (for example a `<@id>` mention
    rendered without pings).
    """
    name = one_line(strip_invisible(raw))
    if len(name) > DISPLAY_NAME_MAX:
        name = name[: DISPLAY_NAME_MAX - 1].rstrip() + "…"
    escaped = _LINE_START_MARKDOWN.sub(r"\\\1", _MARKDOWN.sub(r"\\\1", name))
    # A zero-width space after @ renders identically but is not a mention to Discord.
    return escaped.replace("@", "@\u200b")
