//! DefaultPreemption, the default PostFilter plugin
//! (pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go) and the
//! preemption evaluator it drives (pkg/scheduler/framework/preemption/preemption.go): when a pod
//! fits nowhere, find nodes where evicting lower-priority pods would make it fit, pick one,
//! and nominate the pod there. The evictions themselves are the engine's (prepareCandidate).
//!
//! Upstream dry-runs nodes in parallel and updates PreFilter state through
//! PreFilterExtensions.AddPod/RemovePod; kubesim checks nodes one after another on a copy of
//! the cluster (`Cluster::scheduling_view`) and re-runs PreFilter on it, which gives the same
//! verdicts.

use std::cmp::Ordering;

use crate::api::{LabelSelector, PreemptionPolicy};
use crate::cluster::{Cluster, ConditionStatus, ConditionType, NodeId, PodId, PodRecord};
use crate::rng::{SimRng, uniform_below};
use crate::time::SimTime;

use super::framework::{
    Code, FilterHandle, PostFilterContext, PostFilterPlugin, PostFilterResult, Status,
};
use super::message::{count_reasons, reasons_message};
use super::profile::Diagnosis;

pub const NAME: &str = "DefaultPreemption";
const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
/// v1.PodReasonPreemptionByScheduler.
pub const REASON_PREEMPTION_BY_SCHEDULER: &str = "PreemptionByScheduler";

/// A PodDisruptionBudget as the scheduler's lister sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisruptionBudget {
    pub namespace: String,
    pub selector: Option<LabelSelector>,
    pub disruptions_allowed: i32,
    /// status.disruptedPods: pod names the eviction API already counted.
    pub disrupted_pods: Vec<String>,
}

/// A node where the preemptor fits once `victims` (most important first) are gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub node: NodeId,
    pub victims: Vec<PodId>,
    pub num_pdb_violations: i64,
}

/// What PostFilter asks for the preemptor's `status.nominatedNodeName`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Nomination {
    /// A nil PostFilterResult: leave it as it is.
    #[default]
    Keep,
    /// NominatedNodeName "" (preemption cannot help).
    Clear,
    /// Preemption chose `node`: evict `victims` and clear the nominations of `cleared`
    /// (lower-priority pods nominated to that node).
    Set {
        node: NodeId,
        victims: Vec<PodId>,
        cleared: Vec<PodId>,
    },
}

/// DefaultPreemptionArgs (apis/config/v1/defaults.go: 10 and 100).
#[derive(Clone, Debug)]
pub struct DefaultPreemption {
    pub min_candidate_nodes_percentage: i32,
    pub min_candidate_nodes_absolute: i32,
}

impl Default for DefaultPreemption {
    fn default() -> Self {
        DefaultPreemption {
            min_candidate_nodes_percentage: 10,
            min_candidate_nodes_absolute: 100,
        }
    }
}

fn priority(p: &PodRecord) -> i32 {
    p.pod.spec.priority.unwrap_or(0)
}

/// util.GetPodStartTime: status.startTime, or now for a pod not started yet.
fn start_time(p: &PodRecord, now: SimTime) -> SimTime {
    p.status.start_time.unwrap_or(now)
}

/// util.MoreImportantPod: higher priority, then the earlier start.
pub fn more_important(a: &PodRecord, b: &PodRecord, now: SimTime) -> Ordering {
    priority(b)
        .cmp(&priority(a))
        .then_with(|| start_time(a, now).cmp(&start_time(b, now)))
}

/// podTerminatingByPreemption: deleting, with DisruptionTarget=True from the scheduler.
pub fn terminating_by_preemption(p: &PodRecord) -> bool {
    p.deletion.is_some()
        && p.status
            .condition(ConditionType::DisruptionTarget)
            .is_some_and(|c| {
                c.status == ConditionStatus::True && c.reason == REASON_PREEMPTION_BY_SCHEDULER
            })
}

/// The status the diagnosis holds for `node` (NodeToStatus.Get): its own, else the absent
/// nodes' status (a PreFilter rejection, or UnschedulableAndUnresolvable).
fn status_code(diagnosis: &Diagnosis, node: NodeId) -> Code {
    if let Some((_, s)) = diagnosis.node_statuses.iter().find(|(n, _)| *n == node) {
        return s.code;
    }
    diagnosis
        .pre_filter_status
        .as_ref()
        .map_or(Code::UnschedulableAndUnresolvable, |s| s.code)
}

/// PodEligibleToPreemptOthers: `Err` carries the reason shown after `preemption: `.
pub fn pod_eligible_to_preempt_others(
    pod: &PodRecord,
    nominated_node_status: Code,
    cluster: &Cluster,
) -> Result<(), &'static str> {
    if pod.pod.spec.preemption_policy == Some(PreemptionPolicy::Never) {
        return Err("not eligible due to preemptionPolicy=Never.");
    }
    let nominated = &pod.status.nominated_node_name;
    if nominated.is_empty() {
        return Ok(());
    }
    // A nominated node the filters call unresolvable is worth preempting elsewhere.
    if nominated_node_status == Code::UnschedulableAndUnresolvable {
        return Ok(());
    }
    if let Some(node) = cluster.find_node(nominated) {
        let waiting = cluster.node(node).pods.iter().any(|&id| {
            cluster
                .pod(id)
                .is_some_and(|p| priority(p) < priority(pod) && terminating_by_preemption(p))
        });
        if waiting {
            return Err("not eligible due to a terminating pod on the nominated node.");
        }
    }
    Ok(())
}

/// NodesForStatusCode(Unschedulable), in the node list's order: the nodes where removing
/// pods might help; UnschedulableAndUnresolvable nodes are left out.
/// Each node's code is looked up in a table by node id (upstream's NodeToStatus map), not
/// searched for among thousands of statuses per node.
pub fn nodes_where_preemption_might_help(order: &[NodeId], diagnosis: &Diagnosis) -> Vec<NodeId> {
    let absent = diagnosis
        .pre_filter_status
        .as_ref()
        .map_or(Code::UnschedulableAndUnresolvable, |s| s.code);
    let ids = order
        .iter()
        .chain(diagnosis.node_statuses.iter().map(|(n, _)| n));
    let len = ids.map(|n| n.0 as usize + 1).max().unwrap_or(0);
    let mut code_of = vec![absent; len];
    // The first status of a node wins, as in `status_code`.
    for (n, s) in diagnosis.node_statuses.iter().rev() {
        code_of[n.0 as usize] = s.code;
    }
    order
        .iter()
        .copied()
        .filter(|&n| code_of[n.0 as usize] == Code::Unschedulable)
        .collect()
}

impl DefaultPreemption {
    /// calculateNumCandidates.
    pub fn num_candidates(&self, num_nodes: usize) -> usize {
        let n = num_nodes as i64 * i64::from(self.min_candidate_nodes_percentage) / 100;
        let n = n.max(i64::from(self.min_candidate_nodes_absolute));
        n.min(num_nodes as i64) as usize
    }

    /// GetOffsetAndNumCandidates: a random offset into the potential nodes (rand.Int31n, here
    /// from the scheduler's seeded stream) and how many candidates to look for.
    pub fn offset_and_num_candidates(&self, num_nodes: usize, rng: &mut SimRng) -> (usize, usize) {
        let offset = uniform_below(rng, num_nodes as u64) as usize;
        (offset, self.num_candidates(num_nodes))
    }
}

/// filterPodsWithPDBViolation: splits `pods` (kept in order) into those whose eviction would
/// take some matching budget below zero and the rest.
pub fn filter_pods_with_pdb_violation(
    pods: &[PodId],
    cluster: &Cluster,
    budgets: &[DisruptionBudget],
) -> (Vec<PodId>, Vec<PodId>) {
    let mut allowed: Vec<i32> = budgets.iter().map(|b| b.disruptions_allowed).collect();
    let (mut violating, mut non_violating) = (Vec::new(), Vec::new());
    for &id in pods {
        let Some(p) = cluster.pod(id) else { continue };
        let labels = &p.pod.metadata.labels;
        let mut violated = false;
        // A pod with no labels matches no budget.
        if !labels.is_empty() {
            for (i, b) in budgets.iter().enumerate() {
                if b.namespace != p.namespace() {
                    continue;
                }
                // A nil or empty selector matches nothing.
                let Some(sel) = b.selector.as_ref() else {
                    continue;
                };
                if sel.match_labels.is_empty() && sel.match_expressions.is_empty() {
                    continue;
                }
                if !sel.matches(labels) {
                    continue;
                }
                if b.disrupted_pods.iter().any(|n| n == p.name()) {
                    continue;
                }
                allowed[i] -= 1;
                if allowed[i] < 0 {
                    violated = true;
                }
            }
        }
        if violated {
            violating.push(id);
        } else {
            non_violating.push(id);
        }
    }
    (violating, non_violating)
}

/// SelectVictimsOnNode on `view` (left as it was found): the fewest lower-priority pods to
/// evict from `node` for `pod` to fit, most important first, and how many of them violate a
/// budget; or the node's status when preemption cannot help there.
pub fn select_victims_on_node(
    pod: &PodRecord,
    node: NodeId,
    view: &mut Cluster,
    filters: &mut dyn FilterHandle,
    budgets: &[DisruptionBudget],
    now: SimTime,
) -> Result<(Vec<PodId>, i64), Status> {
    let mut potential: Vec<PodId> = view
        .node(node)
        .pods
        .iter()
        .copied()
        .filter(|&id| view.pod(id).is_some_and(|p| priority(p) < priority(pod)))
        .collect();
    if potential.is_empty() {
        return Err(Status::unresolvable(NO_VICTIMS));
    }
    for &id in &potential {
        view.unreserve(node, id);
    }
    let status = filters.filter_with_nominated(pod, node, view);
    if !status.is_success() {
        for &id in &potential {
            view.reserve(node, id);
        }
        return Err(status);
    }
    // Upstream's sort.Slice is not stable; kubesim keeps ties in node order (pod id).
    potential.sort_by(|&a, &b| match (view.pod(a), view.pod(b)) {
        (Some(pa), Some(pb)) => more_important(pa, pb, now),
        _ => Ordering::Equal,
    });
    let (violating, non_violating) = filter_pods_with_pdb_violation(&potential, view, budgets);
    let mut victims = Vec::new();
    let mut num_violating = 0;
    for (group, counts) in [(&violating, true), (&non_violating, false)] {
        for &id in group {
            view.reserve(node, id);
            if !filters.filter_with_nominated(pod, node, view).is_success() {
                view.unreserve(node, id);
                victims.push(id);
                if counts {
                    num_violating += 1;
                }
            }
        }
    }
    if !violating.is_empty() && !non_violating.is_empty() {
        victims.sort_by(|&a, &b| match (view.pod(a), view.pod(b)) {
            (Some(pa), Some(pb)) => more_important(pa, pb, now),
            _ => Ordering::Equal,
        });
    }
    for &id in &victims {
        view.reserve(node, id);
    }
    Ok((victims, num_violating))
}

/// pickOneNodeForPreemption: fewest PDB violations, lowest highest victim priority, smallest
/// priority sum (each offset by 2^31), fewest victims, latest start among the highest-priority
/// victims, then the first. Upstream ranges over a Go map, so its last tie-break is random;
/// kubesim takes the first candidate in search order.
pub fn pick_one_node_for_preemption(
    candidates: &[Candidate],
    cluster: &Cluster,
    now: SimTime,
) -> Option<usize> {
    let prio = |id: &PodId| cluster.pod(*id).map_or(0, priority);
    let score_fns: [&dyn Fn(&Candidate) -> i64; 5] = [
        &|c| -c.num_pdb_violations,
        &|c| -i64::from(c.victims.first().map_or(0, prio)),
        &|c| {
            -c.victims
                .iter()
                .map(|v| i64::from(prio(v)) + i64::from(i32::MAX) + 1)
                .sum::<i64>()
        },
        &|c| -(c.victims.len() as i64),
        &|c| {
            // GetEarliestPodStartTime: the earliest start among the highest-priority victims.
            let Some(top) = c.victims.first().map(prio) else {
                return i64::MIN;
            };
            c.victims
                .iter()
                .filter(|v| prio(v) == top)
                .filter_map(|v| cluster.pod(*v))
                .map(|p| start_time(p, now).as_nanos() as i64)
                .min()
                .unwrap_or(i64::MIN)
        },
    ];
    let mut all: Vec<usize> = (0..candidates.len()).collect();
    if all.is_empty() {
        return None;
    }
    for f in score_fns {
        let mut best = i64::MIN;
        let mut selected = Vec::new();
        for &i in &all {
            let s = f(&candidates[i]);
            if s > best {
                best = s;
                selected.clear();
            }
            if s == best {
                selected.push(i);
            }
        }
        if selected.len() == 1 {
            return Some(selected[0]);
        }
        all = selected;
    }
    all.first().copied()
}

/// The FitError message over all nodes for `statuses`, nodes without one counting as
/// "Preemption is not helpful for scheduling".
fn fit_error_message(num_all_nodes: usize, statuses: &[(NodeId, Status)]) -> String {
    let mut reasons = count_reasons(statuses.iter().map(|(_, s)| s));
    let absent = num_all_nodes.saturating_sub(statuses.len());
    if absent > 0 {
        *reasons.entry(NOT_HELPFUL.to_string()).or_insert(0) += absent;
    }
    reasons_message(num_all_nodes, &reasons)
}

impl DefaultPreemption {
    /// DryRunPreemption: candidates from `potential` starting at `offset`, stopping once
    /// `num` are found and one of them violates no budget; non-violating candidates first.
    #[allow(clippy::too_many_arguments)]
    fn dry_run(
        &self,
        pod: &PodRecord,
        potential: &[NodeId],
        offset: usize,
        num: usize,
        view: &mut Cluster,
        filters: &mut dyn FilterHandle,
        budgets: &[DisruptionBudget],
        now: SimTime,
    ) -> (Vec<Candidate>, Vec<(NodeId, Status)>) {
        let mut non_violating: Vec<Candidate> = Vec::new();
        let mut violating: Vec<Candidate> = Vec::new();
        let mut statuses = Vec::new();
        for i in 0..potential.len() {
            let node = potential[(offset + i) % potential.len()];
            match select_victims_on_node(pod, node, view, filters, budgets, now) {
                Ok((victims, num_pdb_violations)) if !victims.is_empty() => {
                    let c = Candidate {
                        node,
                        victims,
                        num_pdb_violations,
                    };
                    // candidateList keeps at most `num` of each kind.
                    let list = if num_pdb_violations == 0 {
                        &mut non_violating
                    } else {
                        &mut violating
                    };
                    if list.len() < num {
                        list.push(c);
                    }
                    if !non_violating.is_empty() && non_violating.len() + violating.len() >= num {
                        break;
                    }
                }
                // Unreachable with victims chosen among pods the pod displaced; upstream
                // records it as an error status.
                Ok(_) => statuses.push((
                    node,
                    Status::unresolvable(format!(
                        "expected at least one victim pod on node {:?}",
                        view.node(node).name
                    )),
                )),
                Err(status) => statuses.push((node, status)),
            }
        }
        non_violating.extend(violating);
        (non_violating, statuses)
    }
}

impl PostFilterPlugin for DefaultPreemption {
    fn name(&self) -> &'static str {
        NAME
    }

    /// PostFilter → Evaluator.Preempt; a message gets the `preemption: ` prefix.
    fn post_filter(
        &mut self,
        pod: &PodRecord,
        diagnosis: &Diagnosis,
        ctx: &PostFilterContext<'_>,
        filters: &mut dyn FilterHandle,
        rng: &mut SimRng,
    ) -> PostFilterResult {
        let cluster = ctx.snapshot.cluster;
        let nominated_status = cluster
            .find_node(&pod.status.nominated_node_name)
            .map_or(Code::UnschedulableAndUnresolvable, |n| {
                status_code(diagnosis, n)
            });
        if let Err(msg) = pod_eligible_to_preempt_others(pod, nominated_status, cluster) {
            return PostFilterResult {
                status: Status::unschedulable(format!("preemption: {msg}")),
                nomination: Nomination::Keep,
            };
        }
        let order = ctx.snapshot.cache.node_order();
        let n = order.len();
        let potential = nodes_where_preemption_might_help(order, diagnosis);
        let (candidates, statuses, view) = if potential.is_empty() {
            (Vec::new(), Vec::new(), None)
        } else {
            let (offset, num) = self.offset_and_num_candidates(potential.len(), rng);
            let mut view = cluster.scheduling_view();
            let (c, s) = self.dry_run(
                pod,
                &potential,
                offset,
                num,
                &mut view,
                filters,
                ctx.budgets,
                ctx.now,
            );
            (c, s, Some(view))
        };
        let view = view.as_ref().unwrap_or(cluster);
        let Some(best) = pick_one_node_for_preemption(&candidates, view, ctx.now) else {
            return PostFilterResult {
                status: Status::unschedulable(format!(
                    "preemption: {}",
                    fit_error_message(n, &statuses)
                )),
                nomination: Nomination::Clear,
            };
        };
        let Candidate { node, victims, .. } = candidates[best].clone();
        // getLowerPriorityNominatedPods.
        let cleared = ctx
            .nominator
            .pods_on(node)
            .iter()
            .copied()
            .filter(|&id| cluster.pod(id).is_some_and(|p| priority(p) < priority(pod)))
            .collect();
        PostFilterResult {
            status: Status::SUCCESS,
            nomination: Nomination::Set {
                node,
                victims,
                cleared,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::cluster::{Deletion, NodeId};
    use crate::rng::RngStreams;
    use crate::scheduler::cache::SchedulerCache;
    use crate::scheduler::nominator::Nominator;
    use crate::scheduler::plugins::NodeResourcesFit;
    use crate::scheduler::profile::Profile;
    use crate::scheduler::testutil::{self, TestCluster};
    use crate::time::SimDuration;

    // default_preemption_test.go's priorities and resources (cpu millis = memory bytes).
    const NEG: i32 = -100;
    const LOW: i32 = 0;
    const MID: i32 = 100;
    const HIGH: i32 = 1000;
    const VERY_HIGH: i32 = 10000;
    const SMALL: i64 = 100;
    const MEDIUM: i64 = 200;
    const LARGE: i64 = 300;
    const VERY_LARGE: i64 = 500;

    /// A bound pod and its node index.
    type Placed = (PodRecord, usize);

    fn pod(name: &str, priority: i32, req: i64) -> PodRecord {
        let mut p = testutil::pod(
            name,
            "default",
            &[],
            &format!(
                "{{containers: [{{name: c, image: i, resources: {{requests: {{cpu: {req}m, memory: '{req}'}}}}}}]}}"
            ),
        );
        Arc::make_mut(&mut Arc::make_mut(&mut p.pod).spec).priority = Some(priority);
        p
    }

    /// A pod bound to node `node`, started at `start` seconds.
    fn placed(name: &str, priority: i32, req: i64, start: u64, node: usize) -> Placed {
        let mut p = pod(name, priority, req);
        Arc::make_mut(&mut p.status).start_time =
            Some(SimTime::ZERO + SimDuration::from_secs(start));
        (p, node)
    }

    fn cluster(nodes: usize, pods: Vec<Placed>) -> TestCluster {
        let nodes = (1..=nodes)
            .map(|i| testutil::node(&format!("node{i}"), VERY_LARGE, VERY_LARGE, &[]))
            .collect();
        TestCluster::new(nodes, pods)
    }

    /// Runs a cycle with NodeResourcesFit and DefaultPreemption; the nomination and message.
    fn preempt(tc: &TestCluster, pod: &PodRecord) -> PostFilterResult {
        let mut profile = Profile::new("default-scheduler");
        profile.add_filter(Box::new(NodeResourcesFit));
        profile.add_post_filter(Box::new(DefaultPreemption::default()));
        let mut rng = RngStreams::new(4).stream("scheduler/select-host");
        let nominator = Nominator::default();
        let s = tc.snapshot();
        let diagnosis = profile
            .schedule_pod(pod, s, &mut rng, &nominator)
            .expect_err("the pod must not fit");
        let ctx = PostFilterContext {
            snapshot: s,
            nominator: &nominator,
            budgets: &[],
            now: SimTime::ZERO + SimDuration::from_secs(3600),
        };
        profile.post_filter(pod, &diagnosis, &ctx, &mut rng)
    }

    fn chosen(tc: &TestCluster, r: &PostFilterResult) -> (String, Vec<String>) {
        match &r.nomination {
            Nomination::Set { node, victims, .. } => (
                tc.cluster.node(*node).name.clone(),
                victims
                    .iter()
                    .map(|v| tc.cluster.pod(*v).map_or("?", |p| p.name()).to_string())
                    .collect(),
            ),
            other => panic!("no preemption: {other:?} {:?}", r.status),
        }
    }

    /// default_preemption_test.go TestSelectBestCandidate.
    #[test]
    fn select_best_candidate_table() {
        let cases: Vec<(&str, usize, i32, Vec<Placed>, &str)> = vec![
            (
                "when highest priority and sum are the same, minimum number of pods is picked",
                3,
                HIGH,
                vec![
                    placed("p1.1", MID, SMALL, 0, 0),
                    placed("p1.2", NEG, SMALL, 0, 0),
                    placed("p1.3", MID, SMALL, 0, 0),
                    placed("p1.4", NEG, SMALL, 0, 0),
                    placed("p2.1", MID, LARGE, 0, 1),
                    placed("p2.2", NEG, MEDIUM, 0, 1),
                    placed("p3.1", MID, MEDIUM, 0, 2),
                    placed("p3.2", NEG, SMALL, 0, 2),
                    placed("p3.3", LOW, SMALL, 0, 2),
                ],
                "node2",
            ),
            (
                "sum of adjusted priorities is considered",
                3,
                HIGH,
                vec![
                    placed("p1.1", MID, SMALL, 0, 0),
                    placed("p1.2", NEG, SMALL, 0, 0),
                    placed("p1.3", NEG, SMALL, 0, 0),
                    placed("p2.1", MID, LARGE, 0, 1),
                    placed("p2.2", NEG, MEDIUM, 0, 1),
                    placed("p3.1", MID, MEDIUM, 0, 2),
                    placed("p3.2", NEG, SMALL, 0, 2),
                    placed("p3.3", LOW, SMALL, 0, 2),
                ],
                "node2",
            ),
            (
                "non-overlapping lowest high priority, sum priorities, and number of pods",
                4,
                VERY_HIGH,
                vec![
                    placed("p1.1", MID, SMALL, 0, 0),
                    placed("p1.2", LOW, SMALL, 0, 0),
                    placed("p1.3", LOW, SMALL, 0, 0),
                    placed("p2.1", HIGH, LARGE, 0, 1),
                    placed("p3.1", MID, MEDIUM, 0, 2),
                    placed("p3.2", LOW, SMALL, 0, 2),
                    placed("p3.3", LOW, SMALL, 0, 2),
                    placed("p3.4", LOW, MEDIUM, 0, 2),
                    placed("p4.1", MID, MEDIUM, 0, 3),
                    placed("p4.2", MID, SMALL, 0, 3),
                    placed("p4.3", MID, SMALL, 0, 3),
                    placed("p4.4", NEG, SMALL, 0, 3),
                ],
                "node1",
            ),
            (
                "same priority, same number of victims, different start time for each node's pod",
                3,
                HIGH,
                vec![
                    placed("p1.1", MID, MEDIUM, 2, 0),
                    placed("p1.2", MID, MEDIUM, 2, 0),
                    placed("p2.1", MID, MEDIUM, 3, 1),
                    placed("p2.2", MID, MEDIUM, 3, 1),
                    placed("p3.1", MID, MEDIUM, 1, 2),
                    placed("p3.2", MID, MEDIUM, 1, 2),
                ],
                "node2",
            ),
            (
                "same priority, same number of victims, different start time for all pods",
                3,
                HIGH,
                vec![
                    placed("p1.1", MID, MEDIUM, 4, 0),
                    placed("p1.2", MID, MEDIUM, 2, 0),
                    placed("p2.1", MID, MEDIUM, 5, 1),
                    placed("p2.2", MID, MEDIUM, 1, 1),
                    placed("p3.1", MID, MEDIUM, 3, 2),
                    placed("p3.2", MID, MEDIUM, 6, 2),
                ],
                "node3",
            ),
            (
                "different priority, same number of victims, different start time for all pods",
                3,
                HIGH,
                vec![
                    placed("p1.1", LOW, MEDIUM, 4, 0),
                    placed("p1.2", MID, MEDIUM, 2, 0),
                    placed("p2.1", MID, MEDIUM, 6, 1),
                    placed("p2.2", LOW, MEDIUM, 1, 1),
                    placed("p3.1", LOW, MEDIUM, 3, 2),
                    placed("p3.2", MID, MEDIUM, 5, 2),
                ],
                "node2",
            ),
        ];
        for (name, nodes, prio, pods, want) in cases {
            let tc = cluster(nodes, pods);
            let p = pod("p", prio, VERY_LARGE);
            let r = preempt(&tc, &p);
            assert!(r.status.is_success(), "{name}: {:?}", r.status);
            assert_eq!(chosen(&tc, &r).0, want, "{name}");
        }
    }

    /// default_preemption_test.go TestPreempt "basic preemption logic": both low-priority pods
    /// on node1 go; node2 (a high-priority pod) and node3 (mid) are worse.
    #[test]
    fn basic_preemption_logic() {
        let tc = cluster(
            3,
            vec![
                placed("p1.1", LOW, SMALL, 0, 0),
                placed("p1.2", LOW, SMALL, 0, 0),
                placed("p2.1", HIGH, LARGE, 0, 1),
                placed("p3.1", MID, MEDIUM, 0, 2),
            ],
        );
        let p = pod("p", HIGH, VERY_LARGE);
        let r = preempt(&tc, &p);
        assert_eq!(
            chosen(&tc, &r),
            ("node1".to_string(), vec!["p1.1".into(), "p1.2".into()])
        );
    }

    /// TestPreempt "no preempting in pod" and the FitError suffixes of
    /// default_preemption_test.go TestPostFilter.
    #[test]
    fn post_filter_messages() {
        let tc = cluster(1, vec![placed("p1", LOW, VERY_LARGE, 0, 0)]);
        let mut never = pod("p", HIGH, VERY_LARGE);
        Arc::make_mut(&mut Arc::make_mut(&mut never.pod).spec).preemption_policy =
            Some(PreemptionPolicy::Never);
        let r = preempt(&tc, &never);
        assert_eq!(
            r.status.reasons().collect::<Vec<_>>(),
            ["preemption: not eligible due to preemptionPolicy=Never."]
        );
        assert_eq!(r.nomination, Nomination::Keep);

        // "pod can not be scheduled": the only pod is of equal priority.
        let tc = cluster(1, vec![placed("p1", HIGH, VERY_LARGE, 0, 0)]);
        let r = preempt(&tc, &pod("p", HIGH, VERY_LARGE));
        assert_eq!(
            r.status.reasons().collect::<Vec<_>>(),
            [
                "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
            ]
        );
        assert_eq!(r.nomination, Nomination::Clear);

        // A pod larger than the node: evicting everything does not help.
        let tc = cluster(2, vec![placed("p1", LOW, SMALL, 0, 0)]);
        let r = preempt(&tc, &pod("p", HIGH, VERY_LARGE + 1));
        assert_eq!(
            r.status.reasons().collect::<Vec<_>>(),
            [
                "preemption: 0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 No preemption victims found for incoming pod."
            ]
        );
    }

    fn terminating(mut p: PodRecord, by_preemption: bool) -> PodRecord {
        p.deletion = Some(Deletion {
            requested_at: SimTime::ZERO,
            timestamp: SimTime::ZERO,
            grace_period_seconds: 30,
        });
        if by_preemption {
            Arc::make_mut(&mut p.status).set_condition(
                SimTime::ZERO,
                ConditionType::DisruptionTarget,
                ConditionStatus::True,
                REASON_PREEMPTION_BY_SCHEDULER,
                "",
            );
        }
        p
    }

    /// default_preemption_test.go TestPodEligibleToPreemptOthers.
    #[test]
    fn pod_eligible_to_preempt_others_table() {
        let nominated = |name: &str| {
            let mut p = pod(name, HIGH, SMALL);
            Arc::make_mut(&mut p.status).nominated_node_name = "node1".into();
            p
        };
        let cases: Vec<(&str, PodRecord, Vec<Placed>, Code, bool)> = vec![
            (
                "Pod with nominated node",
                nominated("p_with_nominated_node"),
                vec![(terminating(pod("p1", LOW, SMALL), true), 0)],
                Code::UnschedulableAndUnresolvable,
                true,
            ),
            (
                "Pod with nominated node, but without nominated node status",
                nominated("p_without_status"),
                vec![(terminating(pod("p1", LOW, SMALL), true), 0)],
                Code::Success,
                false,
            ),
            (
                "Pod without nominated node",
                pod("p_without_nominated_node", HIGH, SMALL),
                vec![],
                Code::Success,
                true,
            ),
            (
                "Pod with 'PreemptNever' preemption policy",
                {
                    let mut p = pod("p_with_preempt_never_policy", HIGH, SMALL);
                    Arc::make_mut(&mut Arc::make_mut(&mut p.pod).spec).preemption_policy =
                        Some(PreemptionPolicy::Never);
                    p
                },
                vec![],
                Code::Success,
                false,
            ),
            (
                "victim Pods terminating with other reasons",
                nominated("p_with_nominated_node"),
                vec![(terminating(pod("p1", LOW, SMALL), false), 0)],
                Code::Success,
                true,
            ),
            (
                "non-victim Pods terminating",
                nominated("p_with_nominated_node"),
                vec![(terminating(pod("p1", HIGH, SMALL), true), 0)],
                Code::Success,
                true,
            ),
        ];
        for (name, p, pods, code, want) in cases {
            let tc = cluster(1, pods);
            let got = pod_eligible_to_preempt_others(&p, code, &tc.cluster).is_ok();
            assert_eq!(got, want, "{name}");
        }
    }

    /// default_preemption_test.go TestNodesWherePreemptionMightHelp (node4 has no status and
    /// takes the absent nodes' status, Unschedulable in the upstream table).
    #[test]
    fn nodes_where_preemption_might_help_table() {
        use Code::{Unschedulable as U, UnschedulableAndUnresolvable as UaU};
        type Case<'a> = (&'a str, &'a [(u32, Code)], Option<Code>, &'a [u32]);
        let cases: [Case; 6] = [
            (
                "No node should be attempted",
                &[(0, UaU), (1, UaU), (2, UaU), (3, UaU)],
                None,
                &[],
            ),
            (
                "ErrReasonAffinityNotMatch should be tried",
                &[(0, U), (1, UaU), (2, UaU)],
                Some(U),
                &[0, 3],
            ),
            (
                "Mix of failed predicates works fine",
                &[(0, UaU), (1, U)],
                Some(U),
                &[1, 2, 3],
            ),
            (
                "ErrReasonConstraintsNotMatch should be tried",
                &[(0, U), (1, UaU), (2, U)],
                Some(U),
                &[0, 2, 3],
            ),
            (
                "UnschedulableAndUnresolvable status should be skipped but Unschedulable should be tried",
                &[(1, UaU), (2, U), (3, UaU)],
                Some(U),
                &[0, 2],
            ),
            (
                "absent nodes are unresolvable without a PreFilter rejection",
                &[(0, U)],
                None,
                &[0],
            ),
        ];
        let order: Vec<NodeId> = (0..4).map(NodeId).collect();
        for (name, statuses, absent, want) in cases {
            let diagnosis = Diagnosis {
                num_all_nodes: 4,
                node_statuses: statuses
                    .iter()
                    .map(|&(n, code)| (NodeId(n), Status::new(code, vec![])))
                    .collect(),
                pre_filter_status: absent.map(|code| Status::new(code, vec![])),
                error: None,
            };
            let got: Vec<u32> = nodes_where_preemption_might_help(&order, &diagnosis)
                .into_iter()
                .map(|n| n.0)
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    /// TestSelectNodesForPreemption "a pod that would fit on the nodes, but other pods running
    /// are higher priority, no preemption would happen" and the PDB cases of
    /// TestDryRunPreemption: a budget with no disruption left is reprieved first.
    #[test]
    fn select_victims_reprieves_pdb_violating_pods_first() {
        let labelled = |name: &str, prio: i32| {
            let mut p = pod(name, prio, MEDIUM);
            Arc::make_mut(&mut p.pod)
                .metadata
                .labels
                .insert("app".into(), "foo".into());
            p
        };
        let tc = cluster(
            1,
            vec![(labelled("p1.1", LOW), 0), (pod("p1.2", LOW, MEDIUM), 0)],
        );
        let budgets = [DisruptionBudget {
            namespace: "default".into(),
            selector: Some(LabelSelector {
                match_labels: [("app".to_string(), "foo".to_string())].into(),
                match_expressions: vec![],
            }),
            disruptions_allowed: 0,
            disrupted_pods: vec![],
        }];
        let ids: Vec<PodId> = tc.cluster.node(NodeId(0)).pods.iter().copied().collect();
        let (violating, non) = filter_pods_with_pdb_violation(&ids, &tc.cluster, &budgets);
        assert_eq!((violating.len(), non.len()), (1, 1));

        // The preemptor needs one pod's room: the unprotected p1.2 goes, p1.1 is reprieved.
        let (names, violations) = victims_on_node0(&tc, &pod("p", HIGH, LARGE), &budgets);
        assert_eq!((names, violations), (vec!["p1.2".to_string()], 0));
    }

    /// SelectVictimsOnNode on node 0 of `tc` with NodeResourcesFit: the victims' names and
    /// how many violate a budget. The view is left as found.
    fn victims_on_node0(
        tc: &TestCluster,
        p: &PodRecord,
        budgets: &[DisruptionBudget],
    ) -> (Vec<String>, i64) {
        let mut profile = Profile::new("default-scheduler");
        profile.add_filter(Box::new(NodeResourcesFit));
        let mut view = tc.cluster.scheduling_view();
        let cache = {
            let mut c = SchedulerCache::default();
            c.refresh(&view);
            c
        };
        let nominator = Nominator::default();
        let mut handle = profile.filter_handle(&cache, &nominator);
        let before = view.node(NodeId(0)).pods.len();
        let (victims, violations) =
            select_victims_on_node(p, NodeId(0), &mut view, &mut handle, budgets, SimTime::ZERO)
                .expect("victims");
        assert_eq!(view.node(NodeId(0)).pods.len(), before);
        let names = victims
            .iter()
            .filter_map(|v| tc.cluster.pod(*v).map(|p| p.name().to_string()))
            .collect();
        (names, violations)
    }

    /// The PodDisruptionBudget cases of TestDryRunPreemption (default_preemption_test.go),
    /// with a preemptor that needs the whole node: DisruptionsAllowed is spent pod by pod in
    /// importance order, a pod listed in status.disruptedPods (its eviction already counted)
    /// spends nothing and never violates, and the candidate counts the victims that took a
    /// budget below zero.
    #[test]
    fn pdb_violations_and_disrupted_pods() {
        let foo = |name: &str, priority: i32, start: u64| {
            let (mut p, node) = placed(name, priority, SMALL, start, 0);
            Arc::make_mut(&mut p.pod)
                .metadata
                .labels
                .insert("app".into(), "foo".into());
            (p, node)
        };
        let two = || vec![foo("p1.1", MID, 0), foo("p1.2", LOW, 1)];
        let three = || {
            vec![
                foo("p1.1", MID, 0),
                foo("p1.2", LOW, 1),
                foo("p1.3", LOW, 2),
            ]
        };
        let cases: [(&str, Vec<Placed>, &[&str], i64); 4] = [
            ("preemption with violation of same pdb", two(), &[], 1),
            (
                "the victim doesn't belong to DisruptedPods",
                two(),
                &["p2"],
                1,
            ),
            ("the victim belongs to DisruptedPods", two(), &["p1.2"], 0),
            (
                "the victim which belongs to DisruptedPods is treated as 'nonViolating'",
                three(),
                &["p1.3"],
                1,
            ),
        ];
        for (name, pods, disrupted, want) in cases {
            let all: Vec<String> = pods.iter().map(|(p, _)| p.name().to_string()).collect();
            let tc = cluster(1, pods);
            let budgets = [DisruptionBudget {
                namespace: "default".into(),
                selector: Some(LabelSelector {
                    match_labels: [("app".to_string(), "foo".to_string())].into(),
                    match_expressions: vec![],
                }),
                disruptions_allowed: 1,
                disrupted_pods: disrupted.iter().map(|d| d.to_string()).collect(),
            }];
            let (victims, violations) =
                victims_on_node0(&tc, &pod("p", HIGH, VERY_LARGE), &budgets);
            assert_eq!((victims, violations), (all, want), "{name}");
        }
    }

    /// pickOneNodeForPreemption's first rule: the candidate with fewer PDB violations wins
    /// even when its victims are more important.
    #[test]
    fn fewer_pdb_violations_win() {
        let tc = cluster(
            3,
            vec![
                placed("low", LOW, MEDIUM, 0, 0),
                placed("mid", MID, MEDIUM, 0, 1),
                placed("high", HIGH, MEDIUM, 0, 2),
            ],
        );
        let id = |name: &str| {
            tc.cluster
                .pods()
                .find(|p| p.name() == name)
                .map(|p| p.id)
                .expect("pod")
        };
        let candidate = |node: u32, victim: &str, num_pdb_violations: i64| Candidate {
            node: NodeId(node),
            victims: vec![id(victim)],
            num_pdb_violations,
        };
        let pick = |c: &[Candidate]| pick_one_node_for_preemption(c, &tc.cluster, SimTime::ZERO);
        let c = [candidate(0, "low", 2), candidate(1, "mid", 1)];
        assert_eq!(pick(&c), Some(1));
        let c = [candidate(0, "low", 1), candidate(2, "high", 0)];
        assert_eq!(pick(&c), Some(1));
        // Equal violations: the lower highest-priority victim.
        let c = [candidate(2, "high", 1), candidate(0, "low", 1)];
        assert_eq!(pick(&c), Some(1));
    }
}
