//! `::: only GROUP…` blocks: splits a Markdown body into segments before rendering, each
//! with the groups it is shown to (`None` = everyone). Unknown groups, unclosed, nested or
//! stray block lines become problems at their line and column.

use super::problem::{Problem, SourceFile};
use super::snippet::{Fences, Snippet, lines_with_offsets, words};
use crate::groups::Group;

/// A piece of the body to render, and who sees it.
#[derive(Debug)]
pub(crate) struct RawSegment {
    pub snippet: Snippet,
    pub audience: Option<Vec<Group>>,
}

/// A line that starts with `:::`.
enum Marker<'a> {
    Close,
    Only(Vec<(usize, &'a str)>),
    Other,
}

fn marker(line: &str) -> Option<Marker<'_>> {
    let indent = line.len() - line.trim_start().len();
    let rest = line.trim_start().strip_prefix(":::")?;
    let mut parts = words(rest);
    match parts.first() {
        None => Some(Marker::Close),
        Some((_, "only")) => {
            parts.remove(0);
            let shift = indent + 3;
            Some(Marker::Only(
                parts.into_iter().map(|(o, w)| (o + shift, w)).collect(),
            ))
        }
        Some(_) => Some(Marker::Other),
    }
}

/// Splitting state: where the current segment starts and which block is open.
struct Splitter<'a> {
    file: &'a SourceFile,
    segments: Vec<RawSegment>,
    start: usize,
    open: Option<(usize, Vec<Group>)>,
    nested: usize,
}

impl Splitter<'_> {
    fn flush(&mut self, end: usize, next_start: usize) {
        let text = &self.file.text[self.start..end];
        if !text.trim().is_empty() {
            self.segments.push(RawSegment {
                snippet: Snippet::contiguous(text, self.start),
                audience: self.open.as_ref().map(|(_, groups)| groups.clone()),
            });
        }
        self.start = next_start;
    }

    fn open(&mut self, at: usize, names: &[(usize, &str)], next: usize, out: &mut Vec<Problem>) {
        if let Some((opened_at, _)) = &self.open {
            let line = self.file.line_of(*opened_at);
            out.push(self.file.problem(at, format!(
                "blocks do not nest; close the block opened on line {line} with ::: before starting another"
            )));
            self.nested += 1;
            return;
        }
        if names.is_empty() {
            out.push(self.file.problem(
                at,
                "::: only needs at least one group, like ::: only elderly",
            ));
        }
        let mut groups = Vec::new();
        for (offset, name) in names {
            match Group::parse(name) {
                Ok(g) if !groups.contains(&g) => groups.push(g),
                Ok(_) => {}
                Err(e) => out.push(self.file.problem(at + offset, e.to_string())),
            }
        }
        self.flush(at, next);
        self.open = Some((at, groups));
    }

    fn close(&mut self, at: usize, next: usize, out: &mut Vec<Problem>) {
        if self.nested > 0 {
            self.nested -= 1;
        } else if self.open.is_some() {
            self.flush(at, next);
            self.open = None;
        } else {
            out.push(self.file.problem(
                at,
                "this ::: closes no block; a block starts with a line like ::: only elderly",
            ));
        }
    }
}

/// Splits the body (which starts at `body_offset` in `file`) into segments.
pub(crate) fn split(
    file: &SourceFile,
    body_offset: usize,
    out: &mut Vec<Problem>,
) -> Vec<RawSegment> {
    let body = &file.text[body_offset..];
    let mut s = Splitter {
        file,
        segments: Vec::new(),
        start: body_offset,
        open: None,
        nested: 0,
    };
    let mut fences = Fences::default();
    for (at, line) in lines_with_offsets(body, body_offset) {
        if fences.is_code(line) {
            continue;
        }
        let next = (at + line.len() + 1).min(file.text.len());
        match marker(line) {
            None => {}
            Some(Marker::Close) => s.close(at, next, out),
            Some(Marker::Only(names)) => s.open(at, &names, next, out),
            Some(Marker::Other) => out.push(file.problem(
                at,
                format!(
                    "unknown block \"{}\"; the only kind of block is ::: only GROUP…",
                    line.trim()
                ),
            )),
        }
    }
    if let Some((opened_at, _)) = &s.open {
        out.push(file.problem(
            *opened_at,
            "this block is never closed; end it with a line containing only :::",
        ));
    }
    s.flush(file.text.len(), file.text.len());
    s.segments
}

#[cfg(test)]
#[path = "blocks_tests.rs"]
mod tests;
