//! The API server's create-time mutations, in the order v1.33 applies them:
//!
//! 1. defaulting, ported from pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go,
//!    pkg/apis/batch/v1/defaults.go, pkg/apis/scheduling/v1/defaults.go and the `+default=`
//!    markers in staging/src/k8s.io/api/*/v1/types.go;
//! 2. the v1 → internal conversion quirk that turns a negative pod grace period into 1
//!    (pkg/apis/core/v1/conversion.go, kubernetes#115606);
//! 3. mutating admission: DefaultTolerationSeconds
//!    (plugin/pkg/admission/defaulttolerationseconds/admission.go);
//! 4. the registry's PrepareForCreate where it changes the spec the scheduler reads
//!    (pkg/registry/core/pod/strategy.go mutatePodAffinity, pkg/registry/batch/job/strategy.go
//!    generateSelector).
//!
//! Pod templates get the pod-spec defaults only. Upstream deliberately keeps the Pod-only
//! defaults (requests from limits, hostPort from containerPort, default tolerations) out of
//! templates (see SetDefaults_Pod's comment); pods stamped from a template receive them
//! when the controller creates them, so controllers must run [`default_pod`] on new pods.

use std::sync::Arc;

use super::Object;
use super::apps::*;
use super::batch::*;
use super::core::*;
use super::meta::{LabelSelector, LabelSelectorOperator, LabelSelectorRequirement};
use super::policy::PodDisruptionBudget;
use super::scheduling::PriorityClass;

/// v1.DefaultTerminationGracePeriodSeconds.
pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
/// v1.DefaultSchedulerName.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";
/// v1.TerminationMessagePathDefault.
pub const TERMINATION_MESSAGE_PATH_DEFAULT: &str = "/dev/termination-log";
/// The DefaultTolerationSeconds plugin's --default-not-ready-toleration-seconds and
/// --default-unreachable-toleration-seconds defaults.
pub const DEFAULT_NOT_READY_TOLERATION_SECONDS: i64 = 300;
pub const DEFAULT_UNREACHABLE_TOLERATION_SECONDS: i64 = 300;
/// v1.TaintNodeNotReady / v1.TaintNodeUnreachable.
pub const TAINT_NODE_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_NODE_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// v1.LabelMetadataName, set on every namespace.
pub const LABEL_METADATA_NAME: &str = "kubernetes.io/metadata.name";
/// Job selector-generation labels (batch.LegacyJobNameLabel, batch.JobNameLabel, ...).
pub const LEGACY_JOB_NAME_LABEL: &str = "job-name";
pub const JOB_NAME_LABEL: &str = "batch.kubernetes.io/job-name";
pub const LEGACY_CONTROLLER_UID_LABEL: &str = "controller-uid";
pub const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";

/// Applies every create-time mutation for the object's kind (see the module docs).
pub fn default_object(object: &mut Object) {
    match object {
        Object::Pod(o) => default_pod(o),
        Object::Node(o) => default_node(o),
        Object::Namespace(o) => default_namespace(o),
        Object::PriorityClass(o) => default_priority_class(o),
        Object::Deployment(o) => default_deployment(o),
        Object::ReplicaSet(o) => default_replica_set(o),
        Object::StatefulSet(o) => default_stateful_set(o),
        Object::DaemonSet(o) => default_daemon_set(o),
        Object::Job(o) => default_job(o),
        Object::CronJob(o) => default_cron_job(o),
        Object::PodDisruptionBudget(o) => default_pod_disruption_budget(o),
    }
}

/// Everything the API server does to a new Pod before validating it.
pub fn default_pod(pod: &mut Pod) {
    let spec = Arc::make_mut(&mut pod.spec);
    set_defaults_pod(spec);
    set_defaults_pod_spec(spec);
    // Convert_v1_Pod_To_core_Pod: "Pods which have an invalid negative
    // spec.terminationGracePeriodSeconds value will be treated as having
    // terminationGracePeriodSeconds of 1" (pods only, not templates).
    if let Some(grace) = spec.termination_grace_period_seconds.as_mut()
        && *grace < 0
    {
        *grace = 1;
    }
    admit_default_toleration_seconds(spec);
    mutate_pod_affinity(pod);
}

/// Defaults for the pod template inside a workload: pod-spec defaults only.
pub fn default_pod_template(template: &mut PodTemplateSpec) {
    set_defaults_pod_spec(&mut template.spec);
}

/// SetDefaults_Pod: defaults that apply to Pods but not to templates.
fn set_defaults_pod(spec: &mut PodSpec) {
    // "If limits are specified, but requests are not, default requests to limits", per
    // resource, for init and regular containers.
    for container in spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut())
    {
        let resources = &mut container.resources;
        for (name, limit) in &resources.limits {
            resources
                .requests
                .entry(name.clone())
                .or_insert_with(|| limit.clone());
        }
    }
    // defaultHostNetworkPorts: with host networking every container port is a host port.
    if spec.host_network {
        for container in spec
            .init_containers
            .iter_mut()
            .chain(spec.containers.iter_mut())
        {
            for port in &mut container.ports {
                if port.host_port == 0 {
                    port.host_port = port.container_port;
                }
            }
        }
    }
}

/// SetDefaults_PodSpec plus the defaults the generated code applies to everything nested in a
/// pod spec (containers, their ports and probes).
pub fn set_defaults_pod_spec(spec: &mut PodSpec) {
    if spec.restart_policy.is_none() {
        spec.restart_policy = Some(RestartPolicy::Always);
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    }
    if spec.scheduler_name.is_empty() {
        spec.scheduler_name = DEFAULT_SCHEDULER_NAME.to_string();
    }
    for container in spec
        .init_containers
        .iter_mut()
        .chain(spec.containers.iter_mut())
    {
        set_defaults_container(container);
    }
}

/// SetDefaults_Container, plus ContainerPort's `+default="TCP"` and the probe and handler
/// defaults.
pub fn set_defaults_container(container: &mut Container) {
    if container.image_pull_policy.is_none() {
        container.image_pull_policy = Some(pull_policy_for_image(&container.image));
    }
    if container.termination_message_path.is_empty() {
        container.termination_message_path = TERMINATION_MESSAGE_PATH_DEFAULT.to_string();
    }
    if container.termination_message_policy.is_none() {
        container.termination_message_policy = Some(TerminationMessagePolicy::File);
    }
    for port in &mut container.ports {
        if port.protocol.is_none() {
            port.protocol = Some(Protocol::Tcp);
        }
    }
    for probe in [
        &mut container.liveness_probe,
        &mut container.readiness_probe,
        &mut container.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        set_defaults_probe(probe);
    }
    if let Some(lifecycle) = &mut container.lifecycle {
        for handler in [&mut lifecycle.post_start, &mut lifecycle.pre_stop]
            .into_iter()
            .flatten()
        {
            if let Some(http_get) = &mut handler.http_get {
                set_defaults_http_get_action(http_get);
            }
        }
    }
}

/// SetDefaults_Probe (a zero counter means unset), SetDefaults_HTTPGetAction and GRPCAction's
/// `+default=""` service.
pub fn set_defaults_probe(probe: &mut Probe) {
    fn default_counter(field: &mut Option<i32>, value: i32) {
        if field.unwrap_or(0) == 0 {
            *field = Some(value);
        }
    }
    default_counter(&mut probe.timeout_seconds, 1);
    default_counter(&mut probe.period_seconds, 10);
    default_counter(&mut probe.success_threshold, 1);
    default_counter(&mut probe.failure_threshold, 3);
    if let Some(http_get) = &mut probe.http_get {
        set_defaults_http_get_action(http_get);
    }
    if let Some(grpc) = &mut probe.grpc
        && grpc.service.is_none()
    {
        grpc.service = Some(String::new());
    }
}

fn set_defaults_http_get_action(action: &mut HttpGetAction) {
    if action.path.is_empty() {
        action.path = "/".to_string();
    }
    if action.scheme.is_none() {
        action.scheme = Some(UriScheme::Http);
    }
}

/// SetDefaults_Container's pull-policy rule: `Always` when the image's tag is `latest`
/// (which includes "no tag and no digest"), otherwise `IfNotPresent`. An image reference
/// that does not parse also gets `IfNotPresent` ("assume it has been validated elsewhere").
pub fn pull_policy_for_image(image: &str) -> PullPolicy {
    match parse_image_name(image) {
        Some(image) if image.tag == "latest" => PullPolicy::Always,
        _ => PullPolicy::IfNotPresent,
    }
}

/// An image reference split the way pkg/util/parsers.ParseImageName splits it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageName {
    /// Fully qualified repository, e.g. `docker.io/library/nginx` or `localhost:5000/app`.
    pub repository: String,
    /// The tag; `latest` when the reference has neither tag nor digest.
    pub tag: String,
    /// `algorithm:hex`, or empty.
    pub digest: String,
}

/// pkg/util/parsers.ParseImageName: docker's `reference.ParseNormalizedNamed` grammar
/// (github.com/distribution/reference), returning `None` where it would return an error.
pub fn parse_image_name(image: &str) -> Option<ImageName> {
    // reference.anchoredIdentifierRegexp: a bare 64-hex-digit string is an image ID.
    if image.len() == 64
        && image
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return None;
    }
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, digest),
        None => (image, ""),
    };
    if !digest.is_empty() && !is_valid_digest(digest) {
        return None;
    }
    let (name, tag) = match rest.rfind(':') {
        Some(i) if !rest[i..].contains('/') => (&rest[..i], &rest[i + 1..]),
        _ => (rest, ""),
    };
    if !tag.is_empty() && !is_valid_tag(tag) {
        return None;
    }
    if rest.len() != name.len() && tag.is_empty() {
        return None; // "name:" with an empty tag
    }
    if name.is_empty() || name.len() > 255 {
        return None;
    }
    // splitDockerDomain: the first component is a registry if it looks like a host.
    let (domain, remainder) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.to_lowercase() != first =>
        {
            (first, rest)
        }
        _ => ("docker.io", name),
    };
    let domain = if domain == "index.docker.io" {
        "docker.io"
    } else {
        domain
    };
    if !is_valid_domain(domain) || !remainder.split('/').all(is_valid_path_component) {
        return None;
    }
    let remainder = if domain == "docker.io" && !remainder.contains('/') {
        format!("library/{remainder}")
    } else {
        remainder.to_string()
    };
    let tag = if tag.is_empty() && digest.is_empty() {
        "latest"
    } else {
        tag
    };
    Some(ImageName {
        repository: format!("{domain}/{remainder}"),
        tag: tag.to_string(),
        digest: digest.to_string(),
    })
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn is_valid_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let ok = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !ok {
            return false;
        }
    }
    true
}

/// `host(:port)?` with host = `label(.label)*`, label = `[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?`.
fn is_valid_domain(domain: &str) -> bool {
    let (host, port) = match domain.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (domain, None),
    };
    let label_ok = |label: &str| {
        let b = label.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphanumeric()
            && b[b.len() - 1].is_ascii_alphanumeric()
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    };
    host.split('.').all(label_ok)
        && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `[\w][\w.-]{0,127}`
fn is_valid_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|&b| word(b) || b == b'.' || b == b'-')
}

/// `algorithm:encoded`, algorithm `[a-z0-9]+([+._-][a-z0-9]+)*`, encoded `[a-zA-Z0-9=_-]+`
/// (reference.DigestRegexp; digest.Parse's per-algorithm length checks are not needed to
/// decide the pull policy).
fn is_valid_digest(digest: &str) -> bool {
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return false;
    };
    let algo_ok = !algorithm.is_empty()
        && algorithm.split(['+', '.', '_', '-']).all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    let encoded_ok = !encoded.is_empty()
        && encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'=' || b == b'_' || b == b'-');
    algo_ok && encoded_ok
}

/// The DefaultTolerationSeconds admission plugin: unless the pod already tolerates
/// `not-ready:NoExecute` / `unreachable:NoExecute` (a toleration with that key or an empty
/// key, and effect NoExecute or empty), add `Exists` tolerations for 300s.
pub fn admit_default_toleration_seconds(spec: &mut PodSpec) {
    let tolerates = |key: &str| {
        spec.tolerations.iter().any(|t| {
            (t.key == key || t.key.is_empty())
                && matches!(t.effect, None | Some(TaintEffect::NoExecute))
        })
    };
    let add_not_ready = !tolerates(TAINT_NODE_NOT_READY);
    let add_unreachable = !tolerates(TAINT_NODE_UNREACHABLE);
    // helper.AddOrUpdateTolerationInPod appends: a toleration it could update would have
    // matched the checks above.
    for (add, key, seconds) in [
        (
            add_not_ready,
            TAINT_NODE_NOT_READY,
            DEFAULT_NOT_READY_TOLERATION_SECONDS,
        ),
        (
            add_unreachable,
            TAINT_NODE_UNREACHABLE,
            DEFAULT_UNREACHABLE_TOLERATION_SECONDS,
        ),
    ] {
        if add {
            spec.tolerations.push(Toleration {
                key: key.to_string(),
                operator: Some(TolerationOperator::Exists),
                value: String::new(),
                effect: Some(TaintEffect::NoExecute),
                toleration_seconds: Some(seconds),
            });
        }
    }
}

/// mutatePodAffinity (PrepareForCreate, MatchLabelKeysInPodAffinity, on by default in
/// v1.33): each `matchLabelKeys` / `mismatchLabelKeys` key the pod carries becomes an
/// `In` / `NotIn` requirement on the term's label selector, which is all the scheduler reads.
/// Terms without a label selector are left alone (a nil selector matches nothing anyway).
pub fn mutate_pod_affinity(pod: &mut Pod) {
    if pod.spec.affinity.is_none() {
        return;
    }
    let labels = &pod.metadata.labels;
    let Some(affinity) = Arc::make_mut(&mut pod.spec).affinity.as_mut() else {
        return;
    };
    let mut terms: Vec<&mut PodAffinityTerm> = Vec::new();
    if let Some(a) = affinity.pod_affinity.as_mut() {
        terms.extend(
            a.required_during_scheduling_ignored_during_execution
                .iter_mut(),
        );
        terms.extend(
            a.preferred_during_scheduling_ignored_during_execution
                .iter_mut()
                .map(|w| &mut w.pod_affinity_term),
        );
    }
    if let Some(a) = affinity.pod_anti_affinity.as_mut() {
        terms.extend(
            a.required_during_scheduling_ignored_during_execution
                .iter_mut(),
        );
        terms.extend(
            a.preferred_during_scheduling_ignored_during_execution
                .iter_mut()
                .map(|w| &mut w.pod_affinity_term),
        );
    }
    for term in terms {
        let Some(selector) = term.label_selector.as_mut() else {
            continue;
        };
        for (keys, operator) in [
            (&term.match_label_keys, LabelSelectorOperator::In),
            (&term.mismatch_label_keys, LabelSelectorOperator::NotIn),
        ] {
            for key in keys {
                if let Some(value) = labels.get(key) {
                    selector.match_expressions.push(LabelSelectorRequirement {
                        key: key.clone(),
                        operator: Some(operator.clone()),
                        values: vec![value.clone()],
                    });
                }
            }
        }
    }
}

/// SetDefaults_NodeStatus: allocatable defaults to capacity.
pub fn default_node(node: &mut Node) {
    if node.status.allocatable.is_empty() && !node.status.capacity.is_empty() {
        node.status.allocatable = node.status.capacity.clone();
    }
}

/// SetDefaults_Namespace: every named namespace carries `kubernetes.io/metadata.name`.
pub fn default_namespace(namespace: &mut Namespace) {
    if let Some(name) = namespace.metadata.name.as_ref().filter(|n| !n.is_empty()) {
        namespace
            .metadata
            .labels
            .insert(LABEL_METADATA_NAME.to_string(), name.clone());
    }
}

/// SetDefaults_PriorityClass (pkg/apis/scheduling/v1/defaults.go).
pub fn default_priority_class(class: &mut PriorityClass) {
    if class.preemption_policy.is_none() {
        class.preemption_policy = Some(PreemptionPolicy::PreemptLowerPriority);
    }
}

/// SetDefaults_Deployment.
pub fn default_deployment(deployment: &mut Deployment) {
    let spec = &mut deployment.spec;
    spec.replicas.get_or_insert(1);
    let strategy = &mut spec.strategy;
    let strategy_type = strategy
        .type_
        .get_or_insert(DeploymentStrategyType::RollingUpdate);
    if *strategy_type == DeploymentStrategyType::RollingUpdate {
        let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
        rolling
            .max_unavailable
            .get_or_insert_with(|| super::IntOrString::String("25%".into()));
        rolling
            .max_surge
            .get_or_insert_with(|| super::IntOrString::String("25%".into()));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    default_pod_template(&mut spec.template);
}

/// SetDefaults_ReplicaSet.
pub fn default_replica_set(replica_set: &mut ReplicaSet) {
    replica_set.spec.replicas.get_or_insert(1);
    default_pod_template(&mut replica_set.spec.template);
}

/// SetDefaults_StatefulSet (the PVC retention policy is not modelled).
pub fn default_stateful_set(stateful_set: &mut StatefulSet) {
    let spec = &mut stateful_set.spec;
    spec.pod_management_policy
        .get_or_insert(PodManagementPolicyType::OrderedReady);
    let strategy = &mut spec.update_strategy;
    if strategy.type_.is_none() {
        strategy.type_ = Some(StatefulSetUpdateStrategyType::RollingUpdate);
        // "UpdateStrategy.RollingUpdate will take default values below."
        strategy.rolling_update.get_or_insert_with(Default::default);
    }
    if strategy.type_ == Some(StatefulSetUpdateStrategyType::RollingUpdate)
        && let Some(rolling) = strategy.rolling_update.as_mut()
    {
        rolling.partition.get_or_insert(0);
    }
    spec.replicas.get_or_insert(1);
    spec.revision_history_limit.get_or_insert(10);
    default_pod_template(&mut spec.template);
}

/// SetDefaults_DaemonSet.
pub fn default_daemon_set(daemon_set: &mut DaemonSet) {
    let spec = &mut daemon_set.spec;
    let strategy = &mut spec.update_strategy;
    let strategy_type = strategy
        .type_
        .get_or_insert(DaemonSetUpdateStrategyType::RollingUpdate);
    if *strategy_type == DaemonSetUpdateStrategyType::RollingUpdate {
        let rolling = strategy.rolling_update.get_or_insert_with(Default::default);
        rolling
            .max_unavailable
            .get_or_insert(super::IntOrString::Int(1));
        rolling.max_surge.get_or_insert(super::IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
    default_pod_template(&mut spec.template);
}

/// SetDefaults_Job (JobPodReplacementPolicy is on by default in v1.33).
pub fn default_job(job: &mut Job) {
    let spec = &mut job.spec;
    // "For a non-parallel job, you can leave both `.spec.completions` and `.spec.parallelism`
    // unset. When both are unset, both are defaulted to 1." Only parallelism is defaulted
    // otherwise: a nil completions with parallelism set is a work-queue job.
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
        spec.parallelism = Some(1);
    }
    spec.parallelism.get_or_insert(1);
    if spec.backoff_limit.is_none() {
        // With a per-index limit the global limit is effectively disabled.
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            6
        });
    }
    if job.metadata.labels.is_empty() && !spec.template.metadata.labels.is_empty() {
        job.metadata.labels = spec.template.metadata.labels.clone();
    }
    spec.completion_mode
        .get_or_insert(CompletionMode::NonIndexed);
    spec.suspend.get_or_insert(false);
    if spec.pod_replacement_policy.is_none() {
        spec.pod_replacement_policy = Some(if spec.pod_failure_policy.is_some() {
            PodReplacementPolicy::Failed
        } else {
            PodReplacementPolicy::TerminatingOrFailed
        });
    }
    spec.manual_selector.get_or_insert(false);
    default_pod_failure_policy(spec);
    default_pod_template(&mut spec.template);
}

/// SetDefaults_PodFailurePolicyOnPodConditionsPattern: an omitted status means `True`.
fn default_pod_failure_policy(spec: &mut JobSpec) {
    if let Some(policy) = &mut spec.pod_failure_policy {
        for pattern in policy
            .rules
            .iter_mut()
            .flat_map(|r| r.on_pod_conditions.iter_mut())
        {
            pattern.status.get_or_insert(ConditionStatus::True);
        }
    }
}

/// SetDefaults_CronJob. The job template gets the nested defaults only (its pod template
/// and pod failure policy), not SetDefaults_Job: that runs when the Job is created.
pub fn default_cron_job(cron_job: &mut CronJob) {
    let spec = &mut cron_job.spec;
    spec.concurrency_policy
        .get_or_insert(ConcurrencyPolicy::Allow);
    spec.suspend.get_or_insert(false);
    spec.successful_jobs_history_limit.get_or_insert(3);
    spec.failed_jobs_history_limit.get_or_insert(1);
    default_pod_failure_policy(&mut spec.job_template.spec);
    default_pod_template(&mut spec.job_template.spec.template);
}

/// policy/v1 has no defaults for PodDisruptionBudget (unhealthyPodEvictionPolicy stays unset,
/// which the disruption controller treats as IfHealthyBudget).
pub fn default_pod_disruption_budget(_pdb: &mut PodDisruptionBudget) {}

/// generateSelector (pkg/registry/batch/job/strategy.go, PrepareForCreate): unless
/// `manualSelector` is true, label the pod template with the job's name and uid and select
/// on the uid. Needs the uid the store assigns, so it is not part of [`default_object`].
pub fn generate_job_selector(job: &mut Job, uid: &str) {
    if job.spec.manual_selector == Some(true) {
        return;
    }
    let name = job.metadata.name.clone().unwrap_or_default();
    let labels = &mut job.spec.template.metadata.labels;
    for (key, value) in [
        (LEGACY_JOB_NAME_LABEL, name.as_str()),
        (JOB_NAME_LABEL, name.as_str()),
        (LEGACY_CONTROLLER_UID_LABEL, uid),
        (CONTROLLER_UID_LABEL, uid),
    ] {
        // A label the user already set is kept; validation reports a conflict.
        labels
            .entry(key.to_string())
            .or_insert_with(|| value.to_string());
    }
    let selector = job.spec.selector.get_or_insert_with(LabelSelector::default);
    selector
        .match_labels
        .entry(CONTROLLER_UID_LABEL.to_string())
        .or_insert_with(|| uid.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::IntOrString;
    use crate::quantity::Quantity;

    fn container(name: &str, image: &str) -> Container {
        Container {
            name: name.into(),
            image: image.into(),
            ..Default::default()
        }
    }

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap()
    }

    /// Ported from TestParseImageName in pkg/util/parsers/parsers_test.go.
    #[test]
    fn parse_image_name_table() {
        let digest = "sha256:e5d93a1e2c1a44e4c8a4b3b1d0d7c5f6a4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9";
        // (input, Some((repository, tag, digest))) or None for a parse error.
        type Expected<'a> = Option<(&'a str, &'a str, &'a str)>;
        let cases: Vec<(String, Expected)> = vec![
            (
                "root".into(),
                Some(("docker.io/library/root", "latest", "")),
            ),
            (
                "root:tag".into(),
                Some(("docker.io/library/root", "tag", "")),
            ),
            (
                format!("root@{digest}"),
                Some(("docker.io/library/root", "", digest)),
            ),
            (
                "user/repo".into(),
                Some(("docker.io/user/repo", "latest", "")),
            ),
            (
                "user/repo:tag".into(),
                Some(("docker.io/user/repo", "tag", "")),
            ),
            (
                format!("user/repo@{digest}"),
                Some(("docker.io/user/repo", "", digest)),
            ),
            (
                "url:5000/repo".into(),
                Some(("url:5000/repo", "latest", "")),
            ),
            (
                "url:5000/repo:tag".into(),
                Some(("url:5000/repo", "tag", "")),
            ),
            (
                format!("url:5000/repo@{digest}"),
                Some(("url:5000/repo", "", digest)),
            ),
            ("ROOT".into(), None),
            ("http://root".into(), None),
            (
                format!("root:tag@{digest}"),
                Some(("docker.io/library/root", "tag", digest)),
            ),
            (
                "localhost:5000/img".into(),
                Some(("localhost:5000/img", "latest", "")),
            ),
            (
                "registry.k8s.io/pause:3.10".into(),
                Some(("registry.k8s.io/pause", "3.10", "")),
            ),
            ("".into(), None),
        ];
        for (input, want) in cases {
            let got = parse_image_name(&input);
            let want = want.map(|(repository, tag, digest)| ImageName {
                repository: repository.into(),
                tag: tag.into(),
                digest: digest.into(),
            });
            assert_eq!(got, want, "{input}");
        }
    }

    /// SetDefaults_Container's pull-policy rule (pkg/apis/core/v1/defaults.go) over image
    /// names in the style of TestParseImageName, plus registry-port cases where the port is
    /// not a tag.
    #[test]
    fn image_pull_policy_from_tag() {
        let cases = [
            ("nginx", PullPolicy::Always),
            ("nginx:latest", PullPolicy::Always),
            ("nginx:1.27", PullPolicy::IfNotPresent),
            ("localhost:5000/img", PullPolicy::Always),
            ("localhost:5000/img:v1", PullPolicy::IfNotPresent),
            (
                "nginx@sha256:e5d93a1e2c1a44e4c8a4b3b1d0d7c5f6a4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9",
                PullPolicy::IfNotPresent,
            ),
            (
                "nginx:latest@sha256:e5d93a1e2c1a44e4c8a4b3b1d0d7c5f6a4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9",
                PullPolicy::Always,
            ),
            ("Nginx", PullPolicy::IfNotPresent),
        ];
        for (image, want) in cases {
            let mut pod = Pod::default();
            Arc::make_mut(&mut pod.spec)
                .containers
                .push(container("c", image));
            default_pod(&mut pod);
            assert_eq!(
                pod.spec.containers[0].image_pull_policy,
                Some(want),
                "{image}"
            );
        }
        // An explicit policy is kept.
        let mut c = container("c", "nginx");
        c.image_pull_policy = Some(PullPolicy::Never);
        set_defaults_container(&mut c);
        assert_eq!(c.image_pull_policy, Some(PullPolicy::Never));
    }

    /// Ported from TestSetDefaultProbe in pkg/apis/core/v1/defaults_test.go, extended to the
    /// SetDefaults_PodSpec / SetDefaults_Container / SetDefaults_HTTPGetAction fields.
    #[test]
    fn pod_spec_defaults() {
        let mut pod = Pod::default();
        let mut c = container("c", "nginx:1.27");
        c.ports.push(ContainerPort {
            container_port: 80,
            ..Default::default()
        });
        c.liveness_probe = Some(Probe {
            http_get: Some(HttpGetAction {
                port: IntOrString::Int(8080),
                ..Default::default()
            }),
            timeout_seconds: Some(0),
            period_seconds: Some(5),
            ..Default::default()
        });
        c.readiness_probe = Some(Probe {
            grpc: Some(GrpcAction {
                port: 9090,
                service: None,
            }),
            ..Default::default()
        });
        Arc::make_mut(&mut pod.spec).containers.push(c);
        default_pod(&mut pod);

        let spec = &pod.spec;
        assert_eq!(spec.restart_policy, Some(RestartPolicy::Always));
        assert_eq!(spec.termination_grace_period_seconds, Some(30));
        assert_eq!(spec.scheduler_name, "default-scheduler");
        let c = &spec.containers[0];
        assert_eq!(c.termination_message_path, "/dev/termination-log");
        assert_eq!(
            c.termination_message_policy,
            Some(TerminationMessagePolicy::File)
        );
        assert_eq!(c.ports[0].protocol, Some(Protocol::Tcp));
        assert_eq!(
            c.ports[0].host_port, 0,
            "hostPort is only defaulted with hostNetwork"
        );
        let live = c.liveness_probe.as_ref().unwrap();
        assert_eq!(
            (
                live.timeout_seconds,
                live.period_seconds,
                live.success_threshold,
                live.failure_threshold
            ),
            (Some(1), Some(5), Some(1), Some(3))
        );
        let http_get = live.http_get.as_ref().unwrap();
        assert_eq!(
            (http_get.path.as_str(), http_get.scheme.clone()),
            ("/", Some(UriScheme::Http))
        );
        let ready = c.readiness_probe.as_ref().unwrap();
        assert_eq!(ready.grpc.as_ref().unwrap().service, Some(String::new()));
        assert_eq!(ready.period_seconds, Some(10));
    }

    /// Ported from TestSetDefaultRequestsPod and TestDefaultRequestIsNotSetForReplicationController
    /// in pkg/apis/core/v1/defaults_test.go: limits fill in missing requests on Pods, not on
    /// templates.
    #[test]
    fn requests_default_to_limits_on_pods_only() {
        let mut c = container("c", "i");
        c.resources.limits.insert("cpu".into(), q("100m"));
        c.resources.limits.insert("memory".into(), q("1Gi"));
        c.resources.requests.insert("memory".into(), q("512Mi"));
        let mut init = container("init", "i");
        init.resources.limits.insert("cpu".into(), q("2"));

        let mut pod = Pod::default();
        Arc::make_mut(&mut pod.spec).containers.push(c.clone());
        Arc::make_mut(&mut pod.spec).init_containers.push(init);
        default_pod(&mut pod);
        let requests = &pod.spec.containers[0].resources.requests;
        assert_eq!(requests.get("cpu"), Some(&q("100m")));
        assert_eq!(
            requests.get("memory"),
            Some(&q("512Mi")),
            "an explicit request is kept"
        );
        assert_eq!(
            pod.spec.init_containers[0].resources.requests.get("cpu"),
            Some(&q("2"))
        );

        let mut rs = ReplicaSet::default();
        rs.spec.template.spec.containers.push(c);
        default_replica_set(&mut rs);
        assert_eq!(
            rs.spec.template.spec.containers[0]
                .resources
                .requests
                .get("cpu"),
            None
        );
    }

    /// Ported from TestSetDefaultPodSpecHostNetwork in pkg/apis/core/v1/defaults_test.go.
    #[test]
    fn host_network_defaults_host_ports() {
        let mut pod = Pod::default();
        Arc::make_mut(&mut pod.spec).host_network = true;
        let mut c = container("c", "i");
        c.ports.push(ContainerPort {
            container_port: 12345,
            ..Default::default()
        });
        c.ports.push(ContainerPort {
            container_port: 8080,
            host_port: 8080,
            ..Default::default()
        });
        Arc::make_mut(&mut pod.spec).containers.push(c);
        default_pod(&mut pod);
        assert_eq!(pod.spec.containers[0].ports[0].host_port, 12345);
        assert_eq!(pod.spec.containers[0].ports[1].host_port, 8080);
    }

    #[test]
    fn negative_grace_period_becomes_one_on_pods() {
        let mut pod = Pod::default();
        Arc::make_mut(&mut pod.spec).termination_grace_period_seconds = Some(-5);
        default_pod(&mut pod);
        assert_eq!(pod.spec.termination_grace_period_seconds, Some(1));
        let mut template = PodTemplateSpec::default();
        template.spec.termination_grace_period_seconds = Some(-5);
        default_pod_template(&mut template);
        assert_eq!(template.spec.termination_grace_period_seconds, Some(-5));
    }

    fn toleration(
        key: &str,
        op: Option<&str>,
        effect: Option<&str>,
        seconds: Option<i64>,
    ) -> Toleration {
        Toleration {
            key: key.into(),
            operator: op.map(Into::into),
            value: String::new(),
            effect: effect.map(Into::into),
            toleration_seconds: seconds,
        }
    }

    /// Ported from TestForgivenessAdmission in
    /// plugin/pkg/admission/defaulttolerationseconds/admission_test.go.
    #[test]
    fn default_toleration_seconds_admission() {
        let not_ready = toleration(
            TAINT_NODE_NOT_READY,
            Some("Exists"),
            Some("NoExecute"),
            Some(300),
        );
        let unreachable = toleration(
            TAINT_NODE_UNREACHABLE,
            Some("Exists"),
            Some("NoExecute"),
            Some(300),
        );
        let cases: Vec<(&str, Vec<Toleration>, Vec<Toleration>)> = vec![
            (
                "pod has no tolerations, expect add tolerations",
                vec![],
                vec![not_ready.clone(), unreachable.clone()],
            ),
            (
                "pod has tolerations, but none is for taint `notReady:NoExecute` or `unreachable:NoExecute`",
                vec![toleration("foo", Some("Equal"), Some("NoSchedule"), None)],
                vec![
                    toleration("foo", Some("Equal"), Some("NoSchedule"), None),
                    not_ready.clone(),
                    unreachable.clone(),
                ],
            ),
            (
                "pod specified a toleration for taint `notReady:NoExecute`, expect add toleration for `unreachable:NoExecute`",
                vec![toleration(
                    TAINT_NODE_NOT_READY,
                    Some("Exists"),
                    Some("NoExecute"),
                    Some(700),
                )],
                vec![
                    toleration(
                        TAINT_NODE_NOT_READY,
                        Some("Exists"),
                        Some("NoExecute"),
                        Some(700),
                    ),
                    unreachable.clone(),
                ],
            ),
            (
                "pod specified a toleration for taint `unreachable:NoExecute`, expect add toleration for `notReady:NoExecute`",
                vec![toleration(
                    TAINT_NODE_UNREACHABLE,
                    Some("Exists"),
                    Some("NoExecute"),
                    Some(700),
                )],
                vec![
                    toleration(
                        TAINT_NODE_UNREACHABLE,
                        Some("Exists"),
                        Some("NoExecute"),
                        Some(700),
                    ),
                    not_ready.clone(),
                ],
            ),
            (
                "pod specified tolerations for both, expect no change",
                vec![
                    toleration(
                        TAINT_NODE_NOT_READY,
                        Some("Exists"),
                        Some("NoExecute"),
                        Some(700),
                    ),
                    toleration(
                        TAINT_NODE_UNREACHABLE,
                        Some("Exists"),
                        Some("NoExecute"),
                        Some(700),
                    ),
                ],
                vec![
                    toleration(
                        TAINT_NODE_NOT_READY,
                        Some("Exists"),
                        Some("NoExecute"),
                        Some(700),
                    ),
                    toleration(
                        TAINT_NODE_UNREACHABLE,
                        Some("Exists"),
                        Some("NoExecute"),
                        Some(700),
                    ),
                ],
            ),
            (
                "pod specified toleration for taint `unreachable`, expect add toleration for `notReady:NoExecute`",
                vec![toleration(
                    TAINT_NODE_UNREACHABLE,
                    Some("Exists"),
                    None,
                    Some(700),
                )],
                vec![
                    toleration(TAINT_NODE_UNREACHABLE, Some("Exists"), None, Some(700)),
                    not_ready.clone(),
                ],
            ),
            (
                "pod has wildcard toleration for all kind of taints, expect no change",
                vec![toleration("", Some("Exists"), None, Some(700))],
                vec![toleration("", Some("Exists"), None, Some(700))],
            ),
            (
                "a NoSchedule toleration for notReady does not count",
                vec![toleration(
                    TAINT_NODE_NOT_READY,
                    Some("Exists"),
                    Some("NoSchedule"),
                    None,
                )],
                vec![
                    toleration(
                        TAINT_NODE_NOT_READY,
                        Some("Exists"),
                        Some("NoSchedule"),
                        None,
                    ),
                    not_ready.clone(),
                    unreachable.clone(),
                ],
            ),
        ];
        for (name, given, want) in cases {
            let mut spec = PodSpec {
                tolerations: given,
                ..Default::default()
            };
            admit_default_toleration_seconds(&mut spec);
            assert_eq!(spec.tolerations, want, "{name}");
        }
    }

    #[test]
    fn pod_affinity_match_label_keys_are_merged() {
        let mut pod = Pod::default();
        pod.metadata.labels.insert("app".into(), "web".into());
        pod.metadata.labels.insert("version".into(), "v1".into());
        let term = PodAffinityTerm {
            label_selector: Some(LabelSelector::default()),
            topology_key: "zone".into(),
            match_label_keys: vec!["version".into(), "absent".into()],
            mismatch_label_keys: vec!["app".into()],
            ..Default::default()
        };
        let no_selector = PodAffinityTerm {
            label_selector: None,
            match_label_keys: vec!["app".into()],
            ..term.clone()
        };
        Arc::make_mut(&mut pod.spec).affinity = Some(Affinity {
            pod_anti_affinity: Some(PodAntiAffinity {
                required_during_scheduling_ignored_during_execution: vec![term, no_selector],
                ..Default::default()
            }),
            ..Default::default()
        });
        mutate_pod_affinity(&mut pod);
        let terms = &pod
            .spec
            .affinity
            .as_ref()
            .unwrap()
            .pod_anti_affinity
            .as_ref()
            .unwrap()
            .required_during_scheduling_ignored_during_execution;
        let exprs = &terms[0].label_selector.as_ref().unwrap().match_expressions;
        assert_eq!(exprs.len(), 2);
        assert_eq!(
            (
                exprs[0].key.as_str(),
                exprs[0].operator.clone(),
                exprs[0].values.clone()
            ),
            (
                "version",
                Some(LabelSelectorOperator::In),
                vec!["v1".to_string()]
            )
        );
        assert_eq!(
            (exprs[1].key.as_str(), exprs[1].operator.clone()),
            ("app", Some(LabelSelectorOperator::NotIn))
        );
        assert!(terms[1].label_selector.is_none());
    }

    /// Ported from TestSetDefaultDeployment in pkg/apis/apps/v1/defaults_test.go.
    #[test]
    fn deployment_defaults() {
        let pct = |s: &str| Some(IntOrString::String(s.into()));
        let cases: Vec<(&str, DeploymentSpec, DeploymentSpec)> = vec![
            (
                "empty",
                DeploymentSpec::default(),
                DeploymentSpec {
                    replicas: Some(1),
                    strategy: DeploymentStrategy {
                        type_: Some(DeploymentStrategyType::RollingUpdate),
                        rolling_update: Some(RollingUpdateDeployment {
                            max_unavailable: pct("25%"),
                            max_surge: pct("25%"),
                        }),
                    },
                    revision_history_limit: Some(10),
                    progress_deadline_seconds: Some(600),
                    ..Default::default()
                },
            ),
            (
                "partial rolling update",
                DeploymentSpec {
                    replicas: Some(5),
                    strategy: DeploymentStrategy {
                        type_: None,
                        rolling_update: Some(RollingUpdateDeployment {
                            max_surge: Some(IntOrString::Int(1)),
                            max_unavailable: None,
                        }),
                    },
                    ..Default::default()
                },
                DeploymentSpec {
                    replicas: Some(5),
                    strategy: DeploymentStrategy {
                        type_: Some(DeploymentStrategyType::RollingUpdate),
                        rolling_update: Some(RollingUpdateDeployment {
                            max_unavailable: pct("25%"),
                            max_surge: Some(IntOrString::Int(1)),
                        }),
                    },
                    revision_history_limit: Some(10),
                    progress_deadline_seconds: Some(600),
                    ..Default::default()
                },
            ),
            (
                "recreate gets no rolling update",
                DeploymentSpec {
                    replicas: Some(0),
                    strategy: DeploymentStrategy {
                        type_: Some(DeploymentStrategyType::Recreate),
                        rolling_update: None,
                    },
                    revision_history_limit: Some(0),
                    progress_deadline_seconds: Some(30),
                    ..Default::default()
                },
                DeploymentSpec {
                    replicas: Some(0),
                    strategy: DeploymentStrategy {
                        type_: Some(DeploymentStrategyType::Recreate),
                        rolling_update: None,
                    },
                    revision_history_limit: Some(0),
                    progress_deadline_seconds: Some(30),
                    ..Default::default()
                },
            ),
        ];
        for (name, given, mut want) in cases {
            let mut d = Deployment {
                spec: given,
                ..Default::default()
            };
            default_deployment(&mut d);
            default_pod_template(&mut want.template);
            assert_eq!(d.spec, want, "{name}");
        }
    }

    /// Ported from TestSetDefaultReplicaSetReplicas and TestSetDefaultStatefulSet in
    /// pkg/apis/apps/v1/defaults_test.go.
    #[test]
    fn replica_set_and_stateful_set_defaults() {
        let mut rs = ReplicaSet::default();
        default_replica_set(&mut rs);
        assert_eq!(rs.spec.replicas, Some(1));
        rs.spec.replicas = Some(0);
        default_replica_set(&mut rs);
        assert_eq!(rs.spec.replicas, Some(0));

        let mut sts = StatefulSet::default();
        default_stateful_set(&mut sts);
        assert_eq!(sts.spec.replicas, Some(1));
        assert_eq!(
            sts.spec.pod_management_policy,
            Some(PodManagementPolicyType::OrderedReady)
        );
        assert_eq!(sts.spec.revision_history_limit, Some(10));
        assert_eq!(
            sts.spec.update_strategy,
            StatefulSetUpdateStrategy {
                type_: Some(StatefulSetUpdateStrategyType::RollingUpdate),
                rolling_update: Some(RollingUpdateStatefulSetStrategy {
                    partition: Some(0),
                    max_unavailable: None
                }),
            }
        );

        // An explicit OnDelete strategy gets no rolling update.
        let mut sts = StatefulSet::default();
        sts.spec.update_strategy.type_ = Some(StatefulSetUpdateStrategyType::OnDelete);
        default_stateful_set(&mut sts);
        assert_eq!(sts.spec.update_strategy.rolling_update, None);

        // An explicit RollingUpdate type without a rollingUpdate block stays without one.
        let mut sts = StatefulSet::default();
        sts.spec.update_strategy.type_ = Some(StatefulSetUpdateStrategyType::RollingUpdate);
        default_stateful_set(&mut sts);
        assert_eq!(sts.spec.update_strategy.rolling_update, None);
    }

    /// Ported from TestSetDefaultDaemonSetSpec in pkg/apis/apps/v1/defaults_test.go.
    #[test]
    fn daemon_set_defaults() {
        let mut ds = DaemonSet::default();
        default_daemon_set(&mut ds);
        assert_eq!(
            ds.spec.update_strategy,
            DaemonSetUpdateStrategy {
                type_: Some(DaemonSetUpdateStrategyType::RollingUpdate),
                rolling_update: Some(RollingUpdateDaemonSet {
                    max_unavailable: Some(IntOrString::Int(1)),
                    max_surge: Some(IntOrString::Int(0)),
                }),
            }
        );
        assert_eq!(ds.spec.revision_history_limit, Some(10));
        assert_eq!(
            ds.spec.template.spec.restart_policy,
            Some(RestartPolicy::Always)
        );

        let mut ds = DaemonSet::default();
        ds.spec.update_strategy.type_ = Some(DaemonSetUpdateStrategyType::OnDelete);
        default_daemon_set(&mut ds);
        assert_eq!(ds.spec.update_strategy.rolling_update, None);
    }

    /// Ported from TestSetDefaultJob in pkg/apis/batch/v1/defaults_test.go.
    #[test]
    fn job_defaults() {
        // (completions, parallelism, backoffLimit, backoffLimitPerIndex) in and out.
        type Counts = (Option<i32>, Option<i32>, Option<i32>, Option<i32>);
        let cases: &[(&str, Counts, Counts)] = &[
            (
                "all unspecified -> sets all to 1",
                (None, None, None, None),
                (Some(1), Some(1), Some(6), None),
            ),
            (
                "completions=0 -> parallelism 1",
                (Some(0), None, None, None),
                (Some(0), Some(1), Some(6), None),
            ),
            (
                "parallelism=0 -> completions stays nil",
                (None, Some(0), None, None),
                (None, Some(0), Some(6), None),
            ),
            (
                "parallelism=2 -> completions stays nil",
                (None, Some(2), None, None),
                (None, Some(2), Some(6), None),
            ),
            (
                "backoffLimit kept",
                (Some(11), Some(10), Some(3), None),
                (Some(11), Some(10), Some(3), None),
            ),
            (
                "backoffLimitPerIndex -> backoffLimit max int32",
                (Some(4), None, None, Some(1)),
                (Some(4), Some(1), Some(i32::MAX), Some(1)),
            ),
        ];
        for (name, given, want) in cases {
            let mut job = Job::default();
            (
                job.spec.completions,
                job.spec.parallelism,
                job.spec.backoff_limit,
                job.spec.backoff_limit_per_index,
            ) = *given;
            default_job(&mut job);
            let s = &job.spec;
            assert_eq!(
                (
                    s.completions,
                    s.parallelism,
                    s.backoff_limit,
                    s.backoff_limit_per_index
                ),
                *want,
                "{name}"
            );
            assert_eq!(
                s.completion_mode,
                Some(CompletionMode::NonIndexed),
                "{name}"
            );
            assert_eq!(s.suspend, Some(false), "{name}");
            assert_eq!(s.manual_selector, Some(false), "{name}");
            assert_eq!(
                s.pod_replacement_policy,
                Some(PodReplacementPolicy::TerminatingOrFailed),
                "{name}"
            );
        }

        // Pod failure policy: replacement policy Failed, condition status defaults to True,
        // and template labels become the job's labels.
        let mut job = Job::default();
        job.spec
            .template
            .metadata
            .labels
            .insert("app".into(), "batch".into());
        job.spec.pod_failure_policy = Some(PodFailurePolicy {
            rules: vec![PodFailurePolicyRule {
                action: Some(PodFailurePolicyAction::Ignore),
                on_exit_codes: None,
                on_pod_conditions: vec![PodFailurePolicyOnPodConditionsPattern {
                    type_: "DisruptionTarget".into(),
                    status: None,
                }],
            }],
        });
        default_job(&mut job);
        assert_eq!(
            job.spec.pod_replacement_policy,
            Some(PodReplacementPolicy::Failed)
        );
        let rule = &job.spec.pod_failure_policy.as_ref().unwrap().rules[0];
        assert_eq!(
            rule.on_pod_conditions[0].status,
            Some(ConditionStatus::True)
        );
        assert_eq!(
            job.metadata.labels.get("app").map(String::as_str),
            Some("batch")
        );
    }

    /// Ported from TestSetDefaultCronJob in pkg/apis/batch/v1/defaults_test.go.
    #[test]
    fn cron_job_defaults() {
        let mut cj = CronJob::default();
        default_cron_job(&mut cj);
        let s = &cj.spec;
        assert_eq!(s.concurrency_policy, Some(ConcurrencyPolicy::Allow));
        assert_eq!(s.suspend, Some(false));
        assert_eq!(s.successful_jobs_history_limit, Some(3));
        assert_eq!(s.failed_jobs_history_limit, Some(1));
        assert_eq!(
            s.job_template.spec.backoff_limit, None,
            "SetDefaults_Job is not applied to templates"
        );
        assert_eq!(
            s.job_template.spec.template.spec.restart_policy,
            Some(RestartPolicy::Always)
        );

        let mut cj = CronJob::default();
        cj.spec.concurrency_policy = Some(ConcurrencyPolicy::Forbid);
        cj.spec.suspend = Some(true);
        cj.spec.successful_jobs_history_limit = Some(5);
        cj.spec.failed_jobs_history_limit = Some(5);
        default_cron_job(&mut cj);
        assert_eq!(cj.spec.concurrency_policy, Some(ConcurrencyPolicy::Forbid));
        assert_eq!(cj.spec.suspend, Some(true));
        assert_eq!(
            (
                cj.spec.successful_jobs_history_limit,
                cj.spec.failed_jobs_history_limit
            ),
            (Some(5), Some(5))
        );
    }

    /// Ported from TestSetDefaultNodeStatusAllocatable and TestSetDefaultNamespaceLabels in
    /// pkg/apis/core/v1/defaults_test.go; the PriorityClass case checks
    /// SetDefaults_PriorityClass (pkg/apis/scheduling/v1/defaults.go).
    #[test]
    fn node_namespace_priority_class_defaults() {
        let mut node = Node::default();
        node.status.capacity.insert("cpu".into(), q("4"));
        default_node(&mut node);
        assert_eq!(node.status.allocatable, node.status.capacity);
        node.status.allocatable.insert("cpu".into(), q("3"));
        default_node(&mut node);
        assert_eq!(node.status.allocatable.get("cpu"), Some(&q("3")));

        let mut ns = Namespace::default();
        ns.metadata.name = Some("team-a".into());
        default_namespace(&mut ns);
        assert_eq!(
            ns.metadata
                .labels
                .get(LABEL_METADATA_NAME)
                .map(String::as_str),
            Some("team-a")
        );

        let mut pc = PriorityClass::default();
        default_priority_class(&mut pc);
        assert_eq!(
            pc.preemption_policy,
            Some(PreemptionPolicy::PreemptLowerPriority)
        );
    }

    /// Ported from the generateSelector expectations of TestJobStrategy_PrepareForCreate in
    /// pkg/registry/batch/job/strategy_test.go.
    #[test]
    fn job_selector_generation() {
        let mut job = Job::default();
        job.metadata.name = Some("pi".into());
        job.spec
            .template
            .metadata
            .labels
            .insert("a".into(), "b".into());
        generate_job_selector(&mut job, "uid-1");
        let labels = &job.spec.template.metadata.labels;
        assert_eq!(labels.get(JOB_NAME_LABEL).map(String::as_str), Some("pi"));
        assert_eq!(
            labels.get(LEGACY_JOB_NAME_LABEL).map(String::as_str),
            Some("pi")
        );
        assert_eq!(
            labels.get(CONTROLLER_UID_LABEL).map(String::as_str),
            Some("uid-1")
        );
        assert_eq!(
            labels.get(LEGACY_CONTROLLER_UID_LABEL).map(String::as_str),
            Some("uid-1")
        );
        let selector = job.spec.selector.as_ref().unwrap();
        assert_eq!(selector.match_labels.len(), 1);
        assert!(selector.matches(labels));

        let mut manual = Job::default();
        manual.spec.manual_selector = Some(true);
        generate_job_selector(&mut manual, "uid-1");
        assert!(manual.spec.selector.is_none());
    }
}
