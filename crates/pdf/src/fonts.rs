//! The two embedded DejaVu Sans faces, their advance widths, and the rule for characters the
//! font cannot draw: they are replaced by a visible U+FFFD "�" and reported, never dropped.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use ttf_parser::{Face as TtfFace, GlyphId, OutlineBuilder};

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

impl Face {
    /// Both faces, in the order documents list them.
    pub(crate) const ALL: [Face; 2] = [Face::Regular, Face::Bold];

    /// The face's PostScript name, as the PDF names its embedded subset.
    pub(crate) fn postscript_name(self) -> &'static str {
        match self {
            Face::Regular => "DejaVuSans",
            Face::Bold => "DejaVuSans-Bold",
        }
    }

    /// The face's place in [`Face::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
        }
    }
}

/// One embedded face: its bytes (embedded, subset, on write) and the tables read from them in
/// place (`ttf-parser` reads a table only when asked, so nothing is copied out up front).
pub(crate) struct Font {
    pub(crate) ttf: &'static [u8],
    pub(crate) face: TtfFace<'static>,
    upm: f32,
    /// The replacement character's glyph, drawn for any character the face lacks.
    replacement: GlyphId,
    /// Each character below [`CACHED_BELOW`] looked up once: 0 until then, else its glyph
    /// number plus one in the high half and its advance in font units in the low half. Laying
    /// out a brief measures every character many times over; a lookup in the font's own
    /// character map is a binary search each time.
    looked_up: Box<[AtomicU32]>,
}

/// The characters whose lookups are kept: every alphabet a name or a note is likely to use,
/// punctuation, currency and symbols (48 KB a face).
const CACHED_BELOW: u32 = 0x3000;

impl Font {
    fn parse(ttf: &'static [u8], file: &str) -> Result<Font, String> {
        let face = TtfFace::parse(ttf, 0).map_err(|e| format!("{file} could not be parsed: {e}"))?;
        let upm = f32::from(face.units_per_em().max(1));
        let replacement = face.glyph_index(REPLACEMENT).ok_or_else(|| format!("{file} has no glyph for U+FFFD"))?;
        let looked_up = std::iter::repeat_with(|| AtomicU32::new(0)).take(CACHED_BELOW as usize).collect();
        Ok(Font { ttf, face, upm, replacement, looked_up })
    }

    /// `c`'s own glyph (0 when the face has none) and that glyph's advance in font units.
    fn lookup(&self, c: char) -> (GlyphId, u16) {
        let slot = self.looked_up.get(c as usize);
        if let Some(kept) = slot.map(|s| s.load(Ordering::Relaxed)).filter(|&k| k != 0) {
            return (GlyphId((kept >> 16) as u16 - 1), kept as u16);
        }
        let gid = self.face.glyph_index(c).unwrap_or(GlyphId(0));
        let advance = self.face.glyph_hor_advance(gid).unwrap_or(0);
        if let (Some(slot), Some(plus_one)) = (slot, gid.0.checked_add(1)) {
            slot.store(u32::from(plus_one) << 16 | u32::from(advance), Ordering::Relaxed);
        }
        (gid, advance)
    }

    /// The glyph drawn for `c`: its own, or U+FFFD's when the face has none.
    pub(crate) fn glyph(&self, c: char) -> GlyphId {
        match self.lookup(c).0 {
            GlyphId(0) => self.replacement,
            gid => gid,
        }
    }

    /// The advance of the glyph drawn for `c`, in em.
    fn advance_em(&self, c: char) -> f32 {
        let advance = match self.lookup(c) {
            (GlyphId(0), _) => self.face.glyph_hor_advance(self.replacement).unwrap_or(0),
            (_, advance) => advance,
        };
        f32::from(advance) / self.upm
    }

    /// A glyph's advance in thousandths of an em, as PDF font widths are given.
    pub(crate) fn advance_milli(&self, gid: GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) * 1000.0 / self.upm
    }

    /// The height of a capital letter in font units: the top of "H" (DejaVu's OS/2 table is
    /// too old to say it), else the ascender.
    pub(crate) fn cap_height(&self) -> i16 {
        self.face
            .capital_height()
            .or_else(|| self.face.glyph_index('H').and_then(|h| self.face.glyph_bounding_box(h)).map(|b| b.y_max))
            .unwrap_or(self.face.ascender())
    }

    /// Whether the face has a real glyph for `c`.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.lookup(c).0 .0 != 0
    }

    /// A length in font units as thousandths of an em.
    pub(crate) fn milli(&self, units: i16) -> f32 {
        f32::from(units) * 1000.0 / self.upm
    }
}

pub(crate) struct Fonts {
    faces: [Font; 2],
}

/// Read once per process: the editor's one-page meter calls [`crate::measure_brief`] often.
/// Reading a face is only finding its tables in the embedded bytes.
pub(crate) fn fonts() -> Result<&'static Fonts, String> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let regular = Font::parse(REGULAR_TTF, "DejaVuSans.ttf")?;
            let bold = Font::parse(BOLD_TTF, "DejaVuSans-Bold.ttf")?;
            Ok(Fonts { faces: [regular, bold] })
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl Fonts {
    pub(crate) fn font(&self, face: Face) -> &Font {
        &self.faces[face.index()]
    }

    /// Whether `face` has a real glyph for `c`.
    pub(crate) fn covers(&self, face: Face, c: char) -> bool {
        self.font(face).covers(c)
    }

    /// The advance of one character in em (a character the font lacks measures as U+FFFD).
    pub(crate) fn advance_em(&self, face: Face, c: char) -> f32 {
        self.font(face).advance_em(c)
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
    /// `true` marks a cubic Bézier control point (two precede each curve's end point).
    /// TrueType's quadratic curves are converted to cubics. Empty for a blank glyph.
    pub(crate) fn glyph_contours(&self, face: Face, c: char) -> Vec<Vec<(f32, f32, bool)>> {
        let font = self.font(face);
        let Some(gid) = font.face.glyph_index(c) else { return Vec::new() };
        let mut pen = Contours { scale: 1.0 / font.upm, done: Vec::new(), open: Vec::new() };
        if font.face.outline_glyph(gid, &mut pen).is_none() {
            return Vec::new();
        }
        pen.close();
        pen.done
    }
}

/// Collects a glyph's outline as [`Fonts::glyph_contours`] returns it.
struct Contours {
    scale: f32,
    done: Vec<Vec<(f32, f32, bool)>>,
    open: Vec<(f32, f32, bool)>,
}

impl Contours {
    fn last(&self) -> P2 {
        self.open.last().map_or((0.0, 0.0), |p| (p.0, p.1))
    }
}

impl OutlineBuilder for Contours {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close();
        self.open.push((x * self.scale, y * self.scale, false));
    }

    fn line_to(&mut self, x: f32, y: f32) {
        self.open.push((x * self.scale, y * self.scale, false));
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let from = self.last();
        let (c, to) = ((x1 * self.scale, y1 * self.scale), (x * self.scale, y * self.scale));
        let c1 = (from.0 + 2.0 / 3.0 * (c.0 - from.0), from.1 + 2.0 / 3.0 * (c.1 - from.1));
        let c2 = (to.0 + 2.0 / 3.0 * (c.0 - to.0), to.1 + 2.0 / 3.0 * (c.1 - to.1));
        self.open.extend([(c1.0, c1.1, true), (c2.0, c2.1, true), (to.0, to.1, false)]);
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let s = self.scale;
        self.open.extend([(x1 * s, y1 * s, true), (x2 * s, y2 * s, true), (x * s, y * s, false)]);
    }

    /// Ends the contour on its first point, drawn back to with a line when it stopped short.
    fn close(&mut self) {
        if self.open.len() < 2 {
            self.open.clear();
            return;
        }
        let (first, last) = (self.open[0], self.last());
        if (first.0 - last.0).abs() > 1e-6 || (first.1 - last.1).abs() > 1e-6 {
            self.open.push((first.0, first.1, false));
        }
        self.done.push(std::mem::take(&mut self.open));
    }
}

type P2 = (f32, f32);
