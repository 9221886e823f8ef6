//! Routing for the DaemonSet controller (pkg/controller/daemon/daemon_controller.go
//! podsShouldBeOnNode, syncNodes): one pod per node that should run it, pinned to that node by
//! node affinity and placed by the scheduler; pods leave nodes that no longer fit. Once the
//! nodes are settled, a RollingUpdate replaces pods of an older template (update.go).

use std::collections::{BTreeMap, BTreeSet};

use super::Simulation;
use super::controllers::ControllerEvent;
use super::workloads::{controller_ref, owner_reference};
use crate::api::DaemonSet;
use crate::cluster::{EventType, PodId};
use crate::controller::daemonset as dsc;
use crate::controller::daemonset_update::{self as dsu, NodePods};
use crate::controller::deployment::compute_hash;
use crate::controller::replicaset::{is_pod_active, is_pod_available, is_pod_ready};
use crate::controller::statefulset::REVISION_LABEL;
use crate::controller::workloads::{DaemonSetId, DaemonSetRecord, DaemonSetStatus};
use crate::time::SimTime;
use crate::timeline::TimelineRecord;

/// extensions.DaemonSetTemplateGenerationKey.
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
            generation: 1,
            template_generation: 1,
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
        let strategy = rec.object.spec.update_strategy.clone();
        let surging = dsu::allows_surge(&strategy);
        // The pod label value is the ControllerRevision's hash (not `<ds>-<hash>`).
        let hash = compute_hash(
            &serde_json::to_string(&rec.object.spec.template).unwrap_or_default(),
            None,
        );
        let generation = rec.template_generation.to_string();
        let mut template = rec.object.spec.template.clone();
        dsc::add_daemon_tolerations(&mut template.spec);
        // The daemon pods per node name (bound, or pinned while being scheduled), oldest first,
        // and the nodes that still hold a pod being deleted.
        let mut by_node: BTreeMap<String, Vec<PodId>> = BTreeMap::new();
        let mut deleting: BTreeSet<String> = BTreeSet::new();
        let mut failed = Vec::new();
        for p in self.cluster.pods().filter(|p| p.namespace() == ns) {
            if controller_ref(&p.pod.metadata).is_none_or(|r| r.uid != uid) {
                continue;
            }
            // manage() walks the existing nodes only: pods bound to a deleted node are left
            // to PodGC; unscheduled pods pinned to one are deleted
            // (getUnscheduledPodsWithoutNode), since PodGC never sees them.
            let node = match p.node {
                Some(n) if self.cluster.node(n).deleted => continue,
                Some(n) => self.cluster.node(n).name.clone(),
                None => {
                    let pinned = dsc::pinned_node(&p.pod.spec).unwrap_or("");
                    if !pinned.is_empty() && self.cluster.find_node(pinned).is_none() {
                        if p.deletion.is_none() {
                            failed.push(p.id);
                        }
                        continue;
                    }
                    pinned.to_string()
                }
            };
            if p.status.phase == crate::cluster::PodPhase::Failed && p.deletion.is_none() {
                failed.push(p.id);
                continue;
            }
            if p.deletion.is_some() {
                deleting.insert(node);
                continue;
            }
            if !is_pod_active(p) {
                continue;
            }
            by_node.entry(node).or_default().push(p.id);
        }
        // IsPodUpdated: the current template generation or revision hash.
        let is_updated = |p: &crate::cluster::PodRecord| {
            let labels = &p.pod.metadata.labels;
            labels.get(REVISION_LABEL) == Some(&hash)
                || labels.get(TEMPLATE_GENERATION_LABEL) == Some(&generation)
        };
        let mut to_create = Vec::new();
        let mut to_delete = failed;
        let mut status = DaemonSetStatus {
            observed_generation: self
                .controllers
                .workloads
                .daemon_set(id)
                .map_or(0, |r| r.generation),
            ..DaemonSetStatus::default()
        };
        let mut update_view = Vec::new();
        for node in self.cluster.live_nodes() {
            let (run, keep) = dsc::should_run(&template.spec, node);
            let pods = by_node.get(&node.name).cloned().unwrap_or_default();
            if run {
                status.desired_number_scheduled += 1;
            }
            if pods.is_empty() {
                // podsShouldBeOnNode: a pod still being deleted holds the node unless surging.
                if run && (surging || !deleting.contains(&node.name)) {
                    to_create.push(node.name.clone());
                }
                if run {
                    update_view.push(NodePods {
                        node: node.name.clone(),
                        should_run: run,
                        ok: true,
                        new: None,
                        old: None,
                    });
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
            let records: Vec<_> = pods.iter().filter_map(|p| self.cluster.pod(*p)).collect();
            let (new, old): (Vec<&crate::cluster::PodRecord>, Vec<_>) =
                records.iter().partition(|p| is_updated(p));
            if !surging {
                // More than one daemon pod on a node: keep the oldest.
                to_delete.extend(pods.iter().skip(1).copied());
            } else {
                // Surging allows the oldest old pod next to the oldest new one while the old
                // one is Ready and the new one is not; every other pod goes.
                to_delete.extend(new.iter().skip(1).chain(old.iter().skip(1)).map(|p| p.id));
                if let (Some(n), Some(o)) = (new.first(), old.first())
                    && (!is_pod_ready(o) || is_pod_ready(n))
                {
                    to_delete.push(o.id);
                }
            }
            let available =
                |p: &crate::cluster::PodRecord| is_pod_available(p, min_ready, self.now);
            update_view.push(NodePods {
                node: node.name.clone(),
                should_run: run,
                ok: new.len() <= 1 && old.len() <= 1,
                new: new.first().map(|p| available(p)),
                old: old.first().map(|p| available(p)),
            });
            if let Some(p) = records.first() {
                status.number_ready += i32::from(is_pod_ready(p));
                status.number_available += i32::from(is_pod_available(p, min_ready, self.now));
                status.updated_number_scheduled += i32::from(run && is_updated(p));
            }
        }
        // syncDaemonSet runs the rolling update only when the manage loop had nothing to do
        // (its expectations are satisfied).
        if to_delete.is_empty() && to_create.is_empty() {
            let (max_surge, max_unavailable) =
                dsu::fenceposts(&strategy, status.desired_number_scheduled);
            if max_surge > 0 || max_unavailable > 0 {
                let plan = dsu::rolling_update(&update_view, max_surge, max_unavailable);
                for node in &plan.delete_old {
                    to_delete.extend(
                        by_node
                            .get(node)
                            .into_iter()
                            .flatten()
                            .filter_map(|p| self.cluster.pod(*p))
                            .filter(|p| !is_updated(p))
                            .take(1)
                            .map(|p| p.id),
                    );
                }
                to_create = plan.create;
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
        template
            .metadata
            .labels
            .insert(TEMPLATE_GENERATION_LABEL.into(), generation);
        template.metadata.labels.insert(REVISION_LABEL.into(), hash);
        for node in to_create {
            self.create_daemon_pod(id, &template, &node);
        }
        let old = self
            .controllers
            .workloads
            .daemon_set(id)
            .map(|r| r.status.clone())
            .unwrap_or_default();
        let counts_changed = DaemonSetStatus {
            observed_generation: status.observed_generation,
            ..old.clone()
        } != status;
        if counts_changed {
            let text = |s: &DaemonSetStatus| {
                format!(
                    "desired {}, current {}, ready {}, up-to-date {}",
                    s.desired_number_scheduled,
                    s.current_number_scheduled,
                    s.number_ready,
                    s.updated_number_scheduled
                )
            };
            self.timeline.push(
                TimelineRecord::new(self.now, "DaemonSet", &ns, &name, "Status")
                    .change(text(&old), text(&status)),
            );
        }
        if let Some(r) = self.controllers.workloads.daemon_set_mut(id) {
            r.status = status;
        }
    }

    /// `kubectl apply` of an existing DaemonSet: the spec is replaced; a changed template is
    /// a new template generation and revision, rolled out per the update strategy.
    pub(super) fn apply_daemon_set(&mut self, id: DaemonSetId, new: &DaemonSet) {
        let Some(rec) = self.controllers.workloads.daemon_set_mut(id) else {
            return;
        };
        let changed = rec.object.spec != new.spec;
        if changed {
            rec.generation += 1;
            if rec.object.spec.template != new.spec.template {
                rec.template_generation = rec.generation;
            }
        }
        rec.object.spec = new.spec.clone();
        rec.object.metadata.labels = new.metadata.labels.clone();
        let (ns, name) = (rec.namespace().to_string(), rec.name().to_string());
        self.note_applied("DaemonSet", "daemonset", &ns, &name, changed);
        if changed {
            self.schedule_ds_sync(id, self.now + self.controllers.timings.daemon_set);
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
