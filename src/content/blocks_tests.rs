//! Tests for `blocks`: splitting `::: only` passages and reporting block mistakes.

use super::*;
use std::path::Path;

type Split = Vec<(String, Option<Vec<Group>>)>;

fn split_text(text: &str) -> (Split, Vec<String>) {
    let file = SourceFile::from_text(Path::new("01-a.md"), text);
    let mut problems = Vec::new();
    let segments = split(&file, 0, &mut problems)
        .into_iter()
        .map(|s| (s.snippet.text.trim().to_string(), s.audience))
        .collect();
    (segments, problems.iter().map(ToString::to_string).collect())
}

#[test]
fn passages_are_split_by_audience() {
    let (segments, problems) = split_text(
        "Chung.\n\n::: only elderly\nBác.\n:::\n\n::: only students workers\nEm.\n:::\nCuối.\n",
    );
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        segments,
        vec![
            ("Chung.".to_string(), None),
            ("Bác.".to_string(), Some(vec![Group::Elderly])),
            (
                "Em.".to_string(),
                Some(vec![Group::Students, Group::Workers])
            ),
            ("Cuối.".to_string(), None),
        ]
    );
}

#[test]
fn segments_keep_their_place_in_the_file() {
    let file = SourceFile::from_text(Path::new("a.md"), "x\n::: only elderly\nBác\n:::\n");
    let mut problems = Vec::new();
    let segments = split(&file, 0, &mut problems);
    let bac = segments.get(1).map(|s| s.snippet.file_offset(0));
    assert_eq!(bac, Some(19));
}

#[test]
fn block_lines_inside_code_fences_are_text() {
    let (segments, problems) = split_text("```\n::: only elders\n```\n");
    assert!(problems.is_empty());
    assert_eq!(segments.len(), 1);
}

#[test]
fn unknown_groups_point_at_the_group_name() {
    let (_, problems) = split_text("::: only elderly elders\nx\n:::\n");
    assert_eq!(
        problems,
        vec![
            "01-a.md:1:18: unknown group \"elders\"; use one of officials, students, workers, elderly"
        ]
    );
}

#[test]
fn block_mistakes_are_reported_on_their_line() {
    let (_, problems) = split_text("a\n:::\n::: only\nb\n:::\n::: note\n::: only elderly\nc\n");
    assert_eq!(
        problems,
        vec![
            "01-a.md:2:1: this ::: closes no block; a block starts with a line like ::: only elderly",
            "01-a.md:3:1: ::: only needs at least one group, like ::: only elderly",
            "01-a.md:6:1: unknown block \"::: note\"; the only kind of block is ::: only GROUP…",
            "01-a.md:7:1: this block is never closed; end it with a line containing only :::",
        ]
    );
}

#[test]
fn a_nested_block_is_one_problem() {
    let (_, problems) = split_text("::: only elderly\na\n::: only students\nb\n:::\n:::\n");
    assert_eq!(
        problems,
        vec![
            "01-a.md:3:1: blocks do not nest; close the block opened on line 1 with ::: before starting another"
        ]
    );
}
