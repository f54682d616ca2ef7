"""Discord-facing presentation shared by the cogs: replies, error wording, common embeds.

This is the one layer (with cogs/) that holds the sentences members read.
"""
