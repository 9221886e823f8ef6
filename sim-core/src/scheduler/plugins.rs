//! Default plugins implemented so far: NodeName, NodeUnschedulable, NodeResourcesFit (filter and
//! LeastAllocated score). Each cites its upstream file under pkg/scheduler/framework/plugins/.

use crate::api::{TaintEffect, TolerationOperator};
use crate::cluster::{Cluster, NodeRecord, PodRecord};

use super::framework::{FilterPlugin, FilterStatus, MAX_NODE_SCORE, ScorePlugin};

/// nodename/node_name.go.
pub struct NodeName;

impl FilterPlugin for NodeName {
    fn name(&self) -> &'static str {
        "NodeName"
    }

    fn filter(&self, pod: &PodRecord, node: &NodeRecord, _: &Cluster) -> FilterStatus {
        match pod.pod.spec.node_name.as_str() {
            name if !name.is_empty() && name != node.name => {
                FilterStatus::UnschedulableAndUnresolvable(vec![
                    "node(s) didn't match the requested node name".into(),
                ])
            }
            _ => FilterStatus::Success,
        }
    }
}

/// nodeunschedulable/node_unschedulable.go: a cordoned node takes only pods that tolerate
/// `node.kubernetes.io/unschedulable:NoSchedule`.
pub struct NodeUnschedulable;

pub const TAINT_NODE_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

impl FilterPlugin for NodeUnschedulable {
    fn name(&self) -> &'static str {
        "NodeUnschedulable"
    }

    fn filter(&self, pod: &PodRecord, node: &NodeRecord, _: &Cluster) -> FilterStatus {
        if !node.unschedulable {
            return FilterStatus::Success;
        }
        // v1.Toleration.ToleratesTaint against {node.kubernetes.io/unschedulable, NoSchedule}.
        let tolerated = pod.pod.spec.tolerations.iter().any(|t| {
            let exists = t.operator == Some(TolerationOperator::Exists);
            let key_ok = if t.key.is_empty() {
                exists
            } else {
                t.key == TAINT_NODE_UNSCHEDULABLE
            };
            let effect_ok = matches!(t.effect, None | Some(TaintEffect::NoSchedule));
            let op_ok = exists || t.value.is_empty();
            key_ok && effect_ok && op_ok
        });
        if tolerated {
            FilterStatus::Success
        } else {
            FilterStatus::UnschedulableAndUnresolvable(vec!["node(s) were unschedulable".into()])
        }
    }
}

/// noderesources/fit.go Filter: every insufficient resource is reported, in upstream's order.
pub struct NodeResourcesFit;

impl FilterPlugin for NodeResourcesFit {
    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }

    fn filter(&self, pod: &PodRecord, node: &NodeRecord, _: &Cluster) -> FilterStatus {
        let req = &pod.requests.requested;
        let alloc = &node.allocatable;
        let used = &node.requested;
        let mut reasons = Vec::new();
        if used.pods + 1 > alloc.pods {
            reasons.push("Too many pods".to_string());
        }
        if !req.is_empty_request() {
            if req.milli_cpu > 0 && req.milli_cpu > alloc.milli_cpu - used.milli_cpu {
                reasons.push("Insufficient cpu".into());
            }
            if req.memory > 0 && req.memory > alloc.memory - used.memory {
                reasons.push("Insufficient memory".into());
            }
            if req.ephemeral_storage > 0
                && req.ephemeral_storage > alloc.ephemeral_storage - used.ephemeral_storage
            {
                reasons.push("Insufficient ephemeral-storage".into());
            }
            for (name, want) in &req.scalar {
                if *want > 0 && *want > alloc.scalar(name) - used.scalar(name) {
                    reasons.push(format!("Insufficient {name}"));
                }
            }
        }
        if reasons.is_empty() {
            FilterStatus::Success
        } else {
            FilterStatus::Unschedulable(reasons)
        }
    }
}

/// noderesources/least_allocated.go with the default resources `[{cpu, 1}, {memory, 1}]`,
/// on non-zero requests (resource_allocation.go, useRequested = false).
pub struct LeastAllocated;

/// `(capacity - requested) * 100 / capacity`, 0 when capacity is 0 or exceeded.
pub fn least_requested_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    (capacity - requested) * MAX_NODE_SCORE / capacity
}

impl ScorePlugin for LeastAllocated {
    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }

    fn score(&self, pod: &PodRecord, node: &NodeRecord, _: &Cluster) -> i64 {
        let want = &pod.requests.non_zero;
        let have = &node.non_zero_requested;
        let resources = [
            (
                have.milli_cpu + want.milli_cpu,
                node.allocatable.milli_cpu,
                1,
            ),
            (have.memory + want.memory, node.allocatable.memory, 1),
        ];
        let mut total = 0;
        let mut weights = 0;
        for (requested, capacity, weight) in resources {
            if capacity == 0 {
                continue;
            }
            total += least_requested_score(requested, capacity) * weight;
            weights += weight;
        }
        if weights == 0 { 0 } else { total / weights }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases from noderesources/least_allocated_test.go TestLeastAllocatedScoringStrategy
    /// ("nothing scheduled, resources requested, differently sized nodes"): cpu 3000/4000 and
    /// memory 5000/10000 give ((4000-3000)*100/4000 + (10000-5000)*100/10000) / 2 = (25 + 50) / 2.
    #[test]
    fn least_allocated_arithmetic() {
        assert_eq!(least_requested_score(3000, 4000), 25);
        assert_eq!(least_requested_score(5000, 10000), 50);
        assert_eq!((25 + 50) / 2, 37);
        assert_eq!(least_requested_score(3000, 6000), 50);
        assert_eq!(least_requested_score(5000, 10000), 50);
        assert_eq!(least_requested_score(1, 0), 0);
        assert_eq!(least_requested_score(11, 10), 0);
    }
}
