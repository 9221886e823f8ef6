//! The scheduling queue (pkg/scheduler/backend/queue/scheduling_queue.go): activeQ ordered by
//! priority then arrival, a back-off queue (1s doubling to 10s per failed attempt), and the
//! unschedulable pool, flushed on cluster events and after 5 minutes.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::cluster::PodId;
use crate::time::{SimDuration, SimTime};

/// podInitialBackoffDuration / podMaxBackoffDuration (apis/config/v1/defaults.go).
const INITIAL_BACKOFF: SimDuration = SimDuration::from_secs(1);
const MAX_BACKOFF: SimDuration = SimDuration::from_secs(10);
/// podMaxInUnschedulablePodsDuration.
const MAX_IN_UNSCHEDULABLE: SimDuration = SimDuration::from_mins(5);

#[derive(Clone, Debug)]
struct QueuedPod {
    priority: i32,
    /// When the pod entered the queue (PrioritySort's tie-break).
    timestamp: SimTime,
    attempts: u32,
    /// When the last attempt failed.
    failed_at: SimTime,
}

pub struct SchedulingQueue {
    /// podInitialBackoffSeconds / podMaxBackoffSeconds of the configuration.
    initial_backoff: SimDuration,
    max_backoff: SimDuration,
    pods: BTreeMap<PodId, QueuedPod>,
    active: BTreeSet<(Reverse<i32>, SimTime, PodId)>,
    backoff: BTreeSet<(SimTime, PodId)>,
    unschedulable: BTreeSet<(SimTime, PodId)>,
}

impl Default for SchedulingQueue {
    fn default() -> Self {
        SchedulingQueue::with_backoff(INITIAL_BACKOFF, MAX_BACKOFF)
    }
}

impl SchedulingQueue {
    pub fn with_backoff(initial: SimDuration, max: SimDuration) -> Self {
        SchedulingQueue {
            initial_backoff: initial,
            max_backoff: max,
            pods: BTreeMap::new(),
            active: BTreeSet::new(),
            backoff: BTreeSet::new(),
            unschedulable: BTreeSet::new(),
        }
    }

    pub fn add(&mut self, now: SimTime, pod: PodId, priority: i32) {
        if self.pods.contains_key(&pod) {
            return;
        }
        self.pods.insert(
            pod,
            QueuedPod {
                priority,
                timestamp: now,
                attempts: 0,
                failed_at: now,
            },
        );
        self.active.insert((Reverse(priority), now, pod));
    }

    pub fn remove(&mut self, pod: PodId) {
        if let Some(q) = self.pods.remove(&pod) {
            self.active.remove(&(Reverse(q.priority), q.timestamp, pod));
            self.backoff
                .remove(&(q.failed_at + self.backoff_duration(q.attempts), pod));
            self.unschedulable.remove(&(q.failed_at, pod));
        }
    }

    /// The pod was scheduled: it leaves the queue for good.
    pub fn forget(&mut self, pod: PodId) {
        self.pods.remove(&pod);
    }

    fn backoff_duration(&self, attempts: u32) -> SimDuration {
        let mut d = self.initial_backoff;
        for _ in 1..attempts {
            d = d.saturating_mul(2);
            if d >= self.max_backoff {
                return self.max_backoff;
            }
        }
        d.min(self.max_backoff)
    }

    /// After a failed attempt the pod waits in the unschedulable pool for a cluster event.
    pub fn add_unschedulable(&mut self, now: SimTime, pod: PodId, priority: i32) {
        let q = self.pods.entry(pod).or_insert(QueuedPod {
            priority,
            timestamp: now,
            attempts: 0,
            failed_at: now,
        });
        q.attempts += 1;
        q.failed_at = now;
        self.unschedulable.insert((now, pod));
    }

    /// MoveAllToActiveOrBackoffQueue: unschedulable pods go to activeQ, or to the back-off queue
    /// while their back-off has not expired.
    pub fn move_all_to_active_or_backoff(&mut self, now: SimTime) {
        let pods: Vec<(SimTime, PodId)> = std::mem::take(&mut self.unschedulable)
            .into_iter()
            .collect();
        for (_, pod) in pods {
            self.requeue(now, pod);
        }
    }

    /// A queued pod was updated in a way that may let it schedule (its nomination was
    /// cleared): out of the unschedulable pool into activeQ or back-off.
    pub fn activate(&mut self, now: SimTime, pod: PodId) {
        let Some(q) = self.pods.get(&pod) else { return };
        if self.unschedulable.remove(&(q.failed_at, pod)) {
            self.requeue(now, pod);
        }
    }

    fn requeue(&mut self, now: SimTime, pod: PodId) {
        let Some(q) = self.pods.get(&pod) else { return };
        let expiry = q.failed_at + self.backoff_duration(q.attempts);
        if expiry > now {
            self.backoff.insert((expiry, pod));
        } else {
            // A requeued pod keeps its original timestamp (PrioritySort).
            self.active.insert((Reverse(q.priority), q.timestamp, pod));
        }
    }

    fn flush(&mut self, now: SimTime) {
        while let Some(&(expiry, pod)) = self.backoff.first() {
            if expiry > now {
                break;
            }
            self.backoff.pop_first();
            if let Some(q) = self.pods.get(&pod) {
                self.active.insert((Reverse(q.priority), q.timestamp, pod));
            }
        }
        while let Some(&(since, pod)) = self.unschedulable.first() {
            if since + MAX_IN_UNSCHEDULABLE > now {
                break;
            }
            self.unschedulable.pop_first();
            self.requeue(now, pod);
        }
    }

    pub fn pop(&mut self, now: SimTime) -> Option<PodId> {
        self.flush(now);
        let (_, _, pod) = self.active.pop_first()?;
        Some(pod)
    }

    pub fn has_active(&self) -> bool {
        !self.active.is_empty()
    }

    pub fn next_wakeup(&self) -> Option<SimTime> {
        let b = self.backoff.first().map(|(t, _)| *t);
        let u = self
            .unschedulable
            .first()
            .map(|(t, _)| *t + MAX_IN_UNSCHEDULABLE);
        match (b, u) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_ten_seconds() {
        let q = SchedulingQueue::default();
        let secs: Vec<u64> = (1..=6).map(|a| q.backoff_duration(a).as_secs()).collect();
        assert_eq!(secs, [1, 2, 4, 8, 10, 10]);
        // podInitialBackoffSeconds: 2, podMaxBackoffSeconds: 5.
        let q = SchedulingQueue::with_backoff(SimDuration::from_secs(2), SimDuration::from_secs(5));
        let secs: Vec<u64> = (1..=4).map(|a| q.backoff_duration(a).as_secs()).collect();
        assert_eq!(secs, [2, 4, 5, 5]);
    }

    #[test]
    fn higher_priority_first_then_arrival() {
        let mut q = SchedulingQueue::default();
        let t = SimTime::ZERO;
        q.add(t, PodId(1), 0);
        q.add(t, PodId(2), 10);
        q.add(t + SimDuration::from_secs(1), PodId(3), 10);
        assert_eq!(q.pop(t), Some(PodId(2)));
        assert_eq!(q.pop(t), Some(PodId(3)));
        assert_eq!(q.pop(t), Some(PodId(1)));
    }
}
