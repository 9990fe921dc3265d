//! The two embedded DejaVu Sans faces, their advance widths, and the rule for characters the
//! font cannot draw: they are replaced by a visible U+FFFD "�" and reported, never dropped.

use std::sync::{Arc, OnceLock};

use printpdf::font::AzulParsedFont;
use printpdf::ParsedFont;
use rust_fontconfig::FontBytes;

const REGULAR_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// What a character the font cannot draw is shown as (DejaVu Sans has it in both faces).
pub(crate) const REPLACEMENT: char = '\u{FFFD}';

/// Regular or bold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    Regular,
    Bold,
}

pub(crate) struct Fonts {
    pub(crate) regular: ParsedFont,
    pub(crate) bold: ParsedFont,
    regular_upm: f32,
    bold_upm: f32,
}

/// Parsed once per process: the editor's one-page meter calls [`crate::measure_brief`] often.
/// Each face is read for what setting text needs (its character map, advance widths and
/// metrics); its outline tables (`loca`, `glyf`) are not copied out up front, only on the first
/// call for a glyph's outline ([`Fonts::glyph_contours`], the DRAFT watermark's letters).
/// Subsetting on write reads them from the font's own bytes either way. One face read whole took
/// 1.9–3.5 ms in a fresh process, this way about 1.0 ms.
pub(crate) fn fonts() -> Result<&'static Fonts, String> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut warnings = Vec::new();
            let regular = parse(REGULAR_TTF, &mut warnings).ok_or("DejaVuSans.ttf could not be parsed")?;
            let bold = parse(BOLD_TTF, &mut warnings).ok_or("DejaVuSans-Bold.ttf could not be parsed")?;
            let regular_upm = f32::from(regular.font_metrics.units_per_em.max(1));
            let bold_upm = f32::from(bold.font_metrics.units_per_em.max(1));
            Ok(Fonts { regular, bold, regular_upm, bold_upm })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// One face, its outlines read only when first asked for (see [`fonts`]).
fn parse(ttf: &'static [u8], warnings: &mut Vec<printpdf::font::PdfFontParseWarning>) -> Option<ParsedFont> {
    let bytes = Arc::new(FontBytes::Owned(Arc::from(ttf)));
    AzulParsedFont::from_bytes_shared(bytes, 0, warnings).map(ParsedFont::from_azul)
}

impl Fonts {
    fn face(&self, face: Face) -> (&ParsedFont, f32) {
        match face {
            Face::Regular => (&self.regular, self.regular_upm),
            Face::Bold => (&self.bold, self.bold_upm),
        }
    }

    /// Whether `face` has a real glyph for `c`.
    pub(crate) fn covers(&self, face: Face, c: char) -> bool {
        let (font, _) = self.face(face);
        matches!(font.lookup_glyph_index(c as u32), Some(gid) if gid != 0)
    }

    /// The advance of one character in em (a character the font lacks measures as U+FFFD).
    pub(crate) fn advance_em(&self, face: Face, c: char) -> f32 {
        let (font, upm) = self.face(face);
        let gid = match font.lookup_glyph_index(c as u32) {
            Some(gid) if gid != 0 => gid,
            _ => font.lookup_glyph_index(REPLACEMENT as u32).unwrap_or(0),
        };
        f32::from(font.get_horizontal_advance(gid)) / upm
    }

    /// The width of `text` in points at `size`, its Arabic letters joined as they are drawn (no
    /// kerning is applied when drawing either).
    pub(crate) fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        crate::script::shaped(text).chars().map(|c| self.advance_em(face, c)).sum::<f32>() * size
    }

    /// `text` as it will be drawn in `face`: tabs become spaces, other control characters
    /// (except line breaks) are removed, and every character the face cannot draw becomes a
    /// visible U+FFFD and is recorded (once) in `replaced`.
    pub(crate) fn clean(&self, face: Face, text: &str, replaced: &mut Vec<char>) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\n' => out.push('\n'),
                '\t' => out.push(' '),
                '\r' => {}
                c if c.is_control() => {}
                c if self.covers(face, c) => out.push(c),
                c => {
                    if !replaced.contains(&c) {
                        replaced.push(c);
                    }
                    out.push(REPLACEMENT);
                }
            }
        }
        out
    }

    /// The outline of `c` in em units (y up from the baseline), as closed contours of points;
    /// `true` marks a cubic Bézier control point (two precede each curve's end point), the
    /// convention of printpdf's polygon rings. TrueType's quadratic curves, with their implied
    /// on-curve midpoints, are converted to cubics. Empty for blank or composite glyphs.
    pub(crate) fn glyph_contours(&self, face: Face, c: char) -> Vec<Vec<(f32, f32, bool)>> {
        let (font, upm) = self.face(face);
        let Some(gid) = font.lookup_glyph_index(c as u32) else { return Vec::new() };
        let Some(glyph) = font.get_or_decode_glyph(gid) else { return Vec::new() };
        let (Some(points), Some(on_curve), Some(ends)) =
            (&glyph.raw_points, &glyph.raw_on_curve, &glyph.raw_contour_ends)
        else {
            return Vec::new();
        };
        let mut contours = Vec::new();
        let mut first = 0usize;
        for &end in ends {
            let end = usize::from(end);
            if end >= points.len() || end < first || on_curve.len() < points.len() {
                break;
            }
            let pts: Vec<((f32, f32), bool)> = (first..=end)
                .map(|i| ((f32::from(points[i].0) / upm, f32::from(points[i].1) / upm), on_curve[i]))
                .collect();
            first = end + 1;
            if let Some(contour) = quad_contour_to_cubic(&pts) {
                contours.push(contour);
            }
        }
        contours
    }
}

type P2 = (f32, f32);

fn mid(a: P2, b: P2) -> P2 {
    ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0)
}

/// One TrueType contour (points with on-curve flags) as a start point, lines and cubics.
fn quad_contour_to_cubic(pts: &[(P2, bool)]) -> Option<Vec<(f32, f32, bool)>> {
    if pts.len() < 2 {
        return None;
    }
    // Start on an on-curve point; if there is none, on the midpoint of the first two.
    let (start, seq): (P2, Vec<(P2, bool)>) = match pts.iter().position(|p| p.1) {
        Some(s) => (pts[s].0, pts[s + 1..].iter().chain(&pts[..=s]).copied().collect()),
        None => {
            let m = mid(pts[0].0, pts[1].0);
            (m, pts[1..].iter().chain(&pts[..1]).copied().chain(std::iter::once((m, true))).collect())
        }
    };
    let mut out = vec![(start.0, start.1, false)];
    let mut cur = start;
    let mut ctrl: Option<P2> = None;
    let quad = |out: &mut Vec<(f32, f32, bool)>, from: P2, c: P2, to: P2| {
        let c1 = (from.0 + 2.0 / 3.0 * (c.0 - from.0), from.1 + 2.0 / 3.0 * (c.1 - from.1));
        let c2 = (to.0 + 2.0 / 3.0 * (c.0 - to.0), to.1 + 2.0 / 3.0 * (c.1 - to.1));
        out.push((c1.0, c1.1, true));
        out.push((c2.0, c2.1, true));
        out.push((to.0, to.1, false));
    };
    for (p, on) in seq {
        match (on, ctrl) {
            (true, None) => {
                out.push((p.0, p.1, false));
                cur = p;
            }
            (true, Some(c)) => {
                quad(&mut out, cur, c, p);
                cur = p;
                ctrl = None;
            }
            (false, None) => ctrl = Some(p),
            (false, Some(c)) => {
                let m = mid(c, p);
                quad(&mut out, cur, c, m);
                cur = m;
                ctrl = Some(p);
            }
        }
    }
    Some(out)
}
