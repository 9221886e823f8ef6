//! Scaling a Deployment outside a rollout step (pkg/controller/deployment/sync.go `scale`,
//! util/deployment_util.go `GetProportion`, `getReplicaSetFraction`, `IsSaturated`,
//! `FindActiveOrLatest`): a scaling event during a rollout, or any scale of a paused
//! Deployment, spreads the change over the active ReplicaSets in proportion to their sizes
//! instead of hastening the rollout.

use std::cmp::Ordering;

use crate::api::Deployment;
use crate::controller::deployment::max_surge;
use crate::time::SimTime;

/// A ReplicaSet as `scale` reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScaleRs {
    pub name: String,
    pub created_at: SimTime,
    /// spec.replicas
    pub replicas: i32,
    /// status.availableReplicas
    pub available: i32,
    /// The `deployment.kubernetes.io/desired-replicas` annotation.
    pub desired_annotation: Option<i32>,
    /// The `deployment.kubernetes.io/max-replicas` annotation.
    pub max_annotation: Option<i32>,
}

/// ReplicaSetsByCreationTimestamp: older first, names breaking ties.
fn by_creation(a: &ScaleRs, b: &ScaleRs) -> Ordering {
    a.created_at
        .cmp(&b.created_at)
        .then_with(|| a.name.cmp(&b.name))
}

/// isScalingEvent: an active ReplicaSet was sized for another replica count.
pub fn is_scaling_event(d: &Deployment, rss: &[ScaleRs]) -> bool {
    let replicas = d.spec.replicas.unwrap_or(1);
    rss.iter()
        .filter(|r| r.replicas > 0)
        .any(|r| r.desired_annotation.is_some_and(|a| a != replicas))
}

/// IsSaturated: the new ReplicaSet has, wants and makes available all the replicas.
fn is_saturated(d: &Deployment, rs: &ScaleRs) -> bool {
    let replicas = d.spec.replicas.unwrap_or(1);
    rs.desired_annotation == Some(replicas) && rs.replicas == replicas && rs.available == replicas
}

/// integer.RoundToInt32 of `num / den` (half away from zero), for `num >= 0`, `den > 0`.
fn round_div(num: i64, den: i64) -> i32 {
    ((2 * num + den) / (2 * den)) as i32
}

/// getReplicaSetFraction: how many replicas `rs` gains (or loses) when the Deployment's
/// maximum size goes from the one `rs` was annotated with to the current one.
fn fraction(rs: &ScaleRs, d: &Deployment, status_replicas: i32) -> i32 {
    let replicas = d.spec.replicas.unwrap_or(1);
    if replicas == 0 {
        return -rs.replicas;
    }
    let max = replicas + max_surge(d);
    let before = rs.max_annotation.unwrap_or(status_replicas);
    if before <= 0 {
        // Go divides by zero into +Inf here; no proportion is a safe reading.
        return 0;
    }
    round_div(i64::from(rs.replicas) * i64::from(max), i64::from(before)) - rs.replicas
}

/// GetProportion: the fraction, capped by what is left to add or remove.
fn proportion(rs: &ScaleRs, d: &Deployment, status_replicas: i32, to_add: i32, added: i32) -> i32 {
    if rs.replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let f = fraction(rs, d, status_replicas);
    let allowed = to_add - added;
    if to_add > 0 {
        f.min(allowed)
    } else {
        f.max(allowed)
    }
}

/// `scale`: the new spec.replicas per ReplicaSet, as (index into `rss`, size) in the order the
/// controller writes them. `new` indexes the new ReplicaSet, if there is one; `status_replicas`
/// is the Deployment's status.replicas (the fallback for a missing max-replicas annotation).
pub fn scale(
    d: &Deployment,
    status_replicas: i32,
    rss: &[ScaleRs],
    new: Option<usize>,
) -> Vec<(usize, i32)> {
    let replicas = d.spec.replicas.unwrap_or(1);
    let active: Vec<usize> = (0..rss.len()).filter(|&i| rss[i].replicas > 0).collect();
    // FindActiveOrLatest: one active ReplicaSet takes the whole count; with none, the new one
    // (or the newest old one) does.
    let target = match active.len() {
        0 => new.or_else(|| {
            (0..rss.len())
                .filter(|&i| Some(i) != new)
                .max_by(|&a, &b| by_creation(&rss[a], &rss[b]))
        }),
        1 => Some(active[0]),
        _ => None,
    };
    if let Some(i) = target {
        if rss[i].replicas == replicas {
            return Vec::new();
        }
        return vec![(i, replicas)];
    }
    if let Some(n) = new
        && is_saturated(d, &rss[n])
    {
        return active
            .into_iter()
            .filter(|&i| i != n)
            .map(|i| (i, 0))
            .collect();
    }
    if d.spec.strategy.type_ == Some(crate::api::DeploymentStrategyType::Recreate) {
        return Vec::new();
    }
    let total: i32 = active.iter().map(|&i| rss[i].replicas).sum();
    let allowed = if replicas > 0 {
        replicas + max_surge(d)
    } else {
        0
    };
    let to_add = allowed - total;
    let mut order = active;
    // Larger first; among equals, newer first when growing (ReplicaSetsBySizeNewer) and older
    // first when shrinking (ReplicaSetsBySizeOlder).
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&rss[a], &rss[b]);
        rb.replicas.cmp(&ra.replicas).then_with(|| {
            if to_add > 0 {
                by_creation(rb, ra)
            } else {
                by_creation(ra, rb)
            }
        })
    });
    let mut added = 0;
    let mut sizes: Vec<(usize, i32)> = order
        .iter()
        .map(|&i| {
            let p = proportion(&rss[i], d, status_replicas, to_add, added);
            added += p;
            (i, rss[i].replicas + p)
        })
        .collect();
    // The leftover goes to (or comes from) the largest.
    if let Some(first) = sizes.first_mut()
        && to_add != 0
    {
        first.1 = (first.1 + to_add - added).max(0);
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RollingUpdateDeployment;
    use crate::api::{DeploymentStrategy, DeploymentStrategyType, IntOrString};

    /// newDeployment (deployment_controller_test.go): RollingUpdate with maxSurge and
    /// maxUnavailable 0 unless given.
    fn deployment(replicas: i32, surge: Option<i32>, unavailable: Option<i32>) -> Deployment {
        let mut d = Deployment::default();
        d.spec.replicas = Some(replicas);
        d.spec.strategy = DeploymentStrategy {
            type_: Some(DeploymentStrategyType::RollingUpdate),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::Int(surge.unwrap_or(0))),
                max_unavailable: Some(IntOrString::Int(unavailable.unwrap_or(0))),
            }),
        };
        d
    }

    /// `rs(name, replicas, nil, timestamp)` with SetReplicasAnnotations of the old
    /// Deployment (or `desired` when given), as the test loop does.
    fn rs(name: &str, replicas: i32, hour: u64, old: &Deployment, desired: Option<i32>) -> ScaleRs {
        let desired = desired.unwrap_or(old.spec.replicas.unwrap_or(1));
        ScaleRs {
            name: name.into(),
            created_at: SimTime::from_nanos(hour * 3_600_000_000_000),
            replicas,
            available: 0,
            desired_annotation: Some(desired),
            max_annotation: Some(desired + max_surge(old)),
        }
    }

    /// TestScale (pkg/controller/deployment/sync_test.go): (name, deployment, old deployment,
    /// new RS, old RSs newest first, expected new, expected old). Timestamps: new = 2, old = 1,
    /// older = 0.
    #[test]
    fn scale_table() {
        type Rs = (&'static str, i32, u64);
        struct Case {
            name: &'static str,
            d: Deployment,
            old_d: Deployment,
            new: Option<Rs>,
            old: Vec<Rs>,
            want_new: Option<i32>,
            want_old: Vec<i32>,
            desired: Option<(&'static str, i32)>,
            new_available: Option<i32>,
        }
        let case = |name, d, old_d, new, old, want_new, want_old| Case {
            name,
            d,
            old_d,
            new,
            old,
            want_new,
            want_old,
            desired: None,
            new_available: None,
        };
        let dep = |r| deployment(r, None, None);
        let mut cases = vec![
            case(
                "normal scaling event: 10 -> 12",
                dep(12),
                dep(10),
                Some(("foo-v1", 10, 2)),
                vec![],
                Some(12),
                vec![],
            ),
            case(
                "normal scaling event: 10 -> 5",
                dep(5),
                dep(10),
                Some(("foo-v1", 10, 2)),
                vec![],
                Some(5),
                vec![],
            ),
            case(
                "proportional scaling: 5 -> 10",
                dep(10),
                dep(5),
                Some(("foo-v2", 2, 2)),
                vec![("foo-v1", 3, 1)],
                Some(4),
                vec![6],
            ),
            case(
                "proportional scaling: 5 -> 3",
                dep(3),
                dep(5),
                Some(("foo-v2", 2, 2)),
                vec![("foo-v1", 3, 1)],
                Some(1),
                vec![2],
            ),
            case(
                "proportional scaling: 9 -> 4",
                dep(4),
                dep(9),
                Some(("foo-v2", 8, 2)),
                vec![("foo-v1", 1, 1)],
                Some(4),
                vec![0],
            ),
            case(
                "proportional scaling: 7 -> 10",
                dep(10),
                dep(7),
                Some(("foo-v3", 2, 2)),
                vec![("foo-v2", 3, 1), ("foo-v1", 2, 0)],
                Some(3),
                vec![4, 3],
            ),
            case(
                "proportional scaling: 13 -> 8",
                dep(8),
                dep(13),
                Some(("foo-v3", 2, 2)),
                vec![("foo-v2", 8, 1), ("foo-v1", 3, 0)],
                Some(1),
                vec![5, 2],
            ),
            case(
                "leftover distribution: 3 -> 4",
                dep(4),
                dep(3),
                Some(("foo-v3", 1, 2)),
                vec![("foo-v2", 1, 1), ("foo-v1", 1, 0)],
                Some(2),
                vec![1, 1],
            ),
            case(
                "leftover distribution: 3 -> 2",
                dep(2),
                dep(3),
                Some(("foo-v3", 1, 2)),
                vec![("foo-v2", 1, 1), ("foo-v1", 1, 0)],
                Some(1),
                vec![1, 0],
            ),
            case(
                "proportional scaling (no new rs): 4 -> 5",
                dep(5),
                dep(4),
                None,
                vec![("foo-v2", 2, 1), ("foo-v1", 2, 0)],
                None,
                vec![3, 2],
            ),
            case(
                "proportional scaling: 6 -> 0",
                dep(0),
                dep(6),
                Some(("foo-v3", 3, 2)),
                vec![("foo-v2", 2, 1), ("foo-v1", 1, 0)],
                Some(0),
                vec![0, 0],
            ),
            case(
                "proportional scaling: 0 -> 6",
                dep(6),
                dep(6),
                Some(("foo-v3", 0, 2)),
                vec![("foo-v2", 0, 1), ("foo-v1", 0, 0)],
                Some(6),
                vec![0, 0],
            ),
            case(
                "failed rs update",
                dep(5),
                dep(5),
                Some(("foo-v3", 2, 2)),
                vec![("foo-v2", 1, 1), ("foo-v1", 1, 0)],
                Some(2),
                vec![2, 1],
            ),
            case(
                "deployment with surge pods",
                deployment(20, Some(2), None),
                deployment(10, Some(2), None),
                Some(("foo-v2", 6, 2)),
                vec![("foo-v1", 6, 1)],
                Some(11),
                vec![11],
            ),
            case(
                "change both surge and size",
                deployment(50, Some(6), None),
                deployment(10, Some(3), None),
                Some(("foo-v2", 5, 2)),
                vec![("foo-v1", 8, 1)],
                Some(22),
                vec![34],
            ),
            case(
                "change both size and template",
                dep(14),
                dep(10),
                None,
                vec![("foo-v2", 7, 2), ("foo-v1", 3, 1)],
                None,
                vec![10, 4],
            ),
            case(
                "saturated but broken new replica set does not affect old pods",
                deployment(2, Some(1), Some(1)),
                deployment(2, Some(1), Some(1)),
                Some(("foo-v2", 2, 2)),
                vec![("foo-v1", 1, 1)],
                Some(2),
                vec![1],
            ),
        ];
        // "failed rs update": foo-v2 was annotated for 3 replicas.
        cases[12].desired = Some(("foo-v2", 3));
        cases[16].new_available = Some(0);
        for c in cases {
            let desired = |name: &str| c.desired.filter(|(n, _)| *n == name).map(|(_, v)| v);
            let mut rss: Vec<ScaleRs> = c
                .old
                .iter()
                .map(|&(n, r, h)| rs(n, r, h, &c.old_d, desired(n)))
                .collect();
            let new = c.new.map(|(n, r, h)| {
                let mut s = rs(n, r, h, &c.old_d, desired(n));
                s.available = c.new_available.unwrap_or(0);
                rss.push(s);
                rss.len() - 1
            });
            let mut sizes: Vec<i32> = rss.iter().map(|r| r.replicas).collect();
            for (i, size) in scale(&c.d, 0, &rss, new) {
                sizes[i] = size;
            }
            assert_eq!(new.map(|n| sizes[n]), c.want_new, "{}: new", c.name);
            assert_eq!(sizes[..c.old.len()], c.want_old[..], "{}: old", c.name);
        }
    }

    #[test]
    fn a_scaling_event_is_an_active_replica_set_sized_for_another_count() {
        let old = deployment(3, None, None);
        let rss = [rs("a", 3, 0, &old, None), rs("b", 0, 1, &old, Some(1))];
        assert!(!is_scaling_event(&deployment(3, None, None), &rss));
        assert!(is_scaling_event(&deployment(5, None, None), &rss));
    }
}
