//! interpodaffinity/{filtering,scoring}.go: required pod affinity and anti-affinity of the
//! incoming pod, existing pods' required anti-affinity (Filter), and preferred terms of both
//! sides plus existing pods' required affinity at `hardPodAffinityWeight` (Score).

use std::collections::BTreeMap;

use crate::api::{Pod, PodAffinityTerm, WeightedPodAffinityTerm};
use crate::cluster::{NodeId, PodRecord};
use crate::scheduler::events::{
    ActionType, ClusterEventType, EventResource, QueueEvent, QueueingHint,
};
use crate::scheduler::framework::{
    FilterPlugin, MAX_NODE_SCORE, ScorePlugin, Snapshot, Status, state_not_found,
};
use crate::scheduler::pod_index::ClassId;

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
pub fn term_selects(owner: &Pod, term: &PodAffinityTerm, target: &Pod, s: Snapshot<'_>) -> bool {
    let Some(selector) = term.label_selector.as_ref() else {
        return false;
    };
    let ns = namespace(target);
    let ns_ok = if term.namespaces.is_empty() && term.namespace_selector.is_none() {
        ns == namespace(owner)
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
    let labels = &target.metadata.labels;
    let owner_labels = &owner.metadata.labels;
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

fn namespace(pod: &Pod) -> &str {
    pod.metadata.namespace.as_deref().unwrap_or("default")
}

/// The required and preferred terms of `owner`'s pod affinity, or of its anti-affinity.
fn terms(owner: &Pod, anti: bool) -> (&[PodAffinityTerm], &[WeightedPodAffinityTerm]) {
    let a = owner.spec.affinity.as_ref();
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

fn required_terms(owner: &Pod, anti: bool) -> &[PodAffinityTerm] {
    terms(owner, anti).0
}

fn preferred_terms(owner: &Pod, anti: bool) -> &[WeightedPodAffinityTerm] {
    terms(owner, anti).1
}

/// topologyKey -> per-domain value (upstream's topologyToMatchedTermCount and
/// scoreMap): domains as numbered by the scheduler cache's `DomainIndex` of the key. The
/// buffers are kept from cycle to cycle; `any` tells whether an entry was made.
#[derive(Default)]
struct TopologyValues {
    keys: Vec<(String, Vec<i64>)>,
    used: usize,
    any: bool,
}

impl TopologyValues {
    fn clear(&mut self) {
        self.used = 0;
        self.any = false;
    }

    fn entries(&self) -> &[(String, Vec<i64>)] {
        &self.keys[..self.used]
    }

    /// Adds `per_pod` for each pod of `class` in every domain of `key` holding one
    /// (processTerm / updateWithAffinityTerms, for all of a class's pods at once).
    fn add_class(&mut self, class: ClassId, key: &str, per_pod: i64, s: Snapshot<'_>) {
        s.cache
            .pods()
            .with_domain_counts(class, key, s.cluster, |domains, counts| {
                let slot = match self.keys[..self.used].iter().position(|(k, _)| k == key) {
                    Some(i) => i,
                    None => {
                        if self.used == self.keys.len() {
                            self.keys.push((String::new(), Vec::new()));
                        }
                        let (k, v) = &mut self.keys[self.used];
                        k.clear();
                        k.push_str(key);
                        v.clear();
                        v.resize(domains.values.len(), 0);
                        self.used += 1;
                        self.used - 1
                    }
                };
                let values = &mut self.keys[slot].1;
                for (v, c) in values.iter_mut().zip(counts) {
                    if c.all > 0 {
                        *v += per_pod * c.all;
                        self.any = true;
                    }
                }
            });
    }

    /// The value of `key` at `node`'s domain (0 when the node lacks the key or no entry).
    fn at(&self, key: &str, node: NodeId, s: Snapshot<'_>) -> i64 {
        let Some((_, values)) = self.entries().iter().find(|(k, _)| k == key) else {
            return 0;
        };
        s.cache
            .pods()
            .with_domains(key, s.cluster, |d| d.domain(node).map_or(0, |i| values[i]))
    }

    /// The sum over every key of the value at `node`'s domain.
    fn sum_at(&self, node: NodeId, s: Snapshot<'_>) -> i64 {
        self.entries()
            .iter()
            .map(|(key, _)| self.at(key, node, s))
            .sum()
    }
}

/// The Filter half.
#[derive(Default)]
pub struct InterPodAffinity {
    /// Topology pairs where an existing pod's required anti-affinity selects the incoming pod.
    existing_anti_affinity_counts: TopologyValues,
    /// Topology pairs of existing pods matching all the incoming pod's affinity terms.
    affinity_counts: TopologyValues,
    /// Topology pairs of existing pods matching one of the incoming pod's anti-affinity terms.
    anti_affinity_counts: TopologyValues,
    /// The pod matches all its own affinity terms (the first pod of a group may land).
    self_matches_affinity: bool,
}

impl FilterPlugin for InterPodAffinity {
    /// plugin.go EventsToRegister with queueing hints: a pod added, relabelled or deleted; a
    /// node added or relabelled.
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        const EVENTS: &[ClusterEventType] = &[
            ClusterEventType::new(
                EventResource::Pod,
                ActionType::ADD
                    .union(ActionType::UPDATE_POD_LABEL)
                    .union(ActionType::DELETE),
            ),
            ClusterEventType::new(
                EventResource::Node,
                ActionType::ADD.union(ActionType::UPDATE_NODE_LABEL),
            ),
        ];
        EVENTS
    }

    fn queueing_hint(&self, pod: &PodRecord, e: &QueueEvent<'_>, s: Snapshot<'_>) -> QueueingHint {
        let queue = if e.kind.resource == EventResource::Node {
            affinity_after_node_change(&pod.pod, e, s)
        } else {
            affinity_after_pod_change(&pod.pod, e, s)
        };
        QueueingHint::queue_if(queue)
    }

    fn name(&self) -> &'static str {
        "InterPodAffinity"
    }

    /// interpodaffinity/filtering.go getPreFilterState.
    fn missing_pre_filter_state(&self) -> Option<String> {
        Some(state_not_found(
            "error reading",
            "PreFilterInterPodAffinity",
        ))
    }

    /// The counts upstream's PreFilter gathers by walking nodes (getExistingAntiAffinityCounts,
    /// getIncomingAffinityAntiAffinityCounts), gathered per pod class from the cache's
    /// per-domain counts: each term is evaluated once per class.
    fn pre_filter(&mut self, pod: &PodRecord, s: Snapshot<'_>) -> Status {
        let incoming = &*pod.pod;
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
        let affinity_terms = required_terms(incoming, false);
        let anti_affinity_terms = required_terms(incoming, true);
        let check_existing = s.cluster.affinity_total().with_required_anti_affinity > 0;
        for (class, existing, _) in s.cache.pods().classes() {
            if check_existing {
                for t in required_terms(existing, true) {
                    if term_selects(existing, t, incoming, s) {
                        self.existing_anti_affinity_counts
                            .add_class(class, &t.topology_key, 1, s);
                    }
                }
            }
            if !affinity_terms.is_empty()
                && affinity_terms
                    .iter()
                    .all(|t| term_selects(incoming, t, existing, s))
            {
                for t in affinity_terms {
                    self.affinity_counts.add_class(class, &t.topology_key, 1, s);
                }
            }
            for t in anti_affinity_terms {
                if term_selects(incoming, t, existing, s) {
                    self.anti_affinity_counts
                        .add_class(class, &t.topology_key, 1, s);
                }
            }
        }
        self.self_matches_affinity = !affinity_terms.is_empty()
            && affinity_terms
                .iter()
                .all(|t| term_selects(incoming, t, incoming, s));
        if !self.existing_anti_affinity_counts.any
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
        for t in required_terms(&pod.pod, false) {
            if !node.labels.contains_key(&t.topology_key) {
                return Status::unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
            }
            if self.affinity_counts.at(&t.topology_key, id, s) <= 0 {
                pods_exist = false;
            }
        }
        let first_of_group = !self.affinity_counts.any && self.self_matches_affinity;
        if !pods_exist && !first_of_group {
            return Status::unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
        }
        // satisfyPodAntiAffinity.
        if self.anti_affinity_counts.any {
            for t in required_terms(&pod.pod, true) {
                if self.anti_affinity_counts.at(&t.topology_key, id, s) > 0 {
                    return Status::unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
                }
            }
        }
        // satisfyExistingPodsAntiAffinity.
        if self.existing_anti_affinity_counts.any
            && self
                .existing_anti_affinity_counts
                .entries()
                .iter()
                .any(|(key, _)| self.existing_anti_affinity_counts.at(key, id, s) > 0)
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
    topology_score: TopologyValues,
}

impl Default for InterPodAffinityScore {
    fn default() -> Self {
        InterPodAffinityScore {
            hard_pod_affinity_weight: 1,
            topology_score: TopologyValues::default(),
        }
    }
}

impl ScorePlugin for InterPodAffinityScore {
    fn name(&self) -> &'static str {
        "InterPodAffinity"
    }

    /// interpodaffinity/scoring.go getPreScoreState.
    fn missing_pre_score_state(&self) -> Option<String> {
        Some(state_not_found(
            "failed to read",
            "PreScoreInterPodAffinity",
        ))
    }

    /// scoring.go PreScore: processExistingPod for every existing pod, here once per pod
    /// class with the class's per-domain counts (a term adds its weight once per pod).
    fn pre_score(&mut self, pod: &PodRecord, _: &[NodeId], s: Snapshot<'_>) -> Status {
        let incoming = &*pod.pod;
        self.topology_score.clear();
        let pref_affinity = preferred_terms(incoming, false);
        let pref_anti = preferred_terms(incoming, true);
        let has_constraints = !pref_affinity.is_empty() || !pref_anti.is_empty();
        if !has_constraints && s.cluster.affinity_total().with_affinity == 0 {
            return Status::SKIP;
        }
        let m = &mut self.topology_score;
        for (class, existing, _) in s.cache.pods().classes() {
            let existing_has_affinity = existing
                .spec
                .affinity
                .as_ref()
                .is_some_and(|a| a.pod_affinity.is_some() || a.pod_anti_affinity.is_some());
            if !has_constraints && !existing_has_affinity {
                continue;
            }
            for (t, sign) in pref_affinity
                .iter()
                .map(|t| (t, 1))
                .chain(pref_anti.iter().map(|t| (t, -1)))
            {
                if term_selects(incoming, &t.pod_affinity_term, existing, s) {
                    let w = i64::from(t.weight) * sign;
                    m.add_class(class, &t.pod_affinity_term.topology_key, w, s);
                }
            }
            if !existing_has_affinity {
                continue;
            }
            if self.hard_pod_affinity_weight > 0 {
                for t in required_terms(existing, false) {
                    if term_selects(existing, t, incoming, s) {
                        let w = self.hard_pod_affinity_weight;
                        m.add_class(class, &t.topology_key, w, s);
                    }
                }
            }
            for (t, sign) in preferred_terms(existing, false)
                .iter()
                .map(|t| (t, 1))
                .chain(preferred_terms(existing, true).iter().map(|t| (t, -1)))
            {
                if term_selects(existing, &t.pod_affinity_term, incoming, s) {
                    let w = i64::from(t.weight) * sign;
                    m.add_class(class, &t.pod_affinity_term.topology_key, w, s);
                }
            }
        }
        if self.topology_score.any {
            Status::SUCCESS
        } else {
            Status::SKIP
        }
    }

    fn score(&self, _pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        self.topology_score.sum_at(id, s)
    }

    fn normalize(&self, scores: &mut [i64]) {
        if !self.topology_score.any {
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

/// `target` matches every one of `terms` (vacuously true without terms), as the hints'
/// matchingTerms checks do.
fn matches_all(
    owner: &Pod,
    terms: &[PodAffinityTerm],
    target: &PodRecord,
    s: Snapshot<'_>,
) -> bool {
    terms.iter().all(|t| term_selects(owner, t, &target.pod, s))
}

/// isSchedulableAfterPodChange: a scheduled pod that now satisfies the pod's required
/// affinity, or no longer matches its required anti-affinity.
fn affinity_after_pod_change(owner: &Pod, e: &QueueEvent<'_>, s: Snapshot<'_>) -> bool {
    let placed = |p: &PodRecord| p.node.is_some() || p.assumed_node.is_some();
    if e.new_pod().is_some_and(|p| !placed(p)) || e.old_pod().is_some_and(|p| !placed(p)) {
        return false;
    }
    let terms = required_terms(owner, false);
    let anti = required_terms(owner, true);
    match (e.old_pod(), e.new_pod()) {
        (Some(old), Some(new)) => {
            (!matches_all(owner, terms, old, s) && matches_all(owner, terms, new, s))
                || (matches_all(owner, anti, old, s) && !matches_all(owner, anti, new, s))
        }
        (None, Some(new)) => matches_all(owner, terms, new, s),
        (Some(old), None) => matches_all(owner, anti, old, s),
        (None, None) => true,
    }
}

/// isSchedulableAfterNodeChange: a node that gained, or changed the value of, a topology key
/// of the pod's required affinity; for anti-affinity also any new node or a lost key.
fn affinity_after_node_change(owner: &Pod, e: &QueueEvent<'_>, _: Snapshot<'_>) -> bool {
    let Some(new) = e.new_node() else {
        return true;
    };
    let old = e.old_node();
    let changed = |key: &str| {
        old.is_some_and(
            |o| matches!((o.labels.get(key), new.labels.get(key)), (Some(a), Some(b)) if a != b),
        )
    };
    let affinity = required_terms(owner, false).iter().any(|t| {
        let key = t.topology_key.as_str();
        match old {
            None => new.labels.contains_key(key),
            Some(o) => !o.labels.contains_key(key) && new.labels.contains_key(key) || changed(key),
        }
    });
    let anti = required_terms(owner, true).iter().any(|t| {
        let key = t.topology_key.as_str();
        match old {
            None => true,
            Some(o) => o.labels.contains_key(key) && !new.labels.contains_key(key) || changed(key),
        }
    });
    affinity || anti
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
