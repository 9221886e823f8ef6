//! The scheduler's informer handlers (pkg/scheduler/eventhandlers.go, v1.33 with
//! SchedulerQueueingHints on) and the queue's use of queueing hints
//! (scheduling_queue.go MoveAllToActiveOrBackoffQueue, isPodWorthRequeuing, Update).

use crate::cluster::{Cluster, NodeId, PodRecord};
use crate::time::SimTime;

use super::events::{
    ActionType, ClusterEventType, EventObject, EventResource, QueueEvent, QueueingHint,
    node_scheduling_properties_change,
};
use super::queue::{QueuedPodInfo, QueueingStrategy};
use super::{ClusterEvent, DefaultScheduler, Snapshot};

/// framework.PodSchedulingPropertiesChange: the update action types from `old` to `new`,
/// `updatePodOther` when none of them changed.
pub fn pod_scheduling_properties_change(old: &PodRecord, new: &PodRecord) -> Vec<ActionType> {
    let mut out = Vec::new();
    if old.pod.metadata.labels != new.pod.metadata.labels {
        out.push(ActionType::UPDATE_POD_LABEL);
    }
    let (o, n) = (&old.requests.requested, &new.requests.requested);
    let scalar_down = o
        .scalar
        .iter()
        .any(|(k, v)| n.scalar.get(k).is_none_or(|nv| nv < v));
    if o.milli_cpu > n.milli_cpu
        || o.memory > n.memory
        || o.ephemeral_storage > n.ephemeral_storage
        || scalar_down
    {
        out.push(ActionType::UPDATE_POD_SCALE_DOWN);
    }
    if new.pod.spec.scheduling_gates.is_empty() && !old.pod.spec.scheduling_gates.is_empty() {
        out.push(ActionType::UPDATE_POD_SCHEDULING_GATES_ELIMINATED);
    }
    if new.pod.spec.tolerations.len() != old.pod.spec.tolerations.len() {
        out.push(ActionType::UPDATE_POD_TOLERATION);
    }
    if out.is_empty() {
        out.push(ActionType::UPDATE_POD_OTHER);
    }
    out
}

fn is_assigned(p: &PodRecord) -> bool {
    p.node.is_some() || p.assumed_node.is_some()
}

fn priority(p: &PodRecord) -> i32 {
    p.pod.spec.priority.unwrap_or(0)
}

impl DefaultScheduler {
    pub(super) fn handle_event(&mut self, now: SimTime, event: ClusterEvent<'_>, c: &Cluster) {
        match event {
            ClusterEvent::PodAdded(id) => {
                // Pods for another scheduler are not this scheduler's to queue
                // (eventhandlers.go responsibleForPod).
                if let Some(p) = c.pod(id)
                    && self.profile_index(&p.pod.spec.scheduler_name).is_some()
                {
                    self.queue.add(now, id, priority(p));
                }
            }
            ClusterEvent::PodBound(id) => {
                if let Some(p) = c.pod(id) {
                    let e = QueueEvent {
                        kind: ClusterEventType::ASSIGNED_POD_ADD,
                        old: EventObject::None,
                        new: EventObject::Pod(p),
                    };
                    self.move_all(now, &e, c, |_| true);
                }
            }
            ClusterEvent::PodUpdated { id, old } => {
                if let Some(new) = c.pod(id) {
                    self.pod_updated(now, old, new, c);
                }
            }
            ClusterEvent::PodTerminated(id) => {
                if let Some(p) = c.pod(id) {
                    self.assigned_pod_deleted(now, p, c);
                }
            }
            ClusterEvent::PodDeleted { id, pod } => {
                self.queue.remove(id);
                self.nominator.remove(id);
                if pod.status.phase.is_terminal() {
                    // Already gone for the scheduler when it turned terminal.
                    return;
                }
                if let Some(w) = self.waiting.remove(id) {
                    let snapshot = Snapshot {
                        cluster: c,
                        cache: &self.cache,
                    };
                    self.profiles[w.profile_index()]
                        .binding
                        .unreserve(pod, w.node, snapshot);
                    // deletePodFromSchedulingQueue: a rejected waiting pod was assumed.
                    self.assigned_pod_deleted(now, pod, c);
                } else if is_assigned(pod) {
                    self.assigned_pod_deleted(now, pod, c);
                } else if !pod.status.nominated_node_name.is_empty() {
                    // Its nomination held room for it: lower or equal priority pods may fit.
                    let prio = priority(pod);
                    let e = assigned_pod_delete(pod);
                    self.move_all(now, &e, c, |p| priority(p) <= prio);
                }
            }
            ClusterEvent::NodeChanged(id) => self.node_changed(now, id, c),
        }
    }

    /// A lower-priority pod's nomination cleared by preemption (its status update).
    pub(super) fn nomination_cleared(&mut self, now: SimTime, pod: &PodRecord, c: &Cluster) {
        let prio = priority(pod);
        self.move_all(now, &assigned_pod_delete(pod), c, |p| priority(p) <= prio);
    }

    /// deletePodFromCache: EventAssignedPodDelete with the pod as the old object.
    fn assigned_pod_deleted(&mut self, now: SimTime, pod: &PodRecord, c: &Cluster) {
        self.move_all(now, &assigned_pod_delete(pod), c, |_| true);
    }

    /// updatePodInCache / updatePodInSchedulingQueue.
    fn pod_updated(&mut self, now: SimTime, old: &PodRecord, new: &PodRecord, c: &Cluster) {
        let resource = EventResource::Pod;
        let changes = pod_scheduling_properties_change(old, new);
        if is_assigned(new) {
            for action in changes {
                let e = QueueEvent {
                    kind: ClusterEventType::new(resource, action),
                    old: EventObject::Pod(old),
                    new: EventObject::Pod(new),
                };
                self.move_all(now, &e, c, |_| true);
            }
            return;
        }
        // PriorityQueue.Update: a pod in the unschedulable pool is re-evaluated against its own
        // update, and moves at the first event that may make it schedulable.
        if let Some(info) = self.queue.unschedulable_info(new.id).cloned() {
            for action in changes {
                let e = QueueEvent {
                    kind: ClusterEventType::new(resource, action),
                    old: EventObject::Pod(old),
                    new: EventObject::Pod(new),
                };
                let strategy = self.is_pod_worth_requeuing(&info, new, &e, c);
                if strategy != QueueingStrategy::Skip {
                    self.queue.move_pods(now, &[(new.id, strategy)]);
                    break;
                }
            }
        }
        if !old.status.nominated_node_name.is_empty()
            && old.status.nominated_node_name != new.status.nominated_node_name
        {
            let prio = priority(old);
            self.move_all(now, &assigned_pod_delete(old), c, |p| priority(p) <= prio);
        }
    }

    /// addNodeToCache / updateNodeInCache (one move per NodeSchedulingPropertiesChange
    /// event) / deleteNodeFromCache, against the scheduler's copy of the node.
    fn node_changed(&mut self, now: SimTime, id: NodeId, c: &Cluster) {
        let new = c.node(id);
        let old = self.nodes.remove(&id);
        if new.deleted {
            if let Some(old) = old {
                let e = QueueEvent {
                    kind: ClusterEventType::NODE_DELETE,
                    old: EventObject::Node(&old),
                    new: EventObject::None,
                };
                self.move_all(now, &e, c, |_| true);
            }
            return;
        }
        match &old {
            None => {
                let e = QueueEvent {
                    kind: ClusterEventType::NODE_ADD,
                    old: EventObject::None,
                    new: EventObject::Node(new),
                };
                self.move_all(now, &e, c, |_| true);
            }
            Some(old) => {
                for kind in node_scheduling_properties_change(old, new) {
                    let e = QueueEvent {
                        kind,
                        old: EventObject::Node(old),
                        new: EventObject::Node(new),
                    };
                    self.move_all(now, &e, c, |_| true);
                }
            }
        }
        // The old object of the next update; the pods on it are not part of the Node.
        let mut copy = new.clone();
        copy.pods.clear();
        self.nodes.insert(id, copy);
    }

    /// MoveAllToActiveOrBackoffQueue: every pod of the unschedulable pool that passes
    /// `pre_check` goes where its rejecting plugins' hints send it.
    fn move_all(
        &mut self,
        now: SimTime,
        e: &QueueEvent<'_>,
        c: &Cluster,
        pre_check: impl Fn(&PodRecord) -> bool,
    ) {
        if !self.is_event_of_interest(&e.kind) {
            return;
        }
        self.queue.note_event_in_flight();
        let moves: Vec<_> = self
            .queue
            .unschedulable_pods()
            .filter_map(|(id, info)| {
                let pod = c.pod(id)?;
                pre_check(pod).then(|| (id, self.is_pod_worth_requeuing(info, pod, e, c)))
            })
            .collect();
        self.queue.move_pods(now, &moves);
    }

    /// isEventOfInterest: some plugin of some profile registered for the event.
    fn is_event_of_interest(&self, kind: &ClusterEventType) -> bool {
        kind.is_wildcard()
            || self.profiles.iter().any(|p| {
                !p.binding.only_default_binder()
                    || p.filter_plugins()
                        .any(|f| f.events_to_register().iter().any(|r| r.matches(kind)))
            })
    }

    /// isPodWorthRequeuing: AfterBackoff when no plugin rejected the pod (an error), for a
    /// wildcard event, or when a rejecting plugin registered for the event and its hint says
    /// Queue; Skip otherwise.
    fn is_pod_worth_requeuing(
        &self,
        info: &QueuedPodInfo,
        pod: &PodRecord,
        e: &QueueEvent<'_>,
        c: &Cluster,
    ) -> QueueingStrategy {
        if info.unschedulable_plugins.is_empty() || e.kind.is_wildcard() {
            return QueueingStrategy::AfterBackoff;
        }
        let Some(pi) = self.profile_index(&pod.pod.spec.scheduler_name) else {
            return QueueingStrategy::AfterBackoff;
        };
        let profile = &self.profiles[pi];
        for &name in &info.unschedulable_plugins {
            let queue = match profile.filter_plugins().find(|f| f.name() == name) {
                Some(f) => {
                    let snapshot = Snapshot {
                        cluster: c,
                        cache: &self.cache,
                    };
                    f.events_to_register().iter().any(|r| r.matches(&e.kind))
                        && f.queueing_hint(pod, e, snapshot) == QueueingHint::Queue
                }
                // A Reserve/Permit/PreBind plugin: registered for every event, no hint.
                None => true,
            };
            if queue {
                return QueueingStrategy::AfterBackoff;
            }
        }
        QueueingStrategy::Skip
    }
}

fn assigned_pod_delete(pod: &PodRecord) -> QueueEvent<'_> {
    QueueEvent {
        kind: ClusterEventType::ASSIGNED_POD_DELETE,
        old: EventObject::Pod(pod),
        new: EventObject::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::NodeId;
    use crate::scheduler::framework::FilterPlugin;
    use crate::scheduler::plugins::{
        inter_pod_affinity::InterPodAffinity, node_affinity::NodeAffinity,
        node_resources_fit::NodeResourcesFit, node_unschedulable::NodeUnschedulable,
        pod_topology_spread::PodTopologySpread, taint_toleration::TaintToleration,
    };
    use crate::scheduler::testutil::{TestCluster, node, pod};
    use QueueingHint::{Queue, QueueSkip};

    fn node_event<'a>(
        action: ActionType,
        old: Option<&'a NodeRecord>,
        new: Option<&'a NodeRecord>,
    ) -> QueueEvent<'a> {
        QueueEvent {
            kind: ClusterEventType::new(EventResource::Node, action),
            old: old.map_or(EventObject::None, EventObject::Node),
            new: new.map_or(EventObject::None, EventObject::Node),
        }
    }

    fn pod_event<'a>(
        action: ActionType,
        old: Option<&'a PodRecord>,
        new: Option<&'a PodRecord>,
    ) -> QueueEvent<'a> {
        QueueEvent {
            kind: ClusterEventType::new(EventResource::Pod, action),
            old: old.map_or(EventObject::None, EventObject::Pod),
            new: new.map_or(EventObject::None, EventObject::Pod),
        }
    }

    fn hint(plugin: &dyn FilterPlugin, p: &PodRecord, e: &QueueEvent<'_>) -> QueueingHint {
        let tc = TestCluster::new(Vec::new(), Vec::new());
        assert!(
            plugin
                .events_to_register()
                .iter()
                .any(|r| r.matches(&e.kind)),
            "{} does not register {:?}",
            plugin.name(),
            e.kind
        );
        plugin.queueing_hint(p, e, tc.snapshot())
    }

    /// A scheduled pod other than the one being scheduled (which keeps id 0).
    fn bound(mut p: PodRecord) -> PodRecord {
        p.id = crate::cluster::PodId(99);
        p.node = Some(NodeId(0));
        p
    }

    use crate::cluster::NodeRecord;

    /// noderesources/fit_test.go TestFit_isSchedulableAfterNodeChange and
    /// TestFit_isSchedulableAfterPodEvent (deletions).
    #[test]
    fn node_resources_fit_hints() {
        let p = pod(
            "p",
            "default",
            &[],
            "containers: [{name: c, resources: {requests: {cpu: '1', memory: '2'}}}]",
        );
        let fits = node("fits", 1000, 2, &[]);
        let small = node("small", 999, 2, &[]);
        let bigger = node("bigger", 2000, 2, &[]);
        let add = ActionType::ADD;
        let alloc = ActionType::UPDATE_NODE_ALLOCATABLE;
        let cases: Vec<(&str, QueueEvent<'_>, QueueingHint)> = vec![
            (
                "queue-on-node-add",
                node_event(add, None, Some(&fits)),
                Queue,
            ),
            (
                "skip-queue-on-node-add-insufficient-resources",
                node_event(add, None, Some(&small)),
                QueueSkip,
            ),
            (
                "skip-queue-on-node-unrelated-changes",
                node_event(alloc, Some(&fits), Some(&fits)),
                QueueSkip,
            ),
            (
                "queue-on-pod-requested-resources-increase",
                node_event(alloc, Some(&fits), Some(&bigger)),
                Queue,
            ),
            (
                "skip-queue-on-node-changes-from-suitable-to-unsuitable",
                node_event(alloc, Some(&fits), Some(&small)),
                QueueSkip,
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(hint(&NodeResourcesFit, &p, &e), want, "{name}");
        }
        let scheduled = bound(pod("other", "default", &[], "containers: [{name: c}]"));
        let unscheduled = pod("other", "default", &[], "containers: [{name: c}]");
        let del = ActionType::DELETE;
        assert_eq!(
            hint(
                &NodeResourcesFit,
                &p,
                &pod_event(del, Some(&scheduled), None)
            ),
            Queue,
            "queue-on-deleted"
        );
        assert_eq!(
            hint(
                &NodeResourcesFit,
                &p,
                &pod_event(del, Some(&unscheduled), None)
            ),
            QueueSkip,
            "skip-queue-on-unscheduled-pod-deleted"
        );
    }

    /// tainttoleration/taint_toleration_test.go TestIsSchedulableAfterNodeChange and
    /// TestIsSchedulableAfterPodTolerationChange.
    #[test]
    fn taint_toleration_hints() {
        let p = pod(
            "p",
            "default",
            &[],
            "containers: [{name: c}]\ntolerations: [{key: foo, operator: Equal, value: bar, effect: NoSchedule}]",
        );
        let tainted = |key: &str, value: &str| {
            let mut n = node("n", 1000, 1000, &[]);
            n.taints = vec![crate::api::Taint {
                key: key.into(),
                value: value.into(),
                effect: Some(crate::api::TaintEffect::NoSchedule),
            }];
            n
        };
        let untolerated = tainted("other", "x");
        let tolerated = tainted("foo", "bar");
        let clean = node("n", 1000, 1000, &[]);
        let add = ActionType::ADD;
        let upd = ActionType::UPDATE_NODE_TAINT;
        let cases: Vec<(&str, QueueEvent<'_>, QueueingHint)> = vec![
            (
                "node added without taints",
                node_event(add, None, Some(&clean)),
                Queue,
            ),
            (
                "node added with an untolerated taint",
                node_event(add, None, Some(&untolerated)),
                QueueSkip,
            ),
            (
                "node added with a tolerated taint",
                node_event(add, None, Some(&tolerated)),
                Queue,
            ),
            (
                "untolerated taint removed",
                node_event(upd, Some(&untolerated), Some(&clean)),
                Queue,
            ),
            (
                "untolerated taint replaced by a tolerated one",
                node_event(upd, Some(&untolerated), Some(&tolerated)),
                Queue,
            ),
            (
                "tolerated taint removed",
                node_event(upd, Some(&tolerated), Some(&clean)),
                QueueSkip,
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(hint(&TaintToleration, &p, &e), want, "{name}");
        }
        let mut other = pod("q", "default", &[], "containers: [{name: c}]");
        other.id = crate::cluster::PodId(7);
        let tol = ActionType::UPDATE_POD_TOLERATION;
        assert_eq!(
            hint(&TaintToleration, &p, &pod_event(tol, Some(&p), Some(&p))),
            Queue,
            "the pod itself"
        );
        assert_eq!(
            hint(
                &TaintToleration,
                &p,
                &pod_event(tol, Some(&other), Some(&other))
            ),
            QueueSkip,
            "another pod"
        );
    }

    /// nodeunschedulable/node_unschedulable_test.go TestIsSchedulableAfterNodeChange.
    #[test]
    fn node_unschedulable_hints() {
        let p = pod("p", "default", &[], "containers: [{name: c}]");
        let ok = node("n", 1000, 1000, &[]);
        let mut cordoned = ok.clone();
        cordoned.unschedulable = true;
        let add = ActionType::ADD;
        let upd = ActionType::UPDATE_NODE_TAINT;
        let cases: Vec<(&str, QueueEvent<'_>, QueueingHint)> = vec![
            (
                "schedulable node added",
                node_event(add, None, Some(&ok)),
                Queue,
            ),
            (
                "unschedulable node added",
                node_event(add, None, Some(&cordoned)),
                QueueSkip,
            ),
            (
                "node uncordoned",
                node_event(upd, Some(&cordoned), Some(&ok)),
                Queue,
            ),
            (
                "node still unschedulable",
                node_event(upd, Some(&cordoned), Some(&cordoned)),
                QueueSkip,
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(hint(&NodeUnschedulable, &p, &e), want, "{name}");
        }
    }

    /// nodeaffinity/node_affinity_test.go Test_isSchedulableAfterNodeChange.
    #[test]
    fn node_affinity_hints() {
        let p = pod(
            "p",
            "default",
            &[],
            "containers: [{name: c}]\nnodeSelector: {foo: bar}",
        );
        let matching = node("n", 1000, 1000, &[("foo", "bar")]);
        let other = node("n", 1000, 1000, &[("foo", "baz")]);
        let add = ActionType::ADD;
        let lbl = ActionType::UPDATE_NODE_LABEL;
        let plugin = NodeAffinity::new(None);
        let cases: Vec<(&str, QueueEvent<'_>, QueueingHint)> = vec![
            (
                "node add matches",
                node_event(add, None, Some(&matching)),
                Queue,
            ),
            (
                "node add doesn't match",
                node_event(add, None, Some(&other)),
                QueueSkip,
            ),
            (
                "update from unmatched to matched",
                node_event(lbl, Some(&other), Some(&matching)),
                Queue,
            ),
            (
                "update from matched to matched",
                node_event(lbl, Some(&matching), Some(&matching)),
                QueueSkip,
            ),
            (
                "update from matched to unmatched",
                node_event(lbl, Some(&matching), Some(&other)),
                QueueSkip,
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(hint(&plugin, &p, &e), want, "{name}");
        }
    }

    /// interpodaffinity/plugin_test.go Test_isSchedulableAfterPodChange.
    #[test]
    fn inter_pod_affinity_pod_hints() {
        let affinity = |kind: &str| {
            format!(
                "containers: [{{name: c}}]\naffinity: {{{kind}: {{requiredDuringSchedulingIgnoredDuringExecution: [{{labelSelector: {{matchLabels: {{service: securityscan}}}}, topologyKey: zone}}]}}}}"
            )
        };
        let with_affinity = pod("p", "default", &[], &affinity("podAffinity"));
        let with_anti = pod("p", "default", &[], &affinity("podAntiAffinity"));
        let matching = bound(pod(
            "m",
            "default",
            &[("service", "securityscan")],
            "containers: [{name: c}]",
        ));
        let unrelated = bound(pod(
            "u",
            "default",
            &[("aaa", "a")],
            "containers: [{name: c}]",
        ));
        let unscheduled = pod(
            "m",
            "default",
            &[("service", "securityscan")],
            "containers: [{name: c}]",
        );
        let add = ActionType::ADD;
        let del = ActionType::DELETE;
        let lbl = ActionType::UPDATE_POD_LABEL;
        let plugin = InterPodAffinity::default();
        let cases: Vec<(&str, &PodRecord, QueueEvent<'_>, QueueingHint)> = vec![
            (
                "add a pod which matches the pod affinity",
                &with_affinity,
                pod_event(add, None, Some(&matching)),
                Queue,
            ),
            (
                "add an un-scheduled pod",
                &with_affinity,
                pod_event(add, None, Some(&unscheduled)),
                QueueSkip,
            ),
            (
                "add a pod which doesn't match the pod affinity",
                &with_affinity,
                pod_event(add, None, Some(&unrelated)),
                QueueSkip,
            ),
            (
                "update a pod from non-match to match pod affinity",
                &with_affinity,
                pod_event(lbl, Some(&unrelated), Some(&matching)),
                Queue,
            ),
            (
                "update a pod from match to non-match pod affinity",
                &with_affinity,
                pod_event(lbl, Some(&matching), Some(&unrelated)),
                QueueSkip,
            ),
            (
                "update a pod from match to non-match pod's anti-affinity",
                &with_anti,
                pod_event(lbl, Some(&matching), Some(&unrelated)),
                Queue,
            ),
            (
                "delete a pod which doesn't match pod's anti-affinity",
                &with_anti,
                pod_event(del, Some(&unrelated), None),
                QueueSkip,
            ),
            (
                "delete a pod which matches pod's anti-affinity",
                &with_anti,
                pod_event(del, Some(&matching), None),
                Queue,
            ),
        ];
        for (name, p, e, want) in cases {
            assert_eq!(hint(&plugin, p, &e), want, "{name}");
        }
    }

    /// podtopologyspread/plugin_test.go Test_isSchedulableAfterPodChange and
    /// Test_isSchedulableAfterNodeChange (a few of their cases).
    #[test]
    fn pod_topology_spread_hints() {
        let p = pod(
            "p",
            "ns",
            &[("foo", "")],
            "containers: [{name: c}]\ntopologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchExpressions: [{key: foo, operator: Exists}]}}]",
        );
        let same_ns = bound(pod("a", "ns", &[("foo", "")], "containers: [{name: c}]"));
        let other_ns = bound(pod("a", "other", &[("foo", "")], "containers: [{name: c}]"));
        let unmatched = bound(pod("a", "ns", &[("bar", "")], "containers: [{name: c}]"));
        let plugin = PodTopologySpread::default();
        let add = ActionType::ADD;
        let cases: Vec<(&str, QueueEvent<'_>, QueueingHint)> = vec![
            (
                "add pod with labels match topologySpreadConstraints selector",
                pod_event(add, None, Some(&same_ns)),
                Queue,
            ),
            (
                "add pod with different namespace",
                pod_event(add, None, Some(&other_ns)),
                QueueSkip,
            ),
            (
                "add pod with labels don't match topologySpreadConstraints selector",
                pod_event(add, None, Some(&unmatched)),
                QueueSkip,
            ),
            (
                "delete pod with labels that match topologySpreadConstraints selector",
                pod_event(ActionType::DELETE, Some(&same_ns), None),
                Queue,
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(hint(&plugin, &p, &e), want, "{name}");
        }
        let zoned = node("n", 1000, 1000, &[("zone", "zone1")]);
        let unzoned = node("n", 1000, 1000, &[]);
        let other_zone = node("n", 1000, 1000, &[("zone", "zone2")]);
        let lbl = ActionType::UPDATE_NODE_LABEL;
        let cases: Vec<(&str, QueueEvent<'_>, QueueingHint)> = vec![
            (
                "node with all topologyKeys is added",
                node_event(add, None, Some(&zoned)),
                Queue,
            ),
            (
                "node without topologyKeys is added",
                node_event(add, None, Some(&unzoned)),
                QueueSkip,
            ),
            (
                "node with all topologyKeys is deleted",
                node_event(ActionType::DELETE, Some(&zoned), None),
                Queue,
            ),
            (
                "the value of a topologyKey changed",
                node_event(lbl, Some(&zoned), Some(&other_zone)),
                Queue,
            ),
            (
                "node updated without topologyKeys",
                node_event(lbl, Some(&unzoned), Some(&unzoned)),
                QueueSkip,
            ),
        ];
        for (name, e, want) in cases {
            assert_eq!(hint(&plugin, &p, &e), want, "{name}");
        }
    }
}
