"""The bot's optional HTTP side (ROTA_WEB_PORT): calendar feeds, /healthz and /metrics.

It runs in the bot's own event loop and shares its database; every handler awaits the database and
does only light work (a feed is a few hundred lines of text), so it never holds up the gateway.
"""
