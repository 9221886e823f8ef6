//! kubectl's plain table layout: text/tabwriter with minwidth 6, padding 3 and spaces
//! (staging/src/k8s.io/cli-runtime/pkg/printers/tabwriter.go GetNewTabWriter). The last column is
//! not padded.

use super::tabwriter::TabWriter;

pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = TabWriter::new(6, 3);
    w.write(&headers.join("\t"));
    w.write("\n");
    for row in rows {
        w.write(&row.join("\t"));
        w.write("\n");
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_kubectl_layout() {
        let t = render(
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &[vec![
                "my-nginx-pod".into(),
                "1/1".into(),
                "Running".into(),
                "0".into(),
                "10s".into(),
            ]],
        );
        assert_eq!(
            t,
            "NAME           READY   STATUS    RESTARTS   AGE\nmy-nginx-pod   1/1     Running   0          10s\n"
        );
    }
}
