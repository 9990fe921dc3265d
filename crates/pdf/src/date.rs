//! The PDF creation date, taken from the view model's `generated_at` text — this crate never
//! reads the clock. A date is written only when its UTC offset is known from the text:
//! "2026-03-03 14:20 UTC", "…Z", "…+01:00", "…-0500". A named zone such as "Europe/London"
//! cannot be resolved without a zone database, so such a document carries no `CreationDate`
//! (the neutral choice); the time is printed on the page either way.

/// `generated_at` as a PDF date string ("D:20260303142000+01'00'"), or `None`.
pub(crate) fn pdf_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b' ' || b[10] == b'T') || b[13] != b':' {
        return None;
    }
    let (year, month, day, hour, minute) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?);
    let mut rest = &s[16..];
    let mut second = 0;
    if rest.starts_with(':') {
        second = num(17..19)?;
        rest = &s[19..];
    }
    let offset = parse_offset(rest.trim())?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        let sign = if offset < 0 { '-' } else { '+' };
        format!("{sign}{:02}'{:02}'", offset.abs() / 60, offset.abs() % 60)
    };
    Some(format!("D:{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}{zone}"))
}

/// Minutes east of UTC for "Z", "UTC", "GMT", "+01:00", "+0100", "-05"; `None` otherwise.
fn parse_offset(s: &str) -> Option<i32> {
    if matches!(s, "Z" | "UTC" | "GMT") {
        return Some(0);
    }
    let s = s.strip_prefix("UTC").or_else(|| s.strip_prefix("GMT")).unwrap_or(s);
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = match digits.len() {
        1 | 2 => (digits.parse().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::pdf_date;

    #[test]
    fn explicit_offsets_are_kept() {
        assert_eq!(pdf_date("2026-03-03 14:20 UTC").as_deref(), Some("D:20260303142000Z"));
        assert_eq!(pdf_date("2026-03-03T14:20Z").as_deref(), Some("D:20260303142000Z"));
        assert_eq!(pdf_date("2026-03-03 15:20 +01:00").as_deref(), Some("D:20260303152000+01'00'"));
        assert_eq!(pdf_date("2026-03-03 09:20:05 -0530").as_deref(), Some("D:20260303092005-05'30'"));
    }

    #[test]
    fn named_zones_and_junk_are_not_guessed() {
        assert_eq!(pdf_date("2026-03-03 14:20 Europe/London"), None);
        assert_eq!(pdf_date("2026-03-03 14:20"), None);
        assert_eq!(pdf_date("3 March 2026"), None);
        assert_eq!(pdf_date(""), None);
        assert_eq!(pdf_date("2026-13-03 14:20 UTC"), None);
        assert_eq!(pdf_date("2026-03-03 14:20 +123"), None);
    }
}
