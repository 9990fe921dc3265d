//! The Chromium baseline's pages: the brief and the service pack as self-contained HTML (no
//! network, system fonts), laid out like the PDFs, from the same view models.

use handoff_pdf::{BriefDoc, PackDoc, SignoffState};

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(ch),
        }
    }
    o
}

/// Rows of a facts table, two facts a row: (label, value, label, value).
fn fact_rows(facts: &[(&str, &String, &str, &String)]) -> String {
    facts
        .iter()
        .map(|(k1, v1, k2, v2)| {
            format!(
                "<tr><td class=\"k\">{k1}</td><td>{}</td><td class=\"k\">{k2}</td><td>{}</td></tr>",
                esc(v1),
                esc(v2)
            )
        })
        .collect()
}

/// A section's text as HTML: paragraphs at blank lines, lines starting "- " as a bullet list,
/// other line breaks kept.
fn section_html(text: &str) -> String {
    let mut o = String::new();
    for para in text.split("\n\n") {
        let mut in_list = false;
        let mut lines: Vec<String> = Vec::new();
        let flush = |lines: &mut Vec<String>, o: &mut String| {
            if !lines.is_empty() {
                o.push_str(&format!("<p>{}</p>", lines.join("<br>")));
                lines.clear();
            }
        };
        for line in para.lines() {
            if let Some(item) = line.trim_start().strip_prefix("- ") {
                flush(&mut lines, &mut o);
                if !in_list {
                    o.push_str("<ul>");
                    in_list = true;
                }
                o.push_str(&format!("<li>{}</li>", esc(item)));
            } else {
                if in_list {
                    o.push_str("</ul>");
                    in_list = false;
                }
                lines.push(esc(line));
            }
        }
        if in_list {
            o.push_str("</ul>");
        }
        flush(&mut lines, &mut o);
    }
    o
}

const CSS: &str = "@page{size:A4;margin:0}\
*{box-sizing:border-box}\
body{margin:0;font-family:'DejaVu Sans',sans-serif;font-size:10pt;color:#1d2a30;line-height:1.3}\
.band{background:#1e4d5c;color:#fff;padding:18pt 44pt;display:flex;justify-content:space-between;align-items:baseline}\
.band b{font-size:15pt}.band span{font-size:9.5pt;color:#d6e6ec}\
main{padding:0 44pt}h1{font-size:19pt;margin:16pt 0 10pt}\
table.facts{width:100%;background:#f1f4f5;border-left:3pt solid #1e4d5c;border-collapse:collapse;font-size:9pt}\
table.facts td{padding:2pt 8pt}table.facts td.k{color:#6b7b82;width:16%;white-space:nowrap}\
h2{font-size:10.5pt;color:#1e6f8c;margin:10pt 0 2pt}p{margin:0}ul{margin:0;padding-left:12pt}\
.signoff{border-top:2pt solid #1e4d5c;margin-top:16pt;padding-top:6pt}\
.signoff .head{display:flex;justify-content:space-between;align-items:baseline}\
.signoff .head b{font-size:12pt}.sha{font-size:14pt;font-weight:bold;letter-spacing:1pt}\
.signer{border-bottom:1pt solid #dde3e6;padding:4pt 0;font-size:9pt}.signer .role{color:#6b7b82}\
.state{float:right;background:#1b7f4b;color:#fff;font-weight:bold;font-size:8pt;padding:1pt 6pt}\
.small{font-size:6.5pt;color:#6b7b82}\
footer{position:fixed;bottom:20pt;left:44pt;right:44pt;font-size:7pt;color:#6b7b82;\
display:flex;justify-content:space-between;border-top:1pt solid #dde3e6;padding-top:4pt}";

/// The brief as a self-contained HTML page (no network, system fonts), laid out like the PDF:
/// header band, title, facts table, the seven sections, the sign-off block and a footer.
pub fn brief_html(d: &BriefDoc) -> String {
    let facts = [
        ("Customer", &d.customer, "Value", &d.value),
        ("Destination", &d.destination, "Sales author", &d.sales_author),
        ("Trip dates", &d.trip_dates, "Fulfilment owner", &d.fulfilment_owner),
    ];
    let mut h = String::new();
    h.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str(&format!("<title>Brief — {}</title><style>{CSS}</style></head><body>", esc(&d.deal_title)));
    h.push_str(&format!(
        "<div class=\"band\"><b>{}</b><span>Sales → Fulfilment handoff brief</span></div><main>",
        esc(&d.agency)
    ));
    h.push_str(&format!("<h1>{}</h1><table class=\"facts\">", esc(&d.deal_title)));
    h.push_str(&fact_rows(&facts));
    h.push_str(&format!(
        "<tr><td class=\"k\">Travellers</td><td>{}</td><td></td><td></td></tr></table>",
        esc(&d.travellers)
    ));
    for (title, text) in &d.sections {
        h.push_str(&format!("<h2>{}</h2>{}", esc(title), section_html(text)));
    }
    let short: String = d.sha256.chars().take(16).collect::<String>().to_uppercase();
    let short = short.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>();
    h.push_str(&format!(
        "<section class=\"signoff\"><div class=\"head\"><b>Sign-off</b><span><span class=\"small\">Brief SHA-256</span> \
         <span class=\"sha\">{}</span></span></div>",
        short.join(" ")
    ));
    for s in &d.signoffs {
        let state = match s.state {
            SignoffState::Valid => "✓ VALID",
            SignoffState::Stale => "STALE",
            SignoffState::Missing => "NOT SIGNED",
        };
        h.push_str(&format!(
            "<div class=\"signer\"><span class=\"state\">{state}</span><b>{}</b> <span class=\"role\">{}</span><br>\
             Signed {}<br><span class=\"small\">Signed SHA-256 {} · Signer's own key {}</span></div>",
            esc(&s.name),
            esc(&s.role),
            esc(&s.at),
            esc(&s.signed_sha256),
            esc(&s.key_fingerprint)
        ));
    }
    h.push_str(&format!(
        "<p class=\"small\">Full SHA-256 of this brief &nbsp; {}</p></section></main>\
         <footer><span>Generated {} by {}</span><span>Page 1 of 1</span></footer></body></html>\n",
        esc(&d.sha256),
        esc(&d.generated_at),
        esc(&d.generator)
    ));
    h
}

const PACK_CSS: &str = "@page{size:A4;margin:36pt 44pt 40pt}\
*{box-sizing:border-box}\
body{margin:0;font-family:'DejaVu Sans',sans-serif;font-size:9.5pt;color:#1d2a30;line-height:1.3}\
.band{background:#1e4d5c;color:#fff;padding:12pt 14pt;display:flex;justify-content:space-between;align-items:baseline}\
.band b{font-size:13pt}.band span{font-size:9pt;color:#d6e6ec}\
h1{font-size:17pt;margin:12pt 0 8pt}h2{font-size:11pt;color:#1e6f8c;margin:12pt 0 4pt;border-bottom:1pt solid #dde3e6}\
h3{font-size:9.5pt;margin:8pt 0 2pt}p{margin:0 0 3pt}\
table{width:100%;border-collapse:collapse;font-size:8.5pt}td,th{padding:2pt 4pt;text-align:left;vertical-align:top}\
th{color:#6b7b82;font-weight:normal;border-bottom:1pt solid #dde3e6}\
table.facts{background:#f1f4f5;border-left:3pt solid #1e4d5c}table.facts td.k{color:#6b7b82;width:16%;white-space:nowrap}\
.ack{color:#1b7f4b}.open{color:#b3261e;font-weight:bold}.small{font-size:6.5pt;color:#6b7b82}\
.covered{color:#b3261e}";

/// The service pack as a self-contained HTML page laid out like the PDF: header band, the trip's
/// facts, the roster with every traveller's preferences and whether Service acknowledged each,
/// the itinerary day by day, what was sold and promised, risks, the asks, and a footer line.
pub fn pack_html(d: &PackDoc) -> String {
    let mut h = String::new();
    h.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.push_str(&format!("<title>Service pack — {}</title><style>{PACK_CSS}</style></head><body>", esc(&d.trip_name)));
    h.push_str(&format!(
        "<div class=\"band\"><b>{}</b><span>Fulfilment → Service handoff pack</span></div><h1>{}</h1>",
        esc(&d.agency),
        esc(&d.trip_name)
    ));
    let facts = [
        ("Customer", &d.customer, "Service owner", &d.service_owner),
        ("Destination", &d.destination, "Fulfilment owner", &d.fulfilment_owner),
        ("Trip dates", &d.trip_dates, "Due", &d.due_at),
        ("Travellers", &d.travellers, "Done", &d.done_at),
    ];
    h.push_str("<table class=\"facts\">");
    h.push_str(&fact_rows(&facts));
    h.push_str(&format!(
        "</table><p class=\"small\">Lead time {} · Brief SHA-256 {}</p>",
        esc(&d.lead_time),
        esc(&d.brief_sha256)
    ));
    h.push_str("<h2>Travellers and their preferences</h2>");
    for t in &d.roster {
        h.push_str(&format!(
            "<h3>{}</h3><table><tr><th>Topic</th><th>Preference</th><th>Service</th></tr>",
            esc(&t.name)
        ));
        for p in &t.preferences {
            let class = if p.acknowledged { "ack" } else { "open" };
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{}</td></tr>",
                esc(&p.topic),
                esc(&p.text),
                esc(&p.status)
            ));
        }
        h.push_str("</table>");
    }
    h.push_str("<h2>Itinerary</h2>");
    for day in &d.itinerary {
        h.push_str(&format!(
            "<h3>{}</h3><table><tr><th>Time</th><th>What</th><th></th><th>Supplier</th><th>Contact</th><th>Confirmation</th></tr>",
            esc(&day.heading)
        ));
        for i in &day.items {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&i.time),
                esc(&i.kind),
                esc(&i.title),
                esc(&i.supplier),
                esc(&i.contact),
                esc(&i.confirmation)
            ));
        }
        h.push_str("</table>");
    }
    h.push_str("<h2>What we sold and promised</h2>");
    for (title, text) in &d.sold_and_promised {
        h.push_str(&format!("<h3>{}</h3>{}", esc(title), section_html(text)));
    }
    h.push_str(&format!("<h2>Risks and open questions</h2>{}", section_html(&d.risks)));
    h.push_str(
        "<h2>Asks during the trip</h2><table><tr><th>When</th><th>Traveller</th><th>Topic</th><th>Ask</th></tr>",
    );
    for a in &d.asks {
        let covered = if a.covered { " class=\"covered\"" } else { "" };
        h.push_str(&format!(
            "<tr{covered}><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.at),
            esc(&a.traveller),
            esc(&a.topic),
            esc(&a.text)
        ));
    }
    h.push_str(&format!(
        "</table><p class=\"small\">Generated {} by {}</p></body></html>\n",
        esc(&d.generated_at),
        esc(&d.generator)
    ));
    h
}
