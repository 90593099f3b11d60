#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages when missing, starts a throwaway
# cluster listening on 127.0.0.1 only, and prints the DSN for the tests:
#
#	export KIOSK_TEST_POSTGRES="$(bash scripts/ci-postgres.sh)"
#
# Everything but the DSN goes to stderr. The cluster lives in a temporary
# directory owned by the postgres user; `scripts/ci-postgres.sh stop` stops it.
set -euo pipefail

dir="${KIOSK_PG_DIR:-/tmp/kiosk-pg}"
port="${KIOSK_PG_PORT:-55432}"

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
	b="$(bindir)"
	[ -n "$b" ] && [ -d "$dir/data" ] && as_pg "$b/pg_ctl" -D "$dir/data" -m immediate stop >&2 || true
	exit 0
fi

if [ -z "$(bindir)" ]; then
	echo "ci-postgres: installing postgresql from Debian" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq postgresql >&2
fi
b="$(bindir)"

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
	useradd --system --home-dir "$dir" postgres
fi

mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"

if ! as_pg "$b/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
	rm -rf "$dir/data"
	as_pg "$b/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
	# Loopback only; fsync stays on so "durable" in the benchmarks means durable.
	as_pg "$b/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=256MB" start >&2
fi

as_pg "$b/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='kiosk_test'" | grep -q 1 ||
	as_pg "$b/psql" -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE kiosk_test" >&2

echo "postgres://postgres@127.0.0.1:$port/kiosk_test?sslmode=disable"
