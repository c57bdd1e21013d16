//! Drawing a test from a course's question bank: the count and per-tag quotas from the
//! course file, so every learner gets a test of the same shape; questions and options
//! shuffled with the attempt's seed (the same seed always draws the same test).

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::content::{Course, QuestionKind};

/// One drawn question: its id in the bank and, for choice questions, the order in which its
/// options are shown (original option indices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drawn {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<usize>,
}

fn option_count(kind: &QuestionKind) -> usize {
    match kind {
        QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => {
            options.len()
        }
        QuestionKind::TrueFalse { .. } | QuestionKind::Short { .. } => 0,
    }
}

/// Draws `count` questions (at most the bank's size), quotas first.
pub fn draw(course: &Course, seed: u64, count: usize) -> Vec<Drawn> {
    let mut rng = StdRng::seed_from_u64(seed);
    let bank = &course.questions;
    let mut chosen: Vec<usize> = Vec::new();
    for (tag, quota) in &course.test.quotas {
        let mut candidates: Vec<usize> = (0..bank.len())
            .filter(|i| !chosen.contains(i) && bank[*i].tags.iter().any(|t| t == tag))
            .collect();
        candidates.shuffle(&mut rng);
        chosen.extend(candidates.into_iter().take(*quota as usize));
    }
    let mut rest: Vec<usize> = (0..bank.len()).filter(|i| !chosen.contains(i)).collect();
    rest.shuffle(&mut rng);
    let wanted = count.min(bank.len());
    chosen.extend(rest.into_iter().take(wanted.saturating_sub(chosen.len())));
    chosen.truncate(wanted);
    chosen.shuffle(&mut rng);
    chosen
        .into_iter()
        .map(|i| {
            let mut order: Vec<usize> = (0..option_count(&bank[i].kind)).collect();
            order.shuffle(&mut rng);
            Drawn {
                id: bank[i].id.clone(),
                order,
            }
        })
        .collect()
}
