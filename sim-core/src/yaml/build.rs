//! Builds span trees from saphyr-parser events, applying go-yaml v2's decoding rules
//! (go.yaml.in/yaml/v2 decode.go, as used by sigs.k8s.io/yaml) and sigs.k8s.io/yaml's
//! YAML-to-JSON key conversion (yaml.go `convertToJSONableObject`).

use std::collections::BTreeMap;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle as PStyle, Span as PSpan, Tag};

use super::gostd::{go_base64_decode, go_float_key, go_quote};
use super::resolve::{Res, resolve_plain, resolve_tagged};
use super::{Document, Entry, Node, Pos, Resolved, Scalar, ScalarStyle, Span, Value, YamlError};

/// Nesting limit. go-yaml stops at 10000; ours is lower because every consumer of the tree
/// (clone, drop, `to_json`, schema validation) recurses on the caller's stack, and no
/// Kubernetes object comes anywhere near this depth.
const MAX_DEPTH: usize = 1000;

const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

pub(super) fn parse_stream(src: &str) -> Result<Vec<Document>, YamlError> {
    let mut b = Builder::new(src);
    let mut parser = Parser::new_from_str(src);
    while let Some(ev) = parser.next_event() {
        let (ev, span) = ev.map_err(|e| YamlError {
            message: e.info().to_string(),
            pos: b.posmap.pos(e.marker()),
        })?;
        b.event(ev, span)?;
    }
    Ok(b.docs)
}

/// saphyr reports character indices; we expose byte offsets.
struct PosMap {
    /// `char_to_byte[i]` = byte offset of character `i` (plus one past the end);
    /// `None` for ASCII sources where they coincide.
    char_to_byte: Option<Vec<usize>>,
    len: usize,
}

impl PosMap {
    fn new(src: &str) -> Self {
        let char_to_byte = (!src.is_ascii()).then(|| {
            src.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(src.len()))
                .collect()
        });
        PosMap {
            char_to_byte,
            len: src.len(),
        }
    }

    fn pos(&self, m: &Marker) -> Pos {
        let offset = match &self.char_to_byte {
            None => m.index().min(self.len),
            Some(table) => table.get(m.index()).copied().unwrap_or(self.len),
        };
        Pos {
            line: u32::try_from(m.line()).unwrap_or(u32::MAX),
            col: u32::try_from(m.col().saturating_add(1)).unwrap_or(u32::MAX),
            offset,
        }
    }

    fn span(&self, s: &PSpan) -> Span {
        Span {
            start: self.pos(&s.start),
            end: self.pos(&s.end),
        }
    }
}

enum Pending {
    /// A key was read; the next node is its value.
    Key(String, Span),
    /// A `<<` merge key was read; the next node is merged into this mapping.
    Merge,
}

#[derive(Default)]
struct MapBuild {
    entries: Vec<Entry>,
    /// key -> position in `entries`.
    index: BTreeMap<String, usize>,
    /// Keys written explicitly in this mapping -> line, for duplicate detection. Keys that
    /// arrive through `<<` are not here: overriding a merged key is the point of merging.
    explicit: BTreeMap<String, u32>,
    pending: Option<Pending>,
}

impl MapBuild {
    /// Assigns `key`, replacing an earlier value in place (Go's `SetMapIndex` semantics).
    fn upsert(&mut self, entry: Entry) {
        if let Some(&i) = self.index.get(&entry.key) {
            if let Some(slot) = self.entries.get_mut(i) {
                *slot = entry;
            }
        } else {
            self.index.insert(entry.key.clone(), self.entries.len());
            self.entries.push(entry);
        }
    }
}

enum Frame {
    Seq {
        start: Pos,
        anchor: usize,
        items: Vec<Node>,
        size: u64,
    },
    Map {
        start: Pos,
        anchor: usize,
        build: MapBuild,
        size: u64,
        /// End of the last key or value written in this mapping. Entries can't tell us:
        /// merged ones keep the spans of the mapping they were copied from.
        last_end: Pos,
    },
}

struct Builder<'s> {
    src: &'s str,
    posmap: PosMap,
    stack: Vec<Frame>,
    /// saphyr anchor id -> (anchored node, node count). Cleared per document: kubectl feeds
    /// each `---` document to go-yaml separately, so anchors never cross documents.
    anchors: BTreeMap<usize, (Node, u64)>,
    /// go-yaml's alias-bomb accounting (decode.go `decodeCount` / `aliasCount`).
    decode_count: u64,
    alias_count: u64,
    root: Option<Node>,
    docs: Vec<Document>,
    doc_index: usize,
}

impl<'s> Builder<'s> {
    fn new(src: &'s str) -> Self {
        Builder {
            src,
            posmap: PosMap::new(src),
            stack: Vec::new(),
            anchors: BTreeMap::new(),
            decode_count: 0,
            alias_count: 0,
            root: None,
            docs: Vec::new(),
            doc_index: 0,
        }
    }

    fn event(&mut self, ev: Event<'_>, span: PSpan) -> Result<(), YamlError> {
        let sp = self.posmap.span(&span);
        match ev {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.stack.clear();
                self.anchors.clear();
                self.decode_count = 0;
                self.alias_count = 0;
                self.root = None;
                Ok(())
            }
            Event::DocumentEnd => {
                if let Some(root) = self.root.take()
                    && !root.is_null()
                {
                    self.docs.push(Document {
                        root,
                        index: self.doc_index,
                    });
                }
                self.doc_index += 1;
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.decode_count += 1;
                let is_merge = text == "<<"
                    && style == PStyle::Plain
                    && tag
                        .as_deref()
                        .is_none_or(|t| core_suffix(t) == Some("merge"));
                let scalar = scalar(text.into_owned(), style, tag.as_deref(), sp)?;
                let node = Node {
                    value: Value::Scalar(scalar),
                    span: sp,
                };
                self.complete(node, 1, anchor, is_merge)
            }
            Event::SequenceStart(anchor, _) => self.push(
                Frame::Seq {
                    start: sp.start,
                    anchor,
                    items: Vec::new(),
                    size: 1,
                },
                sp.start,
            ),
            Event::MappingStart(anchor, _) => self.push(
                Frame::Map {
                    start: sp.start,
                    anchor,
                    build: MapBuild::default(),
                    size: 1,
                    last_end: sp.start,
                },
                sp.start,
            ),
            Event::SequenceEnd => match self.stack.pop() {
                Some(Frame::Seq {
                    start,
                    anchor,
                    items,
                    size,
                }) => {
                    let end = collection_end(&span, sp, items.last().map(|n| n.span.end), start);
                    let node = Node {
                        value: Value::Seq(items),
                        span: Span { start, end },
                    };
                    self.complete(node, size, anchor, false)
                }
                _ => Err(err_at("unbalanced sequence end", sp.start)),
            },
            Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Map {
                    start,
                    anchor,
                    build,
                    size,
                    last_end,
                }) => {
                    let end = collection_end(&span, sp, Some(last_end), start);
                    let node = Node {
                        value: Value::Map(build.entries),
                        span: Span { start, end },
                    };
                    self.complete(node, size, anchor, false)
                }
                _ => Err(err_at("unbalanced mapping end", sp.start)),
            },
            Event::Alias(id) => self.alias(id, sp),
        }
    }

    fn push(&mut self, frame: Frame, at: Pos) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(err_at(format!("exceeded max depth of {MAX_DEPTH}"), at));
        }
        self.decode_count += 1;
        self.stack.push(frame);
        Ok(())
    }

    fn alias(&mut self, id: usize, sp: Span) -> Result<(), YamlError> {
        let name = self
            .src
            .get(sp.start.offset..sp.end.offset)
            .unwrap_or("")
            .trim_start_matches('*')
            .to_string();
        let open = self.stack.iter().any(|f| match f {
            Frame::Seq { anchor, .. } | Frame::Map { anchor, .. } => *anchor == id,
        });
        let Some((node, size)) = self.anchors.get(&id) else {
            let message = if open {
                format!("anchor '{name}' value contains itself")
            } else {
                format!("unknown anchor '{name}' referenced")
            };
            return Err(err_at(message, sp.start));
        };
        let size = *size;
        // decode.go: every node decoded through an alias counts towards aliasCount; the
        // ratio check stops billion-laughs documents before we materialise them.
        self.decode_count = self.decode_count.saturating_add(size);
        self.alias_count = self.alias_count.saturating_add(size);
        #[allow(clippy::cast_precision_loss)] // ratios only
        if self.alias_count > 100
            && self.decode_count > 1000
            && self.alias_count as f64 / self.decode_count as f64
                > allowed_alias_ratio(self.decode_count)
        {
            return Err(err_at("document contains excessive aliasing", sp.start));
        }
        let mut node = node.clone();
        node.span = sp;
        self.complete(node, size, 0, false)
    }

    /// Hands a finished node to its parent (or makes it the document root).
    fn complete(
        &mut self,
        node: Node,
        size: u64,
        anchor: usize,
        is_merge: bool,
    ) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(top) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match top {
            Frame::Seq {
                items, size: acc, ..
            } => {
                items.push(node);
                *acc = acc.saturating_add(size);
                Ok(())
            }
            Frame::Map {
                build,
                size: acc,
                last_end,
                ..
            } => {
                *acc = acc.saturating_add(size);
                *last_end = (*last_end).max(node.span.end);
                match build.pending.take() {
                    None => {
                        if is_merge {
                            build.pending = Some(Pending::Merge);
                            return Ok(());
                        }
                        match map_key(&node) {
                            Ok(key) => {
                                build.pending = Some(Pending::Key(key, node.span));
                                Ok(())
                            }
                            Err(message) => Err(YamlError {
                                message,
                                pos: node.span.start,
                            }),
                        }
                    }
                    Some(Pending::Key(key, key_span)) => {
                        if let Some(line) = build.explicit.get(&key) {
                            // Wording of go-yaml v3 / kustomize ("mapping key %#v already
                            // defined at line %d"); go-yaml v2's strict mode, used by the API
                            // server's YAMLToJSONStrict, says `key "x" already set in map`.
                            return Err(YamlError {
                                message: format!(
                                    "mapping key {} already defined at line {line}",
                                    go_quote(&key)
                                ),
                                pos: key_span.start,
                            });
                        }
                        build.explicit.insert(key.clone(), key_span.start.line);
                        build.upsert(Entry {
                            key,
                            key_span,
                            value: node,
                        });
                        Ok(())
                    }
                    Some(Pending::Merge) => merge(build, &node),
                }
            }
        }
    }
}

fn err_at(message: impl Into<String>, pos: Pos) -> YamlError {
    YamlError {
        message: message.into(),
        pos,
    }
}

/// Builds a scalar with go-yaml v2's resolution for its style and tag.
fn scalar(text: String, style: PStyle, tag: Option<&Tag>, sp: Span) -> Result<Scalar, YamlError> {
    let style = match style {
        PStyle::Plain => ScalarStyle::Plain,
        PStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        PStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        PStyle::Literal => ScalarStyle::Literal,
        PStyle::Folded => ScalarStyle::Folded,
    };
    // decode.go `scalar`: untagged non-plain scalars are strings; tagged ones go through
    // resolve(tag, value); non-core tags are not resolvable and keep the string.
    let res = match tag {
        None if style == ScalarStyle::Plain => resolve_plain(&text),
        None => Res::Str,
        Some(t) => match core_suffix(t) {
            Some("binary") => {
                let bytes = go_base64_decode(text.as_bytes())
                    .map_err(|_| err_at("!!binary value contains invalid base64 data", sp.start))?;
                // encoding/json replaces invalid UTF-8 with U+FFFD when marshalling.
                let decoded = String::from_utf8_lossy(&bytes).into_owned();
                return Ok(Scalar {
                    text: decoded,
                    style,
                    resolved: Resolved::Str,
                });
            }
            Some(suffix @ ("int" | "float" | "bool" | "null" | "timestamp")) => {
                resolve_tagged(suffix, &text).map_err(|m| err_at(m, sp.start))?
            }
            _ => Res::Str,
        },
    };
    let resolved = match res {
        Res::Null => Resolved::Null,
        Res::Bool(b) => Resolved::Bool(b),
        Res::Int(i) => Resolved::Int(i),
        #[allow(clippy::cast_precision_loss)] // documented on Resolved::Float
        Res::Uint(u) => Resolved::Float(u as f64),
        Res::BigInt(f) | Res::Float(f) => Resolved::Float(f),
        Res::Str | Res::Timestamp => Resolved::Str,
    };
    Ok(Scalar {
        text,
        style,
        resolved,
    })
}

/// decode.go `merge`: the value must be a mapping or a sequence of mappings (aliases are
/// already expanded here). A sequence is applied last-to-first so earlier maps win, and
/// merged keys are assigned at the position of `<<`, overriding keys written before it and
/// overridden by keys written after it — go-yaml v2's order-dependent behaviour, which
/// differs from the YAML merge spec (explicit keys always win).
fn merge(build: &mut MapBuild, value: &Node) -> Result<(), YamlError> {
    let bad = || YamlError {
        message: "map merge requires map or sequence of maps as the value".to_string(),
        pos: value.span.start,
    };
    match &value.value {
        Value::Map(entries) => {
            for e in entries {
                build.upsert(e.clone());
            }
            Ok(())
        }
        Value::Seq(items) => {
            if items.iter().any(|i| !matches!(i.value, Value::Map(_))) {
                return Err(bad());
            }
            for item in items.iter().rev() {
                if let Value::Map(entries) = &item.value {
                    for e in entries {
                        build.upsert(e.clone());
                    }
                }
            }
            Ok(())
        }
        Value::Scalar(_) => Err(bad()),
    }
}

/// The JSON object key sigs.k8s.io/yaml derives from a YAML key (yaml.go
/// `convertToJSONableObject`): strings as-is, ints in decimal, floats via
/// `FormatFloat(f, 'g', -1, 32)`, bools as `true`/`false`. Null, `uint64` and big-int keys
/// are unsupported there; collections are rejected by go-yaml itself (`invalid map key`).
fn map_key(node: &Node) -> Result<String, String> {
    let s = match &node.value {
        Value::Scalar(s) => s,
        Value::Seq(_) => return Err("invalid map key: a sequence cannot be a key".to_string()),
        Value::Map(_) => return Err("invalid map key: a mapping cannot be a key".to_string()),
    };
    match s.resolved {
        Resolved::Str => Ok(s.text.clone()),
        Resolved::Null => Err("unsupported map key of type: <nil>".to_string()),
        Resolved::Bool(b) => Ok(b.to_string()),
        Resolved::Int(i) => Ok(i.to_string()),
        Resolved::Float(f) => match resolve_plain(&s.text) {
            Res::Uint(_) => Err("unsupported map key of type: uint64".to_string()),
            Res::BigInt(_) => Err("unsupported map key of type: *big.Int".to_string()),
            _ => Ok(go_float_key(f)),
        },
    }
}

/// End of a collection: flow collections end after their closing bracket (a non-empty end
/// event); block collections end where their last child ends.
fn collection_end(ev: &PSpan, sp: Span, last_child: Option<Pos>, start: Pos) -> Pos {
    if ev.end.index() > ev.start.index() {
        sp.end
    } else {
        last_child.map_or(start, |p| p.max(start))
    }
}

/// Suffix of a core-schema tag (`!!int` -> `int`), also for verbatim `!<tag:yaml.org,2002:int>`.
fn core_suffix(t: &Tag) -> Option<&str> {
    if t.handle == CORE_TAG_PREFIX {
        Some(t.suffix.as_str())
    } else if t.handle.is_empty() || t.handle == "!" {
        t.suffix.strip_prefix(CORE_TAG_PREFIX)
    } else {
        None
    }
}

/// decode.go `allowedAliasRatio`: 99% aliased nodes are tolerated in small documents,
/// sliding down to 10% at 4M decoded nodes.
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: u64 = 400_000;
    const HIGH: u64 = 4_000_000;
    if decode_count <= LOW {
        0.99
    } else if decode_count >= HIGH {
        0.10
    } else {
        #[allow(clippy::cast_precision_loss)]
        let frac = (decode_count - LOW) as f64 / (HIGH - LOW) as f64;
        0.99 - 0.89 * frac
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_documents, to_json};
    use super::*;
    use serde_json::json;

    fn one(src: &str) -> Node {
        let mut docs = parse_documents(src).expect("parses");
        assert_eq!(docs.len(), 1, "{src}");
        docs.remove(0).root
    }

    fn err(src: &str) -> YamlError {
        parse_documents(src).expect_err(src)
    }

    #[test]
    fn aliases_expand_with_alias_span() {
        let src = "base: &img\n  image: nginx\n  tag: \"1\"\nc1: *img\n";
        let n = one(src);
        let c1 = n.get("c1").expect("c1");
        assert_eq!(c1.get("image").and_then(Node::as_str), Some("nginx"));
        assert_eq!((c1.span.start.line, c1.span.start.col), (4, 5));
        // inner nodes keep the anchor's positions
        assert_eq!(c1.lookup_span("image").map(|s| s.start.line), Some(2));
        assert_eq!(to_json(&n)["c1"], json!({"image": "nginx", "tag": "1"}));
    }

    #[test]
    fn merge_keys_follow_go_yaml_v2() {
        let src = "\
defaults: &d {cpu: 1, mem: 2}
extra: &e {mem: 3, gpu: 1}
a:
  <<: *d
  mem: 5
b:
  <<: [*d, *e]
c:
  mem: 9
  <<: *d
";
        let n = one(src);
        let j = to_json(&n);
        assert_eq!(
            j["a"],
            json!({"cpu": 1, "mem": 5}),
            "explicit after merge wins"
        );
        assert_eq!(
            j["b"],
            json!({"cpu": 1, "mem": 2, "gpu": 1}),
            "earlier maps win"
        );
        assert_eq!(
            j["c"],
            json!({"cpu": 1, "mem": 2}),
            "v2: a later merge overrides"
        );
        let e = err("a:\n  <<: 3\n");
        assert_eq!(
            e.message,
            "map merge requires map or sequence of maps as the value"
        );
        assert_eq!(e.pos.line, 2);
        // Quoted "<<" is an ordinary key.
        assert_eq!(to_json(&one("'<<': 1\n")), json!({"<<": 1}));
    }

    #[test]
    fn alias_errors() {
        assert_eq!(err("a: *nope\n").pos.line, 1);
        let e = err("a: &x 1\n---\nb: *x\n");
        assert_eq!(e.message, "unknown anchor 'x' referenced");
        assert_eq!(e.pos.line, 3);
        assert_eq!(err("&a [*a]\n").message, "anchor 'a' value contains itself");
    }

    #[test]
    fn billion_laughs_is_rejected() {
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            let refs = vec![format!("*a{p}"); 10].join(", ");
            src.push_str(
                &[
                    "a",
                    &i.to_string(),
                    ": &a",
                    &i.to_string(),
                    " [",
                    &refs,
                    "]\n",
                ]
                .concat(),
            );
        }
        assert_eq!(err(&src).message, "document contains excessive aliasing");
    }

    #[test]
    fn keys_become_json_strings() {
        let j = to_json(&one("yes: 1\n0x10: 3\n1.5: 4\nOff: 5\n\"quoted\": 6\n"));
        assert_eq!(
            j,
            json!({"true": 1, "16": 3, "1.5": 4, "false": 5, "quoted": 6})
        );
        assert_eq!(err("~: 1\n").message, "unsupported map key of type: <nil>");
        assert_eq!(
            err("? [a]\n: 1\n").message,
            "invalid map key: a sequence cannot be a key"
        );
        // `yes` and `on` both become "true": a duplicate after conversion.
        assert!(err("yes: 1\non: 2\n").message.contains("already defined"));
    }

    #[test]
    fn tags() {
        let n = one(
            "a: !!str 0644\nb: !!int \"12\"\nc: !!float 1\nd: !custom 7\ne: !!binary aGVsbG8=\n",
        );
        assert_eq!(n.get("a").and_then(Node::as_str), Some("0644"));
        assert_eq!(n.get("b").and_then(Node::as_i64), Some(12));
        assert_eq!(n.get("c").and_then(Node::as_f64), Some(1.0));
        assert_eq!(n.get("d").and_then(Node::as_str), Some("7"));
        assert_eq!(n.get("e").and_then(Node::as_str), Some("hello"));
        let e = err("a: !!int abc\n");
        assert_eq!(e.message, "cannot decode !!str `abc` as a !!int");
    }

    #[test]
    fn scalar_styles_and_block_scalars() {
        let n = one("a: |\n  line1\n  line2\nb: >\n  folded\n  text\nc: 'single'\n");
        let a = n.get("a").and_then(Node::as_scalar).expect("a");
        assert_eq!(a.text, "line1\nline2\n");
        assert_eq!(a.style, ScalarStyle::Literal);
        assert_eq!(n.get("b").and_then(Node::as_str), Some("folded text\n"));
        assert_eq!(
            n.get("c").and_then(Node::as_scalar).map(|s| s.style),
            Some(ScalarStyle::SingleQuoted)
        );
        // Block scalars that look like numbers stay strings.
        assert_eq!(
            one("a: |\n  12\n").get("a").and_then(Node::as_str),
            Some("12\n")
        );
    }

    #[test]
    fn collection_spans() {
        let src = "spec:\n  containers:\n  - name: a\n    image: b\n  - name: c\nnext: 1\n";
        let n = one(src);
        let spec = n.lookup_span("spec").expect("spec");
        assert_eq!((spec.start.line, spec.start.col), (2, 3));
        assert_eq!(&src[spec.end.offset - 1..spec.end.offset], "c");
        let c = n.lookup_span("spec.containers[1]").expect("c");
        assert_eq!((c.start.line, c.start.col), (5, 5));
        assert_eq!(
            n.span.start,
            Pos {
                line: 1,
                col: 1,
                offset: 0
            }
        );
    }

    #[test]
    fn crlf_and_bom() {
        let src = "\u{feff}a: b\r\nc:\r\n  d: e\r\n";
        let n = one(src);
        let d = n.lookup_span("c.d").expect("d");
        assert_eq!((d.start.line, d.start.col), (3, 6));
        assert_eq!(&src[d.start.offset..d.end.offset], "e");
    }

    #[test]
    fn depth_limit() {
        // saphyr caps flow nesting itself; block nesting is capped by us.
        let flow = "[".repeat(300) + &"]".repeat(300);
        assert_eq!(err(&flow).message, "recursion limit exceeded");
        let block = "- ".repeat(MAX_DEPTH + 1) + "x\n";
        let e = err(&block);
        assert_eq!(e.message, format!("exceeded max depth of {MAX_DEPTH}"));
        let ok = "- ".repeat(200) + "x\n";
        assert_eq!(parse_documents(&ok).expect("ok").len(), 1);
    }
}
