//! The end of a scheduling cycle and the binding cycle (pkg/scheduler/schedule_one.go
//! schedulingCycle after selectHost, bindingCycle; framework/runtime/framework.go
//! RunReservePlugins*, RunPermitPlugins, WaitOnPermit, RunPreBindPlugins, RunBindPlugins;
//! waiting_pods_map.go): Reserve in order (Unreserve of every Reserve plugin in reverse
//! order on any later failure), Permit (Allow, Reject, or Wait with a timeout on the virtual
//! clock until another cycle's Permit allows the pod), then PreBind and Bind.
//!
//! kubesim decides PreBind and Bind when the binding cycle starts; the API write itself lands
//! `timings.bindingLatency` later (the engine's Bind event).

use crate::cluster::{NodeId, PodId, PodRecord};
use crate::time::{SimDuration, SimTime};

use super::framework::{Code, Snapshot, Status};

/// framework.ReservePlugin.
pub trait ReservePlugin {
    fn name(&self) -> &'static str;
    fn reserve(&mut self, pod: &PodRecord, node: NodeId, s: Snapshot<'_>) -> Status;
    /// Undoes `reserve`; called for every Reserve plugin, in reverse order, when the pod's
    /// cycle fails after Reserve (also for plugins whose Reserve did not run or failed).
    fn unreserve(&mut self, pod: &PodRecord, node: NodeId, s: Snapshot<'_>);
}

/// What a Permit plugin answers (framework.PermitPlugin's status and timeout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PermitDecision {
    Allow,
    /// Hold the pod (reserved on its node) until allowed, or rejected when `timeout` passes.
    Wait(SimDuration),
    Reject(Status),
}

/// framework.PermitPlugin. `waiting` is the framework handle's view of the pods waiting at
/// Permit, so a plugin can allow the ones it held (e.g. when a gang is complete).
pub trait PermitPlugin {
    fn name(&self) -> &'static str;
    fn permit(
        &mut self,
        pod: &PodRecord,
        node: NodeId,
        s: Snapshot<'_>,
        waiting: &mut WaitingPods,
    ) -> PermitDecision;
}

/// framework.PreBindPlugin.
pub trait PreBindPlugin {
    fn name(&self) -> &'static str;
    fn pre_bind(&mut self, pod: &PodRecord, node: NodeId, s: Snapshot<'_>) -> Status;
}

/// framework.BindPlugin: `Skip` hands the pod to the next Bind plugin.
pub trait BindPlugin {
    fn name(&self) -> &'static str;
    fn bind(&mut self, pod: &PodRecord, node: NodeId, s: Snapshot<'_>) -> Status;
}

/// defaultbinder.DefaultBinder: binds through the API (the engine writes `spec.nodeName`).
pub struct DefaultBinder;

impl BindPlugin for DefaultBinder {
    fn name(&self) -> &'static str {
        "DefaultBinder"
    }

    fn bind(&mut self, _: &PodRecord, _: NodeId, _: Snapshot<'_>) -> Status {
        Status::SUCCESS
    }
}

/// waiting_pods_map.go maxTimeout: a Permit wait is capped at 15 minutes.
const MAX_PERMIT_TIMEOUT: SimDuration = SimDuration::from_mins(15);

/// A pod held at Permit.
#[derive(Clone, Debug)]
pub struct WaitingPod {
    pub pod: PodId,
    pub node: NodeId,
    profile: usize,
    /// Plugins that said Wait and have not allowed it yet, with their deadlines and timeouts.
    pending: Vec<(&'static str, SimTime, SimDuration)>,
    rejected: Option<String>,
}

/// The pods waiting at Permit, in the order they started waiting.
#[derive(Clone, Debug, Default)]
pub struct WaitingPods {
    pods: Vec<WaitingPod>,
}

impl WaitingPod {
    pub(super) fn profile_index(&self) -> usize {
        self.profile
    }
}

impl WaitingPods {
    /// (pod, node) of every waiting pod.
    pub fn iter(&self) -> impl Iterator<Item = (PodId, NodeId)> + '_ {
        self.pods.iter().map(|w| (w.pod, w.node))
    }

    /// waitingPod.Allow: `plugin` lets the pod go; it binds once no plugin holds it.
    pub fn allow(&mut self, pod: PodId, plugin: &str) {
        if let Some(w) = self.pods.iter_mut().find(|w| w.pod == pod) {
            w.pending.retain(|(p, _, _)| *p != plugin);
        }
    }

    /// waitingPod.Reject: an Unschedulable status with `message` from `plugin`.
    pub fn reject(&mut self, pod: PodId, _plugin: &str, message: &str) {
        if let Some(w) = self.pods.iter_mut().find(|w| w.pod == pod) {
            w.rejected = Some(message.to_string());
        }
    }

    /// A waiting pod whose wait is over without a timer: allowed or rejected.
    pub fn has_resolved(&self) -> bool {
        self.pods
            .iter()
            .any(|w| w.pending.is_empty() || w.rejected.is_some())
    }

    /// The earliest Permit timeout.
    pub fn next_deadline(&self) -> Option<SimTime> {
        self.pods
            .iter()
            .flat_map(|w| w.pending.iter().map(|(_, t, _)| *t))
            .min()
    }

    pub fn remove(&mut self, pod: PodId) -> Option<WaitingPod> {
        let i = self.pods.iter().position(|w| w.pod == pod)?;
        Some(self.pods.remove(i))
    }

    /// The first waiting pod whose wait ended by `now`: (pod, node, profile, rejection).
    pub(super) fn take_resolved(
        &mut self,
        now: SimTime,
    ) -> Option<(PodId, NodeId, usize, Option<String>)> {
        let i = self.pods.iter().position(|w| {
            w.rejected.is_some()
                || w.pending.is_empty()
                || w.pending.iter().any(|(_, t, _)| *t <= now)
        })?;
        let w = self.pods.remove(i);
        let rejection = w.rejected.or_else(|| {
            w.pending
                .iter()
                .filter(|(_, t, _)| *t <= now)
                .min_by_key(|(_, t, _)| *t)
                .map(|(plugin, _, timeout)| {
                    format!("rejected due to timeout after waiting {timeout} at plugin {plugin}")
                })
        });
        Some((w.pod, w.node, w.profile, rejection))
    }
}

/// How the cycle ended for a pod on its selected node.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BindingOutcome {
    Bound,
    Waiting,
    /// `reason` is the PodScheduled condition's: `Unschedulable` for a plugin's rejection,
    /// `SchedulerError` for a plugin error.
    Failed {
        reason: &'static str,
        message: String,
    },
}

/// v1.PodReasonSchedulerError: the PodScheduled reason of a plugin error.
pub const REASON_SCHEDULER_ERROR: &str = "SchedulerError";

fn failed(reason: &'static str, message: String) -> BindingOutcome {
    BindingOutcome::Failed { reason, message }
}

fn rejected(s: &Status) -> bool {
    matches!(
        s.code,
        Code::Unschedulable | Code::UnschedulableAndUnresolvable
    )
}

fn reasons(s: &Status) -> String {
    s.reasons().collect::<Vec<_>>().join(", ")
}

/// A Permit rejection, at Permit or while waiting on it, fails the pod as a FitError over the
/// one node it was assumed on (schedule_one.go: `FitError{NumAllNodes: 1}` with the node's
/// status): `0/1 nodes are available: 1 <reason>.`
pub fn permit_fit_error<'a>(reasons: impl IntoIterator<Item = &'a str>) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for r in reasons {
        *counts.entry(r.to_string()).or_insert(0) += 1;
    }
    super::message::reasons_message(1, &counts)
}

/// A profile's Reserve, Permit, PreBind and Bind plugins.
pub struct BindingPlugins {
    pub reserve: Vec<Box<dyn ReservePlugin>>,
    pub permit: Vec<Box<dyn PermitPlugin>>,
    pub pre_bind: Vec<Box<dyn PreBindPlugin>>,
    pub bind: Vec<Box<dyn BindPlugin>>,
}

impl Default for BindingPlugins {
    /// The default profile: DefaultBinder only (VolumeBinding has nothing to do).
    fn default() -> Self {
        BindingPlugins {
            reserve: Vec::new(),
            permit: Vec::new(),
            pre_bind: Vec::new(),
            bind: vec![Box::new(DefaultBinder)],
        }
    }
}

impl BindingPlugins {
    /// Nothing but DefaultBinder: the cycle can only bind (the fast path).
    pub fn only_default_binder(&self) -> bool {
        self.reserve.is_empty() && self.permit.is_empty() && self.pre_bind.is_empty()
    }

    pub fn unreserve(&mut self, pod: &PodRecord, node: NodeId, s: Snapshot<'_>) {
        for p in self.reserve.iter_mut().rev() {
            p.unreserve(pod, node, s);
        }
    }

    /// Reserve and Permit for `pod` on `node`, then (if allowed) the binding cycle.
    pub fn start(
        &mut self,
        pod: &PodRecord,
        node: NodeId,
        s: Snapshot<'_>,
        now: SimTime,
        profile: usize,
        waiting: &mut WaitingPods,
    ) -> BindingOutcome {
        for i in 0..self.reserve.len() {
            let st = self.reserve[i].reserve(pod, node, s);
            if !st.is_success() {
                let name = self.reserve[i].name();
                self.unreserve(pod, node, s);
                return failed(
                    REASON_SCHEDULER_ERROR,
                    format!("running Reserve plugin {name:?}: {}", reasons(&st)),
                );
            }
        }
        let mut pending = Vec::new();
        for p in &mut self.permit {
            match p.permit(pod, node, s, waiting) {
                PermitDecision::Allow => {}
                PermitDecision::Wait(t) => {
                    let t = t.min(MAX_PERMIT_TIMEOUT);
                    pending.push((p.name(), now + t, t));
                }
                PermitDecision::Reject(st) => {
                    let name = p.name();
                    self.unreserve(pod, node, s);
                    return if rejected(&st) {
                        failed("Unschedulable", permit_fit_error(st.reasons()))
                    } else {
                        failed(
                            REASON_SCHEDULER_ERROR,
                            format!("running Permit plugin {name:?}: {}", reasons(&st)),
                        )
                    };
                }
            }
        }
        if !pending.is_empty() {
            waiting.pods.push(WaitingPod {
                pod: pod.id,
                node,
                profile,
                pending,
                rejected: None,
            });
            return BindingOutcome::Waiting;
        }
        self.bind(pod, node, s)
    }

    /// bindingCycle after WaitOnPermit: PreBind in order, then the Bind plugins until one
    /// does not Skip.
    pub fn bind(&mut self, pod: &PodRecord, node: NodeId, s: Snapshot<'_>) -> BindingOutcome {
        for p in &mut self.pre_bind {
            let st = p.pre_bind(pod, node, s);
            if !st.is_success() {
                let name = p.name();
                self.unreserve(pod, node, s);
                return failed(
                    REASON_SCHEDULER_ERROR,
                    format!("running PreBind plugin {name:?}: {}", reasons(&st)),
                );
            }
        }
        for p in &mut self.bind {
            let st = p.bind(pod, node, s);
            if st.code == Code::Skip {
                continue;
            }
            if st.is_success() {
                return BindingOutcome::Bound;
            }
            let name = p.name();
            self.unreserve(pod, node, s);
            return failed(
                REASON_SCHEDULER_ERROR,
                format!("running Bind plugin {name:?}: {}", reasons(&st)),
            );
        }
        self.unreserve(pod, node, s);
        failed(
            REASON_SCHEDULER_ERROR,
            "all bind plugins skipped to bind the pod".to_string(),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::*;
    use crate::scheduler::testutil::{TestCluster, node, pod};

    /// Records the calls it gets; `fail` makes Reserve fail.
    struct Recorder {
        name: &'static str,
        fail: bool,
        calls: Rc<RefCell<Vec<String>>>,
    }

    impl ReservePlugin for Recorder {
        fn name(&self) -> &'static str {
            self.name
        }
        fn reserve(&mut self, _: &PodRecord, _: NodeId, _: Snapshot<'_>) -> Status {
            self.calls
                .borrow_mut()
                .push(format!("reserve {}", self.name));
            if self.fail {
                Status::unschedulable("no room in the ledger")
            } else {
                Status::SUCCESS
            }
        }
        fn unreserve(&mut self, _: &PodRecord, _: NodeId, _: Snapshot<'_>) {
            self.calls
                .borrow_mut()
                .push(format!("unreserve {}", self.name));
        }
    }

    /// A Permit plugin named `.0` that always answers `.1`.
    struct Fixed(&'static str, PermitDecision);

    impl PermitPlugin for Fixed {
        fn name(&self) -> &'static str {
            self.0
        }
        fn permit(
            &mut self,
            _: &PodRecord,
            _: NodeId,
            _: Snapshot<'_>,
            _: &mut WaitingPods,
        ) -> PermitDecision {
            self.1.clone()
        }
    }

    fn wait_for(timeout: SimDuration) -> Box<Fixed> {
        Box::new(Fixed("WaitFor", PermitDecision::Wait(timeout)))
    }

    fn setup() -> (TestCluster, PodRecord) {
        let tc = TestCluster::new(vec![node("n1", 4000, 1 << 30, &[])], vec![]);
        (
            tc,
            pod("p", "default", &[], "containers: [{name: c, image: x}]"),
        )
    }

    /// framework_test.go TestReservePlugins / TestUnreservePlugins: a failed Reserve runs
    /// every Reserve plugin's Unreserve in reverse order, with the "running Reserve plugin"
    /// error.
    #[test]
    fn failed_reserve_unreserves_in_reverse_order() {
        let (tc, p) = setup();
        let calls = Rc::new(RefCell::new(Vec::new()));
        let mut b = BindingPlugins::default();
        for (name, fail) in [("A", false), ("B", true)] {
            b.reserve.push(Box::new(Recorder {
                name,
                fail,
                calls: Rc::clone(&calls),
            }));
        }
        let mut waiting = WaitingPods::default();
        let out = b.start(&p, NodeId(0), tc.snapshot(), SimTime::ZERO, 0, &mut waiting);
        assert_eq!(
            out,
            BindingOutcome::Failed {
                reason: "SchedulerError",
                message: "running Reserve plugin \"B\": no room in the ledger".into()
            }
        );
        assert_eq!(
            *calls.borrow(),
            ["reserve A", "reserve B", "unreserve B", "unreserve A"]
        );
    }

    /// schedule_one.go schedulingCycle: a Permit plugin's rejection unreserves and fails the
    /// pod with a FitError over its one node.
    #[test]
    fn permit_rejection_is_a_fit_error_over_one_node() {
        let (tc, p) = setup();
        let mut b = BindingPlugins::default();
        b.permit.push(Box::new(Fixed(
            "Deny",
            PermitDecision::Reject(Status::unschedulable("gang incomplete")),
        )));
        let mut waiting = WaitingPods::default();
        let out = b.start(&p, NodeId(0), tc.snapshot(), SimTime::ZERO, 0, &mut waiting);
        assert_eq!(
            out,
            BindingOutcome::Failed {
                reason: "Unschedulable",
                message: "0/1 nodes are available: 1 gang incomplete.".into()
            }
        );
    }

    /// waiting_pods_map.go: a Wait is capped at 15 minutes and times out with upstream's
    /// message; an allow from every waiting plugin releases the pod.
    #[test]
    fn permit_wait_times_out_or_is_allowed() {
        let (tc, p) = setup();
        let mut b = BindingPlugins::default();
        b.permit.push(wait_for(SimDuration::from_secs(10)));
        let mut waiting = WaitingPods::default();
        let t0 = SimTime::ZERO;
        let out = b.start(&p, NodeId(0), tc.snapshot(), t0, 0, &mut waiting);
        assert_eq!(out, BindingOutcome::Waiting);
        assert_eq!(
            waiting.next_deadline(),
            Some(t0 + SimDuration::from_secs(10))
        );
        assert!(
            waiting
                .take_resolved(t0 + SimDuration::from_secs(9))
                .is_none()
        );
        let (_, _, _, rejection) = waiting
            .take_resolved(t0 + SimDuration::from_secs(10))
            .expect("timed out");
        assert_eq!(
            rejection.as_deref(),
            Some("rejected due to timeout after waiting 10s at plugin WaitFor")
        );

        b.permit[0] = wait_for(SimDuration::from_mins(60));
        b.start(&p, NodeId(0), tc.snapshot(), t0, 0, &mut waiting);
        assert_eq!(
            waiting.next_deadline(),
            Some(t0 + SimDuration::from_mins(15))
        );
        waiting.allow(p.id, "WaitFor");
        assert!(waiting.has_resolved());
        let (_, _, _, rejection) = waiting.take_resolved(t0).expect("allowed");
        assert_eq!(rejection, None);
        assert_eq!(b.bind(&p, NodeId(0), tc.snapshot()), BindingOutcome::Bound);
    }
}
