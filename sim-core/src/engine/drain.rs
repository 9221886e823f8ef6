//! `kubectl drain`'s eviction phase (staging/src/k8s.io/kubectl/pkg/drain/drain.go evictPods):
//! every pod is evicted through the eviction subresource, which honours
//! PodDisruptionBudgets; a 429 is retried every 5s; the drain ends when every evicted pod is
//! gone, or at its `--timeout`.

use std::collections::BTreeSet;

use super::Simulation;
use super::controllers::ControllerEvent;
use super::workloads::controller_ref;
use crate::api::PodDisruptionBudget;
use crate::cluster::{ConditionStatus, ConditionType, NodeId, PodId, PodRecord};
use crate::controller::disruption::{self, EvictionVerdict, PdbStatus};
use crate::controller::workloads::{Owner, PdbRecord};
use crate::time::SimDuration;
use crate::timeline::TimelineRecord;

/// kubectl drain's retry interval after a 429.
const EVICTION_RETRY: SimDuration = SimDuration::from_secs(5);

/// A drain in progress.
#[derive(Clone, Debug)]
pub(super) struct Drain {
    node: String,
    pods: BTreeSet<PodId>,
    grace: Option<i64>,
    timeout: Option<SimDuration>,
    failed: bool,
    done: bool,
}

impl Simulation {
    /// PodDisruptionBudgets with the status the disruption controller would report now.
    pub fn disruption_budgets(&self) -> Vec<(&PdbRecord, PdbStatus)> {
        self.controllers
            .pdbs
            .iter()
            .map(|r| (r, self.pdb_status(&r.object)))
            .collect()
    }

    pub(super) fn add_pdb(&mut self, mut pdb: PodDisruptionBudget) {
        pdb.metadata
            .namespace
            .get_or_insert_with(|| "default".into());
        let rec = PdbRecord {
            object: pdb,
            created_at: self.now,
        };
        self.timeline.push(TimelineRecord::new(
            self.now,
            "PodDisruptionBudget",
            rec.namespace(),
            rec.name(),
            "Created",
        ));
        self.controllers.pdbs.push(rec);
    }

    fn pdb_pods(&self, pdb: &PodDisruptionBudget) -> Vec<&PodRecord> {
        let ns = pdb.metadata.namespace.as_deref().unwrap_or("default");
        self.cluster
            .pods()
            .filter(|p| p.namespace() == ns)
            .filter(|p| {
                crate::api::selector_matches(pdb.spec.selector.as_ref(), &p.pod.metadata.labels)
            })
            .collect()
    }

    fn pdb_status(&self, pdb: &PodDisruptionBudget) -> PdbStatus {
        let pods = self.pdb_pods(pdb);
        disruption::pdb_status(pdb, &pods, self.expected_scale(&pods))
    }

    /// getExpectedScale: each distinct controller's scale once (a Deployment's for its
    /// ReplicaSets' pods); `None` when a pod has no controller with a scale.
    fn expected_scale(&self, pods: &[&PodRecord]) -> Option<i32> {
        let w = &self.controllers.workloads;
        let mut seen = BTreeSet::new();
        let mut total = 0;
        for p in pods {
            let r = controller_ref(&p.pod.metadata)?;
            let (key, scale) = match w.owner_by_uid(&r.uid)? {
                Owner::ReplicaSet(id) => {
                    let rs = w.replica_set(id)?;
                    match rs.owner.and_then(|d| w.deployment(d)) {
                        Some(d) => (d.uid.clone(), d.replicas()),
                        None => (rs.uid.clone(), rs.replicas()),
                    }
                }
                Owner::StatefulSet(id) => {
                    let s = w.stateful_set(id)?;
                    (s.uid.clone(), s.replicas())
                }
                Owner::Deployment(_) | Owner::Job(_) | Owner::DaemonSet(_) | Owner::CronJob(_) => {
                    return None;
                }
            };
            if seen.insert(key) {
                total += scale;
            }
        }
        Some(total)
    }

    /// Evicts `pods` as `kubectl drain` does once its filters passed.
    pub(super) fn start_drain(
        &mut self,
        node: NodeId,
        pods: Vec<PodId>,
        d: &crate::scenario::DrainAction,
    ) {
        let name = self.cluster.node(node).name.clone();
        if pods.is_empty() {
            self.note(format!("node/{name} drained"));
            return;
        }
        let id = self.controllers.drains.len() as u32;
        self.controllers.drains.push(Drain {
            node: name,
            pods: pods.iter().copied().collect(),
            grace: d.grace_period,
            timeout: d.timeout,
            failed: false,
            done: false,
        });
        for &pod in &pods {
            if let Some(p) = self.cluster.pod(pod) {
                let msg = format!("evicting pod {}", p.key());
                self.note(msg);
            }
        }
        if let Some(t) = d.timeout {
            self.queue.schedule(
                self.now + t,
                super::Event::Controller(ControllerEvent::DrainTimeout(id)),
            );
        }
        for pod in pods {
            self.evict(id, pod);
        }
    }

    /// One eviction call of the drain's per-pod loop.
    pub(super) fn evict(&mut self, drain: u32, pod: PodId) {
        let Some(d) = self.controllers.drains.get(drain as usize) else {
            return;
        };
        if d.done || !d.pods.contains(&pod) {
            return;
        }
        let grace = d.grace;
        let Some(p) = self.cluster.pod(pod) else {
            return;
        };
        let budgets: Vec<(&PodDisruptionBudget, PdbStatus)> = self
            .controllers
            .pdbs
            .iter()
            .filter(|b| b.namespace() == p.namespace())
            .filter(|b| {
                crate::api::selector_matches(
                    b.object.spec.selector.as_ref(),
                    &p.pod.metadata.labels,
                )
            })
            .map(|b| (&b.object, self.pdb_status(&b.object)))
            .collect();
        let verdict = disruption::evict(p, &budgets);
        let (ns, name) = (p.namespace().to_string(), p.name().to_string());
        match verdict {
            EvictionVerdict::Evict => {
                let now = self.now;
                if let Some(p) = self.cluster.pod_mut(pod)
                    && p.deletion.is_none()
                    && !p.status.phase.is_terminal()
                {
                    std::sync::Arc::make_mut(&mut p.status).set_condition(
                        now,
                        ConditionType::DisruptionTarget,
                        ConditionStatus::True,
                        "EvictionByEvictionAPI",
                        "Eviction API: evicting",
                    );
                    self.dirty.insert(pod);
                }
                self.delete_pod(pod, grace, "kubectl drain (eviction API)");
            }
            EvictionVerdict::TooManyRequests { message, cause } => {
                self.timeline.push(
                    TimelineRecord::new(self.now, "Pod", &ns, &name, "Note")
                        .reason("TooManyRequests")
                        .message(format!(
                            "error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {message} ({cause})"
                        )),
                );
                self.queue.schedule(
                    self.now + EVICTION_RETRY,
                    super::Event::Controller(ControllerEvent::Evict { drain, pod }),
                );
            }
            EvictionVerdict::Error(message) => {
                self.note(format!(
                    "error when evicting pods/\"{name}\" -n \"{ns}\": {message}"
                ));
                if let Some(d) = self.controllers.drains.get_mut(drain as usize) {
                    d.pods.remove(&pod);
                    d.failed = true;
                }
                self.finish_drain_if_done(drain);
            }
        }
    }

    /// waitForDelete noticed the pod is gone.
    pub(super) fn drained_pod_removed(&mut self, record: &PodRecord) {
        let drains: Vec<u32> = self
            .controllers
            .drains
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.done && d.pods.contains(&record.id))
            .map(|(i, _)| i as u32)
            .collect();
        for i in drains {
            if let Some(d) = self.controllers.drains.get_mut(i as usize) {
                d.pods.remove(&record.id);
            }
            self.note(format!("pod/{} evicted", record.name()));
            self.finish_drain_if_done(i);
        }
    }

    fn finish_drain_if_done(&mut self, drain: u32) {
        let Some(d) = self.controllers.drains.get_mut(drain as usize) else {
            return;
        };
        if d.done || !d.pods.is_empty() {
            return;
        }
        d.done = true;
        let (node, failed) = (d.node.clone(), d.failed);
        if failed {
            self.note(format!(
                "error: unable to drain node \"{node}\", aborting command..."
            ));
        } else {
            self.note(format!("node/{node} drained"));
        }
    }

    /// The drain's `--timeout` passed with pods still not gone.
    pub(super) fn drain_timeout(&mut self, drain: u32) {
        let Some(d) = self.controllers.drains.get_mut(drain as usize) else {
            return;
        };
        if d.done {
            return;
        }
        d.done = true;
        let timeout = d.timeout.unwrap_or_default();
        let node = d.node.clone();
        let pods: Vec<PodId> = d.pods.iter().copied().collect();
        let errors: Vec<String> = pods
            .iter()
            .filter_map(|p| self.cluster.pod(*p))
            .map(|p| {
                format!(
                    "error when evicting pods/\"{}\" -n \"{}\": global timeout reached: {timeout}",
                    p.name(),
                    p.namespace()
                )
            })
            .collect();
        let err = if errors.len() == 1 {
            errors[0].clone()
        } else {
            format!("[{}]", errors.join(", "))
        };
        self.note(format!(
            "error: unable to drain node \"{node}\" due to error: {err}, continuing command..."
        ));
    }
}
