//! The StatefulSet controller's pod management (pkg/controller/statefulset/
//! stateful_set_control.go updateStatefulSet): stable ordinal names, OrderedReady one pod at a
//! time or Parallel, and no replacement while the old pod object still exists.

use std::collections::BTreeMap;

pub const SOURCE: &str = "statefulset-controller";
/// apps.StatefulSetPodNameLabel and apps.PodIndexLabel.
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";

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
/// waiting for its predecessors to be healthy.
pub fn plan(want: &[i32], pods: &BTreeMap<i32, SetPod>, monotonic: bool) -> Vec<SetAction> {
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
}
