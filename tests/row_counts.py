"""Rows per table, read in one statement: for the "never a partial write" properties."""

from sqlalchemy import func, select

from mitwirkung.extensions import db


def row_counts() -> dict[str, int]:
    """{table name: rows} for every table of the app, in the test's own transaction."""
    tables = db.metadata.sorted_tables
    statement = select(*(
        select(func.count()).select_from(table).scalar_subquery().label(table.name)
        for table in tables
    ))
    row = db.session.execute(statement).one()
    return dict(zip((table.name for table in tables), row, strict=True))


def changed(before: dict[str, int], after: dict[str, int], ignore=()) -> dict[str, tuple]:
    """{table: (rows before, rows after)} for each table whose count moved."""
    return {name: (before[name], after[name]) for name in before
            if name not in ignore and before[name] != after[name]}
