//! `Problem` (one mistake in a course file, located by path, line and column) and
//! `SourceFile`, a course file read as text that turns byte offsets into 1-based positions.

use std::fmt;
use std::path::{Path, PathBuf};

/// One mistake a teacher must fix, printed as `path:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file (or course folder) the mistake is in.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters (not bytes).
    pub column: usize,
    /// Plain English for teachers.
    pub message: String,
}

impl Problem {
    /// A problem at a known position.
    pub fn new(
        path: impl Into<PathBuf>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            line,
            column,
            message: message.into(),
        }
    }

    /// A problem about a whole file or folder: it points at line 1, column 1.
    pub fn whole(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(path, 1, 1, message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// A course file read as UTF-8 text, with a leading byte-order mark removed and Windows line
/// endings turned into `\n` (neither changes line or column numbers as editors show them).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    /// Reads a file; an unreadable or non-UTF-8 file becomes a problem.
    pub fn read(path: &Path) -> Result<Self, Problem> {
        let bytes = std::fs::read(path)
            .map_err(|e| Problem::whole(path, format!("cannot read this file: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let prefix = String::from_utf8_lossy(valid);
            let (line, column) = line_col(&prefix, prefix.len());
            Problem::new(
                path,
                line,
                column,
                "this file is not UTF-8 text; save it again choosing the UTF-8 encoding",
            )
        })?;
        Ok(Self::from_text(path, &text))
    }

    /// Builds a source file from text already in memory (used by tests and imports).
    pub fn from_text(path: &Path, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Self {
            path: path.to_path_buf(),
            text: text.replace("\r\n", "\n"),
        }
    }

    /// A problem at a byte offset in this file.
    pub fn problem(&self, offset: usize, message: impl Into<String>) -> Problem {
        let (line, column) = line_col(&self.text, offset);
        Problem::new(&self.path, line, column, message)
    }

    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        line_col(&self.text, offset).0
    }
}

/// 1-based (line, column) of a byte offset; the column counts characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_print_as_path_line_column_message() {
        let p = Problem::new("courses/a/course.md", 3, 7, "minutes must be more than 0");
        assert_eq!(
            p.to_string(),
            "courses/a/course.md:3:7: minutes must be more than 0"
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a\nđúng x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (2, 1));
        let x = text.find('x').unwrap_or_default();
        assert_eq!(line_col(text, x), (2, 6));
        assert_eq!(line_col(text, 999), (2, 7));
    }

    #[test]
    fn byte_order_mark_and_crlf_are_removed() {
        let f = SourceFile::from_text(Path::new("x.md"), "\u{feff}+++\r\ntitle = \"a\"\r\n");
        assert_eq!(f.text, "+++\ntitle = \"a\"\n");
    }

    #[test]
    fn a_file_that_is_not_utf8_is_a_problem() {
        let dir = std::env::temp_dir().join(format!("hocvuso-utf8-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("latin1.md");
        let _ = std::fs::write(&path, b"ti\xeat\n");
        let err = SourceFile::read(&path).err().map(|p| p.message);
        assert_eq!(
            err.as_deref(),
            Some("this file is not UTF-8 text; save it again choosing the UTF-8 encoding")
        );
        let missing = SourceFile::read(&dir.join("none.md")).err();
        assert!(missing.is_some_and(|p| p.message.starts_with("cannot read this file: ")));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
