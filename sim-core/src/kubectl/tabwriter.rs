//! Go's text/tabwriter, which kubectl uses for every table and for `describe`: cells end at a tab,
//! and a column is aligned over each block of consecutive lines that have a cell in it.

pub struct TabWriter {
    min_width: usize,
    padding: usize,
    lines: Vec<Vec<String>>,
}

impl TabWriter {
    pub fn new(min_width: usize, padding: usize) -> Self {
        TabWriter {
            min_width,
            padding,
            lines: Vec::new(),
        }
    }

    /// Appends text; lines end at `\n`, cells at `\t`.
    pub fn write(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.lines.push(Vec::new());
            }
            if self.lines.is_empty() {
                self.lines.push(Vec::new());
            }
            let Some(current) = self.lines.last_mut() else {
                continue;
            };
            for (j, cell) in line.split('\t').enumerate() {
                if j == 0 {
                    match current.last_mut() {
                        Some(last) => last.push_str(cell),
                        None => current.push(cell.to_string()),
                    }
                } else {
                    current.push(cell.to_string());
                }
            }
        }
    }

    pub fn finish(mut self) -> String {
        if self
            .lines
            .last()
            .is_some_and(|l| l.iter().all(String::is_empty))
        {
            self.lines.pop();
        }
        let mut out = String::new();
        let mut widths = Vec::new();
        let n = self.lines.len();
        self.format(&mut out, &mut widths, 0, n);
        out
    }

    fn format(&self, out: &mut String, widths: &mut Vec<usize>, mut line0: usize, line1: usize) {
        let column = widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(out, widths, line0, this);
            line0 = this;
            let mut width = self.min_width;
            while this < line1 && column + 1 < self.lines[this].len() {
                let w = self.lines[this][column].chars().count() + self.padding;
                width = width.max(w);
                this += 1;
            }
            widths.push(width);
            self.format(out, widths, line0, this);
            widths.pop();
            line0 = this;
        }
        self.write_lines(out, widths, line0, line1);
    }

    fn write_lines(&self, out: &mut String, widths: &[usize], line0: usize, line1: usize) {
        for line in &self.lines[line0..line1] {
            for (j, cell) in line.iter().enumerate() {
                out.push_str(cell);
                if j + 1 < line.len() && j < widths.len() {
                    for _ in cell.chars().count()..widths[j] {
                        out.push(' ');
                    }
                }
            }
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_blocks_like_go() {
        let mut w = TabWriter::new(0, 2);
        w.write("Name:\tweb\nService Account:\tdefault\nContainers:\n  c:\n    Image:\tnginx\n");
        assert_eq!(
            w.finish(),
            "Name:             web\nService Account:  default\nContainers:\n  c:\n    Image:  nginx\n"
        );
    }
}
