#!/usr/bin/env bash
# Handoff's main job for now: a scripted Sales→Fulfilment handoff through the `handoff` command
# line against a local SQLite database, start to finish. Run from anywhere in the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_build

say "Building handoff"
cargo build --quiet -p handoff-cli
handoff="$PWD/target/debug/handoff"

export HANDOFF_DB="${HANDOFF_DEMO_DB:-$PWD/target/demo/wayfarer.db}"
mkdir -p "$(dirname "$HANDOFF_DB")"
rm -f "$HANDOFF_DB" "$HANDOFF_DB-wal" "$HANDOFF_DB-shm"

step() { printf '\n\033[1;36m$ handoff %s\033[0m\n' "$*"; "$handoff" "$@"; }
yesterday=$(date -d yesterday +%F)
tomorrow=$(date -d tomorrow +%F)
# Times earlier today, so every step really happened in the past (the CLI refuses future --at).
at() { date -d "-$1 minutes" '+%Y-%m-%d %H:%M'; }

say "A demo agency in $HANDOFF_DB"
step init --agency "Wayfarer Travel" --timezone Europe/London
step holiday add 2026-12-25 --name "Christmas Day"
step person add --name "Sam Reyes" --dept sales --email sam@wayfarer.example
step person add --name "Fay Okafor" --dept fulfilment
step person add --name "Bo Lind" --dept fulfilment
step person add --name "Cy Adams" --dept fulfilment
step person add --name "Maya Chen" --dept founder
step whoami set "Maya Chen"
step dept set sales --lead "Sam Reyes"
step dept set fulfilment --lead "Fay Okafor" --backups "Bo Lind,Cy Adams"

say "Fay, the fulfilment lead, is away today: the won deal goes to her first backup, never to a queue"
step person away "Fay Okafor" --from "$yesterday" --to "$tomorrow"
step person list
step deal add --title "Alpine retreat" --customer "Acme GmbH" --value 60000 --currency EUR --owner "Sam Reyes" \
  --trip-start 2027-02-01 --trip-end 2027-02-05 --destination Zermatt --travellers 24 --at "$(at 60)"
step deal won "Alpine retreat" --at "$(at 50)"

say "Each lead signs with their own key, made on the laptop they sign on (here: passphrase files)"
# The demo keeps its keys beside its database, not in your own keys folder.
export XDG_DATA_HOME="$(dirname "$HANDOFF_DB")/data"
rm -rf "$XDG_DATA_HOME"
passphrase() { local f; f="$(dirname "$HANDOFF_DB")/passphrase-of-${1// /-}"; printf '%s\n' "$1's own passphrase" > "$f"; echo "$f"; }
for who in "Sam Reyes" "Bo Lind" "Fay Okafor"; do step key create --as "$who" --passphrase-file "$(passphrase "$who")"; done
step key list
sign() { step brief sign "$1" --as "$2" --at "$3" --passphrase-file "$(passphrase "$2")"; }

say "The 15-minute live handoff meeting, the same day"
step meeting start "Alpine retreat" --at "$(at 20)"
step brief set "Alpine retreat" --section customer --text "Acme GmbH, corporate retreat. Contact: Jo Bloggs (jo@acme.example, +44 20 7946 0000)" --at "$(at 19)"
step brief set "Alpine retreat" --section trip --text "Zermatt, 1–5 Feb 2027, 24 travellers from London" --at "$(at 18)"
step brief set "Alpine retreat" --section sold --text "4 nights half board, private transfers, 2 guided ski days; €60,000" --at "$(at 17)"
step brief set "Alpine retreat" --section promises --text "Rooms on one floor; a quiet meeting room every morning" --at "$(at 16)"
step brief set "Alpine retreat" --section preferences --text "2 vegetarians, 1 coeliac; one wheelchair user (step-free rooms)" --at "$(at 15)"
step brief set "Alpine retreat" --section first-steps --text "Confirm dates with Jo; hold rooms at the Alpenhof" --at "$(at 14)"

say "Six sections of seven is not a brief: nobody signs until each says something"
sign "Alpine retreat" "Sam Reyes" "$(at 14)" || true
step brief set "Alpine retreat" --section risks --text "None known yet" --at "$(at 14)"
sign "Alpine retreat" "Sam Reyes" "$(at 13)"
sign "Alpine retreat" "Bo Lind" "$(at 12)"

say "An edit after sign-off makes both signatures stale; ending the meeting is refused"
step brief set "Alpine retreat" --section risks --text "One traveller's passport expires in March 2027" --at "$(at 11)"
step meeting end "Alpine retreat" --at "$(at 10)" || true
sign "Alpine retreat" "Sam Reyes" "$(at 9)"
sign "Alpine retreat" "Bo Lind" "$(at 8)"
step meeting end "Alpine retreat" --at "$(at 7)"

say "The first itinerary task, due within 24 hours"
step task list --open

say "The signed brief for the trip file, sealed with this laptop's PDF signature, and its check"
demo_dir="$(dirname "$HANDOFF_DB")"
step export brief "Alpine retreat" --out "$demo_dir/alpine-brief.pdf" --force
step verify brief "$demo_dir/alpine-brief.pdf"
command -v pdfsig >/dev/null && pdfsig "$demo_dir/alpine-brief.pdf" || true

say "History from the CRM, and the one number: dwell time from close to handoff"
csv="$(dirname "$HANDOFF_DB")/crm-export.csv"
cat > "$csv" <<CSV
external_id,title,customer,value,currency,owner,closed_at,handoff_at
CRM-101,Corporate retreat,Initech,60000,EUR,Sam Reyes,2026-03-02 09:00,2026-03-11 09:00
CRM-102,Lisbon long weekend,Jo Bloggs,2400,EUR,Sam Reyes,2026-03-03 12:00,2026-03-04 08:00
CRM-103,Safari honeymoon,The Okonkwos,18000,GBP,Sam Reyes,2026-03-04 16:00,2026-03-05 08:00
CRM-201,Team offsite,Globex,40000,EUR,Sam Reyes,2026-03-23 09:00,2026-03-23 13:00
CRM-202,Weekend in Bath,R. Patel,800,GBP,Sam Reyes,2026-03-24 10:00,2026-03-24 12:00
CRM-301,Iceland lights,Smith party,7000,EUR,Sam Reyes,$(at 900),
CSV
step import deals "$csv"
step import deals "$csv"
step metrics dwell
step deal show "Alpine retreat"

# A trip that has been and gone, backfilled around last Tuesday's review (R).
R=$(date -d "last tuesday" +%F)
d() { date -d "$R $1 days" +%F; }
say "Fulfilment → Service: a Lisbon weekend that closed three weeks ago, handed to Service 72 hours ahead"
step person add --name "Sol Reed" --dept service
step person add --name "Ivy Park" --dept service
step dept set service --lead "Sol Reed" --backups "Ivy Park"
step deal add --title "Lisbon weekend" --customer "The Patels" --value 4200 --currency GBP --owner "Sam Reyes" \
  --trip-start "$(d -8) 07:30" --trip-end "$(d -3)" --destination Lisbon --travellers 3 --at "$(d -21) 09:00"
step deal won "Lisbon weekend" --at "$(d -20) 10:00"
step meeting start "Lisbon weekend" --at "$(d -20) 14:00"
step brief set "Lisbon weekend" --section customer --text "Ravi and Meera Patel with Asha (7); ravi.patel@example.com" --at "$(d -20) 14:01"
step brief set "Lisbon weekend" --section trip --text "Lisbon, a long weekend, 3 travellers from London" --at "$(d -20) 14:01"
step brief set "Lisbon weekend" --section sold --text "TAP flights, 3 nights at Memmo Alfama; £4,200" --at "$(d -20) 14:01"
step brief set "Lisbon weekend" --section promises --text "A family room looking over the river" --at "$(d -20) 14:02"
step brief set "Lisbon weekend" --section preferences --text "Ravi: no pork. Asha (7): nut allergy." --at "$(d -20) 14:02"
step brief set "Lisbon weekend" --section risks --text "None known" --at "$(d -20) 14:02"
step brief set "Lisbon weekend" --section first-steps --text "Confirm dates; tell the hotel about the nut allergy" --at "$(d -20) 14:03"
sign "Lisbon weekend" "Sam Reyes" "$(d -20) 14:10"
sign "Lisbon weekend" "Fay Okafor" "$(d -20) 14:11"
step meeting end "Lisbon weekend" --at "$(d -20) 14:14"
step task done "Lisbon weekend" --at "$(d -19) 11:00"
step traveller add "Lisbon weekend" --name "Ravi Patel" --dietary "no pork" --at "$(d -18) 10:00"
step traveller add "Lisbon weekend" --name "Asha Patel" --medical "nut allergy; carries an EpiPen" --rooming "with her parents" --at "$(d -18) 10:01"
step traveller add "Lisbon weekend" --name "Meera Patel" --at "$(d -18) 10:02"
step itinerary add "Lisbon weekend" --day "$(d -8)" --time 07:30 --kind flight --title "TP 1351 LHR→LIS" --supplier "TAP" --confirmation "Q7PL2X" --at "$(d -18) 11:00"
step itinerary add "Lisbon weekend" --day "$(d -8)" --time 14:00 --kind hotel --title "Memmo Alfama" --contact "+351 210 495 660" --at "$(d -18) 11:01"
step service start "Lisbon weekend" --at "$(d -12) 10:00"
step service ack "Lisbon weekend" --traveller Ravi --topic dietary --at "$(d -12) 10:03"
step service ack "Lisbon weekend" --traveller Asha --topic medical --at "$(d -12) 10:05"
step service complete "Lisbon weekend" --at "$(d -12) 10:07" || true
step service ack "Lisbon weekend" --traveller Asha --topic rooming --at "$(d -12) 10:08"
step service complete "Lisbon weekend" --at "$(d -12) 10:12"

step export service-pack "Lisbon weekend" --out "$demo_dir/lisbon-service-pack.pdf" --force

say "On the trip, and back: an ask the brief should have covered, then the signal"
step ask log "Lisbon weekend" --topic dietary --traveller Asha --text "Is the pastel de nata made with nuts?" --covered --at "$(d -6) 12:00"
step trip signal "Lisbon weekend" --sentiment thrilled --strength 5 --note "Want Porto at Easter" --at "$(d -2) 10:00"

say "Service → Sales: the Tuesday review of $R, a pick, the follow-up call"
step review show --date "$R"
step review pick "Lisbon weekend" --date "$R" --at "$R 10:30"
step followup done "Lisbon weekend" --outcome renewed
step outreach cold --attempts 40 --renewals 3
step metrics service
step metrics loop
step today
step admin check

say "Done. The PDFs are in $demo_dir. Explore further with: HANDOFF_DB=$HANDOFF_DB target/debug/handoff --help"
