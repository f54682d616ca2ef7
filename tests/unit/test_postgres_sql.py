"""The PostgreSQL backend's translation of the store's SQL, and what it shows of its URL."""

from __future__ import annotations

import pytest

from bot.store.postgres import PostgresDatabase, guild_lock_key, numbered


def test_question_marks_are_numbered_in_order() -> None:
    assert numbered("SELECT * FROM t WHERE a = ? AND b IN (?, ?)") == (
        "SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)",
        None,
    )


def test_named_placeholders_number_each_name_once() -> None:
    sql, names = numbered("UPDATE t SET a = :a, b = :b WHERE id = :id AND a <> :a")
    assert sql == "UPDATE t SET a = $1, b = $2 WHERE id = $3 AND a <> $1"
    assert names == ("a", "b", "id")


def test_text_in_quotes_and_casts_are_left_alone() -> None:
    sql, names = numbered("SELECT 'rota:swap:?' AS k, \"odd:name\", x::jsonb FROM t WHERE key = ?")
    assert sql == "SELECT 'rota:swap:?' AS k, \"odd:name\", x::jsonb FROM t WHERE key = $1"
    assert names is None
    assert numbered("SELECT 'it''s ?' WHERE a = ?")[0] == "SELECT 'it''s ?' WHERE a = $1"


def test_one_statement_uses_one_kind_of_placeholder() -> None:
    with pytest.raises(ValueError):
        numbered("SELECT ? WHERE a = :a")


@pytest.mark.parametrize("guild_id", [0, 1, 2**31, 2**32 + 7, 1576845982878925862, 2**63 - 1])
def test_a_servers_lock_key_fits_an_int4(guild_id: int) -> None:
    key = guild_lock_key(guild_id)
    assert -(2**31) <= key < 2**31
    assert key == guild_lock_key(guild_id)


def test_where_never_shows_the_password() -> None:
    db = PostgresDatabase("postgresql://rota:s3cret@db.example:5433/rota?sslmode=require")
    assert db.where == "postgresql://rota@db.example:5433/rota"
