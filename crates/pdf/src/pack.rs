//! The 72-hour service handoff pack: a cover block, then the roster, the itinerary, what was
//! sold and promised, the risks and the asks, flowing over as many pages as needed.
//!
//! Pagination rules: a table row is never split across pages — a row that does not fit the
//! space left moves whole to the next page, where the table's column header (and the group it
//! belongs to, marked "continued") is repeated. Group headings (a traveller, a day) are kept
//! with their first row. The one exception is a single row taller than a whole page body,
//! which is continued line by line over as many pages as it needs, each part marked. Running
//! text (the sold/promised and risks sections) breaks between lines, keeping a heading with at
//! least two lines of its text.

use crate::draw::{
    ellipsize, palette as P, short_hash, wrap_block, wrap_line, write_pdf, Canvas, Meta, Rgb8, TextLine,
};
use crate::fonts::{fonts, Face, Fonts};
use crate::model::{PackDoc, PdfError, Rendered};
use crate::seal::Seal;

/// The pack's body text size, in points.
pub const PACK_BODY_PT: f32 = 8.5;

const MARGIN: f32 = 40.0;
const HEADER_BASELINE: f32 = 27.0;
const BODY_TOP: f32 = 50.0;
const FOOTER_GAP: f32 = 40.0;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.6;

pub(crate) fn render(doc: &PackDoc, seal: Option<&Seal>) -> Result<Rendered, PdfError> {
    let fonts = fonts().map_err(PdfError::Write)?;
    let mut replaced = Vec::new();
    let pages = layout(fonts, doc, &mut replaced);
    let n = pages.len();
    let meta = Meta {
        title: format!("Service handoff pack — {}", doc.trip_name),
        author: doc.agency.clone(),
        subject: format!("72-hour service handoff pack, brief SHA-256 {}", doc.brief_sha256),
        keywords: vec![
            "Handoff".to_string(),
            "service handoff pack".to_string(),
            format!("brief SHA-256 {}", doc.brief_sha256),
            doc.customer.clone(),
        ],
        creator: doc.generator.clone(),
        generated_at: if doc.created.is_empty() { doc.generated_at.clone() } else { doc.created.clone() },
    };
    let bytes = write_pdf(fonts, &meta, pages, seal)?;
    Ok(Rendered { bytes, pages: n, replaced, body_size_pt: PACK_BODY_PT })
}

/// The pages of the pack, header and footer ("page X of Y") included.
fn layout(fonts: &Fonts, doc: &PackDoc, replaced: &mut Vec<char>) -> Vec<Canvas> {
    let mut f = Flow::new(fonts, doc, replaced);
    cover(&mut f, doc);
    roster(&mut f, doc);
    itinerary(&mut f, doc);
    sold_and_risks(&mut f, doc);
    asks(&mut f, doc);
    f.finish(doc)
}

fn or_dash(s: &str) -> &str {
    if s.trim().is_empty() {
        "—"
    } else {
        s
    }
}

/// The page flow: the page being filled, the cursor, and the finished pages.
struct Flow<'a> {
    fonts: &'a Fonts,
    replaced: &'a mut Vec<char>,
    page: crate::model::PageSize,
    header_left: String,
    header_right: String,
    pages: Vec<Canvas>,
    cur: Canvas,
    y: f32,
}

impl<'a> Flow<'a> {
    fn new(fonts: &'a Fonts, doc: &PackDoc, replaced: &'a mut Vec<char>) -> Self {
        let header_left = fonts.clean(Face::Bold, or_dash(&doc.trip_name), replaced);
        let header_right =
            fonts.clean(Face::Regular, &format!("{} · 72-hour service handoff pack", or_dash(&doc.agency)), replaced);
        let mut f = Flow {
            fonts,
            replaced,
            page: doc.page,
            header_left,
            header_right,
            pages: Vec::new(),
            cur: Canvas::new(doc.page),
            y: BODY_TOP,
        };
        f.running_header();
        f
    }

    fn clean(&mut self, face: Face, s: &str) -> String {
        self.fonts.clean(face, s, self.replaced)
    }

    fn width(&self) -> f32 {
        self.cur.w - 2.0 * MARGIN
    }

    fn bottom(&self) -> f32 {
        self.cur.h - FOOTER_GAP
    }

    fn room(&self) -> f32 {
        self.bottom() - self.y
    }

    /// The usable height of a fresh page.
    fn page_body(&self) -> f32 {
        self.bottom() - BODY_TOP
    }

    fn at_page_top(&self) -> bool {
        self.y <= BODY_TOP + 0.01
    }

    fn running_header(&mut self) {
        let fonts = self.fonts;
        let right_w = fonts.width(Face::Regular, 7.8, &self.header_right);
        let right = self.cur.w - MARGIN;
        let left = ellipsize(fonts, Face::Bold, 8.5, &self.header_left, self.width() - right_w - 16.0);
        self.cur.fill(0.0, 0.0, self.cur.w, 6.0, P::BRAND);
        self.cur.text(MARGIN, HEADER_BASELINE, Face::Bold, 8.5, P::BRAND, &left);
        let hr = self.header_right.clone();
        self.cur.text_right(fonts, right, HEADER_BASELINE, Face::Regular, 7.8, P::MUTED, &hr);
        self.cur.hline(MARGIN, right, HEADER_BASELINE + 7.0, 0.6, P::RULE);
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.cur, Canvas::new(self.page));
        self.pages.push(done);
        self.y = BODY_TOP;
        self.running_header();
    }

    /// Starts a new page unless `h` points fit below the cursor.
    fn need(&mut self, h: f32) {
        if self.room() < h && !self.at_page_top() {
            self.new_page();
        }
    }

    /// A section heading, kept with `keep` points of what follows.
    fn heading(&mut self, title: &str, keep: f32) {
        let h = 30.0;
        if !self.at_page_top() {
            self.y += 10.0;
        }
        self.need(h + keep);
        let right = self.cur.w - MARGIN;
        self.cur.text(MARGIN, self.y + 16.0, Face::Bold, 12.5, P::BRAND, title);
        self.cur.hline(MARGIN, right, self.y + 22.0, 1.0, P::BRAND);
        self.y += h;
    }

    /// Running text: wrapped lines that may break across pages between lines.
    fn paragraphs(&mut self, text: &str, size: f32) {
        let fonts = self.fonts;
        let lh = size * 1.36;
        let cleaned = self.clean(Face::Regular, text);
        let lines = wrap_block(fonts, Face::Regular, size, &cleaned, self.width());
        if lines.iter().all(|l| l.gap) {
            self.need(lh);
            self.cur.text(MARGIN, self.y + size, Face::Regular, size, P::MUTED, "—");
            self.y += lh;
            return;
        }
        for line in lines {
            let lh_line = lh * line.height_factor();
            if line.gap && self.at_page_top() {
                continue;
            }
            self.need(lh_line);
            if !line.gap {
                self.draw_line(&line, MARGIN, size, P::INK);
            }
            self.y += lh_line;
        }
    }

    fn draw_line(&mut self, line: &TextLine, x: f32, size: f32, color: Rgb8) {
        if line.bullet {
            self.cur.text(x + line.indent - size * 0.85, self.y + size, Face::Regular, size, P::BRAND, "•");
        }
        self.cur.text(x + line.indent, self.y + size, Face::Regular, size, color, &line.text);
    }

    /// Closes the last page and draws every footer, now that the page count is known.
    fn finish(mut self, doc: &PackDoc) -> Vec<Canvas> {
        let last = std::mem::replace(&mut self.cur, Canvas::new(self.page));
        self.pages.push(last);
        let total = self.pages.len();
        let left = self.fonts.clean(
            Face::Regular,
            &format!(
                "Generated {} by {} · brief SHA-256 {}",
                or_dash(&doc.generated_at),
                or_dash(&doc.generator),
                short_hash(&doc.brief_sha256)
            ),
            self.replaced,
        );
        for (i, page) in self.pages.iter_mut().enumerate() {
            let rule = page.h - FOOTER_GAP + 10.0;
            let right = page.w - MARGIN;
            page.hline(MARGIN, right, rule, 0.5, P::RULE);
            let num = format!("Page {} of {}", i + 1, total);
            let num_w = self.fonts.width(Face::Regular, 7.2, &num);
            let left = ellipsize(self.fonts, Face::Regular, 7.2, &left, page.w - 2.0 * MARGIN - num_w - 16.0);
            page.text(MARGIN, rule + 12.0, Face::Regular, 7.2, P::MUTED, &left);
            page.text_right(self.fonts, right, rule + 12.0, Face::Regular, 7.2, P::MUTED, &num);
        }
        self.pages
    }
}

// ---------------------------------------------------------------------------------------------
// Tables

/// One column: its title and share of the table width.
struct Column {
    title: &'static str,
    share: f32,
}

/// One cell's text (raw, cleaned when laid out) and look.
struct Cell {
    text: String,
    face: Face,
    color: Rgb8,
}

impl Cell {
    fn plain(text: &str) -> Self {
        Cell {
            text: or_dash(text).to_string(),
            face: Face::Regular,
            color: if text.trim().is_empty() { P::MUTED } else { P::INK },
        }
    }
    fn styled(text: &str, face: Face, color: Rgb8) -> Self {
        Cell { text: or_dash(text).to_string(), face, color }
    }
}

/// A table item: a full-width group heading (a traveller, a day) or a row of cells.
enum Item {
    Group { title: String, note: String },
    Row { cells: Vec<Cell>, flag: Option<(Rgb8, Rgb8)> },
}

/// A row laid out: each cell's lines.
struct LaidRow {
    lines: Vec<Vec<TextLine>>,
    faces: Vec<(Face, Rgb8)>,
    flag: Option<(Rgb8, Rgb8)>,
}

struct Table {
    columns: Vec<Column>,
    size: f32,
}

impl Table {
    fn lh(&self) -> f32 {
        self.size * 1.3
    }

    fn col_x(&self, f: &Flow<'_>) -> Vec<(f32, f32)> {
        let total: f32 = self.columns.iter().map(|c| c.share).sum();
        let mut x = MARGIN;
        self.columns
            .iter()
            .map(|c| {
                let w = f.width() * c.share / total;
                let r = (x, w);
                x += w;
                r
            })
            .collect()
    }

    fn header_lines(&self, f: &Flow<'_>) -> Vec<Vec<String>> {
        let cols = self.col_x(f);
        self.columns
            .iter()
            .zip(cols)
            .map(|(c, (_, w))| wrap_line(f.fonts, Face::Bold, self.size - 0.8, c.title, w - 2.0 * CELL_PAD_X))
            .collect()
    }

    fn header_h(&self, f: &Flow<'_>) -> f32 {
        let n = self.header_lines(f).iter().map(Vec::len).max().unwrap_or(1);
        n as f32 * (self.size - 0.8) * 1.25 + 2.0 * CELL_PAD_Y
    }

    fn draw_header(&self, f: &mut Flow<'_>) {
        let h = self.header_h(f);
        let size = self.size - 0.8;
        let lines = self.header_lines(f);
        let cols = self.col_x(f);
        let y = f.y;
        f.cur.fill(MARGIN, y, f.width(), h, P::BRAND);
        for ((x, _), ls) in cols.iter().zip(lines) {
            for (k, l) in ls.iter().enumerate() {
                f.cur.text(
                    x + CELL_PAD_X,
                    y + CELL_PAD_Y + size + k as f32 * size * 1.25 - 1.0,
                    Face::Bold,
                    size,
                    P::WHITE,
                    l,
                );
            }
        }
        f.y += h;
    }

    fn group_h(&self) -> f32 {
        self.size * 1.3 + 2.0 * CELL_PAD_Y + 2.0
    }

    fn draw_group(&self, f: &mut Flow<'_>, title: &str, note: &str, continued: bool) {
        let h = self.group_h();
        let y = f.y;
        let w = f.width();
        f.cur.fill(MARGIN, y, w, h, P::BRAND_LIGHT);
        let size = self.size + 0.5;
        let title = if continued { format!("{title} (continued)") } else { title.to_string() };
        let note_w = f.fonts.width(Face::Regular, self.size - 0.5, note);
        let title = ellipsize(f.fonts, Face::Bold, size, &title, w - note_w - 3.0 * CELL_PAD_X - 12.0);
        f.cur.text(MARGIN + CELL_PAD_X, y + CELL_PAD_Y + size + 0.5, Face::Bold, size, P::BRAND, &title);
        if !note.is_empty() {
            f.cur.text_right(
                f.fonts,
                MARGIN + w - CELL_PAD_X,
                y + CELL_PAD_Y + size + 0.5,
                Face::Regular,
                self.size - 0.5,
                P::MUTED,
                note,
            );
        }
        f.y += h;
    }

    fn lay_row(&self, f: &mut Flow<'_>, cells: &[Cell], flag: Option<(Rgb8, Rgb8)>) -> LaidRow {
        let cols = self.col_x(f);
        let mut lines = Vec::new();
        let mut faces = Vec::new();
        for (cell, (_, w)) in cells.iter().zip(cols) {
            let cleaned = f.clean(cell.face, &cell.text);
            let mut ls = wrap_block(f.fonts, cell.face, self.size, &cleaned, w - 2.0 * CELL_PAD_X);
            if ls.is_empty() {
                ls.push(TextLine { text: String::new(), indent: 0.0, bullet: false, gap: false });
            }
            lines.push(ls);
            faces.push((cell.face, cell.color));
        }
        LaidRow { lines, faces, flag }
    }

    fn lines_h(&self, lines: &[TextLine]) -> f32 {
        lines.iter().map(|l| l.height_factor()).sum::<f32>() * self.lh()
    }

    fn row_h(&self, row: &LaidRow) -> f32 {
        row.lines.iter().map(|ls| self.lines_h(ls)).fold(0.0, f32::max) + 2.0 * CELL_PAD_Y
    }

    /// Draws `row` (or the given part of it) at the cursor; `h` is its height.
    fn draw_row(&self, f: &mut Flow<'_>, row: &LaidRow, h: f32, zebra: bool) {
        let cols = self.col_x(f);
        let y = f.y;
        let w = f.width();
        // Fills stop short of the row's bottom rule, so the rule shows between filled rows.
        let fill_h = h - 0.4;
        match row.flag {
            Some((bar, fill)) => {
                f.cur.fill(MARGIN, y, w, fill_h, fill);
                f.cur.fill(MARGIN, y, 2.5, fill_h, bar);
            }
            None if zebra => f.cur.fill(MARGIN, y, w, fill_h, P::PANEL),
            None => {}
        }
        for (((x, _), ls), (face, color)) in cols.iter().zip(&row.lines).zip(&row.faces) {
            let mut ly = y + CELL_PAD_Y;
            for l in ls {
                if !l.gap {
                    if l.bullet {
                        f.cur.text(
                            x + CELL_PAD_X + l.indent - self.size * 0.85,
                            ly + self.size,
                            Face::Regular,
                            self.size,
                            P::BRAND,
                            "•",
                        );
                    }
                    f.cur.text(x + CELL_PAD_X + l.indent, ly + self.size, *face, self.size, *color, &l.text);
                }
                ly += self.lh() * l.height_factor();
            }
        }
        f.cur.hline(MARGIN, MARGIN + w, y + h, 0.4, P::RULE);
        f.y += h;
    }

    /// Draws the table: header, groups and rows, paginating by the rules in the module docs.
    fn draw(&self, f: &mut Flow<'_>, items: &[Item]) {
        let header_h = self.header_h(f);
        let mut group: Option<(String, String)> = None;
        let mut zebra = false;
        // The header goes with the first item (and the first row after a group heading).
        let first_h = items.first().map(|it| self.item_h(f, it, items.get(1))).unwrap_or(0.0);
        f.need(header_h + first_h.min(f.page_body() - header_h));
        self.draw_header(f);
        let mut i = 0;
        while i < items.len() {
            match &items[i] {
                Item::Group { title, note } => {
                    let keep = self.item_h(f, &items[i], items.get(i + 1));
                    if f.room() < keep.min(f.page_body() - header_h) {
                        f.new_page();
                        self.draw_header(f);
                    }
                    self.draw_group(f, title, note, false);
                    group = Some((title.clone(), note.clone()));
                    zebra = false;
                }
                Item::Row { cells, flag } => {
                    let row = self.lay_row(f, cells, *flag);
                    let h = self.row_h(&row);
                    let cont_h = header_h + if group.is_some() { self.group_h() } else { 0.0 };
                    if h <= f.room() {
                        self.draw_row(f, &row, h, zebra);
                    } else if h <= f.page_body() - cont_h {
                        // Moves whole to the next page.
                        self.continue_on_new_page(f, &group);
                        self.draw_row(f, &row, h, zebra);
                    } else {
                        self.draw_split_row(f, row, &group);
                    }
                    zebra = !zebra;
                }
            }
            i += 1;
        }
    }

    fn continue_on_new_page(&self, f: &mut Flow<'_>, group: &Option<(String, String)>) {
        f.new_page();
        self.draw_header(f);
        if let Some((t, n)) = group {
            self.draw_group(f, t, n, true);
        }
    }

    /// The last resort for a row taller than a page body: as many of its lines as fit on each
    /// page, every part after the first starting a fresh page with the header repeated.
    fn draw_split_row(&self, f: &mut Flow<'_>, mut row: LaidRow, group: &Option<(String, String)>) {
        let lh = self.lh();
        if f.room() < 2.0 * CELL_PAD_Y + 3.0 * lh {
            self.continue_on_new_page(f, group);
        }
        loop {
            let budget = f.room() - 2.0 * CELL_PAD_Y;
            let fits_all = row.lines.iter().all(|ls| self.lines_h(ls) <= budget);
            if fits_all {
                let h = self.row_h(&row);
                self.draw_row(f, &row, h, false);
                return;
            }
            // Take, from every cell, the lines that fit the budget.
            let mut part = LaidRow { lines: Vec::new(), faces: row.faces.clone(), flag: row.flag };
            for ls in &mut row.lines {
                let mut used = 0.0;
                let mut k = 0;
                while k < ls.len() && used + lh * ls[k].height_factor() <= budget {
                    used += lh * ls[k].height_factor();
                    k += 1;
                }
                let rest = ls.split_off(k);
                part.lines.push(std::mem::replace(ls, rest));
            }
            if part.lines.iter().all(Vec::is_empty) {
                // Cannot happen with a sane page size; never loop without progress.
                for (taken, ls) in part.lines.iter_mut().zip(&mut row.lines) {
                    if !ls.is_empty() {
                        taken.push(ls.remove(0));
                    }
                }
            }
            let h = f.room();
            self.draw_row(f, &part, h, false);
            self.continue_on_new_page(f, group);
        }
    }

    /// The height an item needs to start on this page: a group heading needs its first row
    /// too; a row needs itself — or, a row too tall for any page, the first three lines it
    /// will be continued from.
    fn item_h(&self, f: &mut Flow<'_>, item: &Item, next: Option<&Item>) -> f32 {
        match item {
            Item::Group { .. } => {
                self.group_h()
                    + match next {
                        Some(n @ Item::Row { .. }) => self.item_h(f, n, None),
                        _ => 0.0,
                    }
            }
            Item::Row { cells, flag } => {
                let row = self.lay_row(f, cells, *flag);
                let h = self.row_h(&row);
                let most = f.page_body() - self.header_h(f) - self.group_h();
                if h > most {
                    2.0 * CELL_PAD_Y + 3.0 * self.lh()
                } else {
                    h
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The pack's parts

fn cover(f: &mut Flow<'_>, doc: &PackDoc) {
    let fonts = f.fonts;
    let w = f.width();
    f.y += 4.0;
    f.cur.text(MARGIN, f.y + 9.0, Face::Bold, 8.5, P::BRAND, "72-HOUR SERVICE HANDOFF PACK");
    f.y += 14.0;
    let title = f.clean(Face::Bold, or_dash(&doc.trip_name));
    for line in wrap_line(fonts, Face::Bold, 18.0, &title, w) {
        f.cur.text(MARGIN, f.y + 17.0, Face::Bold, 18.0, P::INK, &line);
        f.y += 22.0;
    }
    f.y += 8.0;

    let left = [
        ("Customer", &doc.customer),
        ("Trip dates", &doc.trip_dates),
        ("Destination", &doc.destination),
        ("Travellers", &doc.travellers),
    ];
    let right = [
        ("Service owner", &doc.service_owner),
        ("Fulfilment owner", &doc.fulfilment_owner),
        ("Handoff due", &doc.due_at),
        ("Handoff done", &doc.done_at),
        ("Lead time", &doc.lead_time),
    ];
    let pad = 9.0;
    let gap = 14.0;
    let col_w = (w - 2.0 * pad - gap) / 2.0;
    let label_w = 76.0;
    let (size, lh) = (8.8, 11.6);
    let mut rows = Vec::new();
    for i in 0..left.len().max(right.len()) {
        let mut cells = Vec::new();
        let mut n = 1;
        for side in [left.get(i), right.get(i)] {
            match side {
                Some((label, value)) => {
                    let v = f.clean(Face::Regular, or_dash(value));
                    let ls = wrap_line(fonts, Face::Regular, size, &v, col_w - label_w);
                    n = n.max(ls.len());
                    cells.push(Some((*label, ls, value.trim().is_empty())));
                }
                None => cells.push(None),
            }
        }
        rows.push((cells, n));
    }
    let hash_h = 40.0;
    let panel_h: f32 = rows.iter().map(|(_, n)| *n as f32 * lh + 3.0).sum::<f32>() + 2.0 * pad - 3.0 + hash_h;
    let top = f.y;
    f.cur.fill(MARGIN, top, w, panel_h, P::PANEL);
    f.cur.fill(MARGIN, top, 2.5, panel_h, P::BRAND);
    let mut y = top + pad;
    for (cells, n) in rows {
        for (i, cell) in cells.iter().enumerate() {
            if let Some((label, ls, empty)) = cell {
                let x = MARGIN + pad + 4.0 + i as f32 * (col_w + gap);
                f.cur.text(x, y + 8.5, Face::Regular, 7.6, P::MUTED, label);
                for (k, l) in ls.iter().enumerate() {
                    f.cur.text(
                        x + label_w,
                        y + 8.5 + k as f32 * lh,
                        Face::Regular,
                        size,
                        if *empty { P::MUTED } else { P::INK },
                        l,
                    );
                }
            }
        }
        y += n as f32 * lh + 3.0;
    }
    // The brief this pack was made from: short form to read aloud, then the full hash.
    y += 4.0;
    f.cur.hline(MARGIN + pad + 4.0, MARGIN + w - pad, y, 0.5, P::RULE);
    let x = MARGIN + pad + 4.0;
    f.cur.text(x, y + 17.0, Face::Regular, 7.6, P::MUTED, "Brief SHA-256");
    let short = short_hash(&doc.brief_sha256);
    f.cur.text(x + label_w, y + 18.0, Face::Bold, 13.0, P::INK, &short);
    let full = f.clean(Face::Regular, or_dash(&doc.brief_sha256));
    let full = ellipsize(fonts, Face::Regular, 7.0, &full, w - label_w - 2.0 * pad - 4.0);
    f.cur.text(x + label_w, y + 29.0, Face::Regular, 7.0, P::MUTED, &full);
    f.y = top + panel_h + 6.0;
}

fn roster(f: &mut Flow<'_>, doc: &PackDoc) {
    let table = Table {
        columns: vec![
            Column { title: "Topic", share: 17.0 },
            Column { title: "Preference", share: 49.0 },
            Column { title: "Acknowledgement", share: 34.0 },
        ],
        size: PACK_BODY_PT,
    };
    let open: usize = doc.roster.iter().flat_map(|r| &r.preferences).filter(|p| !p.acknowledged).count();
    let keep = table.header_h(f) + table.group_h() + 30.0;
    f.heading("Travellers and their preferences", keep);
    let summary = format!(
        "{} travellers · {} preference items · {}",
        doc.roster.len(),
        doc.roster.iter().map(|r| r.preferences.len()).sum::<usize>(),
        if open == 0 { "all acknowledged".to_string() } else { format!("{open} not acknowledged as they read now") }
    );
    f.cur.text(MARGIN, f.y + 8.0, Face::Regular, 8.0, if open == 0 { P::GREEN } else { P::RED }, &summary);
    f.y += 15.0;
    if doc.roster.is_empty() {
        f.paragraphs("No travellers on the roster yet.", PACK_BODY_PT);
        return;
    }
    let mut items = Vec::new();
    for entry in &doc.roster {
        let open = entry.preferences.iter().filter(|p| !p.acknowledged).count();
        let n = entry.preferences.len();
        let note = match (n, open) {
            (0, _) => "no preferences recorded".to_string(),
            (n, 0) => format!("{n} item{} · all acknowledged", if n == 1 { "" } else { "s" }),
            (n, o) => format!("{n} item{} · {o} not acknowledged", if n == 1 { "" } else { "s" }),
        };
        items.push(Item::Group { title: f.clean(Face::Bold, or_dash(&entry.name)), note });
        if entry.preferences.is_empty() {
            items.push(Item::Row {
                cells: vec![
                    Cell::plain(""),
                    Cell::styled("No preferences recorded", Face::Regular, P::MUTED),
                    Cell::plain(""),
                ],
                flag: None,
            });
        }
        for p in &entry.preferences {
            let (status, flag) = if p.acknowledged {
                (Cell::styled(&format!("✓ {}", p.status), Face::Regular, P::GREEN), None)
            } else {
                (Cell::styled(&format!("⚠ {}", or_dash(&p.status)), Face::Bold, P::RED), Some((P::RED, P::RED_LIGHT)))
            };
            items.push(Item::Row { cells: vec![Cell::plain(&p.topic), Cell::plain(&p.text), status], flag });
        }
    }
    table.draw(f, &items);
}

fn itinerary(f: &mut Flow<'_>, doc: &PackDoc) {
    let table = Table {
        columns: vec![
            Column { title: "Time", share: 7.0 },
            Column { title: "Kind", share: 9.5 },
            Column { title: "What", share: 28.0 },
            Column { title: "Supplier", share: 16.5 },
            Column { title: "Contact", share: 22.0 },
            Column { title: "Confirmation", share: 17.0 },
        ],
        size: PACK_BODY_PT - 0.5,
    };
    let keep = table.header_h(f) + table.group_h() + 24.0;
    f.heading("Itinerary, day by day", keep);
    if doc.itinerary.is_empty() {
        f.paragraphs("No itinerary items yet.", PACK_BODY_PT);
        return;
    }
    let mut items = Vec::new();
    for day in &doc.itinerary {
        let n = day.items.len();
        let note = format!("{n} item{}", if n == 1 { "" } else { "s" });
        items.push(Item::Group { title: f.clean(Face::Bold, or_dash(&day.heading)), note });
        if day.items.is_empty() {
            items.push(Item::Row {
                cells: vec![
                    Cell::plain(""),
                    Cell::plain(""),
                    Cell::styled("Nothing booked", Face::Regular, P::MUTED),
                    Cell::plain(""),
                    Cell::plain(""),
                    Cell::plain(""),
                ],
                flag: None,
            });
        }
        for it in &day.items {
            items.push(Item::Row {
                cells: vec![
                    Cell::styled(&it.time, Face::Bold, P::INK),
                    Cell::plain(&it.kind),
                    Cell::plain(&it.title),
                    Cell::plain(&it.supplier),
                    Cell::plain(&it.contact),
                    Cell::plain(&it.confirmation),
                ],
                flag: None,
            });
        }
    }
    table.draw(f, &items);
}

fn sold_and_risks(f: &mut Flow<'_>, doc: &PackDoc) {
    let size = PACK_BODY_PT + 0.5;
    let lh = size * 1.36;
    f.heading("What we sold and promised", 16.0 + 2.0 * lh);
    if doc.sold_and_promised.is_empty() {
        f.paragraphs("", size);
    }
    for (i, (title, text)) in doc.sold_and_promised.iter().enumerate() {
        if i > 0 {
            f.y += 6.0;
        }
        f.need(15.0 + 2.0 * lh);
        let t = f.clean(Face::Bold, or_dash(title));
        f.cur.text(MARGIN, f.y + 10.0, Face::Bold, 10.0, P::INK, &t);
        f.y += 15.0;
        f.paragraphs(text, size);
    }
    f.heading("Risks and open questions", 2.0 * lh);
    f.paragraphs(&doc.risks, size);
}

fn asks(f: &mut Flow<'_>, doc: &PackDoc) {
    let table = Table {
        columns: vec![
            Column { title: "Logged", share: 15.0 },
            Column { title: "Traveller", share: 17.0 },
            Column { title: "Topic", share: 13.0 },
            Column { title: "Ask", share: 40.0 },
            Column { title: "Brief should have covered", share: 15.0 },
        ],
        size: PACK_BODY_PT,
    };
    let keep = table.header_h(f) + 24.0;
    f.heading("Asks logged so far", keep);
    if doc.asks.is_empty() {
        f.paragraphs("No asks logged yet.", PACK_BODY_PT);
        return;
    }
    let items: Vec<Item> = doc
        .asks
        .iter()
        .map(|a| Item::Row {
            cells: vec![
                Cell::plain(&a.at),
                Cell::plain(&a.traveller),
                Cell::plain(&a.topic),
                Cell::plain(&a.text),
                if a.covered {
                    Cell::styled("Yes", Face::Bold, P::AMBER)
                } else {
                    Cell::styled("No", Face::Regular, P::MUTED)
                },
            ],
            flag: a.covered.then_some((P::AMBER, P::AMBER_LIGHT)),
        })
        .collect();
    table.draw(f, &items);
}
