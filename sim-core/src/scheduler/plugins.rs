//! Default plugins implemented so far: NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
//! NodePorts, NodeResourcesFit (filter and LeastAllocated score). Each cites its upstream file under pkg/scheduler/framework/plugins/.

use crate::api::{
    NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm, TaintEffect,
    TolerationOperator,
};
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

/// v1.Toleration.ToleratesTaint (staging/src/k8s.io/api/core/v1/toleration.go).
pub fn tolerates(t: &crate::api::Toleration, taint: &crate::api::Taint) -> bool {
    if t.effect.is_some() && t.effect != taint.effect {
        return false;
    }
    if !t.key.is_empty() && t.key != taint.key {
        return false;
    }
    match &t.operator {
        None | Some(TolerationOperator::Equal) => t.value == taint.value,
        Some(TolerationOperator::Exists) => true,
        Some(TolerationOperator::Other(_)) => false,
    }
}

/// tainttoleration/taint_toleration.go Filter: NoSchedule and NoExecute taints must be
/// tolerated; the first untolerated one is reported.
pub struct TaintToleration;

impl FilterPlugin for TaintToleration {
    fn name(&self) -> &'static str {
        "TaintToleration"
    }

    fn filter(&self, pod: &PodRecord, node: &NodeRecord, _: &Cluster) -> FilterStatus {
        let untolerated = node.taints.iter().find(|taint| {
            matches!(
                taint.effect,
                Some(TaintEffect::NoSchedule | TaintEffect::NoExecute)
            ) && !pod.pod.spec.tolerations.iter().any(|t| tolerates(t, taint))
        });
        match untolerated {
            None => FilterStatus::Success,
            Some(t) => FilterStatus::UnschedulableAndUnresolvable(vec![format!(
                "node(s) had untolerated taint {{{}: {}}}",
                t.key, t.value
            )]),
        }
    }
}

/// component-helpers/scheduling/corev1/nodeaffinity: one requirement against a node.
fn requirement_matches(r: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = &r.values;
    match &r.operator {
        Some(NodeSelectorOperator::In) => value.is_some_and(|v| values.iter().any(|x| x == v)),
        Some(NodeSelectorOperator::NotIn) => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        Some(NodeSelectorOperator::Exists) => value.is_some(),
        Some(NodeSelectorOperator::DoesNotExist) => value.is_none(),
        Some(NodeSelectorOperator::Gt | NodeSelectorOperator::Lt) => {
            let (Some(v), Some(bound)) = (
                value.and_then(|v| v.parse::<i64>().ok()),
                values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if r.operator == Some(NodeSelectorOperator::Gt) {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// A NodeSelectorTerm: its requirements are ANDed; an empty term matches no node.
pub fn term_matches(term: &NodeSelectorTerm, node: &NodeRecord) -> bool {
    if term.match_expressions.is_empty() && term.match_fields.is_empty() {
        return false;
    }
    term.match_expressions
        .iter()
        .all(|r| requirement_matches(r, node.labels.get(&r.key).map(String::as_str)))
        && term.match_fields.iter().all(|r| {
            // Only metadata.name is a supported field selector.
            r.key == "metadata.name" && requirement_matches(r, Some(node.name.as_str()))
        })
}

/// `nodeSelector` and the required node affinity terms (ORed) both match the node
/// (component-helpers/scheduling/corev1/nodeaffinity GetRequiredNodeAffinity.Match).
pub fn node_selector_and_affinity_match(spec: &crate::api::PodSpec, node: &NodeRecord) -> bool {
    let selector_ok = spec
        .node_selector
        .iter()
        .all(|(k, v)| node.labels.get(k) == Some(v));
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    selector_ok
        && required.is_none_or(|sel| {
            sel.node_selector_terms
                .iter()
                .any(|t| term_matches(t, node))
        })
}

/// nodeaffinity/node_affinity.go Filter: `nodeSelector` and the required node affinity terms
/// (ORed).
pub struct NodeAffinity;

impl FilterPlugin for NodeAffinity {
    fn name(&self) -> &'static str {
        "NodeAffinity"
    }

    fn filter(&self, pod: &PodRecord, node: &NodeRecord, _: &Cluster) -> FilterStatus {
        if node_selector_and_affinity_match(&pod.pod.spec, node) {
            FilterStatus::Success
        } else {
            FilterStatus::UnschedulableAndUnresolvable(vec![
                "node(s) didn't match Pod's node affinity/selector".into(),
            ])
        }
    }
}

/// nodeports/node_ports.go: a host port (protocol, hostIP, port) may be used once per node;
/// hostIP 0.0.0.0 (or empty) conflicts with every address.
pub struct NodePorts;

/// The pod's host ports as (protocol, hostIP, port), computed once per pod (PreFilter's state).
pub fn host_ports(spec: &crate::api::PodSpec) -> Vec<(String, String, i32)> {
    spec.containers
        .iter()
        .chain(&spec.init_containers)
        .flat_map(|c| &c.ports)
        .filter(|p| p.host_port > 0)
        .map(|p| {
            let proto = p
                .protocol
                .as_ref()
                .map_or("TCP", |x| x.as_str())
                .to_string();
            let ip = if p.host_ip.is_empty() {
                "0.0.0.0".to_string()
            } else {
                p.host_ip.clone()
            };
            (proto, ip, p.host_port)
        })
        .collect()
}

impl FilterPlugin for NodePorts {
    fn name(&self) -> &'static str {
        "NodePorts"
    }

    fn filter(&self, pod: &PodRecord, node: &NodeRecord, cluster: &Cluster) -> FilterStatus {
        let wanted = &pod.host_ports;
        if wanted.is_empty() {
            return FilterStatus::Success;
        }
        let conflict = node
            .pods
            .iter()
            .filter_map(|id| cluster.pod(*id))
            .any(|other| {
                other.host_ports.iter().any(|(p2, ip2, port2)| {
                    wanted.iter().any(|(p, ip, port)| {
                        p == p2
                            && port == port2
                            && (ip == ip2 || ip == "0.0.0.0" || ip2 == "0.0.0.0")
                    })
                })
            });
        if conflict {
            FilterStatus::Unschedulable(vec![
                "node(s) didn't have free ports for the requested pod ports".into(),
            ])
        } else {
            FilterStatus::Success
        }
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

    fn taint(key: &str, value: &str, effect: TaintEffect) -> crate::api::Taint {
        crate::api::Taint {
            key: key.into(),
            value: value.into(),
            effect: Some(effect),
        }
    }

    fn toleration(
        key: &str,
        op: Option<TolerationOperator>,
        value: &str,
        effect: Option<TaintEffect>,
    ) -> crate::api::Toleration {
        crate::api::Toleration {
            key: key.into(),
            operator: op,
            value: value.into(),
            effect,
            toleration_seconds: None,
        }
    }

    /// Cases from staging/src/k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint.
    #[test]
    fn toleration_matches_taint() {
        let t = taint("foo", "bar", TaintEffect::NoSchedule);
        let cases = [
            (
                toleration("", Some(TolerationOperator::Exists), "", None),
                true,
            ),
            (
                toleration(
                    "foo",
                    Some(TolerationOperator::Exists),
                    "",
                    Some(TaintEffect::NoSchedule),
                ),
                true,
            ),
            (
                toleration(
                    "foo",
                    Some(TolerationOperator::Equal),
                    "bar",
                    Some(TaintEffect::NoSchedule),
                ),
                true,
            ),
            (toleration("foo", None, "bar", None), true),
            (
                toleration(
                    "foo",
                    Some(TolerationOperator::Equal),
                    "baz",
                    Some(TaintEffect::NoSchedule),
                ),
                false,
            ),
            (
                toleration(
                    "foo",
                    Some(TolerationOperator::Exists),
                    "",
                    Some(TaintEffect::NoExecute),
                ),
                false,
            ),
            (
                toleration("other", Some(TolerationOperator::Exists), "", None),
                false,
            ),
        ];
        for (i, (tol, want)) in cases.iter().enumerate() {
            assert_eq!(tolerates(tol, &t), *want, "case {i}: {tol:?}");
        }
    }

    fn req(key: &str, op: NodeSelectorOperator, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: Some(op),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// Operators as in component-helpers/scheduling/corev1/nodeaffinity (nodeaffinity_test.go).
    #[test]
    fn node_selector_operators() {
        assert!(requirement_matches(
            &req("disktype", NodeSelectorOperator::In, &["ssd", "nvme"]),
            Some("ssd")
        ));
        assert!(!requirement_matches(
            &req("disktype", NodeSelectorOperator::In, &["ssd"]),
            None
        ));
        assert!(requirement_matches(
            &req("disktype", NodeSelectorOperator::NotIn, &["hdd"]),
            None
        ));
        assert!(!requirement_matches(
            &req("disktype", NodeSelectorOperator::NotIn, &["hdd"]),
            Some("hdd")
        ));
        assert!(requirement_matches(
            &req("gpu", NodeSelectorOperator::Exists, &[]),
            Some("")
        ));
        assert!(requirement_matches(
            &req("gpu", NodeSelectorOperator::DoesNotExist, &[]),
            None
        ));
        assert!(requirement_matches(
            &req("cores", NodeSelectorOperator::Gt, &["4"]),
            Some("8")
        ));
        assert!(!requirement_matches(
            &req("cores", NodeSelectorOperator::Gt, &["4"]),
            Some("4")
        ));
        assert!(requirement_matches(
            &req("cores", NodeSelectorOperator::Lt, &["4"]),
            Some("3")
        ));
        assert!(!requirement_matches(
            &req("cores", NodeSelectorOperator::Lt, &["4"]),
            Some("x")
        ));
    }
}
