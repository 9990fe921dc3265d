//! Dates and amounts as CRM exports write them: in the exporting person's locale. Where the
//! numbers alone cannot say which way round a date is (03/04/2026) or what a separator means
//! (1,500), the mapping states it or the file proves it (a 24/11/2026 elsewhere in the file, a
//! 2,300.50); otherwise the import is refused with the question to answer, never guessed.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, SubsecRound, Utc};
use handoff_domain::crm::{DateOrder, DecimalMark};

/// A date (and maybe a time) as an export writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// An instant with its own offset (RFC 3339, `2026-11-24T14:05:00Z`).
    Instant(DateTime<Utc>),
    /// A date in the agency's zone, with its time of day when the export gives one.
    Local { date: NaiveDate, time: Option<NaiveTime> },
}

/// The parts of a date before its order is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// Year first: no question.
    YearFirst { y: i32, m: u32, d: u32 },
    /// 24.11.2026: day first by the dotted convention, whatever the rest of the file.
    Dotted { a: u32, b: u32, y: i32 },
    /// 24/11/2026 or 11/24/2026: the order is the file's.
    Either { a: u32, b: u32, y: i32 },
}

fn year(text: &str) -> Option<i32> {
    let n: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(n),
        2 => Some(2000 + n),
        _ => None,
    }
}

fn number(text: &str, most: usize) -> Option<u32> {
    (!text.is_empty() && text.len() <= most && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
}

/// Splits a cell into its date and its time of day (`11/24/2026 2:05 PM`, `2026-11-24T14:05`,
/// Salesforce's newer `11/24/2026, 2:05 PM`).
fn split(text: &str) -> (&str, &str) {
    let t = text.trim();
    match t.find([' ', 'T', '\u{a0}', '\u{202f}']) {
        Some(i) => {
            let rest = &t[i..];
            let after = rest.char_indices().nth(1).map_or("", |(j, _)| &rest[j..]);
            (t[..i].trim_end_matches(','), after.trim())
        }
        None => (t.trim_end_matches(','), ""),
    }
}

fn shape(date: &str) -> Option<Shape> {
    let sep = date.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = date.split(sep).collect();
    let [p, q, r] = parts[..] else { return None };
    if p.len() == 4 {
        return Some(Shape::YearFirst { y: year(p)?, m: number(q, 2)?, d: number(r, 2)? });
    }
    let (a, b, y) = (number(p, 2)?, number(q, 2)?, year(r)?);
    Some(if sep == '.' { Shape::Dotted { a, b, y } } else { Shape::Either { a, b, y } })
}

fn time_of_day(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    // Locales put a no-break space (or a narrow one) before AM and PM.
    let upper = t.replace(['\u{a0}', '\u{202f}'], " ").to_uppercase();
    for format in ["%H:%M", "%H:%M:%S", "%H:%M:%S%.f", "%I:%M %p", "%I:%M:%S %p", "%I:%M%p"] {
        if let Ok(time) = NaiveTime::parse_from_str(&upper, format) {
            return Some(time);
        }
    }
    None
}

/// What a date cell says about the file's date order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Evidence {
    /// Nothing: year first, dotted, or a day no higher than 12 either way.
    None,
    DayFirst,
    MonthFirst,
    /// Could be either way round.
    Ambiguous,
}

fn evidence(text: &str) -> Evidence {
    if DateTime::parse_from_rfc3339(text.trim()).is_ok() {
        return Evidence::None;
    }
    match shape(split(text).0) {
        Some(Shape::Either { a, b, .. }) if a > 12 && b <= 12 => Evidence::DayFirst,
        Some(Shape::Either { a, b, .. }) if b > 12 && a <= 12 => Evidence::MonthFirst,
        Some(Shape::Either { a, b, .. }) if a != b && a <= 12 && b <= 12 => Evidence::Ambiguous,
        _ => Evidence::None,
    }
}

/// The date order to read a file's dates with: as stated, else as the file proves it. `cells`
/// are every date cell with its line. `None` when no date in the file needs an order.
pub fn date_order<'a>(
    cells: impl IntoIterator<Item = (u64, &'a str)>,
    stated: Option<DateOrder>,
) -> Result<Option<DateOrder>, String> {
    if stated.is_some() {
        return Ok(stated);
    }
    let (mut day_first, mut month_first, mut ambiguous) = (None, None, None);
    for (line, text) in cells {
        match evidence(text) {
            Evidence::DayFirst => day_first = day_first.or(Some((line, text))),
            Evidence::MonthFirst => month_first = month_first.or(Some((line, text))),
            Evidence::Ambiguous => ambiguous = ambiguous.or(Some((line, text))),
            Evidence::None => {}
        }
    }
    match (day_first, month_first, ambiguous) {
        (Some((l1, d)), Some((l2, m)), _) => Err(format!(
            "the dates disagree: line {l1} has {d} (day first) and line {l2} has {m} (month first); \
             one export writes its dates one way, so check the file"
        )),
        (Some(_), None, _) => Ok(Some(DateOrder::DayMonthYear)),
        (None, Some(_), _) => Ok(Some(DateOrder::MonthDayYear)),
        (None, None, Some((line, text))) => {
            let date = split(text).0;
            Err(format!(
                "the dates cannot be read for sure: line {line} has {date}, which could be day first or month \
                 first, and no date in the file settles it — say in the column mapping whether the dates are day \
                 first (24/11/2026) or month first (11/24/2026)"
            ))
        }
        (None, None, None) => Ok(None),
    }
}

/// Reads one date cell; `order` is what [`date_order`] decided for the file.
pub fn read_date(text: &str, order: Option<DateOrder>) -> Result<Written, String> {
    let t = text.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(t) {
        let utc = instant.with_timezone(&Utc).trunc_subsecs(6);
        if !(1970..=9999).contains(&utc.year()) {
            return Err(format!(
                "the time {t} is out of range: Handoff keeps times from 1970 to the year 9999; check the year"
            ));
        }
        return Ok(Written::Instant(utc));
    }
    let not_a_date = || {
        format!("\"{t}\" is not a date Handoff reads: write it as 2026-11-24, 24/11/2026, 11/24/2026 or 24.11.2026, with a time such as 14:05 if there is one")
    };
    let (date_text, time_text) = split(t);
    let shape = shape(date_text).ok_or_else(not_a_date)?;
    let (y, m, d) = match shape {
        Shape::YearFirst { y, m, d } => (y, m, d),
        Shape::Dotted { a, b, y } => (y, b, a),
        Shape::Either { a, b, y } => match order {
            Some(DateOrder::MonthDayYear) => (y, a, b),
            Some(DateOrder::DayMonthYear) => (y, b, a),
            // A file whose other dates are year first: a day-month date is read day first
            // only when it cannot be anything else.
            Some(DateOrder::YearMonthDay) | None if a == b || (a > 12) => (y, b, a),
            Some(DateOrder::YearMonthDay) | None if b > 12 => (y, a, b),
            _ => {
                return Err(format!(
                    "{t} could be day first or month first: say in the column mapping which the export writes"
                ))
            }
        },
    };
    let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| format!("\"{t}\" is not a day of the calendar"))?;
    if !(1970..=9999).contains(&y) {
        return Err(format!(
            "the date {t} is out of range: Handoff keeps times from 1970 to the year 9999; check the year"
        ));
    }
    let time = if time_text.is_empty() { None } else { Some(time_of_day(time_text).ok_or_else(not_a_date)?) };
    Ok(Written::Local { date, time })
}

/// An amount as an export writes it, read: the number in plain digits with a dot before its
/// decimals, and the currency code written beside it, if any (`JPY 10,000`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    pub number: String,
    pub code: Option<String>,
}

/// The marks that group thousands besides `.` and `,`: spaces (plain, no-break, narrow) and the
/// Swiss apostrophe.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’')
}

/// The number part of an amount cell and any three-letter code beside it; symbols dropped.
fn strip(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    let mut code = None;
    let mut rest = t.to_string();
    for word in t.split_whitespace() {
        if word.len() == 3 && word.chars().all(|c| c.is_ascii_uppercase()) {
            code = Some(word.to_string());
            rest = rest.replacen(word, "", 1);
        }
    }
    let number: String = rest
        .trim()
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '+') || is_group_space(*c))
        .collect();
    (number.trim().to_string(), code)
}

/// What an amount says about the decimal mark.
fn mark_evidence(number: &str) -> Option<Result<DecimalMark, ()>> {
    let dots = number.matches('.').count();
    let commas = number.matches(',').count();
    match (dots, commas) {
        (0, 0) => None,
        (_, _) if dots > 0 && commas > 0 => {
            let last = if number.rfind('.') > number.rfind(',') { DecimalMark::Dot } else { DecimalMark::Comma };
            Some(Ok(last))
        }
        (n, 0) if n > 1 => Some(Ok(DecimalMark::Comma)),
        (0, n) if n > 1 => Some(Ok(DecimalMark::Dot)),
        _ => {
            let sep = if dots == 1 { '.' } else { ',' };
            let after = number.rsplit(sep).next().unwrap_or("");
            let after_digits = after.chars().filter(char::is_ascii_digit).count();
            if after_digits == 3 {
                Some(Err(()))
            } else if sep == '.' {
                Some(Ok(DecimalMark::Dot))
            } else {
                Some(Ok(DecimalMark::Comma))
            }
        }
    }
}

/// The decimal mark to read a file's amounts with: as stated, else as the file proves it. Plain
/// numbers (`4200`) need none: the answer is then the dot.
pub fn decimal_mark<'a>(
    cells: impl IntoIterator<Item = (u64, &'a str)>,
    stated: Option<DecimalMark>,
) -> Result<DecimalMark, String> {
    if let Some(mark) = stated {
        return Ok(mark);
    }
    let (mut dot, mut comma, mut unsure) = (None, None, None);
    for (line, text) in cells {
        match mark_evidence(&strip(text).0) {
            Some(Ok(DecimalMark::Dot)) => dot = dot.or(Some((line, text))),
            Some(Ok(DecimalMark::Comma)) => comma = comma.or(Some((line, text))),
            Some(Err(())) => unsure = unsure.or(Some((line, text))),
            None => {}
        }
    }
    match (dot, comma, unsure) {
        (Some((l1, a)), Some((l2, b)), _) => Err(format!(
            "the amounts disagree: line {l1} has {a} (a decimal point) and line {l2} has {b} (a decimal comma); \
             one export writes its amounts one way, so check the file"
        )),
        (Some(_), None, _) | (None, None, None) => Ok(DecimalMark::Dot),
        (None, Some(_), _) => Ok(DecimalMark::Comma),
        (None, None, Some((line, text))) => Err(format!(
            "the amounts cannot be read for sure: line {line} has {}, which could be a thousand and more or a \
             number with decimals, and no amount in the file settles it — say in the column mapping whether the \
             export writes 1,500.00 or 1.500,00",
            text.trim()
        )),
    }
}

/// Reads one amount cell with the file's decimal mark. The grouping marks must group: threes
/// after the first one to three digits, before the decimals only — so an amount written with the
/// other decimal mark is refused, never read a hundred times too large.
pub fn read_amount(text: &str, mark: DecimalMark) -> Result<Amount, String> {
    // An accountant's negative: (1,200.00).
    let trimmed = text.trim();
    let negative = trimmed.starts_with('(') && trimmed.ends_with(')');
    let inner = if negative { &trimmed[1..trimmed.len() - 1] } else { trimmed };
    let (number, code) = strip(inner);
    if number.is_empty() {
        return Err(if text.trim().is_empty() {
            "the amount is empty".to_string()
        } else {
            format!("the amount \"{}\" is not a number", text.trim())
        });
    }
    let (decimal, group) = match mark {
        DecimalMark::Dot => ('.', ','),
        DecimalMark::Comma => (',', '.'),
    };
    if number.matches(decimal).count() > 1 {
        return Err(format!("the amount \"{}\" has more than one decimal mark", text.trim()));
    }
    let (whole, decimals) = match number.split_once(decimal) {
        Some((w, d)) => (w, Some(d)),
        None => (number.as_str(), None),
    };
    let digits = whole.trim_start_matches(['-', '+']);
    let groups: Vec<&str> = digits.split(|c: char| c == group || is_group_space(c)).collect();
    let grouped = groups.len() == 1
        || (!groups[0].is_empty() && groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    let decimals_plain = decimals.is_none_or(|d| d.chars().all(|c| c.is_ascii_digit()));
    if !grouped || !decimals_plain {
        let (shown, other) = match mark {
            DecimalMark::Dot => ("1,500.00", "1.500,00"),
            DecimalMark::Comma => ("1.500,00", "1,500.00"),
        };
        return Err(format!(
            "the amount \"{}\" is not written as {shown}: if the export writes amounts as {other}, say so in the column mapping",
            text.trim()
        ));
    }
    let mut plain: String = number
        .chars()
        .filter(|c| *c != group && !is_group_space(*c))
        .map(|c| if c == decimal { '.' } else { c })
        .collect();
    if negative {
        plain.insert(0, '-');
    }
    Ok(Amount { number: plain, code })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(y: i32, m: u32, d: u32, time: Option<(u32, u32)>) -> Written {
        Written::Local {
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            time: time.map(|(h, mi)| NaiveTime::from_hms_opt(h, mi, 0).unwrap()),
        }
    }

    #[test]
    fn each_crm_date_shape_reads() {
        assert_eq!(read_date("2026-11-24", None), Ok(local(2026, 11, 24, None)));
        assert_eq!(read_date("2026-11-24 14:05", None), Ok(local(2026, 11, 24, Some((14, 5)))));
        assert_eq!(read_date("2026-11-24 14:05:00", None), Ok(local(2026, 11, 24, Some((14, 5)))));
        assert_eq!(read_date("24.11.2026", None), Ok(local(2026, 11, 24, None)));
        assert_eq!(
            read_date("11/24/2026 2:05 PM", Some(DateOrder::MonthDayYear)),
            Ok(local(2026, 11, 24, Some((14, 5))))
        );
        assert_eq!(read_date("03/04/2026", Some(DateOrder::DayMonthYear)), Ok(local(2026, 4, 3, None)));
        assert_eq!(read_date("03/04/2026", Some(DateOrder::MonthDayYear)), Ok(local(2026, 3, 4, None)));
        assert_eq!(read_date("2026/11/24", None), Ok(local(2026, 11, 24, None)));
        // Salesforce's newer format, and a narrow no-break space before PM.
        assert_eq!(
            read_date("11/24/2026, 2:05 PM", Some(DateOrder::MonthDayYear)),
            Ok(local(2026, 11, 24, Some((14, 5))))
        );
        assert_eq!(
            read_date("11/24/2026 2:05\u{202f}PM", Some(DateOrder::MonthDayYear)),
            Ok(local(2026, 11, 24, Some((14, 5))))
        );
        let utc = DateTime::parse_from_rfc3339("2026-11-24T14:05:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(read_date("2026-11-24T14:05:00Z", None), Ok(Written::Instant(utc)));
    }

    #[test]
    fn a_date_that_is_no_date_says_how_to_write_one() {
        let err = read_date("next Tuesday", None).unwrap_err();
        assert!(err.contains("write it as 2026-11-24"), "{err}");
        let err = read_date("31/02/2026", Some(DateOrder::DayMonthYear)).unwrap_err();
        assert!(err.contains("not a day of the calendar"), "{err}");
        let err = read_date("03/04/2026", None).unwrap_err();
        assert!(err.contains("day first or month first"), "{err}");
        let err = read_date("11/24/1026", Some(DateOrder::MonthDayYear)).unwrap_err();
        assert!(err.contains("out of range"), "{err}");
    }

    #[test]
    fn the_file_settles_the_date_order_or_the_import_asks() {
        let cells = [(2, "03/04/2026"), (3, "24/11/2026")];
        assert_eq!(date_order(cells, None), Ok(Some(DateOrder::DayMonthYear)));
        let cells = [(2, "03/04/2026"), (3, "11/24/2026 09:00")];
        assert_eq!(date_order(cells, None), Ok(Some(DateOrder::MonthDayYear)));
        let err = date_order([(2, "03/04/2026"), (3, "05/06/2026")], None).unwrap_err();
        assert!(err.contains("line 2 has 03/04/2026") && err.contains("day first (24/11/2026)"), "{err}");
        let err = date_order([(2, "13/04/2026"), (7, "04/13/2026")], None).unwrap_err();
        assert!(err.contains("disagree") && err.contains("line 7"), "{err}");
        assert_eq!(date_order([(2, "03/04/2026")], Some(DateOrder::MonthDayYear)), Ok(Some(DateOrder::MonthDayYear)));
        assert_eq!(date_order([(2, "2026-04-03"), (3, "24.11.2026"), (4, "04/04/2026")], None), Ok(None));
    }

    #[test]
    fn amounts_read_in_the_exports_locale() {
        let plain = |n: &str| Amount { number: n.into(), code: None };
        assert_eq!(read_amount("12,400.50", DecimalMark::Dot), Ok(plain("12400.50")));
        assert_eq!(read_amount("12.400,50", DecimalMark::Comma), Ok(plain("12400.50")));
        assert_eq!(read_amount("$12,400.00", DecimalMark::Dot), Ok(plain("12400.00")));
        assert_eq!(read_amount("€ 4.200", DecimalMark::Comma), Ok(plain("4200")));
        assert_eq!(read_amount("1\u{202f}234,56", DecimalMark::Comma), Ok(plain("1234.56")));
        assert_eq!(read_amount("1'234.50", DecimalMark::Dot), Ok(plain("1234.50")));
        assert_eq!(
            read_amount("JPY 10,000", DecimalMark::Dot),
            Ok(Amount { number: "10000".into(), code: Some("JPY".into()) })
        );
        assert!(read_amount("", DecimalMark::Dot).unwrap_err().contains("empty"));
        assert!(read_amount("1.2.3", DecimalMark::Dot).unwrap_err().contains("more than one decimal mark"));
        assert_eq!(read_amount("(1,200.00)", DecimalMark::Dot), Ok(plain("-1200.00")));
        // The other decimal mark is refused, never read a hundred times too large.
        assert!(read_amount("60000,50", DecimalMark::Dot).unwrap_err().contains("not written as 1,500.00"));
        assert!(read_amount("1500.5", DecimalMark::Comma).unwrap_err().contains("not written as 1.500,00"));
        assert!(read_amount("1,50", DecimalMark::Dot).is_err());
        assert_eq!(read_amount("1,500", DecimalMark::Dot), Ok(plain("1500")));
    }

    #[test]
    fn the_file_settles_the_decimal_mark_or_the_import_asks() {
        assert_eq!(decimal_mark([(2, "1,500"), (3, "2,300.50")], None), Ok(DecimalMark::Dot));
        assert_eq!(decimal_mark([(2, "1.500"), (3, "2.300,50")], None), Ok(DecimalMark::Comma));
        assert_eq!(decimal_mark([(2, "1.500.000")], None), Ok(DecimalMark::Comma));
        assert_eq!(decimal_mark([(2, "4200"), (3, "10")], None), Ok(DecimalMark::Dot));
        let err = decimal_mark([(2, "1,500"), (3, "4200")], None).unwrap_err();
        assert!(err.contains("line 2 has 1,500") && err.contains("1.500,00"), "{err}");
        let err = decimal_mark([(2, "1,50"), (3, "2.25")], None).unwrap_err();
        assert!(err.contains("disagree"), "{err}");
        assert_eq!(decimal_mark([(2, "1,500")], Some(DecimalMark::Comma)), Ok(DecimalMark::Comma));
    }
}
