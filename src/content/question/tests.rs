//! Tests for the question bank: the README's example parses, every mistake is reported with
//! its message at its line and column, and short answers match as documented.

use super::*;
use crate::content::test_support::TempDir;

const README_BANK: &str = "## mk-01\ntype: single\ntags: tt02-4.2\n\nMật khẩu nào an toàn nhất?\n\n- [ ] 123456\n- [x] Con mèo nhà bà Lan ăn cá lúc 7 giờ\n- [ ] Ngày sinh của mình\n\n> Mật khẩu dài như một câu thì khó đoán mà vẫn dễ nhớ.\n\n## mk-02\ntype: multiple\n\nNhững việc nào giúp giữ an toàn tài khoản? (chọn tất cả ý đúng)\n\n- [x] Bật xác thực hai bước\n- [x] Không đọc mã OTP cho ai\n- [ ] Dùng một mật khẩu cho mọi tài khoản\n\n> Xác thực hai bước và giữ bí mật OTP đều bảo vệ tài khoản.\n\n## mk-03\ntype: truefalse\nanswer: sai\n\nNhân viên ngân hàng có thể hỏi mã OTP của bạn qua điện thoại.\n\n> Ngân hàng **không bao giờ** hỏi mã OTP.\n\n## mk-04\ntype: short\nanswer: VNeID\nanswer: ứng dụng VNeID\nignore_diacritics: yes\n\nỨng dụng định danh điện tử quốc gia tên là gì?\n\n> Đó là VNeID, do Bộ Công an quản lý.\n";

fn load_text(text: &str) -> (Vec<Question>, Vec<String>) {
    let tmp = TempDir::new();
    tmp.write("questions.md", text);
    let mut out = Vec::new();
    let qs = load(tmp.path(), "an-toan", &["tt02-4.1".to_string()], &mut out).unwrap_or_default();
    let problems = out
        .iter()
        .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
        .collect();
    (qs, problems)
}

fn problems_of(text: &str) -> Vec<String> {
    load_text(text).1
}

#[test]
fn the_readme_example_bank_parses() {
    let (qs, problems) = load_text(README_BANK);
    assert!(problems.is_empty(), "{problems:?}");
    let kinds: Vec<&str> = qs.iter().map(|q| q.kind.name()).collect();
    assert_eq!(kinds, vec!["single", "multiple", "truefalse", "short"]);
    let first = &qs[0];
    assert_eq!(first.id, "mk-01");
    assert_eq!(first.line, 1);
    assert_eq!(first.tags, vec!["tt02-4.2"]);
    assert_eq!(first.prompt_html, "<p>Mật khẩu nào an toàn nhất?</p>\n");
    assert_eq!(
        first.options_md.get(1).map(String::as_str),
        Some("Con mèo nhà bà Lan ăn cá lúc 7 giờ")
    );
    assert!(
        matches!(&first.kind, QuestionKind::Single { correct: 1, options } if options.len() == 3)
    );
    assert!(
        matches!(&qs[1].kind, QuestionKind::Multiple { correct, .. } if *correct == vec![0, 1])
    );
    assert_eq!(
        qs[1].tags,
        vec!["tt02-4.1"],
        "a question without tags has the course's"
    );
    assert_eq!(qs[2].kind, QuestionKind::TrueFalse { answer: false });
    assert_eq!(
        qs[2].explanation_html,
        "<p>Ngân hàng <strong>không bao giờ</strong> hỏi mã OTP.</p>\n"
    );
    assert_eq!(
        qs[2].explanation_md,
        "Ngân hàng **không bao giờ** hỏi mã OTP."
    );
    assert_eq!(qs[3].line, 32);
}

#[test]
fn short_answers_ignore_case_spaces_and_optionally_diacritics() {
    let (qs, _) = load_text(README_BANK);
    let short = &qs[3].kind;
    assert!(short.short_answer_matches("  vneid "));
    assert!(short.short_answer_matches("Ứng  dụng VNeID"));
    assert!(short.short_answer_matches("ung dung vneid"));
    assert!(!short.short_answer_matches("VNID"));
    assert!(!short.short_answer_matches(""));
    let strict = QuestionKind::Short {
        answers: vec!["Hà Nội".into()],
        ignore_diacritics: false,
    };
    assert!(strict.short_answer_matches("hà nội"));
    assert!(!strict.short_answer_matches("ha noi"));
    assert!(!qs[0].kind.short_answer_matches("123456"));
}

#[test]
fn truefalse_answers_accept_dung_sai_true_false() {
    for (answer, expected) in [
        ("đúng", true),
        ("Đúng", true),
        ("dung", true),
        ("true", true),
        ("sai", false),
        ("false", false),
    ] {
        let (qs, problems) = load_text(&format!(
            "## a\ntype: truefalse\nanswer: {answer}\n\nX?\n\n> Vì.\n"
        ));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(qs[0].kind, QuestionKind::TrueFalse { answer: expected });
    }
}

#[test]
fn file_level_mistakes_are_reported() {
    let tmp = TempDir::new();
    let mut out = Vec::new();
    let _ = load(tmp.path(), "a", &[], &mut out);
    assert_eq!(
        out[0].message,
        "the course has no questions.md; add the question bank for the test"
    );
    assert_eq!(
        problems_of("# Câu hỏi\n"),
        vec!["1:1: questions.md has no questions; each question starts with a line ## id"]
    );
}

#[test]
fn ids_must_be_valid_and_unique() {
    let q = |id: &str| format!("## {id}\ntype: truefalse\nanswer: sai\n\nX?\n\n> Vì.\n\n");
    assert_eq!(
        problems_of(&format!("{}{}", q("mk-01"), q("mk-01"))),
        vec!["9:4: question id \"mk-01\" is already used on line 1"]
    );
    assert_eq!(
        problems_of(&q("câu 1")),
        vec![
            "1:4: invalid question id \"câu 1\"; use letters without diacritics, digits, - or _ (at most 64), like mk-01"
        ]
    );
}

#[test]
fn settings_mistakes_are_reported_at_the_setting() {
    let text = "## a\ntype: short\nanswer: x\nanswer:\nkind: y\ntags: tt02-4.2, tt02-9.9\ntype: short\nignore_diacritics: maybe\n\nX?\n\n> Vì.\n";
    assert_eq!(
        problems_of(text),
        vec![
            "5:1: unknown setting \"kind\"; use one of type, tags, answer, ignore_diacritics",
            "7:1: setting \"type\" is given twice in this question",
            "6:17: unknown competence code \"tt02-9.9\"; use tt02-1.1 … tt02-6.3 or bttt3139-0.1, 0.2, 1.1 … 1.3",
            "4:1: this answer is empty; write the accepted answer after answer:",
            "8:20: ignore_diacritics must be yes or no, not \"maybe\"",
        ]
    );
}

#[test]
fn type_mistakes_are_reported() {
    assert_eq!(
        problems_of("## a\n\nX?\n\n> Vì.\n"),
        vec!["1:1: the question has no type; add a line like type: single under its ## line",]
    );
    assert_eq!(
        problems_of("## a\ntype: essay\n\nX?\n\n> Vì.\n"),
        vec!["2:7: unknown question type \"essay\"; use one of single, multiple, truefalse, short",]
    );
}

#[test]
fn choice_mistakes_are_reported() {
    assert_eq!(
        problems_of("## a\ntype: single\n\nX?\n\n- [x] a\n\n> Vì.\n"),
        vec!["1:1: a single question needs at least 2 options, each on a line like - [ ] …",]
    );
    assert_eq!(
        problems_of("## a\ntype: single\n\nX?\n\n- [x] a\n- [x] b\n\n> Vì.\n"),
        vec!["1:1: a single question needs exactly one right option marked [x]; this one has 2",]
    );
    assert_eq!(
        problems_of("## a\ntype: single\n\nX?\n\n- [ ] a\n- [ ] b\n\n> Vì.\n"),
        vec!["1:1: a single question needs exactly one right option marked [x]; this one has 0",]
    );
    assert_eq!(
        problems_of("## a\ntype: multiple\n\nX?\n\n- [ ] a\n- [ ]\nlạc\n\n> Vì.\n"),
        vec![
            "8:1: unexpected text after the options; the explanation must be a quote: > …",
            "7:1: this option has no text",
            "1:1: a multiple question needs at least one right option marked [x]",
        ]
    );
    assert_eq!(
        problems_of(
            "## a\ntype: single\nanswer: b\nignore_diacritics: yes\n\nX?\n\n- [ ] a\n- [x] b\n\n> Vì.\n"
        ),
        vec![
            "3:1: answer: is only for truefalse and short questions; mark the right options with [x]",
            "4:1: ignore_diacritics is only for short questions",
        ]
    );
}

#[test]
fn truefalse_and_short_mistakes_are_reported() {
    assert_eq!(
        problems_of("## a\ntype: truefalse\n\nX?\n\n- [x] đúng\n- [ ] sai\n\n> Vì.\n"),
        vec![
            "6:1: options (- [ ] …) are only for single and multiple questions",
            "1:1: a truefalse question needs a line answer: đúng or answer: sai",
        ]
    );
    assert_eq!(
        problems_of("## a\ntype: truefalse\nanswer: có\nanswer: sai\n\nX?\n\n> Vì.\n"),
        vec![
            "4:1: a truefalse question takes only one answer: line",
            "3:9: the answer of a truefalse question must be đúng or sai, not \"có\"",
        ]
    );
    assert_eq!(
        problems_of("## a\ntype: short\n\nX?\n\n> Vì.\n"),
        vec!["1:1: a short question needs at least one line answer: …",]
    );
}

#[test]
fn missing_text_and_explanation_are_reported() {
    assert_eq!(
        problems_of("## a\ntype: truefalse\nanswer: sai\n\nX?\n"),
        vec!["1:1: the question has no explanation; add it at the end as a quote: > …",]
    );
    assert_eq!(
        problems_of("## a\ntype: truefalse\nanswer: sai\n\n> Vì.\n"),
        vec!["1:1: the question has no text; write it after the settings and a blank line",]
    );
}

#[test]
fn images_in_questions_are_checked_where_they_are() {
    let problems = problems_of(
        "## a\ntype: truefalse\nanswer: sai\n\nX? ![](images/x.svg)\n\n> Xem ![Ảnh](images/y.svg)\n",
    );
    assert_eq!(
        problems,
        vec![
            "5:4: image has no alt text; describe the picture between the brackets: ![…](…)",
            "5:4: image \"images/x.svg\" is not in the course folder; check the file name and that the file is there",
            "7:7: image \"images/y.svg\" is not in the course folder; check the file name and that the file is there",
        ]
    );
}
