"""The rules of the group, as pure Python: no Discord, no I/O, no database, no clock.

errors (typed RotaError subclasses), text (member text), timeparse (times, durations, zones),
shifts, rota (fair facilitator rotation), decisions (tally and outcome per rule), equity (/stats).
"""
