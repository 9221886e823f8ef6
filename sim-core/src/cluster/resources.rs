//! Resource accounting shared by the scheduler and the invariant checks, in integers:
//! milli-CPU and bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::api::{Container, PodSpec};
use crate::quantity::Quantity;

/// pkg/scheduler/util/pod_resources.go: the request assumed for a container that states none,
/// used only for scoring (never for the fit filter).
pub const DEFAULT_MILLI_CPU_REQUEST: i64 = 100;
pub const DEFAULT_MEMORY_REQUEST: i64 = 200 * 1024 * 1024;

/// A resource list: cpu in milli-units, memory and ephemeral storage in bytes, pod count, and
/// extended/scalar resources (e.g. `nvidia.com/gpu`) in whole units.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resources {
    pub milli_cpu: i64,
    pub memory: i64,
    pub ephemeral_storage: i64,
    pub pods: i64,
    pub scalar: BTreeMap<String, i64>,
}

impl Resources {
    pub fn from_list(list: &BTreeMap<String, Quantity>) -> Self {
        let mut r = Resources::default();
        for (name, q) in list {
            r.set(name, q);
        }
        r
    }

    fn set(&mut self, name: &str, q: &Quantity) {
        match name {
            "cpu" => self.milli_cpu = q.milli_value(),
            "memory" => self.memory = q.value(),
            "ephemeral-storage" => self.ephemeral_storage = q.value(),
            "pods" => self.pods = q.value(),
            other => {
                self.scalar.insert(other.to_string(), q.value());
            }
        }
    }

    pub fn add(&mut self, other: &Resources) {
        self.milli_cpu += other.milli_cpu;
        self.memory += other.memory;
        self.ephemeral_storage += other.ephemeral_storage;
        self.pods += other.pods;
        for (k, v) in &other.scalar {
            *self.scalar.entry(k.clone()).or_insert(0) += v;
        }
    }

    pub fn sub(&mut self, other: &Resources) {
        self.milli_cpu -= other.milli_cpu;
        self.memory -= other.memory;
        self.ephemeral_storage -= other.ephemeral_storage;
        self.pods -= other.pods;
        for (k, v) in &other.scalar {
            *self.scalar.entry(k.clone()).or_insert(0) -= v;
        }
    }

    /// Per-resource maximum (used for init containers).
    pub fn set_max(&mut self, other: &Resources) {
        self.milli_cpu = self.milli_cpu.max(other.milli_cpu);
        self.memory = self.memory.max(other.memory);
        self.ephemeral_storage = self.ephemeral_storage.max(other.ephemeral_storage);
        for (k, v) in &other.scalar {
            let e = self.scalar.entry(k.clone()).or_insert(0);
            *e = (*e).max(*v);
        }
    }

    pub fn scalar(&self, name: &str) -> i64 {
        self.scalar.get(name).copied().unwrap_or(0)
    }

    pub fn is_empty_request(&self) -> bool {
        self.milli_cpu == 0
            && self.memory == 0
            && self.ephemeral_storage == 0
            && self.scalar.values().all(|v| *v == 0)
    }
}

/// The requests of one pod as the scheduler counts them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PodRequests {
    /// Real requests (NodeResourcesFit filter, BalancedAllocation).
    pub requested: Resources,
    /// Requests with the 100m / 200Mi defaults for containers that state none (Least/Most
    /// allocated scoring).
    pub non_zero: Resources,
}

fn container_requests(c: &Container) -> Resources {
    Resources::from_list(&c.resources.requests)
}

fn container_non_zero(c: &Container) -> Resources {
    let mut r = container_requests(c);
    if !c.resources.requests.contains_key("cpu") {
        r.milli_cpu = DEFAULT_MILLI_CPU_REQUEST;
    }
    if !c.resources.requests.contains_key("memory") {
        r.memory = DEFAULT_MEMORY_REQUEST;
    }
    r
}

/// component-helpers/resource PodRequests: the sum of regular containers, raised to the peak of
/// the init phase (each plain init container runs alone on top of the sidecars started before
/// it; sidecars keep running beside the regular containers), plus `spec.overhead`.
fn pod_requests_with(spec: &PodSpec, per_container: fn(&Container) -> Resources) -> Resources {
    let mut sum = Resources::default();
    for c in &spec.containers {
        sum.add(&per_container(c));
    }
    let mut sidecars = Resources::default();
    let mut init_peak = Resources::default();
    for c in &spec.init_containers {
        let r = per_container(c);
        if c.is_sidecar() {
            sidecars.add(&r);
            init_peak.set_max(&sidecars);
        } else {
            let mut during = sidecars.clone();
            during.add(&r);
            init_peak.set_max(&during);
        }
    }
    sum.add(&sidecars);
    sum.set_max(&init_peak);
    sum.add(&Resources::from_list(&spec.overhead));
    sum.pods = 1;
    sum
}

pub fn pod_requests(spec: &PodSpec) -> PodRequests {
    PodRequests {
        requested: pod_requests_with(spec, container_requests),
        non_zero: pod_requests_with(spec, container_non_zero),
    }
}

/// The pod's host ports as (protocol, hostIP, port): TCP and 0.0.0.0 when unset
/// (nodeports/node_ports.go getContainerPorts with HostPortInfo's sanitising).
pub fn host_ports(spec: &PodSpec) -> Vec<(String, String, i32)> {
    spec.containers
        .iter()
        .chain(&spec.init_containers)
        .flat_map(|c| &c.ports)
        .filter(|p| p.host_port > 0)
        .map(|p| {
            let proto = p
                .protocol
                .as_ref()
                .map_or("TCP", |x| x.as_str())
                .to_string();
            let ip = if p.host_ip.is_empty() {
                "0.0.0.0".to_string()
            } else {
                p.host_ip.clone()
            };
            (proto, ip, p.host_port)
        })
        .collect()
}
