#!/usr/bin/env bash
# One-command set-up for a fresh machine that has only the .NET SDK.
#
#   ./build.sh demo [verb] [options]    run the demo (no verb: the walk-through)
#   ./build.sh test [dotnet test args]  run the tests
#
# Both need a PostgreSQL: EXAI_TEST_POSTGRES (or, for the demo, ConnectionStrings__Exai), a Docker engine, or the
# PostgreSQL server binaries. When none of these is present this script installs Debian's 'postgresql' package if
# it runs as root with apt-get, and otherwise says exactly what to install. Plain 'dotnet test' and 'dotnet run'
# work the same wherever PostgreSQL or Docker is present.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '%s\n' "$*" >&2; }

usage() {
  say "usage: ./build.sh demo [verb] [options] | ./build.sh test [dotnet test arguments]"
  exit 2
}

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    say "error: the .NET SDK is not on PATH; install the .NET 10 SDK first (https://dot.net)."
    exit 1
  fi
}

docker_answers() {
  command -v curl >/dev/null 2>&1 || return 1
  if [ -n "${DOCKER_HOST:-}" ]; then
    case "$DOCKER_HOST" in
      unix://*) curl -fsS --max-time 2 --unix-socket "${DOCKER_HOST#unix://}" http://docker/_ping >/dev/null 2>&1 ;;
      tcp://*) curl -fsS --max-time 2 "http://${DOCKER_HOST#tcp://}/_ping" >/dev/null 2>&1 ;;
      *) return 1 ;;
    esac
  else
    [ -S /var/run/docker.sock ] && curl -fsS --max-time 2 --unix-socket /var/run/docker.sock http://docker/_ping >/dev/null 2>&1
  fi
}

# shellcheck source=.ci/postgres-bindir.sh
. .ci/postgres-bindir.sh

postgres_binaries() {
  postgres_bindir >/dev/null
}

ensure_postgres() {
  local configured="${1:-}"
  if [ -n "$configured" ] || docker_answers || postgres_binaries; then
    return 0
  fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    say "No PostgreSQL found (no EXAI_TEST_POSTGRES, no Docker engine, no server binaries): installing Debian's postgresql package ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
    postgres_binaries && return 0
  fi
  say "error: no PostgreSQL is available. Do one of:"
  say "  - install the PostgreSQL server binaries: sudo apt-get install postgresql   (Debian/Ubuntu)"
  say "  - start a Docker engine (the tests then use Testcontainers)"
  say "  - export EXAI_TEST_POSTGRES='Host=...;Username=...;Password=...' (a server where databases may be created)"
  exit 1
}

[ $# -ge 1 ] || usage
command="$1"
shift
require_dotnet
case "$command" in
  demo)
    ensure_postgres "${ConnectionStrings__Exai:-${EXAI_TEST_POSTGRES:-}}"
    exec dotnet run --project samples/Exai.Supabase.Demo -- "$@"
    ;;
  test)
    ensure_postgres "${EXAI_TEST_POSTGRES:-}"
    exec dotnet test Exai.Supabase.sln "$@"
    ;;
  *)
    usage
    ;;
esac
