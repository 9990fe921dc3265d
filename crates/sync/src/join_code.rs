//! The join code a founder hands each person: the hub's address and their enrolment token in one
//! line to paste into the app or the command line — `handoff://join?hub=ADDRESS&token=TOKEN`.

use url::Url;

/// The start every join code has.
pub const SCHEME: &str = "handoff://join";

/// A hub's address and one person's token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinCode {
    pub hub: String,
    pub token: String,
}

impl JoinCode {
    /// The code for `token` at the hub laptops reach at `hub` (an http or https address).
    pub fn new(hub: &str, token: &str) -> Result<JoinCode, String> {
        let address = Url::parse(hub.trim()).map_err(|e| {
            format!("\"{hub}\" is not a web address ({e}): give it whole, starting with https:// (or http://)")
        })?;
        if !matches!(address.scheme(), "http" | "https") || address.host().is_none() {
            return Err(format!(
                "\"{hub}\" is not a hub's address: it starts with https:// (or http://) and names a host"
            ));
        }
        if token.trim().is_empty() {
            return Err("a join code needs the person's token".into());
        }
        Ok(JoinCode { hub: hub.trim().to_string(), token: token.trim().to_string() })
    }

    /// The code as one line.
    pub fn text(&self) -> String {
        let mut code = Url::parse(SCHEME).expect("the scheme is a URL");
        code.query_pairs_mut().append_pair("hub", &self.hub).append_pair("token", &self.token);
        code.to_string()
    }

    /// Reads `text` as a join code; `None` when it is not one (a hub's plain address).
    pub fn read(text: &str) -> Result<Option<JoinCode>, String> {
        // As pasted from a message: in angle brackets or quotes, perhaps.
        let text = text.trim().trim_matches(|c| matches!(c, '<' | '>' | '"' | '\'' | '`')).trim();
        if !text.to_ascii_lowercase().starts_with("handoff:") {
            return Ok(None);
        }
        let damaged = |what: &str| {
            Err(format!("this join code is {what}: copy the whole line the founder sent, starting with {SCHEME}?hub="))
        };
        let Ok(code) = Url::parse(text) else { return damaged("damaged") };
        if !text.to_ascii_lowercase().starts_with(SCHEME) {
            return damaged("not one Handoff makes");
        }
        let find = |name: &str| code.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
        match (find("hub"), find("token")) {
            (Some(hub), Some(token)) => JoinCode::new(&hub, &token).map(Some),
            _ => damaged("cut short"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_carries_the_address_and_the_token_and_reads_back() {
        let code = JoinCode::new("https://hub.wayfarer.example:8443/", "hndf_abc+/=&x").unwrap();
        let text = code.text();
        assert!(text.starts_with("handoff://join?hub=https%3A%2F%2Fhub.wayfarer.example"), "{text}");
        assert!(!text.contains(' '));
        assert_eq!(JoinCode::read(&format!("  {text}\n")).unwrap(), Some(code.clone()));
        assert_eq!(JoinCode::read(&format!("<{text}>")).unwrap(), Some(code), "as an e-mail wraps a link");
    }

    #[test]
    fn a_plain_address_is_not_a_code_and_a_damaged_code_says_so() {
        assert_eq!(JoinCode::read("https://hub.example").unwrap(), None);
        let cut = JoinCode::new("https://hub.example", "tok").unwrap().text();
        let cut = &cut[..cut.find("&token").unwrap()];
        assert!(JoinCode::read(cut).unwrap_err().contains("cut short"));
        assert!(JoinCode::read("handoff://other?hub=x").unwrap_err().contains("not one Handoff makes"));
        assert!(JoinCode::read("handoff://join?hub=ftp%3A%2F%2Fx&token=t").unwrap_err().contains("https://"));
        assert!(JoinCode::new("hub.example", "t").unwrap_err().contains("not a web address"));
        assert!(JoinCode::new("https://hub.example", " ").unwrap_err().contains("token"));
    }
}
