//! Tests for `markdown`: options, image checks and rewriting, sanitizing.

use super::*;
use crate::content::test_support::TempDir;

fn render_in(dir: &Path, md: &str) -> (Html, Vec<String>) {
    let file = SourceFile::from_text(&dir.join("01-a.md"), md);
    let ctx = Context {
        file: &file,
        slug: "an-toan",
        dir,
    };
    let mut problems = Vec::new();
    let out = render(&Snippet::contiguous(md, 0), &ctx, &mut problems);
    let problems = problems
        .iter()
        .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
        .collect();
    (out, problems)
}

#[test]
fn tables_footnotes_strikethrough_and_task_lists_render() {
    let tmp = TempDir::new();
    let md = "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~cũ~~ mới[^1]\n\n- [ ] việc\n- [x] xong\n\n[^1]: Chú thích.\n";
    let (out, problems) = render_in(tmp.path(), md);
    assert!(problems.is_empty());
    assert!(out.html.contains("<td>1</td>"));
    assert!(out.html.contains("<del>cũ</del>"));
    assert!(out.html.contains(
        "<sup class=\"footnote-reference\"><a href=\"#1\" rel=\"noopener noreferrer\">1</a></sup>"
    ));
    assert!(out.html.contains("class=\"footnote-definition\""));
    assert!(out.html.contains("<input type=\"checkbox\" disabled=\"\">"));
    assert!(
        out.html
            .contains("<input type=\"checkbox\" checked=\"\" disabled=\"\">")
    );
}

#[test]
fn images_in_the_course_folder_are_served_from_media() {
    let tmp = TempDir::new();
    tmp.write("images/hai-buoc.svg", "<svg/>");
    let (out, problems) = render_in(tmp.path(), "![Hai bước](images/hai-buoc.svg)\n");
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        out.html,
        "<p><img src=\"/media/an-toan/images/hai-buoc.svg\" alt=\"Hai bước\"></p>\n"
    );
    let (dot, _) = render_in(tmp.path(), "![x](./images/hai-buoc.svg)");
    assert!(dot.html.contains("/media/an-toan/images/hai-buoc.svg"));
}

#[test]
fn image_mistakes_are_reported_where_the_image_starts() {
    let tmp = TempDir::new();
    tmp.write("images/a.svg", "<svg/>");
    let md = "Đây: ![](images/a.svg)\n\n![Ảnh](images/b.svg)\n![Ảnh](https://e.vn/a.png)\n![Ảnh](../x/a.svg)\n![Ảnh]()\n";
    let (_, problems) = render_in(tmp.path(), md);
    assert_eq!(
        problems,
        vec![
            "1:6: image has no alt text; describe the picture between the brackets: ![…](…)",
            "3:1: image \"images/b.svg\" is not in the course folder; check the file name and that the file is there",
            "4:1: image \"https://e.vn/a.png\" must be a file in the course folder, like images/picture.svg, not a web address",
            "5:1: image \"../x/a.svg\" points outside the course folder; keep pictures in the course's images folder",
            "6:1: image has no file path; write it like ![alt text](images/picture.svg)",
        ]
    );
}

#[test]
fn raw_html_is_sanitized() {
    let tmp = TempDir::new();
    let md = "<script>alert(1)</script>\n\n<img src=\"x\" alt=\"a\" onerror=\"alert(2)\">\n\n[bấm](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a>\n";
    let (out, _) = render_in(tmp.path(), md);
    for gone in ["<script", "alert", "onerror", "javascript:"] {
        assert!(!out.html.contains(gone), "{gone} left in {}", out.html);
    }
    assert!(out.html.contains("bấm"));
}

#[test]
fn plain_text_keeps_the_words_only() {
    let tmp = TempDir::new();
    let (out, _) = render_in(tmp.path(), "# Mật khẩu\n\nDùng **câu** dài `abc`.\n");
    assert_eq!(
        out.plain.split_whitespace().collect::<Vec<_>>().join(" "),
        "Mật khẩu Dùng câu dài abc ."
    );
}

#[test]
fn inline_rendering_drops_the_paragraph() {
    let tmp = TempDir::new();
    let file = SourceFile::from_text(&tmp.path().join("q.md"), "");
    let ctx = Context {
        file: &file,
        slug: "a",
        dir: tmp.path(),
    };
    let mut problems = Vec::new();
    let out = render_inline(&Snippet::contiguous("**Bật** 2FA", 0), &ctx, &mut problems);
    assert_eq!(out.html, "<strong>Bật</strong> 2FA");
}

#[test]
fn options_enable_the_documented_extensions() {
    let o = options();
    assert!(o.contains(Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES));
    assert!(o.contains(Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS));
}
