//! Routing for the StatefulSet controller (pkg/controller/statefulset): `<set>-<ordinal>` pods
//! created and deleted per `crate::controller::statefulset::plan`, each labelled with the
//! ControllerRevision it was created from.

use std::collections::{BTreeMap, BTreeSet};

use super::Simulation;
use super::controllers::ControllerEvent;
use super::workloads::{controller_ref, owner_reference};
use crate::api::{PodManagementPolicyType, StatefulSet, StatefulSetUpdateStrategyType};
use crate::cluster::{EventType, PodId};
use crate::controller::replicaset::{is_pod_available, is_pod_ready};
use crate::controller::statefulset::{self as ssc, SetAction, SetPod, Strategy};
use crate::controller::workloads::{StatefulSetId, StatefulSetRecord, StatefulSetStatus};
use crate::time::SimTime;
use crate::timeline::TimelineRecord;

impl Simulation {
    pub(super) fn add_stateful_set(&mut self, set: StatefulSet) {
        let ns = set.metadata.namespace.clone().unwrap_or_default();
        let name = set.metadata.name.clone().unwrap_or_default();
        if self
            .controllers
            .workloads
            .find_stateful_set(&ns, &name)
            .is_some()
        {
            self.already_exists("StatefulSet", "statefulsets.apps", &ns, &name);
            return;
        }
        let uid = self.cluster.next_uid();
        let id = self
            .controllers
            .workloads
            .add_stateful_set(StatefulSetRecord {
                id: StatefulSetId(0),
                object: set,
                uid,
                created_at: self.now,
                status: StatefulSetStatus::default(),
                generation: 1,
                revisions: BTreeMap::new(),
            });
        self.timeline.push(TimelineRecord::new(
            self.now,
            "StatefulSet",
            &ns,
            &name,
            "Created",
        ));
        self.schedule_sts_sync(id, self.now + self.controllers.timings.stateful_set);
    }

    pub(super) fn schedule_sts_sync(&mut self, id: StatefulSetId, at: SimTime) {
        self.wake(ControllerEvent::StatefulSetSync(id), at);
    }

    pub(super) fn sync_stateful_set(&mut self, id: StatefulSetId) {
        let (current_revision, update_revision) = self.stateful_set_revisions(id);
        let Some(rec) = self.controllers.workloads.stateful_set(id) else {
            return;
        };
        // a StatefulSet deleted in the foreground creates no more pods.
        if self.gc_deleting(&rec.uid) {
            return;
        }
        let set = rec.object.clone();
        let (ns, name, uid) = (
            rec.namespace().to_string(),
            rec.name().to_string(),
            rec.uid.clone(),
        );
        let start = set.spec.ordinals.as_ref().map_or(0, |o| o.start);
        let want: Vec<i32> = (start..start + rec.replicas().max(0)).collect();
        let min_ready = set.spec.min_ready_seconds;
        let mut pods: BTreeMap<i32, (PodId, SetPod)> = BTreeMap::new();
        let mut outdated = BTreeSet::new();
        for p in self.cluster.pods().filter(|p| p.namespace() == ns) {
            if controller_ref(&p.pod.metadata).is_none_or(|r| r.uid != uid) {
                continue;
            }
            let Some(ordinal) = p
                .name()
                .strip_prefix(&format!("{name}-"))
                .and_then(|o| o.parse::<i32>().ok())
            else {
                continue;
            };
            let state = if p.deletion.is_some() {
                SetPod::Terminating
            } else if p.status.phase.is_terminal() {
                SetPod::Finished
            } else if is_pod_available(p, min_ready, self.now) {
                SetPod::Healthy
            } else {
                SetPod::Starting
            };
            if p.pod.metadata.labels.get(ssc::REVISION_LABEL) != Some(&update_revision) {
                outdated.insert(ordinal);
            }
            pods.insert(ordinal, (p.id, state));
        }
        let monotonic = set.spec.pod_management_policy != Some(PodManagementPolicyType::Parallel);
        let partition = set
            .spec
            .update_strategy
            .rolling_update
            .as_ref()
            .and_then(|r| r.partition);
        let strategy = match set.spec.update_strategy.type_ {
            Some(StatefulSetUpdateStrategyType::OnDelete) => Strategy::OnDelete,
            _ => Strategy::RollingUpdate {
                partition: partition.unwrap_or(0),
            },
        };
        let current_replicas = self
            .controllers
            .workloads
            .stateful_set(id)
            .map_or(0, |r| r.status.current_replicas);
        let states: BTreeMap<i32, SetPod> = pods.iter().map(|(o, (_, s))| (*o, *s)).collect();
        for action in ssc::plan(&want, &states, monotonic, strategy, &outdated) {
            match action {
                SetAction::Create(ordinal) => {
                    let revision = if ssc::creates_at_current_revision(
                        strategy != Strategy::OnDelete,
                        partition,
                        current_replicas,
                        ordinal - start,
                    ) {
                        &current_revision
                    } else {
                        &update_revision
                    };
                    self.create_stateful_pod(id, revision, ordinal)
                }
                SetAction::Delete(ordinal) => {
                    let Some((pid, _)) = pods.get(&ordinal).copied() else {
                        continue;
                    };
                    let pod_name = format!("{name}-{ordinal}");
                    self.record_event(
                        "StatefulSet",
                        &ns,
                        &name,
                        EventType::Normal,
                        "SuccessfulDelete",
                        format!("delete Pod {pod_name} in StatefulSet {name} successful"),
                        ssc::SOURCE,
                        "",
                    );
                    self.delete_pod(pid, None, ssc::SOURCE);
                }
            }
        }
        let live: Vec<_> = self
            .cluster
            .pods()
            .filter(|p| p.namespace() == ns && !p.status.phase.is_terminal())
            .filter(|p| controller_ref(&p.pod.metadata).is_some_and(|r| r.uid == uid))
            .collect();
        // computeReplicaStatus: Terminating pods count as replicas but at no revision.
        let at = |revision: &str| {
            live.iter()
                .filter(|p| p.deletion.is_none())
                .filter(|p| {
                    p.pod
                        .metadata
                        .labels
                        .get(ssc::REVISION_LABEL)
                        .map(String::as_str)
                        == Some(revision)
                })
                .count() as i32
        };
        let mut status = StatefulSetStatus {
            observed_generation: self
                .controllers
                .workloads
                .stateful_set(id)
                .map_or(0, |r| r.generation),
            replicas: live.len() as i32,
            ready_replicas: live.iter().filter(|p| is_pod_ready(p)).count() as i32,
            available_replicas: live
                .iter()
                .filter(|p| is_pod_available(p, min_ready, self.now))
                .count() as i32,
            current_replicas: at(&current_revision),
            updated_replicas: at(&update_revision),
            current_revision,
            update_revision,
        };
        // completeRollingUpdate: every pod updated and ready makes the update revision current.
        if strategy != Strategy::OnDelete
            && status.updated_replicas == status.replicas
            && status.ready_replicas == status.replicas
        {
            status.current_replicas = status.updated_replicas;
            status.current_revision = status.update_revision.clone();
        }
        let desired = want.len();
        let old = self
            .controllers
            .workloads
            .stateful_set(id)
            .map(|r| r.status.clone())
            .unwrap_or_default();
        if old != status {
            // The updated count and revisions show only while a rollout is in progress.
            let text = |s: &StatefulSetStatus| {
                let mut text = format!(
                    "ready {}/{desired}, current {}",
                    s.ready_replicas, s.replicas
                );
                if s.current_revision != s.update_revision {
                    text += &format!(
                        ", updated {} ({} -> {})",
                        s.updated_replicas, s.current_revision, s.update_revision
                    );
                }
                text
            };
            let (before, after) = (text(&old), text(&status));
            if before != after {
                self.timeline.push(
                    TimelineRecord::new(self.now, "StatefulSet", &ns, &name, "Status")
                        .change(before, after),
                );
            }
            if let Some(r) = self.controllers.workloads.stateful_set_mut(id) {
                r.status = status;
            }
        }
    }

    /// getStatefulSetRevisions: the update revision is the live template's (recorded in the
    /// history if new); the current one is status.currentRevision, or the update revision when
    /// the set has none yet.
    fn stateful_set_revisions(&mut self, id: StatefulSetId) -> (String, String) {
        let Some(rec) = self.controllers.workloads.stateful_set_mut(id) else {
            return Default::default();
        };
        let template = rec.object.spec.template.clone();
        let update = ssc::revision_name(
            rec.name(),
            &serde_json::to_string(&template).unwrap_or_default(),
        );
        rec.revisions.entry(update.clone()).or_insert(template);
        let current = if rec.revisions.contains_key(&rec.status.current_revision) {
            rec.status.current_revision.clone()
        } else {
            update.clone()
        };
        (current, update)
    }

    /// `kubectl apply` of an existing StatefulSet: the spec is replaced; a changed template
    /// makes a new update revision that the next sync rolls out per the update strategy.
    pub(super) fn apply_stateful_set(&mut self, id: StatefulSetId, new: &StatefulSet) {
        let Some(rec) = self.controllers.workloads.stateful_set_mut(id) else {
            return;
        };
        let changed = rec.object.spec != new.spec;
        rec.generation += i64::from(changed);
        rec.object.spec = new.spec.clone();
        rec.object.metadata.labels = new.metadata.labels.clone();
        let (ns, name) = (rec.namespace().to_string(), rec.name().to_string());
        self.note_applied("StatefulSet", "statefulset", &ns, &name, changed);
        if changed {
            self.schedule_sts_sync(id, self.now + self.controllers.timings.stateful_set);
        }
    }

    /// newVersionedStatefulSetPod: the ordinal name and identity labels, from the template of
    /// `revision` with its controller-revision-hash label; initIdentity's hostname (the pod
    /// name) and subdomain (the set's serviceName).
    fn create_stateful_pod(&mut self, id: StatefulSetId, revision: &str, ordinal: i32) {
        let Some(rec) = self.controllers.workloads.stateful_set(id) else {
            return;
        };
        let name = rec.name().to_string();
        let pod_name = format!("{name}-{ordinal}");
        let Some(mut template) = rec.revisions.get(revision).cloned() else {
            return;
        };
        template
            .metadata
            .labels
            .insert(ssc::REVISION_LABEL.into(), revision.to_string());
        template
            .metadata
            .labels
            .insert(ssc::POD_NAME_LABEL.into(), pod_name.clone());
        template
            .metadata
            .labels
            .insert(ssc::POD_INDEX_LABEL.into(), ordinal.to_string());
        template.spec.hostname = pod_name.clone();
        template.spec.subdomain = rec.object.spec.service_name.clone();
        let owner = owner_reference("StatefulSet", &name, &rec.uid);
        let ns = rec.namespace().to_string();
        if self.cluster.find_pod(&ns, &pod_name).is_some() {
            return;
        }
        let message = format!("create Pod {pod_name} in StatefulSet {name} successful");
        self.create_controlled_pod(
            "StatefulSet",
            ssc::SOURCE,
            &name,
            pod_name,
            None,
            template,
            owner,
            message,
        );
    }
}
