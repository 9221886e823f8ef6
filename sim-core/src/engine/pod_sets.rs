//! Per-pod engine bookkeeping indexed by the dense `PodId` instead of ordered maps: the set of
//! pods touched in a batch and each pod's pending kubelet timers are updated at nearly every
//! event, so they are plain vectors.

use crate::cluster::PodId;

use super::TimerId;

/// The pods touched in the current batch, handed out in id order (as a `BTreeSet` would).
#[derive(Default)]
pub struct DirtyPods {
    marked: Vec<bool>,
    list: Vec<PodId>,
}

impl DirtyPods {
    pub fn insert(&mut self, id: PodId) {
        let i = id.0 as usize;
        if i >= self.marked.len() {
            self.marked.resize(i + 1, false);
        }
        if !self.marked[i] {
            self.marked[i] = true;
            self.list.push(id);
        }
    }

    /// Unmarks `id`; true when it was marked.
    pub fn remove(&mut self, id: PodId) -> bool {
        match self.marked.get_mut(id.0 as usize) {
            Some(m) if *m => {
                *m = false;
                true
            }
            _ => false,
        }
    }

    /// Moves the marked pods, in id order, into `out` (cleared first) and unmarks them.
    pub fn drain_sorted(&mut self, out: &mut Vec<PodId>) {
        out.clear();
        self.list.sort_unstable();
        for id in self.list.drain(..) {
            if let Some(m) = self.marked.get_mut(id.0 as usize)
                && *m
            {
                *m = false;
                out.push(id);
            }
        }
    }
}

/// The pending kubelet timers of each pod, cancelled when the pod is gone.
#[derive(Default)]
pub struct PodTimers {
    by_pod: Vec<Vec<TimerId>>,
}

impl PodTimers {
    pub fn add(&mut self, pod: PodId, timer: TimerId) {
        let i = pod.0 as usize;
        if i >= self.by_pod.len() {
            self.by_pod.resize_with(i + 1, Vec::new);
        }
        self.by_pod[i].push(timer);
    }

    /// The timer fired: it is no longer pending.
    pub fn fired(&mut self, pod: PodId, timer: TimerId) {
        if let Some(timers) = self.by_pod.get_mut(pod.0 as usize)
            && let Some(k) = timers.iter().position(|t| *t == timer)
        {
            timers.swap_remove(k);
        }
    }

    /// Takes every pending timer of `pod`.
    pub fn take(&mut self, pod: PodId) -> Vec<TimerId> {
        self.by_pod
            .get_mut(pod.0 as usize)
            .map(std::mem::take)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EventQueue;
    use crate::time::SimTime;

    #[test]
    fn dirty_pods_come_out_once_in_id_order() {
        let mut d = DirtyPods::default();
        for id in [5, 2, 9, 2, 5] {
            d.insert(PodId(id));
        }
        assert!(d.remove(PodId(9)));
        assert!(!d.remove(PodId(9)));
        d.insert(PodId(1));
        let mut out = Vec::new();
        d.drain_sorted(&mut out);
        assert_eq!(out, vec![PodId(1), PodId(2), PodId(5)]);
        d.drain_sorted(&mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn pod_timers_forget_fired_ones() {
        let mut q = EventQueue::new();
        let (a, b) = (q.schedule(SimTime::ZERO, ()), q.schedule(SimTime::ZERO, ()));
        let mut t = PodTimers::default();
        t.add(PodId(3), a);
        t.add(PodId(3), b);
        t.fired(PodId(3), a);
        assert_eq!(t.take(PodId(3)), vec![b]);
        assert!(t.take(PodId(3)).is_empty());
        assert!(t.take(PodId(7)).is_empty());
    }
}
