//! Kubernetes field paths (`spec.containers[0].image`, `metadata.labels[app]`) resolved
//! against a span tree, so semantic errors reported by path can be shown at a line.

use super::{Node, Span, Value};

#[derive(Debug, PartialEq)]
enum Seg {
    /// `.name`
    Key(String),
    /// `[…]`: an index on sequences, a key on mappings.
    Bracket(String),
}

/// Splits a path into segments; `None` if brackets or quotes are unbalanced.
fn parse(path: &str) -> Option<Vec<Seg>> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    segs.push(Seg::Key(std::mem::take(&mut cur)));
                }
                let mut inner = String::new();
                match chars.peek() {
                    Some(&q @ ('"' | '\'')) => {
                        chars.next();
                        loop {
                            match chars.next()? {
                                '\\' if q == '"' => inner.push(chars.next()?),
                                ch if ch == q => break,
                                ch => inner.push(ch),
                            }
                        }
                        if chars.next()? != ']' {
                            return None;
                        }
                    }
                    _ => loop {
                        match chars.next()? {
                            ']' => break,
                            ch => inner.push(ch),
                        }
                    },
                }
                segs.push(Seg::Bracket(inner));
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        segs.push(Seg::Key(cur));
    }
    Some(segs)
}

/// The node at `path`, and the span of the key that selected it (if the last step was a
/// mapping key).
pub(super) fn lookup<'n>(root: &'n Node, path: &str) -> Option<(&'n Node, Option<Span>)> {
    let mut cur = root;
    let mut key_span = None;
    for seg in parse(path)? {
        let (Seg::Key(k) | Seg::Bracket(k)) = &seg;
        match &cur.value {
            Value::Map(entries) => {
                let e = entries.iter().find(|e| &e.key == k)?;
                key_span = Some(e.key_span);
                cur = &e.value;
            }
            Value::Seq(items) => {
                let i: usize = k.parse().ok()?;
                cur = items.get(i)?;
                key_span = None;
            }
            Value::Scalar(_) => return None,
        }
    }
    Some((cur, key_span))
}

#[cfg(test)]
mod tests {
    use super::super::parse_documents;
    use super::*;

    #[test]
    fn parses_paths() {
        assert_eq!(
            parse("spec.containers[0].image"),
            Some(vec![
                Seg::Key("spec".into()),
                Seg::Key("containers".into()),
                Seg::Bracket("0".into()),
                Seg::Key("image".into()),
            ])
        );
        assert_eq!(
            parse("metadata.annotations[\"a.b/c\"]"),
            Some(vec![
                Seg::Key("metadata".into()),
                Seg::Key("annotations".into()),
                Seg::Bracket("a.b/c".into()),
            ])
        );
        assert_eq!(parse("a[0"), None);
        assert_eq!(parse(".a"), Some(vec![Seg::Key("a".into())]));
    }

    #[test]
    fn lookups() {
        let src = "metadata:\n  labels:\n    app.kubernetes.io/name: web\n    \"0\": zero\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n";
        let root = &parse_documents(src).expect("parses")[0].root;
        let v = root
            .lookup("metadata.labels[app.kubernetes.io/name]")
            .and_then(Node::as_str);
        assert_eq!(v, Some("web"));
        assert_eq!(
            root.lookup("metadata.labels['app.kubernetes.io/name']")
                .and_then(Node::as_str),
            Some("web")
        );
        assert_eq!(
            root.lookup("metadata.labels[0]").and_then(Node::as_str),
            Some("zero")
        );
        assert_eq!(
            root.lookup("spec.containers[0].ports[0].containerPort")
                .and_then(Node::as_i64),
            Some(80)
        );
        assert!(root.lookup("spec.containers[1]").is_none());
        assert!(root.lookup("spec.containers.name").is_none());
        let ks = root
            .lookup_key_span("spec.containers[0].ports")
            .expect("ports");
        assert_eq!((ks.start.line, ks.start.col), (8, 5));
        let el = root.lookup_key_span("spec.containers[0]").expect("element");
        assert_eq!((el.start.line, el.start.col), (7, 5));
        assert_eq!(root.lookup(""), Some(root));
    }
}
