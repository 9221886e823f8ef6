//! `kubectl rollout status` for a Deployment (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/
//! rollout_status.go, DeploymentStatusViewer.Status).

use crate::controller::deployment::DeploymentConditionType;
use crate::controller::workloads::DeploymentRecord;

/// deploymentutil.TimedOutReason.
const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";

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
