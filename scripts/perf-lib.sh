# Sourced by the perf scripts: a fresh demo company served by jxc.
#
#   perf_serve BIN ENGINE DBNAME LABEL [jxc serve flags…]
#
# ENGINE is sqlite or pg (JXC_PG, a server URL with trust auth). Sets DB
# (the database jxc serves), PW (the administrator's password) and pid, and
# stops the server when the calling script exits. Uses PORT and DIR.
perf_serve() {
  local bin=$1 engine=$2 name=$3 label=$4
  shift 4
  PW=choose-a-long-one-1
  mkdir -p "$DIR"
  if [ "$engine" = pg ]; then
    local pg=${JXC_PG:-postgres://postgres@127.0.0.1:5432}
    psql "$pg/postgres" -q -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" 2>/dev/null
    DB="$pg/$name?sslmode=disable"
  else
    rm -f "$DIR/$name".db*; DB=$DIR/$name.db
  fi
  "$bin" serve --demo --db "$DB" --addr 127.0.0.1:$PORT --log-level warn "$@" > "$DIR/serve-$label.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do curl -s 127.0.0.1:$PORT/readyz >/dev/null && break; sleep 0.5; done
  curl -s -X POST 127.0.0.1:$PORT/api/v1/setup -H 'Content-Type: application/json' \
       -d "{\"username\":\"boss\",\"password\":\"$PW\"}" >/dev/null
}
