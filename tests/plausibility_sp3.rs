//! No silent wrong answer from an SP3 file: structure and values are checked as the file is
//! read (the bad-input campaign found header fields never checked — epoch count, interval 0,
//! −300 or NaN — duplicate `P` lines with different values used silently, and an epoch moved
//! off the grid giving positions 78 km off, all with exit status 0).
//!
//! Every mutant is made here, at test time, from a cut of the real WUM final product of
//! 2023-01-01 (`sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3`, SP3-d, 300 s, 121 satellites).
//! Expected behaviour comes from the format (IGS SP3-d, 2016: line 1 columns 33–39 number of
//! epochs, line 2 columns 25–38 interval) and from physics bounds of our own, independent of
//! the library's limits: a GNSS orbit radius lies within 19,000–48,000 km (GPS 26,560 km,
//! GLONASS 25,510 km, BDS MEO 27,906 km, GEO/IGSO 42,164 km, QZSS apogee 45,330 km), speeds
//! are below 8 km/s, and satellite clocks within 0.1 s of the product's time.

mod common;

use std::path::{Path, PathBuf};

use gnss_interop::ephemeris::{EphemerisError, Sp3Product};
use gnss_interop::orbit::sp3::{Sp3Options, Sp3Source};
use gnss_interop::orbit::OrbitSource;
use hifitime::Duration;

/// Epochs kept in a cut: more than the 10 nodes of a 9th-order window.
const CUT_EPOCHS: usize = 14;

/// The first `n` epochs of the real file (line 1's start and epoch count set, `EOF` added),
/// as lines.
fn cut(n: usize) -> Option<Vec<String>> {
    let p = common::data_file("sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3")?;
    let text = std::fs::read_to_string(p).unwrap();
    let (header, blocks) = common::split_sp3(&text);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cut.sp3");
    common::write_sp3(&out, &header, &blocks[..n]);
    let text = std::fs::read_to_string(out).unwrap();
    Some(text.lines().map(str::to_string).collect())
}

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    p
}

/// Index (0-based) of the first line starting with `prefix` after line `from`.
fn find(lines: &[String], from: usize, prefix: &str) -> usize {
    from + lines[from..]
        .iter()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with '{prefix}'"))
}

/// The error of reading `lines`; asserts it names the file and the 1-based `line`.
fn refused(dir: &Path, lines: &[String], line: usize, words: &str) -> String {
    let p = write(dir, "mutant.sp3", lines);
    let e = Sp3Product::from_file(&p).expect_err("mutant must be refused");
    let msg = e.to_string();
    assert!(
        matches!(e, EphemerisError::Parse { line: l, .. } if l == line),
        "expected a parse error at line {line}: {msg}"
    );
    assert!(msg.contains("mutant.sp3"), "file not named: {msg}");
    assert!(msg.contains(words), "'{words}' not in: {msg}");
    msg
}

#[test]
fn header_interval_and_epoch_count_are_checked() {
    let Some(base) = cut(CUT_EPOCHS) else { return };
    let dir = tempfile::tempdir().unwrap();
    // The cut itself is a valid product of CUT_EPOCHS epochs.
    let ok = Sp3Product::from_file(write(dir.path(), "cut.sp3", &base)).unwrap();
    assert_eq!(ok.epochs.len(), CUT_EPOCHS);
    // Interval 0, −300, NaN (campaign cases) and two days: line 2 refused.
    for bad in ["0.00000000", "-300.00000000", "NaN", "172800.00000000"] {
        let mut m = base.clone();
        m[1] = format!("{}{:>14}{}", &m[1][..24], bad, &m[1][38..]);
        refused(dir.path(), &m, 2, "epoch interval");
    }
    // Line 1 declares fewer epochs than the body holds: the first extra epoch line is named.
    let mut m = base.clone();
    m[0] = format!("{}{:>7}{}", &m[0][..32], 5, &m[0][39..]);
    let mut star = 0;
    for _ in 0..6 {
        star = find(&m, star + 1, "*");
    }
    refused(dir.path(), &m, star + 1, "declares 5 epochs");
    // More declared than present: truncated.
    let mut m = base.clone();
    m[0] = format!("{}{:>7}{}", &m[0][..32], 288, &m[0][39..]);
    let msg = Sp3Product::from_file(write(dir.path(), "m.sp3", &m))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("truncated"), "{msg}");
    // Line 1's start epoch differs from the first epoch line.
    let mut m = base.clone();
    m[0] = m[0].replacen("2023  1  1  0  0", "2023  1  1  0 10", 1);
    refused(dir.path(), &m, 1, "line 1 declares the first epoch");
}

#[test]
fn epoch_off_the_grid_is_refused() {
    let Some(base) = cut(CUT_EPOCHS) else { return };
    let dir = tempfile::tempdir().unwrap();
    // The third epoch (00:10:00) moved by 30 s: 00:10:30 is not a multiple of 300 s after
    // 00:00 (the campaign's case: positions then 78 km off at that node).
    let mut m = base.clone();
    let mut star = 0;
    for _ in 0..3 {
        star = find(&m, star + 1, "*");
    }
    assert!(m[star].contains(" 0 10  0.00000000"), "{}", m[star]);
    m[star] = m[star].replace(" 0 10  0.00000000", " 0 10 30.00000000");
    refused(dir.path(), &m, star + 1, "off the declared 300 s grid");
}

#[test]
fn duplicate_p_lines() {
    let Some(base) = cut(CUT_EPOCHS) else { return };
    let dir = tempfile::tempdir().unwrap();
    let reference = Sp3Product::from_file(write(dir.path(), "cut.sp3", &base)).unwrap();
    let star = find(&base, 0, "*");
    let p = find(&base, star, "PC20");
    // The same record twice: one node, the product is unchanged.
    let mut m = base.clone();
    m.insert(p + 1, base[p].clone());
    let twice = Sp3Product::from_file(write(dir.path(), "twice.sp3", &m)).unwrap();
    assert_eq!(twice.satellites.len(), reference.satellites.len());
    for (a, b) in twice.satellites.iter().zip(&reference.satellites) {
        assert_eq!(a.position_m, b.position_m, "{}", a.sat);
    }
    // A second record of C20 at the same epoch 1 km off in x: both lines named.
    let mut m = base.clone();
    let x: f64 = base[p][4..18].trim().parse().unwrap();
    let other = format!("{}{:14.6}{}", &base[p][..4], x + 1.0, &base[p][18..]);
    m.insert(p + 1, other);
    let msg = refused(dir.path(), &m, p + 2, "disagrees with line");
    assert!(msg.contains(&format!("line {}", p + 1)), "{msg}");
    assert!(msg.contains("C20"), "{msg}");
}

/// A value in an SP3 F14.6 field (right-aligned in 14 characters).
fn f14(v: f64) -> String {
    let s = format!("{v:14.6}");
    if s.len() <= 14 {
        return s;
    }
    format!("{:>14}", format!("{v:e}"))
}

#[test]
fn single_field_edits_never_leave_physics() {
    let Some(base) = cut(CUT_EPOCHS) else { return };
    let dir = tempfile::tempdir().unwrap();
    // Records in the middle of the cut (7th epoch) so windows use the edited node.
    let mut star = 0;
    for _ in 0..7 {
        star = find(&base, star + 1, "*");
    }
    let epoch0 = Sp3Product::from_file(write(dir.path(), "cut.sp3", &base))
        .unwrap()
        .epochs[6];
    let (mut read_refusals, mut state_refusals, mut physical) = (0, 0, 0);
    for sat in ["C20", "C01", "R07", "G05"] {
        let p = find(&base, star, &format!("P{sat}"));
        for (a, b) in [(4, 18), (18, 32), (32, 46), (46, 60)] {
            let v: f64 = base[p][a..b].trim().parse().unwrap();
            for edit in [v * 1000.0, 9.9e307, -1e39, 1e308, 0.0, f64::NAN, v + 100.0] {
                let mut m = base.clone();
                m[p] = format!("{}{}{}", &base[p][..a], f14(edit), &base[p][b..]);
                let path = write(dir.path(), "edit.sp3", &m);
                let product = match Sp3Product::from_file(&path) {
                    Err(e) => {
                        let msg = e.to_string();
                        assert!(
                            msg.contains(&format!("edit.sp3:{}:", p + 1)),
                            "{sat} field {a}–{b} = {edit}: refusal without file:line: {msg}"
                        );
                        read_refusals += 1;
                        continue;
                    }
                    Ok(pr) => pr,
                };
                let src = Sp3Source::with_options(product, Sp3Options::default()).unwrap();
                let id = sat.parse().unwrap();
                // Every 60 s across ±15 min of the edited node.
                for k in -15..=15 {
                    let t = epoch0 + Duration::from_seconds(60.0 * k as f64);
                    match src.state_at(id, t) {
                        Err(_) => state_refusals += 1,
                        Ok(st) => {
                            let r_km = st.position_m.norm() / 1e3;
                            let v_km_s = st.velocity_m_s.norm() / 1e3;
                            assert!(
                                (19_000.0..=48_000.0).contains(&r_km) && v_km_s < 8.0,
                                "{sat} field {a}–{b} = {edit} at {t}: r = {r_km} km, v = \
                                 {v_km_s} km/s"
                            );
                            if let Some(c) = st.clock_offset_s {
                                assert!(c.is_finite() && c.abs() < 0.1, "{sat} clock {c}");
                            }
                            physical += 1;
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "SP3 single-field edits: {read_refusals} refused by the reader with file:line, \
         {state_refusals} states refused, {physical} physical states"
    );
    assert!(read_refusals > 0 && physical > 0);
}
