//! Tests for GIFT export and import, including a round trip through our format.

use super::*;
use crate::content::question::{self, Question};
use crate::content::test_support::TempDir;

fn load_bank(text: &str) -> (Vec<Question>, Vec<String>) {
    let tmp = TempDir::new();
    tmp.write("questions.md", text);
    let mut out = Vec::new();
    let qs =
        question::load(tmp.path(), "a", &["tt02-4.2".to_string()], &mut out).unwrap_or_default();
    (qs, out.iter().map(ToString::to_string).collect())
}

const BANK: &str = "## mk-01\ntype: single\n\nMật khẩu nào **an toàn** nhất?\n\n- [ ] 123456\n- [x] Con mèo: ăn cá {lúc} 7 giờ\n\n> Dài = khó đoán.\n\n## mk-02\ntype: multiple\ntags: tt02-4.1\n\nViệc nào đúng?\n\n- [x] Bật 2FA\n- [x] Giữ OTP\n- [ ] Dùng lại mật khẩu\n\n> Vì vậy.\n\n## mk-03\ntype: truefalse\nanswer: sai\n\nNgân hàng hỏi OTP.\n\n> Không bao giờ.\n\n## mk-04\ntype: short\nanswer: VNeID\nanswer: ứng dụng VNeID\nignore_diacritics: yes\n\nTên ứng dụng?\n\n> VNeID.\n";

#[test]
fn special_characters_are_escaped_and_unescaped() {
    assert_eq!(
        escape("a~b=c#d{e}f:g\\h\ni"),
        "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    );
    assert_eq!(
        unescape(&escape("a~b=c#d{e}f:g\\h\ni")),
        "a~b=c#d{e}f:g\\h\ni"
    );
    assert_eq!(find_unescaped("=a \\= b =c", "="), vec![0, 8]);
}

#[test]
fn export_writes_each_kind_in_gift() {
    let (qs, problems) = load_bank(BANK);
    assert!(problems.is_empty(), "{problems:?}");
    let (gift, skipped) = export(&qs);
    assert!(skipped.is_empty());
    let expected = "// [tag:tt02-4.2]\n::mk-01::[markdown]Mật khẩu nào **an toàn** nhất?{\n\t~123456\n\t=Con mèo\\: ăn cá \\{lúc\\} 7 giờ\n####Dài \\= khó đoán.}\n\n\
// [tag:tt02-4.1]\n::mk-02::[markdown]Việc nào đúng?{\n\t~%50%Bật 2FA\n\t~%50%Giữ OTP\n\t~%-100%Dùng lại mật khẩu\n####Vì vậy.}\n\n\
// [tag:tt02-4.2]\n::mk-03::[markdown]Ngân hàng hỏi OTP.{F####Không bao giờ.}\n\n\
// [tag:tt02-4.2]\n::mk-04::[markdown]Tên ứng dụng?{=VNeID =ứng dụng VNeID =ung dung VNeID ####VNeID.}\n\n";
    assert_eq!(gift, expected);
}

#[test]
fn export_skips_questions_with_pictures() {
    let tmp = TempDir::new();
    tmp.write("images/a.svg", "<svg/>");
    tmp.write(
        "questions.md",
        "## p1\ntype: truefalse\nanswer: sai\n\nXem ![Ảnh](images/a.svg)\n\n> Vì.\n",
    );
    let mut out = Vec::new();
    let qs = question::load(tmp.path(), "a", &[], &mut out).unwrap_or_default();
    let (gift, skipped) = export(&qs);
    assert_eq!(gift, "");
    assert_eq!(
        skipped,
        vec!["p1: it has a picture, which GIFT cannot carry; add it in Moodle by hand"]
    );
}

#[test]
fn a_bank_survives_export_and_import() {
    let (qs, _) = load_bank(BANK);
    let (gift, _) = export(&qs);
    let (md, notes) = import(&gift);
    assert!(notes.is_empty(), "{notes:?}");
    let (again, problems) = load_bank(&md);
    assert!(problems.is_empty(), "{problems:?}\n{md}");
    assert_eq!(again.len(), 4);
    for (a, b) in qs.iter().zip(&again) {
        assert_eq!(
            (
                &a.id,
                &a.prompt_md,
                &a.explanation_md,
                &a.options_md,
                &a.tags
            ),
            (
                &b.id,
                &b.prompt_md,
                &b.explanation_md,
                &b.options_md,
                &b.tags
            )
        );
    }
    assert_eq!(again[0].kind, qs[0].kind);
    assert_eq!(again[1].kind, qs[1].kind);
    assert_eq!(again[2].kind, qs[2].kind);
    assert!(again[3].kind.short_answer_matches("ung dung vneid"));
}

const MOODLE: &str = "$CATEGORY: $course$/Mật khẩu\n\n// một câu chọn một\n::Câu 1: Mật khẩu::Mật khẩu nào tốt? {\n  ~123456#Quá dễ\n  =Một câu dài\n  ####Câu dài thì khó đoán.\n}\n\n::Thủ đô::Thủ đô của Việt Nam là {=Hà Nội =%50%Ha Noi} mà.\n\nViết một đoạn về mật khẩu. {}\n\n::Ghép::Ghép đôi {=a -> 1 =b -> 2}\n\n::Số::2+2? {#4}\n\nChỉ là mô tả.\n\nChọn các ý đúng {~%50%A ~%50%B ~%-100%C}\n\n::Câu 1: Mật khẩu::Trời mưa {TRUE####Đúng.}\n";

#[test]
fn import_converts_what_both_formats_know_and_lists_the_rest() {
    let (md, notes) = import(MOODLE);
    let expected = "## cau-1-mat-khau\ntype: single\n\nMật khẩu nào tốt?\n\n- [ ] 123456\n- [x] Một câu dài\n\n> Câu dài thì khó đoán.\n\n\
## thu-do\ntype: short\nanswer: Hà Nội\n\nThủ đô của Việt Nam là _____ mà.\n\n\
## q-07\ntype: multiple\n\nChọn các ý đúng\n\n- [x] A\n- [x] B\n- [ ] C\n\n\
## cau-1-mat-khau-2\ntype: truefalse\nanswer: đúng\n\nTrời mưa\n\n> Đúng.\n\n";
    assert_eq!(md, expected);
    assert_eq!(
        notes,
        vec![
            "question 1 \"Câu 1: Mật khẩu\": converted, but its per-answer feedback was dropped",
            "question 2 \"Thủ đô\": converted, but answers with partial credit were dropped",
            "question 2 \"Thủ đô\": converted, but the answer was in the middle of the text; the gap is shown as _____",
            "question 2 \"Thủ đô\": converted, but it has no general feedback (####); write its explanation (> …) before checking the course",
            "question 3: not converted: essay questions are not supported",
            "question 4 \"Ghép\": not converted: matching questions are not supported",
            "question 5 \"Số\": not converted: numerical questions are not supported",
            "question 6: not converted: it has no answer block {…} (a description, not a question)",
            "question 7: converted, but it has no general feedback (####); write its explanation (> …) before checking the course",
        ]
    );
}

#[test]
fn unreadable_gift_items_are_explained() {
    let text = "Mở {=a\n\nĐiểm một phần {=%50%a}\n\nKhông đúng {~a ~b}\n\nLạ {a =b}\n\nTrọng số {~%x%a =b}\n";
    let (md, notes) = import(text);
    assert_eq!(md, "");
    assert_eq!(
        notes,
        vec![
            "question 1: not converted: its answer block {… is never closed",
            "question 2: not converted: it has no fully right answer",
            "question 3: not converted: none of its answers is marked right",
            "question 4: not converted: its answer block could not be read",
            "question 5: not converted: unreadable weight %x%",
        ]
    );
}
