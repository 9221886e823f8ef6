//! The plugin registry (framework/plugins/registry.go NewInTreeRegistry): which extension
//! points each plugin name implements, and how kubesim builds it from its args. Users add their
//! own plugins with `Registry::register_filter` / `register_score`.

use std::collections::BTreeMap;

use crate::scheduler::binding::{
    BindPlugin, DefaultBinder, PermitPlugin, PreBindPlugin, ReservePlugin,
};
use crate::scheduler::framework::{FilterPlugin, ScorePlugin};
use crate::scheduler::plugins::{
    BalancedAllocation, ImageLocality, InterPodAffinity, InterPodAffinityScore, NodeAffinity,
    NodeAffinityScore, NodeName, NodePorts, NodeResourcesFit, NodeResourcesFitScore,
    NodeUnschedulable, PodTopologySpread, PodTopologySpreadScore, TaintToleration,
    TaintTolerationScore,
};

use super::args::PluginArgs;
use super::types::{PluginSet, Plugins};

/// The framework's extension points, in upstream's order.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExtensionPoint {
    PreEnqueue,
    QueueSort,
    PreFilter,
    Filter,
    PostFilter,
    PreScore,
    Score,
    Reserve,
    Permit,
    PreBind,
    Bind,
    PostBind,
}

use ExtensionPoint as E;

impl ExtensionPoint {
    pub const ALL: [ExtensionPoint; 12] = [
        E::PreEnqueue,
        E::QueueSort,
        E::PreFilter,
        E::Filter,
        E::PostFilter,
        E::PreScore,
        E::Score,
        E::Reserve,
        E::Permit,
        E::PreBind,
        E::Bind,
        E::PostBind,
    ];

    /// The field of v1.Plugins.
    pub fn field(self) -> &'static str {
        match self {
            E::PreEnqueue => "preEnqueue",
            E::QueueSort => "queueSort",
            E::PreFilter => "preFilter",
            E::Filter => "filter",
            E::PostFilter => "postFilter",
            E::PreScore => "preScore",
            E::Score => "score",
            E::Reserve => "reserve",
            E::Permit => "permit",
            E::PreBind => "preBind",
            E::Bind => "bind",
            E::PostBind => "postBind",
        }
    }

    /// The Go interface's name, as the framework's errors print it.
    pub fn interface(self) -> &'static str {
        match self {
            E::PreEnqueue => "PreEnqueuePlugin",
            E::QueueSort => "QueueSortPlugin",
            E::PreFilter => "PreFilterPlugin",
            E::Filter => "FilterPlugin",
            E::PostFilter => "PostFilterPlugin",
            E::PreScore => "PreScorePlugin",
            E::Score => "ScorePlugin",
            E::Reserve => "ReservePlugin",
            E::Permit => "PermitPlugin",
            E::PreBind => "PreBindPlugin",
            E::Bind => "BindPlugin",
            E::PostBind => "PostBindPlugin",
        }
    }

    pub fn set_of(self, p: &Plugins) -> &PluginSet {
        match self {
            E::PreEnqueue => &p.pre_enqueue,
            E::QueueSort => &p.queue_sort,
            E::PreFilter => &p.pre_filter,
            E::Filter => &p.filter,
            E::PostFilter => &p.post_filter,
            E::PreScore => &p.pre_score,
            E::Score => &p.score,
            E::Reserve => &p.reserve,
            E::Permit => &p.permit,
            E::PreBind => &p.pre_bind,
            E::Bind => &p.bind,
            E::PostBind => &p.post_bind,
        }
    }
}

pub type FilterFactory = Box<dyn Fn(&PluginArgs) -> Box<dyn FilterPlugin>>;
pub type ScoreFactory = Box<dyn Fn(&PluginArgs) -> Box<dyn ScorePlugin>>;
pub type ReserveFactory = Box<dyn Fn(&PluginArgs) -> Box<dyn ReservePlugin>>;
pub type PermitFactory = Box<dyn Fn(&PluginArgs) -> Box<dyn PermitPlugin>>;
pub type PreBindFactory = Box<dyn Fn(&PluginArgs) -> Box<dyn PreBindPlugin>>;
pub type BindFactory = Box<dyn Fn(&PluginArgs) -> Box<dyn BindPlugin>>;

/// One registered plugin name.
pub struct Registration {
    pub name: String,
    points: Vec<ExtensionPoint>,
    /// Builds its PreFilter+Filter half; `None` for a plugin kubesim has nothing to run for
    /// (the volume plugins: no PersistentVolumes are simulated).
    filter: Option<FilterFactory>,
    score: Option<ScoreFactory>,
    reserve: Option<ReserveFactory>,
    permit: Option<PermitFactory>,
    pre_bind: Option<PreBindFactory>,
    bind: Option<BindFactory>,
}

impl Registration {
    pub fn implements(&self, point: ExtensionPoint) -> bool {
        self.points.contains(&point)
    }
}

/// Plugin names to what they implement, looked up by name (never iterated for results).
pub struct Registry {
    plugins: BTreeMap<String, Registration>,
}

impl Registry {
    pub fn get(&self, name: &str) -> Option<&Registration> {
        self.plugins.get(name)
    }

    fn add(
        &mut self,
        name: &str,
        points: &[ExtensionPoint],
        filter: Option<FilterFactory>,
        score: Option<ScoreFactory>,
    ) {
        let r = self.entry(name, points);
        r.filter = filter;
        r.score = score;
    }

    /// The registration of `name`, created empty if new (a user plugin may implement several
    /// extension points, registered one by one).
    fn entry(&mut self, name: &str, points: &[ExtensionPoint]) -> &mut Registration {
        let r = self
            .plugins
            .entry(name.to_string())
            .or_insert_with(|| Registration {
                name: name.to_string(),
                points: Vec::new(),
                filter: None,
                score: None,
                reserve: None,
                permit: None,
                pre_bind: None,
                bind: None,
            });
        for p in points {
            if !r.points.contains(p) {
                r.points.push(*p);
            }
        }
        r
    }

    /// Registers a user Reserve plugin (Reserve + Unreserve) under `name`.
    pub fn register_reserve(
        &mut self,
        name: &str,
        factory: impl Fn(&PluginArgs) -> Box<dyn ReservePlugin> + 'static,
    ) {
        self.entry(name, &[E::Reserve]).reserve = Some(Box::new(factory));
    }

    /// Registers a user Permit plugin under `name`.
    pub fn register_permit(
        &mut self,
        name: &str,
        factory: impl Fn(&PluginArgs) -> Box<dyn PermitPlugin> + 'static,
    ) {
        self.entry(name, &[E::Permit]).permit = Some(Box::new(factory));
    }

    /// Registers a user PreBind plugin under `name`.
    pub fn register_pre_bind(
        &mut self,
        name: &str,
        factory: impl Fn(&PluginArgs) -> Box<dyn PreBindPlugin> + 'static,
    ) {
        self.entry(name, &[E::PreBind]).pre_bind = Some(Box::new(factory));
    }

    /// Registers a user Bind plugin under `name`.
    pub fn register_bind(
        &mut self,
        name: &str,
        factory: impl Fn(&PluginArgs) -> Box<dyn BindPlugin> + 'static,
    ) {
        self.entry(name, &[E::Bind]).bind = Some(Box::new(factory));
    }

    pub fn build_reserve(&self, name: &str, a: &PluginArgs) -> Option<Box<dyn ReservePlugin>> {
        self.get(name)?.reserve.as_ref().map(|f| f(a))
    }

    pub fn build_permit(&self, name: &str, a: &PluginArgs) -> Option<Box<dyn PermitPlugin>> {
        self.get(name)?.permit.as_ref().map(|f| f(a))
    }

    pub fn build_pre_bind(&self, name: &str, a: &PluginArgs) -> Option<Box<dyn PreBindPlugin>> {
        self.get(name)?.pre_bind.as_ref().map(|f| f(a))
    }

    pub fn build_bind(&self, name: &str, a: &PluginArgs) -> Option<Box<dyn BindPlugin>> {
        self.get(name)?.bind.as_ref().map(|f| f(a))
    }

    /// Registers a user Filter plugin (PreFilter + Filter) under `name`.
    pub fn register_filter(
        &mut self,
        name: &str,
        factory: impl Fn(&PluginArgs) -> Box<dyn FilterPlugin> + 'static,
    ) {
        self.entry(name, &[E::PreFilter, E::Filter]).filter = Some(Box::new(factory));
    }

    /// Registers a user Score plugin (PreScore + Score) under `name`.
    pub fn register_score(
        &mut self,
        name: &str,
        factory: impl Fn(&PluginArgs) -> Box<dyn ScorePlugin> + 'static,
    ) {
        self.add(
            name,
            &[E::PreScore, E::Score],
            None,
            Some(Box::new(factory)),
        );
    }

    pub fn build_filter(&self, name: &str, args: &PluginArgs) -> Option<Box<dyn FilterPlugin>> {
        self.get(name)?.filter.as_ref().map(|f| f(args))
    }

    pub fn build_score(&self, name: &str, args: &PluginArgs) -> Option<Box<dyn ScorePlugin>> {
        self.get(name)?.score.as_ref().map(|f| f(args))
    }

    /// NewInTreeRegistry, as far as v1.33's default plugins go.
    pub fn in_tree() -> Registry {
        let mut r = Registry {
            plugins: BTreeMap::new(),
        };
        let none = || -> Option<FilterFactory> { None };
        let no_score = || -> Option<ScoreFactory> { None };
        let f = |g: fn(&PluginArgs) -> Box<dyn FilterPlugin>| -> Option<FilterFactory> {
            Some(Box::new(g))
        };
        let s = |g: fn(&PluginArgs) -> Box<dyn ScorePlugin>| -> Option<ScoreFactory> {
            Some(Box::new(g))
        };
        r.add("SchedulingGates", &[E::PreEnqueue], none(), no_score());
        r.add("PrioritySort", &[E::QueueSort], none(), no_score());
        r.add(
            "NodeUnschedulable",
            &[E::Filter],
            f(|_| Box::new(NodeUnschedulable)),
            no_score(),
        );
        r.add(
            "NodeName",
            &[E::Filter],
            f(|_| Box::new(NodeName)),
            no_score(),
        );
        r.add(
            "TaintToleration",
            &[E::Filter, E::PreScore, E::Score],
            f(|_| Box::new(TaintToleration)),
            s(|_| Box::new(TaintTolerationScore::default())),
        );
        r.add(
            "NodeAffinity",
            &[E::PreFilter, E::Filter, E::PreScore, E::Score],
            f(|a| Box::new(NodeAffinity::new(a.node_affinity.added_affinity.clone()))),
            s(|a| {
                Box::new(NodeAffinityScore::new(
                    a.node_affinity.added_affinity.clone(),
                ))
            }),
        );
        r.add(
            "NodePorts",
            &[E::PreFilter, E::Filter],
            f(|_| Box::new(NodePorts)),
            no_score(),
        );
        r.add(
            "NodeResourcesFit",
            &[E::PreFilter, E::Filter, E::PreScore, E::Score],
            f(|_| Box::new(NodeResourcesFit)),
            s(|a| {
                Box::new(NodeResourcesFitScore::new(
                    a.fit.strategy.clone(),
                    a.fit.resources.clone(),
                ))
            }),
        );
        // No PersistentVolumes are simulated: the volume plugins have nothing to check.
        for name in ["VolumeRestrictions", "NodeVolumeLimits", "VolumeZone"] {
            r.add(name, &[E::PreFilter, E::Filter], none(), no_score());
        }
        r.add(
            "VolumeBinding",
            &[
                E::PreFilter,
                E::Filter,
                E::Reserve,
                E::PreBind,
                E::PreScore,
                E::Score,
            ],
            none(),
            no_score(),
        );
        // Removed in-tree volume limit plugins: still named in v1's default MultiPoint set,
        // known names that extend nothing (validation rejects them at other points).
        for name in ["EBSLimits", "GCEPDLimits", "AzureDiskLimits"] {
            r.add(name, &[], none(), no_score());
        }
        r.add(
            "PodTopologySpread",
            &[E::PreFilter, E::Filter, E::PreScore, E::Score],
            f(|a| {
                let mut p = PodTopologySpread::default();
                p.default_constraints
                    .clone_from(&a.topology_spread.filter_defaults());
                Box::new(p)
            }),
            s(|a| {
                let mut p = PodTopologySpreadScore::default();
                p.default_constraints = a.topology_spread.score_defaults();
                p.system_defaulted = a.topology_spread.system_defaulted;
                Box::new(p)
            }),
        );
        r.add(
            "InterPodAffinity",
            &[E::PreFilter, E::Filter, E::PreScore, E::Score],
            f(|_| Box::new(InterPodAffinity::default())),
            s(|a| {
                let mut p = InterPodAffinityScore::default();
                p.hard_pod_affinity_weight = a.inter_pod_affinity.hard_pod_affinity_weight;
                Box::new(p)
            }),
        );
        r.add("DefaultPreemption", &[E::PostFilter], none(), no_score());
        r.add(
            "NodeResourcesBalancedAllocation",
            &[E::PreScore, E::Score],
            none(),
            s(|a| Box::new(BalancedAllocation::new(a.balanced_allocation.clone()))),
        );
        r.add(
            "ImageLocality",
            &[E::Score],
            none(),
            s(|_| Box::new(ImageLocality)),
        );
        r.register_bind("DefaultBinder", |_| Box::new(DefaultBinder));
        r
    }
}
