//! The garbage collector's ownerReference graph (pkg/controller/garbagecollector/graph.go,
//! garbagecollector.go) and its cascading-deletion rules, as pure functions. Objects are
//! vertices keyed by uid; an edge runs from an owner to each dependent and carries the
//! reference's `blockOwnerDeletion`. Owners that are referenced but not (yet) known are
//! "virtual" vertices, as upstream's uidToNode holds them.

use std::collections::BTreeMap;

use petgraph::Direction;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use serde::{Deserialize, Serialize};

use crate::api::OwnerReference;

/// `metav1.DeletionPropagation`, as kubectl's `--cascade` spells it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum PropagationPolicy {
    /// The owner goes at once; the collector then deletes its dependents.
    Background,
    /// The owner keeps a deletionTimestamp and the `foregroundDeletion` finalizer until every
    /// dependent with `blockOwnerDeletion` is gone.
    Foreground,
    /// The owner goes; its dependents lose their ownerReferences to it and stay.
    Orphan,
}

/// The finalizer a foreground deletion puts on the owner.
pub const FOREGROUND_FINALIZER: &str = "foregroundDeletion";
/// The finalizer an orphan deletion puts on the owner while its dependents are released.
pub const ORPHAN_FINALIZER: &str = "orphan";

/// The API server's policy when a delete request names none (`DefaultGarbageCollectionPolicy`
/// of each registry strategy): batch/v1 Jobs and ReplicationControllers orphan for backwards
/// compatibility; apps/v1 kinds and everything else delete in the background. kubectl always
/// sends a policy (`--cascade=background` by default).
pub fn default_policy(api_version: &str, kind: &str) -> PropagationPolicy {
    match (api_version, kind) {
        ("batch/v1", "Job") | ("v1", "ReplicationController") => PropagationPolicy::Orphan,
        _ => PropagationPolicy::Background,
    }
}

#[derive(Clone, Debug)]
struct Vertex {
    uid: String,
    /// Known to the collector (not only referenced).
    observed: bool,
    /// Being deleted in the foreground (deletionTimestamp + foregroundDeletion finalizer).
    deleting_dependents: bool,
}

/// The ownerReference graph.
#[derive(Clone, Debug, Default)]
pub struct OwnerGraph {
    graph: StableDiGraph<Vertex, bool>,
    by_uid: BTreeMap<String, NodeIndex>,
}

/// What deleting an owner asks of its dependents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cascade {
    /// Dependents to delete (uids, sorted); for a foreground owner these are deleted in the
    /// foreground themselves when they have dependents of their own.
    pub delete: Vec<String>,
    /// Dependents that keep living but lose their reference to the owner (orphaned, or still
    /// held by another live owner).
    pub release: Vec<String>,
    /// Foreground only: dependents whose `blockOwnerDeletion` keeps the owner until they go.
    pub blocking: Vec<String>,
}

impl OwnerGraph {
    pub fn new() -> OwnerGraph {
        OwnerGraph::default()
    }

    fn vertex(&mut self, uid: &str) -> NodeIndex {
        if let Some(&i) = self.by_uid.get(uid) {
            return i;
        }
        let i = self.graph.add_node(Vertex {
            uid: uid.to_string(),
            observed: false,
            deleting_dependents: false,
        });
        self.by_uid.insert(uid.to_string(), i);
        i
    }

    /// An object observed with its ownerReferences (processGraphChanges' add/update).
    pub fn observe(&mut self, uid: &str, owners: &[OwnerReference]) {
        let i = self.vertex(uid);
        self.graph[i].observed = true;
        let stale: Vec<_> = self
            .graph
            .edges_directed(i, Direction::Incoming)
            .map(|e| e.id())
            .collect();
        for e in stale {
            self.graph.remove_edge(e);
        }
        for r in owners {
            let o = self.vertex(&r.uid);
            self.graph
                .add_edge(o, i, r.block_owner_deletion.unwrap_or(false));
        }
    }

    /// The object is gone. A vertex still referenced by dependents stays as a virtual owner.
    pub fn forget(&mut self, uid: &str) {
        let Some(&i) = self.by_uid.get(uid) else {
            return;
        };
        let incoming: Vec<_> = self
            .graph
            .edges_directed(i, Direction::Incoming)
            .map(|e| e.id())
            .collect();
        for e in incoming {
            self.graph.remove_edge(e);
        }
        if self
            .graph
            .edges_directed(i, Direction::Outgoing)
            .next()
            .is_some()
        {
            self.graph[i].observed = false;
            self.graph[i].deleting_dependents = false;
        } else {
            self.graph.remove_node(i);
            self.by_uid.remove(uid);
        }
    }

    /// Marks an owner as being deleted in the foreground.
    pub fn mark_deleting_dependents(&mut self, uid: &str) {
        if let Some(&i) = self.by_uid.get(uid) {
            self.graph[i].deleting_dependents = true;
        }
    }

    pub fn is_deleting_dependents(&self, uid: &str) -> bool {
        self.by_uid
            .get(uid)
            .is_some_and(|&i| self.graph[i].deleting_dependents)
    }

    /// The dependents of `uid` with their `blockOwnerDeletion`, sorted by uid.
    pub fn dependents(&self, uid: &str) -> Vec<(String, bool)> {
        let Some(&i) = self.by_uid.get(uid) else {
            return Vec::new();
        };
        let mut d: Vec<(String, bool)> = self
            .graph
            .edges_directed(i, Direction::Outgoing)
            .map(|e| (self.graph[e.target()].uid.clone(), *e.weight()))
            .collect();
        d.sort();
        d.dedup();
        d
    }

    /// classifyReferences for one dependent when `gone` is deleted: does another owner that is
    /// observed and not itself being deleted in the foreground still hold it ("solid")?
    fn has_solid_owner(&self, dependent: NodeIndex, gone: NodeIndex) -> bool {
        self.graph
            .edges_directed(dependent, Direction::Incoming)
            .map(|e| e.source())
            .filter(|&o| o != gone)
            .any(|o| self.graph[o].observed && !self.graph[o].deleting_dependents)
    }

    /// What deleting `owner` with `policy` does to its direct dependents (attemptToDeleteItem
    /// and orphanDependents): background and foreground delete the dependents no other live
    /// owner holds; orphan, and dependents with a solid owner, only lose the reference.
    pub fn cascade(&self, owner: &str, policy: PropagationPolicy) -> Cascade {
        let mut out = Cascade::default();
        let Some(&i) = self.by_uid.get(owner) else {
            return out;
        };
        for (uid, block) in self.dependents(owner) {
            let Some(&d) = self.by_uid.get(&uid) else {
                continue;
            };
            if policy == PropagationPolicy::Orphan || self.has_solid_owner(d, i) {
                out.release.push(uid);
                continue;
            }
            if policy == PropagationPolicy::Foreground && block {
                out.blocking.push(uid.clone());
            }
            out.delete.push(uid);
        }
        out
    }

    /// A foreground-deleting owner may go once no dependent blocks it
    /// (processDeletingDependentsItem: blockingDependents is empty).
    pub fn blocking_dependents(&self, owner: &str) -> Vec<String> {
        self.dependents(owner)
            .into_iter()
            .filter(|(_, block)| *block)
            .map(|(uid, _)| uid)
            .collect()
    }

    /// Every uid below `owner` in the graph (dependents, theirs, ...), breadth first.
    pub fn descendants(&self, owner: &str) -> Vec<String> {
        let Some(&start) = self.by_uid.get(owner) else {
            return Vec::new();
        };
        let mut bfs = petgraph::visit::Bfs::new(&self.graph, start);
        let mut out = Vec::new();
        while let Some(n) = bfs.next(&self.graph) {
            if n != start {
                out.push(self.graph[n].uid.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(uid: &str, block: bool) -> OwnerReference {
        OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: uid.into(),
            uid: uid.into(),
            controller: Some(true),
            block_owner_deletion: Some(block),
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    /// deploy -> rs -> {pod-a, pod-b}; pod-b also owned by `other`.
    fn graph() -> OwnerGraph {
        let mut g = OwnerGraph::new();
        g.observe("deploy", &[]);
        g.observe("rs", &[owner("deploy", true)]);
        g.observe("pod-a", &[owner("rs", true)]);
        g.observe("pod-b", &[owner("rs", false), owner("other", false)]);
        g
    }

    #[test]
    fn background_deletes_dependents_whose_other_owners_are_absent() {
        let g = graph();
        // `other` is only referenced (virtual), so pod-b has no solid owner.
        let c = g.cascade("rs", PropagationPolicy::Background);
        assert_eq!(c.delete, s(&["pod-a", "pod-b"]));
        assert!(c.release.is_empty() && c.blocking.is_empty());
    }

    #[test]
    fn a_dependent_with_a_live_owner_is_released_not_deleted() {
        let mut g = graph();
        g.observe("other", &[]);
        let c = g.cascade("rs", PropagationPolicy::Background);
        assert_eq!(c.delete, s(&["pod-a"]));
        assert_eq!(c.release, s(&["pod-b"]));
        // An owner itself being deleted in the foreground is not solid.
        g.mark_deleting_dependents("other");
        assert_eq!(
            g.cascade("rs", PropagationPolicy::Background).delete,
            s(&["pod-a", "pod-b"])
        );
    }

    #[test]
    fn foreground_waits_for_blocking_dependents_only() {
        let mut g = graph();
        let c = g.cascade("rs", PropagationPolicy::Foreground);
        assert_eq!(c.delete, s(&["pod-a", "pod-b"]));
        assert_eq!(c.blocking, s(&["pod-a"]));
        assert_eq!(g.blocking_dependents("rs"), s(&["pod-a"]));
        g.forget("pod-a");
        assert!(g.blocking_dependents("rs").is_empty());
    }

    #[test]
    fn orphan_releases_every_dependent() {
        let g = graph();
        let c = g.cascade("rs", PropagationPolicy::Orphan);
        assert!(c.delete.is_empty());
        assert_eq!(c.release, s(&["pod-a", "pod-b"]));
    }

    #[test]
    fn forgetting_a_referenced_owner_keeps_a_virtual_vertex() {
        let mut g = graph();
        g.forget("rs");
        assert_eq!(g.dependents("rs").len(), 2);
        assert_eq!(g.dependents("deploy"), vec![]);
        g.observe("pod-a", &[]);
        g.observe("pod-b", &[]);
        assert!(g.dependents("rs").is_empty());
        assert_eq!(g.descendants("deploy"), Vec::<String>::new());
    }

    #[test]
    fn descendants_walk_the_whole_tree() {
        let mut d = graph().descendants("deploy");
        assert_eq!(d[0], "rs");
        d.sort();
        assert_eq!(d, s(&["pod-a", "pod-b", "rs"]));
    }

    #[test]
    fn api_defaults_per_kind() {
        assert_eq!(default_policy("batch/v1", "Job"), PropagationPolicy::Orphan);
        assert_eq!(
            default_policy("v1", "ReplicationController"),
            PropagationPolicy::Orphan
        );
        assert_eq!(
            default_policy("apps/v1", "ReplicaSet"),
            PropagationPolicy::Background
        );
    }
}
