//! `kubectl rollout status` for a Deployment (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/
//! rollout_status.go, DeploymentStatusViewer.Status).

use crate::controller::deployment::{DeploymentConditionType, TIMED_OUT_REASON};
use crate::controller::workloads::DeploymentRecord;

/// What `kubectl rollout status deployment/<name>` prints, and whether the rollout is done.
/// Err is the error it exits with (the progress deadline was exceeded).
///
/// The controller's status is always for the current spec here (kubesim keeps no
/// observedGeneration), so the "Waiting for deployment spec update to be observed" case is not
/// reached.
pub fn deployment_status(d: &DeploymentRecord) -> Result<(String, bool), String> {
    let name = d.name();
    let s = &d.status;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::controller::deployment::{DeploymentStatus, condition};
    use crate::controller::workloads::DeploymentId;
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
        }
    }

    fn status(replicas: i32, updated: i32, available: i32) -> DeploymentStatus {
        DeploymentStatus {
            replicas,
            updated_replicas: updated,
            available_replicas: available,
            unavailable_replicas: replicas - available,
            ..Default::default()
        }
    }

    /// TestDeploymentStatusViewerStatus (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/
    /// rollout_status_test.go) test1-test4; test5 (generation not observed yet) has no
    /// counterpart, kubesim keeps no observedGeneration. Messages without kubectl's newline.
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
}
