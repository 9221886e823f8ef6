//! The scheduling queue (pkg/scheduler/backend/queue: scheduling_queue.go, active_queue.go,
//! backoff_queue.go) as v1.33 runs it, with SchedulerQueueingHints and
//! SchedulerPopFromBackoffQ on (both beta, on by default):
//! - activeQ, ordered by PrioritySort: priority, then the QueuedPodInfo timestamp (refreshed
//!   at every failed attempt);
//! - podBackoffQ and podErrorBackoffQ, ordered by the backoff expiry aligned down to a
//!   1-second ordering window (then as activeQ); a pod completes its backoff once the clock's
//!   window has passed its expiry window, and the 1-second flush moves it to activeQ. When
//!   activeQ is empty, Pop takes podBackoffQ's head at once (KEP-5142);
//! - the unschedulable pool: a rejected pod waits there until a cluster event whose queueing
//!   hint says it may help (the scheduler decides, see `queueing_hint`), or until the 30-second
//!   leftover flush finds it older than podMaxInUnschedulablePodsDuration (5 minutes).
//!
//! The periodic flushes run on the virtual clock from time zero: the backoff flush at every
//! whole second, the leftover flush every 30 seconds (wait.Until from Run).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::PodId;
use crate::time::{SimDuration, SimTime};

/// podInitialBackoffDuration / podMaxBackoffDuration (apis/config/v1/defaults.go).
const INITIAL_BACKOFF: SimDuration = SimDuration::from_secs(1);
const MAX_BACKOFF: SimDuration = SimDuration::from_secs(10);
/// DefaultPodMaxInUnschedulablePodsDuration.
const MAX_IN_UNSCHEDULABLE: SimDuration = SimDuration::from_mins(5);
/// backoffQOrderingWindowDuration: the backoff flush period and ordering window.
const ORDERING_WINDOW: SimDuration = SimDuration::from_secs(1);
/// Run: wait.Until(flushUnschedulablePodsLeftover, 30*time.Second).
const LEFTOVER_FLUSH_PERIOD: SimDuration = SimDuration::from_secs(30);

/// Where a queued pod is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Location {
    Active,
    Backoff,
    ErrorBackoff,
    Unschedulable,
    /// Popped and being scheduled (or waiting in its binding cycle).
    InFlight,
}

/// framework.QueuedPodInfo: what the queue keeps per pod.
#[derive(Clone, Debug)]
pub struct QueuedPodInfo {
    pub priority: i32,
    /// When the pod was added, or last came back after a failed attempt (PrioritySort's key).
    pub timestamp: SimTime,
    /// Scheduling attempts so far (incremented at each Pop).
    pub attempts: u32,
    /// UnschedulablePlugins of the last attempt: the plugins that rejected the pod. Empty
    /// after an error (the pod then goes to podErrorBackoffQ).
    pub unschedulable_plugins: Vec<&'static str>,
    location: Location,
}

/// The fields that place a pod in a sub-queue, copied so that moving a pod clones nothing.
#[derive(Copy, Clone, Debug)]
struct Placement {
    priority: i32,
    timestamp: SimTime,
    attempts: u32,
    location: Location,
}

impl QueuedPodInfo {
    fn placement(&self) -> Placement {
        Placement {
            priority: self.priority,
            timestamp: self.timestamp,
            attempts: self.attempts,
            location: self.location,
        }
    }
}

/// queueingStrategy: what a cluster event means for a pod in the unschedulable pool.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum QueueingStrategy {
    /// The event cannot make the pod schedulable: it stays where it is.
    Skip,
    /// Retry after the pod's backoff (activeQ now if it is already over).
    AfterBackoff,
    /// Retry now, skipping the backoff.
    Immediately,
}

pub struct SchedulingQueue {
    initial_backoff: SimDuration,
    max_backoff: SimDuration,
    pods: BTreeMap<PodId, QueuedPodInfo>,
    active: BTreeSet<(Reverse<i32>, SimTime, PodId)>,
    /// (expiry window, then activeQ's order): lessBackoffCompletedWithPriority.
    backoff: BTreeSet<(SimTime, Reverse<i32>, SimTime, PodId)>,
    /// (expiry window, pod): lessBackoffCompleted.
    error_backoff: BTreeSet<(SimTime, PodId)>,
    /// (timestamp, pod).
    unschedulable: BTreeSet<(SimTime, PodId)>,
    /// Pods in flight, and whether a cluster event of interest arrived since their Pop
    /// (activeQueue's inFlightPods / inFlightEvents).
    in_flight: BTreeMap<PodId, bool>,
}

impl Default for SchedulingQueue {
    fn default() -> Self {
        SchedulingQueue::with_backoff(INITIAL_BACKOFF, MAX_BACKOFF)
    }
}

/// Truncates `t` to its ordering window (time.Truncate(backoffQOrderingWindowDuration)).
fn align_to_window(t: SimTime) -> SimTime {
    let w = ORDERING_WINDOW.as_nanos();
    SimTime::from_nanos(t.as_nanos() / w * w)
}

impl SchedulingQueue {
    pub fn with_backoff(initial: SimDuration, max: SimDuration) -> Self {
        SchedulingQueue {
            initial_backoff: initial,
            max_backoff: max,
            pods: BTreeMap::new(),
            active: BTreeSet::new(),
            backoff: BTreeSet::new(),
            error_backoff: BTreeSet::new(),
            unschedulable: BTreeSet::new(),
            in_flight: BTreeMap::new(),
        }
    }

    /// Add: a new pod goes straight to activeQ.
    pub fn add(&mut self, now: SimTime, pod: PodId, priority: i32) {
        if self.pods.contains_key(&pod) {
            return;
        }
        self.pods.insert(
            pod,
            QueuedPodInfo {
                priority,
                timestamp: now,
                attempts: 0,
                unschedulable_plugins: Vec::new(),
                location: Location::Active,
            },
        );
        self.active.insert((Reverse(priority), now, pod));
    }

    /// Delete: the pod left the API (or got bound elsewhere).
    pub fn remove(&mut self, pod: PodId) {
        if let Some(q) = self.pods.get(&pod).map(QueuedPodInfo::placement) {
            self.detach(pod, q);
            self.pods.remove(&pod);
        }
    }

    /// The pod was scheduled: it leaves the queue for good (Done).
    pub fn forget(&mut self, pod: PodId) {
        self.remove(pod);
    }

    /// calculateBackoffDuration: initial, doubling per attempt, capped.
    fn backoff_duration(&self, attempts: u32) -> SimDuration {
        if attempts == 0 {
            return SimDuration::ZERO;
        }
        let mut d = self.initial_backoff;
        for _ in 1..attempts {
            if d > self.max_backoff.saturating_sub(d) {
                return self.max_backoff;
            }
            d = d.saturating_mul(2);
        }
        d
    }

    /// getBackoffTime: the aligned expiry, `None` for a pod never attempted.
    fn backoff_expiry(&self, q: Placement) -> Option<SimTime> {
        (q.attempts > 0).then(|| align_to_window(q.timestamp + self.backoff_duration(q.attempts)))
    }

    /// isPodBackingoff: the expiry window is not yet behind the clock's window.
    fn is_backing_off(&self, q: Placement, now: SimTime) -> bool {
        self.backoff_expiry(q)
            .is_some_and(|e| e >= align_to_window(now))
    }

    /// Takes the pod out of whichever sub-queue holds it.
    fn detach(&mut self, pod: PodId, q: Placement) {
        match q.location {
            Location::Active => {
                self.active.remove(&(Reverse(q.priority), q.timestamp, pod));
            }
            Location::Backoff => {
                if let Some(e) = self.backoff_expiry(q) {
                    self.backoff
                        .remove(&(e, Reverse(q.priority), q.timestamp, pod));
                }
            }
            Location::ErrorBackoff => {
                if let Some(e) = self.backoff_expiry(q) {
                    self.error_backoff.remove(&(e, pod));
                }
            }
            Location::Unschedulable => {
                self.unschedulable.remove(&(q.timestamp, pod));
            }
            Location::InFlight => {
                self.in_flight.remove(&pod);
            }
        }
    }

    fn set_location(&mut self, pod: PodId, location: Location) {
        let Some(q) = self.pods.get(&pod).map(QueuedPodInfo::placement) else {
            return;
        };
        self.detach(pod, q);
        match location {
            Location::Active => {
                self.active.insert((Reverse(q.priority), q.timestamp, pod));
            }
            Location::Backoff => {
                let e = self.backoff_expiry(q).unwrap_or(SimTime::ZERO);
                self.backoff
                    .insert((e, Reverse(q.priority), q.timestamp, pod));
            }
            Location::ErrorBackoff => {
                let e = self.backoff_expiry(q).unwrap_or(SimTime::ZERO);
                self.error_backoff.insert((e, pod));
            }
            Location::Unschedulable => {
                self.unschedulable.insert((q.timestamp, pod));
            }
            Location::InFlight => {
                self.in_flight.insert(pod, false);
            }
        }
        if let Some(q) = self.pods.get_mut(&pod) {
            q.location = location;
        }
    }

    /// A cluster event of interest arrived: every pod in flight saw it (addEventIfAnyInFlight).
    pub fn note_event_in_flight(&mut self) {
        self.in_flight.values_mut().for_each(|saw| *saw = true);
    }

    /// AddUnschedulableIfNotPresent after a failed attempt with `plugins` as the rejectors:
    /// the timestamp is refreshed; a pod that failed with an error (no rejector) retries
    /// after its backoff (podErrorBackoffQ); a rejected pod waits in the unschedulable pool
    /// for an event, unless one arrived while it was in flight
    /// (determineSchedulingHintForInFlightPod). A scheduling cycle is instantaneous on the
    /// virtual clock, so only a binding cycle (a Permit wait) sees events in flight, and the
    /// Reserve/Permit/PreBind plugins that reject there register every event.
    pub fn add_unschedulable(
        &mut self,
        now: SimTime,
        pod: PodId,
        priority: i32,
        plugins: Vec<&'static str>,
    ) {
        let q = self.pods.entry(pod).or_insert(QueuedPodInfo {
            priority,
            timestamp: now,
            attempts: 1,
            unschedulable_plugins: Vec::new(),
            location: Location::InFlight,
        });
        if q.location != Location::InFlight {
            return;
        }
        q.timestamp = now;
        q.unschedulable_plugins = plugins;
        let error = q.unschedulable_plugins.is_empty();
        let saw_event = self.in_flight.get(&pod).copied().unwrap_or(false);
        if error || saw_event {
            self.requeue(now, pod, QueueingStrategy::AfterBackoff);
        } else {
            self.set_location(pod, Location::Unschedulable);
        }
    }

    /// requeuePodWithQueueingStrategy.
    fn requeue(&mut self, now: SimTime, pod: PodId, strategy: QueueingStrategy) {
        let Some(q) = self.pods.get(&pod) else { return };
        let location = match strategy {
            QueueingStrategy::Skip => Location::Unschedulable,
            QueueingStrategy::AfterBackoff if self.is_backing_off(q.placement(), now) => {
                if q.unschedulable_plugins.is_empty() {
                    Location::ErrorBackoff
                } else {
                    Location::Backoff
                }
            }
            _ => Location::Active,
        };
        self.set_location(pod, location);
    }

    /// The pods in the unschedulable pool, oldest first, with what rejected them.
    pub fn unschedulable_pods(&self) -> impl Iterator<Item = (PodId, &QueuedPodInfo)> + '_ {
        self.unschedulable
            .iter()
            .filter_map(|&(_, pod)| self.pods.get(&pod).map(|q| (pod, q)))
    }

    /// The pod's entry if it waits in the unschedulable pool.
    pub fn unschedulable_info(&self, pod: PodId) -> Option<&QueuedPodInfo> {
        self.pods
            .get(&pod)
            .filter(|q| q.location == Location::Unschedulable)
    }

    /// movePodsToActiveOrBackoffQueue: each pod of the unschedulable pool goes where its
    /// strategy (from the event's queueing hints) sends it.
    pub fn move_pods(&mut self, now: SimTime, moves: &[(PodId, QueueingStrategy)]) {
        for &(pod, strategy) in moves {
            if strategy == QueueingStrategy::Skip {
                continue;
            }
            if self.pods.get(&pod).map(|q| q.location) == Some(Location::Unschedulable) {
                self.requeue(now, pod, strategy);
            }
        }
    }

    /// Activate (ForceActivate): out of the unschedulable pool or backoff into activeQ.
    pub fn activate(&mut self, pod: PodId) {
        let Some(q) = self.pods.get(&pod) else { return };
        if matches!(
            q.location,
            Location::Unschedulable | Location::Backoff | Location::ErrorBackoff
        ) {
            self.set_location(pod, Location::Active);
        }
    }

    /// The first leftover-flush tick at which a pool entry with `timestamp` is older than
    /// podMaxInUnschedulablePodsDuration (the check is `now - timestamp > max`).
    fn leftover_flush_at(timestamp: SimTime) -> SimTime {
        let p = LEFTOVER_FLUSH_PERIOD.as_nanos();
        let limit = (timestamp + MAX_IN_UNSCHEDULABLE).as_nanos();
        SimTime::from_nanos((limit / p + 1) * p)
    }

    /// The periodic flushes that have run by `now`: flushBackoffQCompleted (every window) and
    /// flushUnschedulablePodsLeftover (every 30 s, EventUnschedulableTimeout).
    fn flush(&mut self, now: SimTime) {
        while let Some(&(e, _, _, pod)) = self.backoff.first() {
            if e >= align_to_window(now) {
                break;
            }
            self.set_location(pod, Location::Active);
        }
        while let Some(&(e, pod)) = self.error_backoff.first() {
            if e >= align_to_window(now) {
                break;
            }
            self.set_location(pod, Location::Active);
        }
        while let Some(&(since, pod)) = self.unschedulable.first() {
            if Self::leftover_flush_at(since) > now {
                break;
            }
            self.requeue(now, pod, QueueingStrategy::AfterBackoff);
        }
    }

    /// Pop: activeQ's head, else (PopFromBackoffQ) podBackoffQ's head. The pod is in flight
    /// until it is forgotten (bound) or comes back with `add_unschedulable`.
    pub fn pop(&mut self, now: SimTime) -> Option<PodId> {
        self.flush(now);
        let pod = match self.active.first() {
            Some(&(_, _, pod)) => pod,
            None => self.backoff.first().map(|&(_, _, _, pod)| pod)?,
        };
        self.set_location(pod, Location::InFlight);
        if let Some(q) = self.pods.get_mut(&pod) {
            q.attempts += 1;
        }
        Some(pod)
    }

    /// Whether Pop would return a pod now.
    pub fn has_active(&self) -> bool {
        !self.active.is_empty() || !self.backoff.is_empty()
    }

    /// The next flush that moves a pod: a backoff window passing, or a leftover-flush tick.
    pub fn next_wakeup(&self) -> Option<SimTime> {
        let window = |e: SimTime| e + ORDERING_WINDOW;
        [
            self.backoff.first().map(|&(e, ..)| window(e)),
            self.error_backoff.first().map(|&(e, _)| window(e)),
            self.unschedulable
                .first()
                .map(|&(t, _)| Self::leftover_flush_at(t)),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> SimTime {
        SimTime::ZERO + SimDuration::from_secs(s)
    }

    fn millis(ms: u64) -> SimTime {
        SimTime::ZERO + SimDuration::from_millis(ms)
    }

    /// backoff_queue_test.go TestBackoffQueue_calculateBackoffDuration.
    #[test]
    fn backoff_doubles_to_the_maximum() {
        let q = SchedulingQueue::default();
        let secs: Vec<u64> = (1..=6).map(|a| q.backoff_duration(a).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 10, 10]);
        assert_eq!(q.backoff_duration(0), SimDuration::ZERO);
        // podInitialBackoffSeconds: 2, podMaxBackoffSeconds: 5.
        let q = SchedulingQueue::with_backoff(SimDuration::from_secs(2), SimDuration::from_secs(5));
        let secs: Vec<u64> = (1..=4).map(|a| q.backoff_duration(a).as_secs()).collect();
        assert_eq!(secs, [2, 4, 5, 5]);
    }

    #[test]
    fn higher_priority_first_then_timestamp() {
        let mut q = SchedulingQueue::default();
        let t = SimTime::ZERO;
        q.add(t, PodId(1), 0);
        q.add(t, PodId(2), 10);
        q.add(secs(1), PodId(3), 10);
        assert_eq!(q.pop(t), Some(PodId(2)));
        assert_eq!(q.pop(t), Some(PodId(3)));
        assert_eq!(q.pop(t), Some(PodId(1)));
        assert_eq!(q.pop(t), None);
    }

    /// A rejected pod waits for an event; an event's AfterBackoff sends it to podBackoffQ
    /// while its backoff (1 s after the first attempt, aligned down to the window) runs, and
    /// Pop takes it from there at once when activeQ is empty (PopFromBackoffQ).
    #[test]
    fn rejected_pod_waits_then_pops_from_backoff_when_active_is_empty() {
        let mut q = SchedulingQueue::default();
        q.add(millis(0), PodId(1), 0);
        assert_eq!(q.pop(millis(0)), Some(PodId(1)));
        q.add_unschedulable(millis(300), PodId(1), 0, vec!["NodeResourcesFit"]);
        assert!(!q.has_active());
        // 300ms + 1s = 1.3s, aligned to 1s; the 2s flush completes it.
        assert_eq!(q.next_wakeup(), Some(secs(330)));
        q.move_pods(millis(500), &[(PodId(1), QueueingStrategy::AfterBackoff)]);
        assert_eq!(q.next_wakeup(), Some(secs(2)));
        assert!(q.has_active());
        assert_eq!(q.pop(millis(502)), Some(PodId(1)));
    }

    /// Backoff completion: a busy activeQ is served first, the backoff pod joins it at the
    /// window flush.
    #[test]
    fn backoff_pod_joins_active_at_the_window_flush() {
        let mut q = SchedulingQueue::default();
        q.add(millis(0), PodId(1), 5);
        assert_eq!(q.pop(millis(0)), Some(PodId(1)));
        q.add_unschedulable(millis(100), PodId(1), 5, vec!["TaintToleration"]);
        q.move_pods(millis(200), &[(PodId(1), QueueingStrategy::AfterBackoff)]);
        q.add(millis(300), PodId(2), 0);
        q.add(millis(300), PodId(3), 0);
        assert_eq!(q.pop(millis(900)), Some(PodId(2)));
        // 1.1s aligns to 1s: the pod completes at the 2s flush and outranks pod 3.
        assert_eq!(q.pop(millis(1_999)), Some(PodId(3)));
        q.add(millis(1_999), PodId(4), 0);
        assert_eq!(q.pop(secs(2)), Some(PodId(1)));
    }

    /// An error (no rejector plugin) goes to podErrorBackoffQ, which Pop does not take early.
    #[test]
    fn error_waits_out_its_backoff() {
        let mut q = SchedulingQueue::default();
        q.add(millis(0), PodId(1), 0);
        q.pop(millis(0));
        q.add_unschedulable(millis(400), PodId(1), 0, Vec::new());
        assert!(!q.has_active());
        assert_eq!(q.next_wakeup(), Some(secs(2)));
        assert_eq!(q.pop(millis(1_999)), None);
        assert_eq!(q.pop(secs(2)), Some(PodId(1)));
    }

    /// A pod rejected after an event arrived while it was in flight (a Permit wait) backs off
    /// instead of waiting for another event.
    #[test]
    fn event_in_flight_sends_a_rejected_pod_to_backoff() {
        let mut q = SchedulingQueue::default();
        q.add(millis(0), PodId(1), 0);
        q.add(millis(0), PodId(2), 0);
        q.pop(millis(0));
        q.note_event_in_flight();
        q.add_unschedulable(millis(500), PodId(1), 0, vec!["Permit"]);
        q.pop(millis(600));
        q.add_unschedulable(millis(600), PodId(2), 0, vec!["Permit"]);
        assert!(q.unschedulable_info(PodId(1)).is_none());
        assert!(q.unschedulable_info(PodId(2)).is_some());
        assert_eq!(q.pop(millis(700)), Some(PodId(1)));
    }

    /// flushUnschedulablePodsLeftover runs every 30 s and moves pods older than 5 minutes.
    #[test]
    fn leftover_flush_on_the_thirty_second_tick() {
        let mut q = SchedulingQueue::default();
        q.add(secs(10), PodId(1), 0);
        q.pop(secs(10));
        q.add_unschedulable(secs(10), PodId(1), 0, vec!["NodeAffinity"]);
        // At the 5m0s tick the pod is 4m50s in the pool; at 5m30s, 5m20s: moved then.
        assert_eq!(q.next_wakeup(), Some(secs(330)));
        assert_eq!(q.pop(secs(329)), None);
        assert_eq!(q.pop(secs(330)), Some(PodId(1)));
    }

    /// The timestamp is refreshed by a failed attempt: a pod that failed later sorts after.
    #[test]
    fn failed_attempt_refreshes_the_timestamp() {
        let mut q = SchedulingQueue::default();
        q.add(secs(0), PodId(1), 0);
        q.add(secs(1), PodId(2), 0);
        assert_eq!(q.pop(secs(1)), Some(PodId(1)));
        q.add_unschedulable(secs(2), PodId(1), 0, vec!["NodeResourcesFit"]);
        q.activate(PodId(1));
        assert_eq!(q.pop(secs(3)), Some(PodId(2)));
        assert_eq!(q.pop(secs(3)), Some(PodId(1)));
    }
}
