//! The cluster's API state: what `kubectl get` would read from the API server at the current
//! simulated time. Components read it; only the engine writes it.

pub mod resources;
pub mod status;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use compact_str::CompactString;
use serde::Serialize;

use crate::api::{Node, Pod, Taint};
use crate::rng::FnvBuildHasher;
use crate::time::SimTime;

pub use resources::{PodRequests, Resources};
pub use status::{
    ConditionStatus, ConditionType, ContainerState, ContainerStatus, PodCondition, PodPhase,
    PodStatus,
};

/// Dense id of a pod, never reused within a run (slab index).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PodId(pub u32);

/// Dense id of a node, never reused within a run.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NodeId(pub u32);

/// A graceful deletion in progress (pkg/registry/core/pod/strategy.go CheckGracefulDelete).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deletion {
    pub requested_at: SimTime,
    /// `metadata.deletionTimestamp`: when the grace period ends.
    pub timestamp: SimTime,
    pub grace_period_seconds: i64,
}

#[derive(Clone, Debug)]
pub struct PodRecord {
    pub id: PodId,
    pub uid: String,
    pub pod: Arc<Pod>,
    pub created_at: SimTime,
    /// `spec.nodeName` once bound.
    pub node: Option<NodeId>,
    /// The node the scheduler assumed the pod on while binding is in flight.
    pub assumed_node: Option<NodeId>,
    /// Shared with the kubelet that reported it: a status is written once and read many times.
    pub status: Arc<PodStatus>,
    pub deletion: Option<Deletion>,
    pub requests: PodRequests,
    /// (protocol, hostIP, port) of every host port the pod's containers declare.
    pub host_ports: Vec<(String, String, i32)>,
}

impl PodRecord {
    /// A new, unscheduled pod record; `Cluster::add_pod` assigns its id.
    pub fn new(uid: String, pod: Pod, created_at: SimTime) -> PodRecord {
        let requests = resources::pod_requests(&pod.spec);
        let host_ports = resources::host_ports(&pod.spec);
        Self::with_derived(uid, pod, created_at, requests, host_ports)
    }

    /// The same with the spec's requests and host ports already derived (by
    /// `resources::pod_requests` and `resources::host_ports`).
    pub fn with_derived(
        uid: String,
        pod: Pod,
        created_at: SimTime,
        requests: PodRequests,
        host_ports: Vec<(String, String, i32)>,
    ) -> PodRecord {
        PodRecord {
            id: PodId(0),
            uid,
            pod: Arc::new(pod),
            created_at,
            node: None,
            assumed_node: None,
            status: Arc::default(),
            deletion: None,
            requests,
            host_ports,
        }
    }

    pub fn namespace(&self) -> &str {
        self.pod.metadata.namespace.as_deref().unwrap_or("default")
    }

    pub fn name(&self) -> &str {
        self.pod.metadata.name.as_deref().unwrap_or("")
    }

    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace(), self.name())
    }
}

impl NodeRecord {
    /// A node as the API and the scheduler see it, with nothing on it; `Cluster::add_node`
    /// assigns its id. `images` maps normalised image names to sizes (node.status.images).
    pub fn new(
        node: &Node,
        images: BTreeMap<String, u64>,
        pull_bandwidth: u64,
        created_at: SimTime,
    ) -> NodeRecord {
        let capacity = Resources::from_list(&node.status.capacity);
        let allocatable = if node.status.allocatable.is_empty() {
            capacity.clone()
        } else {
            Resources::from_list(&node.status.allocatable)
        };
        NodeRecord {
            id: NodeId(0),
            node: Arc::new(node.clone()),
            name: node.metadata.name.clone().unwrap_or_default(),
            labels: node.metadata.labels.clone(),
            taints: node.spec.taints.clone(),
            unschedulable: node.spec.unschedulable,
            capacity,
            allocatable,
            images,
            pull_bandwidth,
            requested: Resources::default(),
            non_zero_requested: Resources::default(),
            pods: BTreeSet::new(),
            affinity: AffinityCounts::default(),
            up: true,
            ready: ConditionStatus::True,
            ready_reason: "KubeletReady",
            created_at,
            deleted: false,
        }
    }
}

#[derive(Clone, Debug)]
pub struct NodeRecord {
    pub id: NodeId,
    pub node: Arc<Node>,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub unschedulable: bool,
    pub capacity: Resources,
    pub allocatable: Resources,
    /// Image name -> size in bytes, as the node's image cache holds it (node.status.images).
    pub images: BTreeMap<String, u64>,
    /// Bytes per second the node can pull from the registry.
    pub pull_bandwidth: u64,
    /// Sum of the requests of pods bound or assumed on the node (scheduler's NodeInfo.Requested).
    pub requested: Resources,
    /// The same with the scoring defaults (NodeInfo.NonZeroRequested).
    pub non_zero_requested: Resources,
    pub pods: BTreeSet<PodId>,
    /// How many of `pods` declare pod (anti-)affinity (NodeInfo.PodsWithAffinity and
    /// PodsWithRequiredAntiAffinity), so InterPodAffinity can skip nodes and whole cycles.
    pub affinity: AffinityCounts,
    /// Whether the machine is up (a node-failure action turns it off).
    pub up: bool,
    /// The Ready condition's status: the node lifecycle controller turns it Unknown when the
    /// kubelet's heartbeats stop, the kubelet True again when they resume.
    pub ready: ConditionStatus,
    /// The Ready condition's reason (`KubeletReady`, `NodeStatusUnknown`).
    pub ready_reason: &'static str,
    pub created_at: SimTime,
    /// The Node object was deleted (`kubectl delete node`). Its slot stays so ids stay stable;
    /// the machine and its kubelet may still run, and pods keep `spec.nodeName` until PodGC.
    pub deleted: bool,
}

/// A node's cpu/memory/pod accounting packed in one cache line: what the fit filter and the
/// default scorers read for every node of every scheduling cycle (NodeInfo.Allocatable,
/// Requested, NonZeroRequested), kept beside `NodeRecord`'s maps for speed.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
#[repr(align(64))]
pub struct NodeUsage {
    pub alloc_milli_cpu: i64,
    pub alloc_memory: i64,
    pub alloc_pods: i64,
    pub requested_milli_cpu: i64,
    pub requested_memory: i64,
    pub non_zero_milli_cpu: i64,
    pub non_zero_memory: i64,
    pub pods: i64,
}

/// Counts of a node's pods with pod (anti-)affinity terms.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct AffinityCounts {
    pub with_affinity: u32,
    pub with_required_anti_affinity: u32,
}

impl AffinityCounts {
    fn apply(&mut self, pod: &Pod, delta: i32) {
        let Some(a) = pod.spec.affinity.as_ref() else {
            return;
        };
        if a.pod_affinity.is_some() || a.pod_anti_affinity.is_some() {
            self.with_affinity = self.with_affinity.saturating_add_signed(delta);
        }
        if a.pod_anti_affinity.as_ref().is_some_and(|aa| {
            !aa.required_during_scheduling_ignored_during_execution
                .is_empty()
        }) {
            self.with_required_anti_affinity = self
                .with_required_anti_affinity
                .saturating_add_signed(delta);
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// A Kubernetes Event (core/v1 Event), aggregated as client-go's event correlator does when the
/// same source reports the same reason and message for the same object again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KubeEvent {
    pub kind: &'static str,
    /// Short strings are inline (no allocation): one event is recorded per lifecycle step.
    pub namespace: CompactString,
    pub name: CompactString,
    #[serde(rename = "type")]
    pub type_: EventType,
    pub reason: CompactString,
    /// Shares the timeline row's representation: inline when short.
    pub message: CompactString,
    /// The reporting component (`kubelet`, a scheduler profile's `schedulerName`, ...).
    pub source: CompactString,
    pub first_timestamp: SimTime,
    pub last_timestamp: SimTime,
    pub count: u32,
}

/// Workload objects kept for `kubectl get` and validation; their controllers are not simulated
/// yet, so nothing acts on them.
#[derive(Clone, Debug, Default)]
pub struct Cluster {
    pods: Vec<Option<PodRecord>>,
    /// namespace -> name -> pod: looked up by borrowed names, without building a key. Only
    /// probed, never iterated.
    pod_index: HashMap<String, HashMap<String, PodId, FnvBuildHasher>, FnvBuildHasher>,
    pod_count: usize,
    nodes: Vec<NodeRecord>,
    /// Per node id, the hot accounting (mirrors `NodeRecord::{allocatable, requested,
    /// non_zero_requested, pods}`).
    usage: Vec<NodeUsage>,
    /// Bumped whenever a node may have changed (`node_mut`, `add_node`), so derived caches
    /// know to refresh.
    node_generation: u64,
    /// Which nodes' pods changed, for the scheduler's pod index.
    pod_changes: PodChanges,
    node_index: BTreeMap<String, NodeId>,
    pub events: Vec<KubeEvent>,
    /// Hash of an event's identity -> the newest event with that hash; `event_chain[i]` links
    /// to the previous event sharing event `i`'s hash.
    event_index: HashMap<u64, usize, FnvBuildHasher>,
    event_chain: Vec<Option<usize>>,
    /// The emulated Kubernetes version, as `kubectl get nodes` shows it (`v1.33.0`).
    pub kubelet_version: String,
    next_uid: u64,
    /// Namespace name -> labels, for namespaceSelector in pod affinity terms.
    namespace_labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Cluster-wide sum of the nodes' `affinity` counts.
    affinity_total: AffinityCounts,
    /// (kind, namespace, name) -> `spec.selector` of ReplicaSets and StatefulSets, for
    /// PodTopologySpread's system default constraints (helper.DefaultSelector).
    workload_selectors: BTreeMap<(String, String, String), crate::api::LabelSelector>,
}

/// Entries kept in `PodChanges::log` before it is emptied.
const POD_LOG_LIMIT: usize = 1 << 16;

/// Per node id, a generation bumped whenever the set of pods on the node or one of those pods
/// changes (`reserve`, the releases, `pod_mut` of a pod on it), so the scheduler's pod index
/// re-reads only those nodes; `total` moves with any of them. `log` lists the nodes that
/// changed, in order (not repeated back to back), so a reader need not compare every
/// generation; it is bounded: when full it is emptied and `epoch` moves, telling readers to
/// compare generations.
#[derive(Clone, Debug, Default)]
struct PodChanges {
    generation: Vec<u64>,
    total: u64,
    log: Vec<NodeId>,
    epoch: u64,
}

impl PodChanges {
    fn touch(&mut self, node: NodeId) {
        self.generation[node.0 as usize] += 1;
        self.total += 1;
        if self.log.last() != Some(&node) {
            if self.log.len() >= POD_LOG_LIMIT {
                self.log.clear();
                self.epoch += 1;
            }
            self.log.push(node);
        }
    }
}

impl Cluster {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn next_uid(&mut self) -> String {
        self.next_uid += 1;
        // A UUID-shaped, deterministic uid: upstream's are random v4 UUIDs.
        let mut uid = String::with_capacity(36);
        uid.push_str("00000000-0000-4000-8000-");
        crate::text::push_hex_padded(&mut uid, self.next_uid, 12);
        uid
    }

    pub fn add_pod(&mut self, mut record: PodRecord) -> PodId {
        let id = PodId(self.pods.len() as u32);
        record.id = id;
        let by_name = match self.pod_index.get_mut(record.namespace()) {
            Some(m) => m,
            None => self
                .pod_index
                .entry(record.namespace().to_string())
                .or_default(),
        };
        if by_name.insert(record.name().to_string(), id).is_none() {
            self.pod_count += 1;
        }
        self.pods.push(Some(record));
        id
    }

    pub fn pod(&self, id: PodId) -> Option<&PodRecord> {
        self.pods.get(id.0 as usize).and_then(Option::as_ref)
    }

    pub fn pod_mut(&mut self, id: PodId) -> Option<&mut PodRecord> {
        let p = self.pods.get_mut(id.0 as usize).and_then(Option::as_mut)?;
        if let Some(node) = p.node.or(p.assumed_node) {
            self.pod_changes.touch(node);
        }
        Some(p)
    }

    pub fn find_pod(&self, namespace: &str, name: &str) -> Option<PodId> {
        self.pod_index.get(namespace)?.get(name).copied()
    }

    /// Removes the pod object from the API (the end of a deletion) and releases its node
    /// resources.
    pub fn remove_pod(&mut self, id: PodId) -> Option<PodRecord> {
        let record = self.pods.get_mut(id.0 as usize)?.take()?;
        if let Some(by_name) = self.pod_index.get_mut(record.namespace())
            && by_name.remove(record.name()).is_some()
        {
            self.pod_count -= 1;
        }
        if let Some(node) = record.node.or(record.assumed_node) {
            self.release(node, id, &record);
        }
        Some(record)
    }

    /// Pods in id (creation) order.
    pub fn pods(&self) -> impl Iterator<Item = &PodRecord> {
        self.pods.iter().filter_map(Option::as_ref)
    }

    pub fn pod_count(&self) -> usize {
        self.pod_count
    }

    pub fn add_node(&mut self, mut record: NodeRecord) -> NodeId {
        let id = NodeId(self.nodes.len() as u32);
        record.id = id;
        self.node_index.insert(record.name.clone(), id);
        self.usage.push(NodeUsage {
            alloc_milli_cpu: record.allocatable.milli_cpu,
            alloc_memory: record.allocatable.memory,
            alloc_pods: record.allocatable.pods,
            ..NodeUsage::default()
        });
        self.nodes.push(record);
        self.pod_changes.generation.push(0);
        self.node_generation += 1;
        id
    }

    pub fn node(&self, id: NodeId) -> &NodeRecord {
        &self.nodes[id.0 as usize]
    }

    /// A node to change. Its accounting (`allocatable`, `requested`, `pods`) changes only
    /// through `reserve` and the releases.
    pub fn node_mut(&mut self, id: NodeId) -> &mut NodeRecord {
        self.node_generation += 1;
        &mut self.nodes[id.0 as usize]
    }

    /// The hot accounting of a node.
    pub fn usage(&self, id: NodeId) -> &NodeUsage {
        &self.usage[id.0 as usize]
    }

    /// Every node's hot accounting, indexed by node id (for loops over many nodes).
    pub fn usages(&self) -> &[NodeUsage] {
        &self.usage
    }

    /// Changes whenever a node may have changed.
    pub fn node_generation(&self) -> u64 {
        self.node_generation
    }

    /// Changes whenever the pods on `node` may have changed.
    pub fn pod_generation(&self, node: NodeId) -> u64 {
        self.pod_changes.generation[node.0 as usize]
    }

    /// Changes whenever the pods on any node may have changed.
    pub fn pods_generation(&self) -> u64 {
        self.pod_changes.total
    }

    /// The nodes whose pods changed since position `pos` of log epoch `epoch` (with the log's
    /// current epoch and length), or `None` when that part of the log was dropped: then every
    /// node's `pod_generation` must be compared.
    pub fn pod_changes_since(&self, epoch: u64, pos: usize) -> (Option<&[NodeId]>, u64, usize) {
        let c = &self.pod_changes;
        let changes = (epoch == c.epoch).then(|| c.log.get(pos..)).flatten();
        (changes, c.epoch, c.log.len())
    }

    /// The node object with this name, if it exists (deleted nodes are not found).
    pub fn find_node(&self, name: &str) -> Option<NodeId> {
        self.node_index.get(name).copied()
    }

    /// Every node slot in the order nodes were added, deleted ones included (index = id).
    pub fn nodes(&self) -> &[NodeRecord] {
        &self.nodes
    }

    /// The node objects that exist, in the order they were added.
    pub fn live_nodes(&self) -> impl Iterator<Item = &NodeRecord> {
        self.nodes.iter().filter(|n| !n.deleted)
    }

    /// Deletes the Node object; the pods bound to it keep their node until they are deleted.
    pub fn delete_node(&mut self, id: NodeId) {
        let node = &mut self.nodes[id.0 as usize];
        node.deleted = true;
        if self.node_index.get(&node.name) == Some(&id) {
            self.node_index.remove(&node.name);
        }
        self.node_generation += 1;
    }

    /// Accounts a pod on a node (assume or bind).
    pub fn reserve(&mut self, node: NodeId, pod: PodId) {
        let Some(p) = self.pods.get(pod.0 as usize).and_then(Option::as_ref) else {
            return;
        };
        let n = &mut self.nodes[node.0 as usize];
        if n.pods.insert(pod) {
            self.pod_changes.touch(node);
            n.requested.add(&p.requests.requested);
            n.non_zero_requested.add(&p.requests.non_zero);
            n.affinity.apply(&p.pod, 1);
            self.affinity_total.apply(&p.pod, 1);
            let u = &mut self.usage[node.0 as usize];
            u.requested_milli_cpu += p.requests.requested.milli_cpu;
            u.requested_memory += p.requests.requested.memory;
            u.non_zero_milli_cpu += p.requests.non_zero.milli_cpu;
            u.non_zero_memory += p.requests.non_zero.memory;
            u.pods += 1;
        }
    }

    /// Stops counting `pod` on `node` (upstream's NodeInfo.RemovePod on a scheduler's copy):
    /// preemption's dry run takes victims off a node of a [`Cluster::scheduling_view`].
    pub fn unreserve(&mut self, node: NodeId, pod: PodId) {
        let Some(p) = self.pods.get_mut(pod.0 as usize).and_then(Option::take) else {
            return;
        };
        self.release(node, pod, &p);
        self.pods[pod.0 as usize] = Some(p);
    }

    /// A copy of the API state without its Kubernetes Events, for the scheduler's what-if
    /// evaluations (preemption's dry run, nominated pods counted in Filter).
    pub fn scheduling_view(&self) -> Cluster {
        Cluster {
            pods: self.pods.clone(),
            pod_index: self.pod_index.clone(),
            pod_count: self.pod_count,
            nodes: self.nodes.clone(),
            usage: self.usage.clone(),
            node_generation: self.node_generation,
            pod_changes: self.pod_changes.clone(),
            node_index: self.node_index.clone(),
            events: Vec::new(),
            event_index: HashMap::default(),
            event_chain: Vec::new(),
            kubelet_version: self.kubelet_version.clone(),
            next_uid: self.next_uid,
            namespace_labels: self.namespace_labels.clone(),
            affinity_total: self.affinity_total,
            workload_selectors: self.workload_selectors.clone(),
        }
    }

    /// Keeps what the scheduler reads from objects other than pods and nodes: namespace labels
    /// (pod affinity's namespaceSelector) and ReplicaSet/StatefulSet selectors
    /// (PodTopologySpread's default constraints select a pod's siblings by its controller's).
    pub fn note_scheduling_context(&mut self, obj: &crate::api::Object) {
        use crate::api::Object;
        let meta = obj.metadata();
        let name = meta.name.as_deref().unwrap_or("");
        let selector = match obj {
            Object::Namespace(ns) => {
                self.set_namespace_labels(name, ns.metadata.labels.clone());
                None
            }
            Object::ReplicaSet(o) => o.spec.selector.clone(),
            Object::StatefulSet(o) => o.spec.selector.clone(),
            _ => None,
        };
        if let Some(selector) = selector {
            let namespace = meta.namespace.as_deref().unwrap_or("default").to_string();
            self.set_workload_selector(obj.kind(), &namespace, name, selector);
        }
    }

    pub fn set_namespace_labels(&mut self, namespace: &str, labels: BTreeMap<String, String>) {
        self.namespace_labels.insert(namespace.to_string(), labels);
    }

    /// A namespace's labels; a namespace without an object has none.
    pub fn namespace_labels(&self, namespace: &str) -> Option<&BTreeMap<String, String>> {
        self.namespace_labels.get(namespace)
    }

    /// Namespaces with an object, in name order.
    pub fn namespaces_with_labels(
        &self,
    ) -> impl Iterator<Item = (&str, &BTreeMap<String, String>)> {
        self.namespace_labels.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn set_workload_selector(
        &mut self,
        kind: &str,
        namespace: &str,
        name: &str,
        selector: crate::api::LabelSelector,
    ) {
        self.workload_selectors.insert(
            (kind.to_string(), namespace.to_string(), name.to_string()),
            selector,
        );
    }

    /// The selector of the ReplicaSet or StatefulSet `namespace/name`, if it exists.
    pub fn workload_selector(
        &self,
        kind: &str,
        namespace: &str,
        name: &str,
    ) -> Option<&crate::api::LabelSelector> {
        self.workload_selectors
            .get(&(kind.to_string(), namespace.to_string(), name.to_string()))
    }

    /// Pods with pod (anti-)affinity counted on nodes, cluster-wide.
    pub fn affinity_total(&self) -> AffinityCounts {
        self.affinity_total
    }

    /// Stops counting a terminal pod against its node (it stays bound for `get pods -o wide`).
    pub fn release_terminal(&mut self, pod: PodId) {
        let Some(p) = self.pods.get_mut(pod.0 as usize).and_then(Option::take) else {
            return;
        };
        if let Some(node) = p.node.or(p.assumed_node) {
            self.release(node, pod, &p);
        }
        self.pods[pod.0 as usize] = Some(p);
    }

    /// The scheduler forgot an assumed pod (its Permit or binding cycle failed): the node's
    /// reservation for it goes.
    pub fn forget_assumed(&mut self, pod: PodId) {
        let Some(mut p) = self.pods.get_mut(pod.0 as usize).and_then(Option::take) else {
            return;
        };
        if let Some(node) = p.assumed_node.take() {
            self.release(node, pod, &p);
        }
        self.pods[pod.0 as usize] = Some(p);
    }

    fn release(&mut self, node: NodeId, pod: PodId, record: &PodRecord) {
        let n = &mut self.nodes[node.0 as usize];
        if n.pods.remove(&pod) {
            self.pod_changes.touch(node);
            n.requested.sub(&record.requests.requested);
            n.non_zero_requested.sub(&record.requests.non_zero);
            n.affinity.apply(&record.pod, -1);
            self.affinity_total.apply(&record.pod, -1);
            let u = &mut self.usage[node.0 as usize];
            u.requested_milli_cpu -= record.requests.requested.milli_cpu;
            u.requested_memory -= record.requests.requested.memory;
            u.non_zero_milli_cpu -= record.requests.non_zero.milli_cpu;
            u.non_zero_memory -= record.requests.non_zero.memory;
            u.pods -= 1;
        }
    }

    /// Records an event, aggregating it with an identical earlier one (same object, type,
    /// reason, message and source), as client-go's EventCorrelator does.
    pub fn record_event(&mut self, event: KubeEvent) -> &KubeEvent {
        // Events are indexed by a hash of what makes them "the same"; candidates are compared
        // field by field. The index is only probed, never iterated.
        let key = crate::rng::word_hash_parts(&[
            event.kind,
            &event.namespace,
            &event.name,
            event.type_.as_str(),
            &event.reason,
            &event.message,
            &event.source,
        ]);
        let same = |e: &KubeEvent| {
            e.kind == event.kind
                && e.namespace == event.namespace
                && e.name == event.name
                && e.type_ == event.type_
                && e.reason == event.reason
                && e.message == event.message
                && e.source == event.source
        };
        let mut cursor = self.event_index.get(&key).copied();
        while let Some(i) = cursor {
            if same(&self.events[i]) {
                let e = &mut self.events[i];
                e.count += 1;
                e.last_timestamp = event.last_timestamp;
                return &self.events[i];
            }
            cursor = self.event_chain[i];
        }
        let i = self.events.len();
        self.event_chain.push(self.event_index.insert(key, i));
        self.events.push(event);
        &self.events[i]
    }

    pub fn events_for<'a>(
        &'a self,
        kind: &'a str,
        namespace: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a KubeEvent> {
        self.events
            .iter()
            .filter(move |e| e.kind == kind && e.namespace == namespace && e.name == name)
    }
}
