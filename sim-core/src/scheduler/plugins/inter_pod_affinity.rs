//! interpodaffinity/{filtering,scoring}.go: required pod affinity and anti-affinity of the
//! incoming pod, existing pods' required anti-affinity (Filter), and preferred terms of both
//! sides plus existing pods' required affinity at `hardPodAffinityWeight` (Score).

use std::collections::BTreeMap;

use crate::api::{
    LabelSelector, LabelSelectorOperator, LabelSelectorRequirement, PodAffinityTerm,
    WeightedPodAffinityTerm,
};
use crate::cluster::{NodeId, NodeRecord, PodRecord};
use crate::scheduler::framework::{FilterPlugin, MAX_NODE_SCORE, ScorePlugin, Snapshot, Status};

pub const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";
pub const ERR_REASON_AFFINITY_RULES_NOT_MATCH: &str = "node(s) didn't match pod affinity rules";
pub const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH: &str =
    "node(s) didn't match pod anti-affinity rules";

/// framework.AffinityTerm: a term of `owner` with its namespaces resolved and matchLabelKeys /
/// mismatchLabelKeys merged into the selector (as the API server does on pod creation).
#[derive(Clone, Debug)]
pub struct AffinityTerm {
    namespaces: Vec<String>,
    namespace_selector: Option<LabelSelector>,
    /// `None` is a null labelSelector: matches nothing.
    selector: Option<LabelSelector>,
    pub topology_key: String,
    pub weight: i64,
}

impl AffinityTerm {
    pub fn new(owner: &PodRecord, term: &PodAffinityTerm, weight: i64) -> AffinityTerm {
        let namespaces = if term.namespaces.is_empty() && term.namespace_selector.is_none() {
            vec![owner.namespace().to_string()]
        } else {
            term.namespaces.clone()
        };
        let mut selector = term.label_selector.clone();
        if let Some(sel) = selector.as_mut() {
            let labels = &owner.pod.metadata.labels;
            let keys = term
                .match_label_keys
                .iter()
                .map(|k| (k, LabelSelectorOperator::In))
                .chain(
                    term.mismatch_label_keys
                        .iter()
                        .map(|k| (k, LabelSelectorOperator::NotIn)),
                );
            for (key, op) in keys {
                if let Some(v) = labels.get(key) {
                    sel.match_expressions.push(LabelSelectorRequirement {
                        key: key.clone(),
                        operator: Some(op),
                        values: vec![v.clone()],
                    });
                }
            }
        }
        AffinityTerm {
            namespaces,
            namespace_selector: term.namespace_selector.clone(),
            selector,
            topology_key: term.topology_key.clone(),
            weight,
        }
    }

    /// AffinityTerm.Matches: the pod's namespace is listed or selected, and its labels match.
    pub fn matches(&self, pod: &PodRecord, s: Snapshot<'_>) -> bool {
        let ns = pod.namespace();
        let ns_ok = self.namespaces.iter().any(|n| n == ns)
            || self.namespace_selector.as_ref().is_some_and(|sel| {
                match s.cluster.namespace_labels(ns) {
                    Some(labels) => sel.matches(labels),
                    None => sel.matches(&BTreeMap::new()),
                }
            });
        ns_ok
            && self
                .selector
                .as_ref()
                .is_some_and(|sel| sel.matches(&pod.pod.metadata.labels))
    }
}

fn required_terms(owner: &PodRecord, anti: bool) -> Vec<AffinityTerm> {
    let Some(a) = owner.pod.spec.affinity.as_ref() else {
        return Vec::new();
    };
    let terms: &[PodAffinityTerm] = if anti {
        a.pod_anti_affinity.as_ref().map_or(&[], |x| {
            x.required_during_scheduling_ignored_during_execution
                .as_slice()
        })
    } else {
        a.pod_affinity.as_ref().map_or(&[], |x| {
            x.required_during_scheduling_ignored_during_execution
                .as_slice()
        })
    };
    terms
        .iter()
        .map(|t| AffinityTerm::new(owner, t, 1))
        .collect()
}

fn preferred_terms(owner: &PodRecord, anti: bool) -> Vec<AffinityTerm> {
    let Some(a) = owner.pod.spec.affinity.as_ref() else {
        return Vec::new();
    };
    let terms: &[WeightedPodAffinityTerm] = if anti {
        a.pod_anti_affinity.as_ref().map_or(&[], |x| {
            x.preferred_during_scheduling_ignored_during_execution
                .as_slice()
        })
    } else {
        a.pod_affinity.as_ref().map_or(&[], |x| {
            x.preferred_during_scheduling_ignored_during_execution
                .as_slice()
        })
    };
    terms
        .iter()
        .map(|t| AffinityTerm::new(owner, &t.pod_affinity_term, i64::from(t.weight)))
        .collect()
}

type TopologyPair = (String, String);

fn bump(counts: &mut BTreeMap<TopologyPair, i64>, key: &str, value: &str) {
    match counts.get_mut(&(key.to_string(), value.to_string())) {
        Some(v) => *v += 1,
        None => {
            counts.insert((key.to_string(), value.to_string()), 1);
        }
    }
}

fn count(counts: &BTreeMap<TopologyPair, i64>, key: &str, value: &str) -> i64 {
    counts
        .get(&(key.to_string(), value.to_string()))
        .copied()
        .unwrap_or(0)
}

/// The Filter half.
#[derive(Default)]
pub struct InterPodAffinity {
    affinity_terms: Vec<AffinityTerm>,
    anti_affinity_terms: Vec<AffinityTerm>,
    /// Topology pairs where an existing pod's required anti-affinity selects the incoming pod.
    existing_anti_affinity_counts: BTreeMap<TopologyPair, i64>,
    /// Topology pairs of existing pods matching all the incoming pod's affinity terms.
    affinity_counts: BTreeMap<TopologyPair, i64>,
    /// Topology pairs of existing pods matching one of the incoming pod's anti-affinity terms.
    anti_affinity_counts: BTreeMap<TopologyPair, i64>,
    /// The pod matches all its own affinity terms (the first pod of a group may land).
    self_matches_affinity: bool,
}

impl FilterPlugin for InterPodAffinity {
    fn name(&self) -> &'static str {
        "InterPodAffinity"
    }

    fn pre_filter(&mut self, pod: &PodRecord, s: Snapshot<'_>) -> Status {
        let has_terms = pod.pod.spec.affinity.as_ref().is_some_and(|a| {
            a.pod_affinity.as_ref().is_some_and(|x| {
                !x.required_during_scheduling_ignored_during_execution
                    .is_empty()
            }) || a.pod_anti_affinity.as_ref().is_some_and(|x| {
                !x.required_during_scheduling_ignored_during_execution
                    .is_empty()
            })
        });
        if !has_terms && s.cluster.affinity_total().with_required_anti_affinity == 0 {
            return Status::SKIP;
        }
        self.existing_anti_affinity_counts.clear();
        self.affinity_counts.clear();
        self.anti_affinity_counts.clear();
        // getExistingAntiAffinityCounts over nodes with pods with required anti-affinity.
        if s.cluster.affinity_total().with_required_anti_affinity > 0 {
            for node in s.nodes() {
                if node.affinity.with_required_anti_affinity == 0 {
                    continue;
                }
                for existing in s.pods_on(node) {
                    for t in required_terms(existing, true) {
                        if let Some(v) = node.labels.get(&t.topology_key)
                            && t.matches(pod, s)
                        {
                            bump(&mut self.existing_anti_affinity_counts, &t.topology_key, v);
                        }
                    }
                }
            }
        }
        self.affinity_terms = required_terms(pod, false);
        self.anti_affinity_terms = required_terms(pod, true);
        // getIncomingAffinityAntiAffinityCounts over all nodes.
        if !self.affinity_terms.is_empty() || !self.anti_affinity_terms.is_empty() {
            for node in s.nodes() {
                for existing in s.pods_on(node) {
                    if !self.affinity_terms.is_empty()
                        && self.affinity_terms.iter().all(|t| t.matches(existing, s))
                    {
                        for t in &self.affinity_terms {
                            if let Some(v) = node.labels.get(&t.topology_key) {
                                bump(&mut self.affinity_counts, &t.topology_key, v);
                            }
                        }
                    }
                    for t in &self.anti_affinity_terms {
                        if let Some(v) = node.labels.get(&t.topology_key)
                            && t.matches(existing, s)
                        {
                            bump(&mut self.anti_affinity_counts, &t.topology_key, v);
                        }
                    }
                }
            }
        }
        self.self_matches_affinity = !self.affinity_terms.is_empty()
            && self.affinity_terms.iter().all(|t| t.matches(pod, s));
        if self.existing_anti_affinity_counts.is_empty()
            && self.affinity_terms.is_empty()
            && self.anti_affinity_terms.is_empty()
        {
            return Status::SKIP;
        }
        Status::SUCCESS
    }

    fn filter(&self, _pod: &PodRecord, node: &NodeRecord, _: Snapshot<'_>) -> Status {
        // satisfyPodAffinity.
        let mut pods_exist = true;
        for t in &self.affinity_terms {
            let Some(v) = node.labels.get(&t.topology_key) else {
                return Status::unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
            };
            if count(&self.affinity_counts, &t.topology_key, v) <= 0 {
                pods_exist = false;
            }
        }
        let first_of_group = self.affinity_counts.is_empty() && self.self_matches_affinity;
        if !pods_exist && !first_of_group {
            return Status::unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
        }
        // satisfyPodAntiAffinity.
        if !self.anti_affinity_counts.is_empty() {
            for t in &self.anti_affinity_terms {
                if let Some(v) = node.labels.get(&t.topology_key)
                    && count(&self.anti_affinity_counts, &t.topology_key, v) > 0
                {
                    return Status::unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
                }
            }
        }
        // satisfyExistingPodsAntiAffinity.
        if !self.existing_anti_affinity_counts.is_empty()
            && node
                .labels
                .iter()
                .any(|(k, v)| count(&self.existing_anti_affinity_counts, k, v) > 0)
        {
            return Status::unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
        }
        Status::SUCCESS
    }
}

/// The Score half.
pub struct InterPodAffinityScore {
    /// `hardPodAffinityWeight` (default 1).
    pub hard_pod_affinity_weight: i64,
    /// topologyKey -> value -> score.
    topology_score: BTreeMap<String, BTreeMap<String, i64>>,
}

impl Default for InterPodAffinityScore {
    fn default() -> Self {
        InterPodAffinityScore {
            hard_pod_affinity_weight: 1,
            topology_score: BTreeMap::new(),
        }
    }
}

fn add_score(
    m: &mut BTreeMap<String, BTreeMap<String, i64>>,
    term: &AffinityTerm,
    weight: i64,
    target: &PodRecord,
    node: &NodeRecord,
    multiplier: i64,
    s: Snapshot<'_>,
) {
    if let Some(v) = node.labels.get(&term.topology_key)
        && term.matches(target, s)
    {
        *m.entry(term.topology_key.clone())
            .or_default()
            .entry(v.clone())
            .or_insert(0) += weight * multiplier;
    }
}

impl ScorePlugin for InterPodAffinityScore {
    fn name(&self) -> &'static str {
        "InterPodAffinity"
    }

    fn pre_score(&mut self, pod: &PodRecord, _: &[NodeId], s: Snapshot<'_>) -> Status {
        self.topology_score.clear();
        let pref_affinity = preferred_terms(pod, false);
        let pref_anti = preferred_terms(pod, true);
        let has_constraints = !pref_affinity.is_empty() || !pref_anti.is_empty();
        if !has_constraints && s.cluster.affinity_total().with_affinity == 0 {
            return Status::SKIP;
        }
        for node in s.nodes() {
            if node.labels.is_empty() || (!has_constraints && node.affinity.with_affinity == 0) {
                continue;
            }
            for existing in s.pods_on(node) {
                let existing_has_affinity = existing
                    .pod
                    .spec
                    .affinity
                    .as_ref()
                    .is_some_and(|a| a.pod_affinity.is_some() || a.pod_anti_affinity.is_some());
                if !has_constraints && !existing_has_affinity {
                    continue;
                }
                let m = &mut self.topology_score;
                for t in &pref_affinity {
                    add_score(m, t, t.weight, existing, node, 1, s);
                }
                for t in &pref_anti {
                    add_score(m, t, t.weight, existing, node, -1, s);
                }
                if !existing_has_affinity {
                    continue;
                }
                if self.hard_pod_affinity_weight > 0 {
                    for t in required_terms(existing, false) {
                        add_score(m, &t, self.hard_pod_affinity_weight, pod, node, 1, s);
                    }
                }
                for t in preferred_terms(existing, false) {
                    add_score(m, &t, t.weight, pod, node, 1, s);
                }
                for t in preferred_terms(existing, true) {
                    add_score(m, &t, t.weight, pod, node, -1, s);
                }
            }
        }
        if self.topology_score.is_empty() {
            Status::SKIP
        } else {
            Status::SUCCESS
        }
    }

    fn score(&self, _pod: &PodRecord, node: &NodeRecord, _: Snapshot<'_>) -> i64 {
        self.topology_score
            .iter()
            .filter_map(|(key, values)| node.labels.get(key).and_then(|v| values.get(v)))
            .sum()
    }

    fn normalize(&self, scores: &mut [i64]) {
        if self.topology_score.is_empty() {
            return;
        }
        let min = scores.iter().copied().min().unwrap_or(0);
        let max = scores.iter().copied().max().unwrap_or(0);
        let diff = max - min;
        for s in scores.iter_mut() {
            *s = if diff > 0 {
                (MAX_NODE_SCORE as f64 * ((*s - min) as f64 / diff as f64)) as i64
            } else {
                0
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::framework::Code::{self, *};
    use crate::scheduler::testutil::{TestCluster, node, pod};

    const NODE1_LABELS: &[(&str, &str)] = &[("region", "r1"), ("zone", "z11"), ("hostname", "h1")];

    fn term(selector: &str, topology_key: &str, namespaces: &str) -> String {
        format!("{{labelSelector: {selector}, topologyKey: {topology_key}{namespaces}}}")
    }

    fn affinity(kind: &str, terms: &[String]) -> String {
        format!(
            "{{affinity: {{{kind}: {{requiredDuringSchedulingIgnoredDuringExecution: [{}]}}}}}}",
            terms.join(", ")
        )
    }

    fn filter_code(incoming: &PodRecord, existing: Vec<(PodRecord, usize)>) -> Code {
        let tc = TestCluster::new(vec![node("node1", 1000, 1000, NODE1_LABELS)], existing);
        let mut pl = InterPodAffinity::default();
        let pre = pl.pre_filter(incoming, tc.snapshot());
        if pre.code == Skip {
            return Success;
        }
        pl.filter(incoming, tc.node(0), tc.snapshot()).code
    }

    /// interpodaffinity/filtering_test.go TestRequiredAffinitySingleNode.
    #[test]
    fn required_affinity_single_node() {
        let sec =
            "{matchExpressions: [{key: service, operator: In, values: [securityscan, value2]}]}";
        let security_scan = || pod("e", "default", &[("service", "securityscan")], "{}");
        type Case = (&'static str, PodRecord, Vec<(PodRecord, usize)>, Code);
        let cases: Vec<Case> = vec![
            (
                "A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods",
                pod("p", "default", &[], "{}"),
                vec![],
                Success,
            ),
            (
                "satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod",
                pod(
                    "p",
                    "default",
                    &[],
                    &affinity("podAffinity", &[term(sec, "region", "")]),
                ),
                vec![(security_scan(), 0)],
                Success,
            ),
            (
                "Does not satisfy the PodAffinity with labelSelector because of diff Namespace",
                pod(
                    "p",
                    "default",
                    &[],
                    &affinity(
                        "podAffinity",
                        &[term(sec, "region", ", namespaces: [DiffNameSpace]")],
                    ),
                ),
                vec![(security_scan(), 0)],
                UnschedulableAndUnresolvable,
            ),
            (
                "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
                pod(
                    "p",
                    "default",
                    &[],
                    &affinity(
                        "podAffinity",
                        &[term(
                            "{matchExpressions: [{key: service, operator: In, values: [antivirusscan, value2]}]}",
                            "region",
                            "",
                        )],
                    ),
                ),
                vec![(security_scan(), 0)],
                UnschedulableAndUnresolvable,
            ),
            (
                "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
                pod(
                    "p",
                    "default",
                    &[],
                    &format!(
                        "{{affinity: {{podAffinity: {{requiredDuringSchedulingIgnoredDuringExecution: [{}]}}, podAntiAffinity: {{requiredDuringSchedulingIgnoredDuringExecution: [{}]}}}}}}",
                        term(sec, "region", ""),
                        term(sec, "zone", "")
                    ),
                ),
                vec![(security_scan(), 0)],
                Unschedulable,
            ),
            (
                "verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
                pod("p", "default", &[("service", "securityscan")], "{}"),
                vec![(
                    pod(
                        "e",
                        "default",
                        &[],
                        &affinity("podAntiAffinity", &[term(sec, "zone", "")]),
                    ),
                    0,
                )],
                Unschedulable,
            ),
            (
                "The affinity rule is to schedule all of the pods of this collection to the same zone. The first pod of the collection should not be blocked from being scheduled onto any node, even there's no existing pod that matches the rule anywhere.",
                pod(
                    "p",
                    "default",
                    &[("foo", "bar")],
                    &affinity(
                        "podAffinity",
                        &[term(
                            "{matchExpressions: [{key: foo, operator: In, values: [bar]}]}",
                            "zone",
                            "",
                        )],
                    ),
                ),
                vec![],
                Success,
            ),
        ];
        for (name, incoming, existing, want) in cases {
            assert_eq!(filter_code(&incoming, existing), want, "{name}");
        }
    }

    /// interpodaffinity/scoring_test.go TestPreferredAffinity ("Affinity: pod that matches
    /// topology key & pods in nodes will get high score comparing to others which doesn't match
    /// either pods in nodes or in topology key").
    #[test]
    fn preferred_affinity_score() {
        let tc = TestCluster::new(
            vec![
                node("node1", 1000, 1000, &[("region", "China"), ("az", "az1")]),
                node("node2", 1000, 1000, &[("region", "India")]),
                node("node3", 1000, 1000, &[("az", "az1")]),
            ],
            vec![
                (pod("e1", "default", &[("security", "S1")], "{}"), 0),
                (pod("e2", "default", &[("security", "S2")], "{}"), 1),
                (pod("e3", "default", &[("security", "S1")], "{}"), 2),
            ],
        );
        let p = pod(
            "p",
            "default",
            &[],
            "{affinity: {podAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 5, podAffinityTerm: {labelSelector: {matchExpressions: [{key: security, operator: In, values: [S1]}]}, topologyKey: region}}]}}}",
        );
        let mut pl = InterPodAffinityScore::default();
        let ids: Vec<NodeId> = (0..3).map(NodeId).collect();
        assert_eq!(pl.pre_score(&p, &ids, tc.snapshot()), Status::SUCCESS);
        let mut scores: Vec<i64> = (0..3)
            .map(|i| pl.score(&p, tc.node(i), tc.snapshot()))
            .collect();
        pl.normalize(&mut scores);
        assert_eq!(scores, [100, 0, 0]);
    }
}
