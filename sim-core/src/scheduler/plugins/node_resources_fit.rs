//! noderesources/fit.go (Filter) and the scoring strategies of NodeResourcesFit
//! (least_allocated.go, most_allocated.go, requested_to_capacity_ratio.go over
//! resource_allocation.go), in upstream's integer arithmetic.

use crate::cluster::{NodeId, NodeRecord, NodeUsage, PodRecord, Resources};
use crate::scheduler::events::{
    ActionType, ClusterEventType, EventResource, QueueEvent, QueueingHint,
};
use crate::scheduler::framework::{
    FilterPlugin, MAX_NODE_SCORE, ScorePlugin, Snapshot, Status, retain_passing, score_each,
    state_not_found,
};
use crate::scheduler::score_memo::{CpuMemoryInputs, ScoreMemo};

/// noderesources/fit.go Filter: every insufficient resource is reported, in upstream's order.
pub struct NodeResourcesFit;

/// fit.go fitsRequest: the reasons a node cannot take `req`, in upstream's order.
pub fn insufficient_resources(req: &Resources, node: &NodeRecord) -> Vec<String> {
    let alloc = &node.allocatable;
    let used = &node.requested;
    let mut reasons = Vec::new();
    if node.pods.len() as i64 + 1 > alloc.pods {
        reasons.push("Too many pods".to_string());
    }
    if req.is_empty_request() {
        return reasons;
    }
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
    reasons
}

/// The common case of fit.go fitsRequest, from the node's packed accounting and without
/// allocation: everything fits. False means "look closer" (`insufficient_resources`).
fn fits(req: &Resources, id: NodeId, s: Snapshot<'_>) -> bool {
    let u = s.cluster.usage(id);
    u.pods < u.alloc_pods
        && req.milli_cpu <= u.alloc_milli_cpu - u.requested_milli_cpu
        && req.memory <= u.alloc_memory - u.requested_memory
        && (req.ephemeral_storage == 0 && req.scalar.is_empty() || {
            let node = s.node(id);
            let alloc = &node.allocatable;
            let used = &node.requested;
            req.ephemeral_storage <= alloc.ephemeral_storage - used.ephemeral_storage
                && req
                    .scalar
                    .iter()
                    .all(|(name, want)| *want <= alloc.scalar(name) - used.scalar(name))
        })
}

impl FilterPlugin for NodeResourcesFit {
    /// fit.go EventsToRegister with queueing hints (InPlacePodVerticalScaling on): a pod
    /// deleted or scaled down, a node added or given more allocatable.
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        const EVENTS: &[ClusterEventType] = &[
            ClusterEventType::new(
                EventResource::Pod,
                ActionType::DELETE.union(ActionType::UPDATE_POD_SCALE_DOWN),
            ),
            ClusterEventType::new(
                EventResource::Node,
                ActionType::ADD.union(ActionType::UPDATE_NODE_ALLOCATABLE),
            ),
        ];
        EVENTS
    }

    fn queueing_hint(&self, pod: &PodRecord, e: &QueueEvent<'_>, _: Snapshot<'_>) -> QueueingHint {
        match (e.old_pod(), e.new_pod(), e.new_node()) {
            (Some(old), None, _) => after_pod_deleted(old),
            (Some(old), Some(new), _) => after_pod_scale_down(pod, old, new),
            (_, _, Some(new)) => after_node_change(pod, e.old_node(), new),
            _ => QueueingHint::Queue,
        }
    }

    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }

    /// noderesources/fit.go getPreFilterState.
    fn missing_pre_filter_state(&self) -> Option<String> {
        Some(state_not_found(
            "error reading",
            "PreFilterNodeResourcesFit",
        ))
    }

    fn filter(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> Status {
        let req = &pod.requests.requested;
        if fits(req, id, s) {
            return Status::SUCCESS;
        }
        let reasons = insufficient_resources(req, s.node(id));
        if reasons.is_empty() {
            return Status::SUCCESS;
        }
        Status::new(
            crate::scheduler::framework::Code::Unschedulable,
            crate::scheduler::framework::Reasons::from_iter(reasons),
        )
    }

    fn filter_batch(
        &self,
        pod: &PodRecord,
        nodes: &mut Vec<NodeId>,
        s: Snapshot<'_>,
        rejected: &mut Vec<(NodeId, Status)>,
    ) {
        let req = &pod.requests.requested;
        let full = |id| self.filter(pod, id, s);
        if req.ephemeral_storage == 0 && req.scalar.is_empty() {
            // Only pods, cpu and memory to check: the node's packed accounting alone.
            let (cpu, memory) = (req.milli_cpu, req.memory);
            let usages = s.cluster.usages();
            let passes = |id: NodeId| {
                let u = &usages[id.0 as usize];
                u.pods < u.alloc_pods
                    && cpu <= u.alloc_milli_cpu - u.requested_milli_cpu
                    && memory <= u.alloc_memory - u.requested_memory
            };
            retain_passing(nodes, rejected, passes, full);
        } else {
            retain_passing(nodes, rejected, |id| fits(req, id, s), full);
        }
    }
}

/// A resource a scorer weighs, resolved once from its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceKey {
    Cpu,
    Memory,
    EphemeralStorage,
    Scalar(String),
}

impl ResourceKey {
    pub fn from_name(name: &str) -> ResourceKey {
        match name {
            "cpu" => ResourceKey::Cpu,
            "memory" => ResourceKey::Memory,
            "ephemeral-storage" => ResourceKey::EphemeralStorage,
            other => ResourceKey::Scalar(other.to_string()),
        }
    }

    /// This resource's amount in `r`.
    pub fn get(&self, r: &Resources) -> i64 {
        match self {
            ResourceKey::Cpu => r.milli_cpu,
            ResourceKey::Memory => r.memory,
            ResourceKey::EphemeralStorage => r.ephemeral_storage,
            ResourceKey::Scalar(name) => r.scalar(name),
        }
    }
}

/// config.ResourceSpec: a resource and its weight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceSpec {
    pub key: ResourceKey,
    pub weight: i64,
}

/// The default `resources` of the scoring strategies: cpu and memory, weight 1 each.
pub fn default_resources() -> Vec<ResourceSpec> {
    vec![
        ResourceSpec {
            key: ResourceKey::Cpu,
            weight: 1,
        },
        ResourceSpec {
            key: ResourceKey::Memory,
            weight: 1,
        },
    ]
}

/// resource_allocation.go calculateResourceAllocatableRequest: (allocatable, node requested +
/// pod request); (0, 0) for a scalar resource the pod does not request. With `use_requested`
/// false the node side is NonZeroRequested (cpu/memory defaults for request-less containers).
pub fn allocatable_and_request(
    node: &NodeRecord,
    key: &ResourceKey,
    pod_request: i64,
    use_requested: bool,
) -> (i64, i64) {
    if pod_request == 0 && matches!(key, ResourceKey::Scalar(_)) {
        return (0, 0);
    }
    let requested = if use_requested {
        &node.requested
    } else {
        &node.non_zero_requested
    };
    if let ResourceKey::Scalar(name) = key
        && !node.allocatable.scalar.contains_key(name)
    {
        return (0, 0);
    }
    (key.get(&node.allocatable), key.get(requested) + pod_request)
}

/// least_allocated.go leastRequestedScore: `(capacity - requested) * 100 / capacity`, 0 when
/// capacity is 0 or exceeded.
pub fn least_requested_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 || requested > capacity {
        return 0;
    }
    (capacity - requested) * MAX_NODE_SCORE / capacity
}

/// LeastAllocated's score over cpu and memory, each (requested, allocatable, weight): what
/// `score_resources` gives, unrolled for the two resources.
#[inline]
pub fn least_allocated_cpu_memory(cpu: (i64, i64, i64), memory: (i64, i64, i64)) -> i64 {
    let (mut score, mut weight_sum) = (0, 0);
    for (r, a, w) in [cpu, memory] {
        if a != 0 {
            score += least_requested_score(r, a) * w;
            weight_sum += w;
        }
    }
    if weight_sum == 0 {
        0
    } else {
        score / weight_sum
    }
}

/// most_allocated.go mostRequestedScore: `min(requested, capacity) * 100 / capacity`.
pub fn most_requested_score(requested: i64, capacity: i64) -> i64 {
    if capacity == 0 {
        return 0;
    }
    requested.min(capacity) * MAX_NODE_SCORE / capacity
}

/// helper/shape_score.go BuildBrokenLinearFunction over points (utilization, score).
pub fn broken_linear(shape: &[(i64, i64)], p: i64) -> i64 {
    for (i, &(u, s)) in shape.iter().enumerate() {
        if p <= u {
            if i == 0 {
                return s;
            }
            let (u0, s0) = shape[i - 1];
            return s0 + (s - s0) * (p - u0) / (u - u0);
        }
    }
    shape.last().map_or(0, |&(_, s)| s)
}

/// config.ScoringStrategy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScoringStrategy {
    LeastAllocated,
    MostAllocated,
    /// Shape points (utilization 0..=100, score 0..=10) as configured.
    RequestedToCapacityRatio(Vec<(i64, i64)>),
}

/// NodeResourcesFit's Score.
pub struct NodeResourcesFitScore {
    strategy: ScoringStrategy,
    resources: Vec<ResourceSpec>,
    /// RequestedToCapacityRatio's shape scaled to 0..=100 (MaxNodeScore / MaxCustomPriorityScore).
    shape: Vec<(i64, i64)>,
    /// `resources` is exactly [cpu, memory]: read them from the node's packed accounting.
    cpu_memory_only: bool,
    /// Each node's last cpu/memory score (`cpu_memory_only`), reused while its inputs hold.
    memo: ScoreMemo,
}

/// Whether `resources` is [cpu, memory] in that order (any weights).
pub fn is_cpu_memory(resources: &[ResourceSpec]) -> bool {
    matches!(
        resources,
        [
            ResourceSpec {
                key: ResourceKey::Cpu,
                ..
            },
            ResourceSpec {
                key: ResourceKey::Memory,
                ..
            }
        ]
    )
}

impl NodeResourcesFitScore {
    pub fn new(strategy: ScoringStrategy, resources: Vec<ResourceSpec>) -> Self {
        let shape = match &strategy {
            ScoringStrategy::RequestedToCapacityRatio(points) => points
                .iter()
                .map(|&(u, s)| (u, s * (MAX_NODE_SCORE / 10)))
                .collect(),
            _ => Vec::new(),
        };
        NodeResourcesFitScore {
            cpu_memory_only: is_cpu_memory(&resources),
            strategy,
            resources,
            shape,
            memo: ScoreMemo::default(),
        }
    }

    /// With `resources` [cpu, memory]: a node's score inputs from its packed accounting and
    /// `pod`'s non-zero request, and the strategy's score of those inputs (for the memo).
    fn cpu_memory_scorer(
        &self,
        pod: &PodRecord,
    ) -> (
        impl Fn(&NodeUsage) -> CpuMemoryInputs,
        impl Fn(CpuMemoryInputs) -> i64 + '_,
    ) {
        let want = &pod.requests.non_zero;
        let (cpu, memory) = (want.milli_cpu, want.memory);
        let inputs = move |u: &NodeUsage| {
            [
                u.non_zero_milli_cpu + cpu,
                u.alloc_milli_cpu,
                u.non_zero_memory + memory,
                u.alloc_memory,
            ]
        };
        let (wc, wm) = (self.resources[0].weight, self.resources[1].weight);
        let least = self.strategy == ScoringStrategy::LeastAllocated;
        let score = move |[rc, ac, rm, am]: CpuMemoryInputs| {
            if least {
                // score_resources for LeastAllocated over cpu and memory, unrolled.
                least_allocated_cpu_memory((rc, ac, wc), (rm, am, wm))
            } else {
                self.score_resources([(rc, ac, wc), (rm, am, wm)].into_iter())
            }
        };
        (inputs, score)
    }

    /// The score from per-resource (requested, allocatable) pairs (the strategy's scorer).
    pub fn score_resources(&self, pairs: impl Iterator<Item = (i64, i64, i64)>) -> i64 {
        let mut node_score = 0;
        let mut weight_sum = 0;
        match self.strategy {
            ScoringStrategy::LeastAllocated | ScoringStrategy::MostAllocated => {
                let f = if self.strategy == ScoringStrategy::LeastAllocated {
                    least_requested_score
                } else {
                    most_requested_score
                };
                for (req, alloc, weight) in pairs {
                    if alloc == 0 {
                        continue;
                    }
                    node_score += f(req, alloc) * weight;
                    weight_sum += weight;
                }
                if weight_sum == 0 {
                    0
                } else {
                    node_score / weight_sum
                }
            }
            ScoringStrategy::RequestedToCapacityRatio(_) => {
                for (req, alloc, weight) in pairs {
                    if alloc == 0 {
                        continue;
                    }
                    let utilization = if req > alloc { 100 } else { req * 100 / alloc };
                    let s = broken_linear(&self.shape, utilization);
                    if s > 0 {
                        node_score += s * weight;
                        weight_sum += weight;
                    }
                }
                if weight_sum == 0 {
                    0
                } else {
                    (node_score as f64 / weight_sum as f64).round() as i64
                }
            }
        }
    }
}

impl ScorePlugin for NodeResourcesFitScore {
    fn name(&self) -> &'static str {
        "NodeResourcesFit"
    }

    fn pre_score(&mut self, _: &PodRecord, _: &[NodeId], _: Snapshot<'_>) -> Status {
        Status::SUCCESS
    }

    fn score_all(&self, pod: &PodRecord, feasible: &[NodeId], s: Snapshot<'_>, out: &mut [i64]) {
        if !self.cpu_memory_only {
            return score_each(self, pod, feasible, s, out);
        }
        let (inputs, score) = self.cpu_memory_scorer(pod);
        self.memo
            .score_all(s.cluster.usages(), feasible, out, inputs, score);
    }

    /// No NormalizeScore: the raw score times the weight, straight from the memo.
    fn add_weighted_scores(
        &self,
        pod: &PodRecord,
        feasible: &[NodeId],
        s: Snapshot<'_>,
        weight: i64,
        totals: &mut [i64],
    ) -> bool {
        if !self.cpu_memory_only {
            return false;
        }
        let (inputs, score) = self.cpu_memory_scorer(pod);
        let usages = s.cluster.usages();
        self.memo
            .add_weighted(usages, feasible, weight, totals, inputs, score);
        true
    }

    fn score(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        let node = s.node(id);
        let want = &pod.requests.non_zero;
        self.score_resources(self.resources.iter().map(|r| {
            let (alloc, req) = allocatable_and_request(node, &r.key, r.key.get(want), false);
            (req, alloc, r.weight)
        }))
    }
}

/// isSchedulableAfterPodEvent for a deletion: any deleted pod that was scheduled (or
/// nominated) may have freed room.
fn after_pod_deleted(old: &PodRecord) -> QueueingHint {
    if old.node.is_none() && old.assumed_node.is_none() && old.status.nominated_node_name.is_empty()
    {
        QueueingHint::QueueSkip
    } else {
        QueueingHint::Queue
    }
}

/// isSchedulableAfterPodScaleDown: the pod itself, or a scheduled pod that now requests less
/// of something the pod requests.
fn after_pod_scale_down(pod: &PodRecord, old: &PodRecord, new: &PodRecord) -> QueueingHint {
    if new.id == pod.id {
        return QueueingHint::Queue;
    }
    if new.node.is_none() {
        return QueueingHint::QueueSkip;
    }
    let (req, o, n) = (
        &pod.requests.requested,
        &old.requests.requested,
        &new.requests.requested,
    );
    let down = (req.milli_cpu != 0 && o.milli_cpu > n.milli_cpu)
        || (req.memory != 0 && o.memory > n.memory)
        || (req.ephemeral_storage != 0 && o.ephemeral_storage > n.ephemeral_storage)
        || req
            .scalar
            .iter()
            .any(|(k, v)| *v != 0 && o.scalar(k) > n.scalar(k));
    QueueingHint::queue_if(down)
}

/// isSchedulableAfterNodeChange: the pod fits the node when empty (isFit), and the node is
/// new or offers more of something the pod requests (haveAnyRequestedResourcesIncreased).
fn after_node_change(pod: &PodRecord, old: Option<&NodeRecord>, new: &NodeRecord) -> QueueingHint {
    let req = &pod.requests.requested;
    let a = &new.allocatable;
    let fits = a.pods >= 1
        && req.milli_cpu <= a.milli_cpu
        && req.memory <= a.memory
        && req.ephemeral_storage <= a.ephemeral_storage
        && req.scalar.iter().all(|(k, v)| *v <= a.scalar(k));
    if !fits {
        return QueueingHint::QueueSkip;
    }
    let Some(old) = old else {
        return QueueingHint::Queue;
    };
    let o = &old.allocatable;
    let increased = a.pods > o.pods
        || (req.milli_cpu > 0 && a.milli_cpu > o.milli_cpu)
        || (req.memory > 0 && a.memory > o.memory)
        || (req.ephemeral_storage > 0 && a.ephemeral_storage > o.ephemeral_storage)
        || req
            .scalar
            .iter()
            .any(|(k, v)| *v > 0 && a.scalar(k) > o.scalar(k));
    QueueingHint::queue_if(increased)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduler::testutil::{
        TestCluster, differently_sized_nodes, node, node2_holding_3000m_5000, pod,
    };

    const CPU_1000: &str =
        "{containers: [{name: c, image: i, resources: {requests: {cpu: 1000m, memory: '2000'}}}]}";

    fn scores(plugin: &NodeResourcesFitScore, tc: &TestCluster, p: &PodRecord) -> Vec<i64> {
        (0..tc.cluster.nodes().len())
            .map(|i| plugin.score(p, NodeId(i as u32), tc.snapshot()))
            .collect()
    }

    /// noderesources/least_allocated_test.go TestLeastAllocatedScoringStrategy.
    #[test]
    fn least_allocated_table() {
        let least =
            NodeResourcesFitScore::new(ScoringStrategy::LeastAllocated, default_resources());
        // "nothing scheduled, resources requested, differently sized nodes": cpu 3000 / memory
        // 5000 on nodes of 4000/10000 and 6000/10000.
        let (tc, p) = differently_sized_nodes();
        assert_eq!(scores(&least, &tc, &p), [37, 50]);
        // kubesim's cases by the same arithmetic. Nothing requested: the 100m/200Mi non-zero
        // defaults; cpu (4000-100)*100/4000 = 97, memory 200Mi exceeds 10000 -> 0; (97+0)/2.
        let tc = TestCluster::new(
            vec![
                node("node1", 4000, 10000, &[]),
                node("node2", 4000, 10000, &[]),
            ],
            vec![],
        );
        let p = pod("p", "default", &[], "{containers: [{name: a, image: i}]}");
        assert_eq!(scores(&least, &tc, &p), [48, 48]);
        // node2 already holds 3000m/5000.
        let tc = node2_holding_3000m_5000();
        let p = pod("p", "default", &[], CPU_1000);
        // node1: cpu (10000-1000)*100/10000=90, mem (20000-2000)*100/20000=90 -> 90;
        // node2: cpu (10000-4000)*100/10000=60, mem (20000-7000)*100/20000=65 -> 62.
        assert_eq!(scores(&least, &tc, &p), [90, 62]);
    }

    /// The unrolled LeastAllocated gives `score_resources`'s result, in and out of its
    /// common case.
    #[test]
    fn least_allocated_cpu_memory_matches_score_resources() {
        let least =
            NodeResourcesFitScore::new(ScoringStrategy::LeastAllocated, default_resources());
        let cases = [
            ((3000, 4000, 1), (5000, 10000, 1)),
            ((100, 4000, 1), (209_715_200, 10000, 1)),
            ((0, 0, 1), (5, 10, 1)),
            ((0, 0, 1), (0, 0, 1)),
            ((7, 9, 3), (1, 1_000_000_007, 5)),
            ((4001, 4000, 2), (3, 10, 1)),
        ];
        for (cpu, memory) in cases {
            assert_eq!(
                least_allocated_cpu_memory(cpu, memory),
                least.score_resources([cpu, memory].into_iter()),
                "{cpu:?} {memory:?}"
            );
        }
    }

    /// noderesources/most_allocated_test.go TestMostAllocatedScoringStrategy ("nothing
    /// scheduled, resources requested, differently sized nodes").
    #[test]
    fn most_allocated_table() {
        let most = NodeResourcesFitScore::new(ScoringStrategy::MostAllocated, default_resources());
        let (tc, p) = differently_sized_nodes();
        // node1: cpu 3000*100/4000=75, mem 5000*100/10000=50 -> 62; node2: 50, 50 -> 50.
        assert_eq!(scores(&most, &tc, &p), [62, 50]);
    }

    /// noderesources/requested_to_capacity_ratio_test.go TestRequestedToCapacityRatioScoringStrategy
    /// ("nothing scheduled, resources requested, differently sized nodes" with shape
    /// {0: 10, 100: 0}, i.e. least-allocated-like).
    #[test]
    fn requested_to_capacity_ratio_table() {
        let rtc = NodeResourcesFitScore::new(
            ScoringStrategy::RequestedToCapacityRatio(vec![(0, 10), (100, 0)]),
            default_resources(),
        );
        let (tc, p) = differently_sized_nodes();
        // node1: cpu 75% -> 25, mem 50% -> 50, round(75/2) = 38; node2: 50, 50 -> 50.
        assert_eq!(scores(&rtc, &tc, &p), [38, 50]);
        // helper/shape_score_test.go TestBrokenLinearFunction.
        let shape = [(10, 1), (90, 9)];
        let got: Vec<i64> = [-10, 0, 9, 10, 15, 90, 91, 100]
            .iter()
            .map(|&p| broken_linear(&shape, p))
            .collect();
        assert_eq!(got, [1, 1, 1, 1, 1, 9, 9, 9]);
    }

    /// noderesources/fit_test.go TestEnoughRequests (reasons and their order).
    #[test]
    fn fit_filter_reasons() {
        let tc = TestCluster::new(
            vec![node("n", 10, 20, &[])],
            vec![(
                pod(
                    "e",
                    "default",
                    &[],
                    "{containers: [{name: a, image: i, resources: {requests: {cpu: 5m, memory: '19'}}}]}",
                ),
                0,
            )],
        );
        let cases = [
            ("{containers: [{name: a, image: i}]}", vec![]),
            (
                "{containers: [{name: a, image: i, resources: {requests: {cpu: 1m, memory: '1'}}}]}",
                vec![],
            ),
            (
                "{containers: [{name: a, image: i, resources: {requests: {cpu: 8m, memory: '1'}}}]}",
                vec!["Insufficient cpu"],
            ),
            (
                "{containers: [{name: a, image: i, resources: {requests: {cpu: 3m, memory: '2'}}}]}",
                vec!["Insufficient memory"],
            ),
            (
                "{containers: [{name: a, image: i, resources: {requests: {cpu: 8m, memory: '2'}}}]}",
                vec!["Insufficient cpu", "Insufficient memory"],
            ),
            (
                "{containers: [{name: a, image: i, resources: {requests: {example.com/aaa: '1'}}}]}",
                vec!["Insufficient example.com/aaa"],
            ),
        ];
        for (spec, want) in cases {
            let p = pod("p", "default", &[], spec);
            let s = NodeResourcesFit.filter(&p, NodeId(0), tc.snapshot());
            let got: Vec<&str> = s.reasons().collect();
            assert_eq!(got, want, "{spec}");
        }
    }
}
