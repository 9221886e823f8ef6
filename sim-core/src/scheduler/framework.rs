//! The scheduling framework's plugin seams (pkg/scheduler/framework/interface.go), reduced to
//! what the default plugins implemented so far need. Plugins are pure: they read the pod, the
//! node and the cluster, and return a status or a score.

use crate::cluster::{Cluster, NodeRecord, PodRecord};

/// pkg/scheduler/framework/interface.go Code, for the statuses a Filter returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterStatus {
    Success,
    /// The pod may fit after other pods are removed (preemption can help).
    Unschedulable(Vec<String>),
    /// Nothing running on the node can make the pod fit.
    UnschedulableAndUnresolvable(Vec<String>),
}

impl FilterStatus {
    pub fn is_success(&self) -> bool {
        matches!(self, FilterStatus::Success)
    }

    pub fn reasons(&self) -> &[String] {
        match self {
            FilterStatus::Success => &[],
            FilterStatus::Unschedulable(r) | FilterStatus::UnschedulableAndUnresolvable(r) => r,
        }
    }
}

/// A Filter plugin (framework.FilterPlugin).
pub trait FilterPlugin {
    fn name(&self) -> &'static str;
    fn filter(&self, pod: &PodRecord, node: &NodeRecord, cluster: &Cluster) -> FilterStatus;
}

/// A Score plugin (framework.ScorePlugin); scores are in `0..=MAX_NODE_SCORE` after
/// normalisation.
pub trait ScorePlugin {
    fn name(&self) -> &'static str;
    fn score(&self, pod: &PodRecord, node: &NodeRecord, cluster: &Cluster) -> i64;
    /// NormalizeScore over all feasible nodes; the default leaves scores as they are.
    fn normalize(&self, _scores: &mut [i64]) {}
}

/// pkg/scheduler/framework/interface.go MaxNodeScore.
pub const MAX_NODE_SCORE: i64 = 100;
