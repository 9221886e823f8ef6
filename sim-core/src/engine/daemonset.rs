//! Routing for the DaemonSet controller (pkg/controller/daemon/daemon_controller.go
//! podsShouldBeOnNode, syncNodes): one pod per node that should run it, pinned to that node by
//! node affinity and placed by the scheduler; pods leave nodes that no longer fit.

use std::collections::BTreeMap;

use super::Simulation;
use super::controllers::ControllerEvent;
use super::workloads::{controller_ref, owner_reference};
use crate::api::DaemonSet;
use crate::cluster::{EventType, PodId};
use crate::controller::daemonset as dsc;
use crate::controller::replicaset::{is_pod_active, is_pod_available, is_pod_ready};
use crate::controller::workloads::{DaemonSetId, DaemonSetRecord, DaemonSetStatus};
use crate::time::SimTime;
use crate::timeline::TimelineRecord;

/// pod-template-generation of a DaemonSet that was never updated.
const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";

impl Simulation {
    pub(super) fn add_daemon_set(&mut self, ds: DaemonSet) {
        let ns = ds.metadata.namespace.clone().unwrap_or_default();
        let name = ds.metadata.name.clone().unwrap_or_default();
        if self
            .controllers
            .workloads
            .find_daemon_set(&ns, &name)
            .is_some()
        {
            self.already_exists("DaemonSet", "daemonsets.apps", &ns, &name);
            return;
        }
        let uid = self.cluster.next_uid();
        let names = self
            .streams
            .stream(&format!("daemonset/{ns}/{name}/pod-names"));
        let id = self.controllers.workloads.add_daemon_set(DaemonSetRecord {
            id: DaemonSetId(0),
            object: ds,
            uid,
            created_at: self.now,
            status: DaemonSetStatus::default(),
            names,
        });
        self.timeline.push(TimelineRecord::new(
            self.now,
            "DaemonSet",
            &ns,
            &name,
            "Created",
        ));
        self.schedule_ds_sync(id, self.now + self.controllers.timings.daemon_set);
    }

    pub(super) fn schedule_ds_sync(&mut self, id: DaemonSetId, at: SimTime) {
        self.wake(ControllerEvent::DaemonSetSync(id), at);
    }

    /// The node informer of the DaemonSet controller: a new node or a taint change.
    pub(super) fn daemon_sets_see_nodes(&mut self) {
        let ids: Vec<DaemonSetId> = self
            .controllers
            .workloads
            .daemon_sets()
            .map(|d| d.id)
            .collect();
        for id in ids {
            self.schedule_ds_sync(id, self.now + self.controllers.timings.daemon_set);
        }
    }

    pub(super) fn sync_daemon_set(&mut self, id: DaemonSetId) {
        let Some(rec) = self.controllers.workloads.daemon_set(id) else {
            return;
        };
        // daemon_controller.go syncDaemonSet: nothing is done for a deleting DaemonSet.
        if self.gc_deleting(&rec.uid) {
            return;
        }
        let (ns, name, uid) = (
            rec.namespace().to_string(),
            rec.name().to_string(),
            rec.uid.clone(),
        );
        let min_ready = rec.object.spec.min_ready_seconds;
        let mut template = rec.object.spec.template.clone();
        dsc::add_daemon_tolerations(&mut template.spec);
        // The daemon pods per node name (bound, or pinned while being scheduled).
        let mut by_node: BTreeMap<String, Vec<PodId>> = BTreeMap::new();
        let mut failed = Vec::new();
        for p in self.cluster.pods().filter(|p| p.namespace() == ns) {
            if controller_ref(&p.pod.metadata).is_none_or(|r| r.uid != uid) {
                continue;
            }
            if p.status.phase == crate::cluster::PodPhase::Failed && p.deletion.is_none() {
                failed.push(p.id);
                continue;
            }
            if !is_pod_active(p) {
                continue;
            }
            let node = match p.node {
                Some(n) => self.cluster.node(n).name.clone(),
                None => dsc::pinned_node(&p.pod.spec).unwrap_or("").to_string(),
            };
            by_node.entry(node).or_default().push(p.id);
        }
        let mut to_create = Vec::new();
        let mut to_delete = failed;
        let mut status = DaemonSetStatus::default();
        for node in self.cluster.nodes() {
            let (run, keep) = dsc::should_run(&template.spec, node);
            let pods = by_node.get(&node.name).cloned().unwrap_or_default();
            if run {
                status.desired_number_scheduled += 1;
            }
            if pods.is_empty() {
                if run {
                    to_create.push(node.name.clone());
                }
                continue;
            }
            if !keep {
                to_delete.extend(pods);
                continue;
            }
            if run {
                status.current_number_scheduled += 1;
            } else {
                status.number_misscheduled += 1;
            }
            // More than one daemon pod on a node: keep the oldest.
            to_delete.extend(pods.iter().skip(1).copied());
            if let Some(p) = pods.first().and_then(|p| self.cluster.pod(*p)) {
                status.number_ready += i32::from(is_pod_ready(p));
                status.number_available += i32::from(is_pod_available(p, min_ready, self.now));
            }
        }
        for pid in to_delete {
            let Some(pod_name) = self.cluster.pod(pid).map(|p| p.name().to_string()) else {
                continue;
            };
            self.record_event(
                "DaemonSet",
                &ns,
                &name,
                EventType::Normal,
                "SuccessfulDelete",
                format!("Deleted pod: {pod_name}"),
                dsc::SOURCE,
                "",
            );
            self.delete_pod(pid, None, dsc::SOURCE);
        }
        for node in to_create {
            self.create_daemon_pod(id, &template, &node);
        }
        let old = self
            .controllers
            .workloads
            .daemon_set(id)
            .map(|r| r.status.clone())
            .unwrap_or_default();
        if old != status {
            let text = |s: &DaemonSetStatus| {
                format!(
                    "desired {}, current {}, ready {}",
                    s.desired_number_scheduled, s.current_number_scheduled, s.number_ready
                )
            };
            self.timeline.push(
                TimelineRecord::new(self.now, "DaemonSet", &ns, &name, "Status")
                    .change(text(&old), text(&status)),
            );
            if let Some(r) = self.controllers.workloads.daemon_set_mut(id) {
                r.status = status;
            }
        }
    }

    fn create_daemon_pod(
        &mut self,
        id: DaemonSetId,
        template: &crate::api::PodTemplateSpec,
        node: &str,
    ) {
        let Some(rec) = self.controllers.workloads.daemon_set(id) else {
            return;
        };
        let (ns, name) = (rec.namespace().to_string(), rec.name().to_string());
        let owner = owner_reference("DaemonSet", &name, &rec.uid);
        let base = format!("{name}-");
        let mut names = rec.names.clone();
        let pod_name = self.generate_pod_name(&ns, &base, &mut names);
        if let Some(rec) = self.controllers.workloads.daemon_set_mut(id) {
            rec.names = names;
        }
        let mut template = template.clone();
        template
            .metadata
            .labels
            .insert(TEMPLATE_GENERATION_LABEL.into(), "1".into());
        dsc::pin_to_node(&mut template.spec, node);
        let message = format!("Created pod: {pod_name}");
        self.create_controlled_pod(
            "DaemonSet",
            dsc::SOURCE,
            &name,
            pod_name,
            Some(base),
            template,
            owner,
            message,
        );
    }
}
