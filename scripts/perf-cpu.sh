#!/bin/bash
# Where a document's time goes: CPU milliseconds per acknowledged document of
# the jxc server, of PostgreSQL (every process of the postgres user) and of
# the load tool, over one `jxc bench run` on a fresh demo company. At one
# client the three add up to about the latency, so this says which process
# to make cheaper; unlike docs/s it hardly moves with the machine's noise.
#
#   scripts/perf-cpu.sh ./jxc pg 1 purchase=1        # needs JXC_PG (a server URL, trust auth)
#   scripts/perf-cpu.sh ./jxc sqlite 16 purchase=1
#
# The mix is bench run's (--mix); purchase receipts always succeed, where
# orders on the demo company soon run out of stock.
set -eu
BIN=$1; engine=$2; clients=$3; mix=$4
PORT=${PORT:-18712}; DIR=${DIR:-/tmp/jxc-perf}; SECS=${SECS:-8}
. "$(dirname "$0")/perf-lib.sh"
perf_serve "$BIN" "$engine" jxc_cpu cpu
run() { "$BIN" bench run --url http://127.0.0.1:$PORT --user boss --password $PW --clients "$clients" --mix "$mix" "$@"; }
run --duration 2s --seed 3 > /dev/null 2>&1 || true # warm-up
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime+stime, in clock ticks
pgticks() { s=0; for p in $(pgrep -u postgres || true); do s=$((s + $(ticks "$p"))); done; echo $s; }
j0=$(ticks $pid); p0=$(pgticks)
/usr/bin/time -f "%U %S" -o "$DIR/tool.time" "$BIN" bench run --url http://127.0.0.1:$PORT --user boss --password $PW \
  --clients "$clients" --mix "$mix" --duration "${SECS}s" --seed 5 > "$DIR/run-cpu.log" 2>&1 || true
j1=$(ticks $pid); p1=$(pgticks)
read -r tu ts < <(tail -1 "$DIR/tool.time")
docs=$(awk 'NR > 2 && $2 ~ /^[0-9]+$/ { n += $2 } /^acknowledged/ { exit } END { print n }' "$DIR/run-cpu.log")
python3 - "$docs" "$((j1 - j0))" "$((p1 - p0))" "$tu" "$ts" "$(getconf CLK_TCK)" "$clients" "$SECS" <<'EOF'
import sys
docs, jt, pt, tu, ts, hz, clients, secs = (float(a) for a in sys.argv[1:])
ms = lambda ticks: ticks * 1000 / hz / docs
print(f"docs={docs:.0f} per doc, CPU ms: jxc={ms(jt):.2f} postgres={ms(pt):.2f} "
      f"tool={(tu + ts) * 1000 / docs:.2f}; latency ms={secs * 1000 * clients / docs:.2f}")
EOF
cat "$DIR/run-cpu.log" | sed -n '2,5p'
