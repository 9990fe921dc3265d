#!/usr/bin/env bash
# The whole `handoff export brief` process against headless Chromium printing an equivalent HTML
# brief to PDF (the way web CRMs make PDFs), timed in the same run, interleaved.
#
#   bench/export-vs-chromium.sh            # from the repository root; RUNS=20 for more rounds
#
# 1. Builds `handoff` in release and makes a fresh temporary database with a signed, handed-off
#    brief through the release CLI (every --at in the past).
# 2. Writes an equivalent, self-contained HTML brief from the database's own brief (`--json brief
#    show`, `deal show`, `verify brief`): same text, header band, facts table, the seven
#    sections, the sign-off block and a footer; DejaVu Sans from the system, no network.
# 3. Times RUNS rounds (default 10) of (a) `handoff export brief DEAL --out x.pdf --force` and
#    (b) `chromium --headless ... --print-to-pdf=y.pdf file.html` with a fresh profile each
#    time, one of each per round, after one untimed run of each. With hyperfine when it is
#    installed or apt-installable (`-N`, no shell in between), else a plain loop.
# 4. Prints the median and mean of each, the ratio, both file sizes (KB = 1,000 bytes) and the
#    targets (export >= 100x faster than Chromium, < 100 KB). Exits non-zero only on a real
#    failure (a build, a command or a check failing), never on a missed target.
#
# Installs what it needs with apt, only when missing (sudo when not root): chromium (Debian's
# package; nothing downloads a browser), jq, fonts-dejavu-core, poppler-utils, and hyperfine if
# it can. The three files compared are left in target/export-vs-chromium/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_build
ensure_apt chromium jq fonts-dejavu-core poppler-utils
have_hyperfine=1
command -v hyperfine >/dev/null 2>&1 || (ensure_apt hyperfine) || have_hyperfine=0
command -v hyperfine >/dev/null 2>&1 || have_hyperfine=0

RUNS="${RUNS:-10}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive whole number, not '$RUNS'"
chromium_bin="${CHROMIUM:-$(command -v chromium || true)}"
[ -x "$chromium_bin" ] || die "no chromium binary (apt-get install chromium)"

say "Building handoff (release)"
cargo build --release --quiet -p handoff-cli
handoff="$PWD/target/release/handoff"
keep="$PWD/target/export-vs-chromium"
mkdir -p "$keep"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HANDOFF_DB="$work/agency.db"
# Signing keys (and the laptop's sealing key) live in the data folder: a temporary one here.
export XDG_DATA_HOME="$work/data"
deal="Alpine retreat"
h() { "$handoff" "$@" >/dev/null; }
# Minutes ago, in the agency's zone (the CLI reads `YYYY-MM-DD HH:MM` in it and refuses the future).
at() { TZ=Europe/London date -d "-$1 minutes" '+%Y-%m-%d %H:%M'; }

say "A fresh database with a signed brief: $HANDOFF_DB"
h init --agency "Wayfarer Travel" --timezone Europe/London
h person add --name "Sam Reyes" --dept sales --email sam@wayfarer.example
h person add --name "Fay Okafor" --dept fulfilment
h person add --name "Bo Lind" --dept fulfilment
h person add --name "Maya Chen" --dept founder
h dept set sales --lead "Sam Reyes"
h dept set fulfilment --lead "Fay Okafor" --backups "Bo Lind"
h deal add --title "$deal" --customer "Acme GmbH" --value 60000 --currency EUR --owner "Sam Reyes" \
  --trip-start 2027-02-01 --trip-end 2027-02-05 --destination "Zermatt, Switzerland" --travellers 24 --at "$(at 90)"
h deal won "$deal" --at "$(at 80)"
h meeting start "$deal" --at "$(at 40)"

section() { h brief set "$deal" --section "$1" "--text=$2" --at "$(at "$3")"; }
section customer "Acme GmbH, Munich — the leadership team of 24 (CEO, management board and the country leads).
Main contact: Jo Bloggs, Head of People, jo.bloggs@acme.example, +49 89 5550 1234. Invoices to ap@acme.example; PO 4711-0932 must appear on every invoice." 38
section trip "Mon 1 Feb 2027 – Fri 5 Feb 2027, Zermatt (car-free village; the last leg is by train from Täsch). 24 travellers flying in from Munich, London and Vienna; two board members arrive a day late after Sunday's board meeting." 37
section sold "- 4 nights at the Hotel Alpenhof, 24 superior rooms, half board, city tax included
- Private transfers Zürich Airport → Täsch, shuttle Täsch ⇄ Zermatt, luggage service to the hotel
- Two guided ski days, two groups by level, with lift passes
- Fondue evening at the Findlerhof on Wed 3 Feb
Price 60,000.00 EUR; 30% deposit paid on signature, balance due 4 weeks before travel." 36
section promises "Rooms on one floor, with a quiet meeting room every morning from 08:00 to 11:00. Ski-hire fitting on the arrival afternoon so Tuesday starts on the slopes at 09:00 sharp. Jo expects one WhatsApp group for the whole team and a printed pocket itinerary in German and English." 35
section preferences "Two vegetarians and one coeliac (strict, no cross-contamination). One wheelchair user: step-free room and step-free routes, including the fondue evening. The CFO travels with her partner (separate invoice)." 34
section risks "The fondue evening depends on the weather and the Sunnegga funicular: confirm the in-village fallback by 20 Jan. The late arrivals may miss the last shuttle from Täsch at 23:10 — book a taxi backup. One traveller's passport expires in March 2027." 33
section first-steps "Confirm the rooming list with Jo by Friday; send the ski-size form; hold the fallback restaurant; send the draft pocket itinerary for translation." 32
# Each lead signs with their own key, its passphrase given in a file.
passphrase() { local f="$work/passphrase-of-${1// /-}"; printf '%s\n' "$1's own passphrase" > "$f"; echo "$f"; }
for who in "Sam Reyes" "Fay Okafor"; do h key create --as "$who" --passphrase-file "$(passphrase "$who")"; done
h brief sign "$deal" --as "Sam Reyes" --at "$(at 30)" --passphrase-file "$(passphrase "Sam Reyes")"
h brief sign "$deal" --as "Fay Okafor" --at "$(at 29)" --passphrase-file "$(passphrase "Fay Okafor")"
h meeting end "$deal" --at "$(at 25)"

ours="$keep/brief-handoff.pdf"
theirs="$keep/brief-chromium.pdf"
html="$keep/brief.html"
"$handoff" export brief "$deal" --out "$ours" --force
"$handoff" verify brief "$ours" >/dev/null || die "the exported brief does not verify"

say "The equivalent HTML brief: $html"
"$handoff" --json brief show "$deal" >"$work/brief.json"
"$handoff" --json deal show "$deal" >"$work/deal.json"
"$handoff" --json verify brief "$ours" >"$work/verify.json"
# Signing times as the PDF prints them: in the agency's zone.
local_time() { TZ=Europe/London date -d "$1" '+%Y-%m-%d %H:%M'; }
sales_at=$(local_time "$(jq -r '.signatures[] | select(.role == "sales") | .at' "$work/verify.json")")
fulfil_at=$(local_time "$(jq -r '.signatures[] | select(.role == "fulfilment") | .at' "$work/verify.json")")
generated=$(TZ=Europe/London date '+%Y-%m-%d %H:%M')
version=$("$handoff" --version | awk '{print $2}')
{
  cat <<'HEAD'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Brief</title><style>
@page { size: A4; margin: 0 }
* { box-sizing: border-box }
body { margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 10pt; color: #1d2a30; line-height: 1.3 }
.band { background: #1e4d5c; color: #fff; padding: 18pt 44pt; display: flex; justify-content: space-between; align-items: baseline }
.band b { font-size: 15pt } .band span { font-size: 9.5pt; color: #d6e6ec }
main { padding: 0 44pt } h1 { font-size: 19pt; margin: 16pt 0 10pt }
table.facts { width: 100%; background: #f1f4f5; border-left: 3pt solid #1e4d5c; border-collapse: collapse; font-size: 9pt }
table.facts td { padding: 2pt 8pt } table.facts td.k { color: #6b7b82; width: 16%; white-space: nowrap }
h2 { font-size: 10.5pt; color: #1e6f8c; margin: 10pt 0 2pt } .li { padding-left: 12pt; text-indent: -8pt }
.signoff { border-top: 2pt solid #1e4d5c; margin-top: 16pt; padding-top: 6pt }
.signoff .head { display: flex; justify-content: space-between; align-items: baseline }
.signoff .head b { font-size: 12pt } .sha { font-size: 14pt; font-weight: bold; letter-spacing: 1pt }
.signer { border-bottom: 1pt solid #dde3e6; padding: 4pt 0; font-size: 9pt } .role { color: #6b7b82 }
.state { float: right; background: #1b7f4b; color: #fff; font-weight: bold; font-size: 8pt; padding: 1pt 6pt }
.small { font-size: 6.5pt; color: #6b7b82 }
footer { position: fixed; bottom: 20pt; left: 44pt; right: 44pt; font-size: 7pt; color: #6b7b82;
         display: flex; justify-content: space-between; border-top: 1pt solid #dde3e6; padding-top: 4pt }
</style></head><body>
HEAD
  jq -r -n --slurpfile b "$work/brief.json" --slurpfile d "$work/deal.json" --slurpfile v "$work/verify.json" \
    --arg sales_at "$sales_at" --arg fulfil_at "$fulfil_at" --arg generated "$generated" --arg version "$version" '
    ($b[0]) as $b | ($d[0]) as $d | ($v[0]) as $v
    | def line: if startswith("- ") then "<div class=\"li\">• \(.[2:] | @html)</div>" else "<div>\(@html)</div>" end;
      def fact($k; $x): "<td class=\"k\">\($k)</td><td>\($x | @html)</td>";
      def dmy: strptime("%Y-%m-%d") | strftime("%-d %b %Y");
      def signer($role; $title; $at): ($v.signatures[] | select(.role == $role)) as $s
        | "<div class=\"signer\"><span class=\"state\">✓ VALID</span><b>\($s.signer.name | @html)</b> <span class=\"role\">\($title)</span><br>Signed \($at) Europe/London<br><span class=\"small\">Signed SHA-256 \($v.file_sha256) · Device key \($s.key_fingerprint)</span></div>";
      "<div class=\"band\"><b>Wayfarer Travel</b><span>Sales → Fulfilment handoff brief</span></div><main>",
      "<h1>\($d.title | @html)</h1><table class=\"facts\">",
      "<tr>\(fact("Customer"; $d.customer))\(fact("Value"; $d.value))</tr>",
      "<tr>\(fact("Destination"; $d.trip.destination))\(fact("Sales author"; $d.sales_owner.name))</tr>",
      "<tr>\(fact("Trip dates"; "\($d.trip.start | dmy) – \($d.trip.end | dmy)"))\(fact("Fulfilment owner"; $d.fulfilment_owner.name))</tr>",
      "<tr>\(fact("Travellers"; "\($d.trip.travellers) travellers"))<td></td><td></td></tr></table>",
      ($b.sections[] | "<h2>\(.title | @html)</h2>" + ([.text | split("\n")[] | select(length > 0) | line] | join(""))),
      "<section class=\"signoff\"><div class=\"head\"><b>Sign-off</b><span><span class=\"small\">Brief SHA-256</span> <span class=\"sha\">\($b.sha256[0:16] | ascii_upcase | [.[0:4], .[4:8], .[8:12], .[12:16]] | join(" "))</span></span></div>",
      signer("sales"; "Sales author"; $sales_at),
      signer("fulfilment"; "Fulfilment owner"; $fulfil_at),
      "<p class=\"small\">Full SHA-256 of this brief &nbsp; \($b.sha256)</p></section></main>",
      "<footer><span>Generated \($generated) Europe/London by Handoff \($version)</span><span>Page 1 of 1</span></footer></body></html>"'
} >"$html"

profile="$work/chromium-profile"
export_cmd=("$handoff" --db "$HANDOFF_DB" export brief "$deal" --out "$work/x.pdf" --force)
chromium_cmd=("$chromium_bin" --headless --no-sandbox --disable-gpu --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --no-pdf-header-footer
  "--user-data-dir=$profile" "--print-to-pdf=$work/y.pdf" "file://$html")

# One run of each, untimed (page cache, font cache), and a check that each makes its PDF.
run_export() { "${export_cmd[@]}" >/dev/null 2>&1; }
run_chromium() { rm -rf "$profile"; "${chromium_cmd[@]}" >/dev/null 2>&1; }
run_export || die "handoff export failed: ${export_cmd[*]}"
run_chromium || die "chromium failed: ${chromium_cmd[*]}"
[ -s "$work/x.pdf" ] && [ -s "$work/y.pdf" ] || die "a PDF is missing after the untimed runs"
cp "$work/y.pdf" "$theirs"
pages=$(pdfinfo "$theirs" | awk '/^Pages:/ {print $2}')
[ "$pages" = 1 ] || say "note: Chromium's PDF has $pages pages (the brief is one)"

times_export="$work/export.ms"
times_chromium="$work/chromium.ms"
: >"$times_export"
: >"$times_chromium"
if [ "$have_hyperfine" = 1 ]; then
  say "Timing $RUNS rounds, one run of each per round (hyperfine -N)"
  q() { printf '%q ' "$@"; }
  for ((i = 1; i <= RUNS; i++)); do
    # Each command starts from a settled disk (the round before's writes on it, and Chromium's
    # profile removed before its own run, not just before the export's).
    hyperfine -N --runs 1 --style none --export-json "$work/round.json" \
      --prepare "sync" --prepare "sh -c 'rm -rf $(q "$profile") && sync'" \
      "$(q "${export_cmd[@]}")" "$(q "${chromium_cmd[@]}")" >/dev/null 2>&1 ||
      die "round $i failed (hyperfine); run the two commands by hand to see why"
    jq -r '.results[0].times[] * 1000' "$work/round.json" >>"$times_export"
    jq -r '.results[1].times[] * 1000' "$work/round.json" >>"$times_chromium"
  done
  timer="hyperfine $(hyperfine --version | awk '{print $2}') -N, one run of each per round"
else
  say "Timing $RUNS rounds, one run of each per round (no hyperfine: a plain loop)"
  now_us() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/[.,]/}"; else echo $(($(date +%s%N) / 1000)); fi; }
  for ((i = 1; i <= RUNS; i++)); do
    s=$(now_us); run_export || die "handoff export failed in round $i"; e=$(now_us)
    awk -v a="$s" -v b="$e" 'BEGIN {print (b - a) / 1000}' >>"$times_export"
    rm -rf "$profile"
    s=$(now_us); "${chromium_cmd[@]}" >/dev/null 2>&1 || die "chromium failed in round $i"; e=$(now_us)
    awk -v a="$s" -v b="$e" 'BEGIN {print (b - a) / 1000}' >>"$times_chromium"
  done
  timer="plain loop (bash EPOCHREALTIME), one run of each per round"
fi
[ -s "$work/x.pdf" ] && [ -s "$work/y.pdf" ] || die "a PDF is missing after the timed runs"

# median and mean of a file of milliseconds, one a line
stats() { sort -g "$1" | awk '{v[NR] = $1; s += $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f %.2f %.2f\n", m, s / NR, v[1], v[NR]}'; }
read -r e_med e_mean e_min e_max < <(stats "$times_export")
read -r c_med c_mean c_min c_max < <(stats "$times_chromium")
e_kb=$(awk -v b="$(stat -c %s "$work/x.pdf")" 'BEGIN {printf "%.1f", b / 1000}')
c_kb=$(awk -v b="$(stat -c %s "$work/y.pdf")" 'BEGIN {printf "%.1f", b / 1000}')
ratio=$(awk -v c="$c_med" -v e="$e_med" 'BEGIN {printf "%.0f", c / e}')
ratio_mean=$(awk -v c="$c_mean" -v e="$e_mean" 'BEGIN {printf "%.0f", c / e}')
met_ratio=$(awk -v r="$ratio" 'BEGIN {print (r >= 100) ? "met" : "NOT met"}')
met_size=$(awk -v k="$e_kb" 'BEGIN {print (k < 100) ? "met" : "NOT met"}')

echo
echo "Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Versions: $("$handoff" --version 2>/dev/null || echo handoff), $("$chromium_bin" --version 2>/dev/null | head -n1)"
echo "Timer: $timer; $RUNS rounds"
printf 'FIGURE export brief (whole process): median %s ms, mean %s ms (min %s, max %s), %s KB (target < 100 KB: %s)\n' \
  "$e_med" "$e_mean" "$e_min" "$e_max" "$e_kb" "$met_size"
printf 'FIGURE chromium --print-to-pdf:      median %s ms, mean %s ms (min %s, max %s), %s KB\n' \
  "$c_med" "$c_mean" "$c_min" "$c_max" "$c_kb"
printf 'RATIO export vs chromium: %sx faster by medians (%sx by means) (target >= 100x: %s)\n' "$ratio" "$ratio_mean" "$met_ratio"
echo "Files compared: $ours, $theirs, $html"
