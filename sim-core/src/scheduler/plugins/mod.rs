//! The default profile's plugins, one module each, named and ordered as in
//! pkg/scheduler/framework/plugins/ and apis/config/v1/default_plugins.go.

pub mod balanced_allocation;
pub mod image_locality;
pub mod inter_pod_affinity;
pub mod node_affinity;
pub mod node_name;
pub mod node_ports;
pub mod node_resources_fit;
pub mod node_unschedulable;
pub mod pod_topology_spread;
pub mod required_node_affinity;
pub mod taint_toleration;

pub use balanced_allocation::BalancedAllocation;
pub use image_locality::ImageLocality;
pub use inter_pod_affinity::{InterPodAffinity, InterPodAffinityScore};
pub use node_affinity::{NodeAffinity, NodeAffinityScore};
pub use node_name::NodeName;
pub use node_ports::NodePorts;
pub use node_resources_fit::{NodeResourcesFit, NodeResourcesFitScore, ScoringStrategy};
pub use node_unschedulable::NodeUnschedulable;
pub use pod_topology_spread::{PodTopologySpread, PodTopologySpreadScore};
pub use taint_toleration::{TaintToleration, TaintTolerationScore};

// Matching rules the controllers share (DaemonSet placement, taint eviction).
pub use node_affinity::required_node_affinity_matches as node_selector_and_affinity_match;
pub use taint_toleration::tolerates;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::{FilterPlugin, ScorePlugin};

    /// What each in-tree Filter and Score does without its PreFilter/PreScore state: the
    /// error of its getPreFilterState/getPreScoreState (each plugin words it its own way), or
    /// None where upstream falls back to computing the state (nodeaffinity/node_affinity.go
    /// Filter and Score, noderesources/fit.go and balanced_allocation.go Score).
    #[test]
    fn missing_cycle_state_errors() {
        let filters: [(Box<dyn FilterPlugin>, Option<&str>); 5] = [
            (
                Box::new(NodePorts),
                Some(r#"reading "PreFilterNodePorts" from cycleState: not found"#),
            ),
            (
                Box::new(NodeResourcesFit),
                Some(r#"error reading "PreFilterNodeResourcesFit" from cycleState: not found"#),
            ),
            (
                Box::new(InterPodAffinity::default()),
                Some(r#"error reading "PreFilterInterPodAffinity" from cycleState: not found"#),
            ),
            (
                Box::new(PodTopologySpread::default()),
                Some(r#"reading "PreFilterPodTopologySpread" from cycleState: not found"#),
            ),
            (Box::new(NodeAffinity::default()), None),
        ];
        for (p, want) in filters {
            assert_eq!(
                p.missing_pre_filter_state().as_deref(),
                want,
                "{}",
                p.name()
            );
        }
        let scores: [(Box<dyn ScorePlugin>, Option<&str>); 6] = [
            (
                Box::new(TaintTolerationScore::default()),
                Some(r#"failed to read "PreScoreTaintToleration" from cycleState: not found"#),
            ),
            (
                Box::new(InterPodAffinityScore::default()),
                Some(r#"failed to read "PreScoreInterPodAffinity" from cycleState: not found"#),
            ),
            (
                Box::new(PodTopologySpreadScore::default()),
                Some(r#"error reading "PreScorePodTopologySpread" from cycleState: not found"#),
            ),
            (Box::new(NodeAffinityScore::default()), None),
            (
                Box::new(NodeResourcesFitScore::new(
                    ScoringStrategy::LeastAllocated,
                    node_resources_fit::default_resources(),
                )),
                None,
            ),
            (Box::new(BalancedAllocation::default()), None),
        ];
        for (p, want) in scores {
            assert_eq!(p.missing_pre_score_state().as_deref(), want, "{}", p.name());
        }
    }
}
