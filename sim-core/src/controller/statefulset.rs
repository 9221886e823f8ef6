//! The StatefulSet controller's pod management (pkg/controller/statefulset/
//! stateful_set_control.go updateStatefulSet): stable ordinal names, OrderedReady one pod at a
//! time or Parallel, no replacement while the old pod object still exists, and the rolling
//! update of pods whose controller-revision-hash is not the update revision.

use std::collections::{BTreeMap, BTreeSet};

pub const SOURCE: &str = "statefulset-controller";
/// apps.StatefulSetPodNameLabel and apps.PodIndexLabel.
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// apps.ControllerRevisionHashLabelKey: the ControllerRevision a pod was created from.
pub const REVISION_LABEL: &str = "controller-revision-hash";

/// ControllerRevisionName: `<set>-<hash of the revision's template>`. The hash has
/// ComputeHash's form (see `deployment::compute_hash`); equal templates give equal names, so an
/// apply back to an earlier template returns to that revision as upstream's FindEqualRevisions
/// does.
pub fn revision_name(set: &str, template_json: &str) -> String {
    format!(
        "{set}-{}",
        super::deployment::compute_hash(template_json, None)
    )
}

/// The update strategy as the sync sees it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// RollingUpdate: indexes at or above the partition are replaced, highest first.
    RollingUpdate { partition: i32 },
    /// OnDelete: pods change revision only when something else deletes them.
    OnDelete,
}

/// newVersionedStatefulSetPod: whether a pod created for `index` (ordinal minus the start
/// ordinal) gets the current revision rather than the update revision. `partition` is None when
/// RollingUpdate has no rollingUpdate block; then the first currentReplicas indexes stay current.
pub fn creates_at_current_revision(
    rolling: bool,
    partition: Option<i32>,
    current_replicas: i32,
    index: i32,
) -> bool {
    // Go's `a && b || c` groups as `(a && b) || c`, and c is only set under RollingUpdate.
    match partition {
        Some(p) => index < p,
        None => rolling && index < current_replicas,
    }
}

/// What the controller sees of the pod with one ordinal.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SetPod {
    /// Running and Ready (and available for minReadySeconds).
    Healthy,
    /// Created but not Running and Ready yet.
    Starting,
    /// Has a deletionTimestamp: its name is taken until the object is gone.
    Terminating,
    /// Succeeded or Failed: deleted and recreated.
    Finished,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SetAction {
    Create(i32),
    Delete(i32),
}

/// One sync's creations and deletions for the ordinals `want` (ascending) given the existing
/// pods by ordinal. `monotonic` is podManagementPolicy OrderedReady: one step at a time, each
/// waiting for its predecessors to be healthy. `outdated` holds the ordinals whose pods are not
/// at the update revision; once scaling is settled they are replaced per `strategy`.
pub fn plan(
    want: &[i32],
    pods: &BTreeMap<i32, SetPod>,
    monotonic: bool,
    strategy: Strategy,
    outdated: &BTreeSet<i32>,
) -> Vec<SetAction> {
    let mut actions = Vec::new();
    for &ordinal in want {
        match pods.get(&ordinal) {
            None => {
                actions.push(SetAction::Create(ordinal));
                if monotonic {
                    return actions;
                }
            }
            Some(SetPod::Finished) => {
                // "pod of StatefulSet is in a failed phase, deleting it": recreated once gone.
                actions.push(SetAction::Delete(ordinal));
                if monotonic {
                    return actions;
                }
            }
            Some(SetPod::Terminating | SetPod::Starting) if monotonic => return actions,
            Some(_) => {}
        }
    }
    // Condemned pods go from the highest ordinal down.
    let condemned: Vec<i32> = pods
        .keys()
        .rev()
        .copied()
        .filter(|o| !want.contains(o))
        .collect();
    for ordinal in condemned {
        match pods.get(&ordinal) {
            Some(SetPod::Terminating) if monotonic => return actions,
            Some(SetPod::Terminating) => {}
            _ => {
                actions.push(SetAction::Delete(ordinal));
                if monotonic {
                    return actions;
                }
            }
        }
    }
    let Strategy::RollingUpdate { partition } = strategy else {
        return actions;
    };
    // The MaxUnavailableStatefulSet gate is alpha (off) in 1.33: one pod at a time, from the
    // highest index down to the partition, each replacement waited for until it is available.
    for (index, &ordinal) in want.iter().enumerate().rev() {
        if (index as i32) < partition {
            break;
        }
        match pods.get(&ordinal) {
            Some(SetPod::Healthy | SetPod::Starting) if outdated.contains(&ordinal) => {
                actions.push(SetAction::Delete(ordinal));
                return actions;
            }
            Some(SetPod::Healthy) => {}
            // Just created, finishing, or being replaced: "waiting for Pod to update".
            _ => return actions,
        }
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use SetAction::*;
    use SetPod::*;

    fn pods(list: &[(i32, SetPod)]) -> BTreeMap<i32, SetPod> {
        list.iter().copied().collect()
    }

    fn plan(want: &[i32], pods: &BTreeMap<i32, SetPod>, monotonic: bool) -> Vec<SetAction> {
        super::plan(
            want,
            pods,
            monotonic,
            Strategy::RollingUpdate { partition: 0 },
            &BTreeSet::new(),
        )
    }

    #[test]
    fn ordered_ready_creates_one_at_a_time() {
        assert_eq!(plan(&[0, 1, 2], &pods(&[]), true), vec![Create(0)]);
        assert_eq!(plan(&[0, 1, 2], &pods(&[(0, Starting)]), true), vec![]);
        assert_eq!(
            plan(&[0, 1, 2], &pods(&[(0, Healthy)]), true),
            vec![Create(1)]
        );
        // A terminating pod blocks its own replacement and every later ordinal.
        assert_eq!(
            plan(
                &[0, 1, 2],
                &pods(&[(0, Healthy), (1, Terminating), (2, Healthy)]),
                true
            ),
            vec![]
        );
    }

    #[test]
    fn parallel_creates_everything_and_scale_down_starts_at_the_top() {
        assert_eq!(
            plan(&[0, 1, 2], &pods(&[]), false),
            vec![Create(0), Create(1), Create(2)]
        );
        let three = pods(&[(0, Healthy), (1, Healthy), (2, Healthy)]);
        assert_eq!(plan(&[0], &three, true), vec![Delete(2)]);
        assert_eq!(plan(&[0], &three, false), vec![Delete(2), Delete(1)]);
        assert_eq!(
            plan(&[0, 1], &pods(&[(0, Healthy), (1, Finished)]), true),
            vec![Delete(1)]
        );
    }

    fn outdated(list: &[i32]) -> BTreeSet<i32> {
        list.iter().copied().collect()
    }

    fn healthy(n: i32) -> BTreeMap<i32, SetPod> {
        (0..n).map(|o| (o, Healthy)).collect()
    }

    // TestStatefulSetControlRollingUpdate (stateful_set_control_test.go): the highest outdated
    // ordinal goes first, one at a time, each replacement waited for.
    #[test]
    fn rolling_update_replaces_from_the_top_one_at_a_time() {
        let rolling = Strategy::RollingUpdate { partition: 0 };
        let all = outdated(&[0, 1, 2]);
        assert_eq!(
            super::plan(&[0, 1, 2], &healthy(3), true, rolling, &all),
            vec![Delete(2)]
        );
        let replacing = pods(&[(0, Healthy), (1, Healthy), (2, Terminating)]);
        assert_eq!(
            super::plan(&[0, 1, 2], &replacing, false, rolling, &all),
            vec![]
        );
        let starting = pods(&[(0, Healthy), (1, Healthy), (2, Starting)]);
        assert_eq!(
            super::plan(&[0, 1, 2], &starting, false, rolling, &outdated(&[0, 1])),
            vec![]
        );
        assert_eq!(
            super::plan(&[0, 1, 2], &healthy(3), true, rolling, &outdated(&[0, 1])),
            vec![Delete(1)]
        );
        // An outdated pod that is not Ready yet is replaced without waiting for it.
        assert_eq!(
            super::plan(&[0, 1, 2], &starting, false, rolling, &all),
            vec![Delete(2)]
        );
    }

    // TestStatefulSetControlRollingUpdateWithPartition: indexes below the partition keep the
    // current revision.
    #[test]
    fn partition_stops_the_update_below_it() {
        let all = outdated(&[0, 1, 2, 3]);
        let p2 = Strategy::RollingUpdate { partition: 2 };
        assert_eq!(
            super::plan(&[0, 1, 2, 3], &healthy(4), true, p2, &all),
            vec![Delete(3)]
        );
        assert_eq!(
            super::plan(&[0, 1, 2, 3], &healthy(4), true, p2, &outdated(&[0, 1])),
            vec![]
        );
        // The partition counts indexes from the start ordinal, not ordinals.
        assert_eq!(
            super::plan(
                &[5, 6, 7],
                &pods(&[(5, Healthy), (6, Healthy), (7, Healthy)]),
                true,
                Strategy::RollingUpdate { partition: 2 },
                &outdated(&[5, 6, 7])
            ),
            vec![Delete(7)]
        );
        assert!(creates_at_current_revision(true, Some(2), 0, 1));
        assert!(!creates_at_current_revision(true, Some(2), 0, 2));
        assert!(creates_at_current_revision(true, None, 3, 2));
        assert!(!creates_at_current_revision(false, None, 3, 2));
    }

    // TestStatefulSetControlOnDeleteUpdate: nothing is deleted for an update.
    #[test]
    fn on_delete_never_deletes_for_an_update() {
        assert_eq!(
            super::plan(
                &[0, 1, 2],
                &healthy(3),
                true,
                Strategy::OnDelete,
                &outdated(&[0, 1, 2])
            ),
            vec![]
        );
        // A deleted pod is recreated (at the update revision, see creates_at_current_revision).
        assert_eq!(
            super::plan(
                &[0, 1, 2],
                &pods(&[(0, Healthy), (2, Healthy)]),
                true,
                Strategy::OnDelete,
                &outdated(&[0, 2])
            ),
            vec![Create(1)]
        );
    }

    // Scaling takes precedence over updates ("Note that ... scaling will take precedence").
    #[test]
    fn scale_down_comes_before_the_update() {
        let rolling = Strategy::RollingUpdate { partition: 0 };
        assert_eq!(
            super::plan(&[0, 1], &healthy(3), true, rolling, &outdated(&[0, 1, 2])),
            vec![Delete(2)]
        );
        assert_eq!(
            super::plan(&[0, 1], &healthy(3), false, rolling, &outdated(&[0, 1, 2])),
            vec![Delete(2), Delete(1)]
        );
    }

    #[test]
    fn revision_names_follow_the_template() {
        let a = revision_name("db", "{\"image\":\"a\"}");
        assert!(a.starts_with("db-"));
        assert_eq!(a, revision_name("db", "{\"image\":\"a\"}"));
        assert_ne!(a, revision_name("db", "{\"image\":\"b\"}"));
    }
}
