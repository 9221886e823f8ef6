//! Routing for the garbage collector (`crate::controller::garbagecollector`): deleting a
//! workload object with a propagation policy, releasing or deleting its dependents, and
//! finishing foreground deletions once no blocking dependent is left.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Simulation;
use crate::cluster::PodId;
use crate::controller::garbagecollector::{FOREGROUND_FINALIZER, OwnerGraph, PropagationPolicy};
use crate::controller::workloads::Owner;
use crate::timeline::TimelineRecord;

/// The component name on the collector's records.
const SOURCE: &str = "garbage collector";

/// Owners waiting in the foreground for their blocking dependents, by uid.
#[derive(Debug, Default)]
pub(super) struct GcState {
    foreground: BTreeMap<String, Owner>,
}

/// An object the collector can reach through the graph.
#[derive(Copy, Clone, Debug)]
enum Object {
    Pod(PodId),
    Owner(Owner),
}

impl Simulation {
    /// The ownerReference graph of every object the collector watches, and what each uid is.
    fn owner_graph(&self) -> (OwnerGraph, BTreeMap<String, Object>) {
        let mut g = OwnerGraph::new();
        let mut objects = BTreeMap::new();
        let w = &self.controllers.workloads;
        let mut add = |uid: &str, meta: &crate::api::ObjectMeta, o: Object| {
            g.observe(uid, &meta.owner_references);
            if meta.finalizers.iter().any(|f| f == FOREGROUND_FINALIZER) {
                g.mark_deleting_dependents(uid);
            }
            objects.insert(uid.to_string(), o);
        };
        for r in w.deployments() {
            add(
                &r.uid,
                &r.object.metadata,
                Object::Owner(Owner::Deployment(r.id)),
            );
        }
        for r in w.replica_sets() {
            add(
                &r.uid,
                &r.object.metadata,
                Object::Owner(Owner::ReplicaSet(r.id)),
            );
        }
        for r in w.jobs() {
            add(&r.uid, &r.object.metadata, Object::Owner(Owner::Job(r.id)));
        }
        for r in w.stateful_sets() {
            add(
                &r.uid,
                &r.object.metadata,
                Object::Owner(Owner::StatefulSet(r.id)),
            );
        }
        for r in w.daemon_sets() {
            add(
                &r.uid,
                &r.object.metadata,
                Object::Owner(Owner::DaemonSet(r.id)),
            );
        }
        for r in w.cron_jobs() {
            add(
                &r.uid,
                &r.object.metadata,
                Object::Owner(Owner::CronJob(r.id)),
            );
        }
        for p in self.cluster.pods() {
            add(&p.uid, &p.pod.metadata, Object::Pod(p.id));
        }
        (g, objects)
    }

    /// (kind, namespace, name, uid) of a workload object.
    fn owner_identity(&self, o: Owner) -> Option<(&'static str, String, String, String)> {
        let w = &self.controllers.workloads;
        macro_rules! id {
            ($kind:literal, $rec:expr) => {
                $rec.map(|r| {
                    let ns = r.namespace().to_string();
                    ($kind, ns, r.name().to_string(), r.uid.clone())
                })
            };
        }
        match o {
            Owner::Deployment(i) => id!("Deployment", w.deployment(i)),
            Owner::ReplicaSet(i) => id!("ReplicaSet", w.replica_set(i)),
            Owner::Job(i) => id!("Job", w.job(i)),
            Owner::StatefulSet(i) => id!("StatefulSet", w.stateful_set(i)),
            Owner::DaemonSet(i) => id!("DaemonSet", w.daemon_set(i)),
            Owner::CronJob(i) => id!("CronJob", w.cron_job(i)),
        }
    }

    fn owner_meta_mut(&mut self, o: Owner) -> Option<&mut crate::api::ObjectMeta> {
        let w = &mut self.controllers.workloads;
        match o {
            Owner::Deployment(i) => w.deployment_mut(i).map(|r| &mut r.object.metadata),
            Owner::ReplicaSet(i) => w.replica_set_mut(i).map(|r| &mut r.object.metadata),
            Owner::Job(i) => w.job_mut(i).map(|r| &mut r.object.metadata),
            Owner::StatefulSet(i) => w.stateful_set_mut(i).map(|r| &mut r.object.metadata),
            Owner::DaemonSet(i) => w.daemon_set_mut(i).map(|r| &mut r.object.metadata),
            Owner::CronJob(i) => w.cron_job_mut(i).map(|r| &mut r.object.metadata),
        }
    }

    /// Whether the object with this uid waits in the foreground for its dependents (it has a
    /// deletionTimestamp): its controller then creates nothing more.
    pub(super) fn gc_deleting(&self, uid: &str) -> bool {
        !self.controllers.gc.foreground.is_empty()
            && self.controllers.gc.foreground.contains_key(uid)
    }

    /// DELETE of a workload object with `policy`
    /// (apiserver's BeforeDelete + pkg/controller/garbagecollector/garbagecollector.go).
    pub(super) fn gc_delete(&mut self, owner: Owner, policy: PropagationPolicy, why: &str) {
        let Some((kind, ns, name, uid)) = self.owner_identity(owner) else {
            return;
        };
        if self.gc_deleting(&uid) {
            return;
        }
        let (graph, objects) = self.owner_graph();
        match policy {
            PropagationPolicy::Background => {
                let plan = graph.cascade(&uid, policy);
                self.remove_owner_object(owner, why);
                self.release(&plan.release, &objects, &uid);
                for d in &plan.delete {
                    self.delete_dependent(d, &objects, PropagationPolicy::Background);
                }
            }
            PropagationPolicy::Orphan => {
                // The orphan finalizer: dependents lose their reference, then the owner goes.
                let plan = graph.cascade(&uid, policy);
                self.release(&plan.release, &objects, &uid);
                self.remove_owner_object(owner, why);
            }
            PropagationPolicy::Foreground => {
                if let Some(m) = self.owner_meta_mut(owner) {
                    m.finalizers.push(FOREGROUND_FINALIZER.to_string());
                }
                self.controllers.gc.foreground.insert(uid.clone(), owner);
                self.timeline.push(
                    TimelineRecord::new(self.now, kind, &ns, &name, "DeletionRequested").message(
                        format!(
                            "{why}: propagationPolicy Foreground, finalizer {FOREGROUND_FINALIZER}"
                        ),
                    ),
                );
                let mut graph = graph;
                graph.mark_deleting_dependents(&uid);
                let plan = graph.cascade(&uid, policy);
                self.release(&plan.release, &objects, &uid);
                for d in &plan.delete {
                    // attemptToDeleteItem: a blocking dependent of a foreground owner is
                    // itself deleted in the foreground.
                    let p = if plan.blocking.contains(d) {
                        PropagationPolicy::Foreground
                    } else {
                        PropagationPolicy::Background
                    };
                    self.delete_dependent(d, &objects, p);
                }
                self.gc_settle();
            }
        }
    }

    fn delete_dependent(
        &mut self,
        uid: &str,
        objects: &BTreeMap<String, Object>,
        policy: PropagationPolicy,
    ) {
        match objects.get(uid) {
            Some(Object::Pod(p)) => self.delete_pod(*p, None, SOURCE),
            Some(Object::Owner(o)) => self.gc_delete(*o, policy, SOURCE),
            None => {}
        }
    }

    /// Removes the ownerReference to `owner_uid` from each dependent (orphanDependents).
    fn release(&mut self, uids: &[String], objects: &BTreeMap<String, Object>, owner_uid: &str) {
        for uid in uids {
            match objects.get(uid) {
                Some(Object::Pod(id)) => {
                    let now = self.now;
                    if let Some(p) = self.cluster.pod_mut(*id) {
                        Arc::make_mut(&mut p.pod)
                            .metadata
                            .owner_references
                            .retain(|r| r.uid != owner_uid);
                        let (ns, name) = (p.namespace().to_string(), p.name().to_string());
                        self.timeline.push(
                            TimelineRecord::new(now, "Pod", &ns, &name, "Orphaned")
                                .message(format!("{SOURCE}: ownerReference {owner_uid} removed")),
                        );
                    }
                }
                Some(Object::Owner(o)) => {
                    if let Owner::ReplicaSet(rs) = o
                        && let Some(r) = self.controllers.workloads.replica_set_mut(*rs)
                    {
                        r.owner = None;
                    }
                    if let Some(m) = self.owner_meta_mut(*o) {
                        m.owner_references.retain(|r| r.uid != owner_uid);
                    }
                    if let Some((kind, ns, name, _)) = self.owner_identity(*o) {
                        self.timeline.push(
                            TimelineRecord::new(self.now, kind, &ns, &name, "Orphaned")
                                .message(format!("{SOURCE}: ownerReference {owner_uid} removed")),
                        );
                    }
                }
                None => {}
            }
        }
    }

    /// The object leaves the API.
    fn remove_owner_object(&mut self, owner: Owner, why: &str) {
        let Some((kind, ns, name, uid)) = self.owner_identity(owner) else {
            return;
        };
        self.controllers.gc.foreground.remove(&uid);
        let w = &mut self.controllers.workloads;
        match owner {
            Owner::Deployment(i) => drop(w.remove_deployment(i)),
            Owner::ReplicaSet(i) => drop(w.remove_replica_set(i)),
            Owner::Job(i) => drop(w.remove_job(i)),
            Owner::StatefulSet(i) => drop(w.remove_stateful_set(i)),
            Owner::DaemonSet(i) => drop(w.remove_daemon_set(i)),
            Owner::CronJob(i) => drop(w.remove_cron_job(i)),
        }
        self.timeline
            .push(TimelineRecord::new(self.now, kind, &ns, &name, "Deleted").message(why));
    }

    /// After each batch (the collector sees deletions through its informers):
    /// processDeletingDependentsItem: every foreground owner with no blocking dependent left
    /// loses its finalizer and goes; that may unblock its own owner.
    pub(super) fn gc_settle(&mut self) {
        loop {
            if self.controllers.gc.foreground.is_empty() {
                return;
            }
            let (graph, _) = self.owner_graph();
            let done: Vec<Owner> = self
                .controllers
                .gc
                .foreground
                .iter()
                .filter(|(uid, _)| graph.blocking_dependents(uid).is_empty())
                .map(|(_, o)| *o)
                .collect();
            if done.is_empty() {
                return;
            }
            for o in done {
                // Dependents without blockOwnerDeletion were already asked to go; those still
                // here lose the reference to the owner that is now gone.
                self.remove_owner_object(o, &format!("{SOURCE}: foreground deletion finished"));
            }
        }
    }
}
