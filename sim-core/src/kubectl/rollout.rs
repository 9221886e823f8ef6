//! `kubectl rollout status` (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/
//! rollout_status.go): DeploymentStatusViewer, DaemonSetStatusViewer and
//! StatefulSetStatusViewer. Messages are kubectl's without the trailing newline.

use crate::api::{DaemonSetUpdateStrategyType, StatefulSetUpdateStrategyType};
use crate::controller::deployment::{DeploymentConditionType, TIMED_OUT_REASON};
use crate::controller::workloads::{DaemonSetRecord, DeploymentRecord, StatefulSetRecord};

/// What `kubectl rollout status` prints and whether the rollout is done, or the error it
/// exits with.
pub type RolloutStatus = Result<(String, bool), String>;

/// `kubectl rollout status deployment/<name>`. Err: the progress deadline was exceeded.
pub fn deployment_status(d: &DeploymentRecord) -> RolloutStatus {
    let name = d.name();
    let s = &d.status;
    if d.generation > s.observed_generation {
        return Ok((
            "Waiting for deployment spec update to be observed...".to_string(),
            false,
        ));
    }
    if s.condition(DeploymentConditionType::Progressing)
        .is_some_and(|c| c.reason == TIMED_OUT_REASON)
    {
        return Err(format!(
            "deployment \"{name}\" exceeded its progress deadline"
        ));
    }
    let replicas = d.replicas();
    if s.updated_replicas < replicas {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} out of {replicas} new replicas have been updated...",
                s.updated_replicas
            ),
            false,
        ));
    }
    if s.replicas > s.updated_replicas {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
                s.replicas - s.updated_replicas
            ),
            false,
        ));
    }
    if s.available_replicas < s.updated_replicas {
        return Ok((
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} of {} updated replicas are available...",
                s.available_replicas, s.updated_replicas
            ),
            false,
        ));
    }
    Ok((
        format!("deployment \"{name}\" successfully rolled out"),
        true,
    ))
}

/// `kubectl rollout status daemonset/<name>`.
pub fn daemon_set_status(d: &DaemonSetRecord) -> RolloutStatus {
    if d.object.spec.update_strategy.type_ != Some(DaemonSetUpdateStrategyType::RollingUpdate) {
        // kubectl names the StatefulSet constant here; both are "RollingUpdate".
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let (name, s) = (d.name(), &d.status);
    if d.generation > s.observed_generation {
        return Ok((
            "Waiting for daemon set spec update to be observed...".to_string(),
            false,
        ));
    }
    if s.updated_number_scheduled < s.desired_number_scheduled {
        return Ok((
            format!(
                "Waiting for daemon set \"{name}\" rollout to finish: {} out of {} new pods have been updated...",
                s.updated_number_scheduled, s.desired_number_scheduled
            ),
            false,
        ));
    }
    if s.number_available < s.desired_number_scheduled {
        return Ok((
            format!(
                "Waiting for daemon set \"{name}\" rollout to finish: {} of {} updated pods are available...",
                s.number_available, s.desired_number_scheduled
            ),
            false,
        ));
    }
    Ok((
        format!("daemon set \"{name}\" successfully rolled out"),
        true,
    ))
}

/// `kubectl rollout status statefulset/<name>`.
pub fn stateful_set_status(set: &StatefulSetRecord) -> RolloutStatus {
    let strategy = &set.object.spec.update_strategy;
    if strategy.type_ != Some(StatefulSetUpdateStrategyType::RollingUpdate) {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let s = &set.status;
    if s.observed_generation == 0 || set.generation > s.observed_generation {
        return Ok((
            "Waiting for statefulset spec update to be observed...".to_string(),
            false,
        ));
    }
    let replicas = set.object.spec.replicas;
    if let Some(r) = replicas
        && s.ready_replicas < r
    {
        return Ok((
            format!("Waiting for {} pods to be ready...", r - s.ready_replicas),
            false,
        ));
    }
    if let Some(ru) = &strategy.rolling_update {
        if let (Some(r), Some(p)) = (replicas, ru.partition)
            && s.updated_replicas < r - p
        {
            return Ok((
                format!(
                    "Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...",
                    s.updated_replicas,
                    r - p
                ),
                false,
            ));
        }
        return Ok((
            format!(
                "partitioned roll out complete: {} new pods have been updated...",
                s.updated_replicas
            ),
            true,
        ));
    }
    if s.update_revision != s.current_revision {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {} pods at revision {}...",
                s.updated_replicas, s.update_revision
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {}...",
            s.current_replicas, s.current_revision
        ),
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::deployment::{DeploymentStatus, condition};
    use crate::controller::workloads::{
        DaemonSetId, DaemonSetStatus, DeploymentId, StatefulSetId, StatefulSetStatus,
    };
    use crate::time::SimTime;

    fn deployment(spec_replicas: i32, status: DeploymentStatus) -> DeploymentRecord {
        let mut object = crate::api::Deployment::default();
        object.metadata.name = Some("foo".into());
        object.spec.replicas = Some(spec_replicas);
        DeploymentRecord {
            id: DeploymentId(0),
            object,
            uid: String::new(),
            created_at: SimTime::ZERO,
            status,
            generation: 1,
        }
    }

    fn status(replicas: i32, updated: i32, available: i32) -> DeploymentStatus {
        DeploymentStatus {
            observed_generation: 1,
            replicas,
            updated_replicas: updated,
            available_replicas: available,
            unavailable_replicas: replicas - available,
            ..Default::default()
        }
    }

    /// TestDeploymentStatusViewerStatus (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/
    /// rollout_status_test.go) test1-test5. Messages without kubectl's newline.
    #[test]
    fn deployment_status_viewer_status() {
        let cases = [
            (
                1,
                status(1, 0, 1),
                "Waiting for deployment \"foo\" rollout to finish: 0 out of 1 new replicas have been updated...",
                false,
            ),
            (
                1,
                status(2, 1, 2),
                "Waiting for deployment \"foo\" rollout to finish: 1 old replicas are pending termination...",
                false,
            ),
            (
                2,
                status(2, 2, 1),
                "Waiting for deployment \"foo\" rollout to finish: 1 of 2 updated replicas are available...",
                false,
            ),
            (
                2,
                status(2, 2, 2),
                "deployment \"foo\" successfully rolled out",
                true,
            ),
        ];
        for (replicas, s, msg, done) in cases {
            assert_eq!(
                deployment_status(&deployment(replicas, s)),
                Ok((msg.to_string(), done))
            );
        }
        // test5: generation 2 not observed yet.
        let mut unobserved = deployment(2, status(2, 2, 2));
        unobserved.generation = 2;
        assert_eq!(
            deployment_status(&unobserved),
            Ok((
                "Waiting for deployment spec update to be observed...".to_string(),
                false
            ))
        );
        let mut timed_out = status(2, 2, 2);
        timed_out.set_condition(condition(
            DeploymentConditionType::Progressing,
            false,
            TIMED_OUT_REASON,
            String::new(),
            SimTime::ZERO,
        ));
        assert_eq!(
            deployment_status(&deployment(2, timed_out)),
            Err("deployment \"foo\" exceeded its progress deadline".to_string())
        );
    }

    fn daemon_set(
        generation: i64,
        strategy: crate::api::DaemonSetUpdateStrategyType,
        status: DaemonSetStatus,
    ) -> DaemonSetRecord {
        let mut object = crate::api::DaemonSet::default();
        object.metadata.name = Some("foo".into());
        object.spec.update_strategy.type_ = Some(strategy);
        DaemonSetRecord {
            id: DaemonSetId(0),
            object,
            uid: String::new(),
            created_at: SimTime::ZERO,
            status,
            names: crate::rng::RngStreams::new(0).stream("test"),
            generation,
            template_generation: 1,
        }
    }

    /// TestDaemonSetStatusViewerStatus and
    /// TestDaemonSetStatusViewerStatusWithWrongUpdateStrategyType (rollout_status_test.go):
    /// (generation, observed, updated, desired, available, message, done).
    #[test]
    fn daemon_set_status_viewer_status() {
        use crate::api::DaemonSetUpdateStrategyType::{OnDelete, RollingUpdate};
        let cases = [
            (
                0,
                1,
                0,
                1,
                0,
                "Waiting for daemon set \"foo\" rollout to finish: 0 out of 1 new pods have been updated...",
                false,
            ),
            (
                1,
                1,
                2,
                2,
                1,
                "Waiting for daemon set \"foo\" rollout to finish: 1 of 2 updated pods are available...",
                false,
            ),
            (
                1,
                1,
                2,
                2,
                2,
                "daemon set \"foo\" successfully rolled out",
                true,
            ),
            (
                2,
                1,
                2,
                2,
                2,
                "Waiting for daemon set spec update to be observed...",
                false,
            ),
        ];
        for (generation, observed, updated, desired, available, msg, done) in cases {
            let status = DaemonSetStatus {
                observed_generation: observed,
                updated_number_scheduled: updated,
                desired_number_scheduled: desired,
                number_available: available,
                ..Default::default()
            };
            let d = daemon_set(generation, RollingUpdate, status);
            assert_eq!(daemon_set_status(&d), Ok((msg.to_string(), done)), "{msg}");
        }
        let on_delete = daemon_set(1, OnDelete, DaemonSetStatus::default());
        assert_eq!(
            daemon_set_status(&on_delete),
            Err("rollout status is only available for RollingUpdate strategy type".to_string())
        );
    }

    /// TestStatefulSetStatusViewerStatus (rollout_status_test.go), on newStatefulSet(3):
    /// (name, generation, strategy, partition, status (observed, ready, current, updated,
    /// revisions equal), message or error). Upstream's case "partition update is in progress"
    /// wants done=true but only fails on an unexpected done, so done is not compared there.
    #[test]
    fn stateful_set_status_viewer_status() {
        use crate::api::StatefulSetUpdateStrategyType::{OnDelete, RollingUpdate};
        type Case = (
            &'static str,
            i64,
            crate::api::StatefulSetUpdateStrategyType,
            Option<i32>,
            (i64, i32, i32, i32),
            Result<(&'static str, Option<bool>), ()>,
        );
        let cases: [Case; 6] = [
            (
                "on delete returns an error",
                1,
                OnDelete,
                None,
                (1, 1, 0, 0),
                Err(()),
            ),
            (
                "unobserved update is not complete",
                2,
                RollingUpdate,
                None,
                (1, 3, 3, 0),
                Ok((
                    "Waiting for statefulset spec update to be observed...",
                    Some(false),
                )),
            ),
            (
                "if all pods are not ready the update is not complete",
                1,
                RollingUpdate,
                None,
                (2, 2, 3, 0),
                Ok(("Waiting for 1 pods to be ready...", Some(false))),
            ),
            (
                "partition update completes when all replicas above the partition are updated",
                1,
                RollingUpdate,
                Some(2),
                (2, 3, 2, 1),
                Ok((
                    "partitioned roll out complete: 1 new pods have been updated...",
                    Some(true),
                )),
            ),
            (
                "partition update is in progress if all pods above the partition have not been updated",
                1,
                RollingUpdate,
                Some(2),
                (2, 3, 3, 0),
                Ok((
                    "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...",
                    None,
                )),
            ),
            (
                "update completes when all replicas are current",
                1,
                RollingUpdate,
                None,
                (2, 3, 3, 3),
                Ok((
                    "statefulset rolling update complete 3 pods at revision foo...",
                    Some(true),
                )),
            ),
        ];
        for (name, generation, strategy, partition, (observed, ready, current, updated), want) in
            cases
        {
            let mut object = crate::api::StatefulSet::default();
            object.metadata.name = Some("foo".into());
            object.spec.replicas = Some(3);
            object.spec.update_strategy.type_ = Some(strategy);
            object.spec.update_strategy.rolling_update =
                partition.map(|p| crate::api::RollingUpdateStatefulSetStrategy {
                    partition: Some(p),
                    max_unavailable: None,
                });
            let set = StatefulSetRecord {
                id: StatefulSetId(0),
                object,
                uid: String::new(),
                created_at: SimTime::ZERO,
                status: StatefulSetStatus {
                    observed_generation: observed,
                    replicas: 3,
                    ready_replicas: ready,
                    current_replicas: current,
                    updated_replicas: updated,
                    current_revision: "foo".into(),
                    update_revision: "foo".into(),
                    ..Default::default()
                },
                generation,
                revisions: Default::default(),
            };
            let got = stateful_set_status(&set);
            match want {
                Err(()) => assert!(got.is_err(), "{name}"),
                Ok((msg, done)) => {
                    let (got_msg, got_done) = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                    assert_eq!(got_msg, msg, "{name}");
                    if let Some(d) = done {
                        assert_eq!(got_done, d, "{name}");
                    }
                }
            }
        }
    }
}
