//! Routing for the StatefulSet controller (pkg/controller/statefulset): `<set>-<ordinal>` pods
//! created and deleted per `crate::controller::statefulset::plan`.

use std::collections::BTreeMap;

use super::Simulation;
use super::controllers::ControllerEvent;
use super::workloads::{controller_ref, owner_reference};
use crate::api::{PodManagementPolicyType, StatefulSet};
use crate::cluster::{EventType, PodId};
use crate::controller::replicaset::{is_pod_available, is_pod_ready};
use crate::controller::statefulset::{self as ssc, SetAction, SetPod};
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
            pods.insert(ordinal, (p.id, state));
        }
        let monotonic = set.spec.pod_management_policy != Some(PodManagementPolicyType::Parallel);
        let states: BTreeMap<i32, SetPod> = pods.iter().map(|(o, (_, s))| (*o, *s)).collect();
        for action in ssc::plan(&want, &states, monotonic) {
            match action {
                SetAction::Create(ordinal) => self.create_stateful_pod(id, &set, ordinal),
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
        let live: Vec<_> = pods
            .values()
            .filter_map(|(pid, _)| self.cluster.pod(*pid))
            .filter(|p| !p.status.phase.is_terminal())
            .collect();
        let status = StatefulSetStatus {
            replicas: live.len() as i32,
            ready_replicas: live.iter().filter(|p| is_pod_ready(p)).count() as i32,
            available_replicas: live
                .iter()
                .filter(|p| is_pod_available(p, min_ready, self.now))
                .count() as i32,
        };
        let desired = want.len();
        let old = self
            .controllers
            .workloads
            .stateful_set(id)
            .map(|r| r.status.clone())
            .unwrap_or_default();
        if old != status {
            let text = |s: &StatefulSetStatus| {
                format!(
                    "ready {}/{desired}, current {}",
                    s.ready_replicas, s.replicas
                )
            };
            self.timeline.push(
                TimelineRecord::new(self.now, "StatefulSet", &ns, &name, "Status")
                    .change(text(&old), text(&status)),
            );
            if let Some(r) = self.controllers.workloads.stateful_set_mut(id) {
                r.status = status;
            }
        }
    }

    /// newVersionedStatefulSetPod: the ordinal name, identity labels, hostname and subdomain.
    fn create_stateful_pod(&mut self, id: StatefulSetId, set: &StatefulSet, ordinal: i32) {
        let Some(rec) = self.controllers.workloads.stateful_set(id) else {
            return;
        };
        let name = rec.name().to_string();
        let pod_name = format!("{name}-{ordinal}");
        let mut template = set.spec.template.clone();
        template
            .metadata
            .labels
            .insert(ssc::POD_NAME_LABEL.into(), pod_name.clone());
        template
            .metadata
            .labels
            .insert(ssc::POD_INDEX_LABEL.into(), ordinal.to_string());
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
