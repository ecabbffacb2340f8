//! Robustness of the navigation reader: the real RINEX 3 and 4 files are mutated in memory
//! (truncated, digits flipped, lines deleted or duplicated, years changed, garbage inserted) with
//! a seeded xorshift generator; every result must be `Ok` with sane records or a typed error
//! naming the file and a line — never a panic.
//!
//! To stay fast, most mutations act on an excerpt of each file (its header and the first
//! records of every kind, all real lines in their original order); a few act on the whole file.
//! Line numbers in errors on an excerpt are those of the excerpt. `GNSS_INTEROP_NAV_MUTATIONS=N`
//! runs N mutations per file instead of the default (60,000 in all ran clean when written).

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use gnss_interop::ephemeris::{EphemerisError, NavData};

/// Marsaglia xorshift64: small, seeded, reproducible.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Header plus the first `per_kind` records of each kind (system letter, or frame type and
/// system for RINEX 4), in file order.
fn excerpt(text: &str, per_kind: usize) -> String {
    let mut out = String::new();
    let mut lines = text.lines();
    for l in lines.by_ref() {
        out.push_str(l);
        out.push('\n');
        if l.contains("END OF HEADER") {
            break;
        }
    }
    let v4 = text.starts_with("     4.");
    let mut counts = std::collections::HashMap::<String, usize>::new();
    let mut keep = false;
    for l in lines {
        let start = if v4 {
            l.starts_with('>')
        } else {
            !l.starts_with(' ')
        };
        if start {
            let kind = if v4 {
                format!("{}{}", l.get(2..5).unwrap_or(""), l.get(6..7).unwrap_or(""))
            } else {
                l.get(0..1).unwrap_or("").to_string()
            };
            let c = counts.entry(kind).or_insert(0);
            *c += 1;
            keep = *c <= per_kind;
        }
        if keep {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

fn mutate(rng: &mut XorShift, src: &[u8]) -> (Vec<u8>, &'static str) {
    let mut b = src.to_vec();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(
            b.iter()
                .enumerate()
                .filter(|(_, c)| **c == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|&i| i < b.len())
        .collect();
    let line_range = |rng: &mut XorShift| {
        let k = rng.below(line_starts.len());
        let s = line_starts[k];
        let e = line_starts.get(k + 1).copied().unwrap_or(b.len());
        (s, e)
    };
    match rng.below(8) {
        0 => {
            b.truncate(rng.below(src.len()));
            (b, "truncate")
        }
        1 => {
            // Flip a few digits.
            for _ in 0..1 + rng.below(3) {
                let i = rng.below(b.len());
                if let Some(j) = (i..b.len()).find(|&j| b[j].is_ascii_digit()) {
                    b[j] = b'0' + rng.below(10) as u8;
                }
            }
            (b, "flip digits")
        }
        2 => {
            let (s, e) = line_range(rng);
            b.drain(s..e);
            (b, "delete line")
        }
        3 => {
            let (s, e) = line_range(rng);
            let dup = b[s..e].to_vec();
            b.splice(s..s, dup);
            (b, "duplicate line")
        }
        4 => {
            // Change the year of a record (RINEX 3/4 "Xnn yyyy"), or any 4-digit "20xx".
            let years: [&[u8]; 5] = [b"1023", b"2923", b"9999", b"0000", b"2006"];
            let y = years[rng.below(years.len())];
            let i = rng.below(b.len());
            if let Some(j) = (i..b.len().saturating_sub(4)).find(|&j| &b[j..j + 2] == b"20") {
                b[j..j + 4].copy_from_slice(y);
            }
            (b, "change year")
        }
        5 => {
            // Garbage bytes (any value, including invalid UTF-8 and control bytes).
            let i = rng.below(b.len());
            for _ in 0..1 + rng.below(8) {
                let g = rng.next() as u8;
                b.insert(i.min(b.len()), g);
            }
            (b, "garbage bytes")
        }
        6 => {
            // Overwrite a field with letters / spaces.
            let i = rng.below(b.len());
            let fill: &[u8] = match rng.below(3) {
                0 => b"   ",
                1 => b"inf",
                _ => b"NaN",
            };
            for (k, c) in fill.iter().enumerate() {
                if let Some(x) = b.get_mut(i + k) {
                    *x = *c;
                }
            }
            (b, "overwrite field")
        }
        _ => {
            // Remove a line ending: two lines merged.
            let (_, e) = line_range(rng);
            if e > 0 && b.get(e - 1) == Some(&b'\n') {
                b.remove(e - 1);
            }
            (b, "merge lines")
        }
    }
}

/// Parses `bytes`; asserts no panic, and that errors name the file and a line, and that an
/// accepted file holds sane records.
fn check(bytes: &[u8], name: &Path, what: &str) -> bool {
    let res = catch_unwind(AssertUnwindSafe(|| NavData::from_reader(bytes, name)));
    let res = match res {
        Ok(r) => r,
        Err(_) => panic!("reader panicked on mutation '{what}'"),
    };
    let file = name.to_str().unwrap();
    match res {
        Ok(d) => {
            for r in d.bds.values().flatten() {
                assert!((0.0..1.0).contains(&r.e) && r.sqrt_a_sqrt_m > 0.0, "{what}");
                assert!((r.toc - r.toe).to_seconds().abs() <= 86_400.0, "{what}");
                assert!(r.i0_rad.is_finite() && r.af0_s.is_finite(), "{what}");
            }
            for r in d.glonass.values().flatten() {
                assert!(r.position_m.iter().all(|x| x.is_finite()), "{what}");
                assert!((-7..=13).contains(&r.channel), "{what}");
            }
            true
        }
        Err(e) => {
            let msg = e.to_string();
            match &e {
                EphemerisError::Parse { line, .. } => {
                    assert!(*line >= 1, "{what}: {msg}");
                    assert!(msg.starts_with(&format!("{file}:{line}:")), "{what}: {msg}");
                }
                EphemerisError::Unsupported { .. } => {
                    assert!(
                        msg.contains(file) && msg.contains("line 1"),
                        "{what}: {msg}"
                    )
                }
                other => panic!("{what}: unexpected error kind {other:?}"),
            }
            false
        }
    }
}

fn run(rel: &str, seed: u64, n_excerpt: usize, n_full: usize) {
    let Some(p) = common::data_file(rel) else {
        return;
    };
    let full = std::fs::read(&p).unwrap();
    let text = String::from_utf8(full.clone()).unwrap();
    let ex = excerpt(&text, 25);
    let name = Path::new(p.file_name().unwrap());
    assert!(
        check(ex.as_bytes(), name, "none"),
        "unmutated excerpt must read"
    );
    // `GNSS_INTEROP_NAV_MUTATIONS=N` runs N excerpt mutations instead (longer hunts).
    let n_excerpt = std::env::var("GNSS_INTEROP_NAV_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n_excerpt);
    let mut rng = XorShift(seed);
    let (mut ok, mut err) = (0, 0);
    for _ in 0..n_excerpt {
        let (m, what) = mutate(&mut rng, ex.as_bytes());
        if std::env::var_os("GNSS_INTEROP_NAV_SHOW").is_some() {
            if let Err(e) = NavData::from_reader(&m[..], name) {
                eprintln!("{what}: {e}");
            }
        }
        if check(&m, name, what) {
            ok += 1
        } else {
            err += 1
        }
    }
    for _ in 0..n_full {
        let (m, what) = mutate(&mut rng, &full);
        check(&m, name, what);
    }
    // Both outcomes occur: mutations are neither all harmless nor all fatal.
    assert!(ok > 0 && err > 0, "{rel}: ok {ok}, err {err}");
}

#[test]
fn mutated_rinex3_never_panics() {
    run(
        "nav/BRDC00IGS_R_20230010000_01D_MN.rnx",
        0x9E37_79B9_7F4A_7C15,
        400,
        4,
    );
}

#[test]
fn mutated_rinex4_never_panics() {
    run(
        "nav/BRD400DLR_S_20230710000_01D_MN.rnx",
        0xD1B5_4A32_D192_ED03,
        400,
        4,
    );
}

#[test]
fn mutated_rinex2_never_panics() {
    run("nav/dlf10010.21g", 0x2545_F491_4F6C_DD1D, 200, 0);
}
