//! From text to a validated [`Scenario`]: TOML parsing with key-path and line/column error
//! messages, then every value and cross-field check, all problems collected.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use hifitime::Epoch;
#[cfg(test)]
use hifitime::TimeScale;

use super::config::*;
use super::raw::*;
use super::{KnownCatalogs, Problem, ScenarioError, DATA_DIR_VAR};
use crate::id::Constellation;
use crate::time::{Scale, TimeError};

use crate::limits::{binomial, brief};
pub use crate::limits::{MAX_EPOCHS, MAX_GRID_POINTS};
/// Plausible ellipsoidal heights of a point on or near the ground, metres: the geoid lies
/// within about ±110 m of the ellipsoid and the highest summit is at 8,849 m, so a value
/// outside this range is a unit mistake (feet, kilometres) or a typo.
const GROUND_HEIGHT_RANGE_M: (f64, f64) = (-500.0, 9_000.0);
/// Users may be airborne; anything above this is no longer a "user on or near the Earth".
const USER_HEIGHT_RANGE_M: (f64, f64) = (-500.0, 100_000.0);

pub(crate) fn load(
    text: &str,
    base_dir: &Path,
    path: &Path,
    catalogs: &KnownCatalogs,
) -> Result<Scenario, ScenarioError> {
    let (raw, mut parse_problems) = parse_collecting(text, path);
    let Some(raw) = raw else {
        return Err(single_or_all(path, parse_problems, true));
    };
    let mut v = Validator {
        base_dir,
        catalogs,
        problems: Vec::new(),
        refused_sites: HashSet::new(),
    };
    let scenario = v.scenario(raw);
    // A key refused by the parser carries a placeholder: its value problems are follow-ons.
    let refused: Vec<String> = parse_problems.iter().map(|p| p.key.clone()).collect();
    let n_parse = parse_problems.len();
    let doc = toml::de::DeTable::parse(text).ok();
    // Compared without array indices: the parser's keys for inline tables have none.
    let unindexed = |k: &str| -> String {
        let mut out = String::new();
        let mut depth = 0;
        for c in k.chars() {
            match c {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    };
    let refused: Vec<String> = refused.iter().map(|k| unindexed(k)).collect();
    for mut p in v.problems {
        let pk = unindexed(&p.key);
        if refused
            .iter()
            .any(|k| !k.is_empty() && (pk == *k || pk.starts_with(&format!("{k}."))))
        {
            continue;
        }
        if p.at.is_none() {
            p.at = doc.as_ref().and_then(|d| locate(text, d.get_ref(), &p.key));
        }
        parse_problems.push(p);
    }
    if parse_problems.is_empty() {
        Ok(scenario)
    } else {
        // In file order; problems without a place (the file as a whole) last.
        parse_problems.sort_by_key(|p| p.at.unwrap_or((usize::MAX, 0)));
        let parse_only = parse_problems.len() == n_parse;
        Err(single_or_all(path, parse_problems, parse_only))
    }
}

/// One parse problem alone (`parse_only`) keeps the form of a parse error; anything more is
/// the list.
fn single_or_all(path: &Path, mut problems: Vec<Problem>, parse_only: bool) -> ScenarioError {
    if parse_only && problems.len() == 1 {
        let p = problems.remove(0);
        let (line, column) = p.at.unwrap_or((0, 0));
        return ScenarioError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            key: (!p.key.is_empty()).then_some(p.key),
            message: p.message,
        };
    }
    ScenarioError::Invalid {
        path: path.to_path_buf(),
        problems,
    }
}

/// Parse the file, collecting every unknown key and wrong type: each typed error is
/// recorded (line, column, key), its entry blanked (unknown key) or its value replaced by a
/// placeholder of the expected type (wrong type), and the text parsed again. Syntax errors
/// and missing keys stop the collection.
fn parse_collecting(text: &str, path: &Path) -> (Option<RawScenario>, Vec<Problem>) {
    let mut t = text.to_string();
    let mut problems = Vec::new();
    // Start offsets of the lines added with placeholders for missing keys: errors on them are
    // not reported, and lines below them are counted back to the original file.
    let mut inserted: Vec<usize> = Vec::new();
    for _ in 0..64 {
        match toml::from_str::<RawScenario>(&t) {
            Ok(raw) => return (Some(raw), problems),
            Err(e) => {
                if let ScenarioError::Parse {
                    line,
                    column,
                    key,
                    message,
                    ..
                } = parse_error(&t, path, &e)
                {
                    let pos = floor_char_boundary(&t, e.span().map_or(0, |s| s.start).min(t.len()));
                    let line_start = t[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0);
                    if !inserted.contains(&line_start) {
                        let shift = inserted.iter().filter(|&&o| o < line_start).count();
                        let p = Problem {
                            key: key.unwrap_or_default(),
                            message,
                            at: Some((line.saturating_sub(shift).max(1), column)),
                        };
                        if problems.contains(&p) {
                            // The repair did not help: stop rather than loop.
                            return (None, problems);
                        }
                        problems.push(p);
                    }
                }
                let Some(span) = e.span() else {
                    return (None, problems);
                };
                let before = t.len();
                let text_before = t.clone();
                let repaired = if e.message().starts_with("missing field") {
                    insert_missing(&mut t, span.clone(), e.message(), &mut inserted)
                } else {
                    let ok = repair(&mut t, span.clone(), e.message());
                    let delta = t.len() as isize - before as isize;
                    if delta != 0 {
                        for o in inserted.iter_mut().filter(|o| **o > span.start) {
                            *o = (*o as isize + delta) as usize;
                        }
                    }
                    ok
                };
                if !repaired || t == text_before {
                    return (None, problems);
                }
            }
        }
    }
    (None, problems)
}

/// Add a line `FIELD = 0` for the missing key of a "missing field" error whose span is the
/// enclosing table: at the end of an inline table, under a `[header]`, or first in the
/// document. Records the start of the added line.
fn insert_missing(
    t: &mut String,
    span: std::ops::Range<usize>,
    message: &str,
    inserted: &mut Vec<usize>,
) -> bool {
    let Some(field) = missing_field(message) else {
        return false;
    };
    let start = floor_char_boundary(t, span.start.min(t.len()));
    let line_start = t[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = t[start..].find('\n').map(|i| start + i).unwrap_or(t.len());
    let (pos, text, added_line_start) = if t[start..].starts_with('{') {
        // The matching closing brace.
        let bytes = t.as_bytes();
        let close = scan_unquoted(bytes, start, |c, depth| {
            matches!(c, b']' | b'}') && depth == 1
        });
        let Some(close) = close else {
            return false;
        };
        let last = bytes[..close]
            .iter()
            .rposition(|c| !c.is_ascii_whitespace())
            .map(|p| bytes[p]);
        let comma = if matches!(last, Some(b',') | Some(b'{')) {
            ""
        } else {
            ","
        };
        let text = format!("{comma}\n{field} = 0\n");
        let added = close + comma.len() + 1;
        (close, text, added)
    } else if start > 0 && header_of(&t[line_start..line_end]).is_some() {
        (line_end, format!("\n{field} = 0"), line_end + 1)
    } else if start == 0 {
        (0, format!("{field} = 0\n"), 0)
    } else {
        return false;
    };
    for o in inserted.iter_mut().filter(|o| **o >= pos) {
        *o += text.len();
    }
    t.insert_str(pos, &text);
    inserted.push(added_line_start);
    true
}

/// The first position from `from` where `stop(byte, depth)` holds for a byte outside quoted
/// strings, `depth` being the bracket/brace nesting before that byte (TOML basic strings
/// honour `\"` escapes, literal strings none).
fn scan_unquoted(bytes: &[u8], from: usize, stop: impl Fn(u8, i32) -> bool) -> Option<usize> {
    let (mut depth, mut quote, mut i) = (0i32, None::<u8>, from);
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if stop(c, depth) {
                    return Some(i);
                }
                match c {
                    b'"' | b'\'' => quote = Some(c),
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => depth -= 1,
                    _ => {}
                }
            }
        }
        i += 1;
    }
    None
}

/// Blank `t[a..b]` keeping newlines (so that lines and columns stay where they were).
fn blank(t: &mut String, a: usize, b: usize) {
    let b = b.min(t.len());
    let a = floor_char_boundary(t, a.min(b));
    let b = floor_char_boundary(t, b);
    let s: String = t[a..b]
        .chars()
        .map(|c| if c == '\n' { '\n' } else { ' ' })
        .collect();
    t.replace_range(a..b, &s);
}

/// Make the parser step over the error at `span`; false when it cannot.
fn repair(t: &mut String, span: std::ops::Range<usize>, message: &str) -> bool {
    let start = floor_char_boundary(t, span.start.min(t.len()));
    let line_start = t[..start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = t[start..].find('\n').map(|i| start + i).unwrap_or(t.len());
    if message.starts_with("unknown field") {
        if header_of(&t[line_start..line_end]).is_some() {
            // A whole unknown section: up to the next header.
            let mut end = t.len();
            let mut pos = line_end;
            while pos < t.len() {
                let next = t[pos + 1..]
                    .find('\n')
                    .map(|i| pos + 1 + i)
                    .unwrap_or(t.len());
                if header_of(&t[(pos + 1).min(t.len())..next]).is_some() {
                    end = pos + 1;
                    break;
                }
                pos = next;
            }
            blank(t, line_start, end);
            return true;
        }
        // `key = value`: to the end of the value (brackets and strings balanced).
        let Some(eq) = t[start..].find('=').map(|i| start + i) else {
            return false;
        };
        let bytes = t.as_bytes();
        let i = scan_unquoted(bytes, eq + 1, |c, depth| {
            depth == 0 && matches!(c, b',' | b'}' | b']' | b'\n' | b'#')
        })
        .unwrap_or(bytes.len());
        let mut end = i;
        let bytes = t.as_bytes();
        if end < bytes.len() && bytes[end] == b',' {
            end += 1;
        } else {
            let next = bytes[end..]
                .iter()
                .find(|c| !c.is_ascii_whitespace() || **c == b'\n');
            if matches!(next, Some(b'}') | Some(b']')) {
                if let Some(p) = bytes[..start]
                    .iter()
                    .rposition(|c| !c.is_ascii_whitespace())
                {
                    if bytes[p] == b',' {
                        blank(t, p, p + 1);
                    }
                }
            }
        }
        blank(t, start, end);
        return true;
    }
    let placeholder = if message.starts_with("unknown variant") {
        message
            .split("expected")
            .nth(1)
            .and_then(|r| r.split('`').nth(1))
            .map(|v| format!("\"{v}\""))
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        let exp = message.split("expected").nth(1).unwrap_or("");
        if exp.contains("f64")
            || exp.contains("i64")
            || exp.contains("u64")
            || exp.contains("u32")
            || exp.contains("u16")
            || exp.contains("usize")
            || exp.contains("number")
            || exp.contains("integer")
        {
            Some("0".to_string())
        } else if exp.contains("date-time") {
            Some("\"2000-01-01\"".to_string())
        } else if exp.contains("string") {
            Some("\"\"".to_string())
        } else if exp.contains("boolean") {
            Some("false".to_string())
        } else if exp.contains("sequence") {
            Some("[]".to_string())
        } else if exp.contains("struct") || exp.contains("map") {
            Some("{}".to_string())
        } else {
            None
        }
    } else {
        None
    };
    let Some(placeholder) = placeholder else {
        return false;
    };
    let end = floor_char_boundary(t, span.end.min(t.len()));
    if end <= start || header_of(&t[line_start..line_end]).is_some() {
        return false;
    }
    let old = &t[start..end];
    let mut new = placeholder;
    let n_old = old.chars().count();
    if n_old > new.chars().count() {
        let pad = n_old - new.chars().count();
        new.extend(std::iter::repeat_n(' ', pad));
    }
    // Keep the newlines of a multi-line value so that later lines do not move.
    new.extend(std::iter::repeat_n('\n', old.matches('\n').count()));
    t.replace_range(start..end, &new);
    true
}

/// Line and column of the value at key path `key` (`sites[0].lat_deg`) in the parsed
/// document; the deepest part of the path that exists when the rest does not.
fn locate(text: &str, doc: &toml::de::DeTable<'_>, key: &str) -> Option<(usize, usize)> {
    use toml::de::DeValue;
    let mut span: Option<std::ops::Range<usize>> = None;
    let mut table = Some(doc);
    let mut value: Option<&DeValue<'_>> = None;
    for seg in key.split('.') {
        let (name, rest) = seg.split_once('[').unwrap_or((seg, ""));
        let indices: Vec<usize> = rest
            .split('[')
            .filter_map(|r| r.trim_end_matches(']').parse().ok())
            .collect();
        let t = match (table, value) {
            (Some(t), _) => t,
            (None, Some(DeValue::Table(t))) => t,
            _ => break,
        };
        let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == name) else {
            break;
        };
        span = Some(k.span());
        let mut cur = v;
        span = Some(cur.span()).filter(|s| !s.is_empty()).or(span);
        for i in indices {
            match cur.get_ref() {
                DeValue::Array(a) if i < a.len() => {
                    cur = &a[i];
                    span = Some(cur.span()).filter(|s| !s.is_empty()).or(span);
                }
                _ => break,
            }
        }
        table = None;
        value = Some(cur.get_ref());
    }
    span.map(|s| line_col(text, s.start))
}

// ---------------------------------------------------------------------------------------
// Parse errors: line/column from the byte span, key path from the text around it.
// ---------------------------------------------------------------------------------------

fn parse_error(text: &str, path: &Path, e: &toml::de::Error) -> ScenarioError {
    let (line, column, key) = match e.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let (l, c) = line_col(text, start);
            let message = e.message();
            // Only errors from the typed layer concern a key; syntax errors do not.
            let typed = [
                "unknown field",
                "invalid type",
                "invalid value",
                "invalid length",
                "unknown variant",
                "missing field",
            ]
            .iter()
            .any(|p| message.starts_with(p));
            let key = if let Some(field) = missing_field(message) {
                // The span is the enclosing table: name the table and the missing key.
                let table = table_at(text, start);
                Some(join(&table, &field))
            } else if typed {
                key_at(text, start)
            } else {
                None
            };
            (l, c, key)
        }
        None => (0, 0, None),
    };
    let message = e.message().trim().to_string();
    ScenarioError::Parse {
        path: path.to_path_buf(),
        line,
        column,
        key,
        message: explain(&message),
    }
}

/// The key of serde's "missing field `x`" message.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_string())
}

/// Path of the table a span starting at `at` opens or lies in (`""` for the root table):
/// the header on that line, else the key of the inline table the span starts.
fn table_at(text: &str, at: usize) -> String {
    if floor_char_boundary(text, at) == 0 {
        return String::new();
    }
    key_at(text, at).unwrap_or_default()
}

/// Makes serde's wording point at the fix where it is terse.
fn explain(message: &str) -> String {
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
        ("expected struct ", "expected a table of "),
    ] {
        m = m.replace(rust, toml);
    }
    m
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..floor_char_boundary(text, at)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn is_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// A table header line (`[time]`, `[[sites]]`, `[error_model.sigma0_m]`): its path and
/// whether it is an array-of-tables header. Lines of a multi-line array such as `[0, 10],`
/// are not headers because a header name starts with a letter.
fn header_of(line: &str) -> Option<(String, bool)> {
    let t = line.split('#').next().unwrap_or("").trim();
    let (inner, array) = if let Some(r) = t.strip_prefix("[[") {
        (r.strip_suffix("]]")?, true)
    } else {
        (t.strip_prefix('[')?.strip_suffix(']')?, false)
    };
    let name: String = inner
        .split('.')
        .map(|p| p.trim().trim_matches('"'))
        .collect::<Vec<_>>()
        .join(".");
    let first = name.chars().next()?;
    if first.is_ascii_alphabetic() && name.chars().all(|c| is_key_char(c) || c == '.') {
        Some((name, array))
    } else {
        None
    }
}

/// The key a key/value line assigns (`mask_deg = 5` → `mask_deg`).
fn assigned_key(line: &str) -> Option<String> {
    let t = line.trim_start();
    let end = t.find('=')?;
    let k = t[..end].trim().trim_matches('"');
    if !k.is_empty() && k.chars().all(|c| is_key_char(c) || c == '.') {
        Some(k.to_string())
    } else {
        None
    }
}

/// Best-effort key path of the text at byte offset `at`: the enclosing table header (with
/// the index of an array-of-tables entry), the key assigned on that line (or the nearest
/// one above, for multi-line arrays), and the key inside an inline table.
fn key_at(text: &str, at: usize) -> Option<String> {
    let at = floor_char_boundary(text, at);
    let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[at..].find('\n').map(|i| at + i).unwrap_or(text.len());
    let line = &text[line_start..line_end];
    let col = at - line_start;

    // Enclosing table, counting array-of-tables entries.
    let mut table: Option<String> = None;
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut last_key_above: Option<String> = None;
    for l in text[..line_start].lines() {
        if let Some((name, array)) = header_of(l) {
            last_key_above = None;
            if array {
                let i = match counts.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, c)) => {
                        *c += 1;
                        *c
                    }
                    None => {
                        counts.push((name.clone(), 0));
                        0
                    }
                };
                table = Some(format!("{name}[{i}]"));
            } else {
                table = Some(name);
            }
        } else if let Some(k) = assigned_key(l) {
            last_key_above = Some(k);
        }
    }
    if let Some((name, array)) = header_of(line) {
        // The span is the header itself (e.g. a missing key in this table).
        if array {
            let i = counts
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, c)| c + 1)
                .unwrap_or(0);
            return Some(format!("{name}[{i}]"));
        }
        return Some(name);
    }

    let mut parts: Vec<String> = table.into_iter().collect();
    let line_key = assigned_key(line);
    // Key named at the span itself (an unknown field points at its key).
    let here: String = line[col..]
        .chars()
        .take_while(|&c| is_key_char(c))
        .collect();
    let after_here = line[col + here.len()..].trim_start();
    let inner = if !here.is_empty() && after_here.starts_with('=') {
        Some(here)
    } else {
        // The value of `key = ` just before the span, inside an inline table or on the line.
        let before = line[..col].trim_end();
        before.strip_suffix('=').and_then(|b| {
            let b = b.trim_end();
            let k: String = b
                .chars()
                .rev()
                .take_while(|&c| is_key_char(c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            (!k.is_empty()).then_some(k)
        })
    };
    match (&line_key, &inner) {
        (Some(lk), Some(ik)) if lk != ik => {
            parts.push(lk.clone());
            parts.push(ik.clone());
        }
        (Some(lk), _) => parts.push(lk.clone()),
        (None, Some(ik)) => {
            // A line of a multi-line array of inline tables: the array's key is above.
            parts.extend(last_key_above);
            parts.push(ik.clone());
        }
        (None, None) => {
            if let Some(k) = last_key_above {
                parts.push(k);
            }
        }
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("."))
    }
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// A date of the file: [`crate::time::parse_epoch`] with UTC as the default scale, its error
/// worded for the scenario's problem list.
pub(crate) fn parse_epoch(text: &str) -> Result<(Epoch, Scale), String> {
    crate::time::parse_epoch(text, Scale::Utc).map_err(|e| match e {
        TimeError::UnknownScale { .. } | TimeError::ZoneWithScale { .. } => e.to_string(),
        _ => format!(
            "\"{text}\" is not a date-time ({e}); expected a date-time such as \"2023-01-01T00:00:00 UTC\" (scale UTC, GPST, BDT, TAI or GLONASST; default UTC)"
        ),
    })
}

// ---------------------------------------------------------------------------------------
// The validator
// ---------------------------------------------------------------------------------------

struct Validator<'a> {
    base_dir: &'a Path,
    catalogs: &'a KnownCatalogs,
    problems: Vec<Problem>,
    /// Names of sites refused for their own problems: a reference to one is not reported
    /// again (no follow-on errors from one bad entry).
    refused_sites: HashSet<String>,
}

fn join(key: &str, sub: &str) -> String {
    if key.is_empty() {
        sub.to_string()
    } else {
        format!("{key}.{sub}")
    }
}

fn sys_list(systems: &[Constellation]) -> String {
    systems
        .iter()
        .map(|c| format!("\"{}\"", c.letter()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Validator<'_> {
    fn bad(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            key: key.into(),
            message: message.into(),
            at: None,
        });
    }

    /// A finite number within `[lo, hi]` (or `[lo, hi)` when `hi_open`).
    fn range(&mut self, key: &str, v: f64, lo: f64, hi: f64, hi_open: bool, what: &str) -> bool {
        let ok = v.is_finite() && v >= lo && if hi_open { v < hi } else { v <= hi };
        if !ok {
            let close = if hi_open { ")" } else { "]" };
            self.bad(
                key,
                format!(
                    "{} is out of range; expected {what} in [{lo}, {hi}{close}",
                    brief(v)
                ),
            );
        }
        ok
    }

    fn positive(&mut self, key: &str, v: f64, what: &str) -> bool {
        let ok = v.is_finite() && v > 0.0;
        if !ok {
            self.bad(
                key,
                format!("{} is not allowed; expected {what} > 0", brief(v)),
            );
        }
        ok
    }

    fn time(&mut self, key: &str, t: &TimeText) -> Option<Epoch> {
        self.time_scaled(key, t).map(|(e, _)| e)
    }

    fn time_scaled(&mut self, key: &str, t: &TimeText) -> Option<(Epoch, Scale)> {
        match parse_epoch(&t.0) {
            Ok(pair) => Some(pair),
            Err(m) => {
                self.bad(key, m);
                None
            }
        }
    }

    /// Resolves a path of the file: `${GNSS_INTEROP_DATA}/…` from the environment (else
    /// `../shared/data` relative to the current directory), relative paths against the
    /// scenario's directory. The file must exist.
    /// The path `raw` names (see [`Self::file`]) and whether it came through the data variable.
    fn resolve(&mut self, key: &str, raw: &str) -> Option<(PathBuf, bool)> {
        let raw_t = raw.trim();
        if raw_t.is_empty() {
            self.bad(key, "empty path; expected the path of a file");
            return None;
        }
        let (resolved, via_data) = if let Some(rest) = raw_t.strip_prefix("${") {
            let Some((var, tail)) = rest.split_once('}') else {
                self.bad(key, format!("\"{raw}\": unclosed ${{…}}"));
                return None;
            };
            if var != DATA_DIR_VAR {
                self.bad(
                    key,
                    format!("\"{raw}\": unknown variable ${{{var}}}; only ${{{DATA_DIR_VAR}}} is expanded"),
                );
                return None;
            }
            let dir = std::env::var_os(DATA_DIR_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("../shared/data"));
            (dir.join(tail.trim_start_matches(['/', '\\'])), true)
        } else {
            let p = PathBuf::from(raw_t);
            if p.is_absolute() {
                (p, false)
            } else {
                (self.base_dir.join(p), false)
            }
        };
        Some((resolved, via_data))
    }

    /// Resolves a path (as [`Self::resolve`]); the file must exist.
    fn file(&mut self, key: &str, raw: &str) -> Option<PathBuf> {
        let (resolved, via_data) = self.resolve(key, raw)?;
        if resolved.is_file() {
            Some(resolved)
        } else {
            let hint = if via_data {
                format!(" (set {DATA_DIR_VAR} to the directory of the public data)")
            } else {
                String::new()
            };
            let what = if resolved.exists() {
                "is not a file"
            } else {
                "not found"
            };
            self.bad(
                key,
                format!("file {what}: {} (from \"{raw}\"){hint}", resolved.display()),
            );
            None
        }
    }

    /// A list of files (one string or a list): each entry a file, a directory or a file-name
    /// pattern (`*`, `?`), resolved as [`Self::file`] and expanded by
    /// [`crate::ephemeris::expand_file_list`]; at least one file in all. Keys `key[i]` for a list.
    fn files(&mut self, key: &str, raw: &RawPaths) -> Option<Vec<PathBuf>> {
        let items = raw.items();
        if items.is_empty() {
            self.bad(key, "empty list; expected at least one file");
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let k = match raw {
                RawPaths::One(_) => key.to_string(),
                RawPaths::Many(_) => format!("{key}[{i}]"),
            };
            let t = item.trim();
            let pattern = Path::new(t)
                .file_name()
                .is_some_and(|n| n.to_string_lossy().contains(['*', '?']));
            let Some((resolved, _)) = (if pattern || t.is_empty() {
                self.resolve(&k, item)
            } else {
                self.file_or_dir(&k, item)
            }) else {
                ok = false;
                continue;
            };
            match crate::ephemeris::expand_file_list(&[&resolved]) {
                Ok(files) => out.extend(
                    files
                        .into_iter()
                        .filter(|f| !out.contains(f))
                        .collect::<Vec<_>>(),
                ),
                Err(e) => {
                    self.bad(&k, format!("{e} (from \"{item}\")"));
                    ok = false;
                }
            }
        }
        (ok && !out.is_empty()).then_some(out)
    }

    /// A path that must be an existing file or directory.
    fn file_or_dir(&mut self, key: &str, raw: &str) -> Option<(PathBuf, bool)> {
        let (resolved, via_data) = self.resolve(key, raw)?;
        if resolved.is_dir() {
            return Some((resolved, via_data));
        }
        self.file(key, raw).map(|p| (p, via_data))
    }

    /// A non-empty subset of BeiDou and GLONASS, no repeats.
    fn systems(&mut self, key: &str, list: &[String]) -> Vec<Constellation> {
        if list.is_empty() {
            self.bad(
                key,
                "empty list; expected at least one of \"C\" (BeiDou) and \"R\" (GLONASS)",
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, s) in list.iter().enumerate() {
            let k = format!("{key}[{i}]");
            match s.parse::<Constellation>() {
                Ok(c @ (Constellation::BeiDou | Constellation::Glonass)) => {
                    if out.contains(&c) {
                        self.bad(k, format!("\"{s}\" is listed twice"));
                    } else {
                        out.push(c);
                    }
                }
                Ok(c) => self.bad(
                    k,
                    format!("{c} (\"{s}\") is not studied here; expected \"C\" (BeiDou) or \"R\" (GLONASS)"),
                ),
                Err(_) => self.bad(
                    k,
                    format!("unknown system \"{s}\"; expected \"C\" (BeiDou) or \"R\" (GLONASS)"),
                ),
            }
        }
        out
    }

    fn lat_lon(&mut self, key: &str, lat: f64, lon: f64) -> bool {
        let a = self.range(
            &join(key, "lat_deg"),
            lat,
            -90.0,
            90.0,
            false,
            "a latitude (degrees)",
        );
        let b = self.range(
            &join(key, "lon_deg"),
            lon,
            -180.0,
            360.0,
            false,
            "a longitude (degrees)",
        );
        a && b
    }

    fn region(&mut self, key: &str, r: &[f64]) -> Option<Region> {
        let [lat_min, lat_max, lon_min, lon_max] = r else {
            self.bad(
                key,
                format!(
                    "{} values; expected 4: [lat_min, lat_max, lon_min, lon_max] in degrees",
                    r.len()
                ),
            );
            return None;
        };
        let (lat_min, lat_max, lon_min, lon_max) = (*lat_min, *lat_max, *lon_min, *lon_max);
        let mut ok = true;
        for (v, what, lo, hi) in [
            (lat_min, "lat_min", -90.0, 90.0),
            (lat_max, "lat_max", -90.0, 90.0),
            (lon_min, "lon_min", -180.0, 360.0),
            (lon_max, "lon_max", -180.0, 360.0),
        ] {
            if !(v.is_finite() && v >= lo && v <= hi) {
                self.bad(
                    key,
                    format!(
                        "{what} = {} is out of range; expected {what} in [{lo}, {hi}] degrees",
                        brief(v)
                    ),
                );
                ok = false;
            }
        }
        if ok && lat_min >= lat_max {
            self.bad(
                key,
                format!("lat_min {lat_min} must be less than lat_max {lat_max}"),
            );
            ok = false;
        }
        let region = Region {
            lat_min_deg: lat_min,
            lat_max_deg: lat_max,
            lon_min_deg: lon_min,
            lon_max_deg: lon_max,
        };
        // The box runs east from lon_min to lon_max (lon_max < lon_min or > 180 crosses 180°).
        if ok && lon_min == lon_max {
            self.bad(
                key,
                format!("lon_min and lon_max are both {lon_min}: an empty box; the box runs east from lon_min to lon_max (lon_max < lon_min crosses 180°)"),
            );
            ok = false;
        }
        if ok && lon_max - lon_min > 360.0 {
            self.bad(
                key,
                format!("the longitude extent {} exceeds 360°", lon_max - lon_min),
            );
            ok = false;
        }
        ok.then_some(region)
    }

    fn network_refs(&mut self, key: &str, list: &[String]) -> Vec<NetworkRef> {
        let mut out = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let k = format!("{key}[{i}]");
            let e = entry.trim();
            let is_file =
                e.ends_with(".toml") || e.contains('/') || e.contains('\\') || e.starts_with("${");
            let r = if is_file {
                self.file(&k, e).map(NetworkRef::File)
            } else if self.catalogs.contains(e) {
                Some(NetworkRef::Catalog(e.to_string()))
            } else {
                let names = self.catalogs.catalog_names();
                let near = names
                    .iter()
                    .min_by_key(|n| edit_distance(n, e))
                    .filter(|n| edit_distance(n, e) <= 3);
                let hint = near
                    .map(|n| format!(" (did you mean \"{n}\"?)"))
                    .unwrap_or_default();
                self.bad(
                    &k,
                    format!(
                        "unknown network catalog \"{e}\"{hint}; expected one of {} or the path of a network .toml file",
                        names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
                    ),
                );
                None
            };
            if let Some(r) = r {
                if out.contains(&r) {
                    self.bad(&k, format!("\"{e}\" is listed twice"));
                } else {
                    out.push(r);
                }
            }
        }
        out
    }

    /// Station ids of a network reference: `Some` when known (declared catalog, or a file
    /// the caller can read), `None` when validation cannot know them.
    fn ref_ids(&mut self, key: &str, r: &NetworkRef) -> Option<Vec<String>> {
        match r {
            NetworkRef::Catalog(name) => self.catalogs.station_ids(name).map(<[String]>::to_vec),
            NetworkRef::File(p) => match self.catalogs.read_file(p)? {
                Ok(ids) => Some(ids),
                Err(m) => {
                    self.bad(key, format!("{}: {m}", p.display()));
                    None
                }
            },
        }
    }

    fn candidates_csv(
        &mut self,
        key: &str,
        path: &Path,
        countries: Option<&[String]>,
    ) -> Option<Vec<CandidateSite>> {
        let mut rdr = match csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_path(path)
        {
            Ok(r) => r,
            Err(e) => {
                self.bad(key, format!("{}: {e}", path.display()));
                return None;
            }
        };
        let headers = match rdr.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                self.bad(key, format!("{}: {e}", path.display()));
                return None;
            }
        };
        let col = |name: &str| headers.iter().position(|h| h == name);
        let (Some(c_id), Some(c_lat), Some(c_lon)) = (col("id"), col("lat_deg"), col("lon_deg"))
        else {
            self.bad(
                key,
                format!(
                    "{}: expected columns id, lat_deg, lon_deg (and optionally name, country, height_m); found {}",
                    path.display(),
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
            );
            return None;
        };
        let (c_name, c_country, c_h) = (col("name"), col("country"), col("height_m"));
        if countries.is_some() && c_country.is_none() {
            self.bad(
                join(key.trim_end_matches(".candidates"), "countries"),
                format!("{} has no country column to filter on", path.display()),
            );
            return None;
        }
        let mut sites = Vec::new();
        let mut seen = HashSet::new();
        let mut ok = true;
        for (row, rec) in rdr.records().enumerate() {
            let line = row + 2; // header is line 1
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    self.bad(key, format!("{} line {line}: {e}", path.display()));
                    ok = false;
                    continue;
                }
            };
            let get = |c: usize| rec.get(c).unwrap_or("");
            let id = get(c_id).to_string();
            let num = |c: usize| get(c).parse::<f64>().ok().filter(|v| v.is_finite());
            let (lat, lon) = (num(c_lat), num(c_lon));
            let h = match c_h {
                Some(c) if !get(c).is_empty() => num(c),
                _ => Some(0.0),
            };
            let (Some(lat), Some(lon), Some(h)) = (lat, lon, h) else {
                self.bad(
                    key,
                    format!(
                        "{} line {line}: lat_deg, lon_deg and height_m must be numbers",
                        path.display()
                    ),
                );
                ok = false;
                continue;
            };
            if id.is_empty() || !(-90.0..=90.0).contains(&lat) || !(-180.0..=360.0).contains(&lon) {
                self.bad(
                    key,
                    format!("{} line {line}: expected a non-empty id, lat_deg in [-90, 90], lon_deg in [-180, 360]", path.display()),
                );
                ok = false;
                continue;
            }
            if !seen.insert(id.clone()) {
                self.bad(
                    key,
                    format!("{} line {line}: duplicate id \"{id}\"", path.display()),
                );
                ok = false;
                continue;
            }
            let country = c_country.map(|c| get(c).to_string()).unwrap_or_default();
            if let Some(cs) = countries {
                if !cs.iter().any(|c| c.eq_ignore_ascii_case(&country)) {
                    continue;
                }
            }
            sites.push(CandidateSite {
                name: c_name
                    .map(|c| get(c).to_string())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| id.clone()),
                id,
                country,
                lat_deg: lat,
                lon_deg: lon,
                height_m: h,
            });
        }
        ok.then_some(sites)
    }

    fn scenario(&mut self, raw: RawScenario) -> Scenario {
        // name
        let name_ok = !raw.name.is_empty()
            && raw.name.len() <= 64
            && raw
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if !name_ok {
            self.bad(
                "name",
                format!(
                    "\"{}\" is not a valid name; expected 1–64 characters from a–z, 0–9, '_' and '-' (it names the output directory)",
                    raw.name
                ),
            );
        }

        let time = raw.time.as_ref().and_then(|t| self.time_section(t));
        let orbits = raw
            .orbits
            .as_ref()
            .and_then(|o| self.orbits_section(o, time.as_ref()));
        let systems: Vec<Constellation> = orbits
            .as_ref()
            .map(|o| o.systems.clone())
            .unwrap_or_default();

        let user = self.user_section(raw.user.as_ref(), &systems);

        let grid = raw.grid.as_ref().and_then(|g| self.grid_section(g));
        let sites = self.sites_section(raw.sites.as_deref().unwrap_or(&[]));
        let has_coverage = raw.grid.is_some() || raw.sites.as_ref().is_some_and(|s| !s.is_empty());
        if has_coverage && (raw.orbits.is_none() || raw.time.is_none()) {
            let key = if raw.grid.is_some() { "grid" } else { "sites" };
            self.bad(
                key,
                "coverage needs [orbits] (where the satellites are) and [time] (when); add both sections",
            );
        }

        let networks = raw
            .networks
            .as_ref()
            .and_then(|n| self.networks_section(n, &systems));
        if raw.networks.is_some() && (raw.orbits.is_none() || raw.time.is_none()) {
            self.bad(
                "networks",
                "monitoring networks need [orbits] and [time] (a span over which stations track satellites); add both sections",
            );
        }

        let error_model = raw
            .error_model
            .as_ref()
            .map(|e| self.error_model_section(e))
            .unwrap_or_default();
        if raw.error_model.is_some() && raw.networks.is_none() {
            self.bad(
                "error_model",
                "the range-error model is used with [networks] only; add [networks] or remove [error_model]",
            );
        }

        let layout_search = raw
            .layout_search
            .as_ref()
            .and_then(|l| self.layout_section(l, &systems));
        if raw.layout_search.is_some() && raw.networks.is_none() {
            self.bad(
                "layout_search",
                "a layout search adds stations to a base network; add [networks] with a baseline",
            );
        }

        let timescales = raw.timescales.as_ref().and_then(|t| {
            let nav = self.files("timescales.nav", &t.nav);
            let mut epochs = Vec::new();
            match &t.epochs {
                Some(list) if list.is_empty() => self.bad(
                    "timescales.epochs",
                    "empty list; give at least one date-time, or remove the key to use [time]",
                ),
                Some(list) => {
                    for (i, e) in list.iter().enumerate() {
                        if let Some(e) = self.time(&format!("timescales.epochs[{i}]"), e) {
                            epochs.push(e);
                        }
                    }
                }
                None if raw.time.is_none() => self.bad(
                    "timescales.epochs",
                    "missing: give epochs = [\"2023-03-12T00:00:00 UTC\", …] or a [time] section",
                ),
                None => {}
            }
            let clk: Vec<Option<PathBuf>> = t
                .clk
                .iter()
                .enumerate()
                .map(|(i, f)| self.file(&format!("timescales.clk[{i}]"), f))
                .collect();
            let sp3: Vec<Option<PathBuf>> = t
                .sp3
                .iter()
                .enumerate()
                .map(|(i, f)| self.file(&format!("timescales.sp3[{i}]"), f))
                .collect();
            Some(Timescales {
                nav: nav?,
                epochs,
                clk: clk.into_iter().collect::<Option<Vec<_>>>()?,
                sp3: sp3.into_iter().collect::<Option<Vec<_>>>()?,
            })
        });

        let validation = raw.validation.as_ref().and_then(|v| {
            let nav = self.files("validation.nav", &v.nav);
            let sp3 = self.files("validation.sp3", &v.sp3);
            let step_s = v
                .step_s
                .filter(|&s| self.positive("validation.step_s", s, "a step in seconds"));
            let systems = match &v.systems {
                Some(list) => self.systems("validation.systems", list),
                None => vec![Constellation::BeiDou, Constellation::Glonass],
            };
            Some(BroadcastValidation {
                nav: nav?,
                sp3: sp3?,
                step_s,
                systems,
            })
        });

        let outputs = self.outputs_section(raw.outputs.as_ref(), raw.grid.is_some(), &sites);

        if !has_coverage
            && raw.networks.is_none()
            && raw.timescales.is_none()
            && raw.validation.is_none()
        {
            self.bad(
                "",
                "the scenario runs nothing; add [grid] or [[sites]] (coverage), [networks], [timescales] or [validation]",
            );
        }

        Scenario {
            name: raw.name,
            description: raw.description.unwrap_or_default(),
            base_dir: self.base_dir.to_path_buf(),
            time,
            orbits,
            user,
            grid,
            sites,
            networks,
            error_model,
            layout_search,
            timescales,
            validation,
            outputs,
        }
    }

    fn time_section(&mut self, t: &RawTime) -> Option<TimeSection> {
        let start = self.time_scaled("time.start", &t.start);
        let end = self.time("time.end", &t.end);
        let step_ok = self.positive("time.step_s", t.step_s, "a step in seconds");
        let ((start, scale), end) = (start?, end?);
        if end <= start {
            self.bad(
                "time.end",
                format!(
                    "{} is not after time.start ({}); expected end > start",
                    t.end.0, t.start.0
                ),
            );
            return None;
        }
        if !step_ok {
            return None;
        }
        let span_s = (end - start).to_seconds();
        if t.step_s > span_s {
            self.bad(
                "time.step_s",
                format!(
                    "{} s is longer than the span ({span_s} s); expected step_s ≤ end − start",
                    t.step_s
                ),
            );
            return None;
        }
        let span = TimeSection {
            start,
            scale,
            end,
            step_s: t.step_s,
        };
        let n = (span_s / t.step_s).floor() + 1.0;
        if n > MAX_EPOCHS as f64 {
            self.bad(
                "time.step_s",
                format!(
                    "{} s over {} s gives {} epochs; at most {MAX_EPOCHS} are allowed (a larger step or a shorter span)",
                    brief(t.step_s),
                    brief(span_s),
                    brief(n)
                ),
            );
            return None;
        }
        Some(span)
    }

    fn orbits_section(&mut self, o: &RawOrbits, time: Option<&TimeSection>) -> Option<Orbits> {
        let systems = self.systems("orbits.systems", &o.systems);
        let src_name = match o.source {
            RawOrbitSource::Nominal => "nominal",
            RawOrbitSource::Nav => "nav",
            RawOrbitSource::Sp3 => "sp3",
            RawOrbitSource::Longspan => "longspan",
        };
        let (needs_nav, needs_sp3, needs_days) = match o.source {
            RawOrbitSource::Nominal => (false, false, false),
            RawOrbitSource::Nav => (true, false, false),
            RawOrbitSource::Sp3 => (false, true, false),
            RawOrbitSource::Longspan => (true, false, true),
        };
        let file_for = |v: &mut Self,
                        key: &str,
                        val: &Option<RawPaths>,
                        needed: bool,
                        what: &str| match (val, needed) {
            (Some(p), true) => v.files(key, p),
            (None, true) => {
                v.bad(
                    key,
                    format!("required with source = \"{src_name}\"; expected the path of {what}"),
                );
                None
            }
            (Some(_), false) => {
                v.bad(
                    key,
                    format!(
                        "not used with source = \"{src_name}\"; remove it or change the source"
                    ),
                );
                None
            }
            (None, false) => None,
        };
        let nav = file_for(
            self,
            "orbits.nav",
            &o.nav,
            needs_nav,
            "a RINEX navigation file (or a list, a directory, a glob)",
        );
        let sp3 = file_for(
            self,
            "orbits.sp3",
            &o.sp3,
            needs_sp3,
            "an SP3 precise-orbit file (or a list, a directory, a glob)",
        );
        let days = match (o.longspan_days, needs_days) {
            (Some(d), true) if (1..=366).contains(&d) => {
                if let Some(t) = time {
                    let span_days = (t.end - t.start).to_seconds() / 86_400.0;
                    if span_days > d as f64 {
                        self.bad(
                            "orbits.longspan_days",
                            format!("{d} days is shorter than the [time] span ({span_days:.2} days); expected longspan_days ≥ the span"),
                        );
                    }
                }
                Some(d as u32)
            }
            (Some(d), true) => {
                self.bad(
                    "orbits.longspan_days",
                    format!("{d} is out of range; expected a number of days in [1, 366]"),
                );
                None
            }
            (None, true) => {
                self.bad(
                    "orbits.longspan_days",
                    "required with source = \"longspan\"; expected a number of days in [1, 366]",
                );
                None
            }
            (Some(_), false) => {
                self.bad(
                    "orbits.longspan_days",
                    format!("not used with source = \"{src_name}\"; remove it"),
                );
                None
            }
            (None, false) => None,
        };
        let source = match o.source {
            RawOrbitSource::Nominal => OrbitSourceSpec::Nominal,
            RawOrbitSource::Nav => OrbitSourceSpec::Nav { paths: nav? },
            RawOrbitSource::Sp3 => OrbitSourceSpec::Sp3 { paths: sp3? },
            RawOrbitSource::Longspan => OrbitSourceSpec::LongSpan {
                nav: nav?,
                days: days?,
            },
        };
        if o.exclude_predicted && !matches!(source, OrbitSourceSpec::Sp3 { .. }) {
            self.bad(
                "orbits.exclude_predicted",
                format!(
                    "applies to source = \"sp3\" only (predicted records are an SP3 flag), \
                     not to source = \"{src_name}\""
                ),
            );
        }
        if systems.is_empty() {
            return None;
        }
        Some(Orbits {
            source,
            systems,
            allow_no_data: o.allow_no_data,
            exclude_predicted: o.exclude_predicted,
        })
    }

    fn user_section(&mut self, u: Option<&RawUser>, systems: &[Constellation]) -> UserConfig {
        let mut out = UserConfig::default();
        if systems.len() == 1 {
            // One system: one receiver clock is all there is.
            out.clock = ClockChoice::Common;
        }
        let Some(u) = u else { return out };
        match (u.mask_deg, &u.azimuth_mask) {
            (Some(_), Some(_)) => self.bad(
                "user.azimuth_mask",
                "give either mask_deg or azimuth_mask, not both",
            ),
            (Some(m), None) => {
                if self.range(
                    "user.mask_deg",
                    m,
                    0.0,
                    90.0,
                    true,
                    "an elevation mask (degrees)",
                ) {
                    out.mask = ElevationMask::Constant { elevation_deg: m };
                }
            }
            (None, Some(nodes)) => {
                let mut pts = Vec::new();
                if nodes.is_empty() {
                    self.bad(
                        "user.azimuth_mask",
                        "empty list; expected [[azimuth_deg, elevation_deg], …]",
                    );
                }
                let mut last_az = f64::NEG_INFINITY;
                for (i, n) in nodes.iter().enumerate() {
                    let k = format!("user.azimuth_mask[{i}]");
                    let [az, el] = n.as_slice() else {
                        self.bad(
                            &k,
                            format!("{} values; expected [azimuth_deg, elevation_deg]", n.len()),
                        );
                        continue;
                    };
                    let a = self.range(&k, *az, 0.0, 360.0, true, "an azimuth (degrees)");
                    let e = self.range(&k, *el, 0.0, 90.0, true, "an elevation (degrees)");
                    if a && *az <= last_az {
                        self.bad(&k, format!("azimuth {az} does not increase; expected azimuths in strictly increasing order"));
                    }
                    if a {
                        last_az = *az;
                    }
                    if a && e {
                        pts.push((*az, *el));
                    }
                }
                out.mask = ElevationMask::Azimuth(pts);
            }
            (None, None) => {}
        }
        if let Some(c) = u.clock {
            out.clock = match c {
                RawClock::Common => ClockChoice::Common,
                RawClock::PerSystem => ClockChoice::PerSystem,
                RawClock::KnownOffset => ClockChoice::KnownOffset,
            };
        }
        let needs_isb = out.clock == ClockChoice::KnownOffset || u.compare_clocks;
        match u.isb_sigma_ns {
            Some(s) if needs_isb => {
                out.isb_sigma_ns = self
                    .positive(
                        "user.isb_sigma_ns",
                        s,
                        "the 1-σ of the known inter-system offset in ns",
                    )
                    .then_some(s);
            }
            Some(_) => self.bad(
                "user.isb_sigma_ns",
                "only used with clock = \"known-offset\" or compare_clocks = true; remove it",
            ),
            // Without a value: the uncertainty of the broadcast BDT − GLONASST offset that
            // always exists (the single-path floor, justified by the realised spread between
            // precise-clock products; see `time::BROADCAST_OFFSET_FLOOR_NS`).
            None if needs_isb => out.isb_sigma_ns = Some(crate::time::BROADCAST_OFFSET_FLOOR_NS),
            None => {}
        }
        if !systems.is_empty() && systems.len() < 2 {
            if u.clock == Some(RawClock::KnownOffset) {
                self.bad(
                    "user.clock",
                    format!("\"known-offset\" needs two systems but orbits.systems is [{}]; use \"common\"", sys_list(systems)),
                );
            }
            if u.compare_clocks {
                self.bad(
                    "user.compare_clocks",
                    format!(
                        "comparing clock models needs two systems but orbits.systems is [{}]",
                        sys_list(systems)
                    ),
                );
            }
        }
        out.compare_clocks = u.compare_clocks;
        if let Some(p) = u.pdop_threshold {
            if self.positive("user.pdop_threshold", p, "a PDOP threshold") {
                out.pdop_threshold = p;
            }
        }
        out
    }

    fn grid_section(&mut self, g: &RawGrid) -> Option<Grid> {
        let step_ok = self.range(
            "grid.step_deg",
            g.step_deg,
            f64::MIN_POSITIVE,
            30.0,
            false,
            "a grid step (degrees, > 0)",
        );
        let region = match &g.region {
            Some(r) => self.region("grid.region", r),
            None => Some(Region::GLOBAL),
        };
        let height_m = g.height_m.unwrap_or(0.0);
        let h_ok = self.range(
            "grid.height_m",
            height_m,
            USER_HEIGHT_RANGE_M.0,
            USER_HEIGHT_RANGE_M.1,
            false,
            "an ellipsoidal height (metres)",
        );
        let grid = Grid {
            step_deg: g.step_deg,
            region: region?,
            height_m,
        };
        if !(step_ok && h_ok) {
            return None;
        }
        let n = grid.point_count();
        if n > MAX_GRID_POINTS {
            self.bad(
                "grid.step_deg",
                format!("{}° gives {} grid points; at most {MAX_GRID_POINTS} are allowed (a larger step or a smaller region)", brief(g.step_deg), if n == usize::MAX { "more than 1.8e19".to_string() } else { n.to_string() }),
            );
            return None;
        }
        Some(grid)
    }

    fn sites_section(&mut self, sites: &[RawSite]) -> Vec<Site> {
        let mut out = Vec::new();
        let mut names = HashSet::new();
        for (i, s) in sites.iter().enumerate() {
            let k = format!("sites[{i}]");
            let mut ok = true;
            if s.name.trim().is_empty() {
                self.bad(join(&k, "name"), "empty; expected a site name");
                ok = false;
            } else if !names.insert(s.name.clone()) {
                self.bad(
                    join(&k, "name"),
                    format!(
                        "\"{}\" is used by another site; names must be unique",
                        s.name
                    ),
                );
                ok = false;
            }
            ok &= self.lat_lon(&k, s.lat_deg, s.lon_deg);
            ok &= self.range(
                &join(&k, "height_m"),
                s.height_m,
                USER_HEIGHT_RANGE_M.0,
                USER_HEIGHT_RANGE_M.1,
                false,
                "an ellipsoidal height (metres)",
            );
            if !ok {
                self.refused_sites.insert(s.name.clone());
            }
            if ok {
                out.push(Site {
                    name: s.name.clone(),
                    lat_deg: s.lat_deg,
                    lon_deg: s.lon_deg,
                    height_m: s.height_m,
                });
            }
        }
        out
    }

    fn networks_section(&mut self, n: &RawNetworks, systems: &[Constellation]) -> Option<Networks> {
        if n.baseline.is_empty() {
            self.bad(
                "networks.baseline",
                "empty network; expected at least one catalog name (e.g. \"bds-domestic\") or network file",
            );
        }
        let baseline = self.network_refs("networks.baseline", &n.baseline);
        let augmented = self.network_refs("networks.augmented", &n.augmented);
        for (i, a) in augmented.iter().enumerate() {
            if baseline.contains(a) {
                self.bad(
                    format!("networks.augmented[{i}]"),
                    "already in the baseline; the augmented network adds to the baseline, so list only what is new",
                );
            }
        }

        // Station ids where known: per reference, and whether every reference is known.
        let mut all_known = true;
        let mut baseline_ids: Vec<String> = Vec::new();
        let mut augmented_ids: Vec<String> = Vec::new();
        for (list, key, ids_out) in [
            (&baseline, "networks.baseline", &mut baseline_ids),
            (&augmented, "networks.augmented", &mut augmented_ids),
        ] {
            for (i, r) in list.iter().enumerate() {
                match self.ref_ids(&format!("{key}[{i}]"), r) {
                    Some(ids) => {
                        if ids.is_empty() {
                            let what = match r {
                                NetworkRef::Catalog(c) => format!("catalog \"{c}\""),
                                NetworkRef::File(p) => p.display().to_string(),
                            };
                            self.bad(
                                format!("{key}[{i}]"),
                                format!("{what} has no stations; expected a non-empty network"),
                            );
                        }
                        ids_out.extend(ids);
                    }
                    None => all_known = false,
                }
            }
        }
        let existing: BTreeSet<String> =
            baseline_ids.iter().chain(&augmented_ids).cloned().collect();

        let mut add = Vec::new();
        let mut add_ids = HashSet::new();
        for (i, s) in n.add.iter().enumerate() {
            let k = format!("networks.add[{i}]");
            let mut ok = true;
            let id = s.id.trim();
            if id.is_empty() || id.chars().any(char::is_whitespace) {
                self.bad(
                    join(&k, "id"),
                    format!(
                        "\"{}\" is not a station id; expected a non-empty id without spaces",
                        s.id
                    ),
                );
                ok = false;
            } else if !add_ids.insert(id.to_string()) {
                self.bad(
                    join(&k, "id"),
                    format!("duplicate station id \"{id}\" in networks.add"),
                );
                ok = false;
            } else if existing.contains(id) {
                self.bad(
                    join(&k, "id"),
                    format!("duplicate station id \"{id}\": already in a listed network"),
                );
                ok = false;
            }
            ok &= self.lat_lon(&k, s.lat_deg, s.lon_deg);
            ok &= self.range(
                &join(&k, "height_m"),
                s.height_m,
                GROUND_HEIGHT_RANGE_M.0,
                GROUND_HEIGHT_RANGE_M.1,
                false,
                "a station's ellipsoidal height (metres)",
            );
            let st_sys = self.systems(&join(&k, "systems"), &s.systems);
            if !st_sys.is_empty()
                && !systems.is_empty()
                && !st_sys.iter().any(|c| systems.contains(c))
            {
                self.bad(
                    join(&k, "systems"),
                    format!(
                        "tracks [{}], none of orbits.systems [{}]; the station would see nothing",
                        sys_list(&st_sys),
                        sys_list(systems)
                    ),
                );
                ok = false;
            }
            if ok && !st_sys.is_empty() {
                add.push(StationSpec {
                    id: id.to_string(),
                    name: s
                        .name
                        .clone()
                        .filter(|n| !n.trim().is_empty())
                        .unwrap_or_else(|| id.to_string()),
                    lat_deg: s.lat_deg,
                    lon_deg: s.lon_deg,
                    height_m: s.height_m,
                    systems: st_sys,
                });
            }
        }

        let mut removed = HashSet::new();
        let mut remove = Vec::new();
        for (i, r) in n.remove.iter().enumerate() {
            let k = format!("networks.remove[{i}]");
            let r = r.trim();
            if !removed.insert(r.to_string()) {
                self.bad(&k, format!("\"{r}\" is listed twice"));
                continue;
            }
            if add_ids.contains(r) {
                self.bad(
                    &k,
                    format!(
                        "\"{r}\" is added in networks.add and removed here; do one or the other"
                    ),
                );
                continue;
            }
            if all_known && !existing.contains(r) {
                let near = existing
                    .iter()
                    .min_by_key(|s| edit_distance(s, r))
                    .filter(|s| edit_distance(s, r) <= 2)
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                self.bad(&k, format!("unknown station \"{r}\"{near}: not in any listed network; expected the id of a station to remove"));
                continue;
            }
            remove.push(r.to_string());
        }
        if all_known && !n.baseline.is_empty() {
            let remaining = existing.iter().filter(|s| !removed.contains(*s)).count() + add.len();
            if remaining == 0 && !existing.is_empty() {
                self.bad(
                    "networks.remove",
                    "removes every station; the augmented network would be empty",
                );
            }
        }

        let tracking_mask_deg = match n.tracking_mask_deg {
            Some(m)
                if self.range(
                    "networks.tracking_mask_deg",
                    m,
                    0.0,
                    90.0,
                    true,
                    "a tracking mask (degrees)",
                ) =>
            {
                m
            }
            Some(_) => DEFAULT_TRACKING_MASK_DEG,
            None => DEFAULT_TRACKING_MASK_DEG,
        };
        let min_stations = match n.min_stations {
            None => 1,
            Some(m) if m >= 1 => {
                let total = baseline_ids.iter().collect::<BTreeSet<_>>().len();
                if all_known && total > 0 && m as usize > total {
                    self.bad(
                        "networks.min_stations",
                        format!("{m} exceeds the {total} stations of the baseline; no satellite could ever count as monitored"),
                    );
                }
                m as u32
            }
            Some(m) => {
                self.bad(
                    "networks.min_stations",
                    format!("{m} is not allowed; expected at least 1"),
                );
                1
            }
        };
        if baseline.is_empty() {
            return None;
        }
        Some(Networks {
            baseline,
            augmented,
            add,
            remove,
            tracking_mask_deg,
            min_stations,
        })
    }

    fn error_model_section(&mut self, e: &RawErrorModel) -> ErrorModel {
        let mut out = ErrorModel::default();
        if let Some(s) = &e.sigma0_m {
            for (name, v, slot) in [
                ("bds_meo", s.bds_meo, &mut out.sigma0_bds_meo_m),
                ("bds_igso", s.bds_igso, &mut out.sigma0_bds_igso_m),
                ("bds_geo", s.bds_geo, &mut out.sigma0_bds_geo_m),
                ("glonass", s.glonass, &mut out.sigma0_glonass_m),
            ] {
                if let Some(v) = v {
                    let ok = v.is_finite() && v > 0.0;
                    if ok {
                        *slot = Some(v);
                    } else {
                        self.problems.push(Problem {
                            key: format!("error_model.sigma0_m.{name}"),
                            at: None,
                            message: format!(
                                "{} is not allowed; expected a range error at age 0 in metres > 0",
                                brief(v)
                            ),
                        });
                    }
                }
            }
        }
        if let Some(g) = e.growth_m_per_h {
            if g.is_finite() && g >= 0.0 {
                out.growth_m_per_h = Some(g);
            } else {
                self.bad(
                    "error_model.growth_m_per_h",
                    format!("{g} is not allowed; expected a growth rate ≥ 0 in metres per hour"),
                );
            }
        }
        if let Some(m) = e.max_sigma_m {
            if self.positive("error_model.max_sigma_m", m, "a cap in metres") {
                out.max_sigma_m = Some(m);
                let sig = [
                    ("bds_meo", out.sigma0_bds_meo_m),
                    ("bds_igso", out.sigma0_bds_igso_m),
                    ("bds_geo", out.sigma0_bds_geo_m),
                    ("glonass", out.sigma0_glonass_m),
                ];
                for (name, s) in sig {
                    if let Some(s) = s.filter(|&s| s > m) {
                        self.bad(
                            "error_model.max_sigma_m",
                            format!("{m} m is below sigma0_m.{name} = {s} m; expected max_sigma_m ≥ every σ₀"),
                        );
                    }
                }
            }
        }
        out
    }

    fn layout_section(
        &mut self,
        l: &RawLayoutSearch,
        systems: &[Constellation],
    ) -> Option<LayoutSearch> {
        let system = match l.system.parse::<Constellation>() {
            Ok(c @ (Constellation::BeiDou | Constellation::Glonass)) => {
                if !systems.is_empty() && !systems.contains(&c) {
                    self.bad(
                        "layout_search.system",
                        format!(
                            "\"{}\" is not in orbits.systems [{}]",
                            l.system,
                            sys_list(systems)
                        ),
                    );
                }
                Some(c)
            }
            _ => {
                self.bad(
                    "layout_search.system",
                    format!(
                        "unknown system \"{}\"; expected \"C\" (BeiDou) or \"R\" (GLONASS)",
                        l.system
                    ),
                );
                None
            }
        };
        let candidates = match (&l.candidates, &l.lattice) {
            (Some(_), Some(_)) => {
                self.bad(
                    "layout_search.lattice",
                    "give either candidates (a CSV file) or lattice, not both",
                );
                None
            }
            (None, None) => {
                self.bad(
                    "layout_search.candidates",
                    "missing: give candidates = \"file.csv\" or lattice = { region = [...], step_deg = ... }",
                );
                None
            }
            (Some(p), None) => {
                let countries = l.countries.as_deref();
                if countries.is_some_and(<[String]>::is_empty) {
                    self.bad(
                        "layout_search.countries",
                        "empty list; remove the key to keep every candidate",
                    );
                    None
                } else {
                    let path = self.file("layout_search.candidates", p);
                    path.and_then(|path| {
                        let sites =
                            self.candidates_csv("layout_search.candidates", &path, countries)?;
                        if sites.is_empty() {
                            self.bad(
                                if countries.is_some() {
                                    "layout_search.countries"
                                } else {
                                    "layout_search.candidates"
                                },
                                format!(
                                    "no candidate sites in {}{}",
                                    path.display(),
                                    if countries.is_some() {
                                        " for these countries"
                                    } else {
                                        ""
                                    }
                                ),
                            );
                            return None;
                        }
                        Some(Candidates::File { path, sites })
                    })
                }
            }
            (None, Some(lat)) => {
                if l.countries.is_some() {
                    self.bad(
                        "layout_search.countries",
                        "only used with a candidates file; remove it",
                    );
                }
                let region = self.region("layout_search.lattice.region", &lat.region);
                let step_ok = self.range(
                    "layout_search.lattice.step_deg",
                    lat.step_deg,
                    f64::MIN_POSITIVE,
                    30.0,
                    false,
                    "a lattice step (degrees, > 0)",
                );
                match region {
                    Some(region) if step_ok => {
                        if region.lattice_len(lat.step_deg) > MAX_GRID_POINTS {
                            self.bad(
                                "layout_search.lattice.step_deg",
                                "too many lattice nodes; use a larger step",
                            );
                            None
                        } else {
                            Some(Candidates::Lattice {
                                region,
                                step_deg: lat.step_deg,
                            })
                        }
                    }
                    _ => None,
                }
            }
        };
        let method = match l.method.unwrap_or(RawMethod::Greedy) {
            RawMethod::Greedy => SearchMethod::Greedy,
            RawMethod::Exhaustive => SearchMethod::Exhaustive,
            RawMethod::Both => SearchMethod::Both,
        };
        let k = if l.k < 1 {
            self.bad(
                "layout_search.k",
                format!(
                    "{} is not allowed; expected the number of new stations, at least 1",
                    l.k
                ),
            );
            None
        } else {
            Some(l.k as usize)
        };
        if let (Some(k), Some(c)) = (k, &candidates) {
            let n = c.len();
            if k > n {
                self.bad(
                    "layout_search.k",
                    format!("{k} is more than the {n} candidates; expected 1 ≤ k ≤ {n}"),
                );
            } else if method != SearchMethod::Greedy {
                let combos = binomial(n as u64, k as u64);
                if combos > MAX_EXHAUSTIVE_COMBINATIONS {
                    self.bad(
                        "layout_search.method",
                        format!("an exhaustive search over C({n}, {k}) = {combos} layouts exceeds {MAX_EXHAUSTIVE_COMBINATIONS}; use method = \"greedy\" or fewer candidates"),
                    );
                }
            }
        }
        // Validate what runs: the layout engine scores tracking only.
        let objective = match l.objective {
            RawObjective::MeanTracked => Some(Objective::MeanTracked),
            RawObjective::MinTracked => Some(Objective::MinTracked),
            RawObjective::LongestGap => Some(Objective::LongestGap),
            RawObjective::MeanError => {
                self.bad(
                    "layout_search.objective",
                    "\"mean-error\" is not implemented by the layout engine; expected one of \"mean-tracked\", \"min-tracked\", \"longest-gap\"".to_string(),
                );
                None
            }
        };
        Some(LayoutSearch {
            system: system?,
            candidates: candidates?,
            k: k?,
            objective: objective?,
            method,
        })
    }

    fn outputs_section(
        &mut self,
        o: Option<&RawOutputs>,
        has_grid: bool,
        sites: &[Site],
    ) -> Outputs {
        let mut out = Outputs::default();
        let Some(o) = o else { return out };
        out.maps = o.maps.unwrap_or(false);
        out.csv = o.csv.unwrap_or(true);
        out.json = o.json.unwrap_or(true);
        out.point_files = o.point_files;
        if out.maps && !has_grid {
            self.bad(
                "outputs.maps",
                "maps are drawn from the [grid]; add a [grid] section or set maps = false",
            );
        }
        let names: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
        let site_ref = |v: &mut Self, key: &str, name: &str| -> bool {
            if names.contains(&name) {
                true
            } else if v.refused_sites.contains(name) {
                false
            } else {
                let known = if names.is_empty() {
                    "there are no [[sites]]".to_string()
                } else {
                    format!(
                        "expected one of {}",
                        names
                            .iter()
                            .map(|n| format!("\"{n}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                v.bad(key, format!("unknown site \"{name}\"; {known}"));
                false
            }
        };
        if let Some(s) = &o.sky_plot_site {
            if site_ref(self, "outputs.sky_plot_site", s) {
                out.sky_plot_site = Some(s.clone());
            }
        }
        for (i, s) in o.series_sites.iter().enumerate() {
            if site_ref(self, &format!("outputs.series_sites[{i}]"), s) {
                out.series_sites.push(s.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epochs_in_each_scale() {
        // BDT = GPST − 14 s and GPST = TAI − 19 s (BDS ICD; IS-GPS-200); TAI − UTC = 37 s
        // from 2017-01-01 (IERS Bulletin C). Exact: integer seconds.
        let (utc, _) = parse_epoch("2023-01-01T00:00:00 UTC").unwrap();
        let (gpst, _) = parse_epoch("2023-01-01T00:00:18 GPST").unwrap();
        let (bdt, _) = parse_epoch("2023-01-01T00:00:04 BDT").unwrap();
        let (tai, _) = parse_epoch("2023-01-01T00:00:37 TAI").unwrap();
        let (glo, _) = parse_epoch("2023-01-01T03:00:00 GLONASST").unwrap();
        let (glo2, _) = parse_epoch("2023-01-01T02:00:00 GLONASST").unwrap();
        for e in [gpst, bdt, tai, glo] {
            assert_eq!((e - utc).to_seconds(), 0.0, "{e}");
        }
        // GLONASST 02:00 on 1 January is 23:00 UTC on 31 December.
        let (dec31, _) = parse_epoch("2022-12-31T23:00:00").unwrap();
        assert_eq!((glo2 - dec31).to_seconds(), 0.0);
        // TOML-style and zone forms.
        let (z, _) = parse_epoch("2023-01-01T00:00:00Z").unwrap();
        let (off, _) = parse_epoch("2023-01-01T03:00:00+03:00").unwrap();
        let (space, _) = parse_epoch("2023-01-01 00:00 UTC").unwrap();
        let (date, _) = parse_epoch("2023-01-01").unwrap();
        for e in [z, off, space, date] {
            assert_eq!((e - utc).to_seconds(), 0.0, "{e}");
        }
        let (frac, _) = parse_epoch("2023-01-01T00:00:00.25").unwrap();
        assert_eq!((frac - utc).to_seconds(), 0.25);
    }

    #[test]
    fn bad_epochs() {
        for t in [
            "2023-13-01T00:00:00",
            "2023-02-29T00:00:00",
            "yesterday",
            "2023-01-01T25:00:00",
            "2023-01-01T00:00:00 GMT",
            "2023-01-01T00:00:00Z BDT",
        ] {
            assert!(parse_epoch(t).is_err(), "{t}");
        }
    }

    #[test]
    fn key_paths() {
        let text = "name = \"x\"\n[time]\nstart = 1\n[[sites]]\nname = \"a\"\n[[sites]]\nnmae = \"b\"\n[networks]\nadd = [{ id = \"A\", lat_deg = \"x\" }]\n";
        let at = text.find("nmae").unwrap();
        assert_eq!(key_at(text, at).as_deref(), Some("sites[1].nmae"));
        let at = text.find("1\n").unwrap();
        assert_eq!(key_at(text, at).as_deref(), Some("time.start"));
        let at = text.find("\"x\" }").unwrap();
        assert_eq!(key_at(text, at).as_deref(), Some("networks.add.lat_deg"));
        let text = "name = \"x\"\n[networks]\nadd = [\n  { id = \"A\", lat_dg = 1 },\n]\n";
        let at = text.find("lat_dg").unwrap();
        assert_eq!(key_at(text, at).as_deref(), Some("networks.add.lat_dg"));
    }

    proptest::proptest! {
        // Round trip against hifitime's own Gregorian constructor in each scale (the
        // independent authority here); GLONASST must equal UTC + 3 h, checked away from
        // leap-second days (2023–2024 have none: IERS Bulletin C).
        #[test]
        fn parse_matches_hifitime(y in 1990i32..2100, mo in 1u8..=12, d in 1u8..=28,
                                  h in 0u8..24, mi in 0u8..60, s in 0u8..60, ms in 0u32..1000,
                                  sc in 0usize..4) {
            let (name, scale) = [("UTC", TimeScale::UTC), ("GPST", TimeScale::GPST),
                                 ("BDT", TimeScale::BDT), ("TAI", TimeScale::TAI)][sc];
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03} {name}");
            let (e, _) = parse_epoch(&text).unwrap();
            let want = Epoch::from_gregorian(y, mo, d, h, mi, s, ms * 1_000_000, scale);
            proptest::prop_assert_eq!((e - want).total_nanoseconds(), 0);
        }

        #[test]
        fn glonasst_is_utc_plus_3h(doy in 0i64..730, sec in 0i64..86_400) {
            let utc = Epoch::from_gregorian_utc(2023, 1, 1, 0, 0, 0, 0)
                + hifitime::Duration::from_seconds((doy * 86_400 + sec) as f64);
            let (y, mo, d, h, mi, s, _) = (utc + hifitime::Duration::from_seconds(10_800.0))
                .to_gregorian(TimeScale::UTC);
            let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02} GLONASST");
            let (e, _) = parse_epoch(&text).unwrap();
            proptest::prop_assert_eq!((e - utc).total_nanoseconds(), 0);
        }

        // Whatever the text, loading returns an error or a scenario; it never panics.
        #[test]
        fn arbitrary_text_never_panics(text in "(\\PC|\n|\\[|\\]|=|\"|\\{|\\}){0,200}") {
            let _ = load(&text, Path::new("."), Path::new("<p>"), &KnownCatalogs::builtin());
        }

        #[test]
        fn mutated_scenarios_never_panic(cut in 0usize..400, insert in "(\\PC|\n){0,8}") {
            let base = "name = \"a\"\n[time]\nstart = \"2023-01-01\"\nend = \"2023-01-02\"\nstep_s = 600\n[orbits]\nsource = \"nominal\"\nsystems = [\"C\"]\n[[sites]]\nname = \"s\"\nlat_deg = 1\nlon_deg = 2\n[user]\nazimuth_mask = [[0, 5], [90, 10]]\n";
            let mut at = cut.min(base.len());
            while !base.is_char_boundary(at) { at -= 1; }
            let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
            let _ = load(&text, Path::new("."), Path::new("<p>"), &KnownCatalogs::builtin());
        }
    }

    #[test]
    fn binomials() {
        assert_eq!(binomial(50, 3), 19_600);
        assert_eq!(binomial(5, 0), 1);
        assert_eq!(binomial(200, 100), u64::MAX);
    }
}
