//! `scheduling.k8s.io/v1` (staging/src/k8s.io/api/scheduling/v1/types.go).

use serde::{Deserialize, Serialize};

use super::core::PreemptionPolicy;
use super::meta::{ObjectMeta, is_default};

/// `schedulingv1.PriorityClass`: its fields sit at the top level, there is no spec.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PriorityClass {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(skip_serializing_if = "is_default")]
    pub metadata: ObjectMeta,
    pub value: i32,
    #[serde(skip_serializing_if = "is_default")]
    pub global_default: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preemption_policy: Option<PreemptionPolicy>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}
