"""The review's SQLite statements (:mod:`csu_console.storage.review_sql`) as
PostgreSQL runs them: one set of queries for both databases.

What differs is small, and translated here once per statement (cached): named
``:name`` and ``?`` parameters to psycopg's ``%(name)s`` and ``%s``; ``char(31)`` to
``chr(31)``; SQLite's planner hints (``INDEXED BY``, ``+column``) dropped; the JSON
array of ``json_each`` read with ``jsonb_array_elements_text``. ``julianday`` and
``instr`` are SQL functions of the central schema (:mod:`csu_console.central.schema`),
``->>`` is the same operator on ``jsonb``.
"""

from __future__ import annotations

import functools
import re

_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_HINT = re.compile(r"\s+INDEXED BY \w+")
_REPLACE = (
    (
        "SELECT value FROM json_each(:pks)",
        "SELECT value::bigint FROM jsonb_array_elements_text(CAST(:pks AS jsonb))",
    ),
    ("char(31)", "chr(31)"),
    ("+kind", "kind"),
)


@functools.lru_cache(maxsize=512)
def to_postgres(sql: str) -> str:
    """``sql`` (SQLite, named or ``?`` parameters) for psycopg on PostgreSQL."""
    for old, new in _REPLACE:
        sql = sql.replace(old, new)
    sql = _HINT.sub("", sql)
    parts = sql.split("'")  # even parts: outside string literals
    for i in range(0, len(parts), 2):
        text = parts[i].replace("%", "%%")
        text = _PARAM.sub(r"%(\1)s", text)
        parts[i] = text.replace("?", "%s")
    return "'".join(parts)
