# Sourced by build.sh and .ci/package-smoke.sh: where the PostgreSQL server binaries are.
# postgres_bindir prints the folder holding initdb and pg_ctl (PATH first, then the highest version among the usual
# versioned folders) and fails when there is none.
postgres_bindir() {
  local found="" dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    found="$(dirname "$(readlink -f "$(command -v initdb)")")"
  else
    for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin /usr/pgsql-*/bin /usr/local/pgsql/bin | sort -V); do
      if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then found="$dir"; fi
    done
  fi
  [ -n "$found" ] && printf '%s\n' "$found"
}
