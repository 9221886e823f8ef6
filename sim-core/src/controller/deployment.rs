//! The Deployment controller's arithmetic (pkg/controller/deployment/util/deployment_util.go,
//! rolling.go, sync.go, progress.go): fenceposts, how far the new ReplicaSet may scale up, how
//! far the old ones may scale down, and the status and conditions.

use crate::api::{Deployment, DeploymentStrategyType, IntOrString};
use crate::cluster::ConditionStatus;
use crate::time::SimTime;

pub const SOURCE: &str = "deployment-controller";
/// apps.DefaultDeploymentUniqueLabelKey.
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";

/// The alphabet of rand.SafeEncodeString.
const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// ComputeHash's encoding: the decimal FNV-32a hash with each digit mapped through
/// SafeEncodeString. Upstream hashes Go's deep-printed template; kubesim hashes the template's
/// canonical JSON, so the value differs from a real cluster's but has the same form and
/// changes exactly when the template does.
pub fn compute_hash(template_json: &str, collision_count: Option<i32>) -> String {
    let mut bytes = template_json.as_bytes().to_vec();
    if let Some(c) = collision_count {
        bytes.extend_from_slice(c.to_string().as_bytes());
    }
    let mut hash: u32 = 0x811c_9dc5;
    for b in bytes {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash.to_string()
        .bytes()
        .map(|d| char::from(SAFE_ALPHABET[usize::from(d) % SAFE_ALPHABET.len()]))
        .collect()
}

/// ResolveFenceposts: maxSurge rounded up, maxUnavailable rounded down, and at least one of them
/// non-zero.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), String> {
    let zero = IntOrString::Int(0);
    let surge = max_surge.unwrap_or(&zero).scaled_value(desired, true)?;
    let mut unavailable = max_unavailable
        .unwrap_or(&zero)
        .scaled_value(desired, false)?;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    Ok((surge, unavailable))
}

fn is_rolling(d: &Deployment) -> bool {
    d.spec.strategy.type_ != Some(DeploymentStrategyType::Recreate)
}

/// MaxUnavailable: 0 for Recreate or zero replicas, never above the replica count.
pub fn max_unavailable(d: &Deployment) -> i32 {
    let replicas = d.spec.replicas.unwrap_or(1);
    if !is_rolling(d) || replicas == 0 {
        return 0;
    }
    let ru = d.spec.strategy.rolling_update.as_ref();
    let (_, unavailable) = resolve_fenceposts(
        ru.and_then(|r| r.max_surge.as_ref()),
        ru.and_then(|r| r.max_unavailable.as_ref()),
        replicas,
    )
    .unwrap_or((0, 0));
    unavailable.min(replicas)
}

/// MaxSurge: 0 for Recreate.
pub fn max_surge(d: &Deployment) -> i32 {
    if !is_rolling(d) {
        return 0;
    }
    let ru = d.spec.strategy.rolling_update.as_ref();
    let replicas = d.spec.replicas.unwrap_or(1);
    resolve_fenceposts(
        ru.and_then(|r| r.max_surge.as_ref()),
        ru.and_then(|r| r.max_unavailable.as_ref()),
        replicas,
    )
    .map(|(s, _)| s)
    .unwrap_or(0)
}

/// NewRSNewReplicas: the new ReplicaSet's size this sync. `all_replicas` is the sum of every
/// ReplicaSet's spec.replicas, the new one included.
pub fn new_rs_new_replicas(d: &Deployment, all_replicas: i32, new_rs_replicas: i32) -> i32 {
    let replicas = d.spec.replicas.unwrap_or(1);
    if !is_rolling(d) {
        return replicas;
    }
    let max_total = replicas + max_surge(d);
    if all_replicas >= max_total {
        return new_rs_replicas;
    }
    let scale_up = (max_total - all_replicas).min(replicas - new_rs_replicas);
    new_rs_replicas + scale_up
}

/// A ReplicaSet as the rollout arithmetic sees it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct RsCounts {
    /// spec.replicas
    pub replicas: i32,
    /// status.availableReplicas
    pub available: i32,
}

/// reconcileOldReplicaSets (cleanupUnhealthyReplicas, then
/// scaleDownOldReplicaSetsForRollingUpdate): the new spec.replicas of each old ReplicaSet,
/// given oldest first.
pub fn scale_down_old(d: &Deployment, new_rs: RsCounts, old: &[RsCounts]) -> Vec<i32> {
    let mut sizes: Vec<i32> = old.iter().map(|r| r.replicas).collect();
    let old_count: i32 = sizes.iter().sum();
    if old_count == 0 {
        return sizes;
    }
    let all_count = old_count + new_rs.replicas;
    let min_available = d.spec.replicas.unwrap_or(1) - max_unavailable(d);
    let new_unavailable = new_rs.replicas - new_rs.available;
    let max_scaled_down = all_count - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return sizes;
    }
    // Unhealthy replicas first: they would otherwise block the rollout.
    let mut cleaned = 0;
    for (size, rs) in sizes.iter_mut().zip(old) {
        if cleaned >= max_scaled_down {
            break;
        }
        if *size == 0 || *size == rs.available {
            continue;
        }
        let down = (max_scaled_down - cleaned).min(*size - rs.available);
        *size -= down;
        cleaned += down;
    }
    let available: i32 = old.iter().map(|r| r.available).sum::<i32>() + new_rs.available;
    if available <= min_available {
        return sizes;
    }
    let total = available - min_available;
    let mut scaled = 0;
    for size in sizes.iter_mut() {
        if scaled >= total {
            break;
        }
        if *size == 0 {
            continue;
        }
        let down = (*size).min(total - scaled);
        *size -= down;
        scaled += down;
    }
    sizes
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeploymentConditionType {
    Available,
    Progressing,
}

impl DeploymentConditionType {
    pub fn as_str(self) -> &'static str {
        match self {
            DeploymentConditionType::Available => "Available",
            DeploymentConditionType::Progressing => "Progressing",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeploymentCondition {
    pub type_: DeploymentConditionType,
    pub status: ConditionStatus,
    pub reason: String,
    pub message: String,
    pub last_update_time: SimTime,
    pub last_transition_time: SimTime,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeploymentStatus {
    /// The metadata.generation the controller last acted on.
    pub observed_generation: i64,
    pub replicas: i32,
    pub updated_replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    pub unavailable_replicas: i32,
    pub conditions: Vec<DeploymentCondition>,
}

impl DeploymentStatus {
    pub fn condition(&self, t: DeploymentConditionType) -> Option<&DeploymentCondition> {
        self.conditions.iter().find(|c| c.type_ == t)
    }

    /// SetDeploymentCondition: no change for the same status and reason; the transition time
    /// is kept when only the reason changes.
    pub fn set_condition(&mut self, mut c: DeploymentCondition) {
        if let Some(old) = self.condition(c.type_) {
            if old.status == c.status && old.reason == c.reason {
                return;
            }
            if old.status == c.status {
                c.last_transition_time = old.last_transition_time;
            }
        }
        self.conditions.retain(|o| o.type_ != c.type_);
        self.conditions.push(c);
    }

    pub fn remove_condition(&mut self, t: DeploymentConditionType) {
        self.conditions.retain(|o| o.type_ != t);
    }
}

/// NewDeploymentCondition at `now`.
pub fn condition(
    type_: DeploymentConditionType,
    status: bool,
    reason: &str,
    message: String,
    now: SimTime,
) -> DeploymentCondition {
    DeploymentCondition {
        type_,
        status: ConditionStatus::from_bool(status),
        reason: reason.to_string(),
        message,
        last_update_time: now,
        last_transition_time: now,
    }
}

/// deploymentutil.PausedDeployReason and ResumedDeployReason.
pub const PAUSED_REASON: &str = "DeploymentPaused";
pub const RESUMED_REASON: &str = "DeploymentResumed";
/// deploymentutil.TimedOutReason.
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";

/// checkPausedConditions (sync.go): with a progress deadline, a
/// paused Deployment's Progressing condition turns Unknown/DeploymentPaused and a resumed
/// one's Unknown/DeploymentResumed, unless the deadline was already exceeded.
pub fn check_paused_conditions(d: &Deployment, s: &mut DeploymentStatus, now: SimTime) {
    if d.spec.progress_deadline_seconds.is_none() {
        return;
    }
    let current = s.condition(DeploymentConditionType::Progressing);
    if current.is_some_and(|c| c.reason == TIMED_OUT_REASON) {
        return;
    }
    let paused_now = current.is_some_and(|c| c.reason == PAUSED_REASON);
    let (reason, message) = match (d.spec.paused, paused_now) {
        (true, false) => (PAUSED_REASON, "Deployment is paused"),
        (false, true) => (RESUMED_REASON, "Deployment is resumed"),
        _ => return,
    };
    let mut c = condition(
        DeploymentConditionType::Progressing,
        false,
        reason,
        message.to_string(),
        now,
    );
    c.status = ConditionStatus::Unknown;
    s.set_condition(c);
}

/// DeploymentComplete.
pub fn is_complete(d: &Deployment, s: &DeploymentStatus) -> bool {
    let replicas = d.spec.replicas.unwrap_or(1);
    s.updated_replicas == replicas && s.replicas == replicas && s.available_replicas == replicas
}

/// DeploymentProgressing: more updated, ready or available replicas, or fewer old ones.
pub fn is_progressing(old: &DeploymentStatus, new: &DeploymentStatus) -> bool {
    let old_old = old.replicas - old.updated_replicas;
    let new_old = new.replicas - new.updated_replicas;
    new.updated_replicas > old.updated_replicas
        || new_old < old_old
        || new.ready_replicas > old.ready_replicas
        || new.available_replicas > old.available_replicas
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{DeploymentStrategy, RollingUpdateDeployment};

    fn pct(s: &str) -> IntOrString {
        IntOrString::String(s.into())
    }

    /// TestResolveFenceposts (pkg/controller/deployment/util/deployment_util_test.go).
    #[test]
    fn resolve_fenceposts_table() {
        type Case = (
            Option<&'static str>,
            Option<&'static str>,
            i32,
            Result<(i32, i32), ()>,
        );
        let cases: [Case; 7] = [
            (Some("0%"), Some("0%"), 0, Ok((0, 1))),
            (Some("39%"), Some("39%"), 10, Ok((4, 3))),
            (Some("oops"), Some("39%"), 10, Err(())),
            (Some("55%"), Some("urg"), 10, Err(())),
            (None, Some("39%"), 10, Ok((0, 3))),
            (Some("39%"), None, 10, Ok((4, 0))),
            (None, None, 10, Ok((0, 1))),
        ];
        for (surge, unavailable, desired, want) in cases {
            let (s, u) = (surge.map(pct), unavailable.map(pct));
            let got = resolve_fenceposts(s.as_ref(), u.as_ref(), desired).map_err(|_| ());
            assert_eq!(got, want, "{surge:?} {unavailable:?} {desired}");
        }
    }

    fn deployment(strategy: DeploymentStrategyType, replicas: i32, surge: i32) -> Deployment {
        let mut d = Deployment::default();
        d.spec.replicas = Some(replicas);
        d.spec.strategy = DeploymentStrategy {
            type_: Some(strategy),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::Int(surge)),
                max_unavailable: Some(IntOrString::Int(1)),
            }),
        };
        d
    }

    /// TestNewRSNewReplicas (deployment_util_test.go): the other ReplicaSet has 5 replicas.
    #[test]
    fn new_rs_new_replicas_table() {
        use DeploymentStrategyType::*;
        let cases = [
            (
                "can not scale up - to newRSReplicas",
                RollingUpdate,
                1,
                5,
                1,
                5,
            ),
            ("scale up - to depReplicas", RollingUpdate, 6, 2, 10, 6),
            ("recreate - to depReplicas", Recreate, 3, 1, 1, 3),
        ];
        for (name, strategy, dep, new_rs, surge, want) in cases {
            let d = deployment(strategy, dep, surge);
            assert_eq!(new_rs_new_replicas(&d, 5, new_rs), want, "{name}");
        }
    }

    #[test]
    fn max_surge_1_max_unavailable_0_never_scales_down_unready() {
        let mut d = deployment(DeploymentStrategyType::RollingUpdate, 3, 1);
        if let Some(ru) = d.spec.strategy.rolling_update.as_mut() {
            ru.max_unavailable = Some(IntOrString::Int(0));
        }
        // New RS scaled to 1 but its pod never becomes available: the old one keeps 3.
        let new_rs = RsCounts {
            replicas: 1,
            available: 0,
        };
        let old = [RsCounts {
            replicas: 3,
            available: 3,
        }];
        assert_eq!(scale_down_old(&d, new_rs, &old), vec![3]);
        // Once it is available, one old replica goes.
        let new_rs = RsCounts {
            replicas: 1,
            available: 1,
        };
        assert_eq!(scale_down_old(&d, new_rs, &old), vec![2]);
        assert_eq!(new_rs_new_replicas(&d, 4, 1), 1);
        assert_eq!(new_rs_new_replicas(&d, 3, 1), 2);
    }

    #[test]
    fn hash_has_the_safe_encoding() {
        let h = compute_hash("{}", None);
        assert!(h.bytes().all(|b| SAFE_ALPHABET.contains(&b)));
        assert_ne!(h, compute_hash("{}", Some(1)));
    }
}
