//! YAML tree -> JSON, as sigs.k8s.io/yaml `YAMLToJSON` does it (decode with go-yaml v2 into
//! `interface{}`, then `encoding/json.Marshal`).

use serde_json::{Map, Number, Value as Json};

use super::resolve::{Res, resolve_plain};
use super::{Node, Resolved, Scalar, ScalarStyle, Value, YamlError};

/// The JSON sigs.k8s.io/yaml would produce for `node`.
///
/// Integral floats within Go's plain-notation range (`1.0`, `1e3`) become JSON integers,
/// because Go's encoder writes them without a fraction (`1`, `1000`) and the API server
/// then happily decodes them into `int32` fields. `uint64`-sized integers are exact.
/// Non-finite floats (`.inf`, `.nan`), which Go refuses to marshal, become `null` here;
/// use [`to_json_checked`] to get Go's error instead.
#[must_use]
pub fn to_json(node: &Node) -> Json {
    convert(node, false).unwrap_or(Json::Null)
}

/// Like [`to_json`], but fails like Go's `json.Marshal` on `.inf`/`.nan`
/// (`json: unsupported value: +Inf`), pointing at the offending scalar.
///
/// # Errors
/// A non-finite float anywhere in the tree.
pub fn to_json_checked(node: &Node) -> Result<Json, YamlError> {
    convert(node, true)
}

fn convert(node: &Node, strict: bool) -> Result<Json, YamlError> {
    Ok(match &node.value {
        Value::Map(entries) => {
            let mut m = Map::new();
            for e in entries {
                m.insert(e.key.clone(), convert(&e.value, strict)?);
            }
            Json::Object(m)
        }
        Value::Seq(items) => Json::Array(
            items
                .iter()
                .map(|i| convert(i, strict))
                .collect::<Result<_, _>>()?,
        ),
        Value::Scalar(s) => match s.resolved {
            Resolved::Null => Json::Null,
            Resolved::Bool(b) => Json::Bool(b),
            Resolved::Int(i) => Json::Number(i.into()),
            Resolved::Str => Json::String(s.text.clone()),
            Resolved::Float(f) => match float_number(s, f) {
                Some(n) => Json::Number(n),
                None if strict => {
                    return Err(YamlError {
                        message: format!("json: unsupported value: {}", super::go_json_float(f)),
                        pos: node.span.start,
                    });
                }
                None => Json::Null,
            },
        },
    })
}

/// JSON number for a float-resolved scalar; `None` for NaN/±Inf.
pub(crate) fn float_number(s: &Scalar, f: f64) -> Option<Number> {
    if s.style == ScalarStyle::Plain
        && let Res::Uint(u) = resolve_plain(&s.text)
    {
        return Some(u.into());
    }
    if !f.is_finite() {
        return None;
    }
    // encoding/json prints |f| < 1e21 in %f notation: integral values carry no fraction.
    // The casts are exact: f is integral and range-checked first.
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_precision_loss,
        clippy::cast_sign_loss
    )]
    if f.fract() == 0.0 && f.abs() < 1e21 {
        if f >= -(2f64.powi(63)) && f < 2f64.powi(63) {
            return Some((f as i64).into());
        }
        if f >= 0.0 && f < 2f64.powi(64) {
            return Some((f as u64).into());
        }
    }
    Number::from_f64(f)
}

#[cfg(test)]
mod tests {
    use super::super::parse_documents;
    use super::*;
    use serde_json::json;

    fn j(src: &str) -> Json {
        to_json(&parse_documents(src).expect("parses")[0].root)
    }

    #[test]
    fn scalars() {
        assert_eq!(
            j(
                "a: 1\nb: 1.5\nc: true\nd: ~\ne: text\nf: \"1\"\ng: 1.0\nh: 1e3\ni: 18446744073709551615\n"
            ),
            json!({"a": 1, "b": 1.5, "c": true, "d": null, "e": "text", "f": "1", "g": 1, "h": 1000, "i": 18_446_744_073_709_551_615u64})
        );
    }

    #[test]
    fn nested_and_key_order() {
        assert_eq!(
            j("z: [1, {b: 2, a: 1}]\na: {}\n"),
            json!({"a": {}, "z": [1, {"a": 1, "b": 2}]})
        );
    }

    #[test]
    fn non_finite_floats() {
        let docs = parse_documents("a:\n  b: .inf\n").expect("parses");
        assert_eq!(to_json(&docs[0].root), json!({"a": {"b": null}}));
        let e = to_json_checked(&docs[0].root).expect_err("inf");
        assert_eq!(e.message, "json: unsupported value: +Inf");
        assert_eq!((e.pos.line, e.pos.col), (2, 6));
    }
}
