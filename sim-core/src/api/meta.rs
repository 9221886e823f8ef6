//! Object metadata and the small shared types of `k8s.io/apimachinery/pkg/apis/meta/v1`
//! (types.go) and `k8s.io/apimachinery/pkg/util/intstr`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// `skip_serializing_if` helper: leave fields at their zero value out of the output, the way
/// Go's `omitempty` does.
pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// `apiVersion` and `kind`, as they head every manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TypeMeta {
    #[serde(skip_serializing_if = "String::is_empty")]
    pub api_version: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub kind: String,
}

/// The subset of `metav1.ObjectMeta` a manifest sets and kubesim acts on. System-populated
/// fields (uid, resourceVersion, creationTimestamp, ...) belong to the simulator's store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObjectMeta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub owner_references: Vec<OwnerReference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub finalizers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deletion_grace_period_seconds: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
}

string_enum! {
    /// `metav1.LabelSelectorOperator`.
    LabelSelectorOperator {
        In => "In",
        NotIn => "NotIn",
        Exists => "Exists",
        DoesNotExist => "DoesNotExist",
    }
}

/// `metav1.LabelSelector`. An empty selector (no requirements) matches everything; a missing
/// (`None`) selector matches nothing: see [`selector_matches`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelSelector {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LabelSelectorRequirement {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<LabelSelectorOperator>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl LabelSelector {
    /// Whether this selector has no requirements (and so selects everything).
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` satisfy every requirement, with `labels.Selector` semantics
    /// (apimachinery/pkg/labels/selector.go, Requirement.Matches): `In` needs the key
    /// present with a listed value, `NotIn` is satisfied by an absent key, `Exists` and
    /// `DoesNotExist` look only at the key.
    ///
    /// A requirement upstream could not even turn into a selector (unknown operator, `In`
    /// without values, `Exists` with values) matches nothing here; validation rejects such
    /// selectors before anything relies on them.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

impl LabelSelectorRequirement {
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let value = labels.get(&self.key);
        match &self.operator {
            Some(LabelSelectorOperator::In) => {
                !self.values.is_empty() && value.is_some_and(|v| self.values.contains(v))
            }
            Some(LabelSelectorOperator::NotIn) => {
                !self.values.is_empty() && value.is_none_or(|v| !self.values.contains(v))
            }
            Some(LabelSelectorOperator::Exists) => self.values.is_empty() && value.is_some(),
            Some(LabelSelectorOperator::DoesNotExist) => self.values.is_empty() && value.is_none(),
            Some(LabelSelectorOperator::Other(_)) | None => false,
        }
    }
}

/// `metav1.LabelSelectorAsSelector(sel).Matches(labels)`: a missing selector is
/// `labels.Nothing()` and matches no object.
pub fn selector_matches(
    selector: Option<&LabelSelector>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.is_some_and(|s| s.matches(labels))
}

/// `intstr.IntOrString`: JSON `5` or `"25%"`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IntOrString {
    Int(i32),
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::String(s) => f.write_str(s),
        }
    }
}

impl Serialize for IntOrString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(i) => serializer.serialize_i32(*i),
            IntOrString::String(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    /// Like upstream's UnmarshalJSON: a JSON string is a string, anything else must be an
    /// int32 (so `1.5` and `3000000000` are errors).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = IntOrString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an int32 or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<IntOrString, E> {
                i32::try_from(v)
                    .map(IntOrString::Int)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<IntOrString, E> {
                i32::try_from(v)
                    .map(IntOrString::Int)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IntOrString, E> {
                Ok(IntOrString::String(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl IntOrString {
    /// `intstr.GetScaledValueFromIntOrPercent`: an int is returned as is; `"N%"` is N percent
    /// of `total`, rounded up or down. Any other string is an error, worded as upstream's.
    pub fn scaled_value(&self, total: i32, round_up: bool) -> Result<i32, String> {
        let percent = match self {
            IntOrString::Int(i) => return Ok(*i),
            IntOrString::String(s) => {
                let Some(number) = s.strip_suffix('%') else {
                    return Err(
                        "invalid value for IntOrString: invalid type: string is not a percentage"
                            .into(),
                    );
                };
                go_atoi(number).ok_or_else(|| {
                    format!(
                        "invalid value for IntOrString: invalid value {s:?}: strconv.Atoi: parsing {number:?}: invalid syntax"
                    )
                })?
            }
        };
        // Upstream computes ceil/floor(float64(value) * float64(total) / 100); both operands
        // fit in 53 bits, so exact integer arithmetic gives the same answer.
        let product = i128::from(percent) * i128::from(total);
        let scaled = if round_up {
            -((-product).div_euclid(100))
        } else {
            product.div_euclid(100)
        };
        i32::try_from(scaled)
            .map_err(|_| format!("invalid value for IntOrString: {scaled} overflows int32"))
    }
}

/// `strconv.Atoi` for the values IntOrString can hold: optional sign, then ASCII digits.
pub(crate) fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn req(key: &str, op: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.into(),
            operator: Some(op.into()),
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// Ported from TestSelectorMatches in
    /// staging/src/k8s.io/apimachinery/pkg/labels/selector_test.go.
    #[test]
    fn label_selector_matches() {
        type Case<'a> = (&'a str, LabelSelector, &'a [(&'a str, &'a str)], bool);
        let cases: &[Case] = &[
            (
                "empty selects everything",
                LabelSelector::default(),
                &[("x", "y")],
                true,
            ),
            (
                "matchLabels equal",
                LabelSelector {
                    match_labels: labels(&[("x", "y")]),
                    ..Default::default()
                },
                &[("x", "y"), ("z", "w")],
                true,
            ),
            (
                "matchLabels differ",
                LabelSelector {
                    match_labels: labels(&[("x", "y")]),
                    ..Default::default()
                },
                &[("x", "z")],
                false,
            ),
            (
                "In present",
                LabelSelector {
                    match_expressions: vec![req("x", "In", &["y", "z"])],
                    ..Default::default()
                },
                &[("x", "z")],
                true,
            ),
            (
                "In absent",
                LabelSelector {
                    match_expressions: vec![req("x", "In", &["y"])],
                    ..Default::default()
                },
                &[],
                false,
            ),
            (
                "NotIn absent key matches",
                LabelSelector {
                    match_expressions: vec![req("x", "NotIn", &["y"])],
                    ..Default::default()
                },
                &[],
                true,
            ),
            (
                "NotIn listed value",
                LabelSelector {
                    match_expressions: vec![req("x", "NotIn", &["y"])],
                    ..Default::default()
                },
                &[("x", "y")],
                false,
            ),
            (
                "Exists",
                LabelSelector {
                    match_expressions: vec![req("x", "Exists", &[])],
                    ..Default::default()
                },
                &[("x", "")],
                true,
            ),
            (
                "DoesNotExist",
                LabelSelector {
                    match_expressions: vec![req("x", "DoesNotExist", &[])],
                    ..Default::default()
                },
                &[("x", "")],
                false,
            ),
            (
                "unknown operator matches nothing",
                LabelSelector {
                    match_expressions: vec![req("x", "Equals", &["y"])],
                    ..Default::default()
                },
                &[("x", "y")],
                false,
            ),
            (
                "all requirements must hold",
                LabelSelector {
                    match_labels: labels(&[("app", "web")]),
                    match_expressions: vec![req("tier", "In", &["fe"])],
                },
                &[("app", "web"), ("tier", "be")],
                false,
            ),
        ];
        for (name, selector, pod_labels, want) in cases {
            assert_eq!(selector.matches(&labels(pod_labels)), *want, "{name}");
        }
        assert!(
            !selector_matches(None, &labels(&[("x", "y")])),
            "nil selector is labels.Nothing()"
        );
    }

    /// Ported from TestGetValueFromIntOrPercent in
    /// staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr_test.go.
    #[test]
    fn scaled_value_from_int_or_percent() {
        let cases: &[(IntOrString, i32, bool, Result<i32, ()>)] = &[
            (IntOrString::Int(123), 100, false, Ok(123)),
            (IntOrString::String("90%".into()), 100, true, Ok(90)),
            (IntOrString::String("90%".into()), 95, true, Ok(86)),
            (IntOrString::String("90%".into()), 95, false, Ok(85)),
            (IntOrString::String("%".into()), 0, false, Err(())),
            (IntOrString::String("#%".into()), 0, false, Err(())),
            (IntOrString::String("90".into()), 100, false, Err(())),
            (IntOrString::String("25%".into()), 3, false, Ok(0)),
            (IntOrString::String("25%".into()), 3, true, Ok(1)),
        ];
        for (value, total, round_up, want) in cases {
            let got = value.scaled_value(*total, *round_up).map_err(|_| ());
            assert_eq!(&got, want, "{value:?} of {total} round_up={round_up}");
        }
        assert_eq!(
            IntOrString::String("90".into())
                .scaled_value(100, false)
                .unwrap_err(),
            "invalid value for IntOrString: invalid type: string is not a percentage"
        );
    }

    #[test]
    fn int_or_string_serde() {
        let v: IntOrString = serde_json::from_str("25").unwrap();
        assert_eq!(v, IntOrString::Int(25));
        let v: IntOrString = serde_json::from_str("\"25%\"").unwrap();
        assert_eq!(v, IntOrString::String("25%".into()));
        assert!(serde_json::from_str::<IntOrString>("1.5").is_err());
        assert!(serde_json::from_str::<IntOrString>("3000000000").is_err());
        assert_eq!(serde_json::to_string(&IntOrString::Int(1)).unwrap(), "1");
    }
}
