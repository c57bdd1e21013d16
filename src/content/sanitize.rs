//! The one HTML cleaner: everything rendered from course Markdown passes through here.
//! Keeps ordinary formatting, tables, images, links (with `rel="noopener noreferrer"`),
//! footnotes and disabled task-list checkboxes; drops scripts, styles, iframes, event
//! handlers and `javascript:` URLs.

use std::borrow::Cow;
use std::sync::LazyLock;

use ammonia::Builder;

static CLEANER: LazyLock<Builder<'static>> = LazyLock::new(build);

fn build() -> Builder<'static> {
    let mut b = Builder::default();
    b.add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked"])
        .set_tag_attribute_value("input", "disabled", "")
        .add_tag_attributes("div", ["id"])
        .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
        .add_allowed_classes("div", ["footnote-definition"])
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" => None,
            _ => Some(Cow::Borrowed(value)),
        });
    b
}

/// Cleans HTML rendered from course Markdown.
pub(crate) fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_event_handlers_and_javascript_links_are_removed() {
        let out = clean(
            "<p>a<script>alert(1)</script><img src=\"x.png\" alt=\"x\" onerror=\"alert(2)\">\
             <a href=\"javascript:alert(3)\">b</a><iframe src=\"https://e.vn\"></iframe>\
             <style>p{}</style><span style=\"color:red\">c</span></p>",
        );
        for gone in [
            "script",
            "alert",
            "onerror",
            "javascript",
            "iframe",
            "style",
        ] {
            assert!(!out.contains(gone), "{gone} left in {out}");
        }
        assert!(out.contains("<img src=\"x.png\" alt=\"x\">"));
    }

    #[test]
    fn links_get_noopener_and_task_boxes_stay_disabled_checkboxes() {
        let out = clean("<a href=\"https://dichvucong.gov.vn\">x</a>");
        assert_eq!(
            out,
            "<a href=\"https://dichvucong.gov.vn\" rel=\"noopener noreferrer\">x</a>"
        );
        let boxes = clean("<input type=\"checkbox\" checked=\"\"><input type=\"text\">");
        assert_eq!(
            boxes,
            "<input type=\"checkbox\" checked=\"\" disabled=\"\"><input disabled=\"\">"
        );
    }

    #[test]
    fn footnote_markup_and_tables_survive() {
        let html = "<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup>\
                    <div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup></div>\
                    <table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>";
        let out = clean(html);
        assert!(out.contains("class=\"footnote-reference\""));
        assert!(out.contains("<div class=\"footnote-definition\" id=\"1\">"));
        assert!(out.contains("<td>b</td>"));
        assert!(!clean("<sup class=\"evil\">x</sup>").contains("evil"));
    }
}
