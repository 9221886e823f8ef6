//! The pod garbage collector (pkg/controller/podgc/gc_controller.go): every gcCheckPeriod it
//! force-deletes terminated pods beyond `--terminated-pod-gc-threshold`, pods bound to nodes
//! that stayed missing for the quarantine time, and terminating pods that were never
//! scheduled. Pure rules; the engine lists the pods and nodes and applies the verdicts.

use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::PodPhase;
use crate::time::{SimDuration, SimTime};

/// `gcCheckPeriod`: the interval of the controller's main loop.
pub const GC_CHECK_PERIOD: SimDuration = SimDuration::from_secs(20);
/// `quarantineTime`: how long a node must stay missing before its pods are orphans.
pub const QUARANTINE_TIME: SimDuration = SimDuration::from_secs(40);
/// kube-controller-manager's `--terminated-pod-gc-threshold` default.
pub const DEFAULT_TERMINATED_POD_THRESHOLD: usize = 12500;
/// The DisruptionTarget condition an orphaned pod gets before deletion.
pub const ORPHANED_REASON: &str = "DeletionByPodGC";
pub const ORPHANED_MESSAGE: &str = "PodGC: node no longer exists";
/// The component name on the controller's records.
pub const SOURCE: &str = "pod-garbage-collector";

/// What the controller reads of one pod.
#[derive(Clone, Debug)]
pub struct PodView<'a> {
    pub name: &'a str,
    pub created_at: SimTime,
    pub phase: PodPhase,
    /// `eviction.PodIsEvicted`: phase Failed with reason `Evicted`.
    pub evicted: bool,
    /// `spec.nodeName`.
    pub node_name: Option<&'a str>,
    /// `metadata.deletionTimestamp` is set.
    pub terminating: bool,
}

/// `isPodTerminated`: any phase other than Pending, Running and Unknown.
fn is_terminated(p: &PodView) -> bool {
    !matches!(
        p.phase,
        PodPhase::Pending | PodPhase::Running | PodPhase::Unknown
    )
}

/// gcTerminated: the terminated pods beyond `threshold` (0 disables), evicted ones first, then
/// oldest by creation, names breaking ties (byEvictionAndCreationTimestamp). Indexes into `pods`.
pub fn gc_terminated(pods: &[PodView], threshold: usize) -> Vec<usize> {
    if threshold == 0 {
        return Vec::new();
    }
    let mut terminated: Vec<usize> = (0..pods.len())
        .filter(|&i| is_terminated(&pods[i]))
        .collect();
    let Some(delete) = terminated.len().checked_sub(threshold).filter(|&n| n > 0) else {
        return Vec::new();
    };
    terminated.sort_by(|&a, &b| {
        let (a, b) = (&pods[a], &pods[b]);
        b.evicted
            .cmp(&a.evicted)
            .then(a.created_at.cmp(&b.created_at))
            .then(a.name.cmp(b.name))
    });
    terminated.truncate(delete);
    terminated
}

/// gcUnscheduledTerminating: terminating pods with no node, in any phase.
pub fn gc_unscheduled_terminating(pods: &[PodView]) -> Vec<usize> {
    (0..pods.len())
        .filter(|&i| pods[i].terminating && pods[i].node_name.is_none_or(str::is_empty))
        .collect()
}

/// The controller's delaying node queue (`nodeQueue.AddAfter(node, quarantineTime)`): a
/// missing node is confirmed deleted at the first pass at or after its ready time.
#[derive(Clone, Debug, Default)]
pub struct Quarantine {
    ready_at: BTreeMap<String, SimTime>,
}

impl Quarantine {
    /// gcOrphaned at `now`: queues the nodes pods are bound to that do not exist, then returns
    /// the pods bound to nodes whose quarantine is over and that are still missing.
    pub fn gc_orphaned(
        &mut self,
        now: SimTime,
        pods: &[PodView],
        nodes: &BTreeSet<&str>,
        quarantine: SimDuration,
    ) -> Vec<usize> {
        for p in pods {
            if let Some(n) = p.node_name.filter(|n| !n.is_empty() && !nodes.contains(n)) {
                // A delaying queue keeps the earlier ready time of an item already waiting.
                self.ready_at
                    .entry(n.to_string())
                    .or_insert(now + quarantine);
            }
        }
        let due: Vec<String> = self
            .ready_at
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(n, _)| n.clone())
            .collect();
        let mut deleted = BTreeSet::new();
        for n in due {
            self.ready_at.remove(&n);
            if !nodes.contains(n.as_str()) {
                deleted.insert(n);
            }
        }
        (0..pods.len())
            .filter(|&i| pods[i].node_name.is_some_and(|n| deleted.contains(n)))
            .collect()
    }

    /// The earliest pending quarantine end, to wake the controller for it.
    pub fn next_ready(&self) -> Option<SimTime> {
        self.ready_at.values().min().copied()
    }
}

/// The first pass of the controller's loop (`wait.Until` from t = 0 every `period`) at or after
/// `t`.
pub fn next_pass(t: SimTime, period: SimDuration) -> SimTime {
    let p = period.as_nanos().max(1);
    let n = t.as_nanos();
    SimTime::from_nanos(n.div_ceil(p).saturating_mul(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pods<'a>(spec: &[(&'a str, PodPhase)]) -> Vec<PodView<'a>> {
        spec.iter()
            .enumerate()
            .map(|(i, &(name, phase))| PodView {
                name,
                created_at: SimTime::from_nanos((i as u64 + 1) * 3_600_000_000_000),
                phase,
                evicted: false,
                node_name: Some("node"),
                terminating: false,
            })
            .collect()
    }

    fn names(p: &[PodView], idx: Vec<usize>) -> BTreeSet<String> {
        idx.into_iter().map(|i| p[i].name.to_string()).collect()
    }

    fn set(n: &[&str]) -> BTreeSet<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    // Upstream: TestGCTerminated (pkg/controller/podgc/gc_controller_test.go).
    #[test]
    fn gc_terminated_table() {
        use PodPhase::*;
        type Case<'a> = (&'a [(&'a str, PodPhase)], usize, &'a [&'a str]);
        let cases: &[Case] = &[
            (&[("a", Failed), ("b", Succeeded)], 0, &[]),
            (
                &[("a", Failed), ("b", Succeeded), ("c", Failed)],
                1,
                &["a", "b"],
            ),
            (
                &[("a", Running), ("b", Succeeded), ("c", Failed)],
                1,
                &["b"],
            ),
            (&[("a", Failed), ("b", Succeeded)], 1, &["a"]),
            (&[("a", Failed), ("b", Succeeded)], 5, &[]),
        ];
        for (i, (spec, threshold, want)) in cases.iter().enumerate() {
            let p = pods(spec);
            assert_eq!(
                names(&p, gc_terminated(&p, *threshold)),
                set(want),
                "case {i}"
            );
        }
    }

    #[test]
    fn evicted_pods_go_first_then_oldest_then_by_name() {
        let mut p = pods(&[
            ("a", PodPhase::Failed),
            ("b", PodPhase::Failed),
            ("c", PodPhase::Failed),
        ]);
        p[2].evicted = true;
        assert_eq!(gc_terminated(&p, 1), vec![2, 0]);
        p[1].created_at = p[0].created_at;
        p[2].evicted = false;
        assert_eq!(gc_terminated(&p, 2), vec![0]);
    }

    // Upstream: TestGCOrphaned — pods on a node that no longer exists go in any phase (the
    // upstream test runs with the quarantine already over).
    #[test]
    fn gc_orphaned_table() {
        use PodPhase::*;
        let cases: &[&[(&str, PodPhase)]] =
            &[&[("a", Failed), ("b", Succeeded)], &[("a", Running)]];
        for (i, spec) in cases.iter().enumerate() {
            let p = pods(spec);
            let mut q = Quarantine::default();
            let want: Vec<usize> = (0..p.len()).collect();
            assert!(
                q.gc_orphaned(SimTime::ZERO, &p, &BTreeSet::new(), SimDuration::ZERO) == want,
                "case {i}"
            );
        }
    }

    #[test]
    fn orphans_wait_for_the_quarantine_and_spare_nodes_that_return() {
        let p = pods(&[("a", PodPhase::Running)]);
        let q_time = QUARANTINE_TIME;
        let mut q = Quarantine::default();
        let none = BTreeSet::new();
        let t0 = SimTime::from_nanos(20_000_000_000);
        assert!(q.gc_orphaned(t0, &p, &none, q_time).is_empty());
        assert_eq!(q.next_ready(), Some(t0 + q_time));
        assert!(
            q.gc_orphaned(t0 + GC_CHECK_PERIOD, &p, &none, q_time)
                .is_empty()
        );
        assert_eq!(q.gc_orphaned(t0 + q_time, &p, &none, q_time), vec![0]);
        // The node is back before the quarantine ends: nothing is deleted.
        let mut q = Quarantine::default();
        assert!(q.gc_orphaned(t0, &p, &none, q_time).is_empty());
        let back = BTreeSet::from(["node"]);
        assert!(q.gc_orphaned(t0 + q_time, &p, &back, q_time).is_empty());
        assert_eq!(q.next_ready(), None);
    }

    // Upstream: TestGCUnscheduledTerminating.
    #[test]
    fn gc_unscheduled_terminating_table() {
        use PodPhase::*;
        type Row<'a> = (&'a str, PodPhase, bool, Option<&'a str>);
        let cases: &[(&[Row], &[&str])] = &[
            (
                &[
                    ("a", Failed, true, None),
                    ("b", Succeeded, true, None),
                    ("c", Running, true, None),
                ],
                &["a", "b", "c"],
            ),
            (
                &[
                    ("a", Failed, false, None),
                    ("b", Succeeded, false, Some("node")),
                    ("c", Running, true, Some("node")),
                ],
                &[],
            ),
        ];
        for (i, (rows, want)) in cases.iter().enumerate() {
            let p: Vec<PodView> = rows
                .iter()
                .map(|&(name, phase, terminating, node_name)| PodView {
                    name,
                    created_at: SimTime::ZERO,
                    phase,
                    evicted: false,
                    node_name,
                    terminating,
                })
                .collect();
            assert_eq!(
                names(&p, gc_unscheduled_terminating(&p)),
                set(want),
                "case {i}"
            );
        }
    }

    #[test]
    fn passes_sit_on_the_period_grid() {
        let s = |n: u64| SimTime::from_nanos(n * 1_000_000_000);
        assert_eq!(next_pass(s(0), GC_CHECK_PERIOD), s(0));
        assert_eq!(next_pass(s(1), GC_CHECK_PERIOD), s(20));
        assert_eq!(next_pass(s(40), GC_CHECK_PERIOD), s(40));
        assert_eq!(next_pass(s(41), GC_CHECK_PERIOD), s(60));
    }
}
