//! podtopologyspread/{common,filtering,scoring}.go: DoNotSchedule constraints filter nodes by
//! skew; ScheduleAnyway constraints (or the system defaults) score them.
//! NodeInclusionPolicyInPodTopologySpread (GA in 1.33), MinDomains and MatchLabelKeys are on.

use std::collections::BTreeMap;

use crate::api::{
    LabelSelector, NodeInclusionPolicy, TopologySpreadConstraint, UnsatisfiableConstraintAction,
};
use crate::cluster::{NodeId, NodeRecord, PodRecord};
use crate::scheduler::events::{
    ActionType, ClusterEventType, EventResource, QueueEvent, QueueingHint,
};
use crate::scheduler::framework::{
    FilterPlugin, MAX_NODE_SCORE, ScorePlugin, Snapshot, Status, state_not_found,
};
use crate::scheduler::pod_index::{DomainIndex, NO_DOMAIN};

use super::node_affinity::{has_required_node_affinity, required_node_affinity_matches};
use super::taint_toleration::first_untolerated_do_not_schedule;

pub const ERR_REASON_CONSTRAINTS_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints";
pub const ERR_REASON_NODE_LABEL_NOT_MATCH: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";

const LABEL_HOSTNAME: &str = "kubernetes.io/hostname";

/// The default `defaultConstraints` when `defaultingType: System` (plugins/podtopologyspread
/// plugin.go systemDefaultConstraints).
pub fn system_default_constraints() -> Vec<TopologySpreadConstraint> {
    vec![
        TopologySpreadConstraint {
            max_skew: 3,
            topology_key: LABEL_HOSTNAME.into(),
            when_unsatisfiable: Some(UnsatisfiableConstraintAction::ScheduleAnyway),
            ..Default::default()
        },
        TopologySpreadConstraint {
            max_skew: 5,
            topology_key: "topology.kubernetes.io/zone".into(),
            when_unsatisfiable: Some(UnsatisfiableConstraintAction::ScheduleAnyway),
            ..Default::default()
        },
    ]
}

/// topologySpreadConstraint: a constraint with its selector resolved. `selector: None` is a
/// null labelSelector, which matches nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraint {
    pub max_skew: i32,
    pub topology_key: String,
    pub selector: Option<LabelSelector>,
    pub min_domains: i32,
    pub honor_node_affinity: bool,
    pub honor_node_taints: bool,
}

impl Constraint {
    pub fn selects(&self, labels: &BTreeMap<String, String>) -> bool {
        self.selector.as_ref().is_some_and(|s| s.matches(labels))
    }

    /// matchNodeInclusionPolicies.
    fn includes(&self, pod: &PodRecord, node: &NodeRecord) -> bool {
        if self.honor_node_affinity && !required_node_affinity_matches(&pod.pod.spec, node) {
            return false;
        }
        !(self.honor_node_taints
            && first_untolerated_do_not_schedule(&node.taints, &pod.pod.spec.tolerations).is_some())
    }
}

/// filterTopologySpreadConstraints: the constraints with `action`, with matchLabelKeys merged
/// into their selectors.
pub fn constraints_for(
    constraints: &[TopologySpreadConstraint],
    pod_labels: &BTreeMap<String, String>,
    action: UnsatisfiableConstraintAction,
) -> Vec<Constraint> {
    constraints
        .iter()
        .filter(|c| c.when_unsatisfiable.as_ref() == Some(&action))
        .map(|c| {
            let mut selector = c.label_selector.clone();
            if let Some(sel) = selector.as_mut() {
                for key in &c.match_label_keys {
                    if let Some(v) = pod_labels.get(key) {
                        sel.match_labels.insert(key.clone(), v.clone());
                    }
                }
            }
            Constraint {
                max_skew: c.max_skew,
                topology_key: c.topology_key.clone(),
                selector,
                min_domains: c.min_domains.unwrap_or(1),
                honor_node_affinity: c.node_affinity_policy != Some(NodeInclusionPolicy::Ignore),
                honor_node_taints: c.node_taints_policy == Some(NodeInclusionPolicy::Honor),
            }
        })
        .collect()
}

/// helper.DefaultSelector without Services (kubesim has none): the selector of the pod's
/// controlling ReplicaSet or StatefulSet. `None` when there is nothing to select by.
pub fn default_selector(pod: &PodRecord, s: Snapshot<'_>) -> Option<LabelSelector> {
    let owner = pod
        .pod
        .metadata
        .owner_references
        .iter()
        .find(|o| o.controller == Some(true))?;
    let group = owner.api_version.split('/').next().unwrap_or("");
    if group != "apps" || !matches!(owner.kind.as_str(), "ReplicaSet" | "StatefulSet") {
        return None;
    }
    let sel = s
        .cluster
        .workload_selector(&owner.kind, pod.namespace(), &owner.name)?;
    (!sel.is_empty()).then(|| sel.clone())
}

/// The pod's constraints with `action` (common.go filterTopologySpreadConstraints over the
/// pod's own, else buildDefaultConstraints over `defaults` with the owner's selector; the
/// defaults apply only when there is a selector).
fn pod_constraints(
    defaults: &[TopologySpreadConstraint],
    pod: &PodRecord,
    s: Snapshot<'_>,
    action: UnsatisfiableConstraintAction,
) -> Vec<Constraint> {
    let spec = &pod.pod.spec;
    if !spec.topology_spread_constraints.is_empty() {
        return constraints_for(
            &spec.topology_spread_constraints,
            &pod.pod.metadata.labels,
            action,
        );
    }
    if !defaults
        .iter()
        .any(|c| c.when_unsatisfiable.as_ref() == Some(&action))
    {
        return Vec::new();
    }
    let Some(selector) = default_selector(pod, s) else {
        return Vec::new();
    };
    let mut cs = constraints_for(defaults, &pod.pod.metadata.labels, action);
    for c in &mut cs {
        c.selector = Some(selector.clone());
    }
    cs
}

/// nodeLabelsMatchSpreadConstraints: the node carries every constraint's topology key.
fn has_all_keys(node: &NodeRecord, constraints: &[Constraint]) -> bool {
    constraints
        .iter()
        .all(|c| node.labels.contains_key(&c.topology_key))
}

/// countPodsMatchSelector: pods in `namespace`, not terminating, selected by `c`.
fn count_matching(c: &Constraint, node: &NodeRecord, namespace: &str, s: Snapshot<'_>) -> i64 {
    if node.pods.is_empty() {
        return 0;
    }
    s.pods_on(node)
        .filter(|p| p.deletion.is_none() && p.namespace() == namespace)
        .filter(|p| c.selects(&p.pod.metadata.labels))
        .count() as i64
}

/// The Filter half (DoNotSchedule constraints).
#[derive(Default)]
pub struct PodTopologySpread {
    /// Cluster-level default constraints (`defaultConstraints`); the system defaults are all
    /// ScheduleAnyway, so they never reach Filter.
    pub default_constraints: Vec<TopologySpreadConstraint>,
    constraints: Vec<Constraint>,
    /// The pod's own constraints (and labels, when matchLabelKeys reads them) that
    /// `constraints` was built from: the next pod with equal ones reuses them.
    built_from: Option<(Vec<TopologySpreadConstraint>, BTreeMap<String, String>)>,
    /// Per constraint: matching pods per domain index (TpValueToMatchNum), and whether the
    /// domain is eligible (has a node that passes the inclusion policies).
    counts: Vec<Vec<(i64, bool)>>,
    /// Each topology key in use: every node's domain, rebuilt when nodes change.
    keys: Vec<KeyDomains>,
    /// Per constraint: its key's position in `keys`.
    key_of: Vec<usize>,
    /// Per constraint, per pod class: the class's pods count toward the constraint (same
    /// namespace, selected).
    matching: Vec<Vec<bool>>,
    /// Per constraint, per domain: `matchNum + selfMatchNum - minMatchNum <= maxSkew`, so the
    /// pod may land on the domain's nodes. Filter reads one flag per constraint and node.
    fits: Vec<Vec<bool>>,
}

/// Topology key -> each node's domain, as of a node generation.
struct KeyDomains {
    generation: u64,
    domains: DomainIndex,
}

impl PodTopologySpread {
    /// TpValueToMatchNum: per constraint and domain, the pods matching the constraint on
    /// nodes that carry every topology key and pass the inclusion policies. A selector is
    /// evaluated once per pod class; when every node is included and all constraints share
    /// one key, the index's per-domain counts are added up directly (O(classes × domains)),
    /// otherwise node by node from each node's classes.
    fn count_matching_pods(&mut self, pod: &PodRecord, s: Snapshot<'_>) {
        let index = s.cache.pods();
        let ns = pod.namespace();
        let classes = index.class_count();
        self.matching.resize_with(self.constraints.len(), Vec::new);
        for (i, c) in self.constraints.iter().enumerate() {
            let m = &mut self.matching[i];
            m.clear();
            m.resize(classes, false);
            for (class, p, _) in index.classes() {
                let class_ns = p.metadata.namespace.as_deref().unwrap_or("default");
                m[class.0 as usize] = class_ns == ns && c.selects(&p.metadata.labels);
            }
        }
        let one_key = self.key_of.iter().all(|&k| k == self.key_of[0]);
        let all_included = self.constraints.iter().all(|c| {
            (!c.honor_node_affinity || !has_required_node_affinity(&pod.pod.spec))
                && (!c.honor_node_taints || !s.cache.any_taints())
        });
        if one_key && all_included {
            // Every node with the key is counted, so every domain is eligible.
            for (i, c) in self.constraints.iter().enumerate() {
                self.counts[i].iter_mut().for_each(|slot| slot.1 = true);
                for (class, _, total) in index.classes() {
                    if !self.matching[i][class.0 as usize] || total.live == 0 {
                        continue;
                    }
                    let slots = &mut self.counts[i];
                    index.with_domain_counts(class, &c.topology_key, s.cluster, |_, counts| {
                        for (slot, n) in slots.iter_mut().zip(counts) {
                            slot.0 += n.live;
                        }
                    });
                }
            }
            return;
        }
        for &id in s.cache.node_order() {
            // nodeLabelsMatchSpreadConstraints: the node carries every topology key.
            if self
                .key_of
                .iter()
                .any(|&k| self.keys[k].domains.of_node[id.0 as usize] == NO_DOMAIN)
            {
                continue;
            }
            let node = s.node(id);
            for (i, c) in self.constraints.iter().enumerate() {
                if !c.includes(pod, node) {
                    continue;
                }
                let domain = self.keys[self.key_of[i]].domains.of_node[id.0 as usize];
                let slot = &mut self.counts[i][domain as usize];
                slot.0 += index
                    .on_node(id)
                    .iter()
                    .filter(|e| self.matching[i][e.class.0 as usize])
                    .map(|e| e.count.live)
                    .sum::<i64>();
                slot.1 = true;
            }
        }
    }

    /// The pod's DoNotSchedule constraints into `constraints`: reused when the pod's own
    /// constraints (and, under matchLabelKeys, its labels) equal the previous pod's, as
    /// consecutive replicas' do; the default constraints depend on the owner's selector and
    /// are built afresh.
    fn set_constraints(&mut self, pod: &PodRecord, s: Snapshot<'_>) {
        let own = &pod.pod.spec.topology_spread_constraints;
        if own.is_empty() {
            self.built_from = None;
            self.constraints = pod_constraints(
                &self.default_constraints,
                pod,
                s,
                UnsatisfiableConstraintAction::DoNotSchedule,
            );
            return;
        }
        let reads_labels = own.iter().any(|c| !c.match_label_keys.is_empty());
        let labels = &pod.pod.metadata.labels;
        let unchanged = self
            .built_from
            .as_ref()
            .is_some_and(|(cs, l)| cs == own && (!reads_labels || l == labels));
        if unchanged {
            return;
        }
        self.constraints =
            constraints_for(own, labels, UnsatisfiableConstraintAction::DoNotSchedule);
        let labels = if reads_labels {
            labels.clone()
        } else {
            BTreeMap::new()
        };
        self.built_from = Some((own.clone(), labels));
    }

    /// Each constraint's key in `keys`, the key's domains rebuilt when nodes changed.
    fn index_keys(&mut self, s: Snapshot<'_>) {
        let generation = s.cluster.node_generation();
        self.key_of.clear();
        for c in &self.constraints {
            let k = match self
                .keys
                .iter()
                .position(|k| k.domains.key == c.topology_key)
            {
                Some(k) => k,
                None => {
                    self.keys.push(KeyDomains {
                        generation,
                        domains: DomainIndex::build(&c.topology_key, s.cluster),
                    });
                    self.keys.len() - 1
                }
            };
            if self.keys[k].generation != generation {
                self.keys[k] = KeyDomains {
                    generation,
                    domains: DomainIndex::build(&c.topology_key, s.cluster),
                };
            }
            self.key_of.push(k);
        }
    }
}

impl FilterPlugin for PodTopologySpread {
    /// plugin.go EventsToRegister with queueing hints: pods added, relabelled, given other
    /// tolerations or deleted; nodes added, deleted, relabelled or retainted.
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        const EVENTS: &[ClusterEventType] = &[
            ClusterEventType::new(
                EventResource::Pod,
                ActionType::ADD
                    .union(ActionType::UPDATE_POD_LABEL)
                    .union(ActionType::UPDATE_POD_TOLERATION)
                    .union(ActionType::DELETE),
            ),
            ClusterEventType::new(
                EventResource::Node,
                ActionType::ADD
                    .union(ActionType::DELETE)
                    .union(ActionType::UPDATE_NODE_LABEL)
                    .union(ActionType::UPDATE_NODE_TAINT),
            ),
        ];
        EVENTS
    }

    fn queueing_hint(&self, pod: &PodRecord, e: &QueueEvent<'_>, s: Snapshot<'_>) -> QueueingHint {
        let constraints = pod_constraints(
            &self.default_constraints,
            pod,
            s,
            UnsatisfiableConstraintAction::DoNotSchedule,
        );
        let queue = if e.kind.resource == EventResource::Node {
            spread_after_node_change(&constraints, e)
        } else {
            spread_after_pod_change(pod, &constraints, e)
        };
        QueueingHint::queue_if(queue)
    }

    fn name(&self) -> &'static str {
        "PodTopologySpread"
    }

    /// podtopologyspread/filtering.go getPreFilterState.
    fn missing_pre_filter_state(&self) -> Option<String> {
        Some(state_not_found("reading", "PreFilterPodTopologySpread"))
    }

    fn pre_filter(&mut self, pod: &PodRecord, s: Snapshot<'_>) -> Status {
        let has_own = !pod.pod.spec.topology_spread_constraints.is_empty();
        if !has_own && self.default_constraints.is_empty() {
            return Status::SKIP;
        }
        self.set_constraints(pod, s);
        if self.constraints.is_empty() {
            return Status::SKIP;
        }
        self.index_keys(s);
        let n = self.constraints.len();
        self.counts.resize_with(n, Vec::new);
        self.counts.truncate(n);
        for (i, &k) in self.key_of.iter().enumerate() {
            let domains = self.keys[k].domains.values.len();
            self.counts[i].clear();
            self.counts[i].resize(domains, (0, false));
        }
        self.count_matching_pods(pod, s);
        self.fits.resize_with(n, Vec::new);
        for (i, c) in self.constraints.iter().enumerate() {
            let eligible = self.counts[i].iter().filter(|(_, e)| *e);
            let domains = eligible.clone().count();
            let min_match = eligible.map(|(n, _)| *n).min();
            // minMatchNum: 0 while fewer domains than minDomains are eligible.
            let min = if (domains as i64) < i64::from(c.min_domains) {
                0
            } else {
                min_match.unwrap_or(i64::from(i32::MAX))
            };
            let self_match = i64::from(c.selects(&pod.pod.metadata.labels));
            // matchNum + selfMatchNum - minMatchNum > maxSkew fails, where matchNum counts
            // only eligible domains.
            let limit = i64::from(c.max_skew) + min - self_match;
            let fits = &mut self.fits[i];
            fits.clear();
            fits.extend(
                self.counts[i]
                    .iter()
                    .map(|&(count, eligible)| (if eligible { count } else { 0 }) <= limit),
            );
        }
        Status::SUCCESS
    }

    fn filter(&self, _: &PodRecord, id: NodeId, _: Snapshot<'_>) -> Status {
        for (i, &k) in self.key_of.iter().enumerate() {
            let Some(&domain) = self.keys[k].domains.of_node.get(id.0 as usize) else {
                return Status::unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
            };
            if domain == NO_DOMAIN {
                return Status::unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
            }
            if !self.fits[i][domain as usize] {
                return Status::unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
            }
        }
        Status::SUCCESS
    }
}

/// The Score half (ScheduleAnyway constraints, or the defaults).
pub struct PodTopologySpreadScore {
    pub default_constraints: Vec<TopologySpreadConstraint>,
    /// `defaultingType: System`: the defaults are the system's, so nodes without a zone label
    /// still get hostname spreading.
    pub system_defaulted: bool,
    constraints: Vec<Constraint>,
    /// Per constraint: domain value -> matching pods (TopologyValueToPodCounts).
    counts: Vec<BTreeMap<String, i64>>,
    weights: Vec<f64>,
    /// Per node id: left out of scoring (misses a topology key).
    ignored: Vec<bool>,
    /// Per feasible index: ignored, for NormalizeScore.
    ignored_feasible: Vec<bool>,
    namespace: String,
}

impl Default for PodTopologySpreadScore {
    fn default() -> Self {
        PodTopologySpreadScore {
            default_constraints: system_default_constraints(),
            system_defaulted: true,
            constraints: Vec::new(),
            counts: Vec::new(),
            weights: Vec::new(),
            ignored: Vec::new(),
            ignored_feasible: Vec::new(),
            namespace: String::new(),
        }
    }
}

/// topologyNormalizingWeight: ln(size + 2).
fn topology_normalizing_weight(size: usize) -> f64 {
    ((size + 2) as f64).ln()
}

impl ScorePlugin for PodTopologySpreadScore {
    fn name(&self) -> &'static str {
        "PodTopologySpread"
    }

    /// podtopologyspread/scoring.go getPreScoreState.
    fn missing_pre_score_state(&self) -> Option<String> {
        Some(state_not_found(
            "error reading",
            "PreScorePodTopologySpread",
        ))
    }

    fn pre_score(&mut self, pod: &PodRecord, feasible: &[NodeId], s: Snapshot<'_>) -> Status {
        let has_own = !pod.pod.spec.topology_spread_constraints.is_empty();
        if !has_own && self.default_constraints.is_empty() {
            return Status::SKIP;
        }
        let constraints = pod_constraints(
            &self.default_constraints,
            pod,
            s,
            UnsatisfiableConstraintAction::ScheduleAnyway,
        );
        if constraints.is_empty() {
            return Status::SKIP;
        }
        let require_all = has_own || !self.system_defaulted;
        self.counts.resize_with(constraints.len(), BTreeMap::new);
        self.counts.truncate(constraints.len());
        self.counts.iter_mut().for_each(BTreeMap::clear);
        self.ignored.clear();
        self.ignored.resize(s.cluster.nodes().len(), false);
        self.ignored_feasible.clear();
        let mut ignored_count = 0;
        for &id in feasible {
            let node = s.node(id);
            if require_all && !has_all_keys(node, &constraints) {
                self.ignored[id.0 as usize] = true;
                self.ignored_feasible.push(true);
                ignored_count += 1;
                continue;
            }
            self.ignored_feasible.push(false);
            for (i, c) in constraints.iter().enumerate() {
                if c.topology_key == LABEL_HOSTNAME {
                    continue;
                }
                let value = node.labels.get(&c.topology_key).map_or("", String::as_str);
                if !self.counts[i].contains_key(value) {
                    self.counts[i].insert(value.to_string(), 0);
                }
            }
        }
        self.weights = constraints
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let size = if c.topology_key == LABEL_HOSTNAME {
                    feasible.len() - ignored_count
                } else {
                    self.counts[i].len()
                };
                topology_normalizing_weight(size)
            })
            .collect();
        let ns = pod.namespace();
        for node in s.nodes() {
            if require_all && !has_all_keys(node, &constraints) {
                continue;
            }
            for (i, c) in constraints.iter().enumerate() {
                if !c.includes(pod, node) {
                    continue;
                }
                let value = node.labels.get(&c.topology_key).map_or("", String::as_str);
                let Some(slot) = self.counts[i].get_mut(value) else {
                    continue;
                };
                *slot += count_matching(c, node, ns, s);
            }
        }
        self.constraints = constraints;
        self.namespace.clear();
        self.namespace.push_str(ns);
        Status::SUCCESS
    }

    fn score(&self, _pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        let node = s.node(id);
        if self.ignored[node.id.0 as usize] {
            return 0;
        }
        let mut score = 0f64;
        for (i, c) in self.constraints.iter().enumerate() {
            let Some(value) = node.labels.get(&c.topology_key) else {
                continue;
            };
            let cnt = if c.topology_key == LABEL_HOSTNAME {
                count_matching(c, node, &self.namespace, s)
            } else {
                self.counts[i].get(value).copied().unwrap_or(0)
            };
            score += cnt as f64 * self.weights[i] + f64::from(c.max_skew - 1);
        }
        score.round() as i64
    }

    fn normalize(&self, scores: &mut [i64]) {
        let mut min = i64::MAX;
        let mut max = 0;
        for (i, &score) in scores.iter().enumerate() {
            if self.ignored_feasible[i] {
                continue;
            }
            min = min.min(score);
            max = max.max(score);
        }
        for (i, score) in scores.iter_mut().enumerate() {
            if self.ignored_feasible[i] {
                *score = 0;
            } else if max == 0 {
                *score = MAX_NODE_SCORE;
            } else {
                *score = MAX_NODE_SCORE * (max + min - *score) / max;
            }
        }
    }
}

/// isSchedulableAfterPodChange: a scheduled pod of the same namespace whose labels now count
/// differently toward a constraint, or the pod's own tolerations when taints are honoured.
fn spread_after_pod_change(
    pod: &PodRecord,
    constraints: &[Constraint],
    e: &QueueEvent<'_>,
) -> bool {
    let involved = |p: &PodRecord| {
        p.id == pod.id
            || ((p.node.is_some() || p.assumed_node.is_some()) && p.namespace() == pod.namespace())
    };
    if e.new_pod().is_some_and(|p| !involved(p)) || e.old_pod().is_some_and(|p| !involved(p)) {
        return false;
    }
    let selects_any = |p: &PodRecord| {
        constraints
            .iter()
            .any(|c| c.selects(&p.pod.metadata.labels))
    };
    match (e.old_pod(), e.new_pod()) {
        (Some(old), Some(new)) => {
            if new.id == pod.id
                && old.pod.spec.tolerations != new.pod.spec.tolerations
                && constraints.iter().any(|c| c.honor_node_taints)
            {
                return true;
            }
            let (ol, nl) = (&old.pod.metadata.labels, &new.pod.metadata.labels);
            ol != nl && constraints.iter().any(|c| c.selects(ol) != c.selects(nl))
        }
        (None, Some(new)) => selects_any(new),
        (Some(old), None) => selects_any(old),
        (None, None) => true,
    }
}

/// isSchedulableAfterNodeChange: a node that starts or stops carrying every topology key,
/// or that carries them and changed a key's value or its taints.
fn spread_after_node_change(constraints: &[Constraint], e: &QueueEvent<'_>) -> bool {
    let (old, new) = (e.old_node(), e.new_node());
    let old_match = old.is_some_and(|n| has_all_keys(n, constraints));
    let new_match = new.is_some_and(|n| has_all_keys(n, constraints));
    match (old, new) {
        (Some(o), Some(n)) => {
            old_match != new_match
                || new_match
                    && (constraints
                        .iter()
                        .any(|c| o.labels.get(&c.topology_key) != n.labels.get(&c.topology_key))
                        || o.taints != n.taints)
        }
        (None, Some(_)) => new_match,
        (Some(_), None) => old_match,
        (None, None) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testutil::{TestCluster, node, pod};

    fn spread(constraints: &[(i32, &str, &str, &str)]) -> String {
        let cs: Vec<String> = constraints
            .iter()
            .map(|(skew, key, when, label)| {
                format!(
                    "{{maxSkew: {skew}, topologyKey: {key}, whenUnsatisfiable: {when}, labelSelector: {{matchExpressions: [{{key: {label}, operator: Exists}}]}}}}"
                )
            })
            .collect();
        format!("{{topologySpreadConstraints: [{}]}}", cs.join(", "))
    }

    fn host(name: &str) -> crate::cluster::NodeRecord {
        node(name, 1000, 1000, &[(LABEL_HOSTNAME, name)])
    }

    fn zoned(name: &str, zone: &str) -> crate::cluster::NodeRecord {
        node(name, 1000, 1000, &[("zone", zone), (LABEL_HOSTNAME, name)])
    }

    /// Existing pods as (name, node index, labels).
    fn placed(pods: &[(&str, usize, &[&str])]) -> Vec<(PodRecord, usize)> {
        pods.iter()
            .map(|(name, n, labels)| {
                let l: Vec<(&str, &str)> = labels.iter().map(|k| (*k, "")).collect();
                (pod(name, "default", &l, "{}"), *n)
            })
            .collect()
    }

    /// PreScore over the first `feasible` nodes, then Score and NormalizeScore.
    fn run_score(tc: &TestCluster, p: &PodRecord, feasible: usize) -> Vec<i64> {
        let mut pl = PodTopologySpreadScore::default();
        let ids: Vec<NodeId> = (0..feasible).map(|i| NodeId(i as u32)).collect();
        assert_eq!(pl.pre_score(p, &ids, tc.snapshot()), Status::SUCCESS);
        let mut scores: Vec<i64> = ids
            .iter()
            .map(|&id| pl.score(p, id, tc.snapshot()))
            .collect();
        pl.normalize(&mut scores);
        scores
    }

    /// podtopologyspread/scoring_test.go TestPodTopologySpreadScore.
    #[test]
    fn score_table() {
        let foo: &[&str] = &["foo"];
        let two_one_zero_three = placed(&[
            ("p-a1", 0, foo),
            ("p-a2", 0, foo),
            ("p-b1", 1, foo),
            ("p-d1", 3, foo),
            ("p-d2", 3, foo),
            ("p-d3", 3, foo),
        ]);
        let four_nodes = || {
            vec![
                host("node-a"),
                host("node-b"),
                host("node-c"),
                host("node-d"),
            ]
        };
        let p = |skew: i32| {
            pod(
                "p",
                "default",
                &[("foo", "")],
                &spread(&[(skew, LABEL_HOSTNAME, "ScheduleAnyway", "foo")]),
            )
        };
        // "one constraint on node, all 4 nodes are candidates".
        let tc = TestCluster::new(four_nodes(), two_one_zero_three.clone());
        assert_eq!(run_score(&tc, &p(1), 4), [20, 60, 100, 0]);
        // "... maxSkew=2".
        assert_eq!(run_score(&tc, &p(2), 4), [33, 66, 100, 16]);
        // "... maxSkew=3" with pods spread as 4/3/2/1.
        let four_three_two_one = placed(&[
            ("p-a1", 0, foo),
            ("p-a2", 0, foo),
            ("p-a3", 0, foo),
            ("p-a4", 0, foo),
            ("p-b1", 1, foo),
            ("p-b2", 1, foo),
            ("p-b3", 1, foo),
            ("p-c1", 2, foo),
            ("p-c2", 2, foo),
            ("p-d1", 3, foo),
        ]);
        let tc = TestCluster::new(four_nodes(), four_three_two_one);
        assert_eq!(run_score(&tc, &p(3), 4), [44, 66, 77, 100]);
        // "one constraint on node, 3 out of 4 nodes are candidates" (node-y failed Filter).
        let four_two_one_three = placed(&[
            ("p-a1", 0, foo),
            ("p-a2", 0, foo),
            ("p-a3", 0, foo),
            ("p-a4", 0, foo),
            ("p-b1", 1, foo),
            ("p-b2", 1, foo),
            ("p-x1", 2, foo),
            ("p-y1", 3, foo),
            ("p-y2", 3, foo),
            ("p-y3", 3, foo),
        ]);
        let tc = TestCluster::new(
            vec![
                host("node-a"),
                host("node-b"),
                host("node-x"),
                host("node-y"),
            ],
            four_two_one_three.clone(),
        );
        assert_eq!(run_score(&tc, &p(1), 3), [33, 83, 100]);
        // "..., one node doesn't match topology key".
        let tc = TestCluster::new(
            vec![
                host("node-a"),
                node("node-b", 1000, 1000, &[("n", "node-b")]),
                host("node-x"),
                host("node-y"),
            ],
            four_two_one_three.clone(),
        );
        assert_eq!(run_score(&tc, &p(1), 3), [16, 0, 100]);
        // "one constraint on zone, 3 out of 4 nodes are candidates".
        let tc = TestCluster::new(
            vec![
                zoned("node-a", "zone1"),
                zoned("node-b", "zone1"),
                zoned("node-x", "zone2"),
                zoned("node-y", "zone2"),
            ],
            four_two_one_three,
        );
        let pz = pod(
            "p",
            "default",
            &[("foo", "")],
            &spread(&[(1, "zone", "ScheduleAnyway", "foo")]),
        );
        assert_eq!(run_score(&tc, &pz, 3), [75, 75, 100]);
        // "two Constraints on zone and node, with different labelSelectors".
        let tc = TestCluster::new(
            vec![
                zoned("node-a", "zone1"),
                zoned("node-b", "zone1"),
                zoned("node-x", "zone2"),
                zoned("node-y", "zone2"),
            ],
            placed(&[
                ("p-a1", 0, foo),
                ("p-b1", 1, &["foo", "bar"]),
                ("p-y1", 3, foo),
                ("p-y2", 3, &["bar"]),
            ]),
        );
        let p2 = pod(
            "p",
            "default",
            &[("foo", ""), ("bar", "")],
            &spread(&[
                (1, "zone", "ScheduleAnyway", "foo"),
                (1, LABEL_HOSTNAME, "ScheduleAnyway", "bar"),
            ]),
        );
        assert_eq!(run_score(&tc, &p2, 4), [60, 20, 100, 60]);
    }

    /// podtopologyspread/filtering_test.go TestSingleConstraint.
    #[test]
    fn filter_table() {
        let foo: &[&str] = &["foo"];
        let zoned_nodes = || {
            vec![
                zoned("node-a", "zone1"),
                zoned("node-b", "zone1"),
                zoned("node-x", "zone2"),
                zoned("node-y", "zone2"),
            ]
        };
        let p = pod(
            "p",
            "default",
            &[("foo", "")],
            &spread(&[(1, "zone", "DoNotSchedule", "foo")]),
        );
        let run = |tc: &TestCluster| -> Vec<crate::scheduler::framework::Code> {
            let mut pl = PodTopologySpread::default();
            assert_eq!(pl.pre_filter(&p, tc.snapshot()), Status::SUCCESS);
            (0..4)
                .map(|i| pl.filter(&p, NodeId(i as u32), tc.snapshot()).code)
                .collect()
        };
        use crate::scheduler::framework::Code::*;
        // "pods spread across zones as 3/3, all nodes fit".
        let tc = TestCluster::new(
            zoned_nodes(),
            placed(&[
                ("p-a1", 0, foo),
                ("p-b1", 1, foo),
                ("p-b2", 1, foo),
                ("p-x1", 2, foo),
                ("p-y1", 3, foo),
                ("p-y2", 3, foo),
            ]),
        );
        assert_eq!(run(&tc), [Success; 4]);
        // "pods spread across zones as 1/2 due to absence of label 'zone' on node-b".
        let mut nodes = zoned_nodes();
        nodes[1] = node("node-b", 1000, 1000, &[("zon", "zone1")]);
        let tc = TestCluster::new(
            nodes,
            placed(&[
                ("p-a1", 0, foo),
                ("p-b1", 1, foo),
                ("p-x1", 2, foo),
                ("p-y1", 3, foo),
            ]),
        );
        assert_eq!(
            run(&tc),
            [
                Success,
                UnschedulableAndUnresolvable,
                Unschedulable,
                Unschedulable
            ]
        );
        // "existing pods in a different namespace do not count".
        let mut existing = placed(&[
            ("p-a1", 0, foo),
            ("p-b1", 1, foo),
            ("p-x1", 2, foo),
            ("p-y1", 3, foo),
            ("p-y2", 3, foo),
        ]);
        for i in [0, 3] {
            std::sync::Arc::make_mut(&mut existing[i].0.pod)
                .metadata
                .namespace = Some(format!("ns{i}"));
        }
        let tc = TestCluster::new(zoned_nodes(), existing);
        assert_eq!(run(&tc), [Success, Success, Unschedulable, Unschedulable]);
    }
}
