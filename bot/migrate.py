"""`rota migrate --to postgresql://...`: move a SQLite deployment to PostgreSQL, history and all.

It refuses a target that already holds data (nothing is ever overwritten), copies every table with
its ids in one transaction, and then checks that every table holds as many rows as the source.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.store.copying import copy_everything, row_counts
from bot.store.database import DatabaseError, is_postgres, open_database


async def migrate(source_target: str, destination: str, out: TextIO = sys.stdout) -> int:
    """Copy `source_target` (a SQLite file) into `destination` (a PostgreSQL URL); an exit code."""
    if is_postgres(source_target):
        print("rota: ROTA_DATABASE is already PostgreSQL; migrate copies a SQLite file into it.", file=sys.stderr)
        return 2
    if not is_postgres(destination):
        print("rota: --to must be a postgresql:// URL.", file=sys.stderr)
        return 2
    source, target = open_database(source_target), open_database(destination)
    try:
        try:
            await source.open()
            await target.open()
        except DatabaseError as exc:
            print(f"rota: cannot open the databases: {exc}", file=sys.stderr)
            return 2
        already = {table: n for table, n in (await row_counts(target)).items() if n}
        if already:
            listed = ", ".join(f"{table} ({n})" for table, n in already.items())
            print(f"rota: {target.where} already holds data ({listed}); nothing was copied.", file=sys.stderr)
            return 2
        copied = await copy_everything(source, target)
        mismatched = {t: (n, m) for t, n in copied.items() if (m := (await row_counts(target))[t]) != n}
        if mismatched:
            print(f"rota: the copy does not match the source: {mismatched}", file=sys.stderr)
            return 1
        total = sum(copied.values())
        print(f"copied {total} rows from {source.where} to {target.where}; every table matches:", file=out)
        for table, count in copied.items():
            print(f"  {table}: {count}", file=out)
        print("Now set ROTA_DATABASE to the new URL and start Rota; keep the SQLite file as a backup.", file=out)
        return 0
    finally:
        await source.close()
        await target.close()
