//! `kubectl describe pod|node` and `kubectl get nodes`, laid out as
//! staging/src/k8s.io/kubectl/pkg/describe/describe.go does (a tabwriter with padding 2).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::api::{Container, Pod, Probe, TolerationOperator};
use crate::cluster::{Cluster, ContainerState, ContainerStatus, KubeEvent, NodeRecord, PodRecord};
use crate::quantity::Quantity;
use crate::rng::fnv1a;
use crate::time::{SimTime, human_duration};

use super::pods::or_none;
use super::tabwriter::TabWriter;
use super::wallclock::WallClock;

fn since(t: SimTime, now: SimTime) -> String {
    human_duration(i128::from(now.as_nanos()) - i128::from(t.as_nanos()))
}

/// 64 hex digits derived from `key` (splitmix64 over its hash): stands in for containerd's
/// random container ids and image digests, stable across runs.
fn hex_id(key: &str) -> String {
    let mut x = fnv1a(key.as_bytes());
    (0..4)
        .map(|_| {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            format!("{:016x}", z ^ (z >> 31))
        })
        .collect()
}

/// pkg/apis/core/helper/qos GetPodQOS: Guaranteed when every container limits cpu and memory
/// to its requests, BestEffort when nothing is requested or limited, Burstable otherwise.
pub fn qos_class(pod: &Pod) -> &'static str {
    let containers: Vec<&Container> = pod
        .spec
        .containers
        .iter()
        .chain(&pod.spec.init_containers)
        .collect();
    let mut any = false;
    let mut guaranteed = true;
    for c in containers {
        let r = &c.resources;
        for name in ["cpu", "memory"] {
            let req = r.requests.get(name).filter(|q| !q.is_zero());
            let lim = r.limits.get(name).filter(|q| !q.is_zero());
            if req.is_some() || lim.is_some() {
                any = true;
            }
            match (req, lim) {
                (Some(a), Some(b)) if a == b => {}
                (None, Some(_)) => {}
                _ => guaranteed = false,
            }
        }
        if !r.limits.contains_key("cpu") || !r.limits.contains_key("memory") {
            guaranteed = false;
        }
    }
    if !any {
        "BestEffort"
    } else if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

fn multiline(w: &mut TabWriter, title: &str, map: &BTreeMap<String, String>) {
    if map.is_empty() {
        w.write(&format!("{title}:\t<none>\n"));
        return;
    }
    for (i, (k, v)) in map.iter().enumerate() {
        if i == 0 {
            w.write(&format!("{title}:\t{k}={v}\n"));
        } else {
            w.write(&format!("\t{k}={v}\n"));
        }
    }
}

fn describe_state(w: &mut TabWriter, name: &str, state: &ContainerState, wall: &WallClock) {
    match state {
        ContainerState::Running { started_at } => {
            w.write(&format!(
                "    {name}:\tRunning\n      Started:\t{}\n",
                wall.rfc1123z(*started_at)
            ));
        }
        ContainerState::Waiting { reason, .. } => {
            w.write(&format!("    {name}:\tWaiting\n"));
            if !reason.is_empty() {
                w.write(&format!("      Reason:\t{reason}\n"));
            }
        }
        ContainerState::Terminated {
            exit_code,
            signal,
            reason,
            message,
            started_at,
            finished_at,
        } => {
            w.write(&format!("    {name}:\tTerminated\n"));
            if !reason.is_empty() {
                w.write(&format!("      Reason:\t{reason}\n"));
            }
            if !message.is_empty() {
                w.write(&format!("      Message:\t{message}\n"));
            }
            w.write(&format!("      Exit Code:\t{exit_code}\n"));
            if *signal > 0 {
                w.write(&format!("      Signal:\t{signal}\n"));
            }
            w.write(&format!("      Started:\t{}\n", wall.rfc1123z(*started_at)));
            w.write(&format!(
                "      Finished:\t{}\n",
                wall.rfc1123z(*finished_at)
            ));
        }
    }
}

fn probe_text(kind: &str, p: &Probe) -> String {
    let action = if let Some(h) = &p.http_get {
        let port = h.port.to_string();
        format!(
            "http-get {}://:{port}{}",
            h.scheme
                .as_ref()
                .map_or("http".to_string(), |s| s.as_str().to_lowercase()),
            h.path
        )
    } else if let Some(t) = &p.tcp_socket {
        format!("tcp-socket :{}", t.port)
    } else if let Some(e) = &p.exec {
        format!("exec [{}]", e.command.join(" "))
    } else if let Some(g) = &p.grpc {
        format!(
            "grpc <pod>:{} {}",
            g.port,
            g.service.clone().unwrap_or_default()
        )
    } else {
        "unknown".to_string()
    };
    format!(
        "    {kind}:\t{action} delay={}s timeout={}s period={}s #success={} #failure={}\n",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    )
}

fn resources(w: &mut TabWriter, title: &str, list: &BTreeMap<String, Quantity>) {
    if list.is_empty() {
        return;
    }
    w.write(&format!("    {title}:\n"));
    for (k, v) in list {
        w.write(&format!("      {k}:\t{v}\n"));
    }
}

fn describe_containers(
    w: &mut TabWriter,
    title: &str,
    p: &PodRecord,
    containers: &[Container],
    statuses: &[ContainerStatus],
    wall: &WallClock,
) {
    w.write(&format!("{title}:\n"));
    for c in containers {
        let status = statuses.iter().find(|s| *s.name == *c.name);
        w.write(&format!("  {}:\n", c.name));
        let running_or_done = status.is_some_and(|s| {
            !matches!(s.state, ContainerState::Waiting { .. }) || s.last_state.is_some()
        });
        if running_or_done {
            let attempt = status.map_or(0, |s| s.restart_count);
            w.write(&format!(
                "    Container ID:\tcontainerd://{}\n",
                hex_id(&format!("{}/{}/{attempt}", p.uid, c.name))
            ));
        }
        w.write(&format!("    Image:\t{}\n", c.image));
        if status.is_some() {
            let image_id = if running_or_done {
                let full = crate::kubelet::images::normalize_image(&c.image);
                let repo = full
                    .split_once(':')
                    .map_or(full.as_str(), |(r, _)| r)
                    .to_string();
                format!("{repo}@sha256:{}", hex_id(&full))
            } else {
                String::new()
            };
            w.write(&format!("    Image ID:\t{image_id}\n"));
        }
        let ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    p.container_port,
                    p.protocol.as_ref().map_or("TCP", |x| x.as_str())
                )
            })
            .collect();
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    p.host_port,
                    p.protocol.as_ref().map_or("TCP", |x| x.as_str())
                )
            })
            .collect();
        if ports.len() > 1 {
            w.write(&format!(
                "    Ports:\t{}\n    Host Ports:\t{}\n",
                ports.join(", "),
                host_ports.join(", ")
            ));
        } else {
            w.write(&format!(
                "    Port:\t{}\n    Host Port:\t{}\n",
                or_none(&ports.join("")),
                or_none(&host_ports.join(""))
            ));
        }
        if !c.command.is_empty() {
            w.write("    Command:\n");
            for a in &c.command {
                w.write(&format!("      {a}\n"));
            }
        }
        if !c.args.is_empty() {
            w.write("    Args:\n");
            for a in &c.args {
                w.write(&format!("      {a}\n"));
            }
        }
        match status {
            Some(s) => {
                describe_state(w, "State", &s.state, wall);
                if let Some(last) = &s.last_state {
                    describe_state(w, "Last State", last, wall);
                }
                w.write(&format!(
                    "    Ready:\t{}\n",
                    if s.ready { "True" } else { "False" }
                ));
                w.write(&format!("    Restart Count:\t{}\n", s.restart_count));
            }
            None => {
                w.write("    State:\tWaiting\n");
                w.write("    Ready:\tFalse\n    Restart Count:\t0\n");
            }
        }
        resources(w, "Limits", &c.resources.limits);
        resources(w, "Requests", &c.resources.requests);
        if let Some(pr) = &c.liveness_probe {
            w.write(&probe_text("Liveness", pr));
        }
        if let Some(pr) = &c.readiness_probe {
            w.write(&probe_text("Readiness", pr));
        }
        if let Some(pr) = &c.startup_probe {
            w.write(&probe_text("Startup", pr));
        }
        w.write("    Environment:\t<none>\n    Mounts:\t<none>\n");
    }
}

fn describe_events(w: &mut TabWriter, events: &[&KubeEvent], now: SimTime) {
    if events.is_empty() {
        w.write("Events:\t<none>\n");
        return;
    }
    let mut events = events.to_vec();
    // event.SortableEvents: by last timestamp (stable).
    events.sort_by_key(|e| e.last_timestamp);
    w.write("Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n");
    for e in events {
        let age = if e.count > 1 {
            format!(
                "{} (x{} over {})",
                since(e.last_timestamp, now),
                e.count,
                since(e.first_timestamp, now)
            )
        } else {
            since(e.first_timestamp, now)
        };
        w.write(&format!(
            "  {}\t{}\t{}\t{}\t{}\n",
            e.type_.as_str(),
            e.reason,
            age,
            e.source,
            e.message.trim()
        ));
    }
}

/// `kubectl describe pod <name> -n <namespace>` at `now`; None when the pod does not exist.
pub fn describe_pod(
    cluster: &Cluster,
    namespace: &str,
    name: &str,
    now: SimTime,
    wall: &WallClock,
) -> Option<String> {
    let id = cluster.find_pod(namespace, name)?;
    let p = cluster.pod(id)?;
    let pod = &p.pod;
    let status = &p.status;
    let mut w = TabWriter::new(0, 2);
    w.write(&format!("Name:\t{name}\nNamespace:\t{namespace}\n"));
    // The Priority admission plugin sets spec.priority (0 without a class).
    w.write(&format!("Priority:\t{}\n", pod.spec.priority.unwrap_or(0)));
    if !pod.spec.priority_class_name.is_empty() {
        w.write(&format!(
            "Priority Class Name:\t{}\n",
            pod.spec.priority_class_name
        ));
    }
    let sa = if pod.spec.service_account_name.is_empty() {
        "default"
    } else {
        &pod.spec.service_account_name
    };
    w.write(&format!("Service Account:\t{sa}\n"));
    match p.node {
        Some(n) => {
            let node = cluster.node(n);
            w.write(&format!("Node:\t{}/{}\n", node.name, node_ip(node)));
        }
        None => w.write("Node:\t<none>\n"),
    }
    if let Some(t) = status.start_time {
        w.write(&format!("Start Time:\t{}\n", wall.rfc1123z(t)));
    }
    multiline(&mut w, "Labels", &pod.metadata.labels);
    multiline(&mut w, "Annotations", &pod.metadata.annotations);
    match &p.deletion {
        Some(d) if !status.phase.is_terminal() => {
            // describe.go: translateTimestampSince(deletionTimestamp). The timestamp lies in the
            // future during the grace period, so kubectl prints "<invalid>".
            w.write(&format!(
                "Status:\tTerminating (lasts {})\n",
                since(d.timestamp, now)
            ));
            w.write(&format!(
                "Termination Grace Period:\t{}s\n",
                d.grace_period_seconds
            ));
        }
        _ => w.write(&format!("Status:\t{}\n", status.phase)),
    }
    if !status.reason.is_empty() {
        w.write(&format!("Reason:\t{}\n", status.reason));
    }
    if !status.message.is_empty() {
        w.write(&format!("Message:\t{}\n", status.message));
    }
    w.write(&format!("IP:\t{}\n", status.pod_ip));
    if status.pod_ip.is_empty() {
        w.write("IPs:\t<none>\n");
    } else {
        w.write(&format!("IPs:\n  IP:\t{}\n", status.pod_ip));
    }
    if let Some(owner) = pod
        .metadata
        .owner_references
        .iter()
        .find(|o| o.controller == Some(true))
    {
        w.write(&format!("Controlled By:\t{}/{}\n", owner.kind, owner.name));
    }
    if !status.nominated_node_name.is_empty() {
        w.write(&format!(
            "NominatedNodeName:\t{}\n",
            status.nominated_node_name
        ));
    }
    if !pod.spec.init_containers.is_empty() {
        describe_containers(
            &mut w,
            "Init Containers",
            p,
            &pod.spec.init_containers,
            &status.init_container_statuses,
            wall,
        );
    }
    describe_containers(
        &mut w,
        "Containers",
        p,
        &pod.spec.containers,
        &status.container_statuses,
        wall,
    );
    if !status.conditions.is_empty() {
        w.write("Conditions:\n  Type\tStatus\n");
        for c in &status.conditions {
            w.write(&format!(
                "  {} \t{} \n",
                c.type_.as_str(),
                c.status.as_str()
            ));
        }
    }
    if pod.spec.volumes.is_empty() {
        w.write("Volumes:\t<none>\n");
    } else {
        w.write("Volumes:\n");
        for v in &pod.spec.volumes {
            w.write(&format!("  {}:\n    Type:\t(not simulated)\n", v.name));
        }
    }
    w.write(&format!("QoS Class:\t{}\n", qos_class(pod)));
    multiline(&mut w, "Node-Selectors", &pod.spec.node_selector);
    if pod.spec.tolerations.is_empty() {
        w.write("Tolerations:\t<none>\n");
    }
    for (i, t) in pod.spec.tolerations.iter().enumerate() {
        let mut s = t.key.clone();
        if !t.value.is_empty() {
            let _ = write!(s, "={}", t.value);
        }
        if let Some(e) = &t.effect {
            let _ = write!(s, ":{e}");
        }
        if t.operator == Some(TolerationOperator::Exists) {
            s.push_str(" op=Exists");
        }
        if let Some(secs) = t.toleration_seconds {
            let _ = write!(s, " for {secs}s");
        }
        let prefix = if i == 0 { "Tolerations:" } else { "" };
        w.write(&format!("{prefix}\t{s}\n"));
    }
    let events: Vec<&KubeEvent> = cluster.events_for("Pod", namespace, name).collect();
    describe_events(&mut w, &events, now);
    Some(w.finish())
}

/// Bytes as kubectl prints a memory quantity (`16Gi`, `128Mi`).
fn bytes(b: i64) -> Quantity {
    Quantity::from_value(b, crate::quantity::QuantityFormat::BinarySI)
}

fn node_ip(node: &NodeRecord) -> String {
    format!("10.0.0.{}", node.id.0 + 2)
}

/// The STATUS column (printers.go printNode): `Ready` only while the Ready condition is True,
/// `,SchedulingDisabled` for a cordoned node.
pub fn node_status(node: &NodeRecord) -> String {
    let ready = if node.ready == crate::cluster::ConditionStatus::True {
        "Ready"
    } else {
        "NotReady"
    };
    if node.unschedulable {
        format!("{ready},SchedulingDisabled")
    } else {
        ready.to_string()
    }
}

/// `kubectl get nodes [-o wide]`.
pub fn get_nodes(cluster: &Cluster, now: SimTime, wide: bool) -> String {
    if cluster.live_nodes().next().is_none() {
        return "No resources found\n".to_string();
    }
    let mut headers = vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"];
    if wide {
        headers.extend([
            "INTERNAL-IP",
            "EXTERNAL-IP",
            "OS-IMAGE",
            "KERNEL-VERSION",
            "CONTAINER-RUNTIME",
        ]);
    }
    let mut nodes: Vec<&NodeRecord> = cluster.live_nodes().collect();
    nodes.sort_by(|a, b| a.name.cmp(&b.name));
    let rows: Vec<Vec<String>> = nodes
        .iter()
        .map(|n| {
            let roles: Vec<&str> = n
                .labels
                .keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                .collect();
            let mut row = vec![
                n.name.clone(),
                node_status(n),
                if roles.is_empty() {
                    "<none>".to_string()
                } else {
                    roles.join(",")
                },
                since(n.created_at, now),
                cluster.kubelet_version.clone(),
            ];
            if wide {
                row.extend([
                    node_ip(n),
                    "<none>".into(),
                    "kubesim".into(),
                    "<none>".into(),
                    "containerd://2.0.0".into(),
                ]);
            }
            row
        })
        .collect();
    super::table::render(&headers, &rows)
}

/// `kubectl describe node <name>` (the parts kubesim simulates).
pub fn describe_node(
    cluster: &Cluster,
    name: &str,
    now: SimTime,
    wall: &WallClock,
) -> Option<String> {
    let id = cluster.find_node(name)?;
    let n = cluster.node(id);
    let mut w = TabWriter::new(0, 2);
    w.write(&format!("Name:\t{name}\nRoles:\t<none>\n"));
    multiline(&mut w, "Labels", &n.labels);
    w.write("Annotations:\t<none>\n");
    w.write(&format!(
        "CreationTimestamp:\t{}\n",
        wall.rfc1123z(n.created_at)
    ));
    if n.taints.is_empty() {
        w.write("Taints:\t<none>\n");
    }
    for (i, t) in n.taints.iter().enumerate() {
        let mut s = t.key.clone();
        if !t.value.is_empty() {
            let _ = write!(s, "={}", t.value);
        }
        if let Some(e) = &t.effect {
            let _ = write!(s, ":{e}");
        }
        w.write(&format!("{}\t{s}\n", if i == 0 { "Taints:" } else { "" }));
    }
    w.write(&format!("Unschedulable:\t{}\n", n.unschedulable));
    w.write(&format!(
        "Addresses:\n  InternalIP:\t{}\n  Hostname:\t{name}\n",
        node_ip(n)
    ));
    let list = |w: &mut TabWriter, title: &str, r: &crate::cluster::Resources| {
        w.write(&format!("{title}:\n"));
        w.write(&format!("  cpu:\t{}\n", Quantity::from_milli(r.milli_cpu)));
        w.write(&format!(
            "  ephemeral-storage:\t{}\n",
            bytes(r.ephemeral_storage)
        ));
        w.write(&format!("  memory:\t{}\n", bytes(r.memory)));
        w.write(&format!("  pods:\t{}\n", r.pods));
        for (k, v) in &r.scalar {
            w.write(&format!("  {k}:\t{v}\n"));
        }
    };
    list(&mut w, "Capacity", &n.capacity);
    list(&mut w, "Allocatable", &n.allocatable);
    let pods: Vec<&PodRecord> = n.pods.iter().filter_map(|p| cluster.pod(*p)).collect();
    w.write(&format!(
        "Non-terminated Pods:\t({} in total)\n",
        pods.len()
    ));
    w.write("  Namespace\tName\tCPU Requests\tMemory Requests\tAge\n  ---------\t----\t------------\t---------------\t---\n");
    for p in &pods {
        w.write(&format!(
            "  {}\t{}\t{}\t{}\t{}\n",
            p.namespace(),
            p.name(),
            Quantity::from_milli(p.requests.requested.milli_cpu),
            bytes(p.requests.requested.memory),
            since(p.created_at, now)
        ));
    }
    let pct = |used: i64, total: i64| if total > 0 { used * 100 / total } else { 0 };
    w.write("Allocated resources:\n  Resource\tRequests\n  --------\t--------\n");
    w.write(&format!(
        "  cpu\t{} ({}%)\n  memory\t{} ({}%)\n",
        Quantity::from_milli(n.requested.milli_cpu),
        pct(n.requested.milli_cpu, n.allocatable.milli_cpu),
        bytes(n.requested.memory),
        pct(n.requested.memory, n.allocatable.memory)
    ));
    let events: Vec<&KubeEvent> = cluster.events_for("Node", "", name).collect();
    describe_events(&mut w, &events, now);
    Some(w.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qos_classes() {
        let pod = |req: &[(&str, &str)], lim: &[(&str, &str)]| {
            let mut p = Pod::default();
            let mut c = Container::default();
            for (k, v) in req {
                c.resources
                    .requests
                    .insert(k.to_string(), Quantity::parse(v).unwrap());
            }
            for (k, v) in lim {
                c.resources
                    .limits
                    .insert(k.to_string(), Quantity::parse(v).unwrap());
            }
            std::sync::Arc::make_mut(&mut p.spec).containers.push(c);
            p
        };
        assert_eq!(qos_class(&pod(&[], &[])), "BestEffort");
        assert_eq!(
            qos_class(&pod(
                &[("cpu", "250m"), ("memory", "64Mi")],
                &[("cpu", "500m"), ("memory", "128Mi")]
            )),
            "Burstable"
        );
        assert_eq!(
            qos_class(&pod(
                &[("cpu", "1"), ("memory", "1Gi")],
                &[("cpu", "1"), ("memory", "1Gi")]
            )),
            "Guaranteed"
        );
        assert_eq!(
            qos_class(&pod(&[], &[("cpu", "1"), ("memory", "1Gi")])),
            "Guaranteed"
        );
    }
}
