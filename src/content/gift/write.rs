//! Writing imported GIFT questions in our `questions.md` format: ids made from GIFT titles
//! (unique, letters without diacritics) and the `## id` / settings / text / options / quote
//! layout of `courses/README.md` §4.

use std::collections::{HashMap, HashSet};

use crate::content::frameworks;
use crate::content::text::fold_diacritics;

/// An imported question's type and answers.
pub(super) enum Kind {
    Single(Vec<(bool, String)>),
    Multiple(Vec<(bool, String)>),
    TrueFalse(bool),
    Short(Vec<String>),
}

/// The ids given so far, and for each base the next number to try after it, so that many
/// questions with the same title still get their ids in linear time.
#[derive(Debug, Default)]
pub(super) struct UsedIds {
    given: HashSet<String>,
    next: HashMap<String, usize>,
}

/// The id base from a GIFT title: letters and digits without diacritics, joined by `-`.
fn title_slug(title: &str) -> String {
    let folded = fold_diacritics(title).to_lowercase();
    let dashed: String = folded
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    dashed
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .take(60)
        .collect()
}

/// An id from the GIFT title (or `q-NN`), made unique among `used`.
pub(super) fn unique_id(title: Option<&str>, number: usize, used: &mut UsedIds) -> String {
    let base = title
        .map(title_slug)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("q-{number:02}"));
    let mut id = base.clone();
    let mut n = used.next.get(&base).copied().unwrap_or(2);
    while used.given.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.next.insert(base, n);
    used.given.insert(id.clone());
    id
}

/// One question in our format, followed by a blank line.
pub(super) fn render(
    id: &str,
    tags: &[String],
    prompt: &str,
    kind: &Kind,
    explanation: Option<&str>,
) -> String {
    let name = match kind {
        Kind::Single(_) => "single",
        Kind::Multiple(_) => "multiple",
        Kind::TrueFalse(_) => "truefalse",
        Kind::Short(_) => "short",
    };
    let mut s = format!("## {id}\ntype: {name}\n");
    let tags: Vec<&str> = tags
        .iter()
        .map(String::as_str)
        .filter(|t| frameworks::is_competence(t))
        .collect();
    if !tags.is_empty() {
        s.push_str(&format!("tags: {}\n", tags.join(", ")));
    }
    match kind {
        Kind::TrueFalse(answer) => s.push_str(if *answer {
            "answer: đúng\n"
        } else {
            "answer: sai\n"
        }),
        Kind::Short(answers) => answers
            .iter()
            .for_each(|a| s.push_str(&format!("answer: {a}\n"))),
        _ => {}
    }
    s.push_str(&format!("\n{prompt}\n\n"));
    if let Kind::Single(options) | Kind::Multiple(options) = kind {
        for (right, text) in options {
            s.push_str(&format!("- [{}] {text}\n", if *right { 'x' } else { ' ' }));
        }
        s.push('\n');
    }
    if let Some(e) = explanation {
        for line in e.lines() {
            s.push_str(&if line.trim().is_empty() {
                ">\n".to_string()
            } else {
                format!("> {line}\n")
            });
        }
        s.push('\n');
    }
    s
}
