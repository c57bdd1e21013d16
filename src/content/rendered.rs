//! `Rendered`: a page body rendered once at load time, kept as segments with their audience
//! so that showing it to a group is only a concatenation.

use super::blocks;
use super::markdown::{self, Context};
use super::problem::Problem;
use crate::groups::Group;

/// Sanitized HTML shown to `audience` (`None` = everyone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub html: String,
    pub audience: Option<Vec<Group>>,
}

impl Segment {
    /// True when a learner of `group` sees this segment; `None` (preview) sees everything.
    pub fn is_visible_to(&self, group: Option<Group>) -> bool {
        match (&self.audience, group) {
            (None, _) | (_, None) => true,
            (Some(groups), Some(g)) => groups.contains(&g),
        }
    }
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    segments: Vec<Segment>,
}

impl Rendered {
    pub fn new(segments: Vec<Segment>) -> Self {
        Self { segments }
    }

    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The HTML a learner of `group` sees; `None` shows every segment, unmarked.
    pub fn html_for(&self, group: Option<Group>) -> String {
        self.segments
            .iter()
            .filter(|s| s.is_visible_to(group))
            .map(|s| s.html.as_str())
            .collect()
    }

    /// Every segment, with group-only ones wrapped in
    /// `<div class="only-for" data-groups="elderly students">…</div>` for teacher previews.
    pub fn html_all_marked(&self) -> String {
        let mut out = String::new();
        for s in &self.segments {
            match &s.audience {
                None => out.push_str(&s.html),
                Some(groups) => {
                    let names: Vec<&str> = groups.iter().map(|g| g.as_str()).collect();
                    out.push_str(&format!(
                        "<div class=\"only-for\" data-groups=\"{}\">{}</div>",
                        names.join(" "),
                        s.html
                    ));
                }
            }
        }
        out
    }
}

/// Splits a body into `::: only` segments and renders each; returns the body and its plain
/// text (for search).
pub(crate) fn render_body(
    ctx: &Context,
    body_offset: usize,
    problems: &mut Vec<Problem>,
) -> (Rendered, String) {
    let mut plain = String::new();
    let mut segments = Vec::new();
    for raw in blocks::split(ctx.file, body_offset, problems) {
        let out = markdown::render(&raw.snippet, ctx, problems);
        plain.push_str(&out.plain);
        plain.push(' ');
        segments.push(Segment {
            html: out.html,
            audience: raw.audience,
        });
    }
    (Rendered { segments }, plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::problem::SourceFile;
    use std::path::Path;

    fn sample() -> Rendered {
        let text = "Chung.\n::: only students\nEm dùng trình quản lý mật khẩu.\n:::\n::: only elderly workers\nBác ghi vào sổ.\n:::\n";
        let file = SourceFile::from_text(Path::new("01-a.md"), text);
        let ctx = Context {
            file: &file,
            slug: "a",
            dir: Path::new("."),
        };
        let mut problems = Vec::new();
        let (rendered, _) = render_body(&ctx, 0, &mut problems);
        assert!(problems.is_empty());
        rendered
    }

    #[test]
    fn an_elderly_learner_does_not_see_a_students_only_block() {
        let html = sample().html_for(Some(Group::Elderly));
        assert_eq!(html, "<p>Chung.</p>\n<p>Bác ghi vào sổ.</p>\n");
        assert!(!html.contains("trình quản lý"));
    }

    #[test]
    fn a_student_sees_the_students_block_only() {
        let html = sample().html_for(Some(Group::Students));
        assert_eq!(
            html,
            "<p>Chung.</p>\n<p>Em dùng trình quản lý mật khẩu.</p>\n"
        );
    }

    #[test]
    fn a_preview_shows_everything_and_can_mark_group_blocks() {
        let r = sample();
        assert!(r.html_for(None).contains("Em dùng") && r.html_for(None).contains("Bác ghi"));
        assert_eq!(
            r.html_all_marked(),
            "<p>Chung.</p>\n\
             <div class=\"only-for\" data-groups=\"students\"><p>Em dùng trình quản lý mật khẩu.</p>\n</div>\
             <div class=\"only-for\" data-groups=\"elderly workers\"><p>Bác ghi vào sổ.</p>\n</div>"
        );
    }
}
