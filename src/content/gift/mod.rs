//! Moodle GIFT, both ways: `export` writes a course's question bank as GIFT so it can be used
//! in Moodle; `import` turns GIFT into our `questions.md` format for the types both know
//! (single and multiple choice, true/false, short answer). Everything else is listed as not
//! converted, with the reason, so a teacher knows what to redo by hand.

mod export;
mod import;
mod write;

pub use export::export;
pub use import::import;

/// GIFT's special characters, escaped with `\`.
const SPECIAL: [char; 7] = ['~', '=', '#', '{', '}', ':', '\\'];

/// Escapes text for GIFT; newlines become `\n`.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\n' {
            out.push_str("\\n");
            continue;
        }
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Undoes `escape`: `\~` → `~`…, `\n` → newline; other backslashes are kept.
pub(crate) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            ('\\', Some('n')) => {
                chars.next();
                out.push('\n');
            }
            ('\\', Some(next)) if SPECIAL.contains(&next) => {
                chars.next();
                out.push(next);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Byte positions in `s` where `pattern` starts and is not escaped by a backslash.
pub(crate) fn find_unescaped(s: &str, pattern: &str) -> Vec<usize> {
    let bytes = s.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(pattern.as_bytes()) {
            found.push(i);
            i += pattern.len();
            continue;
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests;
