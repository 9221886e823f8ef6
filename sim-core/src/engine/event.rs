//! The closed set of things that can happen in a run. Events carry dense ids, not objects, so
//! the queue stays small and cheap to reorder.

use crate::cluster::{NodeId, PodId};
use crate::kubelet::KubeletTimer;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// Scenario action number `n` (in file order) fires.
    Action(u32),
    /// The scheduler runs one scheduling cycle.
    SchedulerCycle,
    /// A queued pod's back-off or the unschedulable flush is due.
    SchedulerWakeup,
    /// The scheduler's pod informer delivers a pod that needs scheduling (watch latency
    /// after its creation or the removal of its last scheduling gate).
    SchedulerWatch(PodId),
    /// The Bind call for `pod` completes: `spec.nodeName` is set.
    Bind { pod: PodId, node: NodeId },
    /// The kubelet of `node` sees, through its watch, that `pod` changed.
    KubeletWatch {
        node: NodeId,
        pod: PodId,
        change: WatchChange,
    },
    /// A kubelet timer fires.
    Kubelet { node: NodeId, timer: KubeletTimer },
    /// A timed registry outage ends.
    RegistryRecovery,
    /// A controller wake-up.
    Controller(super::controllers::ControllerEvent),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum WatchChange {
    /// The pod was bound to the node.
    Assigned,
    /// The pod got a deletionTimestamp with this grace period.
    Deletion { grace_period_seconds: i64 },
    /// The pod object was removed (force deletion).
    Removed,
    /// The pod's spec changed (an accepted update: container images).
    Updated,
}
