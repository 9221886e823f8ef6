//! The `0/N nodes are available: ...` message (pkg/scheduler/framework/types.go FitError.Error)
//! with DefaultPreemption's PostFilter suffix
//! (pkg/scheduler/framework/plugins/defaultpreemption, preemption.go).

use std::collections::BTreeMap;
use std::fmt;

use crate::api::PreemptionPolicy;
use crate::cluster::PodRecord;

use super::framework::Code;
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

/// "Preemption is not helpful for scheduling" / "No preemption victims found for incoming pod".
const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
const NO_VICTIMS: &str = "No preemption victims found for incoming pod";

/// Builds `0/N nodes are available: <count> <reason>, ...` with reasons sorted as strings
/// (sort.Strings), so "10 Insufficient cpu" sorts before "2 Insufficient memory".
fn reasons_message(num_all_nodes: usize, reasons: &BTreeMap<String, usize>) -> String {
    let mut items: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    items.sort();
    format!(
        "0/{num_all_nodes} nodes are available: {}.",
        items.join(", ")
    )
}

impl FitError {
    /// The FitError for `diagnosis`, with DefaultPreemption's PostFilter message.
    pub fn new(pod: &PodRecord, diagnosis: &Diagnosis) -> FitError {
        let num_all_nodes = diagnosis.num_all_nodes;
        let mut reasons = BTreeMap::new();
        for (_, s) in &diagnosis.node_statuses {
            for r in s.reasons() {
                match reasons.get_mut(r) {
                    Some(n) => *n += 1,
                    None => {
                        reasons.insert(r.to_string(), 1);
                    }
                }
            }
        }
        let pre_filter_msg = diagnosis
            .pre_filter_status
            .as_ref()
            .map(|s| s.reasons().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        // DefaultPreemption runs as PostFilter for every unschedulable pod. A node whose filter
        // said UnschedulableAndUnresolvable cannot be helped; on the others, preemption needs
        // pods of lower priority to evict.
        let post_filter_msg = if pod.pod.spec.preemption_policy == Some(PreemptionPolicy::Never) {
            "preemption: not eligible due to preemptionPolicy=Never.".to_string()
        } else {
            let mut post = BTreeMap::new();
            let pre_filter_unresolvable = diagnosis
                .pre_filter_status
                .as_ref()
                .is_some_and(|s| s.code == Code::UnschedulableAndUnresolvable);
            for (_, s) in &diagnosis.node_statuses {
                let reason = match s.code {
                    Code::Unschedulable => NO_VICTIMS,
                    // Victim selection (SelectVictimsOnNode) arrives with preemption; until
                    // then no node offers victims, which is exact when no pod of lower
                    // priority runs there.
                    _ => NOT_HELPFUL,
                };
                *post.entry(reason.to_string()).or_insert(0) += 1;
            }
            let absent = num_all_nodes.saturating_sub(diagnosis.node_statuses.len());
            if absent > 0 {
                let reason = if diagnosis.pre_filter_status.is_some() && !pre_filter_unresolvable {
                    NO_VICTIMS
                } else {
                    NOT_HELPFUL
                };
                *post.entry(reason.to_string()).or_insert(0) += absent;
            }
            format!("preemption: {}", reasons_message(num_all_nodes, &post))
        };
        FitError {
            num_all_nodes,
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
        post.insert(NO_VICTIMS.to_string(), 3);
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
