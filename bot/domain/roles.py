"""Roles on a shift: "3 leafleters, 1 driver". Each role has its own places and its own waitlist;
a member claims a role. A shift offered without roles has one role-less set of places, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.errors import BadRoles, RoleInUse, RolePlacesBelowTaken
from bot.domain.text import clean_text, one_line

ROLES_MAX = 8  # a card shows a button per role up to BUTTONS_MAX, a menu beyond
BUTTONS_MAX = 3
ROLE_NAME_MAX = 32
PLACES_PER_ROLE_MAX = 50


@dataclass(frozen=True, slots=True)
class RoleSpec:
    """A role as offered: its name and how many places it has."""

    name: str
    places: int


@dataclass(frozen=True, slots=True)
class Role:
    """A role of a stored shift: its position on the card (1, 2...), name, places and places taken."""

    position: int
    name: str
    places: int
    taken: int

    @property
    def free(self) -> int:
        return self.places - self.taken


#: Between items: a comma, semicolon or "+", or "and" in our languages when a count follows.
_SEPARATOR = re.compile(r"\s*[,;+]\s*|\s+(?:and|und|y|et|e)\s+(?=\d)", re.IGNORECASE)
_ITEM = re.compile(r"^(?P<count>\d{1,3})\s*(?:x\s+)?(?P<name>.+)$")  # "3 stewards", "3 x stewards"


def parse_roles(text: str, *, total_max: int) -> tuple[RoleSpec, ...]:
    """Read "3 leafleters, 1 driver" (commas, semicolons, "and" or "+" between items). Each item is
    a count and a name; names are distinct (ignoring case); the places add up to at most `total_max`."""
    items = [item.strip() for item in _SEPARATOR.split(text) if item.strip()]
    if not items:
        raise BadRoles(text[:60])
    specs: list[RoleSpec] = []
    for item in items:
        match = _ITEM.match(item)
        if match is None:
            raise BadRoles(text[:60])
        count = int(match.group("count"))
        name = one_line(clean_text(match.group("name"), field="role", max_len=ROLE_NAME_MAX))
        if not 1 <= count <= PLACES_PER_ROLE_MAX or not name:
            raise BadRoles(text[:60])
        specs.append(RoleSpec(name, count))
    names = [spec.name.casefold() for spec in specs]
    if len(specs) > ROLES_MAX or len(set(names)) != len(names) or sum(s.places for s in specs) > total_max:
        raise BadRoles(text[:60])
    return tuple(specs)


def change_roles(current: tuple[Role, ...], wanted: tuple[RoleSpec, ...], *, busy: set[int]) -> tuple[Role, ...]:
    """A shift's roles after an edit. A role named as before (ignoring case) keeps its position and
    holders, and may gain places or lose free ones; a new name is a new role; a role left out goes,
    but only if nobody holds or waits for a place in it (`busy`: those positions)."""
    by_name = {role.name.casefold(): role for role in current}
    kept_names = {spec.name.casefold() for spec in wanted}
    for role in current:
        if role.name.casefold() not in kept_names and role.position in busy:
            raise RoleInUse(role.name)
    changed: list[Role] = []
    next_position = max((role.position for role in current), default=0) + 1
    for spec in wanted:
        old = by_name.get(spec.name.casefold())
        if old is None:
            changed.append(Role(next_position, spec.name, spec.places, 0))
            next_position += 1
        elif spec.places < old.taken:
            raise RolePlacesBelowTaken(old.name, old.taken, spec.places)
        else:
            changed.append(Role(old.position, old.name, spec.places, old.taken))
    return tuple(sorted(changed, key=lambda role: role.position))


def find_role(roles: tuple[Role, ...], wanted: str | int | None) -> Role | None:
    """The role a member asked for, by position or by name (ignoring case); None if none matches."""
    if wanted is None:
        return None
    for role in roles:
        if role.position == wanted or (isinstance(wanted, str) and role.name.casefold() == wanted.strip().casefold()):
            return role
    return None
