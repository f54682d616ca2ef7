"""The rules of the group, as pure Python: no Discord, no I/O, no database, no clock.

errors (typed RotaError subclasses), text (member text), timeparse (times, durations, zones), time_words
(the words for days, months and times in each language),
shifts, rota (fair facilitator rotation), decisions (tally and outcome per rule), equity (/stats).
"""
