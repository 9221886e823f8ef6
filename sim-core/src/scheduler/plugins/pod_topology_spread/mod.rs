//! podtopologyspread/{common,filtering}.go: DoNotSchedule constraints filter nodes by skew;
//! ScheduleAnyway constraints (or the system defaults) score them (`scoring.rs`).
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
    FilterPlugin, Snapshot, Status, retain_passing, state_not_found,
};
use crate::scheduler::pod_index::{DomainIndex, NO_DOMAIN, PodIndex};

use super::node_affinity::{has_required_node_affinity, required_node_affinity_matches};
use super::taint_toleration::first_untolerated_do_not_schedule;

mod scoring;

pub use scoring::PodTopologySpreadScore;

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

    /// countPodsMatchSelector's test for an existing pod (common.go). Since v1.27
    /// (kubernetes#116607) it returns 0 for a selector without requirements, so an empty
    /// `labelSelector: {}` counts no pod in any domain, although the incoming pod's own
    /// selfMatchNum still uses `selects`. kubernetes#141340 reverses this after every
    /// version kubesim emulates (1.31–1.34).
    pub fn counts(&self, labels: &BTreeMap<String, String>) -> bool {
        self.selector
            .as_ref()
            .is_some_and(|s| !s.is_empty() && s.matches(labels))
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

/// Per constraint, per pod class of the index: the class's pods count toward the constraint
/// (countPodsMatchSelector's namespace and selector tests, evaluated once per class).
fn match_classes(
    constraints: &[Constraint],
    namespace: &str,
    index: &PodIndex,
    matching: &mut Vec<Vec<bool>>,
) {
    matching.resize_with(constraints.len(), Vec::new);
    for (c, m) in constraints.iter().zip(matching.iter_mut()) {
        m.clear();
        m.resize(index.class_count(), false);
        for (class, p, _) in index.classes() {
            let class_ns = p.metadata.namespace.as_deref().unwrap_or("default");
            m[class.0 as usize] = class_ns == namespace && c.counts(&p.metadata.labels);
        }
    }
}

/// countPodsMatchSelector on one node: its pods that are not terminating and whose class
/// `matching` selects.
fn count_matching_on(index: &PodIndex, node: NodeId, matching: &[bool]) -> i64 {
    index
        .on_node(node)
        .iter()
        .filter(|e| matching[e.class.0 as usize])
        .map(|e| e.count.live)
        .sum()
}

/// Every node counts toward every constraint: no constraint filters nodes by the pod's
/// required node affinity or by taints (matchNodeInclusionPolicies is true everywhere).
fn all_nodes_included(constraints: &[Constraint], pod: &PodRecord, s: Snapshot<'_>) -> bool {
    constraints.iter().all(|c| {
        (!c.honor_node_affinity || !has_required_node_affinity(&pod.pod.spec))
            && (!c.honor_node_taints || !s.cache.any_taints())
    })
}

/// Topology key -> each node's domain, as of a node generation.
struct KeyDomains {
    generation: u64,
    domains: DomainIndex,
    /// Nodes (not deleted) without the key.
    missing: usize,
}

impl KeyDomains {
    fn build(key: &str, s: Snapshot<'_>) -> KeyDomains {
        let domains = DomainIndex::build(key, s.cluster);
        let missing = s
            .cluster
            .nodes()
            .iter()
            .zip(&domains.of_node)
            .filter(|&(n, &d)| !n.deleted && d == NO_DOMAIN)
            .count();
        KeyDomains {
            generation: s.cluster.node_generation(),
            domains,
            missing,
        }
    }
}

/// The domains of each constraint's topology key: keys in use, each node's domain per key,
/// rebuilt when nodes change.
#[derive(Default)]
struct TopologyKeys {
    keys: Vec<KeyDomains>,
    /// Per constraint: its key's position in `keys`.
    key_of: Vec<usize>,
}

impl TopologyKeys {
    /// Each constraint's key in `keys`, the key's domains rebuilt when nodes changed.
    fn index(&mut self, constraints: &[Constraint], s: Snapshot<'_>) {
        let generation = s.cluster.node_generation();
        self.key_of.clear();
        for c in constraints {
            let k = match self
                .keys
                .iter()
                .position(|k| k.domains.key == c.topology_key)
            {
                Some(k) => k,
                None => {
                    self.keys.push(KeyDomains::build(&c.topology_key, s));
                    self.keys.len() - 1
                }
            };
            if self.keys[k].generation != generation {
                self.keys[k] = KeyDomains::build(&c.topology_key, s);
            }
            self.key_of.push(k);
        }
    }

    /// Constraint `i`'s key.
    fn of(&self, i: usize) -> &KeyDomains {
        &self.keys[self.key_of[i]]
    }

    /// The node's domain for constraint `i` ([`NO_DOMAIN`] without the label).
    fn domain(&self, i: usize, node: NodeId) -> u32 {
        self.of(i)
            .domains
            .of_node
            .get(node.0 as usize)
            .copied()
            .unwrap_or(NO_DOMAIN)
    }

    /// nodeLabelsMatchSpreadConstraints: the node carries every constraint's key.
    fn node_has_all(&self, node: NodeId) -> bool {
        (0..self.key_of.len()).all(|i| self.domain(i, node) != NO_DOMAIN)
    }

    /// Every node carries every constraint's key.
    fn everywhere(&self) -> bool {
        self.key_of.iter().all(|&k| self.keys[k].missing == 0)
    }
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
    keys: TopologyKeys,
    /// Per constraint, per pod class: the class's pods count toward the constraint (same
    /// namespace, selected).
    matching: Vec<Vec<bool>>,
    /// Per constraint, per domain: `matchNum + selfMatchNum - minMatchNum <= maxSkew`, so the
    /// pod may land on the domain's nodes. Filter reads one flag per constraint and node.
    fits: Vec<Vec<bool>>,
}

impl PodTopologySpread {
    /// TpValueToMatchNum: per constraint and domain, the pods matching the constraint on
    /// nodes that carry every topology key and pass the inclusion policies. A selector is
    /// evaluated once per pod class; when every node is included and all constraints share
    /// one key, the index's per-domain counts are added up directly (O(classes × domains)),
    /// otherwise node by node from each node's classes.
    fn count_matching_pods(&mut self, pod: &PodRecord, s: Snapshot<'_>) {
        let index = s.cache.pods();
        match_classes(
            &self.constraints,
            pod.namespace(),
            index,
            &mut self.matching,
        );
        let key_of = &self.keys.key_of;
        let one_key = key_of.iter().all(|&k| k == key_of[0]);
        if one_key && all_nodes_included(&self.constraints, pod, s) {
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
            if !self.keys.node_has_all(id) {
                continue;
            }
            let node = s.node(id);
            for (i, c) in self.constraints.iter().enumerate() {
                if !c.includes(pod, node) {
                    continue;
                }
                let slot = &mut self.counts[i][self.keys.domain(i, id) as usize];
                slot.0 += count_matching_on(index, id, &self.matching[i]);
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
        self.keys.index(&self.constraints, s);
        let n = self.constraints.len();
        self.counts.resize_with(n, Vec::new);
        self.counts.truncate(n);
        for i in 0..n {
            let domains = self.keys.of(i).domains.values.len();
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

    /// One flag per constraint and node; a `Status` only for a node that fails.
    fn filter_batch(
        &self,
        pod: &PodRecord,
        nodes: &mut Vec<NodeId>,
        s: Snapshot<'_>,
        rejected: &mut Vec<(NodeId, Status)>,
    ) {
        let fits_on = |of_node: &[u32], fits: &[bool], id: NodeId| {
            let domain = of_node.get(id.0 as usize).copied().unwrap_or(NO_DOMAIN);
            fits.get(domain as usize).copied().unwrap_or(false)
        };
        if let [fits] = self.fits.as_slice() {
            // One constraint (the usual case): its domains and flags looked up once.
            let of_node = self.keys.of(0).domains.of_node.as_slice();
            let passes = |id| fits_on(of_node, fits, id);
            retain_passing(nodes, rejected, passes, |id| self.filter(pod, id, s));
            return;
        }
        let passes = |id| {
            (0..self.fits.len())
                .all(|i| fits_on(&self.keys.of(i).domains.of_node, &self.fits[i], id))
        };
        retain_passing(nodes, rejected, passes, |id| self.filter(pod, id, s));
    }

    fn filter(&self, _: &PodRecord, id: NodeId, _: Snapshot<'_>) -> Status {
        for i in 0..self.keys.key_of.len() {
            let domain = self.keys.domain(i, id);
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

    pub(super) fn spread(constraints: &[(i32, &str, &str, &str)]) -> String {
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

    pub(super) fn host(name: &str) -> crate::cluster::NodeRecord {
        node(name, 1000, 1000, &[(LABEL_HOSTNAME, name)])
    }

    pub(super) fn zoned(name: &str, zone: &str) -> crate::cluster::NodeRecord {
        node(name, 1000, 1000, &[("zone", zone), (LABEL_HOSTNAME, name)])
    }

    /// Existing pods as (name, node index, labels).
    pub(super) fn placed(pods: &[(&str, usize, &[&str])]) -> Vec<(PodRecord, usize)> {
        pods.iter()
            .map(|(name, n, labels)| {
                let l: Vec<(&str, &str)> = labels.iter().map(|k| (*k, "")).collect();
                (pod(name, "default", &l, "{}"), *n)
            })
            .collect()
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

    /// common.go countPodsMatchSelector (v1.27+, kubernetes#116607): an empty
    /// `labelSelector: {}` counts no existing pod, so maxSkew never binds, while a selector
    /// with a requirement selecting the same pods does.
    #[test]
    fn empty_selector_counts_no_pods() {
        let foo: &[&str] = &["foo"];
        let existing = || placed(&[("p-a1", 0, foo), ("p-a2", 0, foo), ("p-a3", 0, foo)]);
        let nodes = || vec![host("node-a"), host("node-b")];
        let codes = |spec: &str| {
            let tc = TestCluster::new(nodes(), existing());
            let p = pod("p", "default", &[("foo", "")], spec);
            let mut pl = PodTopologySpread::default();
            assert_eq!(pl.pre_filter(&p, tc.snapshot()), Status::SUCCESS);
            (0..2)
                .map(|i| pl.filter(&p, NodeId(i), tc.snapshot()).code)
                .collect::<Vec<_>>()
        };
        use crate::scheduler::framework::Code::*;
        let empty = format!(
            "{{topologySpreadConstraints: [{{maxSkew: 1, topologyKey: {LABEL_HOSTNAME}, whenUnsatisfiable: DoNotSchedule, labelSelector: {{}}}}]}}"
        );
        assert_eq!(codes(&empty), [Success, Success]);
        let exists = spread(&[(1, LABEL_HOSTNAME, "DoNotSchedule", "foo")]);
        assert_eq!(codes(&exists), [Unschedulable, Success]);
    }
}
