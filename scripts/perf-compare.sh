#!/bin/bash
# Runs jxc bench compare the way docs/PERFORMANCE.md reports it: a fresh demo
# company on SQLite or PostgreSQL, one jxc serve, then API against raw for
# orders and receipts at 1, 4 and 16 clients (or hot items with --hot).
#
#   scripts/perf-compare.sh ./jxc sqlite LABEL [jxc serve flags…]
#   scripts/perf-compare.sh ./jxc pg LABEL [jxc serve flags…]     # needs JXC_PG (a server URL, trust auth)
#   COMPARE="--clients 4 --hot 10" scripts/perf-compare.sh ./jxc pg hot10
set -eu
BIN=$1; engine=$2; label=$3; shift 3
PW=choose-a-long-one-1; PORT=${PORT:-18700}; DIR=${DIR:-/tmp/jxc-perf}
COMPARE=${COMPARE:---clients 1,4,16}
mkdir -p "$DIR"
if [ "$engine" = pg ]; then
  PG=${JXC_PG:-postgres://postgres@127.0.0.1:5432}
  psql "$PG/postgres" -q -c 'DROP DATABASE IF EXISTS jxc_perf' -c 'CREATE DATABASE jxc_perf'
  DB="$PG/jxc_perf?sslmode=disable"
else
  rm -f "$DIR"/perf.db*; DB=$DIR/perf.db
fi
"$BIN" serve --demo --db "$DB" --addr 127.0.0.1:$PORT --log-level warn "$@" > "$DIR/serve-$label.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -s 127.0.0.1:$PORT/readyz >/dev/null && break; sleep 0.5; done
curl -s -X POST 127.0.0.1:$PORT/api/v1/setup -H 'Content-Type: application/json' \
     -d "{\"username\":\"boss\",\"password\":\"$PW\"}" >/dev/null
echo "### $label $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
# shellcheck disable=SC2086
"$BIN" bench compare --url http://127.0.0.1:$PORT --user boss --password $PW --db "$DB" \
  --duration 3s --rounds 3 --warmup 1s --seed 11 --mode order,receipt $COMPARE
