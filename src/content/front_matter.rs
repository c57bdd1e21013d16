//! Front matter: the TOML settings between two `+++` lines at the top of `course.md` and of
//! each lesson. Splits a file into settings and Markdown body, deserializes the settings, and
//! turns TOML errors into problems that point into the file (offset of the block included).

use serde::de::DeserializeOwned;

use super::problem::{Problem, SourceFile};

/// A file split at its `+++` lines; offsets are byte offsets in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    pub toml: &'a str,
    pub toml_offset: usize,
    pub body: &'a str,
    pub body_offset: usize,
}

/// Splits `text` into its settings block and body.
pub(crate) fn split(file: &SourceFile) -> Result<Split<'_>, Problem> {
    let text = file.text.as_str();
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "+++" {
        return Err(file.problem(
            0,
            "the file must start with a line +++, then the settings, then another line +++",
        ));
    }
    let toml_offset = (first_end + 1).min(text.len());
    let mut offset = toml_offset;
    for line in text[toml_offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_offset = offset + line.len();
            return Ok(Split {
                toml: &text[toml_offset..offset],
                toml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(file.problem(
        0,
        "the settings that start here are never closed; add a line +++ after them",
    ))
}

/// Deserializes the settings block; a TOML error becomes a problem at its place in the file.
pub(crate) fn parse<T: DeserializeOwned>(file: &SourceFile, split: &Split) -> Result<T, Problem> {
    toml::from_str(split.toml).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start) + split.toml_offset;
        file.problem(offset, friendly(e.message()))
    })
}

/// Turns spans inside the settings block into problems at the right place in the file.
pub(crate) struct Spans<'a> {
    pub file: &'a SourceFile,
    pub base: usize,
}

impl Spans<'_> {
    /// A problem at a span reported by `toml::Spanned`.
    pub fn problem(&self, span: std::ops::Range<usize>, message: impl Into<String>) -> Problem {
        self.file.problem(self.base + span.start, message)
    }

    /// A problem about a setting that is missing: at the opening `+++`.
    pub fn missing(&self, message: impl Into<String>) -> Problem {
        self.file.problem(0, message)
    }
}

/// Rewrites the toml crate's messages in words for teachers.
fn friendly(message: &str) -> String {
    let names: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if let (true, Some((field, expected))) =
        (message.starts_with("unknown field"), names.split_first())
    {
        return format!(
            "unknown setting \"{field}\"; use one of {}",
            expected.join(", ")
        );
    }
    if message.starts_with("duplicate key") {
        return "this setting is written twice; keep one".to_string();
    }
    let replacements = [
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected i32", "expected a whole number"),
        (
            "expected a string",
            "expected text in double quotes, like \"…\"",
        ),
        ("expected a boolean", "expected true or false"),
        (
            "expected a sequence",
            "expected a list, like [\"a\", \"b\"]",
        ),
    ];
    let mut out = message.to_string();
    for (from, to) in replacements {
        out = out.replace(from, to);
    }
    format!("cannot read the settings: {out}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn file(text: &str) -> SourceFile {
        SourceFile::from_text(Path::new("c.md"), text)
    }

    #[test]
    fn splits_settings_from_body() {
        let f = file("+++\ntitle = \"a\"\n+++\nBody\n");
        let s = split(&f).ok();
        assert_eq!(
            s.as_ref().map(|s| (s.toml, s.toml_offset)),
            Some(("title = \"a\"\n", 4))
        );
        assert_eq!(s.map(|s| (s.body, s.body_offset)), Some(("Body\n", 20)));
    }

    #[test]
    fn a_missing_or_unclosed_block_is_a_problem() {
        let no_start = split(&file("title = 1\n")).err().map(|p| p.to_string());
        assert_eq!(
            no_start.as_deref(),
            Some(
                "c.md:1:1: the file must start with a line +++, then the settings, then another line +++"
            )
        );
        let unclosed = split(&file("+++\ntitle = 1\n"))
            .err()
            .map(|p| p.to_string());
        assert_eq!(
            unclosed.as_deref(),
            Some(
                "c.md:1:1: the settings that start here are never closed; add a line +++ after them"
            )
        );
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only the errors are tested")]
    struct Front {
        title: Option<String>,
        minutes: Option<u32>,
    }

    fn error_of(text: &str) -> Option<String> {
        let f = file(text);
        let s = split(&f).ok()?;
        parse::<Front>(&f, &s).err().map(|p| p.to_string())
    }

    #[test]
    fn unknown_keys_point_at_the_key_and_list_the_known_ones() {
        assert_eq!(
            error_of("+++\ntitle = \"a\"\n  tilte = \"b\"\n+++\n").as_deref(),
            Some("c.md:3:3: unknown setting \"tilte\"; use one of title, minutes")
        );
    }

    #[test]
    fn wrong_types_and_duplicates_are_explained() {
        assert_eq!(
            error_of("+++\nminutes = -3\n+++\n").as_deref(),
            Some(
                "c.md:2:11: cannot read the settings: invalid value: integer `-3`, expected a whole number, 0 or more"
            )
        );
        assert_eq!(
            error_of("+++\ntitle = 3\n+++\n").as_deref(),
            Some(
                "c.md:2:9: cannot read the settings: invalid type: integer `3`, expected text in double quotes, like \"…\""
            )
        );
        assert_eq!(
            error_of("+++\ntitle = \"a\"\ntitle = \"b\"\n+++\n").as_deref(),
            Some("c.md:3:1: this setting is written twice; keep one")
        );
    }
}
