#!/usr/bin/env bash
# Renkei in one command: a hub, two prefectures and the bureau of 関東信越厚生局 working
# offline, the nightly sync, the conflicts it finds, the administrator's decisions, and
# the same final state on every replica. Everything runs on this machine, in a temporary
# directory, and everything it starts is stopped when it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nDEMO FAILED: %s\n' "$*" >&2; exit 1; }
expect() { # expect "what it means" COMMAND… : runs it, shows its output, fails if it fails
  local what=$1; shift
  "$@" || fail "$what"
}

step "Checking prerequisites"
command -v swift >/dev/null || fail "Swift is not installed: see https://www.swift.org/install/linux/ (Swift 6.x)"
[ -f /usr/include/sqlite3.h ] || fail "SQLite's headers are missing: sudo apt-get install libsqlite3-dev"
command -v sqlite3 >/dev/null || echo "(optional) sqlite3 is not installed; the demo does not need it"

step "Building renkei and renkei-hub (swift build)"
swift build --product renkei >/dev/null
swift build --product renkei-hub >/dev/null
BIN=$(swift build --show-bin-path)
renkei() { "$BIN/renkei" "$@"; }
hub() { "$BIN/renkei-hub" --dir "$WORK/hub" "$@"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/renkei-demo.XXXXXX")
HUB_PID=""
cleanup() {
  [ -n "$HUB_PID" ] && kill "$HUB_PID" 2>/dev/null && wait "$HUB_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

step "Starting the hub (embedded SQLite in $WORK/hub, nothing to configure)"
# Started directly, not through the hub() function, so $! is the hub itself and not a subshell.
"$BIN/renkei-hub" --dir "$WORK/hub" serve --listen 127.0.0.1:0 >"$WORK/hub.out" 2>"$WORK/hub.log" &
HUB_PID=$!
for _ in $(seq 50); do grep -q listening "$WORK/hub.out" 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/.*listening on \(http:[^,]*\),.*/\1/p' "$WORK/hub.out")
[ -n "$URL" ] || fail "the hub did not start: $(cat "$WORK/hub.log")"
echo "hub at $URL"

step "Registering Saitama (11), Yamanashi (19), the bureau and an administrator; each token is shown once"
hub site add saitama --role prefecture --scope 11 >"$WORK/saitama.token"
hub site add yamanashi --role prefecture --scope 19 >"$WORK/yamanashi.token"
hub site add kanto --role bureau --scope kanto-shinetsu >"$WORK/kanto.token"
hub site add bureau-admin --role admin --scope kanto-shinetsu >"$WORK/admin.token"
hub site list

step "Setting up a replica on each laptop (Yamanashi's offline, with --scope)"
renkei --dir "$WORK/saitama" init --site saitama --hub "$URL" --token-file "$WORK/saitama.token" --author 埼玉県担当
renkei --dir "$WORK/yamanashi" init --site yamanashi --hub "$URL" --token-file "$WORK/yamanashi.token" --scope 19 --author 山梨県担当
renkei --dir "$WORK/kanto" init --site kanto --hub "$URL" --token-file "$WORK/kanto.token" --author 厚生局担当

step "The bureau loads the real schedule and past events of its region from Examples/data/events.csv"
IMPORTED=$(renkei --dir "$WORK/kanto" import events Examples/data/events.csv --only-mine)
echo "$IMPORTED"
[[ $IMPORTED == "imported 35 events"* ]] || fail "expected the 35 Kanto-Shinetsu rows"

step "First nightly sync: everyone receives what is theirs to see"
for site in kanto saitama yamanashi; do renkei --dir "$WORK/$site" sync; done

step "Offline work: new events, fund entries and hearing notes on each laptop"
SEMINAR=$(renkei --dir "$WORK/saitama" event add --title "認知症初期集中支援チーム研修" --kind training --starts-on 令和5年10月5日 --venue さいたま市)
renkei --dir "$WORK/yamanashi" event add --title "地域ケア会議" --kind council --starts-on R5.11 --venue 甲府市 >/dev/null
renkei --dir "$WORK/saitama" fund add --programme 地域医療介護総合確保基金 --kind initial-decision --amount 1.2億 --on 2023-05-10 >/dev/null
renkei --dir "$WORK/saitama" fund add --programme 地域医療介護総合確保基金 --kind execution --amount 3,500万 --on 2023-09-30 >/dev/null
renkei --dir "$WORK/yamanashi" fund add --programme 地域医療介護総合確保基金 --kind initial-decision --amount 4800万 --on 2023-05-12 >/dev/null
printf '概要\n認知症初期集中支援の体制整備\n課題\n専門職の確保\n' >"$WORK/note.txt"
NOTE=$(renkei --dir "$WORK/saitama" note add --topic 介護人材ヒアリング --held-on 2023-06-20 --attendee 埼玉県 --attendee 厚生局 --body-file "$WORK/note.txt")
renkei --dir "$WORK/saitama" sync >/dev/null
renkei --dir "$WORK/kanto" sync >/dev/null

step "Concurrent edits of the same records on Saitama's laptop and at the bureau, both offline"
renkei --dir "$WORK/saitama" event edit "$SEMINAR" --venue 浦和コミュニティセンター --participants 48 >/dev/null
renkei --dir "$WORK/kanto" event edit "$SEMINAR" --venue 大宮ソニックシティ >/dev/null
printf '概要\n認知症初期集中支援の体制整備\n課題\n専門職の確保（県の研修を拡充）\n' >"$WORK/note-saitama.txt"
printf '概要\n認知症初期集中支援の体制整備\n課題\n専門職の確保（厚生局が事例を紹介）\n' >"$WORK/note-kanto.txt"
renkei --dir "$WORK/saitama" note edit "$NOTE" --body-file "$WORK/note-saitama.txt" >/dev/null
renkei --dir "$WORK/kanto" note edit "$NOTE" --body-file "$WORK/note-kanto.txt" >/dev/null
# The same deposit entered by Saitama and by the bureau: both count until someone looks.
renkei --dir "$WORK/saitama" fund add --programme 地域医療介護総合確保基金 --kind deposit --amount 500万 --on 2023-07-03 >/dev/null
renkei --dir "$WORK/kanto" fund add --programme 地域医療介護総合確保基金 --kind deposit --amount 5,000,000 --on 2023-07-03 --scope 11 >/dev/null
renkei --dir "$WORK/saitama" status

step "The nightly sync: push, merge at the hub, pull"
for site in saitama kanto yamanashi saitama kanto; do renkei --dir "$WORK/$site" sync; done

step "What the rules merged by themselves: Saitama's participants with the bureau's venue, every new record"
renkei --dir "$WORK/kanto" event list --fy 2023
renkei --dir "$WORK/kanto" fund balance --fy 2023
renkei --dir "$WORK/kanto" event show "$SEMINAR" --json | grep -q '"participants" : 48' || fail "Saitama's participants did not merge"

step "What the rules could not settle waits, whole, for the administrator"
hub conflicts list
[ "$(hub conflicts list --json | grep -c '"record_id"')" = 3 ] || fail "expected three conflicts: an event's venue, a note's paragraph, a duplicate deposit"
renkei --dir "$WORK/saitama" conflicts
EVENT_CONFLICT=$(hub conflicts list --json --kind event | sed -n 's/.*"id" : \([0-9]*\),/\1/p' | head -1)
NOTE_CONFLICT=$(hub conflicts list --json --kind note | sed -n 's/.*"id" : \([0-9]*\),/\1/p' | head -1)
FUND_CONFLICT=$(hub conflicts list --json --kind fund-entry | sed -n 's/.*"id" : \([0-9]*\),/\1/p' | head -1)
hub conflicts show "$NOTE_CONFLICT"

hub conflicts show "$FUND_CONFLICT"

step "The administrator decides each a different way: one side, field by field, an edited record"
hub conflicts resolve "$EVENT_CONFLICT" --revision 1 --take kanto --reason "会場は厚生局が確保済み"
hub conflicts resolve "$NOTE_CONFLICT" --revision 1 --field body=saitama --reason "県の記録を正とする"
printf '{"memo": "通帳で二回の入金を確認（重複ではない）"}\n' >"$WORK/decision.json"
hub conflicts resolve "$FUND_CONFLICT" --revision 1 --edit "$WORK/decision.json" --reason "通帳で確認"
hub audit

step "One more sync, and every replica shows the decisions and who made them; the hub shows every site's edits"
for site in saitama kanto yamanashi; do renkei --dir "$WORK/$site" sync; done
renkei --dir "$WORK/saitama" log "$SEMINAR"
# The replica keeps only its own edits; the hub keeps everyone's, field by field.
renkei --dir "$WORK/saitama" log "$SEMINAR" --hub
renkei --dir "$WORK/saitama" log "$SEMINAR" --hub | grep -q "bureau-admin.*resolve (no field changed)" || fail "the hub's history lacks the decision"
renkei --dir "$WORK/saitama" conflicts
[ -z "$(hub conflicts list --json | grep record_id || true)" ] || fail "conflicts are still open"
for site in saitama kanto; do
  renkei --dir "$WORK/$site" event show "$SEMINAR" --json | grep -q '"venue" : "大宮ソニックシティ"' || fail "$site does not show the decision"
done
if renkei --dir "$WORK/yamanashi" event show "$SEMINAR" >/dev/null 2>&1; then fail "Yamanashi must never receive Saitama's records"; fi
renkei --dir "$WORK/yamanashi" event list

step "Done: every replica agrees with the hub; stopping the hub"
kill "$HUB_PID"; wait "$HUB_PID" 2>/dev/null || true; HUB_PID=""
echo "demo finished: all steps did what they said"
