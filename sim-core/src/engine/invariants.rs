//! Checks run after every event batch in tests and debug builds. A violation is a kubesim bug,
//! reported as an error that stops the run with the offending object named.

use std::collections::BTreeMap;

use crate::cluster::{Cluster, PodId, PodPhase, Resources};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invariant violated: {0}")]
pub struct InvariantViolation(pub String);

/// No node's bound pods exceed its allocatable, recomputed from scratch so the scheduler's
/// incremental aggregates are checked too.
pub fn check_node_capacity(cluster: &Cluster) -> Result<(), InvariantViolation> {
    for node in cluster.nodes() {
        let mut sum = Resources::default();
        for id in &node.pods {
            if let Some(p) = cluster.pod(*id) {
                sum.add(&p.requests.requested);
            }
        }
        if sum != node.requested {
            return Err(InvariantViolation(format!(
                "node {}: cached requests {:?} differ from the sum of its pods {:?}",
                node.name, node.requested, sum
            )));
        }
        let a = &node.allocatable;
        let over = sum.milli_cpu > a.milli_cpu
            || sum.memory > a.memory
            || sum.ephemeral_storage > a.ephemeral_storage
            || sum.pods > a.pods
            || sum.scalar.iter().any(|(k, v)| *v > a.scalar(k));
        if over {
            return Err(InvariantViolation(format!(
                "node {}: bound pods request {:?}, more than allocatable {:?}",
                node.name, sum, a
            )));
        }
    }
    Ok(())
}

/// Pod phases only move along upstream's legal transitions: terminal phases are final.
pub fn check_phase_transitions(
    cluster: &Cluster,
    previous: &BTreeMap<PodId, PodPhase>,
) -> Result<(), InvariantViolation> {
    for p in cluster.pods() {
        if let Some(prev) = previous.get(&p.id)
            && !prev.can_transition_to(p.status.phase)
        {
            return Err(InvariantViolation(format!(
                "pod {}: illegal phase transition {} -> {}",
                p.key(),
                prev,
                p.status.phase
            )));
        }
    }
    Ok(())
}
