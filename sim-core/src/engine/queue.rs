//! The one event queue: ordered by (time, sequence number), so simultaneous events fire in the
//! order they were scheduled (nexosim's key + monotonically increasing epoch).
//!
//! The heap holds only small keys `(time, seq, slot)`; events live in a slab indexed by slot,
//! so sifting moves 24 bytes whatever the event's size. Cancellation empties the slot at once
//! (O(1), no hashing); the stale key is dropped when it reaches the head, recognised because
//! the slot no longer holds that sequence number.
//!
//! Events scheduled in time order up front (a scenario's timed actions, tens of thousands in a
//! large run) wait in a FIFO lane beside the heap instead of deepening it; the next event is
//! the smaller of the two heads by (time, seq), so the order is exactly the heap-only order.

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

/// A min-queue of events keyed by (time, insertion sequence).
pub struct EventQueue<E> {
    heap: BinaryHeap<Reverse<(u64, u64, u32)>>,
    /// Keys in (time, seq) order, from `schedule_in_order`.
    lane: VecDeque<(u64, u64, u32)>,
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
            lane: VecDeque::new(),
            slots: Vec::with_capacity(capacity),
            free: Vec::new(),
            next_seq: 0,
            live: 0,
        }
    }

    pub fn schedule(&mut self, time: SimTime, event: E) -> TimerId {
        let id = self.store(event);
        self.heap.push(Reverse((time.as_nanos(), id.seq, id.slot)));
        id
    }

    /// The same, for events scheduled in time order (each at or after the previous one given
    /// here): they wait in the lane, outside the heap. An event out of order goes to the heap.
    pub fn schedule_in_order(&mut self, time: SimTime, event: E) -> TimerId {
        let t = time.as_nanos();
        if self.lane.back().is_some_and(|&(last, _, _)| t < last) {
            return self.schedule(time, event);
        }
        let id = self.store(event);
        self.lane.push_back((t, id.seq, id.slot));
        id
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

    /// The smallest key of the heap and the lane.
    fn peek_key(&self) -> Option<(u64, u64, u32)> {
        let heap = self.heap.peek().map(|r| r.0);
        match (heap, self.lane.front().copied()) {
            (Some(h), Some(l)) => Some(h.min(l)),
            (h, l) => h.or(l),
        }
    }

    /// Removes the smallest key of the heap and the lane.
    fn pop_key(&mut self) -> Option<(u64, u64, u32)> {
        let heap = self.heap.peek().map(|r| r.0);
        match (heap, self.lane.front()) {
            (Some(h), Some(l)) if h < *l => self.heap.pop().map(|r| r.0),
            (_, Some(_)) => self.lane.pop_front(),
            (Some(_), None) => self.heap.pop().map(|r| r.0),
            (None, None) => None,
        }
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
            return Some((SimTime::from_nanos(time), TimerId { seq, slot }, event));
        }
    }

    /// The time of the earliest live event, dropping cancelled keys at the head.
    pub fn peek_time(&mut self) -> Option<SimTime> {
        loop {
            let (time, seq, slot) = self.peek_key()?;
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
