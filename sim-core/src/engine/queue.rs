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

/// `time << 64 | seq`: one integer comparison orders keys by (time, sequence number).
type Order = u128;

fn order(time: u64, seq: u64) -> Order {
    (u128::from(time) << 64) | u128::from(seq)
}

/// The head of an empty lane: after every real key (sequence numbers never reach `u64::MAX`).
const EMPTY: Order = u128::MAX;

/// How many distinct delays have a lane at once: a run has a handful of constant delays; the
/// bound keeps the head search short when delays are drawn from distributions.
const MAX_LANES: usize = 12;

/// `lanes[IN_ORDER]` holds the `schedule_in_order` keys; the delay lanes follow it.
const IN_ORDER: usize = 0;

/// The source of a head key that waits in the heap.
const HEAP: usize = usize::MAX;

/// Keys, with their slots, scheduled `delay` after the then-current time, hence in order.
struct Lane {
    delay: u64,
    keys: VecDeque<(Order, u32)>,
}

/// A min-queue of events keyed by (time, insertion sequence).
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<(Order, u32)>>,
    lanes: Vec<Lane>,
    /// Each lane's first key, or `EMPTY`: the head search reads only this array.
    heads: Vec<Order>,
    /// The time of the last event popped: delays are measured from it.
    now: u64,
    /// The smallest key, its slot and its source (a lane index or `HEAP`), while known.
    head: Option<(Order, u32, usize)>,
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
            lanes: vec![Lane {
                delay: u64::MAX,
                keys: VecDeque::new(),
            }],
            heads: vec![EMPTY],
            now: 0,
            head: None,
            slots: Vec::with_capacity(capacity),
            free: Vec::new(),
            next_seq: 0,
            live: 0,
        }
    }

    pub fn schedule(&mut self, time: SimTime, event: E) -> TimerId {
        let t = time.as_nanos();
        let lane = self.lane_for(t);
        let id = self.store(event);
        let key = order(t, id.seq);
        match lane {
            HEAP => {
                self.heap.push(Reverse((key, id.slot)));
                self.note_key(key, id.slot, HEAP);
            }
            i => self.push_lane(i, key, id.slot),
        }
        id
    }

    /// The same, for events scheduled in time order (each at or after the previous one given
    /// here): they wait in their own lane, outside the heap. An event out of order goes
    /// through `schedule`.
    pub fn schedule_in_order(&mut self, time: SimTime, event: E) -> TimerId {
        let t = time.as_nanos();
        let lane = &self.lanes[IN_ORDER].keys;
        if lane
            .back()
            .is_some_and(|&(last, _)| order(t, self.next_seq) < last)
        {
            return self.schedule(time, event);
        }
        let id = self.store(event);
        self.push_lane(IN_ORDER, order(t, id.seq), id.slot);
        id
    }

    fn push_lane(&mut self, i: usize, key: Order, slot: u32) {
        let lane = &mut self.lanes[i];
        if lane.keys.is_empty() {
            self.heads[i] = key;
        }
        lane.keys.push_back((key, slot));
        self.note_key(key, slot, i);
    }

    /// The lane of the delay from the current time to `t`, or `HEAP`. Keys of one delay
    /// arrive in (time, seq) order because the current time never decreases; the check on the
    /// lane's last key keeps that true whatever the caller does.
    fn lane_for(&mut self, t: u64) -> usize {
        let Some(delay) = t.checked_sub(self.now) else {
            return HEAP;
        };
        // The key the event will get: after every key already scheduled at `t`.
        let key = order(t, self.next_seq);
        if let Some(i) = self.lanes.iter().skip(1).position(|l| l.delay == delay) {
            let i = i + 1;
            return match self.lanes[i].keys.back() {
                Some(&(last, _)) if last > key => HEAP,
                _ => i,
            };
        }
        if self.lanes.len() < MAX_LANES + 1 {
            self.lanes.push(Lane {
                delay,
                keys: VecDeque::new(),
            });
            self.heads.push(EMPTY);
            return self.lanes.len() - 1;
        }
        // A drained lane goes to the new delay.
        match self.heads.iter().skip(1).position(|&h| h == EMPTY) {
            Some(i) => {
                self.lanes[i + 1].delay = delay;
                i + 1
            }
            None => HEAP,
        }
    }

    /// A new key becomes the head if it is smaller than the known head.
    fn note_key(&mut self, key: Order, slot: u32, source: usize) {
        if let Some((head, _, _)) = self.head
            && key < head
        {
            self.head = Some((key, slot, source));
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

    /// The smallest key of the heap and the lanes, its slot and where it waits.
    fn peek_key(&mut self) -> Option<(Order, u32, usize)> {
        if self.head.is_none() {
            let (mut best, mut lane) = (EMPTY, HEAP);
            for (i, &h) in self.heads.iter().enumerate() {
                if h < best {
                    (best, lane) = (h, i);
                }
            }
            self.head = match self.heap.peek() {
                Some(&Reverse((key, slot))) if key < best => Some((key, slot, HEAP)),
                _ if lane != HEAP => self.lanes[lane].keys.front().map(|&(k, s)| (k, s, lane)),
                _ => None,
            };
        }
        self.head
    }

    /// Removes the smallest key of the heap and the lanes: (time, seq, slot).
    fn pop_key(&mut self) -> Option<(u64, u64, u32)> {
        let (key, slot, source) = self.peek_key()?;
        self.head = None;
        if source == HEAP {
            self.heap.pop();
        } else {
            let keys = &mut self.lanes[source].keys;
            keys.pop_front();
            self.heads[source] = keys.front().map_or(EMPTY, |&(k, _)| k);
        }
        Some(((key >> 64) as u64, key as u64, slot))
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
            let (key, slot, _) = self.peek_key()?;
            let s = &self.slots[slot as usize];
            if s.seq == key as u64 && s.event.is_some() {
                return Some(SimTime::from_nanos((key >> 64) as u64));
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
    fn constant_delays_and_in_order_events_stay_out_of_the_heap() {
        let mut q = EventQueue::new();
        for i in 0..3 {
            q.schedule(t(5), i);
            q.schedule(t(7), i);
            q.schedule_in_order(t(2), i);
        }
        assert_eq!(q.pop(), Some((t(2), 0)));
        q.schedule(t(7), 3);
        assert!(q.heap.is_empty());
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            [
                (2, 1),
                (2, 2),
                (5, 0),
                (5, 1),
                (5, 2),
                (7, 0),
                (7, 1),
                (7, 2),
                (7, 3)
            ]
            .map(|(at, e)| (t(at), e))
        );
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
