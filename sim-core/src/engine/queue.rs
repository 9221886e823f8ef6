//! The one event queue: ordered by (time, sequence number), so simultaneous events fire in the
//! order they were scheduled. Same design as nexosim's priority queue (key + monotonically
//! increasing epoch) and simcore's lazily cancelled timers.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashSet};

use crate::time::SimTime;

/// Handle of a scheduled event, for cancellation. Sequence numbers are never reused.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(u64);

struct Entry<E> {
    time: SimTime,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time && self.seq == other.seq
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.time, self.seq).cmp(&(other.time, other.seq))
    }
}

/// A min-queue of events keyed by (time, insertion sequence).
///
/// Cancellation is lazy: a cancelled id goes into a tombstone set and the entry is dropped when it
/// reaches the head. The set is only used for membership tests, never iterated, so it cannot
/// affect ordering.
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Entry<E>>>,
    next_seq: u64,
    cancelled: HashSet<u64>,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self {
            heap: BinaryHeap::new(),
            next_seq: 0,
            cancelled: HashSet::new(),
        }
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            next_seq: 0,
            cancelled: HashSet::new(),
        }
    }

    pub fn schedule(&mut self, time: SimTime, event: E) -> TimerId {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Reverse(Entry { time, seq, event }));
        TimerId(seq)
    }

    /// Cancels a pending event in O(1). Only pass ids of events that have not fired yet: the
    /// tombstone of an already-fired id would never be collected.
    pub fn cancel(&mut self, id: TimerId) {
        if id.0 < self.next_seq {
            self.cancelled.insert(id.0);
        }
    }

    /// Removes and returns the earliest live event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_with_id().map(|(t, _, e)| (t, e))
    }

    /// The same, with the id the event was scheduled under.
    pub fn pop_with_id(&mut self) -> Option<(SimTime, TimerId, E)> {
        loop {
            let Reverse(entry) = self.heap.pop()?;
            if !self.cancelled.is_empty() && self.cancelled.remove(&entry.seq) {
                continue;
            }
            return Some((entry.time, TimerId(entry.seq), entry.event));
        }
    }

    /// The time of the earliest live event, dropping cancelled entries at the head.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        loop {
            let head = self.heap.peek()?;
            let seq = head.0.seq;
            if !self.cancelled.is_empty() && self.cancelled.contains(&seq) {
                self.cancelled.remove(&seq);
                self.heap.pop();
                continue;
            }
            return Some(head.0.time);
        }
    }

    /// Number of entries, including cancelled ones not yet collected.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.len() <= self.cancelled.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(n: u64) -> SimTime {
        SimTime::from_nanos(n)
    }

    #[test]
    fn pops_in_time_order_and_fifo_among_equal_times() {
        let mut q = EventQueue::new();
        q.schedule(t(5), "c");
        q.schedule(t(1), "a");
        q.schedule(t(5), "d");
        q.schedule(t(1), "b");
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        assert_eq!(order, ["a", "b", "c", "d"]);
    }

    #[test]
    fn cancelled_events_never_fire() {
        let mut q = EventQueue::new();
        let a = q.schedule(t(1), 1);
        q.schedule(t(2), 2);
        let c = q.schedule(t(3), 3);
        q.cancel(a);
        q.cancel(c);
        assert_eq!(q.peek_time(), Some(t(2)));
        assert_eq!(q.pop(), Some((t(2), 2)));
        assert_eq!(q.pop(), None);
        assert!(q.is_empty());
    }
}
