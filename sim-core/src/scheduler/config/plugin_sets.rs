//! From a profile's `plugins` to the plugins of each extension point: upstream's default
//! MultiPoint set (apis/config/v1/default_plugins.go getDefaultPlugins), the merge of the user's
//! sets into it (mergePluginSet), then the framework's expansion per extension point
//! (framework/runtime/framework.go updatePluginList, expandMultiPointPlugins, getScoreWeights).

use super::registry::{ExtensionPoint, Registry};
use super::types::{Plugin, PluginSet, Plugins};

/// A plugin of a merged set, with where the user wrote it (`None` for a default).
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub name: String,
    pub weight: Option<i32>,
    pub path: Option<String>,
}

/// v1.PluginSet after defaulting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergedSet {
    pub enabled: Vec<Entry>,
    pub disabled: Vec<String>,
}

/// A framework error, located at the user's entry when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameworkError {
    pub path: Option<String>,
    pub message: String,
}

/// getDefaultPlugins: the default MultiPoint set of v1 (DynamicResources is off in 1.33).
pub fn default_multi_point() -> Vec<Entry> {
    const DEFAULTS: &[(&str, Option<i32>)] = &[
        ("SchedulingGates", None),
        ("PrioritySort", None),
        ("NodeUnschedulable", None),
        ("NodeName", None),
        ("TaintToleration", Some(3)),
        ("NodeAffinity", Some(2)),
        ("NodePorts", None),
        ("NodeResourcesFit", Some(1)),
        ("VolumeRestrictions", None),
        ("EBSLimits", None),
        ("GCEPDLimits", None),
        ("NodeVolumeLimits", None),
        ("AzureDiskLimits", None),
        ("VolumeBinding", None),
        ("VolumeZone", None),
        ("PodTopologySpread", Some(2)),
        ("InterPodAffinity", Some(2)),
        ("DefaultPreemption", None),
        ("NodeResourcesBalancedAllocation", Some(1)),
        ("ImageLocality", Some(1)),
        ("DefaultBinder", None),
    ];
    DEFAULTS
        .iter()
        .map(|&(name, weight)| Entry {
            name: name.to_string(),
            weight,
            path: None,
        })
        .collect()
}

fn entry(p: &Plugin, path: String) -> Entry {
    Entry {
        name: p.name.clone(),
        weight: p.weight,
        path: Some(path),
    }
}

/// mergePluginSet: `disabled` (including `*`) removes defaults; a default the user enables again
/// is replaced in place (keeping its position, taking the user's weight); other user plugins
/// are appended, duplicates included (the framework rejects them).
pub fn merge_plugin_set(default: MergedSet, custom: &PluginSet, path: &str) -> MergedSet {
    let mut disabled: Vec<String> = custom.disabled.iter().map(|p| p.name.clone()).collect();
    disabled.extend(default.disabled);
    let mut replaced = vec![false; custom.enabled.len()];
    let mut enabled = Vec::new();
    if !disabled.iter().any(|d| d == "*") {
        for d in default.enabled {
            if disabled.contains(&d.name) {
                continue;
            }
            // The map upstream keeps the last custom entry of a name.
            match custom.enabled.iter().rposition(|c| c.name == d.name) {
                Some(i) => {
                    replaced[i] = true;
                    enabled.push(entry(&custom.enabled[i], format!("{path}.enabled[{i}]")));
                }
                None => enabled.push(d),
            }
        }
    }
    for (i, c) in custom.enabled.iter().enumerate() {
        if !replaced[i] {
            enabled.push(entry(c, format!("{path}.enabled[{i}]")));
        }
    }
    MergedSet { enabled, disabled }
}

/// A profile's merged sets, one per extension point plus MultiPoint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MergedPlugins {
    pub points: Vec<(ExtensionPoint, MergedSet)>,
    pub multi_point: MergedSet,
}

impl MergedPlugins {
    pub fn set(&self, point: ExtensionPoint) -> &MergedSet {
        &self.points[point as usize].1
    }
}

/// mergePlugins over every extension point of `custom` (at `path`, e.g. `profiles[0].plugins`).
pub fn merge_plugins(custom: Option<&Plugins>, path: &str) -> MergedPlugins {
    let empty = Plugins::default();
    let custom = custom.unwrap_or(&empty);
    let multi_point = merge_plugin_set(
        MergedSet {
            enabled: default_multi_point(),
            disabled: Vec::new(),
        },
        &custom.multi_point,
        &format!("{path}.multiPoint"),
    );
    let points = ExtensionPoint::ALL
        .iter()
        .map(|&p| {
            let set = merge_plugin_set(
                MergedSet::default(),
                p.set_of(custom),
                &format!("{path}.{}", p.field()),
            );
            (p, set)
        })
        .collect();
    MergedPlugins {
        points,
        multi_point,
    }
}

/// The plugins of one extension point, in the framework's order: updatePluginList over the
/// point's own set, then expandMultiPointPlugins (explicitly re-configured plugins first, then
/// MultiPoint ones, then the rest of the point's own set).
pub fn expand(
    point: ExtensionPoint,
    merged: &MergedPlugins,
    registry: &Registry,
) -> Result<Vec<String>, FrameworkError> {
    let iface = point.interface();
    let set = merged.set(point);
    let mut own: Vec<String> = Vec::new();
    for e in &set.enabled {
        let Some(r) = registry.get(&e.name) else {
            return Err(FrameworkError {
                path: e.path.clone(),
                message: format!("{iface} {:?} does not exist", e.name),
            });
        };
        if !r.implements(point) {
            return Err(FrameworkError {
                path: e.path.clone(),
                message: format!("plugin {:?} does not extend {iface} plugin", e.name),
            });
        }
        if own.contains(&e.name) {
            return Err(FrameworkError {
                path: e.path.clone(),
                message: format!("plugin {:?} already registered as {iface:?}", e.name),
            });
        }
        own.push(e.name.clone());
    }
    if merged.multi_point.enabled.is_empty() || set.disabled.iter().any(|d| d == "*") {
        return Ok(own);
    }
    let mut overrides: Vec<&str> = Vec::new();
    let mut multi: Vec<String> = Vec::new();
    for e in &merged.multi_point.enabled {
        let Some(r) = registry.get(&e.name) else {
            return Err(FrameworkError {
                path: e.path.clone(),
                message: format!("{iface} {:?} does not exist", e.name),
            });
        };
        if !r.implements(point) || set.disabled.contains(&e.name) {
            continue;
        }
        if own.contains(&e.name) {
            overrides.push(&e.name);
            continue;
        }
        if multi.contains(&e.name) {
            return Err(FrameworkError {
                path: e.path.clone(),
                message: format!("plugin {:?} already registered as {iface:?}", e.name),
            });
        }
        multi.push(e.name.clone());
    }
    let mut out: Vec<String> = own
        .iter()
        .filter(|n| overrides.contains(&n.as_str()))
        .cloned()
        .collect();
    out.extend(multi);
    out.extend(
        own.iter()
            .filter(|n| !overrides.contains(&n.as_str()))
            .cloned(),
    );
    Ok(out)
}

/// getScoreWeights: the weight of each Score plugin, from `score.enabled` first, then
/// MultiPoint; unset or 0 is 1.
pub fn score_weight(name: &str, merged: &MergedPlugins, registry: &Registry) -> i64 {
    merged
        .set(ExtensionPoint::Score)
        .enabled
        .iter()
        .chain(&merged.multi_point.enabled)
        .filter(|e| {
            registry
                .get(&e.name)
                .is_some_and(|r| r.implements(ExtensionPoint::Score))
        })
        .find(|e| e.name == name)
        .and_then(|e| e.weight)
        .map_or(1, |w| if w == 0 { 1 } else { i64::from(w) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plugin(name: &str, weight: Option<i32>) -> Plugin {
        Plugin {
            name: name.to_string(),
            weight,
        }
    }

    fn names(set: &MergedSet) -> Vec<(String, Option<i32>)> {
        set.enabled
            .iter()
            .map(|e| (e.name.clone(), e.weight))
            .collect()
    }

    fn defaults(list: &[(&str, Option<i32>)]) -> MergedSet {
        MergedSet {
            enabled: list
                .iter()
                .map(|&(n, w)| Entry {
                    name: n.to_string(),
                    weight: w,
                    path: None,
                })
                .collect(),
            disabled: Vec::new(),
        }
    }

    /// default_plugins_test.go TestMergePlugins (the cases kubesim's plugins can express).
    #[test]
    fn merge_plugin_set_table() {
        let d = || defaults(&[("DefaultPlugin1", None), ("DefaultPlugin2", Some(2))]);
        type Case = (&'static str, PluginSet, Vec<(&'static str, Option<i32>)>);
        let cases: Vec<Case> = vec![
            (
                "AppendCustomPlugin",
                PluginSet {
                    enabled: vec![plugin("CustomPlugin", None)],
                    disabled: vec![],
                },
                vec![
                    ("DefaultPlugin1", None),
                    ("DefaultPlugin2", Some(2)),
                    ("CustomPlugin", None),
                ],
            ),
            (
                "InsertAfterDefaultPlugins2",
                PluginSet {
                    enabled: vec![plugin("CustomPlugin", None), plugin("DefaultPlugin2", None)],
                    disabled: vec![plugin("DefaultPlugin2", None)],
                },
                vec![
                    ("DefaultPlugin1", None),
                    ("CustomPlugin", None),
                    ("DefaultPlugin2", None),
                ],
            ),
            (
                "DisableAllDefaults",
                PluginSet {
                    enabled: vec![plugin("CustomPlugin", None)],
                    disabled: vec![plugin("*", None)],
                },
                vec![("CustomPlugin", None)],
            ),
            (
                "ReplaceDefaultPluginWithWeight",
                PluginSet {
                    enabled: vec![
                        plugin("CustomPlugin", None),
                        plugin("DefaultPlugin2", Some(5)),
                    ],
                    disabled: vec![],
                },
                vec![
                    ("DefaultPlugin1", None),
                    ("DefaultPlugin2", Some(5)),
                    ("CustomPlugin", None),
                ],
            ),
            (
                "DuplicateCustomPluginIsKept",
                PluginSet {
                    enabled: vec![plugin("CustomPlugin", None), plugin("CustomPlugin", None)],
                    disabled: vec![],
                },
                vec![
                    ("DefaultPlugin1", None),
                    ("DefaultPlugin2", Some(2)),
                    ("CustomPlugin", None),
                    ("CustomPlugin", None),
                ],
            ),
        ];
        for (name, custom, want) in cases {
            let got = merge_plugin_set(d(), &custom, "p");
            let want: Vec<(String, Option<i32>)> =
                want.into_iter().map(|(n, w)| (n.to_string(), w)).collect();
            assert_eq!(names(&got), want, "{name}");
        }
    }

    fn expanded(plugins: Option<&Plugins>, point: ExtensionPoint) -> Result<Vec<String>, String> {
        let merged = merge_plugins(plugins, "profiles[0].plugins");
        expand(point, &merged, &Registry::in_tree()).map_err(|e| e.message)
    }

    #[test]
    fn default_profile_expands_to_upstream_order() {
        assert_eq!(
            expanded(None, ExtensionPoint::Filter).unwrap(),
            [
                "NodeUnschedulable",
                "NodeName",
                "TaintToleration",
                "NodeAffinity",
                "NodePorts",
                "NodeResourcesFit",
                "VolumeRestrictions",
                "NodeVolumeLimits",
                "VolumeBinding",
                "VolumeZone",
                "PodTopologySpread",
                "InterPodAffinity",
            ]
        );
        assert_eq!(
            expanded(None, ExtensionPoint::Score).unwrap(),
            [
                "TaintToleration",
                "NodeAffinity",
                "NodeResourcesFit",
                "VolumeBinding",
                "PodTopologySpread",
                "InterPodAffinity",
                "NodeResourcesBalancedAllocation",
                "ImageLocality",
            ]
        );
        assert_eq!(
            expanded(None, ExtensionPoint::Bind).unwrap(),
            ["DefaultBinder"]
        );
        assert_eq!(
            expanded(None, ExtensionPoint::PostFilter).unwrap(),
            ["DefaultPreemption"]
        );
    }

    /// framework_test.go TestNewFrameworkMultiPointExpansion: a plugin re-configured at a
    /// specific extension point comes first; `*` drops the MultiPoint plugins.
    #[test]
    fn multi_point_expansion() {
        let p = Plugins {
            score: PluginSet {
                enabled: vec![plugin("ImageLocality", Some(5))],
                disabled: vec![],
            },
            ..Default::default()
        };
        let got = expanded(Some(&p), ExtensionPoint::Score).unwrap();
        assert_eq!(got[0], "ImageLocality");
        assert_eq!(got.len(), 8);
        let merged = merge_plugins(Some(&p), "p");
        assert_eq!(
            score_weight("ImageLocality", &merged, &Registry::in_tree()),
            5
        );
        assert_eq!(
            score_weight("TaintToleration", &merged, &Registry::in_tree()),
            3
        );
        let p = Plugins {
            score: PluginSet {
                enabled: vec![plugin("NodeResourcesFit", None)],
                disabled: vec![plugin("*", None)],
            },
            ..Default::default()
        };
        assert_eq!(
            expanded(Some(&p), ExtensionPoint::Score).unwrap(),
            ["NodeResourcesFit"]
        );
    }

    #[test]
    fn framework_errors() {
        let p = Plugins {
            filter: PluginSet {
                enabled: vec![plugin("NoSuchPlugin", None)],
                disabled: vec![],
            },
            ..Default::default()
        };
        assert_eq!(
            expanded(Some(&p), ExtensionPoint::Filter).unwrap_err(),
            "FilterPlugin \"NoSuchPlugin\" does not exist"
        );
        let p = Plugins {
            score: PluginSet {
                enabled: vec![plugin("NodeName", None)],
                disabled: vec![],
            },
            ..Default::default()
        };
        assert_eq!(
            expanded(Some(&p), ExtensionPoint::Score).unwrap_err(),
            "plugin \"NodeName\" does not extend ScorePlugin plugin"
        );
        let p = Plugins {
            multi_point: PluginSet {
                enabled: vec![plugin("NodePorts", None)],
                disabled: vec![],
            },
            ..Default::default()
        };
        // NodePorts is a default: re-enabling it in MultiPoint replaces it in place.
        assert!(expanded(Some(&p), ExtensionPoint::Filter).is_ok());
    }
}
