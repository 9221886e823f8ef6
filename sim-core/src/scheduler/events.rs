//! Cluster events as the scheduling queue sees them (pkg/scheduler/framework/events.go and
//! the fwk.ClusterEvent type): a resource and an action type, with the old and new objects a
//! plugin's QueueingHintFn compares. `NodeSchedulingPropertiesChange` turns a node update
//! into the update action types that changed.

use crate::cluster::{NodeRecord, PodRecord};

/// fwk.EventResource (the ones kubesim's plugins register for).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum EventResource {
    Pod,
    Node,
    /// Any resource: the wildcard event (UnschedulableTimeout, ForceActivate) and the
    /// registration of a plugin without EnqueueExtensions.
    Wildcard,
}

/// fwk.ActionType: a bit set.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ActionType(u32);

impl ActionType {
    pub const ADD: ActionType = ActionType(1);
    pub const DELETE: ActionType = ActionType(1 << 1);
    pub const UPDATE_NODE_ALLOCATABLE: ActionType = ActionType(1 << 2);
    pub const UPDATE_NODE_LABEL: ActionType = ActionType(1 << 3);
    pub const UPDATE_NODE_TAINT: ActionType = ActionType(1 << 4);
    pub const UPDATE_NODE_CONDITION: ActionType = ActionType(1 << 5);
    pub const UPDATE_NODE_ANNOTATION: ActionType = ActionType(1 << 6);
    pub const UPDATE_POD_LABEL: ActionType = ActionType(1 << 7);
    pub const UPDATE_POD_SCALE_DOWN: ActionType = ActionType(1 << 8);
    pub const UPDATE_POD_TOLERATION: ActionType = ActionType(1 << 9);
    pub const UPDATE_POD_SCHEDULING_GATES_ELIMINATED: ActionType = ActionType(1 << 10);
    pub const UPDATE_POD_GENERATED_RESOURCE_CLAIM: ActionType = ActionType(1 << 11);
    /// updatePodOther: a pod update none of the above covers.
    pub const UPDATE_POD_OTHER: ActionType = ActionType(1 << 12);
    /// Every update.
    pub const UPDATE: ActionType = ActionType(((1 << 13) - 1) & !3);
    pub const ALL: ActionType = ActionType((1 << 13) - 1);

    pub const fn union(self, other: ActionType) -> ActionType {
        ActionType(self.0 | other.0)
    }

    pub const fn intersects(self, other: ActionType) -> bool {
        self.0 & other.0 != 0
    }
}

impl std::ops::BitOr for ActionType {
    type Output = ActionType;
    fn bitor(self, rhs: ActionType) -> ActionType {
        self.union(rhs)
    }
}

/// fwk.ClusterEvent: what happened to which kind of object.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ClusterEventType {
    pub resource: EventResource,
    pub action: ActionType,
}

impl ClusterEventType {
    pub const fn new(resource: EventResource, action: ActionType) -> ClusterEventType {
        ClusterEventType { resource, action }
    }

    /// The registration of a plugin that does not say which events it cares about.
    pub const WILDCARD: ClusterEventType =
        ClusterEventType::new(EventResource::Wildcard, ActionType::ALL);

    /// framework.EventUnschedulableTimeout (a wildcard event).
    pub const UNSCHEDULABLE_TIMEOUT: ClusterEventType = ClusterEventType::WILDCARD;

    pub const ASSIGNED_POD_ADD: ClusterEventType =
        ClusterEventType::new(EventResource::Pod, ActionType::ADD);
    pub const ASSIGNED_POD_DELETE: ClusterEventType =
        ClusterEventType::new(EventResource::Pod, ActionType::DELETE);
    pub const NODE_ADD: ClusterEventType =
        ClusterEventType::new(EventResource::Node, ActionType::ADD);
    pub const NODE_DELETE: ClusterEventType =
        ClusterEventType::new(EventResource::Node, ActionType::DELETE);

    pub fn is_wildcard(&self) -> bool {
        self.resource == EventResource::Wildcard && self.action == ActionType::ALL
    }

    /// framework.MatchClusterEvents: does the registration `self` cover `event`?
    pub fn matches(&self, event: &ClusterEventType) -> bool {
        self.is_wildcard()
            || event.is_wildcard()
            || (self.resource == EventResource::Wildcard || self.resource == event.resource)
                && self.action.intersects(event.action)
    }
}

/// framework.NodeSchedulingPropertiesChange: the node update action types from `old` to
/// `new`, in upstream's extractor order (spec.unschedulable, allocatable, labels, taints,
/// conditions).
pub fn node_scheduling_properties_change(
    old: &NodeRecord,
    new: &NodeRecord,
) -> Vec<ClusterEventType> {
    let mut out = Vec::new();
    let mut push = |a| out.push(ClusterEventType::new(EventResource::Node, a));
    if old.unschedulable && !new.unschedulable {
        // extractNodeSpecUnschedulableChange: only an uncordon, reported as a taint change.
        push(ActionType::UPDATE_NODE_TAINT);
    }
    if old.allocatable != new.allocatable {
        push(ActionType::UPDATE_NODE_ALLOCATABLE);
    }
    if old.labels != new.labels {
        push(ActionType::UPDATE_NODE_LABEL);
    }
    if old.taints != new.taints {
        push(ActionType::UPDATE_NODE_TAINT);
    }
    if old.ready != new.ready {
        push(ActionType::UPDATE_NODE_CONDITION);
    }
    out
}

/// The objects of an event: old and new (a Pod or a Node), as a QueueingHintFn gets them.
#[derive(Copy, Clone, Debug)]
pub enum EventObject<'a> {
    None,
    Pod(&'a PodRecord),
    Node(&'a NodeRecord),
}

/// One event with its objects.
#[derive(Copy, Clone, Debug)]
pub struct QueueEvent<'a> {
    pub kind: ClusterEventType,
    pub old: EventObject<'a>,
    pub new: EventObject<'a>,
}

impl<'a> QueueEvent<'a> {
    pub fn old_pod(&self) -> Option<&'a PodRecord> {
        match self.old {
            EventObject::Pod(p) => Some(p),
            _ => None,
        }
    }

    pub fn new_pod(&self) -> Option<&'a PodRecord> {
        match self.new {
            EventObject::Pod(p) => Some(p),
            _ => None,
        }
    }

    pub fn old_node(&self) -> Option<&'a NodeRecord> {
        match self.old {
            EventObject::Node(n) => Some(n),
            _ => None,
        }
    }

    pub fn new_node(&self) -> Option<&'a NodeRecord> {
        match self.new {
            EventObject::Node(n) => Some(n),
            _ => None,
        }
    }
}

/// fwk.QueueingHint.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum QueueingHint {
    QueueSkip,
    Queue,
}

impl QueueingHint {
    /// Queue when `may_help`, QueueSkip otherwise.
    pub fn queue_if(may_help: bool) -> QueueingHint {
        if may_help {
            QueueingHint::Queue
        } else {
            QueueingHint::QueueSkip
        }
    }
}

/// The registrations of NodeUnschedulable and TaintToleration (with queueing hints): a node
/// added or its taints (and spec.unschedulable) changed, a pod's tolerations changed.
pub const NODE_TAINT_EVENTS: &[ClusterEventType] = &[
    ClusterEventType::new(
        EventResource::Node,
        ActionType::ADD.union(ActionType::UPDATE_NODE_TAINT),
    ),
    ClusterEventType::new(EventResource::Pod, ActionType::UPDATE_POD_TOLERATION),
];
