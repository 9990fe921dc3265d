//! The small drawing and text layout layer both documents share: a page canvas in points with
//! y measured from the top, greedy word wrapping from the font's advance widths (breaking
//! inside a word only when the word alone is wider than the line), and writing the document
//! ([`write_pdf`]: `pdf-writer` for the file's objects, `subsetter` for the embedded faces).

use std::collections::BTreeMap;

use pdf_writer::types::{CidFontType, FontFlags, SigFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;

use crate::fonts::{Face, Fonts};
use crate::model::{PageSize, PdfError};
use crate::seal::Seal;

/// An sRGB colour from 0–255 components.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rgb8(pub u8, pub u8, pub u8);

impl Rgb8 {
    fn rgb(self) -> [f32; 3] {
        [f32::from(self.0) / 255.0, f32::from(self.1) / 255.0, f32::from(self.2) / 255.0]
    }
}

/// The palette: a deep teal for structure, near-black text, and the three state colours.
pub(crate) mod palette {
    use super::Rgb8;
    pub(crate) const BRAND: Rgb8 = Rgb8(22, 72, 89);
    pub(crate) const BRAND_LIGHT: Rgb8 = Rgb8(232, 241, 244);
    pub(crate) const INK: Rgb8 = Rgb8(28, 33, 40);
    pub(crate) const MUTED: Rgb8 = Rgb8(104, 112, 124);
    pub(crate) const RULE: Rgb8 = Rgb8(206, 212, 218);
    pub(crate) const PANEL: Rgb8 = Rgb8(245, 247, 249);
    pub(crate) const WHITE: Rgb8 = Rgb8(255, 255, 255);
    pub(crate) const GREEN: Rgb8 = Rgb8(6, 118, 71);
    pub(crate) const RED: Rgb8 = Rgb8(180, 35, 24);
    pub(crate) const RED_LIGHT: Rgb8 = Rgb8(253, 236, 234);
    pub(crate) const AMBER: Rgb8 = Rgb8(181, 71, 8);
    pub(crate) const AMBER_LIGHT: Rgb8 = Rgb8(255, 244, 229);
    pub(crate) const WATERMARK: Rgb8 = Rgb8(222, 60, 50);
}

/// The paper in points.
pub(crate) fn paper(size: PageSize) -> (f32, f32) {
    match size {
        PageSize::A4 => (595.28, 841.89),
        PageSize::Letter => (612.0, 792.0),
    }
}

/// One page being drawn. Coordinates are points from the top-left corner; the marks are kept
/// in the PDF's own (from the bottom-left) until the document is written.
pub(crate) struct Canvas {
    pub(crate) w: f32,
    pub(crate) h: f32,
    marks: Vec<Mark>,
}

/// One thing drawn on a page, in PDF coordinates (points from the bottom-left corner).
#[derive(Clone, Debug, PartialEq)]
enum Mark {
    /// One line of text, its glyphs in the order they are seen, its baseline starting at (x, y).
    Text { x: f32, y: f32, face: Face, size: f32, color: Rgb8, text: String },
    /// A filled rectangle from its bottom-left corner.
    Fill { x: f32, y: f32, w: f32, h: f32, color: Rgb8 },
    /// A straight stroked line.
    Line { from: (f32, f32), to: (f32, f32), thickness: f32, color: Rgb8 },
    /// Closed contours filled through the translucent graphics state (the DRAFT watermark); in
    /// each, `true` marks a cubic Bézier control point (two precede each curve's end point).
    Translucent { color: Rgb8, rings: Vec<Vec<(f32, f32, bool)>> },
}

impl Canvas {
    pub(crate) fn new(size: PageSize) -> Self {
        let (w, h) = paper(size);
        Canvas { w, h, marks: Vec::new() }
    }

    /// Draws `text` (already cleaned, one line) with its baseline at `baseline` from the top, in
    /// the order its glyphs are seen (right-to-left scripts reordered, Arabic joined).
    pub(crate) fn text(&mut self, x: f32, baseline: f32, face: Face, size: f32, color: Rgb8, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = crate::script::visual(text).into_owned();
        self.marks.push(Mark::Text { x, y: self.h - baseline, face, size, color, text });
    }

    /// Draws `text` right-aligned so that it ends at `right`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text_right(
        &mut self,
        fonts: &Fonts,
        right: f32,
        baseline: f32,
        face: Face,
        size: f32,
        color: Rgb8,
        text: &str,
    ) {
        let w = fonts.width(face, size, text);
        self.text(right - w, baseline, face, size, color, text);
    }

    /// `text` drawn as filled glyph outlines — vector shapes, not text, so it never mixes into
    /// text extraction — starting at (`x`, `y_from_top`), rotated by `degrees`
    /// (counter-clockwise), through the translucent graphics state (the DRAFT watermark).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn outlined_translucent(
        &mut self,
        fonts: &Fonts,
        x: f32,
        y_from_top: f32,
        degrees: f32,
        face: Face,
        size: f32,
        color: Rgb8,
        text: &str,
    ) {
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (ox, oy) = (x, self.h - y_from_top);
        let mut rings = Vec::new();
        let mut pen = 0.0;
        for c in text.chars() {
            for contour in fonts.glyph_contours(face, c) {
                let ring = contour
                    .into_iter()
                    .map(|(gx, gy, control)| {
                        let (tx, ty) = (pen + gx * size, gy * size);
                        (ox + tx * cos - ty * sin, oy + tx * sin + ty * cos, control)
                    })
                    .collect();
                rings.push(ring);
            }
            pen += fonts.advance_em(face, c) * size;
        }
        self.marks.push(Mark::Translucent { color, rings });
    }

    /// A filled rectangle whose top-left corner is at (`x`, `top`).
    pub(crate) fn fill(&mut self, x: f32, top: f32, w: f32, h: f32, color: Rgb8) {
        if w <= 0.0 || h <= 0.0 {
            return;
        }
        self.marks.push(Mark::Fill { x, y: self.h - top - h, w, h, color });
    }

    /// A horizontal rule at `y`.
    pub(crate) fn hline(&mut self, x1: f32, x2: f32, y: f32, thickness: f32, color: Rgb8) {
        self.line(x1, y, x2, y, thickness, color);
    }

    /// A straight line between two points.
    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, thickness: f32, color: Rgb8) {
        self.marks.push(Mark::Line { from: (x1, self.h - y1), to: (x2, self.h - y2), thickness, color });
    }
}

/// One laid-out line of a wrapped text block.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TextLine {
    pub(crate) text: String,
    /// Extra indent from the block's left edge (bullet continuation lines).
    pub(crate) indent: f32,
    /// Draw a bullet in front of this line (the first line of a "- " item).
    pub(crate) bullet: bool,
    /// An empty source line: a paragraph gap, drawn as half a line.
    pub(crate) gap: bool,
}

impl TextLine {
    /// This line's height as a fraction of the line height.
    pub(crate) fn height_factor(&self) -> f32 {
        if self.gap {
            0.5
        } else {
            1.0
        }
    }
}

/// Wraps `text` (already cleaned) to `max_w` points. Every source line break is kept; an empty
/// source line becomes a half-line paragraph gap; lines starting "- ", "* " or "• " become
/// bullets with a hanging indent. Leading and trailing empty lines are dropped.
pub(crate) fn wrap_block(fonts: &Fonts, face: Face, size: f32, text: &str, max_w: f32) -> Vec<TextLine> {
    let mut out: Vec<TextLine> = Vec::new();
    let bullet_indent = size * 1.1;
    for src in text.trim_matches('\n').split('\n') {
        let trimmed = src.trim();
        if trimmed.is_empty() {
            // Collapse runs of blank lines into one gap.
            if !out.last().is_some_and(|l| l.gap) {
                out.push(TextLine { text: String::new(), indent: 0.0, bullet: false, gap: true });
            }
            continue;
        }
        let bullet_body = ["- ", "* ", "• "].iter().find_map(|p| trimmed.strip_prefix(p));
        match bullet_body {
            Some(body) => {
                for (i, l) in wrap_line(fonts, face, size, body.trim(), max_w - bullet_indent).into_iter().enumerate() {
                    out.push(TextLine { text: l, indent: bullet_indent, bullet: i == 0, gap: false });
                }
            }
            None => {
                for l in wrap_line(fonts, face, size, trimmed, max_w) {
                    out.push(TextLine { text: l, indent: 0.0, bullet: false, gap: false });
                }
            }
        }
    }
    out
}

/// Wraps one paragraph (no line breaks inside) greedily at spaces; a word wider than the line
/// is broken between characters.
pub(crate) fn wrap_line(fonts: &Fonts, face: Face, size: f32, text: &str, max_w: f32) -> Vec<String> {
    let max_w = max_w.max(size); // never loop forever on absurd widths
    let space = fonts.width(face, size, " ");
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0.0f32;
    for word in text.split_whitespace() {
        let ww = fonts.width(face, size, word);
        if !cur.is_empty() && cur_w + space + ww <= max_w {
            cur.push(' ');
            cur.push_str(word);
            cur_w += space + ww;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur_w = 0.0;
        }
        if ww <= max_w {
            cur.push_str(word);
            cur_w = ww;
            continue;
        }
        // The word alone is wider than the line: break it where it stops fitting, after a
        // URL or address separator in the line's last two thirds when there is one.
        for c in word.chars() {
            let cw = fonts.advance_em(face, c) * size;
            if !cur.is_empty() && cur_w + cw > max_w {
                let min_keep = cur.chars().count() / 3;
                let soft = cur
                    .char_indices()
                    .enumerate()
                    .filter(|&(i, (_, ch))| i >= min_keep && "/.@-_?&=#:,;".contains(ch))
                    .map(|(_, (at, ch))| at + ch.len_utf8())
                    .last()
                    .filter(|&at| at < cur.len());
                let rest = match soft {
                    Some(at) => cur.split_off(at),
                    None => String::new(),
                };
                lines.push(std::mem::replace(&mut cur, rest));
                cur_w = fonts.width(face, size, &cur);
            }
            cur.push(c);
            cur_w += cw;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Shortens `text` with an ellipsis so it fits `max_w` (for one-line labels in running headers).
pub(crate) fn ellipsize(fonts: &Fonts, face: Face, size: f32, text: &str, max_w: f32) -> String {
    if fonts.width(face, size, text) <= max_w {
        return text.to_string();
    }
    let ell = fonts.width(face, size, "…");
    let mut out = String::new();
    let mut w = 0.0;
    for c in text.chars() {
        let cw = fonts.advance_em(face, c) * size;
        if w + cw + ell > max_w {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// The first 16 hex digits of a SHA-256, upper-case, in groups of four: the form read aloud.
pub(crate) fn short_hash(sha: &str) -> String {
    let hex: Vec<char> =
        sha.chars().filter(|c| c.is_ascii_hexdigit()).take(16).map(|c| c.to_ascii_uppercase()).collect();
    if hex.is_empty() {
        return "—".to_string();
    }
    hex.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// Document metadata.
pub(crate) struct Meta {
    pub(crate) title: String,
    pub(crate) author: String,
    pub(crate) subject: String,
    pub(crate) keywords: Vec<String>,
    pub(crate) creator: String,
    pub(crate) generated_at: String,
}

/// Writes the pages as a PDF 1.4 file (the DRAFT watermark uses transparency) with the faces
/// the text uses embedded as subsets, and the metadata set. A `CreationDate` is written only when
/// `generated_at` says its UTC offset (see [`crate::date`]) — never a made-up one. The same pages
/// and metadata always give the same bytes.
///
/// With a `seal`, the file is written as PDF 1.7 (SHA-256 in a signature is PDF 1.6 on) with the
/// seal's signature field on the first page, and signed once it is whole (see [`crate::seal`]).
pub(crate) fn write_pdf(
    fonts: &Fonts,
    meta: &Meta,
    pages: Vec<Canvas>,
    seal: Option<&Seal>,
) -> Result<Vec<u8>, PdfError> {
    let mut ids = Ref::new(1);
    let (catalog_id, pages_id, info_id, translucent_id) = (ids.bump(), ids.bump(), ids.bump(), ids.bump());
    // The seal's signature dictionary and its field.
    let seal_ids = seal.map(|seal| (seal, ids.bump(), ids.bump()));
    // Each face's five objects: the composite font, its CID font, descriptor, program, ToUnicode.
    let font_ids: [[Ref; 5]; 2] = std::array::from_fn(|_| std::array::from_fn(|_| ids.bump()));

    // The pages' contents first: they decide which glyphs each face's subset holds.
    let mut used: [Used; 2] = [Used::new(), Used::new()];
    let mut translucent = false;
    let contents: Vec<Vec<u8>> =
        pages.iter().map(|canvas| content(fonts, &canvas.marks, &mut used, &mut translucent)).collect();

    let mut pdf = Pdf::new();
    let mut zlib = Zlib::new();
    let (major, minor) = if seal.is_some() { (1, 7) } else { (1, 4) };
    pdf.set_version(major, minor);
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(pages_id);
    if let Some((_, _, field_id)) = seal_ids {
        catalog.form().fields([field_id]).sig_flags(SigFlags::SIGNATURES_EXIST | SigFlags::APPEND_ONLY);
    }
    catalog.finish();
    let page_ids: Vec<Ref> = pages.iter().map(|_| ids.bump()).collect();
    pdf.pages(pages_id).kids(page_ids.iter().copied()).count(i32::try_from(pages.len()).unwrap_or(i32::MAX));
    for ((canvas, content), &page_id) in pages.iter().zip(&contents).zip(&page_ids) {
        let content_id = ids.bump();
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, canvas.w, canvas.h)).parent(pages_id).contents(content_id);
        if let Some((_, _, field_id)) = seal_ids.filter(|_| page_id == page_ids[0]) {
            page.annotations([field_id]);
        }
        let mut resources = page.resources();
        let mut names = resources.fonts();
        for face in Face::ALL.into_iter().filter(|f| used[f.index()].any()) {
            names.pair(font_name(face), font_ids[face.index()][0]);
        }
        names.finish();
        if translucent {
            resources.ext_g_states().pair(Name(b"Translucent"), translucent_id);
        }
        resources.finish();
        page.finish();
        pdf.stream(content_id, &zlib.deflate(content)?).filter(Filter::FlateDecode);
    }
    if translucent {
        pdf.ext_graphics(translucent_id).non_stroking_alpha(WATERMARK_ALPHA);
    }
    for face in Face::ALL.into_iter().filter(|f| used[f.index()].any()) {
        embed(&mut pdf, &mut zlib, fonts, face, &used[face.index()], font_ids[face.index()])?;
    }

    let mut info = pdf.document_info(info_id);
    info.title(TextStr(&meta.title))
        .author(TextStr(&meta.author))
        .subject(TextStr(&meta.subject))
        .keywords(TextStr(&meta.keywords.join(",")))
        .creator(TextStr(&meta.creator))
        .producer(TextStr(PRODUCER));
    if let Some(date) = crate::date::pdf_date(&meta.generated_at) {
        info.pair(Name(b"CreationDate"), Str(date.as_bytes()));
        info.pair(Name(b"ModDate"), Str(date.as_bytes()));
    }
    info.finish();
    if let Some((seal, sig_id, field_id)) = seal_ids {
        let first =
            *page_ids.first().ok_or_else(|| PdfError::Write("a document without a page is not sealed".into()))?;
        crate::seal::write_signature_field(&mut pdf, sig_id, field_id, first, seal);
    }
    pdf.set_file_id(file_id(meta, &contents));
    let mut bytes = pdf.finish();
    if let Some(seal) = seal {
        crate::seal::sign(&mut bytes, seal)?;
    }
    Ok(bytes)
}

/// The `Producer` written in every file's metadata.
const PRODUCER: &str = "handoff-pdf (pdf-writer 0.15)";

/// How much of the page shows through the DRAFT watermark's letters.
const WATERMARK_ALPHA: f32 = 0.16;

/// How hard streams are compressed (zlib, 0–9). Level 1 writes a brief in half the time level 3
/// takes, for about a fifth more bytes (45 KB against 37: still smaller than Chromium's or
/// Typst's brief); level 9 spent half of a brief's drawing time squeezing its font subsets.
const COMPRESSION: u32 = 1;

/// The glyphs a document draws in one face, numbered as its subset will number them.
struct Used {
    remapper: GlyphRemapper,
    /// Each subset glyph's character, for the `/ToUnicode` map text extraction reads.
    unicode: BTreeMap<u16, char>,
}

impl Used {
    fn new() -> Self {
        Used { remapper: GlyphRemapper::new(), unicode: BTreeMap::new() }
    }

    fn any(&self) -> bool {
        !self.unicode.is_empty()
    }
}

/// A face's name in a page's font resources.
fn font_name(face: Face) -> Name<'static> {
    match face {
        Face::Regular => Name(b"Regular"),
        Face::Bold => Name(b"Bold"),
    }
}

/// One page's content stream; records the glyphs each face draws and whether the translucent
/// graphics state is used.
fn content(fonts: &Fonts, marks: &[Mark], used: &mut [Used; 2], translucent: &mut bool) -> Vec<u8> {
    let mut c = Content::new();
    for mark in marks {
        match mark {
            Mark::Text { x, y, face, size, color, text } => {
                let font = fonts.font(*face);
                let used = &mut used[face.index()];
                let mut codes = Vec::with_capacity(text.len() * 2);
                for ch in text.chars() {
                    let code = used.remapper.remap(font.glyph(ch).0);
                    // A character the face lacks is drawn as U+FFFD, and copies out as it.
                    let drawn = if font.covers(ch) { ch } else { crate::fonts::REPLACEMENT };
                    used.unicode.entry(code).or_insert(drawn);
                    codes.extend_from_slice(&code.to_be_bytes());
                }
                let [r, g, b] = color.rgb();
                c.begin_text();
                c.set_fill_rgb(r, g, b);
                c.set_font(font_name(*face), *size);
                c.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                c.show(Str(&codes));
                c.end_text();
            }
            Mark::Fill { x, y, w, h, color } => {
                let [r, g, b] = color.rgb();
                c.set_fill_rgb(r, g, b);
                c.rect(*x, *y, *w, *h);
                c.fill_nonzero();
            }
            Mark::Line { from, to, thickness, color } => {
                let [r, g, b] = color.rgb();
                c.set_stroke_rgb(r, g, b);
                c.set_line_width(*thickness);
                c.move_to(from.0, from.1);
                c.line_to(to.0, to.1);
                c.stroke();
            }
            Mark::Translucent { color, rings } => {
                *translucent = true;
                let [r, g, b] = color.rgb();
                c.save_state();
                c.set_parameters(Name(b"Translucent"));
                c.set_fill_rgb(r, g, b);
                for ring in rings {
                    let Some(&(x0, y0, _)) = ring.first() else { continue };
                    c.move_to(x0, y0);
                    let mut rest = ring[1..].iter();
                    while let Some(&(x, y, control)) = rest.next() {
                        if !control {
                            c.line_to(x, y);
                        } else if let (Some(&(x2, y2, _)), Some(&(x3, y3, _))) = (rest.next(), rest.next()) {
                            c.cubic_to(x, y, x2, y2, x3, y3);
                        }
                    }
                    c.close_path();
                }
                c.fill_nonzero();
                c.restore_state();
            }
        }
    }
    c.finish().into_vec()
}

/// Embeds the glyphs `used` of `face` as a composite (Type 0) font: a CID-keyed TrueType subset
/// addressed by its own glyph numbers (Identity-H), its widths, and the `/ToUnicode` map.
fn embed(
    pdf: &mut Pdf,
    zlib: &mut Zlib,
    fonts: &Fonts,
    face: Face,
    used: &Used,
    ids: [Ref; 5],
) -> Result<(), PdfError> {
    let [type0_id, cid_id, descriptor_id, program_id, cmap_id] = ids;
    let font = fonts.font(face);
    let subset = subsetter::subset(font.ttf, 0, &used.remapper)
        .map_err(|e| PdfError::Write(format!("the {face:?} face could not be subset: {e}")))?;
    let base = format!("{}+{}", subset_tag(face, &used.remapper), face.postscript_name());
    let base = Name(base.as_bytes());
    const SYSTEM_INFO: SystemInfo = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

    pdf.type0_font(type0_id)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);

    let mut cid = pdf.cid_font(cid_id);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(SYSTEM_INFO)
        .font_descriptor(descriptor_id)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let widths: Vec<f32> =
        used.remapper.remapped_gids().map(|gid| font.advance_milli(ttf_parser::GlyphId(gid))).collect();
    cid.widths().consecutive(0, widths);
    cid.finish();

    let ttf = &font.face;
    let bbox = ttf.global_bounding_box();
    let stem_v = 10.0 + 0.244 * (f32::from(ttf.weight().to_number()) - 50.0);
    pdf.font_descriptor(descriptor_id)
        .name(base)
        // Symbolic: the glyphs are addressed by number, not by a standard Latin encoding.
        .flags(FontFlags::SYMBOLIC)
        .bbox(Rect::new(font.milli(bbox.x_min), font.milli(bbox.y_min), font.milli(bbox.x_max), font.milli(bbox.y_max)))
        .italic_angle(ttf.italic_angle())
        .ascent(font.milli(ttf.ascender()))
        .descent(font.milli(ttf.descender()))
        .cap_height(font.milli(font.cap_height()))
        .stem_v(stem_v.round())
        .font_file2(program_id);

    pdf.stream(program_id, &zlib.deflate(&subset)?)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), i32::try_from(subset.len()).unwrap_or(i32::MAX));

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), SYSTEM_INFO);
    for (&code, &ch) in &used.unicode {
        cmap.pair(code, ch);
    }
    pdf.stream(cmap_id, &zlib.deflate(&cmap.finish())?).filter(Filter::FlateDecode);
    Ok(())
}

/// The six capital letters naming a subset (PDF's "ABCDEF+Font" convention): taken from the
/// glyphs it holds, so the same text always gives the same file.
fn subset_tag(face: Face, glyphs: &GlyphRemapper) -> String {
    let mut hash = Sha256::new();
    hash.update([face.index() as u8]);
    for gid in glyphs.remapped_gids() {
        hash.update(gid.to_be_bytes());
    }
    hash.finalize().iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

/// The file's identifier (the trailer's `/ID`, both halves the same for a new file): the first
/// 16 bytes of a SHA-256 of its metadata and pages, so the same document gets the same one.
fn file_id(meta: &Meta, contents: &[Vec<u8>]) -> (Vec<u8>, Vec<u8>) {
    let mut hash = Sha256::new();
    for field in [&meta.title, &meta.author, &meta.subject, &meta.creator, &meta.generated_at] {
        hash.update(field.as_bytes());
        hash.update([0]);
    }
    for keyword in &meta.keywords {
        hash.update(keyword.as_bytes());
        hash.update([0]);
    }
    for content in contents {
        hash.update(content);
    }
    let id = hash.finalize()[..16].to_vec();
    (id.clone(), id)
}

/// One compressor for all of a document's streams: setting one up costs more than compressing
/// a page (its tables are hundreds of kilobytes, fresh memory each time).
struct Zlib(flate2::Compress);

impl Zlib {
    fn new() -> Self {
        Zlib(flate2::Compress::new(flate2::Compression::new(COMPRESSION), true))
    }

    /// `data` compressed for a `/FlateDecode` stream.
    fn deflate(&mut self, data: &[u8]) -> Result<Vec<u8>, PdfError> {
        self.0.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let before = self.0.total_in();
            let consumed = usize::try_from(before).unwrap_or(usize::MAX).min(data.len());
            let status = self
                .0
                .compress_vec(&data[consumed..], &mut out, flate2::FlushCompress::Finish)
                .map_err(|e| PdfError::Write(format!("a stream could not be compressed: {e}")))?;
            match status {
                flate2::Status::StreamEnd => return Ok(out),
                _ => out.reserve(out.capacity().max(1024)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::fonts;

    /// The operators of a content stream, one per line as `pdf-writer` writes them.
    fn operators(content: &[u8]) -> Vec<String> {
        String::from_utf8_lossy(content)
            .lines()
            .filter_map(|l| l.split_whitespace().last().map(str::to_string))
            .collect()
    }

    #[test]
    fn a_translucent_ring_is_drawn_as_its_lines_and_curves_and_filled_once() {
        let f = fonts().unwrap();
        let ring = vec![
            (0.0, 0.0, false),
            (10.0, 0.0, false),
            (12.0, 4.0, true),
            (8.0, 9.0, true),
            (5.0, 10.0, false),
            (0.0, 0.0, false),
        ];
        let marks = [Mark::Translucent { color: palette::WATERMARK, rings: vec![ring.clone(), ring] }];
        let (mut used, mut translucent) = ([Used::new(), Used::new()], false);
        let ops = operators(&content(f, &marks, &mut used, &mut translucent));
        let ring_ops = ["m", "l", "c", "l", "h"];
        let expected: Vec<&str> =
            ["q", "gs", "rg"].into_iter().chain(ring_ops).chain(ring_ops).chain(["f", "Q"]).collect();
        assert_eq!(ops, expected);
        assert!(translucent && !used[0].any() && !used[1].any());
    }

    /// Twice the signed area of a contour's on-curve outline: its sign is its direction.
    fn signed_area(ring: &[(f32, f32, bool)]) -> f32 {
        let pts: Vec<(f32, f32)> = ring.iter().filter(|p| !p.2).map(|p| (p.0, p.1)).collect();
        pts.iter().zip(pts.iter().cycle().skip(1)).map(|(a, b)| a.0 * b.1 - b.0 * a.1).sum()
    }

    #[test]
    fn the_watermark_letters_keep_their_counters() {
        // "D" is two contours, the inner one drawn the other way round: filled non-zero, the
        // hole stays open. Each contour begins with a move and ends with a close.
        let f = fonts().unwrap();
        let mut canvas = Canvas::new(PageSize::A4);
        canvas.outlined_translucent(f, 100.0, 500.0, 0.0, Face::Bold, 100.0, palette::WATERMARK, "D");
        let Mark::Translucent { rings, .. } = &canvas.marks[0] else { panic!("{:?}", canvas.marks) };
        assert_eq!(rings.len(), 2);
        let (a, b) = (signed_area(&rings[0]), signed_area(&rings[1]));
        assert!(a.signum() != b.signum() && a.abs().min(b.abs()) > 0.0, "{a} {b}");
        let (mut used, mut translucent) = ([Used::new(), Used::new()], false);
        let ops = operators(&content(f, &canvas.marks, &mut used, &mut translucent));
        assert_eq!(ops.iter().filter(|o| *o == "m").count(), 2, "{ops:?}");
        assert_eq!(ops.iter().filter(|o| *o == "h").count(), 2, "{ops:?}");
        assert!(ops.iter().any(|o| o == "c") && ops.iter().any(|o| o == "l"), "{ops:?}");
    }

    /// The operations of a content stream, read back by lopdf.
    fn decoded(content: &[u8]) -> Vec<lopdf::content::Operation> {
        lopdf::content::Content::decode(content).unwrap().operations
    }

    #[test]
    fn text_is_drawn_as_subset_glyph_numbers_and_remembers_each_glyphs_character() {
        let f = fonts().unwrap();
        let mut canvas = Canvas::new(PageSize::A4);
        // 'C' is 0x43 in the ASCII range once numbered: a glyph number is never taken for text.
        canvas.text(44.0, 100.0, Face::Bold, 12.0, palette::INK, "Zoë \u{FFFD}ABC");
        let (mut used, mut translucent) = ([Used::new(), Used::new()], false);
        let bytes = content(f, &canvas.marks, &mut used, &mut translucent);
        assert_eq!(operators(&bytes), ["BT", "rg", "Tf", "Tm", "Tj", "ET"]);
        // Glyph 0 is kept for .notdef; the eight characters are eight glyphs numbered from 1.
        let chars: Vec<char> = used[Face::Bold.index()].unicode.values().copied().collect();
        assert_eq!(chars, ['Z', 'o', 'ë', ' ', '\u{FFFD}', 'A', 'B', 'C']);
        assert_eq!(used[Face::Bold.index()].unicode.keys().copied().collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(!used[Face::Regular.index()].any() && !translucent);
        let shown = decoded(&bytes).into_iter().find(|op| op.operator == "Tj").unwrap();
        let lopdf::Object::String(codes, _) = &shown.operands[0] else { panic!("{shown:?}") };
        assert_eq!(codes, &[0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    }

    #[test]
    fn a_character_the_face_lacks_is_drawn_and_copied_as_the_replacement_character() {
        // Layout replaces what a face lacks before drawing (DejaVu has every joined form of each
        // Arabic letter it has, so joining adds none); should one still reach the page, it is
        // drawn as U+FFFD and copies out as it.
        let f = fonts().unwrap();
        assert!(!f.covers(Face::Regular, '東'));
        let marks = [Mark::Text {
            x: 0.0,
            y: 0.0,
            face: Face::Regular,
            size: 9.0,
            color: palette::INK,
            text: "東\u{FFFD}".into(),
        }];
        let (mut used, mut translucent) = ([Used::new(), Used::new()], false);
        content(f, &marks, &mut used, &mut translucent);
        assert_eq!(used[0].unicode.iter().map(|(k, v)| (*k, *v)).collect::<Vec<_>>(), [(1, '\u{FFFD}')]);
    }

    /// A written document read back: the object a reference in `dict` at `key` points to.
    fn deref<'a>(doc: &'a lopdf::Document, dict: &lopdf::Dictionary, key: &[u8]) -> &'a lopdf::Object {
        doc.get_object(dict.get(key).unwrap().as_reference().unwrap()).unwrap()
    }

    #[test]
    fn each_embedded_subset_says_its_glyphs_widths_as_the_layout_measured_them() {
        let f = fonts().unwrap();
        let mut page = Canvas::new(PageSize::A4);
        page.text(44.0, 100.0, Face::Regular, 10.0, palette::INK, "Zoë Müller, Łódź — 84,600.00 CHF");
        page.text(44.0, 120.0, Face::Bold, 12.0, palette::INK, "Sign-off ✓");
        let meta = Meta {
            title: "T".into(),
            author: "A".into(),
            subject: "S".into(),
            keywords: vec!["k".into()],
            creator: "C".into(),
            generated_at: "2026-03-03 14:20 UTC".into(),
        };
        let bytes = write_pdf(f, &meta, vec![page], None).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        let page_id = *doc.get_pages().values().next().unwrap();
        let resources = doc.get_dictionary(page_id).unwrap().get(b"Resources").unwrap().as_dict().unwrap();
        let fonts_dict = resources.get(b"Font").unwrap().as_dict().unwrap();
        for (name, face) in [(&b"Regular"[..], Face::Regular), (b"Bold", Face::Bold)] {
            let type0 = doc.get_dictionary(fonts_dict.get(name).unwrap().as_reference().unwrap()).unwrap();
            assert_eq!(type0.get(b"Encoding").unwrap().as_name().unwrap(), b"Identity-H");
            let descendants = type0.get(b"DescendantFonts").unwrap().as_array().unwrap();
            let cid = doc.get_dictionary(descendants[0].as_reference().unwrap()).unwrap();
            let descriptor = deref(&doc, cid, b"FontDescriptor").as_dict().unwrap();
            let program = deref(&doc, descriptor, b"FontFile2").as_stream().unwrap();
            let ttf = program.decompressed_content().unwrap();
            assert_eq!(program.dict.get(b"Length1").unwrap().as_i64().unwrap(), ttf.len() as i64);
            let subset = ttf_parser::Face::parse(&ttf, 0).unwrap();
            // W is [0 [w0 w1 …]]: one width per subset glyph, from the first.
            let w = cid.get(b"W").unwrap().as_array().unwrap();
            assert_eq!(w[0].as_i64().unwrap(), 0);
            let widths: Vec<f32> = w[1].as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect();
            assert!(usize::from(subset.number_of_glyphs()) >= widths.len());
            let font = f.font(face);
            let upm = f32::from(subset.units_per_em());
            for (gid, width) in widths.iter().enumerate() {
                let advance = subset.glyph_hor_advance(ttf_parser::GlyphId(gid as u16)).unwrap();
                assert!(
                    (f32::from(advance) * 1000.0 / upm - width).abs() < 0.01,
                    "glyph {gid}: {advance} against {width}"
                );
            }
            // And those are the advances the layout measures with.
            assert!((font.advance_milli(font.glyph('Z')) - f.advance_em(face, 'Z') * 1000.0).abs() < 0.01);
            assert!(deref(&doc, type0, b"ToUnicode").as_stream().is_ok());
        }
        assert!(doc.trailer.get(b"ID").is_ok(), "the file has an identifier");
    }

    #[test]
    fn the_same_pages_and_metadata_give_the_same_bytes() {
        let f = fonts().unwrap();
        let write = |title: &str| {
            let mut page = Canvas::new(PageSize::Letter);
            page.text(44.0, 100.0, Face::Regular, 10.0, palette::INK, "Brief 3F9A 1C0B");
            page.fill(40.0, 40.0, 100.0, 20.0, palette::PANEL);
            let meta = Meta {
                title: title.into(),
                author: String::new(),
                subject: String::new(),
                keywords: Vec::new(),
                creator: String::new(),
                generated_at: "Europe/London".into(),
            };
            write_pdf(f, &meta, vec![page], None).unwrap()
        };
        assert_eq!(write("One"), write("One"));
        assert_ne!(write("One"), write("Two"));
    }

    #[test]
    fn short_hash_is_four_groups_of_four_upper_case() {
        assert_eq!(short_hash("3f9a1c0b77e2d410b5c86e0f2a9d4c3e"), "3F9A 1C0B 77E2 D410");
        assert_eq!(short_hash(""), "—");
    }

    #[test]
    fn words_wrap_and_every_line_fits() {
        let f = fonts().unwrap();
        let text =
            "We promised the CEO a room with Matterhorn view and a quiet floor, and a ski-hire fitting on arrival.";
        let lines = wrap_line(f, Face::Regular, 10.0, text, 150.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| f.width(Face::Regular, 10.0, l) <= 150.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_word_wider_than_the_line_is_broken_preferably_after_a_separator() {
        let f = fonts().unwrap();
        let url = "https://www.zermatt.ch/en/Media/Planning-tools/Timetables-for-transport-and-lifts";
        let lines = wrap_line(f, Face::Regular, 10.0, url, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        assert!(lines.iter().all(|l| f.width(Face::Regular, 10.0, l) <= 120.0), "{lines:?}");
        assert_eq!(lines.concat(), url);
        assert!(lines[..lines.len() - 1].iter().all(|l| l.ends_with(|c| "/.-".contains(c))), "{lines:?}");
        let long = "x".repeat(300);
        let lines = wrap_line(f, Face::Regular, 10.0, &long, 100.0);
        assert!(lines.len() >= 3 && lines.concat() == long);
    }

    #[test]
    fn blocks_keep_line_breaks_paragraph_gaps_and_bullets() {
        let f = fonts().unwrap();
        let lines = wrap_block(f, Face::Regular, 10.0, "One\nTwo\n\n\n- three\n• four", 400.0);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["One", "Two", "", "three", "four"]);
        assert!(lines[2].gap && lines[3].bullet && lines[4].bullet && lines[3].indent > 0.0);
    }

    #[test]
    fn characters_the_font_lacks_are_replaced_visibly_and_reported_once() {
        let f = fonts().unwrap();
        let mut replaced = Vec::new();
        let s = f.clean(Face::Regular, "Zoë in 東京 🎉 東\tŁódź\r\n€", &mut replaced);
        assert_eq!(s, "Zoë in \u{FFFD}\u{FFFD} \u{FFFD} \u{FFFD} Łódź\n€");
        assert_eq!(replaced, ['東', '京', '🎉']);
    }

    #[test]
    fn glyph_outlines_are_closed_cubic_contours() {
        let f = fonts().unwrap();
        let o = f.glyph_contours(Face::Bold, 'o');
        assert_eq!(o.len(), 2);
        for c in &o {
            assert!(!c[0].2 && !c.last().unwrap().2);
            let (a, b) = (c[0], c.last().unwrap());
            assert!((a.0 - b.0).abs() < 1e-4 && (a.1 - b.1).abs() < 1e-4, "contour closes");
            assert!(c.iter().all(|p| p.0 > -0.1 && p.0 < 1.0 && p.1 > -0.1 && p.1 < 1.0));
        }
        assert!(f.glyph_contours(Face::Bold, ' ').is_empty());
    }
}
