//! The one event queue: ordered by (time, sequence number), so simultaneous events fire in the
//! order they were scheduled (nexosim's key + monotonically increasing epoch).
//!
//! The heap holds only small keys `(time, seq, slot)`; events live in a slab indexed by slot,
//! so sifting moves 24 bytes whatever the event's size. Cancellation empties the slot at once
//! (O(1), no hashing); the stale key is dropped when it reaches the head, recognised because
//! the slot no longer holds that sequence number.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

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
            slots: Vec::with_capacity(capacity),
            free: Vec::new(),
            next_seq: 0,
            live: 0,
        }
    }

    pub fn schedule(&mut self, time: SimTime, event: E) -> TimerId {
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
        self.heap.push(Reverse((time.as_nanos(), seq, slot)));
        self.live += 1;
        TimerId { seq, slot }
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
            let Reverse((time, seq, slot)) = self.heap.pop()?;
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
            let &Reverse((time, seq, slot)) = self.heap.peek()?;
            let s = &self.slots[slot as usize];
            if s.seq == seq && s.event.is_some() {
                return Some(SimTime::from_nanos(time));
            }
            self.heap.pop();
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
