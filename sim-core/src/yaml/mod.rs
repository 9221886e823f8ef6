//! A YAML span tree that decodes Kubernetes manifests the way kubectl and the API server do.
//!
//! Kubernetes never looks at YAML directly: sigs.k8s.io/yaml decodes it with go-yaml v2
//! (YAML 1.1 scalar resolution), converts the result to JSON, and the API machinery then
//! decodes that JSON strictly. This module reproduces the first two steps while keeping the
//! source position of every node and key, so later semantic and schema errors can point at a
//! line and column:
//!
//! - [`parse_documents`] splits a `---` stream into [`Document`]s (dropping empty/`null` ones
//!   like kubectl's `StreamVisitor`), resolves plain scalars with YAML 1.1 rules
//!   ([`Resolved`]), expands aliases and `<<` merge keys, and rejects duplicate keys.
//! - [`to_json`] produces the JSON sigs.k8s.io/yaml would hand to the API machinery.
//! - [`Node::lookup`] and friends map Kubernetes field paths (`spec.containers[0].image`)
//!   back to spans.
//!
//! Positions: lines and columns are 1-based, columns count characters (not bytes), and
//! `offset` is a byte offset into the source, so `&src[span.start.offset..span.end.offset]`
//! is the node's text.

mod build;
mod gostd;
mod json;
mod path;
mod resolve;

pub(crate) use gostd::{go_base64_decode, go_json_float, go_quote};
pub(crate) use json::float_number as json_float_number;
pub use json::{to_json, to_json_checked};

/// A position in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub col: u32,
    /// Byte offset into the source.
    pub offset: usize,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// A half-open source range `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First character of the range.
    pub start: Pos,
    /// Position just past the last character.
    pub end: Pos,
}

/// A YAML node with its source span. Aliases are expanded: an alias becomes a clone of the
/// anchored node whose top-level span is the alias's (inner spans still point at the anchor).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The node's content.
    pub value: Value,
    /// Where the node is written.
    pub span: Span,
}

/// Node content.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar with its YAML 1.1 resolution.
    Scalar(Scalar),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, with keys converted to JSON strings, duplicates rejected
    /// and merge keys applied.
    Map(Vec<Entry>),
}

/// One mapping entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as sigs.k8s.io/yaml turns it into a JSON object key: strings as written,
    /// `yes`/`on` -> `"true"`, `0x10` -> `"16"`, floats via Go's `%g` on a float32.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value.
    pub value: Node,
}

/// A scalar as written plus its resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    /// The scalar's content after YAML unescaping/folding (without quotes or indicators).
    pub text: String,
    /// How it was written.
    pub style: ScalarStyle,
    /// YAML 1.1 type resolution (go-yaml v2 `resolve.go`).
    pub resolved: Resolved,
}

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    /// Unquoted.
    Plain,
    /// `'…'`.
    SingleQuoted,
    /// `"…"`.
    DoubleQuoted,
    /// `|` block.
    Literal,
    /// `>` block.
    Folded,
}

/// The type go-yaml v2 gives a scalar. Only plain scalars (and core-schema tagged ones such
/// as `!!int "3"`) resolve to non-strings; quoted and block scalars, `!!str`, custom tags and
/// timestamps are [`Resolved::Str`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Resolved {
    /// `~`, `null`, `Null`, `NULL` or empty.
    Null,
    /// YAML 1.1 booleans: `y`, `yes`, `on`, `true`, … and `n`, `no`, `off`, `false`, ….
    Bool(bool),
    /// Integers per Go `strconv.ParseInt(s without '_', 0, 64)`: `0644` is octal 420.
    Int(i64),
    /// Floats, including `.inf`, `-.Inf`, `.nan`. Integers too large for `i64` (go-yaml:
    /// `uint64` / `*big.Int`) are carried here as approximations; [`to_json`] still emits
    /// exact `u64` values.
    Float(f64),
    /// Everything else.
    Str,
}

/// One non-empty document of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The document's root node.
    pub root: Node,
    /// 0-based position in the stream, counting skipped empty documents, so it matches
    /// what a user counts by looking at the `---` separators.
    pub index: usize,
}

/// A YAML syntax or structure error with the position it was detected at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("yaml: line {}: {message}", pos.line)]
pub struct YamlError {
    /// What went wrong, worded like go-yaml where there is an equivalent.
    pub message: String,
    /// Where it was detected.
    pub pos: Pos,
}

/// Parses a (possibly multi-document) YAML stream into span trees.
///
/// Documents whose content is empty or `null` (only comments, a lone `---`) are skipped,
/// as kubectl's resource builder does (k8s.io/cli-runtime `StreamVisitor` drops documents
/// whose JSON is empty or `null`); [`Document::index`] still counts them.
///
/// # Errors
/// Syntax errors, duplicate mapping keys, non-scalar or null mapping keys, unknown anchors,
/// bad merge values, failed explicit tags (`!!int abc`), excessive aliasing and nesting
/// deeper than 1000 levels.
pub fn parse_documents(src: &str) -> Result<Vec<Document>, YamlError> {
    build::parse_stream(src)
}

impl Node {
    /// The value for `key` if this is a mapping.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    /// The entry for `key` if this is a mapping.
    #[must_use]
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The scalar text if this scalar resolved to a string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(Scalar {
                text,
                resolved: Resolved::Str,
                ..
            }) => Some(text),
            _ => None,
        }
    }

    /// The scalar, if this is one.
    #[must_use]
    pub fn as_scalar(&self) -> Option<&Scalar> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The integer value if this scalar resolved to an `i64`.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        match self.as_scalar()?.resolved {
            Resolved::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The numeric value if this scalar resolved to an integer or a float.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        match self.as_scalar()?.resolved {
            #[allow(clippy::cast_precision_loss)] // same widening as Go's float64(int)
            Resolved::Int(i) => Some(i as f64),
            Resolved::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The boolean value if this scalar resolved to a bool.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.as_scalar()?.resolved {
            Resolved::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// True for a scalar that resolved to null.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(
            self.value,
            Value::Scalar(Scalar {
                resolved: Resolved::Null,
                ..
            })
        )
    }

    /// The items if this is a sequence.
    #[must_use]
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entries if this is a mapping.
    #[must_use]
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The JSON type name Go's `encoding/json` uses for this value in
    /// `cannot unmarshal <kind> into …` errors: `null`, `bool`, `number`, `string`, `array`
    /// or `object`.
    #[must_use]
    pub fn json_kind(&self) -> &'static str {
        match &self.value {
            Value::Map(_) => "object",
            Value::Seq(_) => "array",
            Value::Scalar(s) => match s.resolved {
                Resolved::Null => "null",
                Resolved::Bool(_) => "bool",
                Resolved::Int(_) | Resolved::Float(_) => "number",
                Resolved::Str => "string",
            },
        }
    }

    /// Follows a Kubernetes field path such as `spec.containers[0].image`,
    /// `metadata.labels[app]` or `metadata.annotations[example.com/x]`
    /// (syntax: see [`Node::lookup_span`]).
    #[must_use]
    pub fn lookup(&self, path: &str) -> Option<&Node> {
        path::lookup(self, path).map(|(node, _)| node)
    }

    /// The span of the node at `path`.
    ///
    /// Path syntax: dot-separated keys; `[N]` indexes a sequence; `[key]`, `["key"]` or
    /// `['key']` selects a mapping key that may contain dots or slashes (a bracketed number
    /// on a mapping is a key). A leading `.` is ignored.
    #[must_use]
    pub fn lookup_span(&self, path: &str) -> Option<Span> {
        self.lookup(path).map(|n| n.span)
    }

    /// The span of the *key* that the last path segment selects (for unknown-field style
    /// errors); for a sequence index, the element's span.
    #[must_use]
    pub fn lookup_key_span(&self, path: &str) -> Option<Span> {
        path::lookup(self, path).map(|(node, key_span)| key_span.unwrap_or(node.span))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(src: &str) -> Node {
        let mut docs = parse_documents(src).expect("parses");
        assert_eq!(docs.len(), 1);
        docs.remove(0).root
    }

    #[test]
    fn octal_mode_bools_and_quoted_strings() {
        let n = doc("defaultMode: 0644\nquoted: \"0644\"\nok: yes\nflag: on\nname: nginx\n");
        assert_eq!(n.get("defaultMode").and_then(Node::as_i64), Some(420));
        assert_eq!(n.get("quoted").and_then(Node::as_str), Some("0644"));
        assert_eq!(n.get("ok").and_then(Node::as_bool), Some(true));
        assert_eq!(n.get("flag").and_then(Node::as_bool), Some(true));
        assert_eq!(n.get("name").and_then(Node::as_str), Some("nginx"));
        let json = to_json(&n);
        assert_eq!(json["defaultMode"], serde_json::json!(420));
        assert_eq!(json["quoted"], serde_json::json!("0644"));
        assert_eq!(json["ok"], serde_json::json!(true));
    }

    #[test]
    fn multi_document_lines_are_file_lines() {
        let src = "\
# leading comment
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: one
---
---
apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: c
    imagee: nginx
";
        let docs = parse_documents(src).expect("parses");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].index, 0);
        assert_eq!(docs[1].index, 2, "the empty document between is counted");
        let span = docs[1]
            .root
            .lookup_key_span("spec.containers[0].imagee")
            .expect("found");
        assert_eq!((span.start.line, span.start.col), (16, 5));
        assert_eq!(&src[span.start.offset..span.end.offset], "imagee");
        let v = docs[1]
            .root
            .lookup_span("spec.containers[0].imagee")
            .expect("found");
        assert_eq!((v.start.line, v.start.col), (16, 13));
        assert_eq!(&src[v.start.offset..v.end.offset], "nginx");
    }

    #[test]
    fn kyaml_flow_style_spanning_lines() {
        let src = "{apiVersion: \"v1\", kind: \"Pod\",\n  metadata: {name: \"x\"},\n  spec: {containers: [{name: \"c\",\n    image: \"nginx\"}]}}\n";
        let n = doc(src);
        assert_eq!(n.get("kind").and_then(Node::as_str), Some("Pod"));
        let img = n.lookup_span("spec.containers[0].image").expect("found");
        assert_eq!((img.start.line, img.start.col), (4, 12));
        assert_eq!(&src[img.start.offset..img.end.offset], "\"nginx\"");
        let key = n
            .lookup_key_span("spec.containers[0].image")
            .expect("found");
        assert_eq!((key.start.line, key.start.col), (4, 5));
        let spec = n.lookup_span("spec").expect("found");
        assert_eq!((spec.start.line, spec.end.line), (3, 4));
        assert!(src[spec.start.offset..spec.end.offset].ends_with("}]}"));
    }

    #[test]
    fn unicode_columns_count_characters_offsets_count_bytes() {
        let src = "metadata:\n  labels: {café: \"日本\", x: y}\n";
        let n = doc(src);
        let key = n.lookup_key_span("metadata.labels.x").expect("found");
        // "  labels: {café: \"日本\", " is 23 characters before `x`.
        assert_eq!((key.start.line, key.start.col), (2, 24));
        assert_eq!(&src[key.start.offset..key.end.offset], "x");
        let v = n.lookup_span("metadata.labels[café]").expect("found");
        assert_eq!(&src[v.start.offset..v.end.offset], "\"日本\"");
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let err = parse_documents("a: 1\nb:\n  c: 1\n  c: 2\n").expect_err("duplicate");
        assert_eq!(err.message, "mapping key \"c\" already defined at line 3");
        assert_eq!((err.pos.line, err.pos.col), (4, 3));
        assert_eq!(
            err.to_string(),
            "yaml: line 4: mapping key \"c\" already defined at line 3"
        );
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse_documents("a: b\n  c: d\n").expect_err("bad");
        assert_eq!(err.pos.line, 2);
        assert!(err.message.contains("mapping values are not allowed"));
        let err = parse_documents("ok: 1\n---\na: [1, 2\n").expect_err("bad");
        assert_eq!(err.pos.line, 4);
    }

    #[test]
    fn empty_and_null_documents_are_skipped() {
        assert!(parse_documents("").expect("ok").is_empty());
        assert!(
            parse_documents("# just a comment\n")
                .expect("ok")
                .is_empty()
        );
        assert!(parse_documents("---\n---\n...\n").expect("ok").is_empty());
        assert!(parse_documents("--- null\n--- ~\n").expect("ok").is_empty());
        let docs = parse_documents("--- ''\n").expect("ok");
        assert_eq!(docs.len(), 1, "an empty *string* is not null");
    }
}
