#!/usr/bin/env bash
# Checks that the migrations build the reference schema in tests/fixtures/schema/:
# runs migration:fresh on a temporary PostgreSQL database and a temporary SQLite file,
# dumps both schemas in a stable form and diffs them with the fixtures.
#
#   bin/check_schema.sh            check; prints the diff and exits 1 on a difference
#   bin/check_schema.sh --update   rewrite the fixtures after an intended schema change
#
# Needs the app's environment (.env, as `npm test` creates it, or the variables set),
# psql, createdb, dropdb and pg_dump, and the sqlite3 command-line shell.
# PostgreSQL: PG_HOST, PG_PORT, PG_USER, PG_PASSWORD (default 127.0.0.1:5432, postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

update=false
[ "${1:-}" = "--update" ] && update=true

fixtures=tests/fixtures/schema
pg_host=${PG_HOST:-127.0.0.1}
pg_port=${PG_PORT:-5432}
pg_user=${PG_USER:-postgres}
export PGPASSWORD=${PG_PASSWORD:-}
pg_db="daicho_schema_check_$$"
sqlite_file="schema-check-$$.sqlite3"
work=$(mktemp -d)

for tool in createdb dropdb pg_dump sqlite3; do
  command -v "$tool" >/dev/null || { echo "check_schema: $tool not found" >&2; exit 2; }
done

cleanup() {
  dropdb -h "$pg_host" -p "$pg_port" -U "$pg_user" --if-exists "$pg_db" || true
  rm -f "tmp/$sqlite_file" "tmp/$sqlite_file-journal" "tmp/$sqlite_file-wal" "tmp/$sqlite_file-shm"
  rm -rf "$work"
}
trap cleanup EXIT

# The schema only: no pg_dump version header, comments, settings or \restrict keys.
postgres_schema() {
  pg_dump -h "$pg_host" -p "$pg_port" -U "$pg_user" --schema-only --no-owner --no-privileges --restrict-key=daicho "$pg_db" \
    | grep -v -e '^--' -e '^SET ' -e '^SELECT pg_catalog.set_config' -e '^\\restrict ' -e '^\\unrestrict ' \
    | cat -s | sed '1{/^$/d}'
}

# Per table: columns in order, foreign keys, indexes and triggers, whatever the CREATE TABLE
# text looks like (SQLite keeps the text ALTER TABLE or a table rebuild left behind).
sqlite_schema() {
  sqlite3 -batch -noheader -separator ' | ' "tmp/$sqlite_file" <<'SQL'
SELECT 'column', m.name, c.cid, c.name, lower(c.type), c."notnull", coalesce(c.dflt_value, ''), c.pk, c.hidden
  FROM sqlite_master m, pragma_table_xinfo(m.name) c
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid;
SELECT 'foreign key', m.name, f."from", f."table", f."to", f.on_update, f.on_delete
  FROM sqlite_master m, pragma_foreign_key_list(m.name) f
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, f."from", f."table";
SELECT 'index', m.name, i.name, i."unique", i.origin, i.partial,
       (SELECT group_concat(coalesce(x.name, '<expression>'), ',') FROM pragma_index_info(i.name) x)
  FROM sqlite_master m, pragma_index_list(m.name) i
 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, i.name;
SELECT 'partial index', name, replace(replace(sql, '`', ''), '"', '')
  FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %' ORDER BY name;
SELECT 'trigger', tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name;
SQL
}

createdb -h "$pg_host" -p "$pg_port" -U "$pg_user" "$pg_db"
DB_CONNECTION=pg PG_HOST="$pg_host" PG_PORT="$pg_port" PG_USER="$pg_user" PG_DB_NAME="$pg_db" \
  node ace migration:fresh --force >"$work/postgres.log" 2>&1 || { cat "$work/postgres.log"; exit 1; }
postgres_schema >"$work/postgres.sql"

DB_CONNECTION=sqlite SQLITE_FILE="$sqlite_file" node ace migration:fresh --force >"$work/sqlite.log" 2>&1 \
  || { cat "$work/sqlite.log"; exit 1; }
sqlite_schema >"$work/sqlite.txt"

if $update; then
  mkdir -p "$fixtures"
  cp "$work/postgres.sql" "$fixtures/postgres.sql"
  cp "$work/sqlite.txt" "$fixtures/sqlite.txt"
  echo "check_schema: fixtures rewritten in $fixtures"
  exit 0
fi

status=0
diff -u "$fixtures/postgres.sql" "$work/postgres.sql" || status=1
diff -u "$fixtures/sqlite.txt" "$work/sqlite.txt" || status=1
if [ $status -eq 0 ]; then
  echo "check_schema: PostgreSQL and SQLite schemas match $fixtures"
else
  echo "check_schema: the migrations build a different schema (bin/check_schema.sh --update after an intended change)" >&2
fi
exit $status
