"""Reads a calendar file with the `icalendar` package, as any calendar would, and prints what it
says as one JSON document: the method, the time zone's offsets checked against the IANA database
at every month of the years the file covers, and each event with its times converted to UTC
through the file's own VTIMEZONE (never through the zone's name)."""

import json
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import icalendar

cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
zones = {str(z["TZID"]): z.to_tz() for z in cal.walk("VTIMEZONE")}


def utc(value):
    dt = value.dt
    tzid = value.params.get("TZID")
    if tzid is None:
        return dt.astimezone(timezone.utc).isoformat()
    naive = dt.replace(tzinfo=None)
    return zones[str(tzid)].localize(naive).astimezone(timezone.utc).isoformat()


# The file's zone against the IANA database, from the years given on the command line: noon UTC on
# the 1st and the 15th of each month, read as local time through the file's zone.
mismatches = []
for tzid, tz in zones.items():
    iana = ZoneInfo(tzid)
    first = int(sys.argv[2]) if len(sys.argv) > 2 else 2026
    last = int(sys.argv[3]) if len(sys.argv) > 3 else first + 1
    for year in range(first, last + 1):
        for month in range(1, 13):
            for day in (1, 15):
                at = datetime(year, month, day, 12)
                theirs = at.replace(tzinfo=timezone.utc).astimezone(iana).utcoffset()
                ours = tz.localize(at + theirs).utcoffset()
                if ours != theirs:
                    mismatches.append(f"{tzid} {at.isoformat()}: file {ours}, IANA {theirs}")

def attendees(event):
    found = event.get("ATTENDEE")
    if found is None:
        return []
    return [str(a) for a in (found if isinstance(found, list) else [found])]


events = []
for e in cal.walk("VEVENT"):
    events.append(
        {
            "uid": str(e["UID"]),
            "sequence": int(e.get("SEQUENCE", 0)),
            "summary": str(e["SUMMARY"]),
            "description": str(e.get("DESCRIPTION", "")),
            "start": utc(e["DTSTART"]),
            "end": utc(e["DTEND"]),
            "tzid": str(e["DTSTART"].params.get("TZID", "")),
            "status": str(e.get("STATUS", "")),
            "rrule": e["RRULE"].to_ical().decode() if "RRULE" in e else None,
            "organizer": str(e["ORGANIZER"]) if "ORGANIZER" in e else None,
            "attendees": attendees(e),
        }
    )

print(json.dumps({"method": str(cal.get("METHOD", "")), "zones": sorted(zones), "mismatches": mismatches, "events": events}))
