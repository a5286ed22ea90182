#!/bin/sh
# Times `briefbot import` as a process with /usr/bin/time -v, into a fresh
# database each run, and prints one line per run:
#   run.sh BINARY RUNS LABEL FILE...
# e.g. bench/importtime/run.sh bin/briefbot 3 yaml-10k /tmp/lib-10000.yaml
# With IMPORT_POSTGRES set to a PostgreSQL server's URL (postgres://…/DB)
# each run imports instead into a fresh database briefbot_import on that
# server, dropped and created with psql before the run.
set -eu
bin=$1 runs=$2 label=$3
shift 3
n=$(cat "$@" | grep -c '^---$' || true)
n=$((n + $#))
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
i=1
while [ "$i" -le "$runs" ]; do
	rm -f "$dir"/lib.db*
	target="$dir/lib.db"
	if [ -n "${IMPORT_POSTGRES:-}" ]; then
		psql -q "$IMPORT_POSTGRES" -c 'DROP DATABASE IF EXISTS briefbot_import' -c 'CREATE DATABASE briefbot_import' >&2
		target=$(echo "$IMPORT_POSTGRES" | sed -E 's#^(postgres(ql)?://[^/]*)/[^?]*#\1/briefbot_import#')
	fi
	BRIEFBOT_SAMPLE=off /usr/bin/time -v "$bin" --db "$target" import "$@" >"$dir/out" 2>"$dir/time" || {
		echo "$label run $i failed:" >&2
		tail -5 "$dir/out" "$dir/time" >&2
		exit 1
	}
	wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$dir/time")
	user=$(sed -n 's/.*User time (seconds): //p' "$dir/time")
	sys=$(sed -n 's/.*System time (seconds): //p' "$dir/time")
	secs=$(echo "$wall" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
	echo "$label run $i: $n briefings, wall ${secs}s, $(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }') briefings/s, max RSS $((rss / 1024)) MB, user ${user}s, sys ${sys}s"
	i=$((i + 1))
done
