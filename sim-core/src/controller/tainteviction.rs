//! The taint eviction controller (pkg/controller/tainteviction/taint_eviction.go): a pod on a
//! node with NoExecute taints is deleted when its tolerations run out.

use crate::api::{Taint, TaintEffect, Toleration};
use crate::scheduler::plugins::tolerates;
use crate::time::SimDuration;

/// The event source of the controller's recorder.
pub const SOURCE: &str = "taint-eviction-controller";
/// The DisruptionTarget condition set before the delete (addConditionAndDeletePod).
pub const DISRUPTION_REASON: &str = "DeletionByTaintManager";
pub const DISRUPTION_MESSAGE: &str = "Taint manager: deleting due to NoExecute taint";
pub const EVICTION_REASON: &str = "TaintManagerEviction";

/// When a pod on a node with these taints is to be deleted.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Eviction {
    /// Every NoExecute taint is tolerated forever.
    Never,
    /// After this long from when the controller sees the taints (zero: at once).
    After(SimDuration),
}

/// processPodOnNode: the pod's eviction for the node's NoExecute taints.
pub fn eviction(taints: &[Taint], tolerations: &[Toleration]) -> Eviction {
    let no_execute: Vec<&Taint> = taints
        .iter()
        .filter(|t| t.effect == Some(TaintEffect::NoExecute))
        .collect();
    if no_execute.is_empty() {
        return Eviction::Never;
    }
    let Some(used) = matching_tolerations(&no_execute, tolerations) else {
        return Eviction::After(SimDuration::ZERO);
    };
    match min_toleration_time(&used) {
        None => Eviction::Never,
        Some(secs) => Eviction::After(SimDuration::from_secs(secs)),
    }
}

/// v1helper.GetMatchingTolerations: for every taint the first toleration that tolerates it;
/// `None` when some taint is not tolerated.
fn matching_tolerations<'a>(
    taints: &[&Taint],
    tolerations: &'a [Toleration],
) -> Option<Vec<&'a Toleration>> {
    taints
        .iter()
        .map(|taint| tolerations.iter().find(|t| tolerates(t, taint)))
        .collect()
}

/// getMinTolerationTime in seconds: 0 for no tolerations or a non-positive one, `None` (forever)
/// when none sets tolerationSeconds.
fn min_toleration_time(tolerations: &[&Toleration]) -> Option<u64> {
    if tolerations.is_empty() {
        return Some(0);
    }
    let mut min: Option<i64> = None;
    for t in tolerations {
        if let Some(secs) = t.toleration_seconds {
            if secs <= 0 {
                return Some(0);
            }
            min = Some(min.map_or(secs, |m| m.min(secs)));
        }
    }
    min.map(|m| m as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::TolerationOperator;

    fn secs(s: Option<i64>) -> Toleration {
        Toleration {
            toleration_seconds: s,
            ..Toleration::default()
        }
    }

    /// TestGetMinTolerationTime (pkg/controller/tainteviction/taint_eviction_test.go).
    #[test]
    fn min_toleration_time_table() {
        let cases: [(Vec<Toleration>, Option<u64>); 5] = [
            (vec![], Some(0)),
            (vec![secs(None)], None),
            (vec![secs(Some(1)), secs(Some(2))], Some(1)),
            (vec![secs(Some(1)), secs(None)], Some(1)),
            (vec![secs(None), secs(Some(1))], Some(1)),
        ];
        for (tolerations, want) in cases {
            let refs: Vec<&Toleration> = tolerations.iter().collect();
            assert_eq!(min_toleration_time(&refs), want, "{tolerations:?}");
        }
    }

    fn unreachable(effect: TaintEffect) -> Taint {
        Taint {
            key: crate::api::defaults::TAINT_NODE_UNREACHABLE.into(),
            value: String::new(),
            effect: Some(effect),
        }
    }

    fn exists(key: &str, effect: Option<TaintEffect>, s: Option<i64>) -> Toleration {
        Toleration {
            key: key.into(),
            operator: Some(TolerationOperator::Exists),
            effect,
            toleration_seconds: s,
            ..Toleration::default()
        }
    }

    #[test]
    fn default_tolerations_evict_after_300s() {
        let mut spec = crate::api::PodSpec::default();
        crate::api::defaults::admit_default_toleration_seconds(&mut spec);
        let taints = [
            unreachable(TaintEffect::NoSchedule),
            unreachable(TaintEffect::NoExecute),
        ];
        assert_eq!(
            eviction(&taints, &spec.tolerations),
            Eviction::After(SimDuration::from_secs(300))
        );
        // No toleration at all: evicted at once.
        assert_eq!(eviction(&taints, &[]), Eviction::After(SimDuration::ZERO));
        // A DaemonSet-style toleration without seconds: never.
        let forever = [exists(
            crate::api::defaults::TAINT_NODE_UNREACHABLE,
            Some(TaintEffect::NoExecute),
            None,
        )];
        assert_eq!(eviction(&taints, &forever), Eviction::Never);
        // Only NoSchedule taints: nothing to evict for.
        assert_eq!(
            eviction(&[unreachable(TaintEffect::NoSchedule)], &[]),
            Eviction::Never
        );
    }
}
