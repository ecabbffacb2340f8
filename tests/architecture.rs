//! The layering of docs/design.md ("Shape"), enforced: every `crate::` path in a library file
//! under `src/` must point at a module on an earlier line of the design's list (or its own
//! line), and no library file may reach into the binary. The order is read from the document
//! itself, so the document and the code cannot drift apart silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Edges allowed against the order, each with its reason: (path prefix, target module).
const EXCEPTIONS: &[(&str, &str, &str)] = &[(
    "src/ephemeris/convert/",
    "orbit",
    "conversions from the `rinex`/`sp3` crates hand back the orbit sources built from them",
)];

/// Modules outside the order: they may name any module.
const UNORDERED: &[&str] = &["error", "prelude"];

/// Items of the crate root every module may use.
const ROOT_ITEMS: &[&str] = &["Result", "Error"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Module → line number of the numbered list in the "## Shape" section of docs/design.md.
fn layers() -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(root().join("docs/design.md")).unwrap();
    let shape = text
        .split("## Shape")
        .nth(1)
        .expect("docs/design.md has a \"## Shape\" section")
        .split("\n## ")
        .next()
        .unwrap();
    let mut out = BTreeMap::new();
    for line in shape.lines() {
        let Some((num, rest)) = line.split_once(". ") else {
            continue;
        };
        let Ok(rank) = num.trim().parse::<usize>() else {
            continue;
        };
        // The module names are the backticked words before the dash.
        let names = rest.split(" — ").next().unwrap();
        for name in names.split('`').skip(1).step_by(2) {
            out.insert(name.to_string(), rank);
        }
    }
    assert!(
        out.len() >= 10,
        "layer list not found in docs/design.md: {out:?}"
    );
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The text without `//` comments (doc links name modules without depending on them).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// Top-level modules (or root items) named by `crate::` paths, including `crate::{a, b::c}`.
fn targets(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        if i > 0 {
            let prev = code[..i].chars().next_back().unwrap();
            if prev.is_ascii_alphanumeric() || prev == '_' {
                continue; // `gnss_interop_crate::` and the like
            }
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: after `{` or a comma at depth 0.
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start && depth == 0 => {
                        out.push(ident_at(&group[j..]).to_string());
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(ident_at(rest).to_string());
        }
    }
    out
}

#[test]
fn imports_follow_the_documented_layers() {
    let layers = layers();
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    let mut used_exceptions = vec![false; EXCEPTIONS.len()];
    for file in &files {
        let rel = file
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel.starts_with("src/bin/") || rel == "src/lib.rs" {
            continue;
        }
        let module = rel
            .trim_start_matches("src/")
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let text = std::fs::read_to_string(file).unwrap();
        // Code of the binary could only come in through `#[path]` or `include!`.
        for line in code(&text).lines() {
            let pulls_in = line.contains("#[path") || line.contains("include!(");
            assert!(
                !(pulls_in && line.contains("bin/")),
                "{rel}: library code must not reach into the binary: {line}"
            );
        }
        if UNORDERED.contains(&module.as_str()) {
            continue;
        }
        let Some(&own) = layers.get(&module) else {
            violations.push(format!(
                "{rel}: module `{module}` is not in the layer list of docs/design.md"
            ));
            continue;
        };
        for target in targets(&code(&text)) {
            if target == module || ROOT_ITEMS.contains(&target.as_str()) {
                continue;
            }
            let Some(&rank) = layers.get(&target) else {
                violations.push(format!(
                    "{rel}: `crate::{target}` is neither a listed module nor a root item"
                ));
                continue;
            };
            if rank <= own {
                continue;
            }
            match EXCEPTIONS
                .iter()
                .position(|(prefix, t, _)| rel.starts_with(prefix) && *t == target)
            {
                Some(k) => used_exceptions[k] = true,
                None => violations.push(format!(
                    "{rel}: `{module}` (layer {own}) uses `{target}` (layer {rank}), which sits above it"
                )),
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    for (k, used) in used_exceptions.iter().enumerate() {
        assert!(
            used,
            "exception {:?} is no longer needed: remove it from the test and docs/design.md",
            EXCEPTIONS[k]
        );
    }
}

#[test]
fn the_parser_sees_grouped_and_nested_paths() {
    let t = targets("use crate::{time::{Scale, parse_epoch}, frames::Ecef};\nlet x = crate::orbit::f();\nuse crate::Result;");
    assert_eq!(t, ["time", "frames", "orbit", "Result"]);
}
