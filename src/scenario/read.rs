//! Reading a scenario file into the raw layer ([`super::raw`]) with every problem serde
//! meets: unknown keys, wrong types, missing keys and values their type refuses
//! ([`super::types`]). Key paths come from `serde_path_to_error`, places from `toml`'s spans
//! in the parsed document; nothing is reconstructed from the text.

use std::borrow::Cow;
use std::ops::Range;

use serde_path_to_error::Segment;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::raw::{RawScenario, REFUSED};
use super::Problem;

/// The parsed document and what reading it into the raw layer gave.
pub(super) struct Reading<'i> {
    /// The document (with the edits that stepped over its problems; spans are the file's).
    pub doc: Spanned<DeTable<'i>>,
    /// The raw scenario, `None` when a problem could not be stepped over.
    pub raw: Option<RawScenario>,
    /// The problems met, each with its key path and place.
    pub problems: Vec<Problem>,
    /// Keys whose value was refused (or missing): problems under them are follow-ons.
    pub refused: Vec<String>,
}

/// Parses `text` (a syntax error is returned as is) and reads it, see [`step`].
pub(super) fn read(text: &str) -> Result<Reading<'_>, toml::de::Error> {
    let mut r = Reading {
        doc: DeTable::parse(text)?,
        raw: None,
        problems: Vec::new(),
        refused: Vec::new(),
    };
    // Each round edits the document: at most two rounds per key, so this ends.
    for _ in 0..4096 {
        match step(&mut r, text) {
            Ok(raw) => {
                r.raw = Some(raw);
                break;
            }
            Err(false) => break,
            Err(true) => {}
        }
    }
    Ok(r)
}

/// One reading of the document into the raw layer. A problem is recorded with its key path
/// and place, then the document is edited past it — an unknown key removed, a refused value
/// removed (an optional key) or replaced by [`REFUSED`] (a required key, a list entry), a
/// missing key given [`REFUSED`] — for the next reading: `Err(true)`; `Err(false)` when the
/// edit cannot step over it.
fn step(r: &mut Reading<'_>, text: &str) -> Result<RawScenario, bool> {
    let de = toml::Deserializer::from(r.doc.clone());
    let e = match serde_path_to_error::deserialize::<_, RawScenario>(de) {
        Ok(raw) => return Ok(raw),
        Err(e) => e,
    };
    let message = e.inner().message();
    let mut at: Vec<Segment> = e.path().iter().cloned().collect();
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next());
    if let Some(field) = missing {
        at.push(Segment::Map {
            key: field.to_string(),
        });
    }
    let key = key_of(&at);
    if r.refused.contains(&key) {
        // A refused required key is now missing: it stands in as `Refused`. Any other second
        // problem at the same key means the edit did not help.
        if missing.is_none() {
            return Err(false);
        }
    } else {
        // An unknown key is placed at itself, a missing one at its table (both from the
        // parser's span); a value where it is written.
        let at = match message.starts_with("unknown field") || missing.is_some() {
            true => e.inner().span().map(|s| line_col(text, s.start)),
            false => locate(text, r.doc.get_ref(), &key),
        };
        r.problems.push(Problem {
            key: key.clone(),
            message: explain(message),
            at,
        });
        r.refused.push(key);
    }
    let span = e.inner().span().unwrap_or(0..0);
    let remove = missing.is_none() && matches!(at.last(), Some(Segment::Map { .. }));
    Err(edit(r.doc.get_mut(), &at, remove, span))
}

/// `sites[0].lat_deg` from serde_path_to_error's segments.
fn key_of(path: &[Segment]) -> String {
    let mut key = String::new();
    for seg in path {
        match seg {
            Segment::Seq { index } => key.push_str(&format!("[{index}]")),
            Segment::Map { key: k } | Segment::Enum { variant: k } => {
                if !key.is_empty() {
                    key.push('.');
                }
                key.push_str(k);
            }
            Segment::Unknown => {}
        }
    }
    key
}

/// The value at `path` in the document.
fn slot<'a, 'i>(doc: &'a mut DeTable<'i>, path: &[Segment]) -> Option<&'a mut DeValue<'i>> {
    let (Segment::Map { key }, rest) = path.split_first()? else {
        return None;
    };
    let mut cur = doc.get_mut(key.as_str())?.get_mut();
    for seg in rest {
        cur = match (seg, cur) {
            (Segment::Map { key }, DeValue::Table(t)) => t.get_mut(key.as_str())?.get_mut(),
            (Segment::Seq { index }, DeValue::Array(a)) => a.get_mut(*index)?.get_mut(),
            _ => return None,
        };
    }
    Some(cur)
}

/// Removes the entry at `path` (`remove`) or puts [`REFUSED`] there (replacing a list entry,
/// or adding a key placed at `span`). False when the path is not in the document.
fn edit(doc: &mut DeTable<'_>, path: &[Segment], remove: bool, span: Range<usize>) -> bool {
    let refused = DeValue::String(Cow::Borrowed(REFUSED));
    match path.split_last() {
        Some((Segment::Seq { .. }, _)) => match slot(doc, path) {
            Some(v) => {
                *v = refused;
                true
            }
            None => false,
        },
        Some((Segment::Map { key }, parents)) => {
            let table = if parents.is_empty() {
                doc
            } else {
                match slot(doc, parents) {
                    Some(DeValue::Table(t)) => t,
                    _ => return false,
                }
            };
            if remove {
                table.remove(key.as_str()).is_some()
            } else {
                let key = Spanned::new(span.clone(), Cow::Owned(key.clone()));
                table.insert(key, Spanned::new(span, refused));
                true
            }
        }
        _ => false,
    }
}

/// Line and column of the value at key path `key` (`sites[0].lat_deg`), else of the deepest
/// part of the path that exists.
pub(super) fn locate(text: &str, doc: &DeTable<'_>, key: &str) -> Option<(usize, usize)> {
    let mut span = None;
    let mut cur: Option<&DeValue<'_>> = None;
    for part in key.split('.').filter(|p| !p.is_empty()) {
        let (name, indices) = part.split_once('[').unwrap_or((part, ""));
        let table = match cur {
            None => doc,
            Some(DeValue::Table(t)) => t,
            _ => break,
        };
        let Some((k, v)) = table.get_key_value(name) else {
            break;
        };
        span = Some(if v.span().is_empty() {
            k.span()
        } else {
            v.span()
        });
        cur = Some(v.get_ref());
        for i in indices
            .split('[')
            .filter_map(|i| i.trim_end_matches(']').parse().ok())
        {
            let Some(v) = cur
                .and_then(|c| c.as_array())
                .and_then(|a| a.get::<usize>(i))
            else {
                break;
            };
            span = Some(v.span());
            cur = Some(v.get_ref());
        }
    }
    span.map(|s| line_col(text, s.start))
}

/// Makes serde's wording point at the fix where it is terse.
fn explain(message: &str) -> String {
    let message = message.trim();
    if message.starts_with("unknown field") {
        return format!("{message} (unknown key: check its spelling and the section it is in)");
    }
    // serde names Rust types; say what to write in TOML instead.
    let mut m = message.to_string();
    for (rust, toml) in [
        ("expected f64", "expected a number"),
        ("expected i64", "expected an integer"),
        ("expected a boolean", "expected true or false"),
        ("expected a sequence", "expected an array [ … ]"),
    ] {
        m = m.replace(rust, toml);
    }
    if m.starts_with("data did not match any variant of untagged enum RawPaths") {
        return "invalid type: expected a path or a list of paths".to_string();
    }
    // "expected struct RawTime": the Rust name means nothing in the file.
    if let Some(i) = m.find("expected struct ") {
        m.replace_range(i.., "expected a table");
    }
    m
}

/// 1-based line and column (in characters) of byte offset `at`.
pub(super) fn line_col(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (line, before[line_start..].chars().count() + 1)
}
