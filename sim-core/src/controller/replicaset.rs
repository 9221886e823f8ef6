//! The ReplicaSet controller (pkg/controller/replicaset/replica_set.go) and the pod rules it
//! shares with other controllers (pkg/controller/controller_utils.go, pkg/api/v1/pod).

use std::cmp::Ordering;

use crate::cluster::{ConditionStatus, ConditionType, PodPhase, PodRecord};
use crate::rng::{SimRng, uniform_below};
use crate::time::{SimDuration, SimTime};

/// The ReplicaSet controller's event source.
pub const SOURCE: &str = "replicaset-controller";
/// replica_set.go BurstReplicas: the most pods one sync creates or deletes.
pub const BURST_REPLICAS: usize = 500;
/// apiserver/pkg/storage/names: generated names are the base (cut to 58 characters) and 5
/// characters of utilrand's alphabet, which leaves out vowels and look-alikes.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
const MAX_GENERATED_NAME_LENGTH: usize = 58;
const RANDOM_LENGTH: usize = 5;
/// core.PodDeletionCost.
pub const POD_DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";

/// names.SimpleNameGenerator.GenerateName for `generateName: base`.
pub fn generate_name(base: &str, rng: &mut SimRng) -> String {
    let mut name: String = base.chars().take(MAX_GENERATED_NAME_LENGTH).collect();
    for _ in 0..RANDOM_LENGTH {
        let i = uniform_below(rng, NAME_ALPHABET.len() as u64) as usize;
        name.push(char::from(NAME_ALPHABET[i]));
    }
    name
}

/// controller.IsPodActive: not terminal and not being deleted.
pub fn is_pod_active(p: &PodRecord) -> bool {
    !p.status.phase.is_terminal() && p.deletion.is_none()
}

/// podutil.IsPodReady.
pub fn is_pod_ready(p: &PodRecord) -> bool {
    p.status
        .condition(ConditionType::Ready)
        .is_some_and(|c| c.status == ConditionStatus::True)
}

/// podutil.IsPodAvailable: ready for at least `min_ready_seconds`.
pub fn is_pod_available(p: &PodRecord, min_ready_seconds: i32, now: SimTime) -> bool {
    let Some(c) = p
        .status
        .condition(ConditionType::Ready)
        .filter(|c| c.status == ConditionStatus::True)
    else {
        return false;
    };
    if min_ready_seconds <= 0 {
        return true;
    }
    let min = SimDuration::from_secs(min_ready_seconds as u64);
    truncate_to_seconds(c.last_transition_time) + min <= now
}

/// When a ready pod becomes available, if it is not yet.
pub fn available_at(p: &PodRecord, min_ready_seconds: i32) -> Option<SimTime> {
    let c = p
        .status
        .condition(ConditionType::Ready)
        .filter(|c| c.status == ConditionStatus::True)?;
    let min = SimDuration::from_secs(min_ready_seconds.max(0) as u64);
    Some(truncate_to_seconds(c.last_transition_time) + min)
}

/// API timestamps (metav1.Time) are serialized with second precision.
pub fn truncate_to_seconds(t: SimTime) -> SimTime {
    let s = 1_000_000_000;
    SimTime::from_nanos(t.as_nanos() / s * s)
}

/// What ActivePodsWithRanks.Less looks at in a pod.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RankedPod {
    pub node: String,
    pub phase: Option<PodPhase>,
    pub ready: bool,
    /// The Ready condition's lastTransitionTime when ready.
    pub ready_since: Option<SimTime>,
    pub deletion_cost: i32,
    /// How many active related pods share the pod's node (getPodsRankedByRelatedPodsOnSameNode).
    pub rank: usize,
    pub max_restarts: u32,
    pub created: Option<SimTime>,
    pub uid: String,
}

impl RankedPod {
    pub fn of(p: &PodRecord, node: &str, rank: usize) -> RankedPod {
        let ready = is_pod_ready(p);
        RankedPod {
            node: node.to_string(),
            phase: Some(p.status.phase),
            ready,
            ready_since: p
                .status
                .condition(ConditionType::Ready)
                .filter(|_| ready)
                .map(|c| truncate_to_seconds(c.last_transition_time)),
            deletion_cost: p
                .pod
                .metadata
                .annotations
                .get(POD_DELETION_COST)
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or(0),
            rank,
            max_restarts: p
                .status
                .container_statuses
                .iter()
                .map(|c| c.restart_count)
                .max()
                .unwrap_or(0),
            created: Some(truncate_to_seconds(p.created_at)),
            uid: p.uid.clone(),
        }
    }
}

fn phase_ordinal(phase: Option<PodPhase>) -> u8 {
    match phase {
        Some(PodPhase::Unknown) => 1,
        Some(PodPhase::Running) => 2,
        _ => 0,
    }
}

/// afterOrZero: a zero time sorts first, then the later time.
fn after_or_zero(a: Option<SimTime>, b: Option<SimTime>) -> bool {
    match (a, b) {
        (None, _) | (_, None) => a.is_none(),
        (Some(a), Some(b)) => a > b,
    }
}

/// logarithmicRankDiff: the difference of floor(log2(age in ns)), -1 for a non-positive age.
fn logarithmic_rank_diff(a: SimTime, b: SimTime, now: SimTime) -> i64 {
    let rank = |t: SimTime| {
        let d = now.as_nanos().saturating_sub(t.as_nanos());
        if d == 0 { -1 } else { i64::from(d.ilog2()) }
    };
    rank(a) - rank(b)
}

/// The `LogarithmicScaleDown` comparison of two timestamps (both gates are on in v1.33).
fn newer_first(a: Option<SimTime>, b: Option<SimTime>, ua: &str, ub: &str, now: SimTime) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => match logarithmic_rank_diff(x, y, now) {
            0 => ua < ub,
            d => d < 0,
        },
        _ => after_or_zero(a, b),
    }
}

/// controller.ActivePodsWithRanks.Less: whether `a` is deleted before `b` on scale-down.
pub fn deleted_before(a: &RankedPod, b: &RankedPod, now: SimTime) -> bool {
    // 1. Unassigned < assigned.
    if a.node != b.node && (a.node.is_empty() || b.node.is_empty()) {
        return a.node.is_empty();
    }
    // 2. Pending < Unknown < Running.
    if phase_ordinal(a.phase) != phase_ordinal(b.phase) {
        return phase_ordinal(a.phase) < phase_ordinal(b.phase);
    }
    // 3. Not ready < ready.
    if a.ready != b.ready {
        return !a.ready;
    }
    // 4. Lower pod-deletion-cost < higher.
    if a.deletion_cost != b.deletion_cost {
        return a.deletion_cost < b.deletion_cost;
    }
    // 5. Doubled up < not doubled up.
    if a.rank != b.rank {
        return a.rank > b.rank;
    }
    // 6. Ready for a shorter time < longer.
    if a.ready && b.ready && a.ready_since != b.ready_since {
        return newer_first(a.ready_since, b.ready_since, &a.uid, &b.uid, now);
    }
    // 7. More restarts < fewer.
    if a.max_restarts != b.max_restarts {
        return a.max_restarts > b.max_restarts;
    }
    // 8. Newer < older.
    if a.created != b.created {
        return newer_first(a.created, b.created, &a.uid, &b.uid, now);
    }
    false
}

/// getPodsToDelete: the first `diff` pods in deletion order. Upstream sorts with sort.Sort,
/// which is an insertion sort (stable) for the small slices of a ReplicaSet; a stable sort is
/// used here for every size so ties keep creation order.
pub fn pods_to_delete(mut pods: Vec<(RankedPod, usize)>, diff: usize, now: SimTime) -> Vec<usize> {
    if diff < pods.len() {
        pods.sort_by(|(a, _), (b, _)| {
            if deleted_before(a, b, now) {
                Ordering::Less
            } else if deleted_before(b, a, now) {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        });
    }
    pods.into_iter().take(diff).map(|(_, i)| i).collect()
}

/// The ReplicaSet status calculateStatus computes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicaSetStatus {
    pub replicas: i32,
    pub fully_labeled_replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// TestSortingActivePodsWithRanks (pkg/controller/controller_utils_test.go), the cases with
    /// v1.33's default feature gates.
    #[test]
    fn sorting_active_pods_with_ranks() {
        let now = SimTime::ZERO + SimDuration::from_hours(24 * 60);
        let ago = |d: SimDuration| Some(SimTime::from_nanos(now.as_nanos() - d.as_nanos()));
        let then_1_month = ago(SimDuration::from_hours(24 * 31));
        let then_2_hours = ago(SimDuration::from_hours(2));
        let then_5_hours = ago(SimDuration::from_hours(5));
        let then_8_hours = ago(SimDuration::from_hours(8));
        let pod = |node: &str,
                   phase: PodPhase,
                   ready: bool,
                   restarts: u32,
                   ready_since: Option<SimTime>,
                   created: Option<SimTime>,
                   cost: i32| RankedPod {
            node: node.into(),
            phase: Some(phase),
            ready,
            ready_since,
            deletion_cost: cost,
            rank: 0,
            max_restarts: restarts,
            created,
            uid: String::new(),
        };
        use PodPhase::*;
        let unscheduled = pod("", Pending, false, 0, None, None, 0);
        let scheduled_pending = pod("node", Pending, false, 0, None, None, 0);
        let unknown_phase = pod("node", Unknown, false, 0, None, None, 0);
        let running_not_ready = pod("node", Running, false, 0, None, None, 0);
        let ready_no_ltt = pod("node", Running, true, 0, None, None, 0);
        let ready_now = pod("node", Running, true, 0, Some(now), Some(now), 0);
        let ready_then = pod("node", Running, true, 0, then_1_month, then_1_month, 0);
        let ready_high_restarts = pod("node", Running, true, 9001, Some(now), Some(now), 0);
        let ready_now_created_then = pod("node", Running, true, 0, Some(now), then_1_month, 0);
        let low_cost = pod("node", Running, true, 0, Some(now), then_1_month, 10);
        let high_cost = pod("node", Running, true, 0, Some(now), then_1_month, 100);
        let unscheduled_5h = pod("", Pending, false, 0, then_5_hours, then_5_hours, 0);
        let unscheduled_8h = pod("", Pending, false, 0, then_8_hours, then_8_hours, 0);
        let ready_2h = pod("", Running, true, 0, then_2_hours, then_1_month, 0);
        let ready_5h = pod("", Running, true, 0, then_5_hours, then_1_month, 0);
        let ready_8h = pod("", Running, true, 0, then_8_hours, then_1_month, 0);

        let equal = [
            (&unscheduled, &unscheduled),
            (&scheduled_pending, &scheduled_pending),
            (&unknown_phase, &unknown_phase),
            (&running_not_ready, &running_not_ready),
            (&ready_now_created_then, &ready_now_created_then),
            (&ready_now, &ready_now),
            (&ready_then, &ready_then),
            (&ready_high_restarts, &ready_high_restarts),
            (&unscheduled_5h, &unscheduled_8h),
            (&ready_5h, &ready_8h),
        ];
        for (a, b) in equal {
            assert!(!deleted_before(a, b, now), "{a:?} < {b:?}");
            assert!(!deleted_before(b, a, now), "{b:?} < {a:?}");
        }
        let with = |p: &RankedPod, rank| RankedPod { rank, ..p.clone() };
        let lesser_greater = [
            (with(&unscheduled, 1), with(&scheduled_pending, 2)),
            (with(&unscheduled, 2), with(&scheduled_pending, 1)),
            (with(&scheduled_pending, 1), with(&unknown_phase, 2)),
            (with(&unknown_phase, 1), with(&running_not_ready, 2)),
            (with(&running_not_ready, 1), with(&ready_no_ltt, 1)),
            (with(&ready_no_ltt, 1), with(&ready_now, 1)),
            (with(&ready_now, 2), with(&ready_no_ltt, 1)),
            (with(&ready_now, 1), with(&ready_then, 1)),
            (with(&ready_now, 2), with(&ready_then, 1)),
            (with(&ready_high_restarts, 1), with(&ready_now, 1)),
            (with(&ready_now, 2), with(&ready_high_restarts, 1)),
            (with(&ready_now, 1), with(&ready_now_created_then, 1)),
            (with(&ready_now_created_then, 2), with(&ready_now, 1)),
            (with(&low_cost, 2), with(&high_cost, 1)),
            (with(&ready_2h, 1), with(&ready_5h, 1)),
        ];
        for (lesser, greater) in &lesser_greater {
            assert!(
                deleted_before(lesser, greater, now),
                "{lesser:?} < {greater:?}"
            );
            assert!(
                !deleted_before(greater, lesser, now),
                "{greater:?} !< {lesser:?}"
            );
        }
    }

    #[test]
    fn generated_names_use_the_alphabet() {
        let mut rng = crate::rng::RngStreams::new(1).stream("t");
        let name = generate_name("web-5d8f9c7b6", &mut rng);
        assert_eq!(name.len(), "web-5d8f9c7b6".len() + 5);
        assert!(name[13..].bytes().all(|b| NAME_ALPHABET.contains(&b)));
        let long = "x".repeat(70);
        assert_eq!(generate_name(&long, &mut rng).len(), 63);
    }
}
