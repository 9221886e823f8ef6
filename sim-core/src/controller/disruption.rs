//! PodDisruptionBudget status (pkg/controller/disruption/disruption.go getExpectedPodCount,
//! countHealthyPods) and the eviction subresource's decision (pkg/registry/core/pod/storage/
//! eviction.go).

use crate::api::{IntOrString, PodDisruptionBudget, UnhealthyPodEvictionPolicyType};
use crate::cluster::{PodPhase, PodRecord};

use super::replicaset::is_pod_ready;

/// The status fields the eviction API reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PdbStatus {
    pub expected_pods: i32,
    pub desired_healthy: i32,
    pub current_healthy: i32,
    pub disruptions_allowed: i32,
}

/// The disruption controller's status for `pdb` over the pods its selector matches.
/// `expected_scale` is the summed scale of the pods' controllers (getExpectedScale), `None`
/// when some pod has no controller with a scale: the controller then fails safe (no
/// disruption allowed).
pub fn pdb_status(
    pdb: &PodDisruptionBudget,
    pods: &[&PodRecord],
    expected_scale: Option<i32>,
) -> PdbStatus {
    let current_healthy = pods
        .iter()
        .filter(|p| p.deletion.is_none() && is_pod_ready(p))
        .count() as i32;
    let scaled = |v: &IntOrString, total: i32| v.scaled_value(total, true).ok();
    let (expected, desired) = if let Some(max) = &pdb.spec.max_unavailable {
        let Some(expected) = expected_scale else {
            return fail_safe(current_healthy);
        };
        let Some(max) = scaled(max, expected) else {
            return fail_safe(current_healthy);
        };
        (expected, (expected - max).max(0))
    } else if let Some(min) = &pdb.spec.min_available {
        match min {
            IntOrString::Int(n) => (pods.len() as i32, *n),
            IntOrString::String(_) => {
                let Some(expected) = expected_scale else {
                    return fail_safe(current_healthy);
                };
                let Some(min) = scaled(min, expected) else {
                    return fail_safe(current_healthy);
                };
                (expected, min)
            }
        }
    } else {
        (pods.len() as i32, 0)
    };
    let allowed = if expected <= 0 {
        0
    } else {
        (current_healthy - desired).max(0)
    };
    PdbStatus {
        expected_pods: expected,
        desired_healthy: desired,
        current_healthy,
        disruptions_allowed: allowed,
    }
}

/// failSafe: no disruption allowed; the other fields keep their last synced values, which for
/// a budget that never synced are zero.
fn fail_safe(_current_healthy: i32) -> PdbStatus {
    PdbStatus::default()
}

/// What the eviction subresource answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvictionVerdict {
    /// 201: the pod is deleted.
    Evict,
    /// 429 TooManyRequests, retried by kubectl drain every 5s.
    TooManyRequests { message: String, cause: String },
    /// Any other error: drain gives up on the pod.
    Error(String),
}

/// canIgnorePDB: terminal, pending or already deleting pods are deleted without a budget check.
pub fn can_ignore_pdb(p: &PodRecord) -> bool {
    matches!(
        p.status.phase,
        PodPhase::Succeeded | PodPhase::Failed | PodPhase::Pending
    ) || p.deletion.is_some()
}

/// The eviction decision for `pod` given the budgets whose selector matches it.
pub fn evict(pod: &PodRecord, budgets: &[(&PodDisruptionBudget, PdbStatus)]) -> EvictionVerdict {
    if can_ignore_pdb(pod) || budgets.is_empty() {
        return EvictionVerdict::Evict;
    }
    if budgets.len() > 1 {
        return EvictionVerdict::Error(
            "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
        );
    }
    let (pdb, status) = &budgets[0];
    // An unready pod can go while the budget is met (IfHealthyBudget) or always (AlwaysAllow).
    if !is_pod_ready(pod) {
        let always = pdb.spec.unhealthy_pod_eviction_policy
            == Some(UnhealthyPodEvictionPolicyType::AlwaysAllow);
        if always
            || (status.current_healthy >= status.desired_healthy && status.desired_healthy > 0)
        {
            return EvictionVerdict::Evict;
        }
    }
    if status.disruptions_allowed == 0 {
        let name = pdb.metadata.name.as_deref().unwrap_or("");
        return EvictionVerdict::TooManyRequests {
            message: "Cannot evict pod as it would violate the pod's disruption budget.".into(),
            cause: format!(
                "The disruption budget {name} needs {} healthy pods and has {} currently",
                status.desired_healthy, status.current_healthy
            ),
        };
    }
    EvictionVerdict::Evict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdb(min: Option<IntOrString>, max: Option<IntOrString>) -> PodDisruptionBudget {
        let mut p = PodDisruptionBudget::default();
        p.metadata.name = Some("db".into());
        p.spec.min_available = min;
        p.spec.max_unavailable = max;
        p
    }

    #[test]
    fn budgets_from_min_available_and_max_unavailable() {
        // minAvailable int: expected is the number of matching pods.
        let s = pdb_status(&pdb(Some(IntOrString::Int(2)), None), &[], Some(3));
        assert_eq!(
            (s.expected_pods, s.desired_healthy, s.disruptions_allowed),
            (0, 2, 0)
        );
        // maxUnavailable 0 over a scale of 1: nothing may go.
        let s = pdb_status(&pdb(None, Some(IntOrString::Int(0))), &[], Some(1));
        assert_eq!((s.expected_pods, s.desired_healthy), (1, 1));
        assert_eq!(s.disruptions_allowed, 0);
        // maxUnavailable "50%" of 3 rounds up to 2: desired 1.
        let s = pdb_status(
            &pdb(None, Some(IntOrString::String("50%".into()))),
            &[],
            Some(3),
        );
        assert_eq!(s.desired_healthy, 1);
        // No controller scale: fail safe.
        let s = pdb_status(&pdb(None, Some(IntOrString::Int(1))), &[], None);
        assert_eq!(s.disruptions_allowed, 0);
    }
}
