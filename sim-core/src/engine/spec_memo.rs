//! Work shared by the pods of one manifest: their specs are one `Arc<PodSpec>` (until admission
//! or an update changes one), so what is derived from a spec alone — the spec after Priority
//! admission, the parsed resource requests and host ports, the kubelet's view, the container
//! behaviours — is computed for the first pod and reused while the next pod has the same spec.
//!
//! Each memo holds the spec it was computed from (a strong reference, so the address cannot be
//! reused by another spec) and is used only for that very `Arc`: a reused result is exactly what
//! recomputing would give.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::api::PodSpec;
use crate::behaviour::ContainerBehaviour;
use crate::cluster::resources::{self, PodRequests};
use crate::kubelet::spec::PodSpecView;

/// What `PodRecord` derives from a spec.
pub(super) struct Derived {
    pub requests: PodRequests,
    pub host_ports: Vec<(String, String, i32)>,
}

#[derive(Default)]
pub(super) struct SpecMemo {
    /// A written spec and the same spec after Priority admission, while the PriorityClasses
    /// are unchanged (`priority_classes_changed` drops it).
    admitted: Option<(Arc<PodSpec>, Arc<PodSpec>)>,
    derived: Option<(Arc<PodSpec>, Arc<Derived>)>,
    view: Option<(Arc<PodSpec>, Arc<PodSpecView>)>,
    /// Behaviours of a view's containers for the labels and annotations they were matched on.
    behaviours: Option<BehavioursFor>,
}

struct BehavioursFor {
    view: Arc<PodSpecView>,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    behaviours: Vec<Arc<ContainerBehaviour>>,
}

impl SpecMemo {
    /// The admitted form of `written`, if admission already ran on this very spec.
    pub fn admitted(&self, written: &Arc<PodSpec>) -> Option<Arc<PodSpec>> {
        match &self.admitted {
            Some((w, a)) if Arc::ptr_eq(w, written) => Some(Arc::clone(a)),
            _ => None,
        }
    }

    pub fn remember_admitted(&mut self, written: Arc<PodSpec>, admitted: &Arc<PodSpec>) {
        self.admitted = Some((written, Arc::clone(admitted)));
    }

    /// Admission reads the PriorityClasses: a new or changed class invalidates its results.
    pub fn priority_classes_changed(&mut self) {
        self.admitted = None;
    }

    pub fn derived(&mut self, spec: &Arc<PodSpec>) -> Arc<Derived> {
        if let Some((s, d)) = &self.derived
            && Arc::ptr_eq(s, spec)
        {
            return Arc::clone(d);
        }
        let d = Arc::new(Derived {
            requests: resources::pod_requests(spec),
            host_ports: resources::host_ports(spec),
        });
        self.derived = Some((Arc::clone(spec), Arc::clone(&d)));
        d
    }

    pub fn view(&mut self, spec: &Arc<PodSpec>) -> Arc<PodSpecView> {
        if let Some((s, v)) = &self.view
            && Arc::ptr_eq(s, spec)
        {
            return Arc::clone(v);
        }
        let v = Arc::new(PodSpecView::from_spec(spec));
        self.view = Some((Arc::clone(spec), Arc::clone(&v)));
        v
    }

    /// The behaviours for `view`'s containers in a pod with these labels and annotations,
    /// resolved by `resolve` unless the last pod resolved had the same three.
    pub fn behaviours(
        &mut self,
        view: &Arc<PodSpecView>,
        labels: &BTreeMap<String, String>,
        annotations: &BTreeMap<String, String>,
        resolve: impl FnOnce() -> Vec<Arc<ContainerBehaviour>>,
    ) -> Vec<Arc<ContainerBehaviour>> {
        if let Some(m) = &self.behaviours
            && Arc::ptr_eq(&m.view, view)
            && m.labels == *labels
            && m.annotations == *annotations
        {
            return m.behaviours.clone();
        }
        let behaviours = resolve();
        self.behaviours = Some(BehavioursFor {
            view: Arc::clone(view),
            labels: labels.clone(),
            annotations: annotations.clone(),
            behaviours: behaviours.clone(),
        });
        behaviours
    }
}
