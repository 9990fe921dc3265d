#!/usr/bin/env bash
# The whole `handoff export brief` and `handoff export service-pack` processes against headless
# Chromium printing an equivalent HTML brief and pack to PDF (the way web CRMs make PDFs), timed
# in the same run, interleaved.
#
#   bench/export-vs-chromium.sh            # from the repository root; RUNS=20 for more rounds
#
# 1. Builds `handoff` in release and makes a fresh temporary database through the release CLI
#    (every --at in the past): a signed, handed-off brief, then the trip's eight travellers with
#    their preferences, a five-day itinerary of four items a day, and the 72-hour service call
#    started with half the preferences acknowledged.
# 2. Writes an equivalent, self-contained HTML brief and pack from the database's own data
#    (`--json brief show`, `deal show`, `verify brief`, `traveller list`, `itinerary show`,
#    `service show`): the same text, header band, facts table, sections, tables, sign-off and
#    footer; DejaVu Sans from the system, no network.
# 3. For each of the two papers, times RUNS rounds (default 10) of (a) `handoff export … --out
#    x.pdf --force` and (b) `chromium --headless ... --print-to-pdf=y.pdf file.html` with a fresh
#    profile each time, one of each per round, after one untimed run of each. With hyperfine
#    when it is installed or apt-installable (`-N`, no shell in between), else a plain loop.
# 4. Prints the median and mean of each, the ratio, the file sizes (KB = 1,000 bytes) and the
#    targets (each export >= 100x faster than Chromium; the brief < 100 KB). Exits non-zero only
#    on a real failure (a build, a command or a check failing), never on a missed target.
#
# Installs what it needs with apt, only when missing (sudo when not root): chromium (Debian's
# package; nothing downloads a browser), jq, fonts-dejavu-core, poppler-utils, and hyperfine if
# it can. The files compared (each paper's two PDFs and its HTML) are left in
# target/export-vs-chromium/.
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
h person add --name "Sol Vega" --dept service
h dept set service --lead "Sol Vega"
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

# The trip's travellers, its itinerary and the service call, for the pack.
travellers=("Jo Bloggs|vegetarian||next to the meeting room|"
  "Ana Ruiz|coeliac (strict, no cross-contamination)|wheelchair; step-free room and routes|ground floor or lift|"
  "Lena Vogel|vegetarian|||travels with an EpiPen (nut allergy)"
  "Tom Becker||||arrives Tue 2 Feb on the late flight"
  "Mia Schulz|no pork||quiet room, away from the lift|"
  "Omar Haddad|halal|||"
  "Eva Klein||knee brace: no long walks on the first day||"
  "Paul Weber|lactose-free|||partner travels on a separate invoice")
for t in "${travellers[@]}"; do
  IFS='|' read -r name dietary mobility rooming other <<<"$t"
  h traveller add "$deal" --name "$name" --dietary "$dietary" --mobility "$mobility" --rooming "$rooming" --other "$other"
done
kinds=(flight transfer hotel activity)
for day in 1 2 3 4 5; do
  date=$(printf '2027-02-%02d' "$day")
  h itinerary add "$deal" --day "$date" --time 07:30 --kind "${kinds[0]}" --title "LX 1071 MUC→ZRH, group A (day $day)" \
    --supplier SWISS --contact "+41 848 700 700" --confirmation "K7QX$day"
  h itinerary add "$deal" --day "$date" --time 10:15 --kind "${kinds[1]}" --title "Coach Zürich Airport → Täsch, then the shuttle" \
    --supplier "Alpen Transfers" --contact "+41 27 966 11 00" --confirmation "AT-55$day"
  h itinerary add "$deal" --day "$date" --time 15:00 --kind "${kinds[2]}" --title "Hotel Alpenhof: 24 superior rooms, half board" \
    --supplier "Hotel Alpenhof" --contact "+41 27 966 55 55" --confirmation "HA-2027-0$day"
  h itinerary add "$deal" --day "$date" --time 19:30 --kind "${kinds[3]}" --title "Dinner at the Findlerhof, fondue for 24" \
    --supplier Findlerhof --contact "+41 27 967 25 88" --confirmation "FH-$day"
done
h service start "$deal"
"$handoff" --json service show "$deal" | jq -r '.checklist | to_entries[] | select(.key % 2 == 0) | .value | "\(.traveller_name)\t\(.topic)"' |
  while IFS=$'\t' read -r name topic; do h service ack "$deal" --traveller "$name" --topic "$topic"; done

pack_ours="$keep/pack-handoff.pdf"
pack_theirs="$keep/pack-chromium.pdf"
pack_html="$keep/pack.html"
"$handoff" export service-pack "$deal" --out "$pack_ours" --force

say "The equivalent HTML pack: $pack_html"
"$handoff" --json traveller list "$deal" >"$work/travellers.json"
"$handoff" --json itinerary show "$deal" >"$work/itinerary.json"
"$handoff" --json service show "$deal" >"$work/service.json"
"$handoff" --json brief show "$deal" >"$work/brief.json"
"$handoff" --json deal show "$deal" >"$work/deal.json"
{
  cat <<'HEAD'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Service pack</title><style>
@page { size: A4; margin: 36pt 44pt 40pt }
* { box-sizing: border-box }
body { margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #1d2a30; line-height: 1.3 }
.top { display: flex; justify-content: space-between; font-size: 8pt; color: #6b7b82; border-bottom: 1pt solid #dde3e6 }
.kicker { color: #1e6f8c; font-weight: bold; letter-spacing: 1pt; margin-top: 14pt } h1 { font-size: 19pt; margin: 4pt 0 10pt }
table { width: 100%; border-collapse: collapse } table.facts { background: #f1f4f5; border-left: 3pt solid #1e4d5c; font-size: 9pt }
table.facts td { padding: 2pt 8pt } td.k { color: #6b7b82; white-space: nowrap }
h2 { font-size: 12pt; color: #1e4d5c; margin: 16pt 0 2pt; border-bottom: 1.5pt solid #1e4d5c } .sub { color: #6b7b82; font-size: 8.5pt }
th { text-align: left; font-size: 8pt; color: #6b7b82; border-bottom: 1pt solid #dde3e6; padding: 3pt 4pt }
td { padding: 3pt 4pt; vertical-align: top; border-bottom: 0.5pt solid #eef1f2 }
tr.group td { background: #eef4f6; font-weight: bold } .open { color: #b3541e; font-weight: bold } .ok { color: #1b7f4b }
h3 { font-size: 10pt; color: #1e6f8c; margin: 8pt 0 2pt } .li { padding-left: 12pt; text-indent: -8pt }
footer { font-size: 7pt; color: #6b7b82; border-top: 1pt solid #dde3e6; margin-top: 18pt; padding-top: 4pt; display: flex; justify-content: space-between }
</style></head><body>
HEAD
  jq -r -n --slurpfile t "$work/travellers.json" --slurpfile i "$work/itinerary.json" --slurpfile s "$work/service.json" \
    --slurpfile b "$work/brief.json" --slurpfile d "$work/deal.json" --arg generated "$generated" --arg version "$version" '
    ($t[0]) as $t | ($i[0]) as $i | ($s[0]) as $s | ($b[0]) as $b | ($d[0]) as $d
    | def dmy: strptime("%Y-%m-%d") | strftime("%-d %b %Y");
      def fact($k; $x): "<td class=\"k\">\($k)</td><td>\($x | @html)</td>";
      def line: if startswith("- ") then "<div class=\"li\">• \(.[2:] | @html)</div>" else "<div>\(@html)</div>" end;
      def section($name): ($b.sections[] | select(.section == $name)) as $x
        | "<h3>\($x.title | @html)</h3>" + ([$x.text | split("\n")[] | select(length > 0) | line] | join(""));
      def ack($traveller; $topic): ($s.checklist[] | select(.traveller == $traveller and .topic == $topic)) as $c
        | if $c.state == "acknowledged" then "<span class=\"ok\">✓ Acknowledged \($c.acknowledged_at[0:16] | sub("T"; " "))</span>"
          else "<span class=\"open\">⚠ Not acknowledged</span>" end;
      "<div class=\"top\"><span>\($d.title | @html)</span><span>Wayfarer Travel · 72-hour service handoff pack</span></div>",
      "<div class=\"kicker\">72-HOUR SERVICE HANDOFF PACK</div><h1>\($d.title | @html)</h1><table class=\"facts\">",
      "<tr>\(fact("Customer"; $d.customer))\(fact("Service owner"; $s.owner.name))</tr>",
      "<tr>\(fact("Trip dates"; "\($d.trip.start | dmy) – \($d.trip.end | dmy)"))\(fact("Fulfilment owner"; $d.fulfilment_owner.name))</tr>",
      "<tr>\(fact("Destination"; $d.trip.destination))\(fact("Handoff due"; "\($s.due_at[0:16] | sub("T"; " ")) Europe/London"))</tr>",
      "<tr>\(fact("Travellers"; "\($d.trip.travellers) travellers"))\(fact("Handoff done"; "not yet"))</tr>",
      "<tr>\(fact("Brief SHA-256"; $b.sha256))<td></td><td></td></tr></table>",
      "<h2>Travellers and their preferences</h2><div class=\"sub\">\($t | length) travellers · \($s.checklist | length) preference items · \($s.open_items) not acknowledged as they read now</div>",
      "<table><tr><th>Topic</th><th>Preference</th><th>Acknowledgement</th></tr>",
      ($t[] | . as $p | "<tr class=\"group\"><td colspan=\"3\">\($p.name | @html) · \($p.preferences | length) items</td></tr>"
        + ([$p.preferences[] | "<tr><td>\(.title | @html)</td><td>\(.text | @html)</td><td>\(ack($p.id; .topic))</td></tr>"] | join(""))),
      "</table><h2>Itinerary, day by day</h2><table><tr><th>Time</th><th>Kind</th><th>What</th><th>Supplier</th><th>Contact</th><th>Confirmation</th></tr>",
      ($i.days[] | "<tr class=\"group\"><td colspan=\"6\">Day \(.number) — \(.day | strptime("%Y-%m-%d") | strftime("%a %-d %b %Y")) · \(.items | length) items</td></tr>"
        + ([.items[] | "<tr><td>\(.time[0:5])</td><td>\(.kind | ascii_upcase[0:1])\(.kind[1:])</td><td>\(.title | @html)</td><td>\(.supplier // "" | @html)</td><td>\(.contact // "" | @html)</td><td>\(.confirmation // "" | @html)</td></tr>"] | join(""))),
      "</table><h2>What we sold and promised</h2>", section("sold"), section("promises"),
      "<h2>Risks and open questions</h2>", section("risks"),
      "<h2>Asks logged so far</h2><div>No asks logged yet.</div>",
      "<footer><span>Generated \($generated) Europe/London by Handoff \($version) · brief SHA-256 \($b.sha256[0:16] | ascii_upcase)</span><span></span></footer></body></html>"'
} >"$pack_html"

profile="$work/chromium-profile"

# median and mean of a file of milliseconds, one a line
stats() { sort -g "$1" | awk '{v[NR] = $1; s += $1} END {m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f %.2f %.2f %.2f\n", m, s / NR, v[1], v[NR]}'; }
kb_of() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1000}'; }

# compare LABEL HTML THEIRS EXPORT-VERB...: times the export against Chromium printing HTML,
# RUNS rounds, and prints the figures (the export's size against < 100 KB only for the brief).
compare() {
  local label=$1 page=$2 keep_theirs=$3
  shift 3
  local export_cmd=("$handoff" --db "$HANDOFF_DB" export "$@" --out "$work/x.pdf" --force)
  local chromium_cmd=("$chromium_bin" --headless --no-sandbox --disable-gpu --disable-background-networking
    --disable-component-update --disable-sync --no-first-run --no-pdf-header-footer
    "--user-data-dir=$profile" "--print-to-pdf=$work/y.pdf" "file://$page")
  rm -f "$work/x.pdf" "$work/y.pdf"
  # One run of each, untimed (page cache, font cache), and a check that each makes its PDF.
  "${export_cmd[@]}" >/dev/null 2>&1 || die "handoff export failed: ${export_cmd[*]}"
  rm -rf "$profile"
  "${chromium_cmd[@]}" >/dev/null 2>&1 || die "chromium failed: ${chromium_cmd[*]}"
  [ -s "$work/x.pdf" ] && [ -s "$work/y.pdf" ] || die "a PDF is missing after the untimed runs ($label)"
  cp "$work/y.pdf" "$keep_theirs"

  local times_export="$work/export.ms" times_chromium="$work/chromium.ms"
  : >"$times_export"
  : >"$times_chromium"
  if [ "$have_hyperfine" = 1 ]; then
    say "$label: timing $RUNS rounds, one run of each per round (hyperfine -N)"
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
    say "$label: timing $RUNS rounds, one run of each per round (no hyperfine: a plain loop)"
    now_us() { if [ -n "${EPOCHREALTIME:-}" ]; then echo "${EPOCHREALTIME/[.,]/}"; else echo $(($(date +%s%N) / 1000)); fi; }
    for ((i = 1; i <= RUNS; i++)); do
      s=$(now_us); "${export_cmd[@]}" >/dev/null 2>&1 || die "handoff export failed in round $i"; e=$(now_us)
      awk -v a="$s" -v b="$e" 'BEGIN {print (b - a) / 1000}' >>"$times_export"
      rm -rf "$profile"
      s=$(now_us); "${chromium_cmd[@]}" >/dev/null 2>&1 || die "chromium failed in round $i"; e=$(now_us)
      awk -v a="$s" -v b="$e" 'BEGIN {print (b - a) / 1000}' >>"$times_chromium"
    done
    timer="plain loop (bash EPOCHREALTIME), one run of each per round"
  fi
  [ -s "$work/x.pdf" ] && [ -s "$work/y.pdf" ] || die "a PDF is missing after the timed runs ($label)"

  local e_med e_mean e_min e_max c_med c_mean c_min c_max
  read -r e_med e_mean e_min e_max < <(stats "$times_export")
  read -r c_med c_mean c_min c_max < <(stats "$times_chromium")
  local e_kb c_kb e_pages c_pages ratio ratio_mean met_ratio size
  e_kb=$(kb_of "$work/x.pdf")
  c_kb=$(kb_of "$work/y.pdf")
  e_pages=$(pdfinfo "$work/x.pdf" | awk '/^Pages:/ {print $2}')
  c_pages=$(pdfinfo "$work/y.pdf" | awk '/^Pages:/ {print $2}')
  ratio=$(awk -v c="$c_med" -v e="$e_med" 'BEGIN {printf "%.0f", c / e}')
  ratio_mean=$(awk -v c="$c_mean" -v e="$e_mean" 'BEGIN {printf "%.0f", c / e}')
  met_ratio=$(awk -v r="$ratio" 'BEGIN {print (r >= 100) ? "met" : "NOT met"}')
  size="$e_kb KB, $e_pages pages"
  if [ "$label" = brief ]; then
    size="$size (target < 100 KB: $(awk -v k="$e_kb" 'BEGIN {print (k < 100) ? "met" : "NOT met"}'))"
  fi
  results+=("$(printf 'FIGURE export %s (whole process): median %s ms, mean %s ms (min %s, max %s), %s' \
    "$label" "$e_med" "$e_mean" "$e_min" "$e_max" "$size")")
  results+=("$(printf 'FIGURE chromium --print-to-pdf (%s):   median %s ms, mean %s ms (min %s, max %s), %s KB, %s pages' \
    "$label" "$c_med" "$c_mean" "$c_min" "$c_max" "$c_kb" "$c_pages")")
  results+=("$(printf 'RATIO export %s vs chromium: %sx faster by medians (%sx by means) (target >= 100x: %s)' \
    "$label" "$ratio" "$ratio_mean" "$met_ratio")")
}

results=()
compare brief "$html" "$theirs" brief "$deal"
compare service-pack "$pack_html" "$pack_theirs" service-pack "$deal"

echo
echo "Machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Versions: $("$handoff" --version 2>/dev/null || echo handoff), $("$chromium_bin" --version 2>/dev/null | head -n1)"
echo "Timer: $timer; $RUNS rounds each"
printf '%s\n' "${results[@]}"
echo "Files compared: $ours, $theirs, $html; $pack_ours, $pack_theirs, $pack_html"
