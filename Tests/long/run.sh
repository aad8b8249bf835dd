#!/usr/bin/env bash
# Renkei's reliability figures, long mode: runs each item's long test and prints one summary table.
#
#   Tests/long/run.sh          all twelve items, in order
#   Tests/long/run.sh 9 10     only these items
#
# Items 1-8 and 11 are Swift Testing suites run as `RENKEI_LONG=1 swift test --filter <suite>` (the table
# SUITES below maps item to suite). Items 9, 10 and 12 are run here:
#   9  libFuzzer (swiftc -sanitize=fuzzer,address) on the HTTP request parser, the gzip decoder, the push
#      decoder and the agent's reader of HTTP answers,
#      entry points and seed corpora in Tests/long/fuzz/; RENKEI_FUZZ_RUNS runs each (default 1,000,000).
#   10 schemathesis (PyPI, in a venv under .build/long) against Protocol/openapi.yaml and a running hub,
#      with a prefecture, a bureau and an admin token; RENKEI_API_EXAMPLES examples per operation (50).
#   11 is a suite; 12 is 200 agents syncing at once against one hub while slowhttptest (Debian) holds
#      about 500 slow connections (RENKEI_LOAD_HUB_OPTIONS adds `renkei-hub serve` options).
# Every step prints `FIGURE <n> | <promise> | <figure>`; the table at the end shows each item's figure, PASS
# or FAILED and wall time. An item passes when its step succeeds and printed its FIGURE line; a suite that
# does not exist is FAILED ("suite not found"). Exit status: 0 when every item run passed, 1 otherwise.
# Logs: .build/long/logs/. RENKEI_SEED is passed through to the suites.
set -euo pipefail

# item | swift test filter
SUITES=(
  "1|ReliabilityCrashTests"
  "2|DurabilityOrderTests"
  "3|ReliabilityCutTests"
  "4|ReliabilityDuplicateTests"
  "5|ReliabilityRestoreTests"
  "6|TombstoneCompactionEndToEndTests"
  "7|ReliabilityClockTests"
  "8|DiskFullTests"
  "11|AuthorizationMatrixTests"
)

cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=$ROOT/.build/long
LOGS=$WORK/logs
mkdir -p "$LOGS"
export RENKEI_LONG=1
FUZZ_RUNS=${RENKEI_FUZZ_RUNS:-1000000}

if [ $# -gt 0 ]; then ITEMS=("$@"); else ITEMS=(1 2 3 4 5 6 7 8 9 10 11 12); fi
for item in "${ITEMS[@]}"; do
  case $item in [1-9] | 1[0-2]) ;; *) echo "Error: no item $item; items are 1 to 12" >&2; exit 64 ;; esac
done

declare -A RESULT=() NOTE=() SECONDS_TAKEN=()
# One file per run, so two runs of different items may share the build directory.
FIGURES=$LOGS/figures-$$.txt
: >"$FIGURES"

say() { printf '\n== %s\n' "$*"; }
# Prints a FIGURE line and keeps it for the table.
figure() { echo "FIGURE $1 | $2 | $3" | tee -a "$FIGURES"; }
suite_for() {
  local row
  for row in "${SUITES[@]}"; do [ "${row%%|*}" = "$1" ] && echo "${row#*|}" && return; done
  return 0
}

# Processes this script starts in the background, stopped on any exit.
BACKGROUND=()
cleanup() {
  local pid
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BACKGROUND[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# --- Builds -----------------------------------------------------------------------------------------

TESTS_BUILT=
build_tests() {
  [ -n "$TESTS_BUILT" ] && return 0
  say "building the tests"
  swift build --build-tests 2>&1 | tail -n 3
  swift test list 2>/dev/null >"$WORK/test-list.txt" || true
  TESTS_BUILT=1
}

RELEASE_BUILT=
build_release() {
  [ -n "$RELEASE_BUILT" ] && return 0
  say "building renkei and renkei-hub (release)"
  swift build -c release --product renkei-hub 2>&1 | tail -n 1
  swift build -c release --product renkei 2>&1 | tail -n 1
  BIN=$(swift build -c release --show-bin-path)
  RELEASE_BUILT=1
}

# Starts `renkei-hub serve` on a free port with data in $1 (extra serve options follow); sets HUB_PID, HUB_URL.
start_hub() {
  local directory=$1 log=$2
  shift 2
  "$BIN/renkei-hub" --dir "$directory" serve --listen 127.0.0.1:0 "$@" >"$log.out" 2>"$log" &
  HUB_PID=$!
  BACKGROUND+=("$HUB_PID")
  local i
  for i in $(seq 1 100); do
    HUB_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log.out" 2>/dev/null | head -n 1 || true)
    [ -n "$HUB_URL" ] && return 0
    sleep 0.1
  done
  echo "the hub did not start; its log:" >&2
  cat "$log" >&2
  return 1
}

stop_hub() {
  kill -TERM "$HUB_PID" 2>/dev/null || true
  wait "$HUB_PID" 2>/dev/null || true
}

# --- Items 1-8 and 11: Swift Testing suites ---------------------------------------------------------

run_suite() {
  local item=$1 suite log
  suite=$(suite_for "$item")
  log=$LOGS/item-$item.log
  if [ -z "$suite" ]; then
    NOTE[$item]="no suite in the table"
    return 1
  fi
  build_tests
  if ! grep -q "\b$suite\b" "$WORK/test-list.txt"; then
    NOTE[$item]="suite not found: $suite"
    return 1
  fi
  say "item $item: RENKEI_LONG=1 swift test --filter $suite"
  local status=0
  swift test --skip-build --filter "$suite" 2>&1 | tee "$log" || status=$?
  grep -oE "FIGURE $item \|.*" "$log" >>"$FIGURES" || true
  [ "$status" -eq 0 ] || { NOTE[$item]="swift test exited $status (see $log)"; return 1; }
}

# --- Item 9: fuzzing --------------------------------------------------------------------------------

FUZZ_FLAGS=(-sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g)

# fuzz NAME MODULE SOURCE-DIR ENTRY: builds .build/long/fuzz/NAME and runs it FUZZ_RUNS times.
fuzz() {
  local name=$1 module=$2 sources=$3 entry=$4
  local binary=$WORK/fuzz/$name corpus=$WORK/fuzz/$name-corpus artifacts=$WORK/fuzz/$name-crashes/
  mkdir -p "$WORK/fuzz" "$corpus" "$artifacts"
  echo "building $name"
  # The gold linker warns about every ASan check symbol; the log keeps them, the console does not.
  # $sources may name several directories: a module's own and those of the modules it imports.
  # shellcheck disable=SC2086
  swiftc "${FUZZ_FLAGS[@]}" -module-name "$module" $(find $sources -name '*.swift' | sort) "Tests/long/fuzz/$entry" \
    -o "$binary" >"$LOGS/fuzz-$name-build.log" 2>&1 || { cat "$LOGS/fuzz-$name-build.log" >&2; return 1; }
  echo "running $name: $FUZZ_RUNS runs"
  local status=0
  # malloc_context_size=0: allocation stacks are not recorded, which triples the speed; a report still
  # gives the faulting stack and the input.
  ASAN_OPTIONS=malloc_context_size=0:detect_leaks=0 "$binary" -runs="$FUZZ_RUNS" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$corpus" "Tests/long/fuzz/corpus/$name" >"$LOGS/fuzz-$name.log" 2>&1 || status=$?
  tail -n 12 "$LOGS/fuzz-$name.log"
  local runs crashes reports
  runs=$(grep -oE 'Done [0-9]+ runs' "$LOGS/fuzz-$name.log" | grep -oE '[0-9]+' || echo 0)
  crashes=$(find "$artifacts" -type f | wc -l)
  reports=$(grep -c 'ERROR: AddressSanitizer\|ERROR: libFuzzer\|SUMMARY: ' "$LOGS/fuzz-$name.log" || true)
  FUZZ_SUMMARY+="$name $runs runs, $crashes crashes, $reports sanitizer reports; "
  [ "$status" -eq 0 ] && [ "$crashes" -eq 0 ] && [ "$reports" -eq 0 ] && [ "$runs" -ge "$FUZZ_RUNS" ]
}

run_item_9() {
  say "item 9: fuzzing the HTTP request parser, the gzip decoder, the push decoder and the agent's answer reader"
  FUZZ_SUMMARY=
  local ok=0
  fuzz http RenkeiHTTP "Sources/RenkeiHTTP Sources/RenkeiCompression" HTTPRequestParserFuzz.swift || ok=1
  fuzz gzip RenkeiCompression Sources/RenkeiCompression GzipFuzz.swift || ok=1
  fuzz push RenkeiCore Sources/RenkeiCore PushRequestFuzz.swift || ok=1
  fuzz answer RenkeiAgent Sources/RenkeiAgent/HTTPAnswerReader.swift HTTPAnswerFuzz.swift || ok=1
  figure 9 "HTTP fuzzing" "${FUZZ_SUMMARY%; } (libFuzzer + ASan)"
  [ "$ok" -eq 0 ] || { NOTE[9]="a fuzzer failed (see $LOGS/fuzz-*.log, crashes in $WORK/fuzz/*-crashes)"; return 1; }
}

# --- Item 10: schema-aware API fuzzing --------------------------------------------------------------

SCHEMATHESIS_VERSION=4.32.5
API_EXAMPLES=${RENKEI_API_EXAMPLES:-50}

run_item_10() {
  say "item 10: schemathesis against Protocol/openapi.yaml and a running hub"
  build_release
  local venv=$WORK/venv
  if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  local api=$WORK/api
  rm -rf "$api"
  mkdir -p "$api"
  start_hub "$api/hub" "$LOGS/api-hub.log" || { NOTE[10]="the hub did not start"; return 1; }
  "$BIN/renkei-hub" --dir "$api/hub" site add saitama --role prefecture --scope 11 >"$api/prefecture.token" 2>/dev/null
  "$BIN/renkei-hub" --dir "$api/hub" site add kanto --role bureau --scope kanto-shinetsu >"$api/bureau.token" 2>/dev/null
  "$BIN/renkei-hub" --dir "$api/hub" site add review --role admin --scope kanto-shinetsu >"$api/admin.token" 2>/dev/null

  # Records, a conflict and a pull feed, so the routes answer with data and not only with 404s.
  local agent=("$BIN/renkei") event
  "${agent[@]}" --dir "$api/saitama" init --site saitama --hub "$HUB_URL" --token-file "$api/prefecture.token" --scope 11 \
    --author 田中 >/dev/null
  "${agent[@]}" --dir "$api/kanto" init --site kanto --hub "$HUB_URL" --token-file "$api/bureau.token" --scope kanto-shinetsu \
    --author 佐藤 >/dev/null
  event=$("${agent[@]}" --dir "$api/saitama" event add --title 地域ケア会議 --kind council --starts-on 2023-07-12 --venue さいたま市)
  "${agent[@]}" --dir "$api/saitama" fund add --programme 地域支援事業交付金 --kind initial-decision --amount 1200000 \
    --on 2023-05-30 >/dev/null
  "${agent[@]}" --dir "$api/saitama" sync >/dev/null
  "${agent[@]}" --dir "$api/kanto" sync >/dev/null
  "${agent[@]}" --dir "$api/saitama" event edit "$event" --venue 大宮 >/dev/null
  "${agent[@]}" --dir "$api/kanto" event edit "$event" --venue 浦和 >/dev/null
  "${agent[@]}" --dir "$api/saitama" sync >/dev/null
  "${agent[@]}" --dir "$api/kanto" sync >/dev/null || true

  local role status=0 generated=0 server_errors=0 disagreements=0 output
  for role in prefecture bureau admin; do
    output=$LOGS/api-$role.txt
    echo "schemathesis with the $role token ($API_EXAMPLES examples per operation)"
    local run_status=0
    (cd "$api" && "$venv/bin/schemathesis" --config-file "$ROOT/Tests/long/schemathesis.toml" run "$ROOT/Protocol/openapi.yaml" \
      --url "$HUB_URL" -H "Authorization: Bearer $(cat "$api/$role.token")" --checks all --max-examples "$API_EXAMPLES" \
      --seed "${RENKEI_SEED:-1}" --workers 1 --no-color) >"$output" 2>&1 || run_status=$?
    sed -n '/=== SUMMARY ===/,$p' "$output" | grep -E "Failures|ST[0-9]+|generated|Warnings|⚠|===" || tail -n 15 "$output"
    [ "$run_status" -eq 0 ] || status=1
    generated=$((generated + $(grep -oE '[0-9]+ generated' "$output" | grep -oE '[0-9]+' || echo 0)))
    server_errors=$((server_errors + $(grep -E 'ST101 [A-Za-z ]+: [0-9]+' "$output" | grep -oE '[0-9]+$' | paste -sd+ | bc 2>/dev/null || echo 0)))
    disagreements=$((disagreements + $(grep -E '❌ ST[0-9]+ [A-Za-z -]+: [0-9]+' "$output" | grep -v ST101 | grep -oE '[0-9]+$' | paste -sd+ | bc 2>/dev/null || echo 0)))
  done
  stop_hub
  local operations
  operations=$(grep -oE 'Operations: +[0-9]+ selected' "$LOGS/api-admin.txt" | grep -oE '[0-9]+' || echo "?")
  local unsure=""
  if [ "$status" -ne 0 ] && [ "$server_errors" -eq 0 ] && [ "$disagreements" -eq 0 ]; then
    unsure="; schemathesis failed for another reason (see $LOGS/api-*.txt)"
  fi
  figure 10 "schema-aware API fuzzing" \
    "$generated test cases over $operations operations with prefecture, bureau and admin tokens, all checks (auth included): $server_errors server errors, $disagreements responses disagreeing with the spec$unsure"
  [ "$status" -eq 0 ] && [ "$server_errors" -eq 0 ] && [ "$disagreements" -eq 0 ] ||
    { NOTE[10]="see $LOGS/api-*.txt"; return 1; }
}
# --- Item 12: load and slow clients ----------------------------------------------------------------

LOAD_AGENTS=200
SLOW_HELD=500
SLOW_RATE=80
HEADER_TIMEOUT=10
# Kanto-Shinetsu's prefectures: the agents are spread over them.
PREFECTURES=(08 09 10 11 12 13 14 15 19 20)

# Opens one connection, sends a request head a byte a second, and prints how many seconds pass before
# the hub closes it.
slow_probe() {
  python3 - "$1" <<'PY'
import socket, sys, time, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])
connection = socket.create_connection((url.hostname, url.port))
started = time.monotonic()
head = b"GET /v1/health HTTP/1.1\r\nHost: hub\r\nX-Slow: " + b"a" * 600
connection.settimeout(1)
for byte in head:
    try:
        connection.send(bytes([byte]))
        connection.recv(4096)
        break  # the 408 answer or the close
    except socket.timeout:
        continue
    except OSError:
        break
    if time.monotonic() - started > 120:
        break
print(f"{time.monotonic() - started:.1f}")
PY
}

run_item_12() {
  say "item 12: $LOAD_AGENTS agents syncing at once while slowhttptest holds $SLOW_HELD slow connections"
  if ! command -v slowhttptest >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slowhttptest
  fi
  build_release
  local load=$WORK/load
  rm -rf "$load"
  mkdir -p "$load/agents"
  # RENKEI_LOAD_HUB_OPTIONS adds serve options, e.g. "--max-connections 256" to see a smaller cap starve agents.
  # shellcheck disable=SC2086
  start_hub "$load/hub" "$LOGS/load-hub.log" ${RENKEI_LOAD_HUB_OPTIONS:-} || { NOTE[12]="the hub did not start"; return 1; }
  echo "hub at $HUB_URL; registering $LOAD_AGENTS sites and making their replicas"
  local i name scope
  for i in $(seq 1 "$LOAD_AGENTS"); do
    name=$(printf 'load-%03d' "$i")
    scope=${PREFECTURES[$((i % ${#PREFECTURES[@]}))]}
    "$BIN/renkei-hub" --dir "$load/hub" site add "$name" --role prefecture --scope "$scope" >"$load/agents/$name.token" 2>/dev/null
    "$BIN/renkei" --dir "$load/agents/$name" init --site "$name" --hub "$HUB_URL" --token-file "$load/agents/$name.token" \
      --scope "$scope" --author "負荷試験" >/dev/null
    "$BIN/renkei" --dir "$load/agents/$name" event add --title "地域ケア会議 $i" --kind council --starts-on 2023-07-01 >/dev/null
    "$BIN/renkei" --dir "$load/agents/$name" event add --title "事例検討会 $i" --kind case-study --starts-on 2023-09-15 >/dev/null
  done

  echo "slowhttptest: $SLOW_RATE new slow connections a second, each held until the hub closes it"
  # -c is far more than the test needs, so new slow connections keep coming until slowhttptest is stopped.
  slowhttptest -H -c 30000 -r "$SLOW_RATE" -i 5 -s 8192 -t GET -u "$HUB_URL/v1/health" -x 24 -p 3 -l 600 -g \
    -o "$load/slow" >"$LOGS/load-slowhttptest.log" 2>&1 &
  local slow_pid=$!
  BACKGROUND+=("$slow_pid")
  # Wait until the slow connections reach their steady number (rate x header timeout), or the connection
  # cap stops them short of it.
  local held=0
  for i in $(seq 1 20); do
    sleep 1
    held=$(awk -F, 'NR > 1 { n = $4 } END { print n + 0 }' "$load/slow.csv" 2>/dev/null || echo 0)
    [ "$held" -ge $((SLOW_HELD * 9 / 10)) ] && break
  done
  echo "slow connections held: $held"

  slow_probe "$HUB_URL" >"$load/probe.txt" &
  local probe_pid=$!
  BACKGROUND+=("$probe_pid")
  echo "starting $LOAD_AGENTS syncs at once"
  for i in $(seq 1 "$LOAD_AGENTS"); do
    name=$(printf 'load-%03d' "$i")
    (
      start=$(date +%s%N)
      status=0
      "$BIN/renkei" --dir "$load/agents/$name" sync >"$load/agents/$name.sync.log" 2>&1 || status=$?
      echo "$name $status $((($(date +%s%N) - start) / 1000000))" >"$load/agents/$name.result"
    ) &
  done
  wait_for_syncs() {
    local n
    for n in $(seq 1 600); do
      [ "$(find "$load/agents" -name '*.result' | wc -l)" -ge "$LOAD_AGENTS" ] && return 0
      sleep 1
    done
    return 1
  }
  wait_for_syncs || true
  local held_during
  held_during=$(awk -F, 'NR > 1 && $4 > max { max = $4 } END { print max + 0 }' "$load/slow.csv" 2>/dev/null || echo 0)
  wait "$probe_pid" || true
  kill "$slow_pid" 2>/dev/null || true
  wait "$slow_pid" 2>/dev/null || true
  local peak_kib
  peak_kib=$(awk '/VmHWM/ { print $2 }' "/proc/$HUB_PID/status" 2>/dev/null || true)
  peak_kib=${peak_kib:-0}
  stop_hub

  cat "$load"/agents/*.result >"$load/results.txt" 2>/dev/null || true
  local completed ok p50 p99 worst closed_after
  completed=$(wc -l <"$load/results.txt")
  ok=$(awk '$2 == 0' "$load/results.txt" | wc -l)
  p50=$(awk '{ print $3 }' "$load/results.txt" | sort -n | awk '{ a[NR] = $1 } END { i = int(NR * 0.50 + 0.999); print a[i] + 0 }')
  p99=$(awk '{ print $3 }' "$load/results.txt" | sort -n | awk '{ a[NR] = $1 } END { i = int(NR * 0.99 + 0.999); print a[i] + 0 }')
  worst=$(awk '{ print $3 }' "$load/results.txt" | sort -n | tail -n 1)
  closed_after=$(cat "$load/probe.txt" 2>/dev/null || echo "?")
  local refused
  refused=$(grep -l "answered 503\|retrying" "$load"/agents/*.sync.log 2>/dev/null | wc -l)
  figure 12 "load and slow clients" \
    "$ok/$LOAD_AGENTS syncs ok at once beside $held_during slow connections (peak); sync p50 ${p50} ms, p99 ${p99} ms, max ${worst} ms; $refused agents had to retry; hub peak RSS $((peak_kib / 1024)) MiB; a slow head closed after ${closed_after} s (header timeout ${HEADER_TIMEOUT} s)"
  local failures=()
  [ "$completed" -eq "$LOAD_AGENTS" ] && [ "$ok" -eq "$LOAD_AGENTS" ] || failures+=("$((LOAD_AGENTS - ok)) syncs failed (logs in $load/agents)")
  [ "$held_during" -ge $((SLOW_HELD * 9 / 10)) ] || failures+=("slowhttptest held only $held_during connections")
  [ "$peak_kib" -lt $((1024 * 1024)) ] || failures+=("the hub's peak RSS passed 1 GiB")
  awk -v t="$closed_after" -v limit="$HEADER_TIMEOUT" 'BEGIN { exit !(t + 0 >= limit - 0.5 && t + 0 <= limit + 3) }' ||
    failures+=("the slow probe was closed after ${closed_after} s, not at the ${HEADER_TIMEOUT} s header timeout")
  if [ ${#failures[@]} -gt 0 ]; then
    NOTE[12]=$(IFS=';'; echo "${failures[*]}")
    return 1
  fi
}

# --- Run and summarise ------------------------------------------------------------------------------

for item in "${ITEMS[@]}"; do
  started=$(date +%s)
  status=0
  case $item in
    9) run_item_9 || status=$? ;;
    10) run_item_10 || status=$? ;;
    12) run_item_12 || status=$? ;;
    *) run_suite "$item" || status=$? ;;
  esac
  SECONDS_TAKEN[$item]=$(($(date +%s) - started))
  if [ "$status" -eq 0 ] && ! grep -q "^FIGURE $item |" "$FIGURES"; then
    status=1
    NOTE[$item]="printed no FIGURE $item line"
  fi
  if [ "$status" -eq 0 ]; then RESULT[$item]=PASS; else RESULT[$item]=FAILED; fi
done

say "summary"
failed=0
printf '%-4s | %-28s | %-7s | %8s | %s\n' item promise result "wall" figure
for item in "${ITEMS[@]}"; do
  line=$(grep "^FIGURE $item |" "$FIGURES" | tail -n 1 || true)
  promise=$(echo "$line" | cut -d'|' -f2 | sed 's/^ *//; s/ *$//')
  text=$(echo "$line" | cut -d'|' -f3- | sed 's/^ *//')
  [ -n "${NOTE[$item]:-}" ] && text="${text:+$text; }${NOTE[$item]}"
  [ "${RESULT[$item]}" = PASS ] || failed=1
  printf '%-4s | %-28s | %-7s | %7ss | %s\n' "$item" "${promise:--}" "${RESULT[$item]}" "${SECONDS_TAKEN[$item]}" "${text:--}"
done
exit "$failed"
