//! Search across course and lesson text that ignores case and Vietnamese diacritics, so
//! "an toan mat khau" finds "an toàn mật khẩu". Built once per catalog load.

use std::sync::Arc;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::content::Course;

/// Folds one character: lower case, diacritics dropped, đ → d. Always one character, so
/// positions in the folded text are positions in the original.
fn fold_char(c: char) -> char {
    if c == 'đ' || c == 'Đ' {
        return 'd';
    }
    let base = c
        .to_string()
        .nfd()
        .find(|ch| !unicode_normalization::char::is_combining_mark(*ch))
        .unwrap_or(c);
    base.to_lowercase().next().unwrap_or(base)
}

pub fn fold(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

/// Text of an HTML fragment, tags dropped, entities for &, <, >, " and ' decoded, and
/// whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Debug)]
struct Entry {
    course: Arc<Course>,
    /// 0 for the course itself, else the lesson number.
    lesson: u32,
    title: String,
    title_folded: String,
    text: Vec<char>,
    folded: Vec<char>,
}

#[derive(Debug, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

/// One search result, ready for a template.
#[derive(Debug, Serialize)]
pub struct Hit {
    pub course_title: String,
    pub title: String,
    pub url: String,
    pub snippet: String,
}

fn find(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len()).find(|&i| hay[i..i + needle.len()] == *needle)
}

impl SearchIndex {
    pub fn build(courses: &[Arc<Course>]) -> SearchIndex {
        let mut entries = Vec::new();
        for course in courses {
            let text = format!(
                "{} {}",
                course.summary,
                plain_text(&course.intro.html_for(None))
            );
            entries.push(Entry::new(course, 0, &course.title, &text));
            for lesson in &course.lessons {
                let text = plain_text(&lesson.body.html_for(None));
                entries.push(Entry::new(course, lesson.number, &lesson.title, &text));
            }
        }
        SearchIndex { entries }
    }

    /// Entries containing every word of the query, titles first; at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let terms: Vec<Vec<char>> = fold(query)
            .split_whitespace()
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().collect())
            .collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(usize, &Entry)> = self
            .entries
            .iter()
            .filter_map(|e| e.score(&terms).map(|s| (s, e)))
            .collect();
        scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
        scored
            .into_iter()
            .take(limit)
            .map(|(_, e)| e.hit(&terms))
            .collect()
    }
}

impl Entry {
    fn new(course: &Arc<Course>, lesson: u32, title: &str, text: &str) -> Entry {
        let text: Vec<char> = text.chars().collect();
        let folded = text.iter().map(|&c| fold_char(c)).collect();
        Entry {
            course: course.clone(),
            lesson,
            title: title.to_owned(),
            title_folded: fold(title),
            text,
            folded,
        }
    }

    fn score(&self, terms: &[Vec<char>]) -> Option<usize> {
        let title: Vec<char> = self.title_folded.chars().collect();
        let mut score = 0;
        for t in terms {
            let in_title = find(&title, t).is_some();
            let in_text = find(&self.folded, t).is_some();
            if !in_title && !in_text {
                return None;
            }
            score += if in_title { 3 } else { 1 };
        }
        Some(score)
    }

    fn hit(&self, terms: &[Vec<char>]) -> Hit {
        let at = terms
            .iter()
            .find_map(|t| find(&self.folded, t))
            .unwrap_or(0);
        let start = at.saturating_sub(60);
        let end = (at + 140).min(self.text.len());
        let mut snippet: String = self.text[start..end].iter().collect();
        if start > 0 {
            snippet.insert(0, '…');
        }
        if end < self.text.len() {
            snippet.push('…');
        }
        let url = if self.lesson == 0 {
            format!("/courses/{}", self.course.slug)
        } else {
            format!("/courses/{}/lessons/{}", self.course.slug, self.lesson)
        };
        Hit {
            course_title: self.course.title.clone(),
            title: self.title.clone(),
            url,
            snippet,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_positions_and_drops_marks() {
        assert_eq!(
            fold("An toàn MẬT KHẨU, Đăng nhập"),
            "an toan mat khau, dang nhap"
        );
        let s = "Mật khẩu";
        assert_eq!(fold(s).chars().count(), s.chars().count());
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            plain_text("<p>Tôm &amp; cua</p>\n<p>x &lt; y</p>"),
            "Tôm & cua x < y"
        );
    }
}
