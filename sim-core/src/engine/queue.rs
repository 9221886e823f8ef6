//! The one event queue: ordered by (time, sequence number), so simultaneous events fire in the
//! order they were scheduled (nexosim's key + monotonically increasing epoch).
//!
//! The heap holds only small keys `(time, seq, slot)`; events live in a slab indexed by slot,
//! so sifting moves 24 bytes whatever the event's size. Cancellation empties the slot at once
//! (O(1), no hashing); the stale key is dropped when it reaches the head, recognised because
//! the slot no longer holds that sequence number.
//!
//! Most events are scheduled a constant delay after the current time (watch latency, probe
//! periods, step durations), so the keys of one delay arrive in (time, seq) order: each such
//! delay gets a FIFO lane beside the heap (up to `MAX_LANES` delays at once; a drained lane is
//! handed to the next new delay), and the heap keeps only the rest. Events scheduled in time
//! order up front (a scenario's timed actions, tens of thousands in a large run) wait in one
//! more FIFO lane. The next event is the smallest (time, seq) among the heap's head and the
//! lanes' heads, so the order is exactly the heap-only order; that head is remembered until a
//! pop or an earlier key changes it, so peeking before each pop costs no second search.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::time::SimTime;

/// Handle of a scheduled event, for cancellation. Sequence numbers are never reused, so a
/// handle cannot cancel a later event that reuses the slot.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId {
    seq: u64,
    slot: u32,
}

struct Slot<E> {
    seq: u64,
    event: Option<E>,
}

/// (time in ns, sequence number, slot).
type Key = (u64, u64, u32);

/// How many distinct delays have a lane at once: a run has a handful of constant delays; the
/// bound keeps the head search short when delays are drawn from distributions.
const MAX_LANES: usize = 8;

/// Where a key waits.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Source {
    Heap,
    InOrder,
    Lane(usize),
}

/// Keys scheduled `delay` after the then-current time, hence in (time, seq) order.
struct Lane {
    delay: u64,
    keys: VecDeque<Key>,
}

/// A min-queue of events keyed by (time, insertion sequence).
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<Key>>,
    /// Keys in (time, seq) order, from `schedule_in_order`.
    in_order: VecDeque<Key>,
    lanes: Vec<Lane>,
    /// The time of the last event popped: delays are measured from it.
    now: u64,
    /// The smallest key and where it waits, while known.
    head: Option<(Key, Source)>,
    slots: Vec<Slot<E>>,
    free: Vec<u32>,
    next_seq: u64,
    live: usize,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            heap: BinaryHeap::with_capacity(capacity),
            in_order: VecDeque::new(),
            lanes: Vec::new(),
            now: 0,
            head: None,
            slots: Vec::with_capacity(capacity),
            free: Vec::new(),
            next_seq: 0,
            live: 0,
        }
    }

    pub fn schedule(&mut self, time: SimTime, event: E) -> TimerId {
        let id = self.store(event);
        let key = (time.as_nanos(), id.seq, id.slot);
        let source = self.lane_for(key.0);
        match source {
            Source::Lane(i) => self.lanes[i].keys.push_back(key),
            _ => self.heap.push(Reverse(key)),
        }
        self.note_key(key, source);
        id
    }

    /// The same, for events scheduled in time order (each at or after the previous one given
    /// here): they wait in their own lane, outside the heap. An event out of order goes
    /// through `schedule`.
    pub fn schedule_in_order(&mut self, time: SimTime, event: E) -> TimerId {
        let t = time.as_nanos();
        if self.in_order.back().is_some_and(|&(last, _, _)| t < last) {
            return self.schedule(time, event);
        }
        let id = self.store(event);
        let key = (t, id.seq, id.slot);
        self.in_order.push_back(key);
        self.note_key(key, Source::InOrder);
        id
    }

    /// The lane of the delay from the current time to `t`, or the heap. Keys of one delay
    /// arrive in (time, seq) order because the current time never decreases; the check on the
    /// lane's last key keeps that true whatever the caller does.
    fn lane_for(&mut self, t: u64) -> Source {
        let Some(delay) = t.checked_sub(self.now) else {
            return Source::Heap;
        };
        let mut drained = None;
        for (i, lane) in self.lanes.iter().enumerate() {
            if lane.delay == delay {
                return match lane.keys.back() {
                    Some(&(last, _, _)) if last > t => Source::Heap,
                    _ => Source::Lane(i),
                };
            }
            if drained.is_none() && lane.keys.is_empty() {
                drained = Some(i);
            }
        }
        if self.lanes.len() < MAX_LANES {
            self.lanes.push(Lane {
                delay,
                keys: VecDeque::new(),
            });
            return Source::Lane(self.lanes.len() - 1);
        }
        match drained {
            Some(i) => {
                self.lanes[i].delay = delay;
                Source::Lane(i)
            }
            None => Source::Heap,
        }
    }

    /// A new key becomes the head if it is smaller than the known head.
    fn note_key(&mut self, key: Key, source: Source) {
        if let Some((head, _)) = self.head
            && key < head
        {
            self.head = Some((key, source));
        }
    }

    /// Puts `event` in a slot under the next sequence number.
    fn store(&mut self, event: E) -> TimerId {
        let seq = self.next_seq;
        self.next_seq += 1;
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Slot {
                    seq,
                    event: Some(event),
                };
                slot
            }
            None => {
                self.slots.push(Slot {
                    seq,
                    event: Some(event),
                });
                (self.slots.len() - 1) as u32
            }
        };
        self.live += 1;
        TimerId { seq, slot }
    }

    /// The smallest key of the heap and the lanes, and where it waits.
    fn peek_key(&mut self) -> Option<(Key, Source)> {
        if self.head.is_none() {
            let mut best = self.heap.peek().map(|r| (r.0, Source::Heap));
            let mut consider = |key: Option<&Key>, source: Source| {
                if let Some(&k) = key
                    && best.is_none_or(|(b, _)| k < b)
                {
                    best = Some((k, source));
                }
            };
            consider(self.in_order.front(), Source::InOrder);
            for (i, lane) in self.lanes.iter().enumerate() {
                consider(lane.keys.front(), Source::Lane(i));
            }
            self.head = best;
        }
        self.head
    }

    /// Removes the smallest key of the heap and the lanes.
    fn pop_key(&mut self) -> Option<Key> {
        let (key, source) = self.peek_key()?;
        self.head = None;
        match source {
            Source::Heap => self.heap.pop(),
            Source::InOrder => self.in_order.pop_front().map(Reverse),
            Source::Lane(i) => self.lanes[i].keys.pop_front().map(Reverse),
        };
        Some(key)
    }

    /// Cancels a pending event in O(1). Cancelling an event that already fired or was already
    /// cancelled does nothing.
    pub fn cancel(&mut self, id: TimerId) {
        if let Some(slot) = self.slots.get_mut(id.slot as usize)
            && slot.seq == id.seq
            && slot.event.take().is_some()
        {
            self.free.push(id.slot);
            self.live -= 1;
        }
    }

    /// Removes and returns the earliest live event.
    pub fn pop(&mut self) -> Option<(SimTime, E)> {
        self.pop_with_id().map(|(t, _, e)| (t, e))
    }

    /// The same, with the id the event was scheduled under.
    pub fn pop_with_id(&mut self) -> Option<(SimTime, TimerId, E)> {
        loop {
            let (time, seq, slot) = self.pop_key()?;
            let s = &mut self.slots[slot as usize];
            if s.seq != seq {
                // Cancelled, and the slot since reused.
                continue;
            }
            let Some(event) = s.event.take() else {
                // Cancelled: the slot was freed then.
                continue;
            };
            self.free.push(slot);
            self.live -= 1;
            self.now = time;
            return Some((SimTime::from_nanos(time), TimerId { seq, slot }, event));
        }
    }

    /// The time of the earliest live event, dropping cancelled keys at the head.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        loop {
            let ((time, seq, slot), _) = self.peek_key()?;
            let s = &self.slots[slot as usize];
            if s.seq == seq && s.event.is_some() {
                return Some(SimTime::from_nanos(time));
            }
            self.pop_key();
        }
    }

    /// Number of pending (live) events.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
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

    #[test]
    fn the_in_order_lane_keeps_the_heap_order() {
        // Every interleaving of the lane and the heap pops as the heap alone would.
        let times = [3, 1, 3, 0, 2, 2, 5, 1, 4, 3];
        let mut lane = EventQueue::new();
        let mut heap = EventQueue::new();
        let mut cancelled = Vec::new();
        for (i, &at) in times.iter().enumerate() {
            let via_lane = if i % 3 == 0 {
                lane.schedule_in_order(t(at), i)
            } else {
                lane.schedule(t(at), i)
            };
            let via_heap = heap.schedule(t(at), i);
            if i == 6 {
                cancelled.push((via_lane, via_heap));
            }
        }
        // Out of order for the lane: falls back to the heap.
        lane.schedule_in_order(t(2), 10);
        heap.schedule(t(2), 10);
        for (a, b) in cancelled {
            lane.cancel(a);
            heap.cancel(b);
        }
        assert_eq!(lane.len(), heap.len());
        while let Some(expected) = heap.pop() {
            assert_eq!(lane.peek_time(), Some(expected.0));
            assert_eq!(lane.pop(), Some(expected));
        }
        assert!(lane.is_empty());
        assert_eq!(lane.pop(), None);
    }

    #[test]
    fn delay_lanes_keep_the_heap_order_under_random_operations() {
        // A long random mix of constant delays (more of them than lanes), drawn delays, past
        // times, in-order events, cancellations, peeks and pops, against a plain heap of
        // (time, seq): every pop must agree.
        use crate::rng::{RngStreams, uniform_below};
        let mut rng = RngStreams::new(7).stream("queue-test");
        let mut q = EventQueue::new();
        let mut model: BinaryHeap<Reverse<(u64, u64)>> = BinaryHeap::new();
        let mut cancelled = std::collections::BTreeSet::new();
        let mut ids: Vec<(TimerId, u64)> = Vec::new();
        let (mut now, mut seq, mut in_order_at) = (0u64, 0u64, 0u64);
        let delays = [0, 1, 5, 10, 20, 50, 100, 200, 500, 1000, 5000];
        for _ in 0..50_000 {
            match uniform_below(&mut rng, 10) {
                0..=4 => {
                    let at = match uniform_below(&mut rng, 8) {
                        0 => now + uniform_below(&mut rng, 3000),
                        1 => now.saturating_sub(uniform_below(&mut rng, 10)),
                        _ => now + delays[uniform_below(&mut rng, delays.len() as u64) as usize],
                    };
                    ids.push((q.schedule(t(at), seq), seq));
                    model.push(Reverse((at, seq)));
                    seq += 1;
                }
                5 => {
                    in_order_at += uniform_below(&mut rng, 50);
                    let at = in_order_at.saturating_sub(uniform_below(&mut rng, 2) * 20);
                    ids.push((q.schedule_in_order(t(at), seq), seq));
                    model.push(Reverse((at, seq)));
                    seq += 1;
                }
                6 if !ids.is_empty() => {
                    let (id, s) =
                        ids.swap_remove(uniform_below(&mut rng, ids.len() as u64) as usize);
                    q.cancel(id);
                    cancelled.insert(s);
                }
                op => {
                    while let Some(Reverse((_, s))) = model.peek()
                        && cancelled.contains(s)
                    {
                        model.pop();
                    }
                    let head = model.peek().map(|&Reverse((at, s))| (t(at), s));
                    assert_eq!(q.peek_time(), head.map(|e| e.0));
                    // Sometimes only a peek: later keys must still displace the known head.
                    if op < 8 {
                        continue;
                    }
                    model.pop();
                    assert_eq!(q.pop(), head);
                    if let Some((at, _)) = head {
                        now = at.as_nanos();
                    }
                }
            }
        }
        let rest: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, s)| s).collect();
        let mut expected = Vec::new();
        while let Some(Reverse((_, s))) = model.pop() {
            if !cancelled.contains(&s) {
                expected.push(s);
            }
        }
        assert_eq!(rest, expected);
        assert!(q.is_empty());
    }

    #[test]
    fn a_stale_handle_does_not_cancel_the_slots_next_event() {
        let mut q = EventQueue::new();
        let a = q.schedule(t(1), "a");
        assert_eq!(q.pop(), Some((t(1), "a")));
        let b = q.schedule(t(2), "b");
        q.cancel(a);
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop(), Some((t(2), "b")));
        q.cancel(b);
        assert!(q.is_empty());
    }
}
