//! The `report.md` of a scenario run: a plain-language answer first, then one section per
//! stage with its tables and embedded figures, then the inputs and the software version.
//!
//! This is a small document model rendered to GitHub-flavoured Markdown; the runner fills
//! it with computed values only.

use std::fmt::Write as _;

/// A Markdown table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// Column headers.
    pub header: Vec<String>,
    /// Rows, each with as many cells as the header (shorter rows are padded with empty cells).
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers and no rows.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Self {
        Table {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// The table as Markdown (first column left-aligned, the others right-aligned).
    pub fn render(&self) -> String {
        let n = self.header.len().max(1);
        let esc = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            out.push('|');
            for i in 0..n {
                let c = cells.get(i).map(String::as_str).unwrap_or("");
                let _ = write!(out, " {} |", esc(c));
            }
            out.push('\n');
        };
        line(&self.header, &mut out);
        out.push('|');
        for i in 0..n {
            out.push_str(if i == 0 { " :--- |" } else { " ---: |" });
        }
        out.push('\n');
        for r in &self.rows {
            line(r, &mut out);
        }
        out
    }
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph of Markdown text.
    Text(String),
    /// A table.
    Table(Table),
    /// An embedded figure: path relative to the report, and a caption.
    Figure {
        /// Path of the image relative to `report.md`.
        path: String,
        /// Caption (also the alt text).
        caption: String,
    },
    /// A fenced code block with a language tag.
    Code {
        /// Language tag (`toml`, `text`, …).
        lang: String,
        /// The code.
        text: String,
    },
}

/// A titled section.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Section {
    /// Heading (level 2).
    pub title: String,
    /// Content, in order.
    pub blocks: Vec<Block>,
}

impl Section {
    /// An empty section with a title.
    pub fn new(title: impl Into<String>) -> Self {
        Section {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    /// Appends a paragraph.
    pub fn text(&mut self, t: impl Into<String>) {
        self.blocks.push(Block::Text(t.into()));
    }

    /// Appends a table.
    pub fn table(&mut self, t: Table) {
        self.blocks.push(Block::Table(t));
    }

    /// Appends a figure.
    pub fn figure(&mut self, path: impl Into<String>, caption: impl Into<String>) {
        self.blocks.push(Block::Figure {
            path: path.into(),
            caption: caption.into(),
        });
    }

    /// Appends a code block.
    pub fn code(&mut self, lang: impl Into<String>, text: impl Into<String>) {
        self.blocks.push(Block::Code {
            lang: lang.into(),
            text: text.into(),
        });
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportMd {
    /// Title (level 1).
    pub title: String,
    /// Free text under the title (the scenario's description).
    pub description: String,
    /// The short answer: one bullet per finding, computed numbers only.
    pub answer: Vec<String>,
    /// Sections in order.
    pub sections: Vec<Section>,
}

impl ReportMd {
    /// The report as Markdown.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n", self.title);
        if !self.description.trim().is_empty() {
            let _ = writeln!(out, "{}\n", self.description.trim());
        }
        if !self.answer.is_empty() {
            out.push_str("## In short\n\n");
            for a in &self.answer {
                let _ = writeln!(out, "- {a}");
            }
            out.push('\n');
        }
        for s in &self.sections {
            let _ = writeln!(out, "## {}\n", s.title);
            for b in &s.blocks {
                match b {
                    Block::Text(t) => {
                        let _ = writeln!(out, "{}\n", t.trim_end());
                    }
                    Block::Table(t) => {
                        let _ = writeln!(out, "{}", t.render());
                    }
                    Block::Figure { path, caption } => {
                        let alt = caption.replace(['[', ']'], "");
                        let _ = writeln!(out, "![{alt}]({path})\n\n*{caption}*\n");
                    }
                    Block::Code { lang, text } => {
                        let fence = if text.contains("```") { "~~~~" } else { "```" };
                        let _ = writeln!(out, "{fence}{lang}\n{}\n{fence}\n", text.trim_end());
                    }
                }
            }
        }
        out
    }
}

/// A number with a fixed count of decimals, or `–` when absent or not finite.
pub fn num(v: Option<f64>, decimals: usize) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.decimals$}"),
        _ => "–".to_string(),
    }
}

/// A fraction as a percentage with one decimal (`–` when absent).
pub fn pct(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{:.1} %", 100.0 * x),
        _ => "–".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_render_with_escaped_pipes_and_padding() {
        let mut t = Table::new(["a", "b"]);
        t.row(["x|y", "1"]);
        t.row(["z"]);
        assert_eq!(
            t.render(),
            "| a | b |\n| :--- | ---: |\n| x\\|y | 1 |\n| z |  |\n"
        );
    }

    #[test]
    fn report_starts_with_the_answer() {
        let mut s = Section::new("S");
        s.figure("maps/a.png", "A map");
        let r = ReportMd {
            title: "T".into(),
            description: "D".into(),
            answer: vec!["one".into()],
            sections: vec![s],
        };
        let md = r.render();
        assert!(md.starts_with("# T\n\nD\n\n## In short\n\n- one\n"));
        assert!(md.contains("![A map](maps/a.png)"));
        assert_eq!(num(None, 2), "–");
        assert_eq!(pct(Some(0.1234)), "12.3 %");
    }
}
