#!/bin/bash
# What a SQLite commit writes: WAL frames (pages) per commit, by table and
# index, for documents posted one at a time through the API or by the raw
# yardstick. Unlike documents/s this is a count the machine's noise does not
# move; each frame costs two pwrite calls and is flushed at COMMIT.
#
#   scripts/perf-frames.sh ./jxc api purchase=1     # bench run's mix: purchase=1, order=1, …
#   scripts/perf-frames.sh ./jxc raw receipt        # bench compare's mode: receipt or order
#
# api: one client posts for 1 s after the WAL was emptied; raw: one 1 s round
# of bench compare at one client, whose raw side runs last. The WAL is read
# as it stands (the last checkpoint's reset bounds it, about 20 documents),
# the pages are named through a copy of the database (dbstat), and the
# first commit, which may be partial, is left out. Needs sqlite3 and python3.
set -eu
BIN=$1; side=$2; what=$3
PORT=${PORT:-18712}; DIR=${DIR:-/tmp/jxc-perf}
. "$(dirname "$0")/perf-lib.sh"
# Without group commit: a document at one client commits alone either way,
# and SQLite's own checkpoints leave the WAL about 20 documents long, where
# the group-commit writer's checkpointer resets it every 50 ms.
perf_serve "$BIN" sqlite jxc_frames frames --no-group-commit
post() {
if [ "$side" = api ]; then
  # Purchases first: they warm the server and stock the items, which orders
  # on the demo company otherwise soon run out of (and refused orders write nothing).
  "$BIN" bench run --url http://127.0.0.1:$PORT --user boss --password $PW --clients 1 --mix purchase=1 --duration 3s --seed 4 > /dev/null 2>&1
  sleep 0.5
  sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" > /dev/null
  "$BIN" bench run --url http://127.0.0.1:$PORT --user boss --password $PW --clients 1 --mix "$what" --duration 1s --seed 5 > "$DIR/frames-run.log" 2>&1
else
  "$BIN" bench compare --db "$DB" --url http://127.0.0.1:$PORT --user boss --password $PW --mode "$what" \
    --clients 1 --rounds 1 --warmup 0 --duration 1s > "$DIR/frames-run.log" 2>&1
fi
sleep 0.3
rm -rf "$DIR/frames-copy"; mkdir -p "$DIR/frames-copy"
cp "$DB" "$DB-wal" "$DIR/frames-copy/"
}
# A checkpoint resets the WAL every thousand frames or so; when it did so
# just before the end, too few commits are left to count: post again.
for _ in 1 2 3 4 5; do
  post || true
  commits=$(python3 -c 'import os,struct,sys; p=sys.argv[1]; d=open(p,"rb").read() if os.path.exists(p) else b"\0"*32; s=struct.unpack(">I",d[8:12])[0]; o=32; n=0
while o+24+s<=len(d) and d[o+8:o+16]==d[16:24]: n+=struct.unpack(">I",d[o+4:o+8])[0]!=0; o+=24+s
print(n)' "$DIR/frames-copy/jxc_frames.db-wal")
  [ "$commits" -ge 6 ] && break
done
python3 - "$DIR/frames-copy/jxc_frames.db-wal" > "$DIR/frames.txt" <<'EOF'
import struct, sys
d = open(sys.argv[1], 'rb').read()
size, salt, off = struct.unpack('>I', d[8:12])[0], d[16:24], 32
while off + 24 + size <= len(d) and d[off + 8:off + 16] == salt:  # frames of the current WAL generation
    page, commit = struct.unpack('>II', d[off:off + 8])
    print(page, commit)
    off += 24 + size
EOF
sqlite3 "$DIR/frames-copy/jxc_frames.db" "SELECT pageno, name FROM dbstat" > "$DIR/frames-pages.txt"
python3 - "$DIR/frames.txt" "$DIR/frames-pages.txt" <<'EOF'
import collections, sys
name = dict((int(p), n) for p, n in (l.rstrip('\n').split('|', 1) for l in open(sys.argv[2])))
commits, cur = [], []
for line in open(sys.argv[1]):
    page, commit = map(int, line.split())
    cur.append(name.get(page, '?'))
    if commit:
        commits.append(cur)
        cur = []
commits = commits[1:]
frames = sum(map(len, commits))
print(f"{len(commits)} commits, {frames / len(commits):.1f} frames per commit")
for n, k in sorted(((v, k) for k, v in collections.Counter(x for c in commits for x in c).items()), reverse=True):
    print(f"{n / len(commits):6.2f}  {k}")
EOF
