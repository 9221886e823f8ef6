//! tainttoleration/taint_toleration.go: NoSchedule/NoExecute taints must be tolerated (Filter);
//! fewer untolerated PreferNoSchedule taints score higher (Score, normalised in reverse).

use crate::api::{Taint, TaintEffect, Toleration, TolerationOperator};
use crate::cluster::{NodeId, PodRecord};
use crate::scheduler::events::{ClusterEventType, NODE_TAINT_EVENTS, QueueEvent, QueueingHint};
use crate::scheduler::framework::{
    FilterPlugin, MAX_NODE_SCORE, ScorePlugin, Snapshot, Status, default_normalize_score,
    retain_passing, score_each, state_not_found,
};

/// v1.Toleration.ToleratesTaint (staging/src/k8s.io/api/core/v1/toleration.go).
pub fn tolerates(t: &Toleration, taint: &Taint) -> bool {
    if t.effect.is_some() && t.effect != taint.effect {
        return false;
    }
    if !t.key.is_empty() && t.key != taint.key {
        return false;
    }
    match &t.operator {
        None | Some(TolerationOperator::Equal) => t.value == taint.value,
        Some(TolerationOperator::Exists) => true,
        Some(TolerationOperator::Other(_)) => false,
    }
}

/// v1helper.FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc: the first
/// NoSchedule or NoExecute taint no toleration tolerates.
pub fn first_untolerated_do_not_schedule<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
) -> Option<&'a Taint> {
    taints.iter().find(|taint| {
        matches!(
            taint.effect,
            Some(TaintEffect::NoSchedule | TaintEffect::NoExecute)
        ) && !tolerations.iter().any(|t| tolerates(t, taint))
    })
}

pub struct TaintToleration;

impl FilterPlugin for TaintToleration {
    /// taint_toleration.go EventsToRegister with queueing hints: a node added or its taints
    /// changed, a pod's tolerations changed.
    fn events_to_register(&self) -> &'static [ClusterEventType] {
        NODE_TAINT_EVENTS
    }

    /// isSchedulableAfterNodeChange: the node had an untolerated NoSchedule/NoExecute taint
    /// (or is new) and has none now; isSchedulableAfterPodTolerationChange: the pod itself.
    fn queueing_hint(&self, pod: &PodRecord, e: &QueueEvent<'_>, _: Snapshot<'_>) -> QueueingHint {
        let tolerations = &pod.pod.spec.tolerations;
        let queue = match (e.new_node(), e.new_pod()) {
            (Some(new), _) => {
                let was_untolerated = e.old_node().is_none_or(|o| {
                    first_untolerated_do_not_schedule(&o.taints, tolerations).is_some()
                });
                was_untolerated
                    && first_untolerated_do_not_schedule(&new.taints, tolerations).is_none()
            }
            (None, Some(new)) => new.id == pod.id,
            (None, None) => true,
        };
        QueueingHint::queue_if(queue)
    }

    fn name(&self) -> &'static str {
        "TaintToleration"
    }

    fn filter(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> Status {
        if !s.cache.flags(id).has_taints {
            return Status::SUCCESS;
        }
        let node = s.node(id);
        match first_untolerated_do_not_schedule(&node.taints, &pod.pod.spec.tolerations) {
            None => Status::SUCCESS,
            Some(t) => Status::unresolvable(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                t.key, t.value
            )),
        }
    }

    fn filter_batch(
        &self,
        pod: &PodRecord,
        nodes: &mut Vec<NodeId>,
        s: Snapshot<'_>,
        rejected: &mut Vec<(NodeId, Status)>,
    ) {
        if !s.cache.any_taints() {
            return;
        }
        let passes = |id| !s.cache.flags(id).has_taints;
        retain_passing(nodes, rejected, passes, |id| self.filter(pod, id, s));
    }
}

/// The Score half: counts PreferNoSchedule taints the pod's PreferNoSchedule (or
/// effect-less) tolerations do not tolerate.
#[derive(Default)]
pub struct TaintTolerationScore {
    /// PreScore state: indexes into the pod's tolerations.
    prefer_no_schedule: Vec<usize>,
}

impl ScorePlugin for TaintTolerationScore {
    fn name(&self) -> &'static str {
        "TaintToleration"
    }

    /// tainttoleration/taint_toleration.go getPreScoreState.
    fn missing_pre_score_state(&self) -> Option<String> {
        Some(state_not_found("failed to read", "PreScoreTaintToleration"))
    }

    fn pre_score(&mut self, pod: &PodRecord, _: &[NodeId], _: Snapshot<'_>) -> Status {
        self.prefer_no_schedule.clear();
        for (i, t) in pod.pod.spec.tolerations.iter().enumerate() {
            if matches!(t.effect, None | Some(TaintEffect::PreferNoSchedule)) {
                self.prefer_no_schedule.push(i);
            }
        }
        Status::SUCCESS
    }

    fn score_all(&self, pod: &PodRecord, feasible: &[NodeId], s: Snapshot<'_>, out: &mut [i64]) {
        if s.cache.any_taints() {
            score_each(self, pod, feasible, s, out);
        } else {
            out.fill(0);
        }
    }

    fn score(&self, pod: &PodRecord, id: NodeId, s: Snapshot<'_>) -> i64 {
        if !s.cache.flags(id).has_taints {
            return 0;
        }
        let node = s.node(id);
        let tolerations = &pod.pod.spec.tolerations;
        node.taints
            .iter()
            .filter(|taint| taint.effect == Some(TaintEffect::PreferNoSchedule))
            .filter(|taint| {
                !self
                    .prefer_no_schedule
                    .iter()
                    .any(|&i| tolerates(&tolerations[i], taint))
            })
            .count() as i64
    }

    fn normalize(&self, scores: &mut [i64]) {
        default_normalize_score(MAX_NODE_SCORE, true, scores);
    }

    /// No node has taints: every raw score is 0, which the reverse normalization makes
    /// MaxNodeScore on every node.
    fn uniform_score(&self, _: &PodRecord, _: &[NodeId], s: Snapshot<'_>) -> Option<i64> {
        (!s.cache.any_taints()).then_some(MAX_NODE_SCORE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taint(key: &str, value: &str, effect: TaintEffect) -> Taint {
        Taint {
            key: key.into(),
            value: value.into(),
            effect: Some(effect),
        }
    }

    fn toleration(
        key: &str,
        op: Option<TolerationOperator>,
        value: &str,
        effect: Option<TaintEffect>,
    ) -> Toleration {
        Toleration {
            key: key.into(),
            operator: op,
            value: value.into(),
            effect,
            toleration_seconds: None,
        }
    }

    /// Cases from staging/src/k8s.io/api/core/v1/toleration_test.go TestTolerationToleratesTaint.
    #[test]
    fn toleration_matches_taint() {
        use TaintEffect::*;
        use TolerationOperator::*;
        let t = taint("foo", "bar", NoSchedule);
        let cases = [
            (toleration("", Some(Exists), "", None), true),
            (toleration("foo", Some(Exists), "", Some(NoSchedule)), true),
            (
                toleration("foo", Some(Equal), "bar", Some(NoSchedule)),
                true,
            ),
            (toleration("foo", None, "bar", None), true),
            (
                toleration("foo", Some(Equal), "baz", Some(NoSchedule)),
                false,
            ),
            (toleration("foo", Some(Exists), "", Some(NoExecute)), false),
            (toleration("other", Some(Exists), "", None), false),
        ];
        for (i, (tol, want)) in cases.iter().enumerate() {
            assert_eq!(tolerates(tol, &t), *want, "case {i}: {tol:?}");
        }
    }

    /// tainttoleration/taint_toleration_test.go TestTaintTolerationScore: raw counts of
    /// untolerated PreferNoSchedule taints, normalised in reverse.
    #[test]
    fn score_counts_untolerated_prefer_no_schedule() {
        use TaintEffect::*;
        use TolerationOperator::*;
        // "the more intolerable taints a node has, the lower score it gets": pod tolerates
        // foo=bar; node1 has foo=bar, node2 has foo=bar and bar=foo... (one untolerated),
        // node3 has two untolerated.
        let tolerations = [toleration(
            "foo",
            Some(Equal),
            "bar",
            Some(PreferNoSchedule),
        )];
        let nodes: [&[Taint]; 3] = [
            &[taint("foo", "bar", PreferNoSchedule)],
            &[
                taint("foo", "bar", PreferNoSchedule),
                taint("cpu-type", "arm64", PreferNoSchedule),
            ],
            &[
                taint("cpu-type", "arm64", PreferNoSchedule),
                taint("disk-type", "ssd", PreferNoSchedule),
            ],
        ];
        let mut raw: Vec<i64> = nodes
            .iter()
            .map(|taints| {
                taints
                    .iter()
                    .filter(|t| !tolerations.iter().any(|tol| tolerates(tol, t)))
                    .count() as i64
            })
            .collect();
        assert_eq!(raw, [0, 1, 2]);
        default_normalize_score(MAX_NODE_SCORE, true, &mut raw);
        assert_eq!(raw, [100, 50, 0]);
    }
}
