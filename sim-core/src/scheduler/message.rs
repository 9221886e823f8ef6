//! The `0/N nodes are available: ...` message (pkg/scheduler/framework/types.go FitError.Error)
//! with the PostFilter plugins' message appended (DefaultPreemption's `preemption: ...`).

use std::collections::BTreeMap;
use std::fmt;

use super::framework::Status;
use super::profile::Diagnosis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FitError {
    pub num_all_nodes: usize,
    /// Reason -> number of nodes that reported it.
    pub reasons: BTreeMap<String, usize>,
    /// A PreFilter plugin's rejection, shown instead of the per-node reasons.
    pub pre_filter_msg: String,
    /// The PostFilter (preemption) message, `preemption: ...`.
    pub post_filter_msg: String,
}

/// Builds `0/N nodes are available: <count> <reason>, ...` with reasons sorted as strings
/// (sort.Strings), so "10 Insufficient cpu" sorts before "2 Insufficient memory".
pub(crate) fn reasons_message(num_all_nodes: usize, reasons: &BTreeMap<String, usize>) -> String {
    let mut items: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    items.sort();
    format!(
        "0/{num_all_nodes} nodes are available: {}.",
        items.join(", ")
    )
}

/// Each reason the statuses give, with how many give it (FitError.Error's
/// reasonStrings). Thousands of nodes share a few reasons: they are counted by reference
/// and each copied once.
pub(crate) fn count_reasons<'a>(
    statuses: impl IntoIterator<Item = &'a Status>,
) -> BTreeMap<String, usize> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in statuses {
        for r in s.reasons() {
            match counts.get_mut(r) {
                Some(n) => *n += 1,
                None => {
                    counts.insert(r, 1);
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|(r, n)| (r.to_string(), n))
        .collect()
}

impl FitError {
    /// The FitError for `diagnosis`, followed by the PostFilter plugins' message (empty when
    /// preemption succeeded or no PostFilter plugin ran).
    pub fn new(diagnosis: &Diagnosis, post_filter_msg: String) -> FitError {
        let reasons = count_reasons(diagnosis.node_statuses.iter().map(|(_, s)| s));
        let pre_filter_msg = diagnosis
            .pre_filter_status
            .as_ref()
            .map(|s| s.reasons().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        FitError {
            num_all_nodes: diagnosis.num_all_nodes,
            reasons,
            pre_filter_msg,
            post_filter_msg,
        }
    }
}

impl fmt::Display for FitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.num_all_nodes == 0 {
            // schedule_one.go: ErrNoNodesAvailable.
            return f.write_str("no nodes available to schedule pods");
        }
        if self.pre_filter_msg.is_empty() {
            f.write_str(&reasons_message(self.num_all_nodes, &self.reasons))?;
        } else {
            write!(
                f,
                "0/{} nodes are available: {}.",
                self.num_all_nodes, self.pre_filter_msg
            )?;
        }
        if !self.post_filter_msg.is_empty() {
            // SeparatorFormat " %v." appends a period after the PostFilter message, which
            // itself ends with one: real events end with "..".
            write!(f, " {}.", self.post_filter_msg)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_sort_as_strings() {
        let mut r = BTreeMap::new();
        r.insert("Insufficient cpu".to_string(), 10);
        r.insert("Insufficient memory".to_string(), 2);
        assert_eq!(
            reasons_message(12, &r),
            "0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory."
        );
    }

    #[test]
    fn full_message_has_the_upstream_double_period() {
        let mut reasons = BTreeMap::new();
        reasons.insert("Insufficient cpu".to_string(), 3);
        let mut post = BTreeMap::new();
        post.insert(
            "No preemption victims found for incoming pod".to_string(),
            3,
        );
        let e = FitError {
            num_all_nodes: 3,
            reasons,
            pre_filter_msg: String::new(),
            post_filter_msg: format!("preemption: {}", reasons_message(3, &post)),
        };
        assert_eq!(
            e.to_string(),
            "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.."
        );
    }
}
