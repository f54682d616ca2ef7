"""Discord-facing presentation shared by the cogs: replies, error wording, common embeds.

This is the one layer that holds the sentences members read; cogs keep only slash-command metadata
(names, descriptions, choices), which discord.py's Translator reads. `tests/unit/test_wording_lives_in_ui.py`
keeps it that way.
"""
