//! Text helpers for Vietnamese answers and search: folding diacritics (dấu) away and
//! normalizing short answers so that case and extra spaces never decide a grade.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Removes diacritics: NFD, drop combining marks, `đ` → `d`, `Đ` → `D`.
/// `"Điện thoại"` becomes `"Dien thoai"`.
pub fn fold_diacritics(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            other => other,
        })
        .nfc()
        .collect()
}

/// Normalizes an answer for comparison: NFC, lower-case, trimmed, inner whitespace collapsed
/// to one space, and diacritics folded when `ignore_diacritics` is set.
pub fn normalize_answer(s: &str, ignore_diacritics: bool) -> String {
    let lower: String = s.nfc().collect::<String>().to_lowercase();
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    if ignore_diacritics {
        fold_diacritics(&collapsed)
    } else {
        collapsed
    }
}

/// Text for search: lower-case, diacritics folded, whitespace collapsed.
pub fn search_form(s: &str) -> String {
    normalize_answer(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diacritics_fold_to_plain_letters() {
        assert_eq!(fold_diacritics("Điện thoại đời mới"), "Dien thoai doi moi");
        assert_eq!(fold_diacritics("ỨNG DỤNG VNeID"), "UNG DUNG VNeID");
        assert_eq!(fold_diacritics("plain"), "plain");
    }

    #[test]
    fn decomposed_input_folds_like_composed_input() {
        let decomposed: String = "Tiếng Việt".nfd().collect();
        assert_eq!(fold_diacritics(&decomposed), "Tieng Viet");
    }

    #[test]
    fn answers_ignore_case_and_extra_spaces() {
        assert_eq!(
            normalize_answer("  Ứng   dụng\tVNeID ", false),
            "ứng dụng vneid"
        );
        assert_eq!(
            normalize_answer("  Ứng   dụng VNeID ", true),
            "ung dung vneid"
        );
    }

    #[test]
    fn composed_and_decomposed_answers_compare_equal() {
        let decomposed: String = "đúng".nfd().collect();
        assert_eq!(
            normalize_answer(&decomposed, false),
            normalize_answer("đúng", false)
        );
    }

    #[test]
    fn search_text_is_folded_lower_case() {
        assert_eq!(search_form("Mật  KHẨU"), "mat khau");
    }
}
