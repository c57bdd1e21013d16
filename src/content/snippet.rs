//! Pieces of a file handed to the Markdown renderer: `Snippet` keeps the text to render and
//! maps its byte offsets back to the file, so a problem found while rendering (an image
//! without alt text, say) points at the right line and column. Also line iteration with
//! offsets and fenced-code tracking, shared by the `::: only` splitter and the question bank.

/// Text to render plus the map from its offsets to offsets in the source file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Snippet {
    pub text: String,
    /// `(offset in text, offset in file)` at the start of each piece, in order.
    pieces: Vec<(usize, usize)>,
}

impl Snippet {
    /// A slice of the file that starts at `file_offset`.
    pub fn contiguous(text: &str, file_offset: usize) -> Self {
        Self {
            text: text.to_string(),
            pieces: vec![(0, file_offset)],
        }
    }

    /// Lines taken from different places in the file (e.g. a quote without its `>`), joined
    /// with `\n`; each item is the line's text and its offset in the file.
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = (&'a str, usize)>) -> Self {
        let mut snippet = Self::default();
        for (line, file_offset) in lines {
            if !snippet.pieces.is_empty() {
                snippet.text.push('\n');
            }
            snippet.pieces.push((snippet.text.len(), file_offset));
            snippet.text.push_str(line);
        }
        snippet
    }

    /// The file offset of a byte offset in `text`.
    pub fn file_offset(&self, offset: usize) -> usize {
        let piece = self
            .pieces
            .iter()
            .rev()
            .find(|(text_offset, _)| *text_offset <= offset);
        piece.map_or(0, |(text_offset, file_offset)| {
            file_offset + (offset - text_offset)
        })
    }
}

/// The lines of `text` (without their `\n`) with the file offset of each line's start.
pub(crate) fn lines_with_offsets(text: &str, base: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = base;
    text.split_inclusive('\n').map(move |raw| {
        let start = offset;
        offset += raw.len();
        (start, raw.strip_suffix('\n').unwrap_or(raw))
    })
}

/// The whitespace-separated words of `s` with their byte offsets in `s`.
pub(crate) fn words(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push((st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// Tracks fenced code blocks (```` ``` ```` or `~~~`) so that lines inside them are never
/// taken for block markers or question headings.
#[derive(Debug, Default)]
pub(crate) struct Fences {
    open: Option<(char, usize)>,
}

impl Fences {
    /// Feeds one line; returns true when the line is code (a fence or inside one).
    pub fn is_code(&mut self, line: &str) -> bool {
        let trimmed = line.trim_start();
        let fence = ['`', '~']
            .into_iter()
            .map(|c| (c, trimmed.chars().take_while(|x| *x == c).count()))
            .find(|(_, n)| *n >= 3);
        match (self.open, fence) {
            (None, Some(found)) => {
                self.open = Some(found);
                true
            }
            (Some((c, n)), Some((fc, fnum))) if c == fc && fnum >= n => {
                self.open = None;
                true
            }
            (open, _) => open.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_of_joined_lines_map_back_to_the_file() {
        let s = Snippet::from_lines([("ab", 10), ("cd", 20)]);
        assert_eq!(s.text, "ab\ncd");
        assert_eq!(s.file_offset(1), 11);
        assert_eq!(s.file_offset(3), 20);
        assert_eq!(s.file_offset(4), 21);
        assert_eq!(Snippet::contiguous("xyz", 5).file_offset(2), 7);
    }

    #[test]
    fn lines_carry_their_offsets() {
        let lines: Vec<_> = lines_with_offsets("a\nbc\n\nd", 3).collect();
        assert_eq!(lines, vec![(3, "a"), (5, "bc"), (8, ""), (9, "d")]);
    }

    #[test]
    fn words_carry_their_offsets() {
        assert_eq!(words(" only  a b"), vec![(1, "only"), (7, "a"), (9, "b")]);
        assert!(words("  ").is_empty());
    }

    #[test]
    fn lines_inside_fenced_code_are_code() {
        let mut f = Fences::default();
        let code: Vec<bool> = ["x", "```md", "::: only x", "~~~", "```", "y"]
            .iter()
            .map(|l| f.is_code(l))
            .collect();
        assert_eq!(code, vec![false, true, true, true, true, false]);
    }
}
