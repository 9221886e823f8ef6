//! The DaemonSet controller's rolling update (pkg/controller/daemon/update.go rollingUpdate,
//! updatedDesiredNodeCounts; util/daemonset_util.go SurgeCount, UnavailableCount): which old
//! pods to delete and on which nodes to surge a new pod, given each node's old and new pod.

use crate::api::{DaemonSetUpdateStrategy, DaemonSetUpdateStrategyType, IntOrString};

/// The daemon pods (without a deletionTimestamp) on one node, as findUpdatedPodsOnNode sorts
/// them. `Some(available)` for a pod that is there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePods {
    pub node: String,
    /// NodeShouldRunDaemonPod's shouldRun.
    pub should_run: bool,
    /// At most one new and one old pod; otherwise the manage loop cleans the node up first.
    pub ok: bool,
    pub new: Option<bool>,
    pub old: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Nodes whose old pod is deleted.
    pub delete_old: Vec<String>,
    /// Nodes that get a new pod next to (or instead of) the old one.
    pub create: Vec<String>,
}

/// SurgeCount and UnavailableCount for `desired` nodes (both round up), with
/// updatedDesiredNodeCounts' fallback of one unavailable pod when both are zero.
pub fn fenceposts(strategy: &DaemonSetUpdateStrategy, desired: i32) -> (i32, i32) {
    let ru = match (&strategy.type_, &strategy.rolling_update) {
        (Some(DaemonSetUpdateStrategyType::RollingUpdate), Some(ru)) => ru,
        _ => return (0, 0),
    };
    let scaled = |v: Option<&IntOrString>| v.map_or(Ok(0), |v| v.scaled_value(desired, true));
    let surge = scaled(ru.max_surge.as_ref()).unwrap_or(0);
    let mut unavailable = scaled(ru.max_unavailable.as_ref()).unwrap_or(0);
    if desired > 0 && surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    (surge, unavailable)
}

/// AllowsSurge: more than one pod may run on a node during an update.
pub fn allows_surge(strategy: &DaemonSetUpdateStrategy) -> bool {
    fenceposts(strategy, 1).0 > 0
}

/// rollingUpdate. `nodes` holds every node with daemon pods or that should run one, in node
/// name order: upstream walks a Go map (random order) and picks candidates in that order;
/// kubesim walks names so a seed replays identically.
pub fn rolling_update(nodes: &[NodePods], max_surge: i32, max_unavailable: i32) -> Plan {
    let mut plan = Plan::default();
    if max_surge == 0 {
        // Delete just enough old pods to stay within maxUnavailable; the manage loop creates
        // their replacements once they are gone.
        let mut unavailable = 0;
        let mut candidates = Vec::new();
        for n in nodes {
            match (n.ok, n.new, n.old) {
                (false, ..) | (true, None, None) | (true, Some(_), Some(_)) => unavailable += 1,
                (true, Some(available), None) => unavailable += i32::from(!available),
                (true, None, Some(false)) => plan.delete_old.push(n.node.clone()),
                (true, None, Some(true)) if unavailable >= max_unavailable => {}
                (true, None, Some(true)) => candidates.push(n.node.clone()),
            }
        }
        let take = (max_unavailable - unavailable).clamp(0, candidates.len() as i32) as usize;
        plan.delete_old.extend(candidates.into_iter().take(take));
        return plan;
    }
    // Surging: a new pod goes next to an old one (up to maxSurge at a time, at once where the
    // old one is unavailable) and the old one is deleted when the new one is available.
    let mut surge = 0;
    let mut candidates = Vec::new();
    for n in nodes {
        if !n.ok {
            surge += 1;
            continue;
        }
        match (n.new, n.old) {
            (_, None) => {}
            (None, Some(false)) if !n.should_run => plan.delete_old.push(n.node.clone()),
            (None, Some(false)) => plan.create.push(n.node.clone()),
            // Old pods on nodes that should no longer run them wait for the manage loop
            // (upstream's shouldNotRunPodsToDelete only go once enough pods are available).
            (None, Some(true)) if !n.should_run => {}
            (None, Some(true)) if surge >= max_surge => {}
            (None, Some(true)) => candidates.push(n.node.clone()),
            (Some(false), Some(_)) => surge += 1,
            (Some(true), Some(_)) => plan.delete_old.push(n.node.clone()),
        }
    }
    let take = (max_surge - surge).clamp(0, candidates.len() as i32) as usize;
    plan.create.extend(candidates.into_iter().take(take));
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RollingUpdateDaemonSet;

    fn node(name: &str, new: Option<bool>, old: Option<bool>) -> NodePods {
        NodePods {
            node: name.into(),
            should_run: true,
            ok: true,
            new,
            old,
        }
    }

    fn strategy(
        surge: Option<IntOrString>,
        unavailable: Option<IntOrString>,
    ) -> DaemonSetUpdateStrategy {
        DaemonSetUpdateStrategy {
            type_: Some(DaemonSetUpdateStrategyType::RollingUpdate),
            rolling_update: Some(RollingUpdateDaemonSet {
                max_surge: surge,
                max_unavailable: unavailable,
            }),
        }
    }

    // TestGetUnavailableNumbers (daemon/update_test.go): percentages round up; zero and zero
    // falls back to one unavailable.
    #[test]
    fn fenceposts_round_up() {
        let pct = |s: &str| Some(IntOrString::String(s.into()));
        assert_eq!(
            fenceposts(&strategy(None, Some(IntOrString::Int(1))), 2),
            (0, 1)
        );
        assert_eq!(fenceposts(&strategy(None, pct("50%")), 5), (0, 3));
        assert_eq!(fenceposts(&strategy(pct("10%"), None), 5), (1, 0));
        assert_eq!(
            fenceposts(&strategy(None, Some(IntOrString::Int(0))), 3),
            (0, 1)
        );
        assert_eq!(
            fenceposts(&strategy(None, Some(IntOrString::Int(0))), 0),
            (0, 0)
        );
        let on_delete = DaemonSetUpdateStrategy {
            type_: Some(DaemonSetUpdateStrategyType::OnDelete),
            rolling_update: None,
        };
        assert_eq!(fenceposts(&on_delete, 3), (0, 0));
        assert!(!allows_surge(&on_delete));
        assert!(allows_surge(&strategy(pct("1%"), None)));
    }

    // TestDaemonSetUpdatesPods: maxUnavailable old pods at a time; an unavailable new pod
    // counts against the budget.
    #[test]
    fn without_surge_old_pods_go_within_max_unavailable() {
        let old = |n: &str| node(n, None, Some(true));
        let nodes = [old("a"), old("b"), old("c")];
        assert_eq!(rolling_update(&nodes, 0, 2).delete_old, vec!["a", "b"]);
        let nodes = [node("a", Some(false), None), old("b"), old("c")];
        assert_eq!(rolling_update(&nodes, 0, 2).delete_old, vec!["b"]);
        // A node whose old pod was deleted and not replaced yet is unavailable.
        let nodes = [
            node("a", None, None),
            node("b", Some(false), None),
            old("c"),
        ];
        assert_eq!(
            rolling_update(&nodes, 0, 2).delete_old,
            Vec::<String>::new()
        );
        // An unavailable old pod is replaced regardless of the budget.
        let nodes = [
            node("a", Some(false), None),
            node("b", None, Some(false)),
            old("c"),
        ];
        assert_eq!(rolling_update(&nodes, 0, 1).delete_old, vec!["b"]);
    }

    // TestDaemonSetUpdatesPodsWithMaxSurge / TestDaemonSetUpdatesWhenNewPodIsNotReady.
    #[test]
    fn surge_creates_then_deletes_the_old_pod_when_the_new_one_is_available() {
        let old = |n: &str| node(n, None, Some(true));
        let plan = rolling_update(&[old("a"), old("b"), old("c")], 2, 0);
        assert_eq!(plan.create, vec!["a", "b"]);
        assert!(plan.delete_old.is_empty());
        let plan = rolling_update(
            &[
                node("a", Some(true), Some(true)),
                node("b", Some(false), Some(true)),
                old("c"),
            ],
            2,
            0,
        );
        // a's new pod is available (no longer a surge), b's is not: one more surge slot.
        assert_eq!(plan.delete_old, vec!["a"]);
        assert_eq!(plan.create, vec!["c"]);
        // An unavailable old pod gets its new pod at once, beyond maxSurge.
        let plan = rolling_update(
            &[
                node("a", Some(false), Some(true)),
                node("b", None, Some(false)),
                old("c"),
            ],
            1,
            0,
        );
        assert_eq!(plan.create, vec!["b"]);
    }
}
