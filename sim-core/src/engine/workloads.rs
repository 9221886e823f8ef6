//! Routing for the workload controllers: ReplicaSet (replica_set.go syncReplicaSet) and
//! Deployment (deployment_controller.go syncDeployment, rolling.go, recreate.go, sync.go,
//! progress.go). The arithmetic lives in `crate::controller`; this file reads the cluster,
//! writes the objects and schedules the next syncs.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::Simulation;
use super::controllers::ControllerEvent;
use crate::api::{Deployment, DeploymentStrategyType, OwnerReference, Pod, ReplicaSet};
use crate::cluster::{ConditionStatus, EventType, PodId, PodRecord};
use crate::controller::deployment::{
    self as dep, DeploymentConditionType as Cond, DeploymentStatus, RsCounts,
};
use crate::controller::deployment_scale as dsc;
use crate::controller::garbagecollector::PropagationPolicy;
use crate::controller::replicaset::{self as rsc, RankedPod, ReplicaSetStatus};
use crate::controller::workloads::{
    DeploymentId, DeploymentRecord, Owner, ReplicaSetId, ReplicaSetRecord,
};
use crate::manifest::LoadedObject;
use crate::time::{SimDuration, SimTime};
use crate::timeline::TimelineRecord;

/// metav1.GetControllerOf.
pub(super) fn controller_ref(meta: &crate::api::ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .iter()
        .find(|o| o.controller == Some(true))
}

pub(super) fn owner_reference(kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: if kind == "Job" || kind == "CronJob" {
            "batch/v1"
        } else {
            "apps/v1"
        }
        .into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

fn revision(meta: &crate::api::ObjectMeta) -> i64 {
    meta.annotations
        .get(dep::REVISION_ANNOTATION)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// The template with the pod-template-hash label removed (EqualIgnoreHash).
fn template_without_hash(t: &crate::api::PodTemplateSpec) -> crate::api::PodTemplateSpec {
    let mut t = t.clone();
    t.metadata.labels.remove(dep::POD_TEMPLATE_HASH);
    t
}

impl Simulation {
    pub fn workloads(&self) -> &crate::controller::workloads::Workloads {
        &self.controllers.workloads
    }

    /// A ReplicaSet or Deployment from a manifest or an action. Returns false for other kinds.
    pub(super) fn create_workload(&mut self, obj: &crate::api::Object) -> bool {
        use crate::api::Object as O;
        let mut obj = match obj {
            O::ReplicaSet(_)
            | O::Deployment(_)
            | O::StatefulSet(_)
            | O::CronJob(_)
            | O::DaemonSet(_)
            | O::Job(_)
            | O::PodDisruptionBudget(_) => obj.clone(),
            _ => return false,
        };
        obj.metadata_mut()
            .namespace
            .get_or_insert_with(|| "default".into());
        match obj {
            O::ReplicaSet(rs) => {
                self.add_replica_set(rs, None);
            }
            O::Deployment(d) => self.add_deployment(d),
            O::StatefulSet(s) => self.add_stateful_set(s),
            O::CronJob(c) => self.add_cron_job(c),
            O::DaemonSet(d) => self.add_daemon_set(d),
            O::Job(j) => self.add_job(j),
            O::PodDisruptionBudget(p) => self.add_pdb(p),
            O::Pod(_) | O::Node(_) | O::Namespace(_) | O::PriorityClass(_) => return false,
        }
        true
    }

    pub(super) fn already_exists(
        &mut self,
        kind: &'static str,
        resource: &str,
        ns: &str,
        name: &str,
    ) {
        self.timeline.push(
            TimelineRecord::new(self.now, kind, ns, name, "Note")
                .reason("AlreadyExists")
                .message(format!(
                    "Error from server (AlreadyExists): {resource} \"{name}\" already exists"
                )),
        );
    }

    fn add_replica_set(
        &mut self,
        rs: ReplicaSet,
        owner: Option<DeploymentId>,
    ) -> Option<ReplicaSetId> {
        let ns = rs.metadata.namespace.clone().unwrap_or_default();
        let name = rs.metadata.name.clone().unwrap_or_default();
        if self
            .controllers
            .workloads
            .find_replica_set(&ns, &name)
            .is_some()
        {
            self.already_exists("ReplicaSet", "replicasets.apps", &ns, &name);
            return None;
        }
        let uid = self.cluster.next_uid();
        // PodTopologySpread's default constraints select a pod's siblings by its ReplicaSet.
        if let Some(selector) = rs.spec.selector.clone() {
            self.cluster
                .set_workload_selector("ReplicaSet", &ns, &name, selector);
        }
        let names = self
            .streams
            .stream(&format!("replicaset/{ns}/{name}/pod-names"));
        let id = self
            .controllers
            .workloads
            .add_replica_set(ReplicaSetRecord {
                id: ReplicaSetId(0),
                object: rs,
                uid,
                created_at: self.now,
                status: ReplicaSetStatus::default(),
                owner,
                names,
            });
        self.timeline.push(TimelineRecord::new(
            self.now,
            "ReplicaSet",
            &ns,
            &name,
            "Created",
        ));
        self.schedule_rs_sync(id, self.now + self.controllers.timings.replica_set);
        Some(id)
    }

    fn add_deployment(&mut self, d: Deployment) {
        let ns = d.metadata.namespace.clone().unwrap_or_default();
        let name = d.metadata.name.clone().unwrap_or_default();
        if self
            .controllers
            .workloads
            .find_deployment(&ns, &name)
            .is_some()
        {
            self.already_exists("Deployment", "deployments.apps", &ns, &name);
            return;
        }
        let uid = self.cluster.next_uid();
        let id = self.controllers.workloads.add_deployment(DeploymentRecord {
            id: DeploymentId(0),
            object: d,
            uid,
            created_at: self.now,
            status: DeploymentStatus::default(),
            generation: 1,
        });
        self.timeline.push(TimelineRecord::new(
            self.now,
            "Deployment",
            &ns,
            &name,
            "Created",
        ));
        self.schedule_deployment_sync(id, self.now + self.controllers.timings.deployment);
    }

    fn schedule_rs_sync(&mut self, id: ReplicaSetId, at: SimTime) {
        self.wake(ControllerEvent::ReplicaSetSync(id), at);
    }

    fn schedule_deployment_sync(&mut self, id: DeploymentId, at: SimTime) {
        self.wake(ControllerEvent::DeploymentSync(id), at);
    }

    /// The pod informers of the workload controllers: a changed pod wakes its owner.
    pub(super) fn workload_pod_changed(&mut self, pod: &Pod) {
        let Some(r) = controller_ref(&pod.metadata) else {
            return;
        };
        match self.controllers.workloads.owner_by_uid(&r.uid) {
            Some(Owner::ReplicaSet(id)) => {
                self.schedule_rs_sync(id, self.now + self.controllers.timings.replica_set);
            }
            Some(Owner::Job(id)) => {
                self.schedule_job_sync(id, self.now + self.controllers.timings.job);
            }
            Some(Owner::StatefulSet(id)) => {
                self.schedule_sts_sync(id, self.now + self.controllers.timings.stateful_set);
            }
            Some(Owner::DaemonSet(id)) => {
                self.schedule_ds_sync(id, self.now + self.controllers.timings.daemon_set);
            }
            _ => {}
        }
    }

    pub(super) fn workload_pods_changed(&mut self, pods: &[PodId]) {
        if self.controllers.workloads.is_empty() {
            return;
        }
        for &id in pods {
            if let Some(pod) = self.cluster.pod(id).map(|p| Arc::clone(&p.pod)) {
                self.workload_pod_changed(&pod);
            }
        }
    }

    // --- ReplicaSet ------------------------------------------------------------------------------

    pub(super) fn sync_replica_set(&mut self, id: ReplicaSetId) {
        let Some(rec) = self.controllers.workloads.replica_set(id) else {
            return;
        };
        // replica_set.go syncReplicaSet manages replicas only while rs.DeletionTimestamp is nil.
        if self.gc_deleting(&rec.uid) {
            return;
        }
        let ns = rec.namespace().to_string();
        let name = rec.name().to_string();
        let uid = rec.uid.clone();
        let want = rec.replicas().max(0) as usize;
        let min_ready = rec.object.spec.min_ready_seconds;
        let selector = rec.object.spec.selector.clone();
        let template_labels = rec.object.spec.template.metadata.labels.clone();
        let owner = rec.owner;
        // ClaimPods: own pods, adopt matching active orphans.
        let mut owned = Vec::new();
        let mut orphans = Vec::new();
        for p in self.cluster.pods().filter(|p| p.namespace() == ns) {
            match controller_ref(&p.pod.metadata) {
                Some(r) if r.uid == uid => owned.push(p.id),
                Some(_) => {}
                None => {
                    if rsc::is_pod_active(p)
                        && crate::api::selector_matches(selector.as_ref(), &p.pod.metadata.labels)
                    {
                        orphans.push(p.id);
                    }
                }
            }
        }
        for pid in orphans {
            if let Some(p) = self.cluster.pod_mut(pid) {
                Arc::make_mut(&mut p.pod)
                    .metadata
                    .owner_references
                    .push(owner_reference("ReplicaSet", &name, &uid));
                owned.push(pid);
            }
        }
        owned.sort();
        let active: Vec<PodId> = owned
            .iter()
            .copied()
            .filter(|p| self.cluster.pod(*p).is_some_and(rsc::is_pod_active))
            .collect();
        let status = {
            let pods: Vec<&PodRecord> =
                active.iter().filter_map(|p| self.cluster.pod(*p)).collect();
            ReplicaSetStatus {
                replicas: pods.len() as i32,
                fully_labeled_replicas: pods
                    .iter()
                    .filter(|p| {
                        template_labels
                            .iter()
                            .all(|(k, v)| p.pod.metadata.labels.get(k) == Some(v))
                    })
                    .count() as i32,
                ready_replicas: pods.iter().filter(|p| rsc::is_pod_ready(p)).count() as i32,
                available_replicas: pods
                    .iter()
                    .filter(|p| rsc::is_pod_available(p, min_ready, self.now))
                    .count() as i32,
            }
        };
        if active.len() < want {
            let n = (want - active.len()).min(rsc::BURST_REPLICAS);
            for _ in 0..n {
                self.create_replica_set_pod(id);
            }
        } else if active.len() > want {
            let diff = (active.len() - want).min(rsc::BURST_REPLICAS);
            let victims = self.pods_to_delete(&active, owner, &uid, diff);
            for pid in victims {
                let Some(pod_name) = self.cluster.pod(pid).map(|p| p.name().to_string()) else {
                    continue;
                };
                self.record_event(
                    "ReplicaSet",
                    &ns,
                    &name,
                    EventType::Normal,
                    "SuccessfulDelete",
                    format!("Deleted pod: {pod_name}"),
                    rsc::SOURCE,
                    "",
                );
                self.delete_pod(pid, None, rsc::SOURCE);
            }
        }
        let old = self
            .controllers
            .workloads
            .replica_set(id)
            .map(|r| r.status.clone())
            .unwrap_or_default();
        if old != status {
            self.timeline.push(
                TimelineRecord::new(self.now, "ReplicaSet", &ns, &name, "Status")
                    .change(rs_status_text(&old, want), rs_status_text(&status, want)),
            );
            if let Some(r) = self.controllers.workloads.replica_set_mut(id) {
                r.status = status.clone();
            }
            if let Some(d) = owner {
                self.schedule_deployment_sync(d, self.now + self.controllers.timings.deployment);
            }
        }
        // replica_set.go: "Resync the ReplicaSet after MinReadySeconds as a last line of
        // defense to guard against clock-skew."
        if min_ready > 0 && status.ready_replicas != status.available_replicas {
            let at = self.now + SimDuration::from_secs(min_ready as u64);
            self.schedule_rs_sync(id, at);
        }
    }

    /// getPodsToDelete with the related pods of every ReplicaSet of the same owner.
    fn pods_to_delete(
        &self,
        active: &[PodId],
        owner: Option<DeploymentId>,
        uid: &str,
        diff: usize,
    ) -> Vec<PodId> {
        let related_uids: Vec<String> = match owner {
            Some(d) => self
                .controllers
                .workloads
                .owned_by(d)
                .into_iter()
                .filter_map(|r| {
                    self.controllers
                        .workloads
                        .replica_set(r)
                        .map(|r| r.uid.clone())
                })
                .collect(),
            None => vec![uid.to_string()],
        };
        let mut on_node: BTreeMap<String, usize> = BTreeMap::new();
        for p in self.cluster.pods().filter(|p| rsc::is_pod_active(p)) {
            if controller_ref(&p.pod.metadata).is_some_and(|r| related_uids.contains(&r.uid)) {
                *on_node.entry(self.node_name_of(p)).or_default() += 1;
            }
        }
        let ranked: Vec<(RankedPod, usize)> = active
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                let p = self.cluster.pod(*id)?;
                let node = self.node_name_of(p);
                let rank = on_node.get(&node).copied().unwrap_or(0);
                Some((RankedPod::of(p, &node, rank), i))
            })
            .collect();
        rsc::pods_to_delete(ranked, diff, self.now)
            .into_iter()
            .map(|i| active[i])
            .collect()
    }

    fn node_name_of(&self, p: &PodRecord) -> String {
        p.node
            .map(|n| self.cluster.node(n).name.clone())
            .unwrap_or_default()
    }

    fn create_replica_set_pod(&mut self, id: ReplicaSetId) {
        let Some(rec) = self.controllers.workloads.replica_set_mut(id) else {
            return;
        };
        let ns = rec.namespace().to_string();
        let rs_name = rec.name().to_string();
        let base = format!("{rs_name}-");
        let template = rec.object.spec.template.clone();
        let owner = owner_reference("ReplicaSet", &rs_name, &rec.uid);
        let mut names = rec.names.clone();
        let name = self.generate_pod_name(&ns, &base, &mut names);
        if let Some(rec) = self.controllers.workloads.replica_set_mut(id) {
            rec.names = names;
        }
        let message = format!("Created pod: {name}");
        self.create_controlled_pod(
            "ReplicaSet",
            rsc::SOURCE,
            &rs_name,
            name,
            Some(base),
            template,
            owner,
            message,
        );
    }

    /// The API server's generateName: draw until the name is free.
    pub(super) fn generate_pod_name(
        &self,
        ns: &str,
        base: &str,
        rng: &mut crate::rng::SimRng,
    ) -> String {
        loop {
            let name = rsc::generate_name(base, rng);
            if self.cluster.find_pod(ns, &name).is_none() {
                return name;
            }
        }
    }

    /// GetPodFromTemplate, the Pod defaulting and admission of the create, and the owner's
    /// SuccessfulCreate event.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn create_controlled_pod(
        &mut self,
        owner_kind: &'static str,
        source: &'static str,
        owner_name: &str,
        name: String,
        generate_name: Option<String>,
        template: crate::api::PodTemplateSpec,
        owner: OwnerReference,
        message: String,
    ) {
        let ns = self.owner_namespace(&owner);
        let mut pod = Pod {
            api_version: "v1".into(),
            kind: "Pod".into(),
            metadata: crate::api::ObjectMeta {
                name: Some(name.clone()),
                generate_name,
                namespace: Some(ns.clone()),
                labels: template.metadata.labels,
                annotations: template.metadata.annotations,
                owner_references: vec![owner],
                finalizers: template.metadata.finalizers,
                ..Default::default()
            },
            spec: std::sync::Arc::new(template.spec),
        };
        crate::api::defaults::default_pod(&mut pod);
        self.record_event(
            owner_kind,
            &ns,
            owner_name,
            EventType::Normal,
            "SuccessfulCreate",
            message,
            source,
            "",
        );
        self.create_pod(&pod);
    }

    fn owner_namespace(&self, owner: &OwnerReference) -> String {
        let w = &self.controllers.workloads;
        match w.owner_by_uid(&owner.uid) {
            Some(Owner::ReplicaSet(id)) => w.replica_set(id).map(|r| r.namespace().to_string()),
            Some(Owner::Deployment(id)) => w.deployment(id).map(|r| r.namespace().to_string()),
            Some(Owner::Job(id)) => w.job(id).map(|r| r.namespace().to_string()),
            Some(Owner::StatefulSet(id)) => w.stateful_set(id).map(|r| r.namespace().to_string()),
            Some(Owner::DaemonSet(id)) => w.daemon_set(id).map(|r| r.namespace().to_string()),
            Some(Owner::CronJob(id)) => w.cron_job(id).map(|r| r.namespace().to_string()),
            None => None,
        }
        .unwrap_or_else(|| "default".into())
    }

    // --- Deployment ------------------------------------------------------------------------------

    pub(super) fn sync_deployment(&mut self, id: DeploymentId) {
        let Some(rec) = self.controllers.workloads.deployment(id) else {
            return;
        };
        // deployment_controller.go syncDeployment: a deleting Deployment only syncs status.
        if self.gc_deleting(&rec.uid) {
            return;
        }
        let d = rec.object.clone();
        let generation = rec.generation;
        let d_name = rec.name().to_string();
        let ns = rec.namespace().to_string();
        let mut old_status = rec.status.clone();
        let mut status = old_status.clone();
        // checkPausedConditions writes its own status update before the sync goes on.
        dep::check_paused_conditions(&d, &mut status, self.now);
        if status != old_status {
            self.record_deployment_status(id, &old_status, &status);
            if let Some(r) = self.controllers.workloads.deployment_mut(id) {
                r.status = status.clone();
            }
            old_status = status.clone();
        }
        // calculateStatus: ObservedGeneration is the generation this sync acted on.
        status.observed_generation = generation;
        let replicas = d.spec.replicas.unwrap_or(1);
        let owned = self.controllers.workloads.owned_by(id);
        let template = d.spec.template.clone();
        let new_rs = owned.iter().copied().find(|r| {
            self.controllers
                .workloads
                .replica_set(*r)
                .is_some_and(|r| template_without_hash(&r.object.spec.template) == template)
        });
        let mut old: Vec<ReplicaSetId> = owned
            .iter()
            .copied()
            .filter(|r| Some(*r) != new_rs)
            .collect();
        old.sort_by_key(|r| {
            self.controllers
                .workloads
                .replica_set(*r)
                .map(|r| (r.created_at, r.name().to_string()))
        });
        let max_old_revision = old
            .iter()
            .filter_map(|r| self.controllers.workloads.replica_set(*r))
            .map(|r| revision(&r.object.metadata))
            .max()
            .unwrap_or(0);
        let has_deadline = d.spec.progress_deadline_seconds.is_some();
        let spec_of = |s: &Self, r: ReplicaSetId| {
            s.controllers
                .workloads
                .replica_set(r)
                .map(|r| r.replicas())
                .unwrap_or(0)
        };

        // syncDeployment: a paused Deployment, or a scaling event (an active ReplicaSet
        // annotated for another replica count), only scales (sync()); no rollout step runs.
        let scale_view = self.scale_view(&old, new_rs);
        if d.spec.paused || dsc::is_scaling_event(&d, &scale_view) {
            let rss: Vec<ReplicaSetId> = old.iter().copied().chain(new_rs).collect();
            let new_index = new_rs.map(|_| old.len());
            for (i, size) in dsc::scale(&d, old_status.replicas, &scale_view, new_index) {
                self.set_replicas_annotations(rss[i], id);
                self.scale_replica_set(rss[i], size, id);
            }
            self.sync_deployment_status(id, &d, new_rs, &old, old_status, status);
            if d.spec.paused {
                self.cleanup_deployment(id, &d, &old);
            }
            return;
        }

        let new_rs = match new_rs {
            Some(n) => {
                let rev = max_old_revision + 1;
                if let Some(r) = self.controllers.workloads.replica_set_mut(n)
                    && revision(&r.object.metadata) < rev
                {
                    r.object
                        .metadata
                        .annotations
                        .insert(dep::REVISION_ANNOTATION.into(), rev.to_string());
                }
                if has_deadline && status.condition(Cond::Progressing).is_none() {
                    let rs_name = self.rs_name(n);
                    status.set_condition(dep::condition(
                        Cond::Progressing,
                        true,
                        "FoundNewReplicaSet",
                        format!("Found new replica set \"{rs_name}\""),
                        self.now,
                    ));
                }
                n
            }
            None => {
                let recreate = d.spec.strategy.type_ == Some(DeploymentStrategyType::Recreate);
                if recreate
                    && (old.iter().any(|r| spec_of(self, *r) > 0) || self.old_pods_running(&old))
                {
                    // rolloutRecreate: old ReplicaSets go to zero and their pods must be gone
                    // before the new ReplicaSet is created.
                    for r in old.clone() {
                        self.scale_replica_set(r, 0, id);
                    }
                    self.finish_deployment_sync(id, &d, None, &old, old_status, status);
                    return;
                }
                let all: i32 = old.iter().map(|r| spec_of(self, *r)).sum();
                let size = dep::new_rs_new_replicas(&d, all, 0);
                let Some(n) = self.create_new_replica_set(id, &d, size, max_old_revision + 1)
                else {
                    return;
                };
                if has_deadline {
                    let rs_name = self.rs_name(n);
                    status.set_condition(dep::condition(
                        Cond::Progressing,
                        true,
                        "NewReplicaSetCreated",
                        format!("Created new replica set \"{rs_name}\""),
                        self.now,
                    ));
                }
                if size > 0 {
                    let rs_name = self.rs_name(n);
                    self.record_event(
                        "Deployment",
                        &ns,
                        &d_name,
                        EventType::Normal,
                        "ScalingReplicaSet",
                        format!("Scaled up replica set {rs_name} from 0 to {size}"),
                        dep::SOURCE,
                        "",
                    );
                }
                n
            }
        };
        if let Some(r) = self.controllers.workloads.replica_set(new_rs) {
            let rev = revision(&r.object.metadata).to_string();
            if let Some(dr) = self.controllers.workloads.deployment_mut(id) {
                dr.object
                    .metadata
                    .annotations
                    .insert(dep::REVISION_ANNOTATION.into(), rev);
            }
        }

        let only_new_active = old.iter().all(|r| spec_of(self, *r) == 0);
        if d.spec.strategy.type_ == Some(DeploymentStrategyType::Recreate) {
            if old.iter().any(|r| spec_of(self, *r) > 0) || self.old_pods_running(&old) {
                for r in old.clone() {
                    self.scale_replica_set(r, 0, id);
                }
            } else {
                self.scale_replica_set(new_rs, replicas, id);
            }
        } else if only_new_active || spec_of(self, new_rs) > replicas {
            // isScalingEvent / reconcileNewReplicaSet with nothing old left.
            self.scale_replica_set(new_rs, replicas, id);
        } else {
            let all: i32 = old.iter().chain([&new_rs]).map(|r| spec_of(self, *r)).sum();
            let current = spec_of(self, new_rs);
            let target = dep::new_rs_new_replicas(&d, all, current);
            let scaled_up = target != current;
            if scaled_up {
                self.scale_replica_set(new_rs, target, id);
            } else {
                let counts = |s: &Self, r: ReplicaSetId| {
                    s.controllers
                        .workloads
                        .replica_set(r)
                        .map(|r| RsCounts {
                            replicas: r.replicas(),
                            available: r.status.available_replicas,
                        })
                        .unwrap_or(RsCounts {
                            replicas: 0,
                            available: 0,
                        })
                };
                let new_counts = counts(self, new_rs);
                let old_counts: Vec<RsCounts> = old.iter().map(|r| counts(self, *r)).collect();
                let sizes = dep::scale_down_old(&d, new_counts, &old_counts);
                for (r, size) in old.clone().into_iter().zip(sizes) {
                    self.scale_replica_set(r, size, id);
                }
            }
        }
        self.finish_deployment_sync(id, &d, Some(new_rs), &old, old_status, status);
    }

    /// The ReplicaSets as `scale` reads them: the old ones, then the new one.
    fn scale_view(&self, old: &[ReplicaSetId], new_rs: Option<ReplicaSetId>) -> Vec<dsc::ScaleRs> {
        let annotation = |r: &ReplicaSetRecord, key: &str| {
            r.object
                .metadata
                .annotations
                .get(key)
                .and_then(|v| v.parse::<i32>().ok())
        };
        old.iter()
            .chain(new_rs.iter())
            .filter_map(|r| self.controllers.workloads.replica_set(*r))
            .map(|r| dsc::ScaleRs {
                name: r.name().to_string(),
                created_at: r.created_at,
                replicas: r.replicas(),
                available: r.status.available_replicas,
                desired_annotation: annotation(r, dep::DESIRED_REPLICAS_ANNOTATION),
                max_annotation: annotation(r, dep::MAX_REPLICAS_ANNOTATION),
            })
            .collect()
    }

    /// SetReplicasAnnotations: scale's writes carry the Deployment's size even when the
    /// ReplicaSet's own size stays.
    fn set_replicas_annotations(&mut self, rs: ReplicaSetId, d: DeploymentId) {
        let Some(dr) = self.controllers.workloads.deployment(d) else {
            return;
        };
        let desired = dr.replicas();
        let max = desired + dep::max_surge(&dr.object);
        if let Some(r) = self.controllers.workloads.replica_set_mut(rs) {
            let annotations = &mut r.object.metadata.annotations;
            annotations.insert(dep::DESIRED_REPLICAS_ANNOTATION.into(), desired.to_string());
            annotations.insert(dep::MAX_REPLICAS_ANNOTATION.into(), max.to_string());
        }
    }

    fn rs_name(&self, id: ReplicaSetId) -> String {
        self.controllers
            .workloads
            .replica_set(id)
            .map(|r| r.name().to_string())
            .unwrap_or_default()
    }

    /// recreate.go oldPodsRunning: an old ReplicaSet still reports pods, or one of its pods is
    /// not terminal (Terminating pods count).
    fn old_pods_running(&self, old: &[ReplicaSetId]) -> bool {
        let uids: Vec<&str> = old
            .iter()
            .filter_map(|r| self.controllers.workloads.replica_set(*r))
            .map(|r| {
                if r.status.replicas > 0 {
                    ""
                } else {
                    r.uid.as_str()
                }
            })
            .collect();
        if uids.contains(&"") {
            return true;
        }
        self.cluster.pods().any(|p| {
            !p.status.phase.is_terminal()
                && controller_ref(&p.pod.metadata).is_some_and(|r| uids.contains(&r.uid.as_str()))
        })
    }

    /// getNewReplicaSet's create: `<deployment>-<pod-template-hash>`, the hash label in the
    /// template and the selector, the revision annotations.
    fn create_new_replica_set(
        &mut self,
        id: DeploymentId,
        d: &Deployment,
        size: i32,
        revision: i64,
    ) -> Option<ReplicaSetId> {
        let rec = self.controllers.workloads.deployment(id)?;
        let template_json = serde_json::to_string(&d.spec.template).unwrap_or_default();
        let hash = dep::compute_hash(&template_json, None);
        let mut template = d.spec.template.clone();
        template
            .metadata
            .labels
            .insert(dep::POD_TEMPLATE_HASH.into(), hash.clone());
        let mut selector = d.spec.selector.clone().unwrap_or_default();
        selector
            .match_labels
            .insert(dep::POD_TEMPLATE_HASH.into(), hash.clone());
        let mut rs = ReplicaSet {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            ..Default::default()
        };
        rs.metadata.name = Some(format!("{}-{hash}", rec.name()));
        rs.metadata.namespace = Some(rec.namespace().to_string());
        rs.metadata.labels = template.metadata.labels.clone();
        rs.metadata.owner_references = vec![owner_reference("Deployment", rec.name(), &rec.uid)];
        let annotations = &mut rs.metadata.annotations;
        annotations.insert(dep::REVISION_ANNOTATION.into(), revision.to_string());
        annotations.insert(
            dep::DESIRED_REPLICAS_ANNOTATION.into(),
            d.spec.replicas.unwrap_or(1).to_string(),
        );
        annotations.insert(
            dep::MAX_REPLICAS_ANNOTATION.into(),
            (d.spec.replicas.unwrap_or(1) + dep::max_surge(d)).to_string(),
        );
        rs.spec.replicas = Some(size);
        rs.spec.min_ready_seconds = d.spec.min_ready_seconds;
        rs.spec.selector = Some(selector);
        rs.spec.template = template;
        self.add_replica_set(rs, Some(id))
    }

    /// scaleReplicaSetAndRecordEvent.
    fn scale_replica_set(&mut self, rs: ReplicaSetId, size: i32, d: DeploymentId) {
        let Some(dr) = self.controllers.workloads.deployment(d) else {
            return;
        };
        let (d_ns, d_name) = (dr.namespace().to_string(), dr.name().to_string());
        let desired = dr.replicas();
        let max = desired + dep::max_surge(&dr.object);
        let Some(r) = self.controllers.workloads.replica_set_mut(rs) else {
            return;
        };
        let from = r.replicas();
        if from == size {
            return;
        }
        r.object.spec.replicas = Some(size);
        let annotations = &mut r.object.metadata.annotations;
        annotations.insert(dep::DESIRED_REPLICAS_ANNOTATION.into(), desired.to_string());
        annotations.insert(dep::MAX_REPLICAS_ANNOTATION.into(), max.to_string());
        let rs_name = r.name().to_string();
        let direction = if size > from { "up" } else { "down" };
        self.record_event(
            "Deployment",
            &d_ns,
            &d_name,
            EventType::Normal,
            "ScalingReplicaSet",
            format!("Scaled {direction} replica set {rs_name} from {from} to {size}"),
            dep::SOURCE,
            "",
        );
        self.schedule_rs_sync(rs, self.now + self.controllers.timings.replica_set);
    }

    /// syncDeploymentStatus: calculateStatus written back; the Progressing condition stays.
    fn sync_deployment_status(
        &mut self,
        id: DeploymentId,
        d: &Deployment,
        new_rs: Option<ReplicaSetId>,
        old: &[ReplicaSetId],
        old_status: DeploymentStatus,
        mut status: DeploymentStatus,
    ) {
        self.calculate_status(d, new_rs, old, &mut status);
        self.record_deployment_status(id, &old_status, &status);
        if let Some(r) = self.controllers.workloads.deployment_mut(id) {
            r.status = status;
        }
    }

    /// calculateStatus: the replica counts and the Available condition.
    fn calculate_status(
        &self,
        d: &Deployment,
        new_rs: Option<ReplicaSetId>,
        old: &[ReplicaSetId],
        status: &mut DeploymentStatus,
    ) {
        let w = &self.controllers.workloads;
        let all: Vec<&ReplicaSetRecord> = old
            .iter()
            .chain(new_rs.iter())
            .filter_map(|r| w.replica_set(*r))
            .collect();
        let replicas = d.spec.replicas.unwrap_or(1);
        let spec_total: i32 = all.iter().map(|r| r.replicas()).sum();
        status.replicas = all.iter().map(|r| r.status.replicas).sum();
        status.updated_replicas = new_rs
            .and_then(|r| w.replica_set(r))
            .map(|r| r.status.replicas)
            .unwrap_or(0);
        status.ready_replicas = all.iter().map(|r| r.status.ready_replicas).sum();
        status.available_replicas = all.iter().map(|r| r.status.available_replicas).sum();
        status.unavailable_replicas = (spec_total - status.available_replicas).max(0);
        let now = self.now;
        if status.available_replicas >= replicas - dep::max_unavailable(d) {
            status.set_condition(dep::condition(
                Cond::Available,
                true,
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.".into(),
                now,
            ));
        } else {
            status.set_condition(dep::condition(
                Cond::Available,
                false,
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.".into(),
                now,
            ));
        }
    }

    /// syncRolloutStatus (calculateStatus, the Progressing condition, the stuck requeue) and
    /// cleanupDeployment.
    fn finish_deployment_sync(
        &mut self,
        id: DeploymentId,
        d: &Deployment,
        new_rs: Option<ReplicaSetId>,
        old: &[ReplicaSetId],
        old_status: DeploymentStatus,
        mut status: DeploymentStatus,
    ) {
        self.calculate_status(d, new_rs, old, &mut status);
        let now = self.now;
        let rs_name = new_rs.map(|r| self.rs_name(r));
        let deadline = d.spec.progress_deadline_seconds;
        if deadline.is_none() {
            status.remove_condition(Cond::Progressing);
        }
        let current = status.condition(Cond::Progressing).cloned();
        let complete_already = status.replicas == status.updated_replicas
            && current
                .as_ref()
                .is_some_and(|c| c.reason == "NewReplicaSetAvailable");
        let subject = |verb: &str| match &rs_name {
            Some(n) => format!("ReplicaSet \"{n}\" {verb}"),
            None => format!(
                "Deployment \"{}\" {verb}",
                d.metadata.name.as_deref().unwrap_or("")
            ),
        };
        if let Some(secs) = deadline
            && !complete_already
        {
            let timed_out = current.as_ref().is_some_and(|c| {
                c.last_update_time + SimDuration::from_secs(secs.max(0) as u64) < now
            });
            if dep::is_complete(d, &status) {
                status.set_condition(dep::condition(
                    Cond::Progressing,
                    true,
                    "NewReplicaSetAvailable",
                    subject("has successfully progressed."),
                    now,
                ));
            } else if dep::is_progressing(&old_status, &status) {
                let mut c = dep::condition(
                    Cond::Progressing,
                    true,
                    "ReplicaSetUpdated",
                    subject("is progressing."),
                    now,
                );
                if let Some(cur) = &current
                    && cur.status == ConditionStatus::True
                {
                    c.last_transition_time = cur.last_transition_time;
                }
                status.remove_condition(Cond::Progressing);
                status.set_condition(c);
            } else if timed_out {
                status.set_condition(dep::condition(
                    Cond::Progressing,
                    false,
                    dep::TIMED_OUT_REASON,
                    subject("has timed out progressing."),
                    now,
                ));
            }
        }
        self.record_deployment_status(id, &old_status, &status);
        if let Some(r) = self.controllers.workloads.deployment_mut(id) {
            r.status = status.clone();
        }
        // requeueStuckDeployment: check again when the deadline would pass.
        if let Some(secs) = deadline
            && !dep::is_complete(d, &status)
            && let Some(c) = status
                .condition(Cond::Progressing)
                .filter(|c| c.status != ConditionStatus::False)
        {
            let at = c.last_update_time + SimDuration::from_secs(secs.max(0) as u64 + 1);
            self.schedule_deployment_sync(id, at.max(now));
        }
        if dep::is_complete(d, &status) {
            self.cleanup_deployment(id, d, old);
        }
    }

    fn record_deployment_status(
        &mut self,
        id: DeploymentId,
        old: &DeploymentStatus,
        new: &DeploymentStatus,
    ) {
        let Some(r) = self.controllers.workloads.deployment(id) else {
            return;
        };
        let (ns, name, replicas) = (
            r.namespace().to_string(),
            r.name().to_string(),
            r.replicas(),
        );
        for c in &new.conditions {
            let before = old.condition(c.type_);
            if before.is_some_and(|b| b.status == c.status && b.reason == c.reason) {
                continue;
            }
            let show = |c: &dep::DeploymentCondition| {
                format!("{}={}", c.type_.as_str(), c.status.as_str())
            };
            self.timeline.push(
                TimelineRecord::new(self.now, "Deployment", &ns, &name, "Condition")
                    .change(before.map(show).unwrap_or_default(), show(c))
                    .reason(c.reason.clone())
                    .message(c.message.clone()),
            );
        }
        let (a, b) = (
            deployment_status_text(old, replicas),
            deployment_status_text(new, replicas),
        );
        if a != b {
            self.timeline.push(
                TimelineRecord::new(self.now, "Deployment", &ns, &name, "Status").change(a, b),
            );
        }
    }

    /// cleanupDeployment: old ReplicaSets with no replicas beyond revisionHistoryLimit go,
    /// oldest revision first.
    fn cleanup_deployment(&mut self, id: DeploymentId, d: &Deployment, old: &[ReplicaSetId]) {
        let limit = d.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
        let mut clean: Vec<(i64, ReplicaSetId)> = old
            .iter()
            .filter_map(|r| self.controllers.workloads.replica_set(*r))
            .filter(|r| r.replicas() == 0 && r.status.replicas == 0)
            .map(|r| (revision(&r.object.metadata), r.id))
            .collect();
        if clean.len() <= limit {
            return;
        }
        clean.sort();
        let diff = clean.len() - limit;
        for (_, r) in clean.into_iter().take(diff) {
            self.delete_replica_set(r, "deployment-controller: revision history limit");
        }
        let _ = id;
    }

    /// The Deployment controller deletes an old ReplicaSet without a propagation policy: the
    /// apps/v1 default, background (deployment/sync.go cleanupDeployment).
    fn delete_replica_set(&mut self, id: ReplicaSetId, why: &str) {
        self.gc_delete(Owner::ReplicaSet(id), PropagationPolicy::Background, why);
    }

    // --- actions -----------------------------------------------------------------------------------

    /// A workload object by kind and name, with the resource name kubectl's NotFound error
    /// uses; `None` for kinds without a controller here.
    fn find_workload(
        &self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Option<(&'static str, Option<Owner>)> {
        let ns = namespace.unwrap_or("default");
        let w = &self.controllers.workloads;
        Some(match kind {
            "Deployment" => (
                "deployments.apps",
                w.find_deployment(ns, name).map(Owner::Deployment),
            ),
            "ReplicaSet" => (
                "replicasets.apps",
                w.find_replica_set(ns, name).map(Owner::ReplicaSet),
            ),
            "StatefulSet" => (
                "statefulsets.apps",
                w.find_stateful_set(ns, name).map(Owner::StatefulSet),
            ),
            "DaemonSet" => (
                "daemonsets.apps",
                w.find_daemon_set(ns, name).map(Owner::DaemonSet),
            ),
            "Job" => ("jobs.batch", w.find_job(ns, name).map(Owner::Job)),
            "CronJob" => (
                "cronjobs.batch",
                w.find_cron_job(ns, name).map(Owner::CronJob),
            ),
            _ => return None,
        })
    }

    /// `kubectl scale` of a Deployment or ReplicaSet. Returns false for other kinds.
    pub(super) fn scale_workload(&mut self, s: &crate::scenario::ScaleAction) -> bool {
        if !matches!(s.kind.as_str(), "Deployment" | "StatefulSet" | "ReplicaSet") {
            return false;
        }
        let Some((resource, found)) = self.find_workload(&s.kind, s.namespace.as_deref(), &s.name)
        else {
            return false;
        };
        let w = &mut self.controllers.workloads;
        let replicas = Some(s.replicas);
        let timings = self.controllers.timings.clone();
        match found {
            Some(Owner::Deployment(id)) => {
                if let Some(r) = w.deployment_mut(id)
                    && r.object.spec.replicas != replicas
                {
                    r.object.spec.replicas = replicas;
                    r.generation += 1;
                }
                self.schedule_deployment_sync(id, self.now + timings.deployment);
            }
            Some(Owner::StatefulSet(id)) => {
                if let Some(r) = w.stateful_set_mut(id)
                    && r.object.spec.replicas != replicas
                {
                    r.object.spec.replicas = replicas;
                    r.generation += 1;
                }
                self.schedule_sts_sync(id, self.now + timings.stateful_set);
            }
            Some(Owner::ReplicaSet(id)) => {
                if let Some(r) = w.replica_set_mut(id) {
                    r.object.spec.replicas = replicas;
                }
                self.schedule_rs_sync(id, self.now + timings.replica_set);
            }
            Some(Owner::Job(_) | Owner::DaemonSet(_) | Owner::CronJob(_)) | None => {
                self.note(format!(
                    "Error from server (NotFound): {resource} \"{}\" not found",
                    s.name
                ))
            }
        }
        true
    }

    /// `kubectl rollout pause|resume|undo` (staging/src/k8s.io/kubectl/pkg/polymorphichelpers
    /// objectpauser.go, objectresumer.go, rollback.go): pause and resume flip spec.paused; undo
    /// copies the template of the ReplicaSet of the wanted revision (the previous one by default)
    /// into the Deployment, which then rolls out to it.
    pub(super) fn rollout(&mut self, r: &crate::scenario::RolloutAction) {
        use crate::scenario::RolloutVerb;
        let ns = r.namespace.clone().unwrap_or_else(|| "default".into());
        let Some(id) = self
            .controllers
            .workloads
            .find_deployment(&ns, &r.deployment)
        else {
            self.note(format!(
                "Error from server (NotFound): deployments.apps \"{}\" not found",
                r.deployment
            ));
            return;
        };
        let name = r.deployment.clone();
        let message = match r.action {
            RolloutVerb::Pause | RolloutVerb::Resume => {
                let pause = r.action == RolloutVerb::Pause;
                let Some(d) = self.controllers.workloads.deployment_mut(id) else {
                    return;
                };
                if d.object.spec.paused == pause {
                    // rollout_pause.go / rollout_resume.go print, not fail, on a no-op patch.
                    let state = if pause {
                        "already paused"
                    } else {
                        "already resumed"
                    };
                    format!("deployment.apps/{name} {state}")
                } else {
                    d.object.spec.paused = pause;
                    d.generation += 1;
                    format!(
                        "deployment.apps/{name} {}",
                        if pause { "paused" } else { "resumed" }
                    )
                }
            }
            RolloutVerb::Undo => {
                let current = self
                    .controllers
                    .workloads
                    .deployment(id)
                    .map(|d| revision(&d.object.metadata))
                    .unwrap_or(0);
                let mut by_revision: Vec<(i64, ReplicaSetId)> = self
                    .controllers
                    .workloads
                    .owned_by(id)
                    .into_iter()
                    .filter_map(|rs| {
                        self.controllers
                            .workloads
                            .replica_set(rs)
                            .map(|r| (revision(&r.object.metadata), rs))
                    })
                    .collect();
                by_revision.sort();
                let target = match r.to_revision {
                    Some(rev) => by_revision.iter().find(|(v, _)| *v == rev),
                    None => by_revision.iter().rev().find(|(v, _)| *v < current),
                };
                match target {
                    None => match r.to_revision {
                        Some(rev) => {
                            format!("error: unable to find specified revision {rev} in history")
                        }
                        None => {
                            "error: no rollout history found for deployment \"".to_string()
                                + &name
                                + "\""
                        }
                    },
                    Some((rev, rs)) => {
                        let template = self
                            .controllers
                            .workloads
                            .replica_set(*rs)
                            .map(|r| template_without_hash(&r.object.spec.template));
                        match (template, self.controllers.workloads.deployment_mut(id)) {
                            (Some(t), Some(d)) if d.object.spec.template == t => {
                                format!(
                                    "deployment.apps/{name} skipped rollback (current template already matches revision {rev})"
                                )
                            }
                            (Some(t), Some(d)) => {
                                d.object.spec.template = t;
                                d.generation += 1;
                                format!("deployment.apps/{name} rolled back")
                            }
                            _ => return,
                        }
                    }
                }
            }
        };
        self.timeline
            .push(TimelineRecord::new(self.now, "Deployment", &ns, &name, "Note").message(message));
        self.schedule_deployment_sync(id, self.now + self.controllers.timings.deployment);
    }

    /// `kubectl apply` of a Deployment, ReplicaSet, StatefulSet or DaemonSet: the spec is replaced; a changed pod
    /// template starts a rollout. Returns false for other kinds.
    pub(super) fn apply_workload(&mut self, obj: &LoadedObject) -> bool {
        let ns = obj
            .object
            .metadata()
            .namespace
            .clone()
            .unwrap_or_else(|| "default".into());
        let name = obj.object.name().to_string();
        match &obj.object {
            crate::api::Object::Deployment(new) => {
                let Some(id) = self.controllers.workloads.find_deployment(&ns, &name) else {
                    return self.create_workload(&obj.object);
                };
                // kubectl apply's three-way merge keeps `paused` set by `rollout pause` when
                // the manifest leaves it out (the decoded manifest cannot tell an explicit
                // `paused: false` from an absent one, so only `true` is taken from it).
                let mut spec = new.spec.clone();
                let live = self.controllers.workloads.deployment(id);
                spec.paused |= live.is_some_and(|r| r.object.spec.paused);
                let changed = live.is_some_and(|r| r.object.spec != spec);
                if let Some(r) = self.controllers.workloads.deployment_mut(id) {
                    r.object.spec = spec;
                    r.generation += i64::from(changed);
                    r.object.metadata.labels = new.metadata.labels.clone();
                }
                self.note_applied("Deployment", "deployment", &ns, &name, changed);
                if changed {
                    self.schedule_deployment_sync(
                        id,
                        self.now + self.controllers.timings.deployment,
                    );
                }
                true
            }
            crate::api::Object::ReplicaSet(new) => {
                let Some(id) = self.controllers.workloads.find_replica_set(&ns, &name) else {
                    return self.create_workload(&obj.object);
                };
                let changed = self
                    .controllers
                    .workloads
                    .replica_set(id)
                    .is_some_and(|r| r.object.spec != new.spec);
                if let Some(r) = self.controllers.workloads.replica_set_mut(id) {
                    r.object.spec = new.spec.clone();
                }
                self.note_applied("ReplicaSet", "replicaset", &ns, &name, changed);
                if changed {
                    self.schedule_rs_sync(id, self.now + self.controllers.timings.replica_set);
                }
                true
            }
            crate::api::Object::StatefulSet(new) => {
                match self.controllers.workloads.find_stateful_set(&ns, &name) {
                    Some(id) => self.apply_stateful_set(id, new),
                    None => self.add_stateful_set(new.clone()),
                }
                true
            }
            crate::api::Object::DaemonSet(new) => {
                match self.controllers.workloads.find_daemon_set(&ns, &name) {
                    Some(id) => self.apply_daemon_set(id, new),
                    None => self.add_daemon_set(new.clone()),
                }
                true
            }
            _ => false,
        }
    }

    /// kubectl apply's `<resource>.apps/<name> configured|unchanged` line.
    pub(super) fn note_applied(
        &mut self,
        kind: &'static str,
        resource: &str,
        ns: &str,
        name: &str,
        changed: bool,
    ) {
        let verb = if changed { "configured" } else { "unchanged" };
        self.timeline.push(
            TimelineRecord::new(self.now, kind, ns, name, "Note")
                .message(format!("{resource}.apps/{name} {verb}")),
        );
    }

    /// `kubectl delete` of a workload object with `--cascade` (default background). Returns
    /// false for kinds without a controller here.
    pub(super) fn delete_workload(&mut self, d: &crate::scenario::DeleteAction) -> bool {
        let Some((resource, found)) = self.find_workload(&d.kind, d.namespace.as_deref(), &d.name)
        else {
            return false;
        };
        match found {
            Some(o) => {
                let policy = d.cascade.unwrap_or(PropagationPolicy::Background);
                self.gc_delete(o, policy, "kubectl delete");
            }
            None => self.note(format!(
                "Error from server (NotFound): {resource} \"{}\" not found",
                d.name
            )),
        }
        true
    }
}

fn rs_status_text(s: &ReplicaSetStatus, desired: usize) -> String {
    format!(
        "desired {desired}, current {}, ready {}, available {}",
        s.replicas, s.ready_replicas, s.available_replicas
    )
}

/// kubectl get deployment's READY, UP-TO-DATE and AVAILABLE columns.
fn deployment_status_text(s: &DeploymentStatus, desired: i32) -> String {
    format!(
        "ready {}/{desired}, up-to-date {}, available {}",
        s.ready_replicas, s.updated_replicas, s.available_replicas
    )
}
