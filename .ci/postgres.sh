#!/usr/bin/env bash
# postgres.sh COMMAND [ARGS...]: runs COMMAND with BRIEFBOT_TEST_POSTGRES
# pointing at a throwaway PostgreSQL cluster, and stops the cluster when the
# command ends, whether it passed, failed or was interrupted.
#
# The cluster lives in a temporary directory, listens on 127.0.0.1 only, on a
# free port, and runs as a non-root user (initdb refuses root: as root the
# cluster runs as the `postgres` user). When BRIEFBOT_TEST_POSTGRES is already
# set the command runs against that server and no cluster is started. When
# the PostgreSQL binaries are missing they are installed from the
# distribution's packages (Debian: apt-get install postgresql) if that is
# possible, and the script fails saying so if it is not.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 COMMAND [ARGS...]" >&2
	exit 2
fi

if [ -n "${BRIEFBOT_TEST_POSTGRES:-}" ]; then
	exec "$@"
fi

# find_bin puts a PostgreSQL bin directory on PATH when initdb is not there.
find_bin() {
	command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
			PATH="$d:$PATH"
			return 0
		fi
	done
	return 1
}

if ! find_bin; then
	echo "postgres.sh: PostgreSQL is not installed; installing it from the distribution's packages" >&2
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq --no-install-recommends postgresql postgresql-contrib >&2 || apt-get install -y -qq --no-install-recommends postgresql >&2
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
		sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
	fi
	if ! find_bin; then
		echo "postgres.sh: no initdb/pg_ctl on PATH or in /usr/lib/postgresql/*/bin, and they could not be installed;" >&2
		echo "  install PostgreSQL (e.g. apt-get install postgresql) or set BRIEFBOT_TEST_POSTGRES to a server's URL" >&2
		exit 1
	fi
fi

# as_owner runs a command as the cluster's owner: the current user, or the
# `postgres` user when running as root.
owner="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
	owner=postgres
	if ! id "$owner" >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
	fi
fi
as_owner() {
	if [ "$(id -u)" -eq 0 ]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u "$owner" -- env PATH="$PATH" "$@"
		else
			su "$owner" -s /bin/sh -c 'PATH="$0"; export PATH; exec "$@"' "$PATH" "$@"
		fi
	else
		"$@"
	fi
}

dir="$(mktemp -d "${TMPDIR:-/tmp}/briefbot-pg.XXXXXX")"
chmod 0755 "$dir"
if [ "$(id -u)" -eq 0 ]; then
	chown "$owner" "$dir"
fi
data="$dir/data"
stop() {
	if [ -f "$data/postmaster.pid" ]; then
		as_owner pg_ctl -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_owner initdb -D "$data" -U briefbot --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
	as_owner initdb -D "$data" -U briefbot --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
	cat "$dir/initdb.log" >&2
	exit 1
}

# free_port prints a port on 127.0.0.1 that nothing listens on.
free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# The settings favour a test cluster's speed over durability: the data is
# thrown away when the command ends.
started=""
for _ in 1 2 3; do
	port="$(free_port)"
	if as_owner pg_ctl -D "$data" -l "$dir/postgres.log" -w -t 60 start -o \
		"-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB" >/dev/null; then
		started=1
		break
	fi
done
if [ -z "$started" ]; then
	cat "$dir/postgres.log" >&2 || true
	echo "postgres.sh: the cluster did not start" >&2
	exit 1
fi

export BRIEFBOT_TEST_POSTGRES="postgres://briefbot@127.0.0.1:$port/postgres?sslmode=disable"
echo "postgres.sh: PostgreSQL $(postgres --version | awk '{print $3}') on 127.0.0.1:$port in $dir" >&2
status=0
"$@" || status=$?
exit "$status"
