//! Verdicts across seeds: an expectation holds when it held in every seed, or in the share its
//! `inAtLeast` names; a timing percentile is taken over the values of every seed together.

use super::Expectation;
use super::eval::{Judgement, RunResult, judge_timing};

/// One expectation over many seeds.
#[derive(Clone, Debug)]
pub struct SeedVerdict {
    pub passed: bool,
    pub passed_seeds: usize,
    pub total_seeds: usize,
    /// Seeds whose run did not satisfy the expectation, ascending.
    pub failing_seeds: Vec<u64>,
    /// The first failing seed's judgement, or the pooled judgement of a timing percentile.
    pub example: Option<(u64, Judgement)>,
    /// What was required across seeds, e.g. `every seed`, `95% of seeds`, `p95 <= 10s`.
    pub requirement: String,
}

pub fn fold(expectations: &[Expectation], runs: &[RunResult]) -> Vec<SeedVerdict> {
    let total = runs.len();
    expectations
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let per_seed = || {
                runs.iter()
                    .filter_map(|r| Some((r.seed, r.judgements.get(i)?)))
            };
            let failing: Vec<u64> = runs
                .iter()
                .filter(|r| {
                    r.clean_stop().is_some() || r.judgements.get(i).is_none_or(|j| !j.passed)
                })
                .map(|r| r.seed)
                .collect();
            let passed_seeds = total - failing.len();
            let first_failure = per_seed()
                .find(|(_, j)| !j.passed)
                .map(|(s, j)| (s, j.clone()));
            if let Some(tm) = &e.spec.timing
                && tm.percentile.is_some()
            {
                let pooled: Vec<(String, _)> = per_seed()
                    .flat_map(|(s, j)| j.values.iter().map(move |v| (format!("seed {s}"), *v)))
                    .collect();
                let at = runs.iter().map(|r| r.end).max().unwrap_or_default();
                let j = judge_timing(tm, &pooled, at);
                return SeedVerdict {
                    passed: j.passed,
                    passed_seeds,
                    total_seeds: total,
                    failing_seeds: failing,
                    requirement: format!("pooled over {total} seeds"),
                    example: Some((0, j)),
                };
            }
            let (passed, requirement) = match e.in_at_least {
                Some(share) => (
                    share.reached(passed_seeds, total),
                    format!("at least {share} of seeds"),
                ),
                None => (failing.is_empty(), "every seed".to_string()),
            };
            SeedVerdict {
                passed,
                passed_seeds,
                total_seeds: total,
                failing_seeds: failing,
                example: first_failure,
                requirement,
            }
        })
        .collect()
}

/// `1..100` → the seeds 1 to 100; `7` → just 7.
pub fn parse_seeds(text: &str) -> Result<Vec<u64>, String> {
    let bad = || format!("expected seeds like 1..100 or 7, found \"{text}\"");
    match text.split_once("..") {
        Some((a, b)) => {
            let a: u64 = a.trim().parse().map_err(|_| bad())?;
            let b: u64 = b.trim().parse().map_err(|_| bad())?;
            if a > b {
                return Err(format!(
                    "empty seed range \"{text}\": write the smaller seed first"
                ));
            }
            Ok((a..=b).collect())
        }
        None => text.trim().parse().map(|s| vec![s]).map_err(|_| bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_ranges() {
        assert_eq!(parse_seeds("1..3"), Ok(vec![1, 2, 3]));
        assert_eq!(parse_seeds("7"), Ok(vec![7]));
        assert!(parse_seeds("3..1").is_err());
        assert!(parse_seeds("a..b").is_err());
    }
}
