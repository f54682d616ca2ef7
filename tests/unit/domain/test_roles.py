"""Reading roles ("3 leafleters, 1 driver") and finding the one a member asked for."""

from __future__ import annotations

import pytest

from bot.domain.errors import BadRoles, MentionNotAllowed, TextTooLong
from bot.domain.roles import Role, RoleSpec, find_role, parse_roles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 leafleters, 1 driver", [("leafleters", 3), ("driver", 1)]),
        ("2 cooks and 1 driver", [("cooks", 2), ("driver", 1)]),
        ("2 Köche und 1 Fahrer", [("Köche", 2), ("Fahrer", 1)]),
        ("1 chair; 1 note-taker + 2 x stewards", [("chair", 1), ("note-taker", 1), ("stewards", 2)]),
        ("3 pão e café", [("pão e café", 3)]),  # "e" joins items only before a count
        ("  5   door team  ", [("door team", 5)]),
    ],
)
def test_roles_people_write(text: str, expected: list[tuple[str, int]]) -> None:
    assert parse_roles(text, total_max=50) == tuple(RoleSpec(name, places) for name, places in expected)


@pytest.mark.parametrize(
    "text",
    ["", "leafleters", "0 drivers", "51 stewards", "3 a, 3 A", "30 a, 21 b", "1 " + "x" * 33,
     ", ".join(f"1 r{i}" for i in range(9))],
)  # fmt: skip
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises((BadRoles, TextTooLong)):
        parse_roles(text, total_max=50)


def test_a_role_name_never_pings() -> None:
    with pytest.raises(MentionNotAllowed):
        parse_roles("1 @everyone", total_max=50)


def test_a_role_is_found_by_position_or_name() -> None:
    roles = (Role(1, "leafleters", 3, 0), Role(2, "Driver", 1, 1))
    assert find_role(roles, 2) == roles[1]
    assert find_role(roles, " driver ") == roles[1]
    assert find_role(roles, "cook") is None and find_role(roles, None) is None


def test_an_edit_keeps_held_roles_adds_new_ones_and_removes_only_free_ones() -> None:
    from bot.domain.errors import RoleInUse, RolePlacesBelowTaken
    from bot.domain.roles import change_roles

    current = (Role(1, "leafleters", 3, 2), Role(2, "driver", 1, 0))
    wanted = parse_roles("2 Leafleters, 1 cook", total_max=50)
    assert change_roles(current, wanted, busy={1}) == (Role(1, "leafleters", 2, 2), Role(3, "cook", 1, 0))
    with pytest.raises(RoleInUse):  # somebody waits for the driver's place
        change_roles(current, wanted, busy={1, 2})
    with pytest.raises(RolePlacesBelowTaken):
        change_roles(current, parse_roles("1 leafleters, 1 driver", total_max=50), busy={1})
