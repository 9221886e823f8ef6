//! A scheduling profile (pkg/scheduler/framework/runtime/framework.go) and one scheduling
//! cycle over it (pkg/scheduler/schedule_one.go schedulePod): PreFilter, Filter from the
//! round-robin start index until numFeasibleNodesToFind nodes fit, PreScore, Score,
//! NormalizeScore, weights, and selectHost's seeded uniform choice among the top scores.
//!
//! Buffers (feasible nodes, statuses, scores) live in the profile and are reused from pod to
//! pod, so a cycle allocates nothing on its hot path.

use crate::cluster::{Cluster, NodeId, PodRecord};
use crate::rng::{SimRng, uniform_below};

use super::binding::BindingPlugins;
use super::cache::SchedulerCache;
use super::explanation::{CycleRecord, PluginScores};
use super::framework::{
    Code, FilterHandle, FilterPlugin, PostFilterContext, PostFilterPlugin, PostFilterResult,
    ScorePlugin, Snapshot, Status,
};
use super::nominator::Nominator;
use super::plugins::{
    BalancedAllocation, ImageLocality, InterPodAffinity, InterPodAffinityScore, NodeAffinity,
    NodeAffinityScore, NodeName, NodePorts, NodeResourcesFit, NodeResourcesFitScore,
    NodeUnschedulable, PodTopologySpread, PodTopologySpreadScore, ScoringStrategy, TaintToleration,
    TaintTolerationScore, node_resources_fit::default_resources,
};
use super::preemption::{DefaultPreemption, Nomination};

/// A Filter plugin with its per-cycle Skip flag.
struct FilterEntry {
    plugin: Box<dyn FilterPlugin>,
    skip: bool,
    /// Its PreFilter is disabled and its Filter cannot do without it: the Error status Filter
    /// gives on every node (RunFilterPlugins: `running "<name>" filter plugin: ...`).
    missing_state: Option<Status>,
}

/// A Score plugin with its weight and per-cycle Skip flag.
struct ScoreEntry {
    plugin: Box<dyn ScorePlugin>,
    weight: i64,
    skip: bool,
    /// Its PreScore is disabled and its Score cannot do without it: Score's error.
    missing_state: Option<String>,
    /// This cycle every node gets the same score (`ScorePlugin::uniform_score`).
    uniform: bool,
}

/// Why no node was chosen: each evaluated node's status (node, status), the number of
/// nodes, and a PreFilter rejection if there was one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnosis {
    pub num_all_nodes: usize,
    pub node_statuses: Vec<(NodeId, Status)>,
    pub pre_filter_status: Option<Status>,
    /// The cycle failed with an error, not a FitError (a Filter or Score plugin's Error
    /// status): the FailedScheduling message, reason SchedulerError, no PostFilter.
    pub error: Option<String>,
}

impl Diagnosis {
    /// An attempt that failed with `status`, an Error.
    fn from_error(num_all_nodes: usize, status: &Status) -> Diagnosis {
        Diagnosis {
            num_all_nodes,
            error: Some(status.reasons().collect::<Vec<_>>().join(", ")),
            ..Diagnosis::default()
        }
    }
}

impl Diagnosis {
    /// Diagnosis.UnschedulablePlugins: the plugin whose PreFilter rejected the pod, or every
    /// plugin whose Filter rejected it on some node (sorted, each once).
    pub fn unschedulable_plugins(&self) -> Vec<&'static str> {
        // A handful of plugins over thousands of nodes: a short vector, not a sort of all.
        let mut plugins: Vec<&'static str> = Vec::new();
        let mut add = |s: &Status| {
            if !s.plugin.is_empty() && !plugins.contains(&s.plugin) {
                plugins.push(s.plugin);
            }
        };
        match &self.pre_filter_status {
            Some(s) => add(s),
            None => self.node_statuses.iter().for_each(|(_, s)| add(s)),
        }
        plugins.sort_unstable();
        plugins
    }
}

/// One scheduler profile: its plugins per extension point, in order, with weights.
pub struct Profile {
    pub scheduler_name: String,
    filters: Vec<FilterEntry>,
    post_filters: Vec<Box<dyn PostFilterPlugin>>,
    scorers: Vec<ScoreEntry>,
    /// `percentageOfNodesToScore` (None or 0: adaptive).
    pub percentage_of_nodes_to_score: Option<u32>,
    /// The last cycle's details, recorded only when explanations are on (`Some`).
    pub record: Option<Box<CycleRecord>>,
    /// Reserve, Permit, PreBind and Bind (DefaultBinder by default).
    pub binding: BindingPlugins,
    /// pkg/scheduler/schedule_one.go nextStartNodeIndex.
    next_start_node_index: usize,
    feasible: Vec<NodeId>,
    /// The Filter walk's current chunk of nodes.
    chunk: Vec<NodeId>,
    statuses: Vec<(NodeId, Status)>,
    totals: Vec<i64>,
    scores: Vec<i64>,
}

impl Profile {
    pub fn new(scheduler_name: &str) -> Profile {
        Profile {
            scheduler_name: scheduler_name.to_string(),
            filters: Vec::new(),
            post_filters: Vec::new(),
            scorers: Vec::new(),
            percentage_of_nodes_to_score: None,
            record: None,
            binding: BindingPlugins::default(),
            next_start_node_index: 0,
            feasible: Vec::new(),
            chunk: Vec::new(),
            statuses: Vec::new(),
            totals: Vec::new(),
            scores: Vec::new(),
        }
    }

    /// apis/config/v1/default_plugins.go: the default profile, `default-scheduler`. The
    /// volume plugins (VolumeRestrictions, NodeVolumeLimits, VolumeBinding, VolumeZone) have
    /// nothing to act on since kubesim models no PersistentVolumes.
    pub fn default_profile() -> Profile {
        let mut p = Profile::new("default-scheduler");
        p.add_filter(Box::new(NodeUnschedulable));
        p.add_filter(Box::new(NodeName));
        p.add_filter(Box::new(TaintToleration));
        p.add_filter(Box::new(NodeAffinity::default()));
        p.add_filter(Box::new(NodePorts));
        p.add_filter(Box::new(NodeResourcesFit));
        p.add_filter(Box::new(PodTopologySpread::default()));
        p.add_filter(Box::new(InterPodAffinity::default()));
        p.add_post_filter(Box::new(DefaultPreemption::default()));
        p.add_score(Box::new(TaintTolerationScore::default()), 3);
        p.add_score(Box::new(NodeAffinityScore::default()), 2);
        p.add_score(
            Box::new(NodeResourcesFitScore::new(
                ScoringStrategy::LeastAllocated,
                default_resources(),
            )),
            1,
        );
        p.add_score(Box::new(PodTopologySpreadScore::default()), 2);
        p.add_score(Box::new(InterPodAffinityScore::default()), 2);
        p.add_score(Box::new(BalancedAllocation::default()), 1);
        p.add_score(Box::new(ImageLocality), 1);
        p
    }

    /// Appends a Filter plugin (PreFilter and Filter) after the existing ones.
    pub fn add_filter(&mut self, plugin: Box<dyn FilterPlugin>) {
        self.filters.push(FilterEntry {
            plugin,
            skip: false,
            missing_state: None,
        });
    }

    /// Appends a PostFilter plugin (run in order until one succeeds).
    pub fn add_post_filter(&mut self, plugin: Box<dyn PostFilterPlugin>) {
        self.post_filters.push(plugin);
    }

    /// Removes the PostFilter plugin `name`; false if it was not there.
    pub fn remove_post_filter(&mut self, name: &str) -> bool {
        let before = self.post_filters.len();
        self.post_filters.retain(|f| f.name() != name);
        before != self.post_filters.len()
    }

    pub fn post_filter_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.post_filters.iter().map(|f| f.name())
    }

    /// Appends a Score plugin (PreScore, Score, NormalizeScore) with `weight` (0 counts as 1,
    /// as upstream's framework does).
    pub fn add_score(&mut self, plugin: Box<dyn ScorePlugin>, weight: i64) {
        self.scorers.push(ScoreEntry {
            plugin,
            weight: if weight == 0 { 1 } else { weight },
            skip: false,
            missing_state: None,
            uniform: false,
        });
    }

    pub fn filter_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.filters.iter().map(|f| f.plugin.name())
    }

    /// The PreFilter/Filter plugins (the ones whose rejections the queue's hints ask about).
    pub fn filter_plugins(&self) -> impl Iterator<Item = &dyn FilterPlugin> + '_ {
        self.filters.iter().map(|f| f.plugin.as_ref())
    }

    pub fn score_names(&self) -> impl Iterator<Item = (&'static str, i64)> + '_ {
        self.scorers.iter().map(|s| (s.plugin.name(), s.weight))
    }

    /// Removes the Filter plugin `name`; false if it was not there.
    pub fn remove_filter(&mut self, name: &str) -> bool {
        let before = self.filters.len();
        self.filters.retain(|f| f.plugin.name() != name);
        before != self.filters.len()
    }

    /// Removes the Score plugin `name`; false if it was not there.
    pub fn remove_score(&mut self, name: &str) -> bool {
        let before = self.scorers.len();
        self.scorers.retain(|f| f.plugin.name() != name);
        before != self.scorers.len()
    }

    /// The profile runs Filter plugin `name` without its PreFilter (`plugins.preFilter`
    /// disables it, `plugins.filter` keeps it): PreFilter is never called and Filter always
    /// runs, failing with the plugin's missing-state error if it has one.
    pub fn disable_pre_filter(&mut self, name: &str) {
        if let Some(f) = self.filters.iter_mut().find(|f| f.plugin.name() == name) {
            let plugin = f.plugin.name();
            f.missing_state = f.plugin.missing_pre_filter_state().map(|e| {
                Status::error(format!("running {plugin:?} filter plugin: {e}")).with_plugin(plugin)
            });
        }
    }

    /// The same for Score plugin `name` without its PreScore.
    pub fn disable_pre_score(&mut self, name: &str) {
        if let Some(e) = self.scorers.iter_mut().find(|e| e.plugin.name() == name) {
            e.missing_state = e.plugin.missing_pre_score_state();
        }
    }

    /// Sets a Score plugin's weight; false if it is not enabled.
    pub fn set_weight(&mut self, name: &str, weight: i64) -> bool {
        match self.scorers.iter_mut().find(|s| s.plugin.name() == name) {
            Some(s) => {
                s.weight = if weight == 0 { 1 } else { weight };
                true
            }
            None => false,
        }
    }

    /// Runs Filter plugins in order on one node, stopping at the first failure.
    fn run_filters(&self, pod: &PodRecord, node: NodeId, s: Snapshot<'_>) -> Status {
        run_filter_plugins(&self.filters, pod, node, s)
    }

    /// PreFilter, then the Filter plugins on one node: that node's status in a cycle.
    pub fn filter_node(&mut self, pod: &PodRecord, node: NodeId, s: Snapshot<'_>) -> Status {
        pre_filter_and_filter(&mut self.filters, pod, node, s)
    }

    /// The profile's filters as a [`FilterHandle`] (for table tests of PostFilter parts).
    pub fn filter_handle<'a>(
        &'a mut self,
        cache: &'a SchedulerCache,
        nominator: &'a Nominator,
    ) -> impl FilterHandle + 'a {
        FilterRunner {
            filters: &mut self.filters,
            cache,
            nominator,
            view_cache: None,
        }
    }

    /// RunPostFilterPlugins: the first plugin that succeeds wins; otherwise the reasons of
    /// all, and the last nomination change a plugin asked for.
    pub fn post_filter(
        &mut self,
        pod: &PodRecord,
        diagnosis: &Diagnosis,
        ctx: &PostFilterContext<'_>,
        rng: &mut SimRng,
    ) -> PostFilterResult {
        let mut handle = FilterRunner {
            filters: &mut self.filters,
            cache: ctx.snapshot.cache,
            nominator: ctx.nominator,
            view_cache: None,
        };
        let mut reasons = Vec::new();
        let mut nomination = Nomination::Keep;
        for pl in &mut self.post_filters {
            let r = pl.post_filter(pod, diagnosis, ctx, &mut handle, rng);
            if r.status.is_success() {
                return r;
            }
            if r.nomination != Nomination::Keep {
                nomination = r.nomination;
            }
            reasons.extend(r.status.reasons);
        }
        PostFilterResult {
            status: Status::new(Code::Unschedulable, reasons),
            nomination,
        }
    }

    /// One node's verdict counting the pods nominated there (RunFilterPluginsWithNominatedPods)
    /// during a cycle whose PreFilter already ran on `s`: the what-if runs on `scratch`, then
    /// PreFilter runs again on `s` for the nodes that follow.
    fn filter_with_nominated_pods(
        &mut self,
        pod: &PodRecord,
        node: NodeId,
        s: Snapshot<'_>,
        nominator: &Nominator,
        scratch: &mut Option<(Cluster, Option<SchedulerCache>)>,
    ) -> Status {
        if nominated_pods_to_add(pod, node, s.cluster, nominator).is_empty() {
            return self.run_filters(pod, node, s);
        }
        let (view, view_cache) = scratch.get_or_insert_with(|| (s.cluster.scheduling_view(), None));
        // The view's cache is cloned once per cycle and kept with the view it follows: cloning it
        // per node made PreemptionBasic spend most of its time copying and dropping pod indexes.
        let mut runner = FilterRunner {
            filters: &mut self.filters,
            cache: s.cache,
            nominator,
            view_cache: view_cache.take(),
        };
        let status = runner.filter_with_nominated(pod, node, view);
        *view_cache = runner.view_cache;
        for f in &mut self.filters {
            run_pre_filter(f, pod, s);
        }
        status
    }

    /// schedulePod: the chosen node, or the diagnosis behind the FitError.
    pub fn schedule_pod(
        &mut self,
        pod: &PodRecord,
        s: Snapshot<'_>,
        rng: &mut SimRng,
        nominator: &Nominator,
    ) -> Result<NodeId, Diagnosis> {
        let nodes = s.cache.node_order();
        let n = nodes.len();
        if n == 0 {
            return Err(Diagnosis::default());
        }
        if let Some(r) = self.record.as_deref_mut() {
            *r = CycleRecord::default();
        }
        // PreFilter.
        for f in &mut self.filters {
            let status = run_pre_filter(f, pod, s);
            if let Some(r) = self.record.as_deref_mut()
                && !status.is_success()
            {
                r.pre_filter.push((f.plugin.name(), status.clone()));
            }
            if !status.is_success() && !f.skip {
                return Err(Diagnosis {
                    num_all_nodes: n,
                    node_statuses: Vec::new(),
                    pre_filter_status: Some(status.with_plugin(f.plugin.name())),
                    error: None,
                });
            }
        }
        let mut scratch = None;
        // A node nominated by an earlier preemption is tried first
        // (schedule_one.go evaluateNominatedNode); if it fits, it is the only feasible node.
        if let Some(nominated) = s.cluster.find_node(&pod.status.nominated_node_name) {
            let status = if nominator.is_empty() {
                self.run_filters(pod, nominated, s)
            } else {
                self.filter_with_nominated_pods(pod, nominated, s, nominator, &mut scratch)
            };
            if status.is_success() {
                return Ok(nominated);
            }
        }
        // Filter from the round-robin start until enough nodes fit.
        let want = num_feasible_nodes_to_find(self.percentage_of_nodes_to_score, n);
        self.feasible.clear();
        self.statuses.clear();
        // Batched unless nominated pods must be added per node or a Filter fails for want
        // of its PreFilter state (both rare; the node-by-node loop is upstream's).
        let batched = nominator.is_empty()
            && self
                .filters
                .iter()
                .all(|f| f.skip || f.missing_state.is_none());
        let processed = if batched {
            match self.find_nodes_that_pass_filters(pod, s, want) {
                Ok(processed) => processed,
                Err(status) => return Err(Diagnosis::from_error(n, &status)),
            }
        } else {
            let mut processed = 0;
            for k in 0..n {
                if self.feasible.len() >= want {
                    break;
                }
                let id = nodes[(self.next_start_node_index + k) % n];
                processed += 1;
                let status = if nominator.is_empty() {
                    self.run_filters(pod, id, s)
                } else {
                    self.filter_with_nominated_pods(pod, id, s, nominator, &mut scratch)
                };
                if status.is_success() {
                    self.feasible.push(id);
                } else if status.code == Code::Error {
                    // findNodesThatPassFilters: an Error aborts the search and the attempt.
                    return Err(Diagnosis::from_error(n, &status));
                } else {
                    self.statuses.push((id, status));
                }
            }
            processed
        };
        if let Some(r) = self.record.as_deref_mut() {
            let walked = (0..processed).map(|k| nodes[(self.next_start_node_index + k) % n]);
            record_filters(&self.filters, pod, s, walked, &self.feasible, r);
        }
        self.next_start_node_index = (self.next_start_node_index + processed) % n;
        if self.feasible.is_empty() {
            return Err(Diagnosis {
                num_all_nodes: n,
                node_statuses: std::mem::take(&mut self.statuses),
                pre_filter_status: None,
                error: None,
            });
        }
        if self.feasible.len() == 1 {
            return Ok(self.feasible[0]);
        }
        if let Err(e) = self.prioritize(pod, s) {
            return Err(Diagnosis {
                num_all_nodes: n,
                error: Some(e),
                ..Diagnosis::default()
            });
        }
        if let Some(r) = self.record.as_deref_mut() {
            r.totals.clone_from(&self.totals);
        }
        Ok(self.feasible[select_host(&self.totals, rng)])
    }

    /// findNodesThatPassFilters without nominated pods: the nodes from the round-robin start,
    /// in order, until `want` fit; returns how many were walked. Each chunk holds as many
    /// nodes as are still wanted and goes through one plugin at a time (`filter_batch`), so
    /// the same nodes are walked and get the same verdicts as the node-by-node loop: a chunk
    /// can fill `want` only if its last node passes. An Error status (the first in walk
    /// order) aborts the search, as upstream's does.
    fn find_nodes_that_pass_filters(
        &mut self,
        pod: &PodRecord,
        s: Snapshot<'_>,
        want: usize,
    ) -> Result<usize, Status> {
        let nodes = s.cache.node_order();
        let n = nodes.len();
        let start = self.next_start_node_index;
        let mut walked = 0;
        while self.feasible.len() < want && walked < n {
            let take = (want - self.feasible.len()).min(n - walked);
            self.chunk.clear();
            let (from, to) = ((start + walked) % n, (start + walked + take - 1) % n);
            if from <= to {
                self.chunk.extend_from_slice(&nodes[from..=to]);
            } else {
                self.chunk.extend_from_slice(&nodes[from..]);
                self.chunk.extend_from_slice(&nodes[..=to]);
            }
            let first_rejected = self.statuses.len();
            let mut rejecting_plugins = 0;
            for f in &self.filters {
                if self.chunk.is_empty() {
                    break;
                }
                if !f.skip {
                    let before = self.statuses.len();
                    f.plugin
                        .filter_batch(pod, &mut self.chunk, s, &mut self.statuses);
                    let name = f.plugin.name();
                    for (_, status) in &mut self.statuses[before..] {
                        status.plugin = name;
                    }
                    rejecting_plugins += usize::from(self.statuses.len() > before);
                }
            }
            // Plugins reject in turn, each in walk order; the diagnosis lists nodes in walk
            // order (keys are unique), so rejections from several plugins are merged.
            if rejecting_plugins > 1 {
                let walk_order =
                    |(id, _): &(NodeId, Status)| (s.cache.position(*id) as usize + n - start) % n;
                self.statuses[first_rejected..].sort_unstable_by_key(walk_order);
            }
            if let Some((_, error)) = self.statuses[first_rejected..]
                .iter()
                .find(|(_, st)| st.code == Code::Error)
            {
                return Err(error.clone());
            }
            self.feasible.extend_from_slice(&self.chunk);
            walked += take;
        }
        Ok(walked)
    }

    /// prioritizeNodes: PreScore, Score, NormalizeScore and weights into `totals`; the error
    /// of a Score plugin that fails (RunScorePlugins).
    fn prioritize(&mut self, pod: &PodRecord, s: Snapshot<'_>) -> Result<(), String> {
        // Scores that are the same on every node are summed into `uniform`, the totals'
        // starting value.
        let mut uniform = 0;
        for e in &mut self.scorers {
            e.skip = e.missing_state.is_none()
                && e.plugin.pre_score(pod, &self.feasible, s).code == Code::Skip;
            // Explanations show every plugin's per-node scores, so they take the full path.
            e.uniform = false;
            if !e.skip
                && e.missing_state.is_none()
                && self.record.is_none()
                && let Some(score) = e.plugin.uniform_score(pod, &self.feasible, s)
            {
                e.uniform = true;
                uniform += score * e.weight;
            }
            if let Some(r) = self.record.as_deref_mut()
                && e.skip
            {
                r.pre_score_skipped.push(e.plugin.name());
            }
        }
        self.totals.clear();
        self.totals.resize(self.feasible.len(), uniform);
        for e in &self.scorers {
            if e.skip || e.uniform {
                continue;
            }
            if let Some(err) = &e.missing_state {
                return Err(format!(
                    "running Score plugins: plugin {:?} failed with: {err}",
                    e.plugin.name()
                ));
            }
            // A plugin without NormalizeScore may add its weighted scores in one pass
            // (explanations need the per-node scores, so they take the full path).
            if self.record.is_none()
                && e.plugin
                    .add_weighted_scores(pod, &self.feasible, s, e.weight, &mut self.totals)
            {
                continue;
            }
            // score_all writes every element: no need to zero the buffer each time.
            self.scores.resize(self.feasible.len(), 0);
            e.plugin.score_all(pod, &self.feasible, s, &mut self.scores);
            let raw = self.record.is_some().then(|| self.scores.clone());
            e.plugin.normalize(&mut self.scores);
            if let (Some(r), Some(raw)) = (self.record.as_deref_mut(), raw) {
                r.scores.push(PluginScores {
                    plugin: e.plugin.name(),
                    weight: e.weight,
                    raw,
                    normalized: self.scores.clone(),
                });
            }
            for (t, sc) in self.totals.iter_mut().zip(&self.scores) {
                *t += sc * e.weight;
            }
        }
        Ok(())
    }
}

/// Records each walked node's Filter verdict and the plugin that gave it (the same pure
/// Filter calls again, so the unrecorded path keeps only statuses).
fn record_filters(
    filters: &[FilterEntry],
    pod: &PodRecord,
    s: Snapshot<'_>,
    walked: impl Iterator<Item = NodeId>,
    feasible: &[NodeId],
    r: &mut CycleRecord,
) {
    r.feasible = feasible.to_vec();
    for id in walked {
        let verdict = if feasible.contains(&id) {
            None
        } else {
            filters
                .iter()
                .filter(|f| !f.skip)
                .map(|f| {
                    let st = match &f.missing_state {
                        Some(e) => e.clone(),
                        None => f.plugin.filter(pod, id, s),
                    };
                    (f.plugin.name(), st)
                })
                .find(|(_, st)| !st.is_success())
        };
        r.evaluated.push((id, verdict));
    }
}

/// PreFilter, then Filter on one node, stopping at the first failure.
fn pre_filter_and_filter(
    filters: &mut [FilterEntry],
    pod: &PodRecord,
    node: NodeId,
    s: Snapshot<'_>,
) -> Status {
    for f in filters.iter_mut() {
        let status = run_pre_filter(f, pod, s);
        if !status.is_success() && !f.skip {
            return status.with_plugin(f.plugin.name());
        }
    }
    run_filter_plugins(filters, pod, node, s)
}

/// One plugin's PreFilter, setting its Skip flag; a disabled PreFilter is not called and its
/// Filter runs.
fn run_pre_filter(f: &mut FilterEntry, pod: &PodRecord, s: Snapshot<'_>) -> Status {
    if f.missing_state.is_some() {
        f.skip = false;
        return Status::SUCCESS;
    }
    let status = f.plugin.pre_filter(pod, s);
    f.skip = status.code == Code::Skip;
    status
}

/// RunFilterPlugins: the Filter plugins not skipped this cycle, in order, stopping at the
/// first failure.
fn run_filter_plugins(
    filters: &[FilterEntry],
    pod: &PodRecord,
    node: NodeId,
    s: Snapshot<'_>,
) -> Status {
    for f in filters {
        if f.skip {
            continue;
        }
        if let Some(e) = &f.missing_state {
            return e.clone();
        }
        let status = f.plugin.filter(pod, node, s);
        if !status.is_success() {
            return status.with_plugin(f.plugin.name());
        }
    }
    Status::SUCCESS
}

/// addGENominatedPods: pods nominated to `node` with a priority at least the pod's, other
/// than the pod itself and not yet placed.
fn nominated_pods_to_add(
    pod: &PodRecord,
    node: NodeId,
    cluster: &Cluster,
    nominator: &Nominator,
) -> Vec<crate::cluster::PodId> {
    let prio = pod.pod.spec.priority.unwrap_or(0);
    nominator
        .pods_on(node)
        .iter()
        .copied()
        .filter(|&id| id != pod.id)
        .filter(|&id| {
            cluster.pod(id).is_some_and(|p| {
                p.node.is_none()
                    && p.assumed_node.is_none()
                    && p.pod.spec.priority.unwrap_or(0) >= prio
            })
        })
        .collect()
}

/// The profile's filters as PostFilter sees them (framework.Handle).
struct FilterRunner<'a> {
    filters: &'a mut [FilterEntry],
    cache: &'a SchedulerCache,
    nominator: &'a Nominator,
    /// `cache` brought up to date with the view the filters run on (its pod index must see
    /// the view's pods, as upstream's PreFilterExtensions.AddPod/RemovePod update the state):
    /// cloned on first use, then synced incrementally from the view's pod-change log.
    view_cache: Option<SchedulerCache>,
}

impl FilterRunner<'_> {
    fn view_cache(&mut self, view: &Cluster) -> &SchedulerCache {
        let cache = self.view_cache.get_or_insert_with(|| self.cache.clone());
        cache.refresh(view);
        cache
    }
}

impl FilterHandle for FilterRunner<'_> {
    /// RunFilterPluginsWithNominatedPods: with the nominated pods of equal or higher priority
    /// added, then (if any were added and that passed) again without them.
    fn filter_with_nominated(
        &mut self,
        pod: &PodRecord,
        node: NodeId,
        view: &mut Cluster,
    ) -> Status {
        let added = nominated_pods_to_add(pod, node, view, self.nominator);
        for &id in &added {
            view.reserve(node, id);
        }
        self.view_cache(view);
        let status = pre_filter_and_filter(
            self.filters,
            pod,
            node,
            Snapshot {
                cluster: view,
                cache: self.view_cache.as_ref().unwrap_or(self.cache),
            },
        );
        for &id in &added {
            view.unreserve(node, id);
        }
        if !status.is_success() || added.is_empty() {
            return status;
        }
        self.view_cache(view);
        pre_filter_and_filter(
            self.filters,
            pod,
            node,
            Snapshot {
                cluster: view,
                cache: self.view_cache.as_ref().unwrap_or(self.cache),
            },
        )
    }
}

/// selectHost: the index of the highest total, uniform among ties by reservoir sampling (one
/// draw per tie, as upstream's `rand.Intn(cntOfMaxScore)`) from the scheduler's seeded stream.
pub fn select_host(totals: &[i64], rng: &mut SimRng) -> usize {
    let mut best = 0;
    let mut best_score = totals[0];
    let mut ties = 1u64;
    for (j, &score) in totals.iter().enumerate().skip(1) {
        if score > best_score {
            best = j;
            best_score = score;
            ties = 1;
        } else if score == best_score {
            ties += 1;
            if uniform_below(rng, ties) == 0 {
                best = j;
            }
        }
    }
    best
}

/// schedule_one.go numFeasibleNodesToFind (minFeasibleNodesToFind = 100,
/// minFeasibleNodesPercentageToFind = 5, adaptive percentage `50 - n/125` when unset).
pub fn num_feasible_nodes_to_find(percentage: Option<u32>, num_all_nodes: usize) -> usize {
    const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
    const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND: i64 = 5;
    if num_all_nodes < MIN_FEASIBLE_NODES_TO_FIND {
        return num_all_nodes;
    }
    let mut pct = i64::from(percentage.unwrap_or(0));
    if pct == 0 {
        pct = 50 - (num_all_nodes as i64) / 125;
        if pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND {
            pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
        }
    }
    let k = (num_all_nodes as i64 * pct / 100) as usize;
    k.max(MIN_FEASIBLE_NODES_TO_FIND)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Taint, TaintEffect};
    use crate::scheduler::testutil::{TestCluster, node, pod};

    /// Rejects every node whose id is a multiple of 11, through the default `filter_batch`.
    struct EveryEleventh;

    impl FilterPlugin for EveryEleventh {
        fn name(&self) -> &'static str {
            "EveryEleventh"
        }

        fn filter(&self, _: &PodRecord, id: NodeId, _: Snapshot<'_>) -> Status {
            if id.0.is_multiple_of(11) {
                Status::unschedulable("eleventh")
            } else {
                Status::SUCCESS
            }
        }
    }

    /// The chunked Filter walk gives what walking node by node gives (schedule_one.go
    /// findNodesThatPassFilters run sequentially): the same feasible nodes in order, the same
    /// statuses in walk order, the same number of nodes processed, from any start index.
    #[test]
    fn batched_filter_walk_matches_node_by_node() {
        let nodes = (0..250u32)
            .map(|i| {
                let cpu = if i.is_multiple_of(3) { 500 } else { 4000 };
                let mut n = node(&format!("n{i}"), cpu, 1 << 30, &[]);
                if i.is_multiple_of(5) {
                    n.taints.push(Taint {
                        key: "dedicated".to_string(),
                        value: "ci".to_string(),
                        effect: Some(TaintEffect::NoSchedule),
                    });
                }
                n.unschedulable = i.is_multiple_of(7);
                n
            })
            .collect();
        let tc = TestCluster::new(nodes, vec![]);
        let s = tc.snapshot();
        let p = pod(
            "p",
            "default",
            &[],
            "{containers: [{name: a, image: i, resources: {requests: {cpu: 1000m}}}]}",
        );
        let mut profile = Profile::default_profile();
        profile.add_filter(Box::new(EveryEleventh));
        for f in &mut profile.filters {
            f.skip = f.plugin.pre_filter(&p, s).code == Code::Skip;
        }
        let n = s.cache.node_order().len();
        for want in [1, 7, 40, 120, 250] {
            for start in [0, 3, 101, 249] {
                let mut feasible = Vec::new();
                let mut statuses = Vec::new();
                let mut processed = 0;
                for k in 0..n {
                    if feasible.len() >= want {
                        break;
                    }
                    let id = s.cache.node_order()[(start + k) % n];
                    processed += 1;
                    let st = run_filter_plugins(&profile.filters, &p, id, s);
                    if st.is_success() {
                        feasible.push(id);
                    } else {
                        statuses.push((id, st));
                    }
                }
                profile.next_start_node_index = start;
                profile.feasible.clear();
                profile.statuses.clear();
                let walked = profile.find_nodes_that_pass_filters(&p, s, want).unwrap();
                assert_eq!(walked, processed, "want {want} start {start}");
                assert_eq!(profile.feasible, feasible, "want {want} start {start}");
                assert_eq!(profile.statuses, statuses, "want {want} start {start}");
            }
        }
    }

    /// Scores known to be the same on every node (`uniform_score`) give the totals the full
    /// Score and NormalizeScore passes give (the path explanations take).
    #[test]
    fn uniform_scores_give_the_full_totals() {
        let tc = crate::scheduler::testutil::node2_holding_3000m_5000();
        let s = tc.snapshot();
        let p = pod(
            "p",
            "default",
            &[],
            "{containers: [{name: a, image: i, resources: {requests: {cpu: 1000m, memory: '2000'}}}]}",
        );
        let mut profile = Profile::default_profile();
        profile.feasible = s.cache.node_order().to_vec();
        profile.prioritize(&p, s).unwrap();
        assert!(profile.scorers.iter().any(|e| e.uniform));
        let fast = profile.totals.clone();
        profile.record = Some(Box::default());
        profile.prioritize(&p, s).unwrap();
        assert!(profile.scorers.iter().all(|e| !e.uniform));
        assert_eq!(fast, profile.totals);
        assert_eq!(fast, [490, 459]);
    }
}
