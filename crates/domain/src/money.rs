//! Money: an integer number of minor units (cents, pence, yen) and an ISO 4217 currency code.
//! Never a float. Parsing knows each currency's number of decimals (JPY has none, KWD three).

use std::fmt;

use iso_currency::Currency;
use serde::{Deserialize, Serialize};

/// An amount of money in minor units of `currency`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Minor units (e.g. cents).
    pub minor: i64,
    /// ISO 4217 code, upper case.
    pub currency: String,
}

/// Why an amount or a currency was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency \"{0}\": use an ISO 4217 code such as EUR, GBP or USD")]
    UnknownCurrency(String),
    #[error("amount \"{amount}\" is not understood: write it like 60000 or 60000.00 (digits, an optional point and at most {decimals} decimals for {currency})")]
    BadAmount { amount: String, currency: String, decimals: u16 },
    #[error("amount \"{0}\" is too large: an amount holds at most 9,007,199,254,740,991 minor units (cents)")]
    TooLarge(String),
}

/// The largest amount in minor units: 2^53 − 1, what every front end (JavaScript's numbers
/// included) holds exactly.
pub const MAX_MINOR: i64 = (1 << 53) - 1;

fn currency(code: &str) -> Result<Currency, MoneyError> {
    Currency::from_code(&code.trim().to_ascii_uppercase()).ok_or_else(|| MoneyError::UnknownCurrency(code.to_string()))
}

fn decimals(c: Currency) -> u16 {
    c.exponent().unwrap_or(0)
}

impl Money {
    /// Parses a decimal amount such as `60000`, `60000.5`, `60,000.00` in `currency_code`.
    pub fn parse(amount: &str, currency_code: &str) -> Result<Self, MoneyError> {
        let cur = currency(currency_code)?;
        let places = decimals(cur);
        let bad =
            || MoneyError::BadAmount { amount: amount.to_string(), currency: cur.code().to_string(), decimals: places };
        // A comma only ever groups thousands (60,000.50); a decimal comma (60000,50) is refused
        // rather than read as 6,000,050.
        let trimmed = amount.trim();
        let whole_text = trimmed.split('.').next().unwrap_or("");
        if trimmed.contains(',') {
            let groups: Vec<&str> = whole_text.trim_start_matches('-').split(',').collect();
            let grouped = !groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3)
                && !trimmed[whole_text.len()..].contains(',');
            if !grouped {
                return Err(bad());
            }
        }
        let cleaned: String = trimmed.chars().filter(|c| *c != ',' && *c != '_').collect();
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        if whole.is_empty() && frac.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || !frac.chars().all(|c| c.is_ascii_digit())
            || frac.len() > usize::from(places)
            || negative
        {
            return Err(bad());
        }
        let scale = 10_i64.pow(u32::from(places));
        let whole_value: i64 =
            if whole.is_empty() { 0 } else { whole.parse().map_err(|_| MoneyError::TooLarge(amount.to_string()))? };
        let frac_value: i64 = if frac.is_empty() {
            0
        } else {
            let padded = format!("{frac:0<width$}", width = usize::from(places));
            padded.parse().map_err(|_| bad())?
        };
        let minor = whole_value
            .checked_mul(scale)
            .and_then(|v| v.checked_add(frac_value))
            .filter(|minor| *minor <= MAX_MINOR)
            .ok_or_else(|| MoneyError::TooLarge(amount.to_string()))?;
        Ok(Money { minor, currency: cur.code().to_string() })
    }

    /// The amount as a plain decimal string, without grouping: `60000.00`.
    pub fn amount_string(&self) -> String {
        let places = currency(&self.currency).map(decimals).unwrap_or(2);
        if places == 0 {
            return self.minor.to_string();
        }
        let scale = 10_i64.pow(u32::from(places));
        format!("{}.{:0width$}", self.minor / scale, self.minor % scale, width = usize::from(places))
    }
}

impl Money {
    /// With thousands grouped by `group` and the decimals after `decimal`, then the currency:
    /// `60,000.00 EUR` in English, `60.000,00 EUR` in German.
    pub fn written(&self, group: char, decimal: char) -> String {
        let plain = self.amount_string();
        let (whole, frac) = plain.split_once('.').map_or((plain.as_str(), None), |(w, f)| (w, Some(f)));
        let (sign, digits) = whole.strip_prefix('-').map_or(("", whole), |d| ("-", d));
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        match frac {
            Some(frac) => format!("{sign}{grouped}{decimal}{frac} {}", self.currency),
            None => format!("{sign}{grouped} {}", self.currency),
        }
    }
}

/// With thousands grouped, as people read it in English: `60,000.00 EUR`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written(',', '.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_written_with_the_locale_s_marks() {
        let m = Money::parse("1234567.5", "EUR").unwrap();
        assert_eq!(m.to_string(), "1,234,567.50 EUR");
        assert_eq!(m.written('.', ','), "1.234.567,50 EUR");
        assert_eq!(Money::parse("9500", "JPY").unwrap().written('.', ','), "9.500 JPY");
    }

    #[test]
    fn parses_amounts_in_minor_units_by_currency() {
        assert_eq!(Money::parse("60000", "eur").unwrap(), Money { minor: 6_000_000, currency: "EUR".into() });
        assert_eq!(Money::parse("60,000.5", "USD").unwrap().minor, 6_000_050);
        assert_eq!(Money::parse("1200", "JPY").unwrap().minor, 1200);
        assert_eq!(Money::parse("1.125", "KWD").unwrap().minor, 1125);
        assert_eq!(Money::parse(".5", "GBP").unwrap().minor, 50);
    }

    #[test]
    fn refuses_bad_amounts_and_currencies() {
        assert_eq!(Money::parse("10", "EURO"), Err(MoneyError::UnknownCurrency("EURO".into())));
        for bad in
            ["", "abc", "1.234", "1e5", "-5", "12.3.4", "1200.5", "60000,50", "6,00", "1,2345", ",100", "1.000,50"]
        {
            let cur = if bad == "1200.5" { "JPY" } else { "EUR" };
            assert!(matches!(Money::parse(bad, cur), Err(MoneyError::BadAmount { .. })), "{bad}");
        }
        assert!(matches!(Money::parse("99999999999999999999", "EUR"), Err(MoneyError::TooLarge(_))));
        // 2^53 − 1 cents is the most; a cent more is refused (2^63 used to be accepted).
        assert_eq!(Money::parse("90071992547409.91", "EUR").unwrap().minor, MAX_MINOR);
        assert!(matches!(Money::parse("90071992547409.92", "EUR"), Err(MoneyError::TooLarge(_))));
        assert!(matches!(Money::parse("92233720368547758.07", "EUR"), Err(MoneyError::TooLarge(_))));
    }

    #[test]
    fn displays_with_the_currency_decimals() {
        assert_eq!(Money::parse("60000", "EUR").unwrap().to_string(), "60,000.00 EUR");
        assert_eq!(Money::parse("1200", "JPY").unwrap().to_string(), "1,200 JPY");
        assert_eq!(Money::parse("999", "GBP").unwrap().to_string(), "999.00 GBP");
        assert_eq!(Money::parse("1234567.5", "USD").unwrap().to_string(), "1,234,567.50 USD");
        assert_eq!(Money::parse("1234567.5", "USD").unwrap().amount_string(), "1234567.50");
    }
}
