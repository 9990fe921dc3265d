//! The signed one-page brief: fixed header, facts and sign-off blocks, and the seven sections
//! in between, whose body size steps down from [`BODY_MAX_PT`] to [`BODY_MIN_PT`] until they fit.

use crate::draw::{palette as P, short_hash, wrap_block, wrap_line, write_pdf, Canvas, Meta, Rgb8};
use crate::fonts::{fonts, Face, Fonts};
use crate::model::{BriefDoc, Fit, PdfError, Rendered, SignoffState};
use crate::seal::Seal;

/// The body size a brief is laid out at first.
pub const BODY_MAX_PT: f32 = 10.0;
/// The smallest body size the brief steps down to before refusing.
pub const BODY_MIN_PT: f32 = 7.0;
/// The step-down.
pub const BODY_STEP_PT: f32 = 0.5;

const MARGIN: f32 = 44.0;
const BAND_H: f32 = 58.0;
const LONGEST_SHOWN: usize = 3;

/// The page at one body size, and whether the sections fit the space left for them.
struct Laid {
    canvas: Canvas,
    needed: f32,
    available: f32,
}

/// Layout plus the one-page decision, shared by [`crate::render_brief`] and
/// [`crate::measure_brief`].
struct Decision {
    fit: Fit,
    laid: Laid,
    replaced: Vec<char>,
}

fn decide(doc: &BriefDoc) -> Result<Decision, PdfError> {
    let fonts = fonts().map_err(PdfError::Write)?;
    let mut size = BODY_MAX_PT;
    loop {
        let mut replaced = Vec::new();
        let laid = layout(fonts, doc, size, &mut replaced);
        let fits = laid.needed <= laid.available;
        if fits || size - BODY_STEP_PT < BODY_MIN_PT - 1e-3 {
            let over_percent =
                if fits { 0.0 } else { (laid.needed - laid.available) / laid.available.max(1.0) * 100.0 };
            let fit = Fit { fits, body_size_pt: size, over_percent, longest_sections: longest_sections(doc) };
            return Ok(Decision { fit, laid, replaced });
        }
        size -= BODY_STEP_PT;
    }
}

/// Section titles with their character counts, longest first (ties keep brief order), top 3.
fn longest_sections(doc: &BriefDoc) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = doc.sections.iter().map(|(t, body)| (t.clone(), body.chars().count())).collect();
    v.sort_by_key(|s| std::cmp::Reverse(s.1));
    v.truncate(LONGEST_SHOWN);
    v
}

pub(crate) fn measure(doc: &BriefDoc) -> Fit {
    match decide(doc) {
        Ok(d) => d.fit,
        // Only reachable if the embedded font fails to parse; report "does not fit".
        Err(_) => {
            Fit { fits: false, body_size_pt: BODY_MIN_PT, over_percent: 0.0, longest_sections: longest_sections(doc) }
        }
    }
}

pub(crate) fn render(doc: &BriefDoc, seal: Option<&Seal>) -> Result<Rendered, PdfError> {
    let d = decide(doc)?;
    if !d.fit.fits {
        return Err(PdfError::TooLong {
            min_size_pt: BODY_MIN_PT,
            over_percent: d.fit.over_percent,
            longest: d.fit.longest_sections,
        });
    }
    let fonts = fonts().map_err(PdfError::Write)?;
    let meta = Meta {
        title: format!("Brief — {}", doc.deal_title),
        author: doc.agency.clone(),
        subject: format!("One-page handoff brief, SHA-256 {}", doc.sha256),
        keywords: vec![
            "Handoff".to_string(),
            "handoff brief".to_string(),
            format!("SHA-256 {}", doc.sha256),
            doc.customer.clone(),
        ],
        creator: doc.generator.clone(),
        generated_at: if doc.created.is_empty() { doc.generated_at.clone() } else { doc.created.clone() },
    };
    let bytes = write_pdf(fonts, &meta, vec![d.laid.canvas], seal)?;
    Ok(Rendered { bytes, pages: 1, replaced: d.replaced, body_size_pt: d.fit.body_size_pt })
}

/// A small helper carrying the font set and the replaced-character list.
struct Pen<'a> {
    fonts: &'a Fonts,
    replaced: &'a mut Vec<char>,
}

impl Pen<'_> {
    fn clean(&mut self, face: Face, s: &str) -> String {
        self.fonts.clean(face, s, self.replaced)
    }
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() {
        "—"
    } else {
        s
    }
}

fn layout(fonts: &Fonts, doc: &BriefDoc, body: f32, replaced: &mut Vec<char>) -> Laid {
    let mut pen = Pen { fonts, replaced };
    let mut c = Canvas::new(doc.page);
    let (w, h) = (c.w, c.h);
    let cw = w - 2.0 * MARGIN;
    let right = w - MARGIN;

    // Header band.
    c.fill(0.0, 0.0, w, BAND_H, P::BRAND);
    let kicker = pen.clean(Face::Regular, "Sales → Fulfilment handoff brief");
    let kicker_w = fonts.width(Face::Regular, 9.5, &kicker);
    let agency = pen.clean(Face::Bold, or_dash(&doc.agency));
    let agency = crate::draw::ellipsize(fonts, Face::Bold, 15.0, &agency, cw - kicker_w - 20.0);
    c.text(MARGIN, 35.0, Face::Bold, 15.0, P::WHITE, &agency);
    c.text_right(fonts, right, 35.0, Face::Regular, 9.5, Rgb8(214, 230, 236), &kicker);
    let mut y = BAND_H;

    if doc.draft {
        c.fill(0.0, y, w, 22.0, P::RED_LIGHT);
        c.fill(0.0, y + 21.0, w, 1.0, P::RED);
        let mark = "DRAFT — not signed";
        c.text(MARGIN, y + 15.0, Face::Bold, 10.5, P::RED, mark);
        let mw = fonts.width(Face::Bold, 10.5, mark);
        c.text(
            MARGIN + mw + 8.0,
            y + 15.0,
            Face::Regular,
            8.5,
            P::RED,
            "not valid for handoff until every sign-off below is valid",
        );
        y += 22.0;
    }

    // Deal title.
    y += 14.0;
    let title = pen.clean(Face::Bold, or_dash(&doc.deal_title));
    for line in wrap_line(fonts, Face::Bold, 19.0, &title, cw) {
        c.text(MARGIN, y + 18.0, Face::Bold, 19.0, P::INK, &line);
        y += 23.0;
    }
    y += 8.0;

    // Facts: two columns of label / value, emitted row by row.
    let facts_left = [
        ("Customer", doc.customer.as_str()),
        ("Destination", doc.destination.as_str()),
        ("Trip dates", doc.trip_dates.as_str()),
        ("Travellers", doc.travellers.as_str()),
    ];
    let facts_right = [
        ("Value", doc.value.as_str()),
        ("Sales author", doc.sales_author.as_str()),
        ("Fulfilment owner", doc.fulfilment_owner.as_str()),
        ("", ""),
    ];
    let pad = 9.0;
    let col_w = (cw - 2.0 * pad - 14.0) / 2.0;
    let label_w = 78.0;
    let (fsize, flh) = (9.0, 12.0);
    let mut rows = Vec::new();
    let mut panel_h = 2.0 * pad - 3.0;
    for (l, r) in facts_left.iter().zip(facts_right.iter()) {
        let mut cells = Vec::new();
        let mut lines_n = 1;
        for (label, value) in [l, r] {
            if label.is_empty() {
                cells.push((String::new(), Vec::new(), false));
                continue;
            }
            let empty = value.trim().is_empty();
            let v = pen.clean(Face::Regular, or_dash(value));
            let lines = wrap_line(fonts, Face::Regular, fsize, &v, col_w - label_w);
            lines_n = lines_n.max(lines.len());
            cells.push((label.to_string(), lines, empty));
        }
        panel_h += lines_n as f32 * flh + 3.0;
        rows.push((cells, lines_n));
    }
    c.fill(MARGIN, y, cw, panel_h, P::PANEL);
    c.fill(MARGIN, y, 2.5, panel_h, P::BRAND);
    let mut ry = y + pad;
    for (cells, n) in rows {
        for (i, (label, lines, empty)) in cells.iter().enumerate() {
            let x = MARGIN + pad + 4.0 + i as f32 * (col_w + 14.0);
            c.text(x, ry + 8.5, Face::Regular, 7.8, P::MUTED, label);
            for (k, line) in lines.iter().enumerate() {
                let color = if *empty { P::MUTED } else { P::INK };
                c.text(x + label_w, ry + 8.5 + k as f32 * flh, Face::Regular, fsize, color, line);
            }
        }
        ry += n as f32 * flh + 3.0;
    }
    y += panel_h + 16.0;
    let sections_top = y;

    // Bottom-anchored blocks: the footer, and the sign-off above it. Drawn after the sections
    // so the content stream (and so text extraction) reads top to bottom.
    let footer_rule = h - 34.0;
    let signer_h = 40.0;
    let signoff_h = 30.0 + signer_h * doc.signoffs.len().max(1) as f32 + 22.0;
    let signoff_top = footer_rule - 10.0 - signoff_h;

    // Sections, in the given order.
    let available = signoff_top - 12.0 - sections_top;
    let needed = draw_sections(&mut pen, &mut c, doc, body, sections_top, cw);

    draw_signoffs(&mut pen, &mut c, doc, signoff_top, signer_h);

    c.hline(MARGIN, right, footer_rule, 0.5, P::RULE);
    let footer =
        pen.clean(Face::Regular, &format!("Generated {} by {}", or_dash(&doc.generated_at), or_dash(&doc.generator)));
    c.text(MARGIN, footer_rule + 13.0, Face::Regular, 7.2, P::MUTED, &footer);
    c.text_right(fonts, right, footer_rule + 13.0, Face::Regular, 7.2, P::MUTED, "Page 1 of 1");

    if doc.draft {
        draw_watermark(fonts, &mut c);
    }
    Laid { canvas: c, needed, available }
}

fn draw_sections(pen: &mut Pen<'_>, c: &mut Canvas, doc: &BriefDoc, body: f32, top: f32, cw: f32) -> f32 {
    let fonts = pen.fonts;
    let title_size = body + 0.8;
    let title_lh = title_size * 1.3;
    let lh = body * 1.32;
    let gap = body * 0.95;
    let mut y = top;
    for (i, (title, text)) in doc.sections.iter().enumerate() {
        if i > 0 {
            y += gap;
        }
        let t = pen.clean(Face::Bold, or_dash(title));
        for line in wrap_line(fonts, Face::Bold, title_size, &t, cw) {
            c.text(MARGIN, y + title_size, Face::Bold, title_size, P::BRAND, &line);
            y += title_lh;
        }
        y += body * 0.15;
        let cleaned = pen.clean(Face::Regular, text);
        let lines = wrap_block(fonts, Face::Regular, body, &cleaned, cw);
        if lines.iter().all(|l| l.gap || l.text.trim().is_empty()) {
            c.text(MARGIN, y + body, Face::Regular, body, P::MUTED, "—");
            y += lh;
            continue;
        }
        for line in lines {
            if !line.gap {
                if line.bullet {
                    c.text(MARGIN + line.indent - body * 0.85, y + body, Face::Regular, body, P::BRAND, "•");
                }
                c.text(MARGIN + line.indent, y + body, Face::Regular, body, P::INK, &line.text);
            }
            y += lh * line.height_factor();
        }
    }
    y - top
}

fn draw_signoffs(pen: &mut Pen<'_>, c: &mut Canvas, doc: &BriefDoc, top: f32, signer_h: f32) {
    let fonts = pen.fonts;
    let right = c.w - MARGIN;
    let cw = c.w - 2.0 * MARGIN;
    c.hline(MARGIN, right, top, 1.2, P::BRAND);
    let mut y = top;
    c.text(MARGIN, y + 19.0, Face::Bold, 11.5, P::BRAND, "Sign-off");
    let short = short_hash(&doc.sha256);
    let short_w = fonts.width(Face::Bold, 15.0, &short);
    c.text_right(fonts, right - short_w - 8.0, y + 19.0, Face::Regular, 8.0, P::MUTED, "Brief SHA-256");
    c.text_right(fonts, right, y + 20.0, Face::Bold, 15.0, P::INK, &short);
    y += 30.0;

    if doc.signoffs.is_empty() {
        c.hline(MARGIN, right, y, 0.5, P::RULE);
        c.text(MARGIN, y + 15.0, Face::Regular, 9.0, P::MUTED, "No sign-offs recorded — NOT SIGNED");
        y += signer_h;
    }
    for s in &doc.signoffs {
        c.hline(MARGIN, right, y, 0.5, P::RULE);
        let (label, color) = match s.state {
            SignoffState::Valid => ("✓ VALID", P::GREEN),
            SignoffState::Stale => ("STALE — must re-sign", P::AMBER),
            SignoffState::Missing => ("NOT SIGNED", P::RED),
        };
        let pill_w = fonts.width(Face::Bold, 8.0, label) + 14.0;
        let name = pen.clean(Face::Bold, or_dash(&s.name));
        let name = crate::draw::ellipsize(fonts, Face::Bold, 10.0, &name, cw * 0.45);
        c.text(MARGIN, y + 14.0, Face::Bold, 10.0, P::INK, &name);
        let nw = fonts.width(Face::Bold, 10.0, &name);
        let role = pen.clean(Face::Regular, &s.role);
        let role = crate::draw::ellipsize(fonts, Face::Regular, 8.5, &role, cw - nw - pill_w - 30.0);
        c.text(MARGIN + nw + 8.0, y + 14.0, Face::Regular, 8.5, P::MUTED, &role);
        c.fill(right - pill_w, y + 4.5, pill_w, 13.0, color);
        c.text(right - pill_w + 7.0, y + 14.0, Face::Bold, 8.0, P::WHITE, label);

        let when = if s.at.trim().is_empty() {
            "Not signed yet".to_string()
        } else {
            pen.clean(Face::Regular, &format!("Signed {}", s.at))
        };
        c.text(MARGIN, y + 26.0, Face::Regular, 8.0, if s.at.is_empty() { P::MUTED } else { P::INK }, &when);
        let detail = if s.signed_sha256.is_empty() && s.key_fingerprint.is_empty() {
            String::new()
        } else {
            let sha = pen.clean(Face::Regular, or_dash(&s.signed_sha256));
            let key = pen.clean(Face::Regular, or_dash(&s.key_fingerprint));
            format!("Signed SHA-256 {sha}   ·   Signer's own key {key}")
        };
        let detail = crate::draw::ellipsize(fonts, Face::Regular, 6.6, &detail, cw);
        let detail_color = if s.state == SignoffState::Stale { P::AMBER } else { P::MUTED };
        c.text(MARGIN, y + 35.5, Face::Regular, 6.6, detail_color, &detail);
        y += signer_h;
    }
    c.hline(MARGIN, right, y, 0.5, P::RULE);
    let full = pen.clean(Face::Regular, or_dash(&doc.sha256));
    let label = "Full SHA-256 of this brief";
    c.text(MARGIN, y + 14.0, Face::Regular, 7.2, P::MUTED, label);
    let lw = fonts.width(Face::Regular, 7.2, label);
    let full = crate::draw::ellipsize(fonts, Face::Regular, 7.4, &full, cw - lw - 8.0);
    c.text(MARGIN + lw + 8.0, y + 14.0, Face::Regular, 7.4, P::INK, &full);
}

/// The diagonal "DRAFT — not signed" across the page: translucent light red glyph outlines,
/// drawn last, so it marks every part of the page without entering the extracted text (the
/// red banner under the header carries the words for text extraction).
pub(crate) fn draw_watermark(fonts: &Fonts, c: &mut Canvas) {
    let text = "DRAFT — not signed";
    let angle: f32 = (c.h / c.w).atan().to_degrees();
    let diag = (c.w * c.w + c.h * c.h).sqrt();
    let size = (diag * 0.7 / fonts.width(Face::Bold, 1.0, text)).min(84.0);
    let tw = fonts.width(Face::Bold, size, text);
    // Centre the text on the page centre (the baseline a third of the size below it).
    let (cx, cy) = (c.w / 2.0, c.h / 2.0);
    let (rad, nudge) = (angle.to_radians(), size * 0.36);
    let x = cx - (tw / 2.0) * rad.cos() + nudge * rad.sin();
    let y_up = cy - (tw / 2.0) * rad.sin() - nudge * rad.cos();
    c.outlined_translucent(fonts, x, c.h - y_up, angle, Face::Bold, size, P::WATERMARK, text);
}
