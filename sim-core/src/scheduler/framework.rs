//! The scheduling framework's extension points (pkg/scheduler/framework/interface.go), in
//! upstream's order: PreEnqueue (SchedulingGates, in the engine), QueueSort (PrioritySort, in
//! the queue), PreFilter, Filter, PostFilter, PreScore, Score, NormalizeScore, then Reserve,
//! Permit, PreBind and Bind (`binding.rs`).
//!
//! Plug-in API: implement `FilterPlugin` (PreFilter + Filter), `ScorePlugin` (PreScore, Score,
//! NormalizeScore) or the binding traits (`ReservePlugin`, `PermitPlugin`, `PreBindPlugin`,
//! `BindPlugin`), register a factory under a name in a `config::Registry`, and enable it in a
//! KubeSchedulerConfiguration (`plugins.<point>.enabled`, args in `pluginConfig`, read through
//! `PluginArgs::raw`); `DefaultScheduler::from_config` builds the profiles. Or add plugins to
//! a `Profile` directly, or replace the whole `Scheduler`.
//! `cargo run -p sim-core --example scheduler_plugins` shows each way.
//!
//! Plugins are pure and single-threaded. A plugin's per-cycle state (upstream's CycleState
//! entries) lives in the plugin itself: PreFilter/PreScore take `&mut self` and overwrite it, so
//! buffers are reused from pod to pod instead of allocated per cycle.

use std::borrow::Cow;

use crate::cluster::{Cluster, NodeId, NodeRecord, PodRecord};

use super::cache::SchedulerCache;
use super::events::{ClusterEventType, QueueEvent, QueueingHint};
use super::nominator::Nominator;
use super::preemption::{DisruptionBudget, Nomination};
use super::profile::Diagnosis;
use crate::rng::SimRng;
use crate::time::SimTime;

/// pkg/scheduler/framework/interface.go MaxNodeScore.
pub const MAX_NODE_SCORE: i64 = 100;

/// framework.Code, for the statuses plugins return.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Code {
    Success,
    /// The pod may fit after other pods are removed (preemption can help).
    Unschedulable,
    /// Nothing running on the node can make the pod fit.
    UnschedulableAndUnresolvable,
    /// PreFilter/PreScore: the plugin has nothing to do for this pod; its Filter/Score is
    /// not called in this cycle.
    Skip,
    /// An internal error (framework.Error): the attempt fails as a whole, with no FitError
    /// and no PostFilter; the pod backs off.
    Error,
}

/// framework.Status: a code, the reasons shown in `0/N nodes are available: ...`, and the
/// plugin that returned it (set by the framework on failures: Diagnosis.UnschedulablePlugins
/// is built from it, and the scheduling queue asks those plugins' queueing hints).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub code: Code,
    pub reasons: Reasons,
    pub plugin: &'static str,
}

impl Status {
    pub const SUCCESS: Status = Status::of(Code::Success);
    pub const SKIP: Status = Status::of(Code::Skip);

    /// A status with `code` and no reasons.
    pub const fn of(code: Code) -> Status {
        Status {
            code,
            reasons: Reasons::new(),
            plugin: "",
        }
    }

    /// `Status::new(code, vec![reason, ...])`, or any other collection of reasons.
    pub fn new(code: Code, reasons: impl Into<Reasons>) -> Status {
        Status {
            code,
            reasons: reasons.into(),
            plugin: "",
        }
    }

    pub fn unschedulable(reason: impl Into<Cow<'static, str>>) -> Status {
        Status::new(Code::Unschedulable, Reasons::one(reason))
    }

    pub fn unresolvable(reason: impl Into<Cow<'static, str>>) -> Status {
        Status::new(Code::UnschedulableAndUnresolvable, Reasons::one(reason))
    }

    /// Status.WithPlugin: the plugin that returned this status.
    pub fn with_plugin(mut self, plugin: &'static str) -> Status {
        self.plugin = plugin;
        self
    }

    /// framework.AsStatus(err): an Error status carrying the error's text.
    pub fn error(message: impl Into<Cow<'static, str>>) -> Status {
        Status::new(Code::Error, Reasons::one(message))
    }

    pub fn is_success(&self) -> bool {
        self.code == Code::Success
    }

    pub fn reasons(&self) -> impl Iterator<Item = &str> {
        self.reasons.iter().map(|r| r.as_ref())
    }
}

/// A status's reasons, held inline when there are none or one (nearly every rejection), so
/// a Filter rejecting thousands of nodes allocates nothing. Reads as a slice.
#[derive(Clone, Default)]
pub struct Reasons(ReasonsRepr);

#[derive(Clone, Default)]
enum ReasonsRepr {
    #[default]
    None,
    One(Cow<'static, str>),
    Many(Vec<Cow<'static, str>>),
}

impl Reasons {
    pub const fn new() -> Reasons {
        Reasons(ReasonsRepr::None)
    }

    pub fn one(reason: impl Into<Cow<'static, str>>) -> Reasons {
        Reasons(ReasonsRepr::One(reason.into()))
    }

    pub fn push(&mut self, reason: impl Into<Cow<'static, str>>) {
        let reason = reason.into();
        self.0 = match std::mem::take(&mut self.0) {
            ReasonsRepr::None => ReasonsRepr::One(reason),
            ReasonsRepr::One(first) => ReasonsRepr::Many(vec![first, reason]),
            ReasonsRepr::Many(mut all) => {
                all.push(reason);
                ReasonsRepr::Many(all)
            }
        };
    }
}

impl std::ops::Deref for Reasons {
    type Target = [Cow<'static, str>];

    fn deref(&self) -> &Self::Target {
        match &self.0 {
            ReasonsRepr::None => &[],
            ReasonsRepr::One(r) => std::slice::from_ref(r),
            ReasonsRepr::Many(all) => all,
        }
    }
}

impl PartialEq for Reasons {
    fn eq(&self, other: &Reasons) -> bool {
        **self == **other
    }
}

impl Eq for Reasons {}

impl std::fmt::Debug for Reasons {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<R: Into<Cow<'static, str>>> FromIterator<R> for Reasons {
    fn from_iter<I: IntoIterator<Item = R>>(iter: I) -> Reasons {
        let mut reasons = Reasons::new();
        reasons.extend(iter);
        reasons
    }
}

impl<R: Into<Cow<'static, str>>> Extend<R> for Reasons {
    fn extend<I: IntoIterator<Item = R>>(&mut self, iter: I) {
        iter.into_iter().for_each(|r| self.push(r));
    }
}

impl From<Vec<Cow<'static, str>>> for Reasons {
    fn from(mut all: Vec<Cow<'static, str>>) -> Reasons {
        match all.len() {
            0 => Reasons::new(),
            1 => Reasons(ReasonsRepr::One(all.swap_remove(0))),
            _ => Reasons(ReasonsRepr::Many(all)),
        }
    }
}

impl<const N: usize> From<[Cow<'static, str>; N]> for Reasons {
    fn from(all: [Cow<'static, str>; N]) -> Reasons {
        all.into_iter().collect()
    }
}

impl IntoIterator for Reasons {
    type Item = Cow<'static, str>;
    type IntoIter = std::iter::Chain<
        std::option::IntoIter<Cow<'static, str>>,
        std::vec::IntoIter<Cow<'static, str>>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        let (first, rest) = match self.0 {
            ReasonsRepr::None => (None, Vec::new()),
            ReasonsRepr::One(r) => (Some(r), Vec::new()),
            ReasonsRepr::Many(all) => (None, all),
        };
        first.into_iter().chain(rest)
    }
}

impl<'a> IntoIterator for &'a Reasons {
    type Item = &'a Cow<'static, str>;
    type IntoIter = std::slice::Iter<'a, Cow<'static, str>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// What plugins may read besides the pod and the node: the API state and the scheduler's own
/// cache (node order, image spread, namespace labels), upstream's framework.Handle.
#[derive(Copy, Clone)]
pub struct Snapshot<'a> {
    pub cluster: &'a Cluster,
    pub cache: &'a SchedulerCache,
}

impl<'a> Snapshot<'a> {
    /// Every node, in the node tree's zone-interleaved order (NodeInfos().List()).
    pub fn nodes(&self) -> impl Iterator<Item = &'a NodeRecord> + 'a {
        let cluster = self.cluster;
        self.cache
            .node_order()
            .iter()
            .map(move |&id| cluster.node(id))
    }

    pub fn node(&self, id: NodeId) -> &'a NodeRecord {
        self.cluster.node(id)
    }

    /// The pods the scheduler counts on a node (bound or assumed, not terminal).
    pub fn pods_on(&self, node: &'a NodeRecord) -> impl Iterator<Item = &'a PodRecord> + 'a {
        let cluster = self.cluster;
        node.pods.iter().filter_map(move |&id| cluster.pod(id))
    }
}

/// framework.PreFilterPlugin + FilterPlugin.
pub trait FilterPlugin {
    fn name(&self) -> &'static str;

    /// PreFilter: computes this pod's state. `Skip` means Filter is not called for this pod;
    /// an unschedulable status rejects the pod on every node.
    fn pre_filter(&mut self, _pod: &PodRecord, _snapshot: Snapshot<'_>) -> Status {
        Status::SUCCESS
    }

    fn filter(&self, pod: &PodRecord, node: NodeId, snapshot: Snapshot<'_>) -> Status;

    /// EnqueueExtensions.EventsToRegister: the cluster events after which a pod this plugin
    /// rejected may fit. A plugin without EnqueueExtensions is registered for every event
    /// (runtime/framework.go defaultEnqueueExtension).
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        &[ClusterEventType::WILDCARD]
    }

    /// The QueueingHintFn of those registrations: may `event` make `pod`, which this plugin
    /// rejected, schedulable? A plugin without one answers Queue.
    fn queueing_hint(
        &self,
        _pod: &PodRecord,
        _event: &QueueEvent<'_>,
        _s: Snapshot<'_>,
    ) -> QueueingHint {
        QueueingHint::Queue
    }

    /// What Filter does when a profile disables this plugin's PreFilter but keeps its Filter
    /// (`plugins.preFilter.disabled`): `Some(err)` when upstream's Filter fails reading the
    /// PreFilter state it expects in the CycleState (its `getPreFilterState` error), `None`
    /// when it computes what it needs itself, so the cycle is the same as with PreFilter.
    fn missing_pre_filter_state(&self) -> Option<String> {
        None
    }

    /// Filter over a chunk of nodes in walk order: keeps in `nodes` those that pass (order
    /// kept) and appends each other node with its status to `rejected` (in order): exactly
    /// `filter`'s verdicts. The default calls `filter` per node; the built-in plugins
    /// override it with a loop that builds no `Status` for a node that passes.
    fn filter_batch(
        &self,
        pod: &PodRecord,
        nodes: &mut Vec<NodeId>,
        snapshot: Snapshot<'_>,
        rejected: &mut Vec<(NodeId, Status)>,
    ) {
        filter_each(self, pod, nodes, snapshot, rejected);
    }
}

/// Filters `nodes` one node at a time (the default `filter_batch`).
pub fn filter_each<P: FilterPlugin + ?Sized>(
    plugin: &P,
    pod: &PodRecord,
    nodes: &mut Vec<NodeId>,
    s: Snapshot<'_>,
    rejected: &mut Vec<(NodeId, Status)>,
) {
    retain_passing(nodes, rejected, |_| false, |id| plugin.filter(pod, id, s));
}

/// The loop behind `filter_batch`: a node `passes` accepts is kept without a `Status`; any
/// other gets its full verdict from `filter`, and is kept if that is Success, else appended
/// with it to `rejected`. `passes` must accept only nodes `filter` accepts.
pub fn retain_passing(
    nodes: &mut Vec<NodeId>,
    rejected: &mut Vec<(NodeId, Status)>,
    mut passes: impl FnMut(NodeId) -> bool,
    mut filter: impl FnMut(NodeId) -> Status,
) {
    // Most chunks pass whole: find the first node `passes` does not accept before moving
    // any (each node still meets `passes` once).
    let Some(first) = nodes.iter().position(|&id| !passes(id)) else {
        return;
    };
    // In-place compaction; `Vec::retain`'s panic guard costs more than the check itself.
    let mut kept = first;
    for i in first..nodes.len() {
        let id = nodes[i];
        if i == first || !passes(id) {
            let status = filter(id);
            if !status.is_success() {
                rejected.push((id, status));
                continue;
            }
        }
        nodes[kept] = id;
        kept += 1;
    }
    nodes.truncate(kept);
}

/// framework.PreScorePlugin + ScorePlugin (+ ScoreExtensions.NormalizeScore).
pub trait ScorePlugin {
    fn name(&self) -> &'static str;

    /// PreScore over the feasible nodes; `Skip` means Score is not called for this pod and the
    /// plugin contributes nothing.
    fn pre_score(&mut self, _pod: &PodRecord, _feasible: &[NodeId], _s: Snapshot<'_>) -> Status {
        Status::SUCCESS
    }

    fn score(&self, pod: &PodRecord, node: NodeId, snapshot: Snapshot<'_>) -> i64;

    /// Scores every feasible node into `out` (same order), writing every element (`out`
    /// holds the previous plugin's scores). The default calls `score` per node; plugins
    /// override it with a tight loop, so a cycle makes one call per plugin.
    fn score_all(&self, pod: &PodRecord, feasible: &[NodeId], s: Snapshot<'_>, out: &mut [i64]) {
        score_each(self, pod, feasible, s, out);
    }

    /// NormalizeScore over the scores of all feasible nodes (in `feasible` order).
    fn normalize(&self, _scores: &mut [i64]) {}

    /// Score, NormalizeScore and the weight in one pass: adds `weight` times each feasible
    /// node's normalized score to its element of `totals` and returns true; must equal
    /// `score_all` then `normalize`. The default returns false without touching `totals`,
    /// and the profile takes those two steps (with a scores buffer) instead.
    fn add_weighted_scores(
        &self,
        _pod: &PodRecord,
        _feasible: &[NodeId],
        _s: Snapshot<'_>,
        _weight: i64,
        _totals: &mut [i64],
    ) -> bool {
        false
    }

    /// What Score does when a profile disables this plugin's PreScore but keeps its Score:
    /// `Some(err)` when upstream's Score fails reading its PreScore state, `None` when it
    /// falls back to computing it (NodeAffinity, NodeResourcesFit, BalancedAllocation), so
    /// the scores are the same as with PreScore.
    fn missing_pre_score_state(&self) -> Option<String> {
        None
    }

    /// The normalized score every node in `feasible` gets, when the plugin knows it is the
    /// same for all of them without scoring each (TaintToleration when no node has taints);
    /// the profile then adds it once instead of calling `score_all` and `normalize`. Must
    /// equal what those would give. Default: not known.
    fn uniform_score(
        &self,
        _pod: &PodRecord,
        _feasible: &[NodeId],
        _s: Snapshot<'_>,
    ) -> Option<i64> {
        None
    }
}

/// The text of a plugin's failed `cycleState.Read(key)` (framework.ErrNotFound wrapped by the
/// plugin's getPreFilterState/getPreScoreState): `<prefix> "<key>" from cycleState: not found`.
pub fn state_not_found(prefix: &str, key: &str) -> String {
    format!("{prefix} \"{key}\" from cycleState: not found")
}

/// What a PostFilter plugin reads besides the pod and the diagnosis (framework.Handle):
/// the snapshot, the nominator, the PodDisruptionBudgets and the cycle's time.
pub struct PostFilterContext<'a> {
    pub snapshot: Snapshot<'a>,
    pub nominator: &'a Nominator,
    pub budgets: &'a [DisruptionBudget],
    pub now: SimTime,
}

/// The profile's filters, run on a changed copy of the cluster
/// (framework.Handle.RunFilterPluginsWithNominatedPods, PreFilter included).
pub trait FilterHandle {
    fn filter_with_nominated(
        &mut self,
        pod: &PodRecord,
        node: NodeId,
        view: &mut Cluster,
    ) -> Status;
}

/// PostFilter's answer: the status whose message follows the FitError, and what becomes of
/// the pod's nominatedNodeName.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostFilterResult {
    pub status: Status,
    pub nomination: Nomination,
}

/// framework.PostFilterPlugin: runs only when no node fits.
pub trait PostFilterPlugin {
    fn name(&self) -> &'static str;

    fn post_filter(
        &mut self,
        pod: &PodRecord,
        diagnosis: &Diagnosis,
        ctx: &PostFilterContext<'_>,
        filters: &mut dyn FilterHandle,
        rng: &mut SimRng,
    ) -> PostFilterResult;
}

/// Scores `feasible` one node at a time (the default `score_all`).
pub fn score_each<P: ScorePlugin + ?Sized>(
    plugin: &P,
    pod: &PodRecord,
    feasible: &[NodeId],
    s: Snapshot<'_>,
    out: &mut [i64],
) {
    for (o, &id) in out.iter_mut().zip(feasible) {
        *o = plugin.score(pod, id, s);
    }
}

/// pkg/scheduler/framework/plugins/helper/normalize_score.go DefaultNormalizeScore.
pub fn default_normalize_score(max_priority: i64, reverse: bool, scores: &mut [i64]) {
    let max_count = scores.iter().copied().fold(0, i64::max);
    if max_count == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = max_priority);
        }
        return;
    }
    for s in scores.iter_mut() {
        let mut score = max_priority * *s / max_count;
        if reverse {
            score = max_priority - score;
        }
        *s = score;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reasons read as the same slice whether held inline or in a vector.
    #[test]
    fn reasons_inline_and_spilled() {
        let mut r = Reasons::new();
        assert!(r.is_empty());
        r.push("a");
        assert_eq!(r, Reasons::from(vec![Cow::from("a")]));
        assert_eq!(Status::unschedulable("a").reasons, r);
        r.push(String::from("b"));
        r.extend(["c"]);
        assert_eq!(&*r, ["a", "b", "c"].map(Cow::from).as_slice());
        assert_eq!(format!("{r:?}"), r#"["a", "b", "c"]"#);
        let owned: Vec<Cow<'static, str>> = r.clone().into_iter().collect();
        assert_eq!(Reasons::from(owned), r);
        assert_eq!(Reasons::one("x").into_iter().count(), 1);
        assert_eq!(
            Status::new(Code::Error, Vec::new()),
            Status::of(Code::Error)
        );
    }

    /// retain_passing keeps exactly the nodes `passes` or `filter` accepts, in order, and
    /// rejects the others in order, with `passes` and `filter` each called once per node
    /// at most; a chunk that passes whole is left as it is.
    #[test]
    fn retain_passing_keeps_walk_order() {
        let cases: [(&[u32], &[u32], &[u32]); 4] = [
            (&[1, 2, 4, 5], &[1, 2, 4, 5], &[]),
            (&[0, 1, 2, 3, 6, 7, 9], &[1, 2, 3, 7], &[0, 6, 9]),
            (&[3, 5], &[3, 5], &[]),
            (&[6], &[], &[6]),
        ];
        for (input, kept, rejected_ids) in cases {
            let mut nodes: Vec<NodeId> = input.iter().copied().map(NodeId).collect();
            let mut rejected = Vec::new();
            let (mut passes_calls, mut filter_calls) = (Vec::new(), Vec::new());
            retain_passing(
                &mut nodes,
                &mut rejected,
                |id| {
                    passes_calls.push(id);
                    id.0 % 3 != 0
                },
                |id| {
                    filter_calls.push(id);
                    if id.0 == 3 {
                        Status::SUCCESS
                    } else {
                        Status::unschedulable("no")
                    }
                },
            );
            let ids = |v: &[NodeId]| v.iter().map(|n| n.0).collect::<Vec<_>>();
            assert_eq!(ids(&nodes), kept, "{input:?}");
            let got: Vec<u32> = rejected.iter().map(|(n, _)| n.0).collect();
            assert_eq!(got, rejected_ids, "{input:?}");
            assert_eq!(ids(&passes_calls), input, "{input:?}");
            let failing: Vec<u32> = input.iter().copied().filter(|i| i % 3 == 0).collect();
            assert_eq!(ids(&filter_calls), failing, "{input:?}");
        }
    }

    /// helper/normalize_score_test.go TestDefaultNormalizeScore.
    #[test]
    fn default_normalize_score_table() {
        let cases: [(bool, &[i64], &[i64]); 7] = [
            (false, &[1, 2, 3, 4, 5], &[20, 40, 60, 80, 100]),
            (true, &[1, 2, 3, 4, 5], &[80, 60, 40, 20, 0]),
            (false, &[1000, 10, 20, 30], &[100, 1, 2, 3]),
            (true, &[1000, 10, 20, 30], &[0, 99, 98, 97]),
            (false, &[1, 1, 1, 1], &[100, 100, 100, 100]),
            (true, &[1, 1, 1, 1], &[0, 0, 0, 0]),
            (true, &[0, 1, 0, 1], &[100, 0, 100, 0]),
        ];
        for (reverse, input, want) in cases {
            let mut s = input.to_vec();
            default_normalize_score(MAX_NODE_SCORE, reverse, &mut s);
            assert_eq!(s, want, "reverse={reverse} input={input:?}");
        }
    }
}
