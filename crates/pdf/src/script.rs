//! Right-to-left scripts on paper. PDF text is drawn glyph after glyph from left to right, so a
//! line holding Hebrew or Arabic is first put in the order its glyphs are seen — Unicode's
//! bidirectional algorithm (`unicode-bidi`) — and Arabic letters are first given their joined
//! forms (initial, medial, final, and the lam-alef ligatures: the presentation forms DejaVu Sans
//! draws, chosen by `ar-reshaper`). Text without either passes through untouched.

use std::borrow::Cow;

use unicode_bidi::BidiInfo;

/// Hebrew, Arabic (with its supplements and presentation forms), Syriac, Thaana and N'Ko: the
/// right-to-left letters a name or a note may hold.
fn is_right_to_left(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

/// Letters whose shape depends on their neighbours.
fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF)
}

/// `text` with its Arabic letters in their joined forms, in logical order: what measuring needs
/// (a joined form has its own width).
pub(crate) fn shaped(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_arabic) {
        Cow::Owned(ar_reshaper::reshape_line(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// One line as it is seen, left to right: joined, then reordered. The line's own first strong
/// letter sets its direction, as a reader expects for a name or a note.
pub(crate) fn visual(line: &str) -> Cow<'_, str> {
    if !line.chars().any(is_right_to_left) {
        return Cow::Borrowed(line);
    }
    let shaped = shaped(line);
    let info = BidiInfo::new(&shaped, None);
    let mut seen = String::with_capacity(shaped.len());
    for paragraph in &info.paragraphs {
        let (levels, runs) = info.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let text = &shaped[run.clone()];
            if levels[run.start].is_rtl() {
                // A right-to-left run is drawn backwards, its brackets turned to face the right way.
                seen.extend(text.chars().rev().map(mirrored));
            } else {
                seen.push_str(text);
            }
        }
    }
    Cow::Owned(seen)
}

/// The bracket that faces the other way, for a character drawn in a right-to-left run (the pairs
/// a name or a note holds; Unicode's Bidi_Mirroring_Glyph).
fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_passes_through_untouched() {
        assert!(matches!(visual("Zoë Müller (Łódź), €60,000"), Cow::Borrowed(_)));
        assert!(matches!(shaped("Ελληνικά"), Cow::Borrowed(_)));
    }

    #[test]
    fn hebrew_is_drawn_right_to_left_inside_a_left_to_right_line() {
        // "שלום" (shin, lamed, vav, final mem) is seen with the final mem leftmost.
        assert_eq!(visual("שלום"), "םולש");
        assert_eq!(visual("Guest: שלום כהן, room 4"), "Guest: ןהכ םולש, room 4");
        // In a right-to-left line, brackets still open towards what they hold.
        assert_eq!(visual("שרה (מנהלת)"), "(תלהנמ) הרש");
    }

    #[test]
    fn arabic_letters_are_joined_and_drawn_right_to_left() {
        // "سلام": seen initial sin, lam-alef ligature, final-isolated mim — leftmost first.
        let seen: Vec<u32> = visual("سلام").chars().map(|c| c as u32).collect();
        assert_eq!(seen, vec![0xFEE1, 0xFEFC, 0xFEB3], "{seen:x?}");
        // Joining never runs across a space: each word starts and ends on its own.
        let two = visual("سلام سلام");
        assert_eq!(two.chars().filter(|c| *c == '\u{FEB3}').count(), 2, "{two}");
    }
}
