//! Markdown to sanitized HTML. One function builds the parser options so every page renders
//! alike; images are checked (alt text, file in the course folder) and their `images/…`
//! paths rewritten to `/media/<course-slug>/images/…`; the result goes through `sanitize`.

use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use super::problem::{Problem, SourceFile};
use super::sanitize;
use super::snippet::Snippet;

/// The parser options used for every piece of course Markdown.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Where rendered Markdown comes from: the file (for problems) and its course.
pub(crate) struct Context<'a> {
    pub file: &'a SourceFile,
    pub slug: &'a str,
    pub dir: &'a Path,
}

/// Rendered Markdown: sanitized HTML plus its words as plain text (for search).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Html {
    pub html: String,
    pub plain: String,
}

/// An image being read: index of its start event, its offset in the snippet, its alt text.
struct OpenImage {
    index: usize,
    offset: usize,
    alt: String,
}

/// Renders a block of Markdown; image problems are added to `problems`.
pub(crate) fn render(snippet: &Snippet, ctx: &Context, problems: &mut Vec<Problem>) -> Html {
    let mut events: Vec<Event> = Vec::new();
    let mut plain = String::new();
    let mut image: Option<OpenImage> = None;
    for (event, range) in Parser::new_ext(&snippet.text, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Image { .. }) => {
                image = Some(OpenImage {
                    index: events.len(),
                    offset: range.start,
                    alt: String::new(),
                });
            }
            Event::End(TagEnd::Image) => {
                if let Some(open) = image.take() {
                    let at = ctx.file.problem(snippet.file_offset(open.offset), "");
                    finish_image(&mut events, &open, ctx, at, problems);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                plain.push_str(t);
                plain.push(' ');
                if let Some(open) = image.as_mut() {
                    open.alt.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            _ => {}
        }
        events.push(event);
    }
    let mut raw = String::new();
    html::push_html(&mut raw, events.into_iter());
    Html {
        html: sanitize::clean(&raw),
        plain,
    }
}

/// Renders one line of Markdown (an answer option) without the surrounding paragraph.
pub(crate) fn render_inline(snippet: &Snippet, ctx: &Context, problems: &mut Vec<Problem>) -> Html {
    let mut out = render(snippet, ctx, problems);
    let inner = out
        .html
        .trim_end()
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .filter(|s| !s.contains("<p>"));
    if let Some(inner) = inner {
        out.html = inner.to_string();
    }
    out
}

/// Checks an image's alt text and path and rewrites its URL to the media route.
fn finish_image(
    events: &mut [Event],
    open: &OpenImage,
    ctx: &Context,
    at: Problem,
    problems: &mut Vec<Problem>,
) {
    if open.alt.trim().is_empty() {
        problems.push(Problem {
            message: "image has no alt text; describe the picture between the brackets: ![…](…)"
                .to_string(),
            ..at.clone()
        });
    }
    if let Some(Event::Start(Tag::Image { dest_url, .. })) = events.get_mut(open.index) {
        match media_url(dest_url, ctx) {
            Ok(url) => *dest_url = CowStr::from(url),
            Err(message) => problems.push(Problem { message, ..at }),
        }
    }
}

/// The URL an image in the course folder is served at, or why the path is refused.
fn media_url(url: &str, ctx: &Context) -> Result<String, String> {
    let path = url.strip_prefix("./").unwrap_or(url);
    if path.is_empty() {
        return Err("image has no file path; write it like ![alt text](images/picture.svg)".into());
    }
    if path.contains(':') || path.starts_with('/') {
        return Err(format!(
            "image \"{url}\" must be a file in the course folder, like images/picture.svg, not a web address"
        ));
    }
    if path.split('/').any(|part| part == "..") {
        return Err(format!(
            "image \"{url}\" points outside the course folder; keep pictures in the course's images folder"
        ));
    }
    if !ctx.dir.join(path).is_file() {
        return Err(format!(
            "image \"{url}\" is not in the course folder; check the file name and that the file is there"
        ));
    }
    Ok(format!("/media/{}/{path}", ctx.slug))
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
