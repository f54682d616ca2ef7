"""The few SQL fragments that must differ between SQLite and PostgreSQL, each named once.

Everything else the store writes is SQL both databases read the same way.
"""

from __future__ import annotations

#: After a subquery that picks rows to take: skip rows another transaction is taking (PostgreSQL);
#: SQLite has one writer at a time, so there is nothing to skip.
SKIP_LOCKED = {"sqlite": "", "postgresql": " FOR UPDATE SKIP LOCKED"}

#: After rows were copied in with their ids: new rows of `{table}` are numbered after the largest.
#: SQLite does this by itself; PostgreSQL's identity sequence must be told.
CONTINUE_NUMBERING: dict[str, str | None] = {
    "sqlite": None,
    "postgresql": (
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
    ),
}

#: A random negative id (for anonymised members: no row may point back at the person), per dialect.
RANDOM_NEGATIVE_ID = {
    "sqlite": "(-(abs(random()) % 9007199254740991) - 1)",
    "postgresql": "(-(floor(random() * 9007199254740991)::bigint) - 1)",
}


def json_flag(dialect: str, column: str, key: str) -> str:
    """A condition: the JSON text in `column` has `key` set to true."""
    if dialect == "postgresql":
        return f"(({column})::jsonb ->> '{key}') = 'true'"
    return f"json_extract({column}, '$.{key}') = 1"
