//! interpodaffinity/{filtering,scoring}.go: required pod affinity and anti-affinity of the
//! incoming pod, existing pods' required anti-affinity (Filter), and preferred terms of both
//! sides plus existing pods' required affinity at `hardPodAffinityWeight` (Score).

use std::collections::BTreeMap;

use crate::api::{PodAffinityTerm, WeightedPodAffinityTerm};
use crate::cluster::{NodeId, NodeRecord, PodRecord};
use crate::scheduler::framework::{FilterPlugin, MAX_NODE_SCORE, ScorePlugin, Snapshot, Status};

pub const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";
pub const ERR_REASON_AFFINITY_RULES_NOT_MATCH: &str = "node(s) didn't match pod affinity rules";
pub const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH: &str =
    "node(s) didn't match pod anti-affinity rules";

/// framework.AffinityTerm.Matches for a term of `owner` against `target`: the target's
/// namespace is listed (the owner's own when neither `namespaces` nor `namespaceSelector` is
/// set) or selected, and its labels match the selector with matchLabelKeys /
/// mismatchLabelKeys merged in (as the API server merges them on pod creation). A null
/// labelSelector matches nothing. Evaluated in place: nothing is allocated.
pub fn term_selects(
    owner: &PodRecord,
    term: &PodAffinityTerm,
    target: &PodRecord,
    s: Snapshot<'_>,
) -> bool {
    let Some(selector) = term.label_selector.as_ref() else {
        return false;
    };
    let ns = target.namespace();
    let ns_ok = if term.namespaces.is_empty() && term.namespace_selector.is_none() {
        ns == owner.namespace()
    } else {
        term.namespaces.iter().any(|n| n == ns)
            || term.namespace_selector.as_ref().is_some_and(|sel| {
                match s.cluster.namespace_labels(ns) {
                    Some(labels) => sel.matches(labels),
                    None => sel.matches(&BTreeMap::new()),
                }
            })
    };
    if !ns_ok {
        return false;
    }
    let labels = &target.pod.metadata.labels;
    let owner_labels = &owner.pod.metadata.labels;
    selector.matches(labels)
        && term
            .match_label_keys
            .iter()
            .all(|k| owner_labels.get(k).is_none_or(|v| labels.get(k) == Some(v)))
        && term
            .mismatch_label_keys
            .iter()
            .all(|k| owner_labels.get(k).is_none_or(|v| labels.get(k) != Some(v)))
}

/// The required and preferred terms of `owner`'s pod affinity, or of its anti-affinity.
fn terms(owner: &PodRecord, anti: bool) -> (&[PodAffinityTerm], &[WeightedPodAffinityTerm]) {
    let a = owner.pod.spec.affinity.as_ref();
    let pair = if anti {
        a.and_then(|a| a.pod_anti_affinity.as_ref()).map(|x| {
            (
                &x.required_during_scheduling_ignored_during_execution[..],
                &x.preferred_during_scheduling_ignored_during_execution[..],
            )
        })
    } else {
        a.and_then(|a| a.pod_affinity.as_ref()).map(|x| {
            (
                &x.required_during_scheduling_ignored_during_execution[..],
                &x.preferred_during_scheduling_ignored_during_execution[..],
            )
        })
    };
    pair.unwrap_or((&[], &[]))
}

fn required_terms(owner: &PodRecord, anti: bool) -> &[PodAffinityTerm] {
    terms(owner, anti).0
}

fn preferred_terms(owner: &PodRecord, anti: bool) -> &[WeightedPodAffinityTerm] {
    terms(owner, anti).1
}

/// topologyKey -> value -> count (topologyToMatchedTermCount), looked up without allocating.
type TopologyCounts = BTreeMap<String, BTreeMap<String, i64>>;

fn bump(counts: &mut TopologyCounts, key: &str, value: &str) {
    let values = match counts.get_mut(key) {
        Some(v) => v,
        None => counts.entry(key.to_string()).or_default(),
    };
    match values.get_mut(value) {
        Some(n) => *n += 1,
        None => {
            values.insert(value.to_string(), 1);
        }
    }
}

fn count(counts: &TopologyCounts, key: &str, value: &str) -> i64 {
    counts
        .get(key)
        .and_then(|values| values.get(value))
        .copied()
        .unwrap_or(0)
}

/// The Filter half.
#[derive(Default)]
pub struct InterPodAffinity {
    /// Topology pairs where an existing pod's required anti-affinity selects the incoming pod.
    existing_anti_affinity_counts: TopologyCounts,
    /// Topology pairs of existing pods matching all the incoming pod's affinity terms.
    affinity_counts: TopologyCounts,
    /// Topology pairs of existing pods matching one of the incoming pod's anti-affinity terms.
    anti_affinity_counts: TopologyCounts,
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
                            && term_selects(existing, t, pod, s)
                        {
                            bump(&mut self.existing_anti_affinity_counts, &t.topology_key, v);
                        }
                    }
                }
            }
        }
        let affinity_terms = required_terms(pod, false);
        let anti_affinity_terms = required_terms(pod, true);
        // getIncomingAffinityAntiAffinityCounts over all nodes.
        if !affinity_terms.is_empty() || !anti_affinity_terms.is_empty() {
            for node in s.nodes() {
                if node.pods.is_empty() {
                    continue;
                }
                for existing in s.pods_on(node) {
                    if !affinity_terms.is_empty()
                        && affinity_terms
                            .iter()
                            .all(|t| term_selects(pod, t, existing, s))
                    {
                        for t in affinity_terms {
                            if let Some(v) = node.labels.get(&t.topology_key) {
                                bump(&mut self.affinity_counts, &t.topology_key, v);
                            }
                        }
                    }
                    for t in anti_affinity_terms {
                        if let Some(v) = node.labels.get(&t.topology_key)
                            && term_selects(pod, t, existing, s)
                        {
                            bump(&mut self.anti_affinity_counts, &t.topology_key, v);
                        }
                    }
                }
            }
        }
        self.self_matches_affinity = !affinity_terms.is_empty()
            && affinity_terms.iter().all(|t| term_selects(pod, t, pod, s));
        if self.existing_anti_affinity_counts.is_empty()
            && affinity_terms.is_empty()
            && anti_affinity_terms.is_empty()
        {
            return Status::SKIP;
        }
        Status::SUCCESS
    }

    fn filter(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> Status {
        let node = s.node(id);
        // satisfyPodAffinity.
        let mut pods_exist = true;
        for t in required_terms(pod, false) {
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
            for t in required_terms(pod, true) {
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

/// processTerm: when the term of `owner` selects `target`, add `weight * multiplier` to the
/// topology pair of `node` (the node of whichever of the two is already placed).
#[allow(clippy::too_many_arguments)]
fn add_score(
    m: &mut BTreeMap<String, BTreeMap<String, i64>>,
    owner: &PodRecord,
    term: &PodAffinityTerm,
    weight: i64,
    target: &PodRecord,
    node: &NodeRecord,
    multiplier: i64,
    s: Snapshot<'_>,
) {
    if let Some(v) = node.labels.get(&term.topology_key)
        && term_selects(owner, term, target, s)
    {
        // Look up before inserting: the keys are cloned only the first time.
        let values = match m.get_mut(&term.topology_key) {
            Some(values) => values,
            None => m.entry(term.topology_key.clone()).or_default(),
        };
        match values.get_mut(v) {
            Some(score) => *score += weight * multiplier,
            None => {
                values.insert(v.clone(), weight * multiplier);
            }
        }
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
                for t in pref_affinity {
                    let w = i64::from(t.weight);
                    add_score(m, pod, &t.pod_affinity_term, w, existing, node, 1, s);
                }
                for t in pref_anti {
                    let w = i64::from(t.weight);
                    add_score(m, pod, &t.pod_affinity_term, w, existing, node, -1, s);
                }
                if !existing_has_affinity {
                    continue;
                }
                if self.hard_pod_affinity_weight > 0 {
                    for t in required_terms(existing, false) {
                        let w = self.hard_pod_affinity_weight;
                        add_score(m, existing, t, w, pod, node, 1, s);
                    }
                }
                for t in preferred_terms(existing, false) {
                    let w = i64::from(t.weight);
                    add_score(m, existing, &t.pod_affinity_term, w, pod, node, 1, s);
                }
                for t in preferred_terms(existing, true) {
                    let w = i64::from(t.weight);
                    add_score(m, existing, &t.pod_affinity_term, w, pod, node, -1, s);
                }
            }
        }
        if self.topology_score.is_empty() {
            Status::SKIP
        } else {
            Status::SUCCESS
        }
    }

    fn score(&self, _pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        let node = s.node(id);
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
        pl.filter(incoming, NodeId(0), tc.snapshot()).code
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
            .map(|i| pl.score(&p, NodeId(i as u32), tc.snapshot()))
            .collect();
        pl.normalize(&mut scores);
        assert_eq!(scores, [100, 0, 0]);
    }
}
