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
PORT=${PORT:-18700}; DIR=${DIR:-/tmp/jxc-perf}
COMPARE=${COMPARE:---clients 1,4,16}
. "$(dirname "$0")/perf-lib.sh"
perf_serve "$BIN" "$engine" jxc_perf "$label" "$@"
echo "### $label $(date +%T) load $(cut -d' ' -f1 /proc/loadavg)"
# shellcheck disable=SC2086
"$BIN" bench compare --url http://127.0.0.1:$PORT --user boss --password $PW --db "$DB" \
  --duration 3s --rounds 3 --warmup 1s --seed 11 --mode order,receipt $COMPARE
