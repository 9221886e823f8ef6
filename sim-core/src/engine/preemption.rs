//! The API side of a preemption (pkg/scheduler/framework/preemption/preemption.go
//! prepareCandidate / PreemptPod, and schedule_one.go handleSchedulingFailure's status patch):
//! lower-priority nominations to the chosen node are cleared, each victim gets the
//! DisruptionTarget condition and a graceful DELETE (the kubelet's termination path), a
//! `Preempted` event, and the preemptor's `status.nominatedNodeName` is set. With the
//! SchedulerAsyncPreemption gate (beta, on in 1.33) these API calls run beside the scheduling
//! cycle; kubesim's API calls take no time, so they land at the cycle's instant.

use std::sync::Arc;

use super::Simulation;
use super::binding::scheduler_source;
use crate::cluster::{ConditionStatus, ConditionType, EventType, PodId};
use crate::scheduler::preemption::REASON_PREEMPTION_BY_SCHEDULER;
use crate::scheduler::{DisruptionBudget, Nomination};
use crate::timeline::TimelineRecord;

impl Simulation {
    /// Hands the scheduler the PodDisruptionBudgets with their current status.
    pub(super) fn feed_disruption_budgets(&mut self) {
        if self.controllers.pdbs.is_empty() {
            return;
        }
        let budgets = self
            .disruption_budgets()
            .into_iter()
            .map(|(r, status)| DisruptionBudget {
                namespace: r.namespace().to_string(),
                selector: r.object.spec.selector.clone(),
                disruptions_allowed: status.disruptions_allowed,
                // The eviction API lists a pod in status.disruptedPods and deletes it; the
                // disruption controller drops it again once it has a deletionTimestamp
                // (disruption.go buildDisruptedPodMap). kubesim's eviction deletes at once and
                // the status is computed when read, so the list is empty whenever the
                // scheduler reads it.
                disrupted_pods: Vec::new(),
            })
            .collect();
        self.scheduler.set_disruption_budgets(budgets);
    }

    /// Applies PostFilter's nomination change for `pod`.
    pub(super) fn apply_nomination(&mut self, pod: PodId, nomination: Nomination) {
        match nomination {
            Nomination::Keep => {}
            Nomination::Clear => self.set_nominated_node(pod, ""),
            Nomination::Set {
                node,
                victims,
                cleared,
            } => {
                let node_name = self.cluster.node(node).name.clone();
                for c in cleared {
                    self.set_nominated_node(c, "");
                }
                let Some(p) = self.cluster.pod(pod) else {
                    return;
                };
                let preemptor_uid = p.uid.clone();
                let scheduler = scheduler_source(p);
                for victim in victims {
                    self.preempt_pod(victim, &preemptor_uid, &scheduler, &node_name);
                }
                self.set_nominated_node(pod, &node_name);
            }
        }
    }

    /// PreemptPod: DisruptionTarget=True, a graceful DELETE, then the `Preempted` event.
    fn preempt_pod(&mut self, victim: PodId, preemptor_uid: &str, scheduler: &str, node: &str) {
        let now = self.now;
        let Some(p) = self.cluster.pod_mut(victim) else {
            return;
        };
        let message = format!("{scheduler}: preempting to accommodate a higher priority pod");
        Arc::make_mut(&mut p.status).set_condition(
            now,
            ConditionType::DisruptionTarget,
            ConditionStatus::True,
            REASON_PREEMPTION_BY_SCHEDULER,
            &message,
        );
        let (ns, name) = (p.namespace().to_string(), p.name().to_string());
        self.dirty.insert(victim);
        self.delete_pod(victim, None, &format!("{scheduler} (preemption)"));
        self.record_event(
            "Pod",
            &ns,
            &name,
            EventType::Normal,
            "Preempted",
            format!("Preempted by pod {preemptor_uid} on node {node}"),
            scheduler,
            "",
        );
    }

    /// Patches `status.nominatedNodeName` (a timeline record when it changes).
    fn set_nominated_node(&mut self, pod: PodId, node: &str) {
        let Some(p) = self.cluster.pod_mut(pod) else {
            return;
        };
        if p.status.nominated_node_name == node {
            return;
        }
        let from = std::mem::take(&mut Arc::make_mut(&mut p.status).nominated_node_name);
        Arc::make_mut(&mut p.status).nominated_node_name = node.to_string();
        let (ns, name) = (p.namespace().to_string(), p.name().to_string());
        self.dirty.insert(pod);
        self.timeline.push(
            TimelineRecord::new(self.now, "Pod", &ns, &name, "NominatedNodeName")
                .node(node)
                .change(from, node),
        );
    }
}
