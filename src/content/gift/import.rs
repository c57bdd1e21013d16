//! GIFT import: reads Moodle GIFT text and writes our `questions.md` format for single and
//! multiple choice, true/false and short answer, with `####` general feedback as the
//! explanation and `// [tag:…]` comments as tags. Essay, matching, numerical and
//! description items are listed as not converted.

use super::write::{Kind, UsedIds, render, unique_id};
use super::{find_unescaped, unescape};

/// One GIFT item: the lines between blank lines, without comments.
struct Item {
    number: usize,
    tags: Vec<String>,
    text: String,
}

/// An answer of the block: `=` or `~`, optional `%weight%`, text, optional `#feedback`.
struct Entry {
    marker: u8,
    weight: Option<f64>,
    text: String,
    has_feedback: bool,
}

/// Our `questions.md` text, and the notes: what was not converted (and why) or lost.
pub fn import(text: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut notes = Vec::new();
    let mut used_ids = UsedIds::default();
    for item in items(text) {
        let (title, rest) = split_title(&item.text);
        let label = match &title {
            Some(t) => format!("question {} \"{t}\"", item.number),
            None => format!("question {}", item.number),
        };
        match convert(rest) {
            Ok((prompt, kind, explanation, lost)) => {
                let id = unique_id(title.as_deref(), item.number, &mut used_ids);
                notes.extend(
                    lost.into_iter()
                        .map(|l| format!("{label}: converted, but {l}")),
                );
                if explanation.is_none() {
                    notes.push(format!("{label}: converted, but it has no general feedback (####); write its explanation (> …) before checking the course"));
                }
                out.push_str(&render(
                    &id,
                    &item.tags,
                    &prompt,
                    &kind,
                    explanation.as_deref(),
                ));
            }
            Err(reason) => notes.push(format!("{label}: not converted: {reason}")),
        }
    }
    (out, notes)
}

fn items(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut tags = Vec::new();
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let t = line.trim();
        if t.starts_with("//") {
            tags.extend(
                t.split("[tag:")
                    .skip(1)
                    .filter_map(|s| s.split_once(']'))
                    .map(|(tag, _)| tag.trim().to_string()),
            );
        } else if t.starts_with("$CATEGORY:") {
        } else if !t.is_empty() {
            lines.push(line);
        } else if !lines.is_empty() {
            items.push(Item {
                number: items.len() + 1,
                tags: std::mem::take(&mut tags),
                text: lines.join("\n"),
            });
            lines.clear();
        }
    }
    items
}

fn split_title(text: &str) -> (Option<String>, &str) {
    let t = text.trim_start();
    let title_end = |after: &'_ str| find_unescaped(after, "::").first().copied();
    if let Some((after, end)) = t
        .strip_prefix("::")
        .and_then(|after| title_end(after).map(|end| (after, end)))
    {
        return (Some(unescape(after[..end].trim())), &after[end + 2..]);
    }
    (None, t)
}

type Converted = (String, Kind, Option<String>, Vec<String>);

fn convert(rest: &str) -> Result<Converted, String> {
    let mut rest = rest.trim_start();
    for format in ["[html]", "[moodle]", "[plain]", "[markdown]"] {
        rest = rest.strip_prefix(format).unwrap_or(rest);
    }
    let open = *find_unescaped(rest, "{")
        .first()
        .ok_or("it has no answer block {…} (a description, not a question)")?;
    let close = find_unescaped(rest, "}")
        .into_iter()
        .find(|c| *c > open)
        .ok_or("its answer block {… is never closed")?;
    let (before, inner, after) = (&rest[..open], &rest[open + 1..close], &rest[close + 1..]);
    let (kind, explanation, mut lost) = classify(inner)?;
    let mut prompt = unescape(before.trim());
    if !after.trim().is_empty() {
        prompt = format!("{prompt} _____ {}", unescape(after.trim()));
        lost.push("the answer was in the middle of the text; the gap is shown as _____".into());
    }
    Ok((prompt, kind, explanation, lost))
}

fn classify(inner: &str) -> Result<(Kind, Option<String>, Vec<String>), String> {
    let trimmed = inner.trim();
    if trimmed.is_empty() {
        return Err("essay questions are not supported".into());
    }
    if trimmed.starts_with('#') {
        return Err("numerical questions are not supported".into());
    }
    let (answers, explanation) = match find_unescaped(inner, "####").first() {
        Some(i) => (
            &inner[..*i],
            Some(unescape(inner[i + 4..].trim())).filter(|e| !e.is_empty()),
        ),
        None => (inner, None),
    };
    let answers = answers.trim();
    let mut lost = Vec::new();
    let head = answers
        .split('#')
        .next()
        .unwrap_or("")
        .trim()
        .to_uppercase();
    if let Some(value) = match head.as_str() {
        "T" | "TRUE" => Some(true),
        "F" | "FALSE" => Some(false),
        _ => None,
    } {
        if answers.contains('#') {
            lost.push("its per-answer feedback was dropped".to_string());
        }
        return Ok((Kind::TrueFalse(value), explanation, lost));
    }
    let entries = entries(answers)?;
    if entries.iter().any(|e| e.has_feedback) {
        lost.push("its per-answer feedback was dropped".to_string());
    }
    Ok((choose_kind(entries, &mut lost)?, explanation, lost))
}

fn choose_kind(entries: Vec<Entry>, lost: &mut Vec<String>) -> Result<Kind, String> {
    if entries.iter().any(|e| e.text.contains("->")) {
        return Err("matching questions are not supported".into());
    }
    if entries.iter().all(|e| e.marker == b'=') {
        let full = |e: &Entry| e.weight.is_none_or(|w| w >= 100.0);
        if entries.iter().any(|e| !full(e)) {
            lost.push("answers with partial credit were dropped".to_string());
        }
        let answers: Vec<String> = entries
            .into_iter()
            .filter(full)
            .map(|e| e.text.replace('\n', " "))
            .collect();
        return if answers.is_empty() {
            Err("it has no fully right answer".into())
        } else {
            Ok(Kind::Short(answers))
        };
    }
    let weighted = entries
        .iter()
        .any(|e| e.marker == b'~' && e.weight.is_some_and(|w| w > 0.0));
    let options: Vec<(bool, String)> = entries
        .into_iter()
        .map(|e| {
            let right = if e.marker == b'=' {
                e.weight.is_none_or(|w| w > 0.0)
            } else {
                e.weight.is_some_and(|w| w > 0.0)
            };
            (right, e.text.replace('\n', " "))
        })
        .collect();
    match options.iter().filter(|(right, _)| *right).count() {
        0 => Err("none of its answers is marked right".into()),
        1 if !weighted => Ok(Kind::Single(options)),
        _ => Ok(Kind::Multiple(options)),
    }
}

fn entries(answers: &str) -> Result<Vec<Entry>, String> {
    let mut starts: Vec<usize> = find_unescaped(answers, "=");
    starts.extend(find_unescaped(answers, "~"));
    starts.sort_unstable();
    if starts
        .first()
        .is_none_or(|s| !answers[..*s].trim().is_empty())
    {
        return Err("its answer block could not be read".into());
    }
    let ends = starts
        .iter()
        .skip(1)
        .copied()
        .chain(std::iter::once(answers.len()));
    let mut out = Vec::new();
    for (start, end) in starts.iter().zip(ends) {
        let mut body = answers[start + 1..end].trim_start();
        let mut weight = None;
        if let Some((w, rest)) = body.strip_prefix('%').and_then(|b| b.split_once('%')) {
            weight = Some(
                w.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("unreadable weight %{w}%"))?,
            );
            body = rest;
        }
        let feedback_at = find_unescaped(body, "#").first().copied();
        let text = feedback_at.map_or(body, |i| &body[..i]);
        out.push(Entry {
            marker: answers.as_bytes()[*start],
            weight,
            text: unescape(text.trim()),
            has_feedback: feedback_at.is_some(),
        });
    }
    Ok(out)
}
