//! The body of a question, cut into its parts: the prompt, the `- [ ]`/`- [x]` options and
//! the explanation (the last quote, `> …`). Lines keep their file offsets.

/// One answer option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Opt<'a> {
    pub correct: bool,
    pub text: &'a str,
    /// File offset of the line, and of the text after the box.
    pub line_at: usize,
    pub text_at: usize,
}

/// A question body in parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Body<'a> {
    pub prompt: Vec<(usize, &'a str)>,
    pub options: Vec<Opt<'a>>,
    /// The quote's lines without `>`, with the offset of what is left.
    pub explanation: Vec<(usize, &'a str)>,
    /// The first line of unexpected text after the options, if any.
    pub stray: Option<usize>,
}

/// Reads `- [ ] text` / `- [x] text` (also `*`, `+` and `[X]`).
pub(crate) fn parse_option(line: &str, at: usize) -> Option<Opt<'_>> {
    let trimmed = line.trim_start();
    let rest = ["- ", "* ", "+ "]
        .iter()
        .find_map(|b| trimmed.strip_prefix(b))?;
    let (correct, text) = if let Some(t) = rest.strip_prefix("[ ]") {
        (false, t)
    } else if let Some(t) = rest
        .strip_prefix("[x]")
        .or_else(|| rest.strip_prefix("[X]"))
    {
        (true, t)
    } else {
        return None;
    };
    if !(text.is_empty() || text.starts_with(' ')) {
        return None;
    }
    let text_trimmed = text.trim();
    let text_at = at + (line.len() - text.len()) + (text.len() - text.trim_start().len());
    Some(Opt {
        correct,
        text: text_trimmed,
        line_at: at,
        text_at,
    })
}

fn is_quote(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

fn strip_quote((at, line): (usize, &str)) -> (usize, &str) {
    let indent = line.len() - line.trim_start().len();
    let after = line.trim_start().strip_prefix('>').unwrap_or(line);
    let space = usize::from(after.starts_with(' '));
    (at + indent + 1 + space, &after[space..])
}

fn trim_blank<'s, 'a>(lines: &'s [(usize, &'a str)]) -> &'s [(usize, &'a str)] {
    let start = lines
        .iter()
        .position(|(_, l)| !l.trim().is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|(_, l)| !l.trim().is_empty())
        .map_or(start, |i| i + 1);
    &lines[start..end]
}

/// Cuts the body lines of a question into prompt, options and explanation.
pub(crate) fn cut<'a>(lines: &[(usize, &'a str)]) -> Body<'a> {
    let lines = trim_blank(lines);
    let quote_start = lines
        .iter()
        .rposition(|(_, l)| !is_quote(l))
        .map_or(0, |i| i + 1);
    let explanation = lines[quote_start..]
        .iter()
        .map(|l| strip_quote(*l))
        .collect();
    let rest = trim_blank(&lines[..quote_start]);
    let first_option = rest
        .iter()
        .position(|(at, l)| parse_option(l, *at).is_some());
    let (prompt, after) = rest.split_at(first_option.unwrap_or(rest.len()));
    let mut body = Body {
        prompt: trim_blank(prompt).to_vec(),
        explanation,
        ..Body::default()
    };
    for (at, line) in after {
        match parse_option(line, *at) {
            Some(opt) => body.options.push(opt),
            None if line.trim().is_empty() => {}
            None => {
                body.stray.get_or_insert(*at);
            }
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, &str)> {
        crate::content::snippet::lines_with_offsets(text, 0).collect()
    }

    #[test]
    fn options_are_read_with_their_mark() {
        let o = parse_option("- [x] Bật xác thực", 5);
        assert_eq!(
            o.map(|o| (o.correct, o.text, o.text_at)),
            Some((true, "Bật xác thực", 11))
        );
        assert_eq!(parse_option("* [ ] a", 0).map(|o| o.correct), Some(false));
        assert_eq!(parse_option("- [X] a", 0).map(|o| o.correct), Some(true));
        assert_eq!(parse_option("- a", 0), None);
        assert_eq!(parse_option("- [x]a", 0), None);
    }

    #[test]
    fn a_choice_body_has_prompt_options_and_explanation() {
        let text = "\nHỏi gì?\n\n> tin nhắn lạ\n\n- [ ] a\n\n- [x] b\n\n> Vì b.\n>\n> Thêm.\n\n";
        let body = cut(&lines(text));
        assert_eq!(
            body.prompt.iter().map(|l| l.1).collect::<Vec<_>>(),
            vec!["Hỏi gì?", "", "> tin nhắn lạ"]
        );
        assert_eq!(
            body.options.iter().map(|o| o.text).collect::<Vec<_>>(),
            vec!["a", "b"]
        );
        assert_eq!(
            body.explanation.iter().map(|l| l.1).collect::<Vec<_>>(),
            vec!["Vì b.", "", "Thêm."]
        );
        assert_eq!(body.stray, None);
    }

    #[test]
    fn text_after_the_options_is_stray() {
        let body = cut(&lines("Hỏi?\n- [ ] a\nlạc\n- [x] b\n> Vì.\n"));
        assert_eq!(body.stray, Some(15));
        assert_eq!(body.options.len(), 2);
    }

    #[test]
    fn without_a_quote_there_is_no_explanation() {
        let body = cut(&lines("Hỏi?\n"));
        assert!(body.explanation.is_empty());
        assert_eq!(body.prompt, vec![(0, "Hỏi?")]);
    }
}
