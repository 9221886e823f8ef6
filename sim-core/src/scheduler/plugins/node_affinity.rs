//! nodeaffinity/node_affinity.go: `nodeSelector` and required node affinity (Filter), preferred
//! node affinity weights (Score), with component-helpers/scheduling/corev1/nodeaffinity's
//! matching rules.

use std::collections::BTreeMap;

use crate::api::{
    NodeAffinity as NodeAffinitySpec, NodeSelectorOperator, NodeSelectorRequirement,
    NodeSelectorTerm, PodSpec, PreferredSchedulingTerm,
};
use crate::cluster::{NodeId, NodeRecord, PodRecord};
use crate::scheduler::events::{
    ActionType, ClusterEventType, EventResource, QueueEvent, QueueingHint,
};
use crate::scheduler::framework::{
    FilterPlugin, MAX_NODE_SCORE, ScorePlugin, Snapshot, Status, default_normalize_score,
};

use super::required_node_affinity::RequiredNodeAffinityMemo;

pub const ERR_REASON_POD: &str = "node(s) didn't match Pod's node affinity/selector";
pub const ERR_REASON_ENFORCED: &str = "node(s) didn't match scheduler-enforced node affinity";

/// One requirement against a node's label (or field) value.
pub fn requirement_matches(r: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let values = &r.values;
    match &r.operator {
        Some(NodeSelectorOperator::In) => value.is_some_and(|v| values.iter().any(|x| x == v)),
        Some(NodeSelectorOperator::NotIn) => value.is_none_or(|v| !values.iter().any(|x| x == v)),
        Some(NodeSelectorOperator::Exists) => value.is_some(),
        Some(NodeSelectorOperator::DoesNotExist) => value.is_none(),
        Some(op @ (NodeSelectorOperator::Gt | NodeSelectorOperator::Lt)) => {
            let (Some(v), Some(bound)) = (
                value.and_then(|v| v.parse::<i64>().ok()),
                values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if *op == NodeSelectorOperator::Gt {
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

/// nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): the nodeSelector (all pairs) and the
/// required terms (ORed).
pub fn required_node_affinity_matches(spec: &PodSpec, node: &NodeRecord) -> bool {
    selector_and_terms_match(&spec.node_selector, required_terms(spec), node)
}

/// A nodeSelector (every pair) and, when present, node selector terms (any of them).
pub fn selector_and_terms_match(
    node_selector: &BTreeMap<String, String>,
    terms: Option<&[NodeSelectorTerm]>,
    node: &NodeRecord,
) -> bool {
    node_selector
        .iter()
        .all(|(k, v)| node.labels.get(k) == Some(v))
        && terms.is_none_or(|terms| terms.iter().any(|t| term_matches(t, node)))
}

/// The pod constrains nodes by nodeSelector or required node affinity (otherwise
/// `required_node_affinity_matches` holds on every node).
pub fn has_required_node_affinity(spec: &PodSpec) -> bool {
    !spec.node_selector.is_empty() || required_terms(spec).is_some()
}

pub fn required_terms(spec: &PodSpec) -> Option<&[NodeSelectorTerm]> {
    spec.affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|na| {
            na.required_during_scheduling_ignored_during_execution
                .as_ref()
        })
        .map(|sel| sel.node_selector_terms.as_slice())
}

/// The Filter half. `added` is NodeAffinityArgs.addedAffinity: node affinity the scheduler
/// enforces on every pod of the profile, besides the pod's own. PreFilter prepares per-node
/// memos of both (upstream's preFilterState holds the pod's parsed RequiredNodeAffinity).
#[derive(Default)]
pub struct NodeAffinity {
    added_required: Option<Vec<NodeSelectorTerm>>,
    enforced: RequiredNodeAffinityMemo,
    required: RequiredNodeAffinityMemo,
}

impl NodeAffinity {
    pub fn new(added: Option<NodeAffinitySpec>) -> NodeAffinity {
        NodeAffinity {
            added_required: added
                .and_then(|a| a.required_during_scheduling_ignored_during_execution)
                .map(|s| s.node_selector_terms),
            ..NodeAffinity::default()
        }
    }
}

impl FilterPlugin for NodeAffinity {
    /// node_affinity.go EventsToRegister with queueing hints: a node added or relabelled.
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        const EVENTS: &[ClusterEventType] = &[ClusterEventType::new(
            EventResource::Node,
            ActionType::ADD.union(ActionType::UPDATE_NODE_LABEL),
        )];
        EVENTS
    }

    /// isSchedulableAfterNodeChange: the node matches now and did not before.
    fn queueing_hint(&self, pod: &PodRecord, e: &QueueEvent<'_>, _: Snapshot<'_>) -> QueueingHint {
        let Some(new) = e.new_node() else {
            return QueueingHint::Queue;
        };
        let matches = |node: &NodeRecord| {
            self.added_required
                .as_ref()
                .is_none_or(|terms| terms.iter().any(|t| term_matches(t, node)))
                && required_node_affinity_matches(&pod.pod.spec, node)
        };
        if !matches(new) {
            return QueueingHint::QueueSkip;
        }
        match e.old_node() {
            Some(old) if required_node_affinity_matches(&pod.pod.spec, old) => {
                QueueingHint::QueueSkip
            }
            _ => QueueingHint::Queue,
        }
    }

    fn name(&self) -> &'static str {
        "NodeAffinity"
    }

    /// Skip when the pod has neither a nodeSelector nor required node affinity and the
    /// profile adds none.
    fn pre_filter(&mut self, pod: &PodRecord, s: Snapshot<'_>) -> Status {
        let spec = &pod.pod.spec;
        let terms = required_terms(spec);
        if spec.node_selector.is_empty() && terms.is_none() && self.added_required.is_none() {
            return Status::SKIP;
        }
        if let Some(added) = &self.added_required {
            self.enforced
                .prepare(&BTreeMap::new(), Some(added), s.cluster);
        }
        self.required.prepare(&spec.node_selector, terms, s.cluster);
        Status::SUCCESS
    }

    fn filter(&self, _: &PodRecord, id: NodeId, s: Snapshot<'_>) -> Status {
        let node = s.node(id);
        if self.added_required.is_some() && !self.enforced.matches(node) {
            return Status::unresolvable(ERR_REASON_ENFORCED);
        }
        if self.required.matches(node) {
            Status::SUCCESS
        } else {
            Status::unresolvable(ERR_REASON_POD)
        }
    }
}

/// The Score half: the sum of the weights of the preferred terms a node matches, the pod's
/// and addedAffinity's.
#[derive(Default)]
pub struct NodeAffinityScore {
    added_preferred: Vec<PreferredSchedulingTerm>,
}

impl NodeAffinityScore {
    pub fn new(added: Option<NodeAffinitySpec>) -> NodeAffinityScore {
        NodeAffinityScore {
            added_preferred: added
                .map(|a| a.preferred_during_scheduling_ignored_during_execution)
                .unwrap_or_default(),
        }
    }
}

fn preferred_terms(spec: &PodSpec) -> &[PreferredSchedulingTerm] {
    spec.affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .map_or(&[], |na| {
            na.preferred_during_scheduling_ignored_during_execution
                .as_slice()
        })
}

impl ScorePlugin for NodeAffinityScore {
    fn name(&self) -> &'static str {
        "NodeAffinity"
    }

    fn pre_score(&mut self, pod: &PodRecord, _: &[NodeId], _: Snapshot<'_>) -> Status {
        if preferred_terms(&pod.pod.spec).is_empty() && self.added_preferred.is_empty() {
            Status::SKIP
        } else {
            Status::SUCCESS
        }
    }

    fn score(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        let node = s.node(id);
        preferred_terms(&pod.pod.spec)
            .iter()
            .chain(&self.added_preferred)
            .filter(|t| term_matches(&t.preference, node))
            .map(|t| i64::from(t.weight))
            .sum()
    }

    fn normalize(&self, scores: &mut [i64]) {
        default_normalize_score(MAX_NODE_SCORE, false, scores);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testutil::{TestCluster, node, pod_from_yaml};

    fn req(key: &str, op: NodeSelectorOperator, values: &[&str]) -> NodeSelectorRequirement {
        NodeSelectorRequirement {
            key: key.into(),
            operator: Some(op),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// Operators as in component-helpers/scheduling/corev1/nodeaffinity (nodeaffinity_test.go
    /// TestNodeSelectorMatch).
    #[test]
    fn node_selector_operators() {
        use NodeSelectorOperator::*;
        let cases = [
            (req("disktype", In, &["ssd", "nvme"]), Some("ssd"), true),
            (req("disktype", In, &["ssd"]), None, false),
            (req("disktype", NotIn, &["hdd"]), None, true),
            (req("disktype", NotIn, &["hdd"]), Some("hdd"), false),
            (req("gpu", Exists, &[]), Some(""), true),
            (req("gpu", DoesNotExist, &[]), None, true),
            (req("cores", Gt, &["4"]), Some("8"), true),
            (req("cores", Gt, &["4"]), Some("4"), false),
            (req("cores", Lt, &["4"]), Some("3"), true),
            (req("cores", Lt, &["4"]), Some("x"), false),
        ];
        for (r, value, want) in cases {
            assert_eq!(requirement_matches(&r, value), want, "{r:?} {value:?}");
        }
    }

    /// nodeaffinity/node_affinity_test.go TestNodeAffinity ("Pod with matchExpressions using In
    /// operator that matches the existing node", "... that does not match", "Pod with an empty
    /// NodeSelectorTerms list", "Pod with multiple NodeSelectorTerms ORed").
    #[test]
    fn filter_table() {
        let n = node(
            "node1",
            1000,
            1000,
            &[("foo", "bar"), ("GPU", "NVIDIA-GRID-K1")],
        );
        let cases = [
            ("{}", true),
            ("{nodeSelector: {foo: bar}}", true),
            ("{nodeSelector: {foo: baz}}", false),
            (
                "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: GPU, operator: In, values: [NVIDIA-GRID-K1, NVIDIA-GRID-K2]}]}]}}}}",
                true,
            ),
            (
                "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: GPU, operator: NotIn, values: [NVIDIA-GRID-K1]}]}]}}}}",
                false,
            ),
            (
                "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}}",
                false,
            ),
            (
                "{affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: foo, operator: In, values: [x]}]}, {matchFields: [{key: metadata.name, operator: In, values: [node1]}]}]}}}}",
                true,
            ),
        ];
        for (spec, want) in cases {
            let p = pod_from_yaml(spec);
            assert_eq!(
                required_node_affinity_matches(&p.pod.spec, &n),
                want,
                "{spec}"
            );
        }
    }

    /// nodeaffinity/node_affinity_test.go TestNodeAffinityPriority ("all nodes matches the
    /// preferred scheduling requirements of pod but with different priorities").
    #[test]
    fn score_sums_weights_and_normalises() {
        let p = pod_from_yaml(
            "{affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [\
             {weight: 2, preference: {matchExpressions: [{key: foo, operator: In, values: [bar]}]}},\
             {weight: 4, preference: {matchExpressions: [{key: key, operator: In, values: [value]}]}},\
             {weight: 5, preference: {matchExpressions: [{key: foo, operator: In, values: [bar]}, {key: key, operator: In, values: [value]}, {key: az, operator: In, values: [az1]}]}}]}}}",
        );
        let tc = TestCluster::new(
            vec![
                node("node1", 1, 1, &[("foo", "bar")]),
                node(
                    "node5",
                    1,
                    1,
                    &[("foo", "bar"), ("key", "value"), ("az", "az1")],
                ),
                node("node2", 1, 1, &[("key", "value")]),
            ],
            vec![],
        );
        let mut scores: Vec<i64> = (0..3)
            .map(|i| NodeAffinityScore::default().score(&p, NodeId(i), tc.snapshot()))
            .collect();
        assert_eq!(scores, [2, 11, 4]);
        NodeAffinityScore::default().normalize(&mut scores);
        assert_eq!(scores, [18, 100, 36]);
    }
}
