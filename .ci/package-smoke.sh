#!/usr/bin/env bash
# Consumer smoke test of the packages, run by .ci/run (and runnable on its own):
#   1. dotnet pack -c Release, with a version of its own per run (0.1.0-ci.<time>.<pid>) so no stale copy in the
#      global packages folder can stand in for it;
#   2. a fresh console project outside the repository (none of its Directory.*.props apply), whose nuget.config adds
#      the folder of packed packages beside the machine's own sources;
#   3. dotnet add package Exai.Supabase and Exai.Supabase.Migrations at that version, and package-smoke/Program.cs;
#   4. run it against PostgreSQL: EXAI_TEST_POSTGRES when set, otherwise a throwaway cluster started here from the
#      server binaries (initdb/pg_ctl). The program makes and drops a database of its own.
# Everything it makes (folders, cluster, the version's entries in the global packages folder) goes on exit.
# Exits non-zero when any step fails. Writes its progress to standard error.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

say() { printf 'package smoke: %s\n' "$*" >&2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/exai-package-smoke.XXXXXX")"
version=""
pgdata=""
pgctl=""
as_postgres=()

cleanup() {
  local code=$?
  if [ -n "$pgdata" ] && [ -f "$pgdata/postmaster.pid" ]; then
    "${as_postgres[@]}" "$pgctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -n "$version" ]; then
    local cache
    cache="$(dotnet nuget locals global-packages --list 2>/dev/null | sed -n 's/^global-packages: //p')"
    if [ -n "$cache" ]; then
      rm -rf "$cache/exai.supabase/$version" "$cache/exai.supabase.migrations/$version"
      rmdir "$cache/exai.supabase" "$cache/exai.supabase.migrations" 2>/dev/null || true
    fi
  fi
  rm -rf "$work"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. pack --------------------------------------------------------------------------------------------------
prefix="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$repo/Directory.Build.props")"
suffix="ci.$(date -u +%Y%m%d%H%M%S).$$"
version="$prefix-$suffix"
say "packing $version"
dotnet pack "$repo/Exai.Supabase.sln" -c Release -o "$work/packages" \
  -p:VersionSuffix="$suffix" -p:ContinuousIntegrationBuild=true >&2

expected="Exai.Supabase.$version.nupkg Exai.Supabase.$version.snupkg Exai.Supabase.Migrations.$version.nupkg Exai.Supabase.Migrations.$version.snupkg"
actual="$(cd "$work/packages" && ls | sort | tr '\n' ' ')"
if [ "$actual" != "$(printf '%s\n' $expected | sort | tr '\n' ' ')" ]; then
  say "FAILED: expected exactly $expected; pack wrote: $actual"
  exit 1
fi
# The Migrations package calls Exai.Supabase's internals: its dependency must be pinned to the same version.
if ! unzip -p "$work/packages/Exai.Supabase.Migrations.$version.nupkg" Exai.Supabase.Migrations.nuspec \
    | grep -q "<dependency id=\"Exai.Supabase\" version=\"\[$version\]\""; then
  say "FAILED: Exai.Supabase.Migrations does not depend on exactly Exai.Supabase $version"
  exit 1
fi

# --- 2. a fresh consumer project ----------------------------------------------------------------------------------
app="$work/consumer/SmokeApp"
mkdir -p "$app"
cat > "$work/consumer/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="exai-local" value="$work/packages" />
  </packageSources>
</configuration>
CONFIG
hosting="$(sed -n 's:.*<ExtensionsVersion>\(.*\)</ExtensionsVersion>.*:\1:p' "$repo/Directory.Packages.props")"
(
  cd "$app"
  dotnet new console --framework net10.0 --no-restore >&2
  dotnet add package Exai.Supabase --version "$version" >&2
  dotnet add package Exai.Supabase.Migrations --version "$version" >&2
  dotnet add package Microsoft.Extensions.Hosting --version "$hosting" >&2
  cp "$repo/.ci/package-smoke/Program.cs" Program.cs
  dotnet build -c Release -warnaserror >&2
)
cache="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: //p')"
if ! grep -q "$work/packages" "$cache/exai.supabase/$version/.nupkg.metadata"; then
  say "FAILED: Exai.Supabase $version was not restored from the packed folder"
  exit 1
fi

# --- 3. PostgreSQL ------------------------------------------------------------------------------------------------
if [ -n "${EXAI_TEST_POSTGRES:-}" ]; then
  say "using the server in EXAI_TEST_POSTGRES"
  server="$EXAI_TEST_POSTGRES"
else
  # shellcheck source=postgres-bindir.sh
  . "$repo/.ci/postgres-bindir.sh"
  bindir="$(postgres_bindir || true)"
  if [ -z "$bindir" ]; then
    say "FAILED: no EXAI_TEST_POSTGRES and no initdb/pg_ctl (./build.sh test installs them as root on Debian)"
    exit 1
  fi
  pgctl="$bindir/pg_ctl"
  pgdata="$work/pgdata"
  mkdir -p "$pgdata"
  if [ "$(id -u)" = "0" ]; then
    # initdb refuses to run as root.
    chown postgres: "$pgdata"
    chmod 711 "$work"   # mktemp made it private; the postgres user must reach the data folder inside
    as_postgres=(runuser -u postgres --)
  fi
  "${as_postgres[@]}" "$bindir/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  started=""
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue   # taken
    if "${as_postgres[@]}" "$pgctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start \
        -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pgdata -c wal_level=logical -c max_wal_senders=10 -c max_replication_slots=10 -c fsync=off -c full_page_writes=off" >/dev/null; then
      started=yes
      break
    fi
  done
  if [ -z "$started" ]; then
    say "FAILED: the throwaway PostgreSQL did not start:"
    tail -n 20 "$pgdata/server.log" >&2 || true
    exit 1
  fi
  say "started a throwaway PostgreSQL on port $port"
  server="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

# --- 4. run the consumer ------------------------------------------------------------------------------------------
say "running the consumer against it"
code=0
EXAI_SMOKE_SERVER="$server" timeout 600 dotnet "$app/bin/Release/net10.0/SmokeApp.dll" >&2 || code=$?
if [ "$code" -ne 0 ]; then
  say "FAILED: the consumer exited with code $code"
  exit 1
fi
say "passed ($version)"
