//! Splits `questions.md` into raw questions: the `## id` heading, the `key: value` settings
//! under it, and the body lines after the blank line. Text before the first question is
//! ignored (a title or notes for teachers).

use crate::content::problem::{Problem, SourceFile};
use crate::content::snippet::{Fences, lines_with_offsets};

/// One `key: value` line; offsets are in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Setting<'a> {
    /// Lower-cased.
    pub key: String,
    pub value: &'a str,
    pub key_at: usize,
    pub value_at: usize,
}

/// A question as written, before any check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawQuestion<'a> {
    pub heading_at: usize,
    pub id: &'a str,
    pub id_at: usize,
    pub settings: Vec<Setting<'a>>,
    /// Lines after the settings, with their offsets.
    pub body: Vec<(usize, &'a str)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    BeforeSettings,
    Settings,
    Body,
}

/// Reads `key: value` where the key is ASCII letters and `_`.
pub(crate) fn parse_setting(line: &str, at: usize) -> Option<Setting<'_>> {
    let (key, rest) = line.split_once(':')?;
    let key_trimmed = key.trim();
    let is_key = !key_trimmed.is_empty()
        && key_trimmed
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '_');
    if !is_key {
        return None;
    }
    let value = rest.trim();
    let value_start = key.len() + 1 + (rest.len() - rest.trim_start().len());
    Some(Setting {
        key: key_trimmed.to_ascii_lowercase(),
        value,
        key_at: at + (key.len() - key.trim_start().len()),
        value_at: at + value_start,
    })
}

/// Splits the file into raw questions; a `##` heading without its space is a problem.
pub(crate) fn split<'a>(file: &'a SourceFile, out: &mut Vec<Problem>) -> Vec<RawQuestion<'a>> {
    let mut questions: Vec<RawQuestion> = Vec::new();
    let mut fences = Fences::default();
    let mut phase = Phase::Body;
    for (at, line) in lines_with_offsets(&file.text, 0) {
        let code = fences.is_code(line);
        if !code {
            if let Some(rest) = line.strip_prefix("## ") {
                let id = rest.trim();
                let id_at = at + 3 + (rest.len() - rest.trim_start().len());
                questions.push(RawQuestion {
                    heading_at: at,
                    id,
                    id_at,
                    settings: Vec::new(),
                    body: Vec::new(),
                });
                phase = Phase::BeforeSettings;
                continue;
            }
            if line.starts_with("##") && !line.starts_with("###") && line.trim().len() > 2 {
                out.push(file.problem(
                    at,
                    "write a space after ## to start a question, like ## mk-01",
                ));
            }
        }
        let Some(q) = questions.last_mut() else {
            continue;
        };
        if phase == Phase::Body || code {
            phase = Phase::Body;
            q.body.push((at, line));
        } else if line.trim().is_empty() {
            if phase == Phase::Settings {
                phase = Phase::Body;
            }
        } else if let Some(setting) = parse_setting(line, at) {
            q.settings.push(setting);
            phase = Phase::Settings;
        } else {
            if phase == Phase::Settings {
                out.push(file.problem(at, "expected a setting like type: single here; leave a blank line between the settings and the question text"));
            }
            phase = Phase::Body;
            q.body.push((at, line));
        }
    }
    questions
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn settings_lines_give_key_value_and_offsets() {
        let s = parse_setting("Type:  single ", 10);
        assert_eq!(
            s,
            Some(Setting {
                key: "type".into(),
                value: "single",
                key_at: 10,
                value_at: 17
            })
        );
        assert_eq!(parse_setting("Lưu ý: x", 0), None);
        assert_eq!(parse_setting("no colon", 0), None);
    }

    #[test]
    fn questions_split_into_heading_settings_and_body() {
        let text = "# Ngân hàng\n\n## mk-01\ntype: single\ntags: tt02-4.2\n\nHỏi?\n\n- [x] a\n## mk-02\n\ntype: short\n";
        let file = SourceFile::from_text(Path::new("questions.md"), text);
        let mut out = Vec::new();
        let qs = split(&file, &mut out);
        assert!(out.is_empty());
        assert_eq!(qs.len(), 2);
        assert_eq!(
            qs.first().map(|q| (q.id, q.settings.len(), q.body.len())),
            Some(("mk-01", 2, 3))
        );
        assert_eq!(
            qs.get(1).map(|q| (q.id, q.settings.len())),
            Some(("mk-02", 1))
        );
    }

    #[test]
    fn a_heading_without_space_and_text_glued_to_settings_are_problems() {
        let text = "##mk-01\n## mk-02\ntype: single\nHỏi?\n";
        let file = SourceFile::from_text(Path::new("questions.md"), text);
        let mut out = Vec::new();
        let qs = split(&file, &mut out);
        let msgs: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            vec![
                "questions.md:1:1: write a space after ## to start a question, like ## mk-01",
                "questions.md:4:1: expected a setting like type: single here; leave a blank line between the settings and the question text",
            ]
        );
        assert_eq!(qs.first().map(|q| q.body.clone()), Some(vec![(30, "Hỏi?")]));
    }
}
