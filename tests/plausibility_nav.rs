//! No value outside physics leaves the navigation reader or the broadcast propagators (the
//! bad-input campaign: single-field edits of real records gave clock_s = inf, x = −3.2e44 m,
//! NaN velocities and radii from 85,000 km to 1e20 km, all with exit status 0).
//!
//! Every numeric field of one BeiDou MEO, one BeiDou GEO and one GLONASS record of the IGS file
//! of 2023-01-01 is edited in turn (×1000, 9.9e307, −1e39, 1e308, 0) in a cut copy made here.
//! Each mutant must either be refused by the reader with file and line, or give states that
//! are each either a typed error or physical. "Physical" is checked here with bounds of our own,
//! independent of the library's limits: every GNSS orbit radius lies within 19,000–48,000 km
//! (GPS 26,560 km, GLONASS 25,510 km, BDS MEO 27,906 km, GEO/IGSO 42,164 km), speeds below
//! 8 km/s (circular speed at 19,000 km is 4.6 km/s, plus Earth rotation), and satellite clock
//! offsets within 0.1 s (ICD a0/τn fields hold at most ±2 ms).

mod common;

use gnss_interop::ephemeris::NavData;
use gnss_interop::id::Constellation;
use gnss_interop::orbit::broadcast::{BroadcastOptions, BroadcastSource};
use gnss_interop::orbit::OrbitSource;
use hifitime::Duration;

/// A number in a RINEX D19.12 field (19 characters, Fortran-style exponent).
fn field(v: f64) -> String {
    for p in (4..=12).rev() {
        let s = format!("{v:.p$e}");
        let (m, e) = s.split_once('e').unwrap();
        let e: i32 = e.parse().unwrap();
        let s = format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs());
        if s.len() <= 19 {
            return format!("{s:>19}");
        }
    }
    unreachable!()
}

#[test]
fn single_field_edits_never_leave_physics() {
    let Some(p) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let end_header = lines
        .iter()
        .position(|l| l.contains("END OF HEADER"))
        .unwrap();
    let header = &lines[..=end_header];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mutant.rnx");
    let (mut refused_by_reader, mut refused_states, mut physical) = (0, 0, 0);
    // C19 (MEO, 8 lines), C01 (GEO, 8 lines), R01 (RINEX 3.05: 5 lines).
    for (start, n_lines) in [("C19 ", 8), ("C01 ", 8), ("R01 ", 5)] {
        let first = lines.iter().position(|l| l.starts_with(start)).unwrap();
        let record: Vec<&str> = lines[first..first + n_lines].to_vec();
        for li in 0..n_lines {
            let slots: &[usize] = if li == 0 {
                &[23, 42, 61]
            } else {
                &[4, 23, 42, 61]
            };
            for &col in slots {
                let original = record[li].get(col..col + 19).unwrap_or("").trim();
                let Ok(v) = original.replace('D', "e").parse::<f64>() else {
                    continue;
                };
                for new in [v * 1000.0, 9.9e307, -1e39, 1e308, 0.0] {
                    let mut rec: Vec<String> = record.iter().map(|s| s.to_string()).collect();
                    let l = &mut rec[li];
                    if l.len() < col + 19 {
                        continue;
                    }
                    l.replace_range(col..col + 19, &field(new));
                    let body = header
                        .iter()
                        .map(|s| s.to_string())
                        .chain(rec)
                        .collect::<Vec<_>>()
                        .join("\n");
                    std::fs::write(&path, body + "\n").unwrap();
                    let what = format!("{start}line {li} col {col}: {original} → {new:e}");
                    let nav = match NavData::from_file(&path) {
                        Err(e) => {
                            // file:line of the record (header lines + 1 ..= + n_lines).
                            let m = e.to_string();
                            let line: usize = m
                                .strip_prefix(&format!("{}:", path.display()))
                                .and_then(|r| r.split(':').next())
                                .and_then(|n| n.parse().ok())
                                .unwrap_or_else(|| panic!("{what}: no file:line in {m}"));
                            assert!(
                                (end_header + 2..=end_header + 1 + n_lines).contains(&line),
                                "{what}: {m}"
                            );
                            refused_by_reader += 1;
                            continue;
                        }
                        Ok(nav) => nav,
                    };
                    let systems = [Constellation::BeiDou, Constellation::Glonass];
                    let src = BroadcastSource::new(nav, &systems, BroadcastOptions::default());
                    for &sat in src.satellites() {
                        let t0 = src
                            .nav()
                            .bds
                            .get(&sat)
                            .map(|r| r[0].toe)
                            .unwrap_or_else(|| src.nav().glonass[&sat][0].tb);
                        for k in -12..=12 {
                            let t = t0 + Duration::from_seconds(300.0 * f64::from(k));
                            match src.state_at(sat, t) {
                                Ok(st) => {
                                    let r = st.position_m.norm();
                                    let v = st.velocity_m_s.norm();
                                    assert!(
                                        (19_000e3..=48_000e3).contains(&r) && v < 8e3,
                                        "{what}: {sat} at {t}: r = {r} m, v = {v} m/s"
                                    );
                                    let c = st.clock_offset_s.unwrap();
                                    assert!(c.is_finite() && c.abs() < 0.1, "{what}: clock {c}");
                                    physical += 1;
                                }
                                Err(_) => refused_states += 1,
                            }
                        }
                    }
                }
            }
        }
    }
    eprintln!(
        "mutants refused by the reader: {refused_by_reader}; states refused: {refused_states}; \
         physical states: {physical}"
    );
    assert!(refused_by_reader > 100);
}

/// The exact cases of the campaign: GLONASS γn 9.9e307 (gave clock_s = inf), a frame time of
/// 9.9e307 (accepted silently), GLONASS velocity
/// 1e39 km/s (x = −3.2e44 m), a BeiDou field of 1e308 (NaN velocities): refused with file,
/// line and field.
#[test]
fn campaign_cases_are_refused_with_field_and_line() {
    let Some(p) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .position(|l| l.contains("END OF HEADER"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.rnx");
    let r01 = lines.iter().position(|l| l.starts_with("R01 ")).unwrap();
    let c19 = lines.iter().position(|l| l.starts_with("C19 ")).unwrap();
    let cases = [
        (r01, 0, 42, 9.9e307, "gamma_n"),
        (r01, 0, 61, 9.9e307, "frame time"),
        (r01 + 1, 1, 23, 1e39, "velocity"),
        (c19 + 1, 1, 42, 1e308, "Δn"),
    ];
    for (first, li, col, v, name) in cases {
        let n = if first == c19 + 1 { 8 } else { 5 };
        let start = if li == 0 { first } else { first - li };
        let mut rec: Vec<String> = lines[start..start + n]
            .iter()
            .map(|s| s.to_string())
            .collect();
        rec[li].replace_range(col..col + 19, &field(v));
        let body: Vec<String> = lines[..=end]
            .iter()
            .map(|s| s.to_string())
            .chain(rec)
            .collect();
        std::fs::write(&path, body.join("\n") + "\n").unwrap();
        let e = NavData::from_file(&path).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("{}:{}:", path.display(), end + 2)),
            "{e}"
        );
        assert!(e.contains(name), "{name}: {e}");
    }
}

/// Broken structure (bad-input campaign): a RINEX 4 GLONASS record missing its Y line was read
/// with the status line as Z (|r| = 54,000 km); the IGS file cut inside a GPS record silently
/// lost every record after the cut. Both are now errors with file and line; the cut file is
/// read up to the last complete record only on request, with a warning.
#[test]
fn missing_lines_and_cut_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    if let Some(p) = common::data_file("nav/BRD400DLR_S_20230710000_01D_MN.rnx") {
        let text = std::fs::read_to_string(&p).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let frame = lines
            .iter()
            .position(|l| l.starts_with("> EPH R01 FDMA"))
            .unwrap();
        // Frame line, epoch line, X line, Y line (removed), Z line, status line.
        let mutant: Vec<&str> = lines[..frame + 3]
            .iter()
            .chain(&lines[frame + 4..])
            .copied()
            .collect();
        let path = dir.path().join("no_y.rnx");
        std::fs::write(&path, mutant.join("\n") + "\n").unwrap();
        let e = NavData::from_file(&path).unwrap_err().to_string();
        // The record starts at file line frame + 2 (1-based).
        assert!(
            e.starts_with(&format!("{}:{}:", path.display(), frame + 1)),
            "{e}"
        );
        assert!(
            e.contains("has 5 lines") && e.contains("gives this record 6"),
            "{e}"
        );
    }
    let Some(p) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let full = NavData::from_file(&p).unwrap();
    // The last GPS record starts at the last line beginning with "G"; cut inside its third line.
    let lines: Vec<&str> = text.lines().collect();
    let g = lines.iter().rposition(|l| l.starts_with('G')).unwrap();
    let cut_at: usize = lines[..g + 2].iter().map(|l| l.len() + 1).sum::<usize>() + 30;
    let path = dir.path().join("cut.rnx");
    std::fs::write(&path, &text[..cut_at]).unwrap();
    let e = NavData::from_file(&path).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{}:{}:", path.display(), g + 3)),
        "{e}"
    );
    assert!(
        e.contains(&format!("the last complete record ends at line {g}")),
        "{e}"
    );
    // Cut at a line boundary inside the same record.
    let cut_at: usize = lines[..g + 2].iter().map(|l| l.len() + 1).sum();
    std::fs::write(&path, &text[..cut_at]).unwrap();
    let e = NavData::from_file(&path).unwrap_err().to_string();
    assert!(
        e.contains(&format!("record starting at line {}", g + 1)),
        "{e}"
    );
    // Opt-in: everything before the cut is kept, with one warning.
    let opts = gnss_interop::ephemeris::NavReadOptions {
        allow_truncated: true,
        ..Default::default()
    };
    let kept = NavData::from_file_with(&path, opts).unwrap();
    assert_eq!(kept.warnings.len(), 1, "{:?}", kept.warnings);
    let before = |d: &NavData| {
        d.bds
            .values()
            .flatten()
            .filter(|r| r.source_line < g + 1)
            .count()
            + d.glonass
                .values()
                .flatten()
                .filter(|r| r.source_line < g + 1)
                .count()
    };
    assert_eq!(before(&kept), before(&full));
}

/// A record dated a year late (the real `amel0010.21g` has three; here one record of a copy of
/// `dlf10010.21g` is moved from 2020-12-31 to 2021-12-31) is refused, naming its line and the
/// file's span; on request it is kept with a warning.
#[test]
fn a_record_dated_a_year_late_is_refused() {
    let Some(p) = common::data_file("nav/dlf10010.21g") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let end = lines
        .iter()
        .position(|l| l.contains("END OF HEADER"))
        .unwrap();
    // First record line after the header: " 3 20 12 31 23 45  0.0 …" → year 21.
    let first = end + 1;
    assert_eq!(&lines[first][3..5], "20");
    lines[first].replace_range(3..5, "21");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("late.21g");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let e = NavData::from_file(&path).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!("{}:{}:", path.display(), first + 1)),
        "{e}"
    );
    assert!(e.contains("R03") && e.contains("wrong year"), "{e}");
    let opts = gnss_interop::ephemeris::NavReadOptions {
        keep_far_records: true,
        ..Default::default()
    };
    let kept = NavData::from_file_with(&path, opts).unwrap();
    assert_eq!(kept.warnings.len(), 1, "{:?}", kept.warnings);
}

/// Two records of one satellite and reference time inside one file (merged files repeat a
/// record once per receiving station): an exact repetition of the orbit and clock terms is
/// kept once; a repetition that differs in an orbit or clock term is a corrupt record, refused
/// naming both lines and the field (the bad-input campaign's "duplicate records with different
/// values" went unnoticed); a difference in the health flag alone keeps both, with a warning.
#[test]
fn duplicate_records_within_one_file() {
    let Some(p) = common::data_file("nav/BRDC00IGS_R_20230010000_01D_MN.rnx") else {
        return;
    };
    let text = std::fs::read_to_string(&p).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let end_header = lines
        .iter()
        .position(|l| l.contains("END OF HEADER"))
        .unwrap();
    let header: Vec<String> = lines[..=end_header].iter().map(|s| s.to_string()).collect();
    let record = |start: &str, n: usize| -> Vec<String> {
        let first = lines.iter().position(|l| l.starts_with(start)).unwrap();
        lines[first..first + n]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.rnx");
    let read = |a: &[String], b: &[String]| {
        let body: Vec<String> = header.iter().chain(a).chain(b).cloned().collect();
        std::fs::write(&path, body.join("\n") + "\n").unwrap();
        NavData::from_file(&path)
    };
    let c19 = record("C19 ", 8);
    let first_line = header.len() + 1;
    let second_line = header.len() + 9;

    // Exact repetition: one record kept.
    let d = read(&c19, &c19).unwrap();
    assert_eq!(d.bds_record_count(), 1);
    assert_eq!(d.merge.duplicates_dropped, 1);
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);

    // M0 (line 2 of the record, 4th field) changed in the 7th digit.
    let mut bad = c19.clone();
    let m0: f64 = bad[1][61..80].trim().replace('D', "e").parse().unwrap();
    bad[1].replace_range(61..80, &field(m0 * (1.0 + 1e-6)));
    let e = read(&c19, &bad).unwrap_err().to_string();
    assert!(
        e.contains(&format!("dup.rnx:{second_line}:"))
            && e.contains(&format!("line {first_line}"))
            && e.contains("M0"),
        "{e}"
    );

    // Health flag (line 7 of the record, 2nd field) set to 1 in the second: both kept.
    let mut sick = c19.clone();
    sick[6].replace_range(23..42, &field(1.0));
    let d = read(&c19, &sick).unwrap();
    assert_eq!(d.bds_record_count(), 2);
    assert!(
        d.warnings.len() == 1 && d.warnings[0].contains("health"),
        "{:?}",
        d.warnings
    );

    // GLONASS: X (line 2 of the record, 1st field) 1 m off.
    let r01 = record("R01 ", 5);
    let mut moved = r01.clone();
    let x: f64 = moved[1][4..23].trim().replace('D', "e").parse().unwrap();
    moved[1].replace_range(4..23, &field(x + 1e-3));
    let e = read(&r01, &moved).unwrap_err().to_string();
    assert!(
        e.contains(&format!("dup.rnx:{}:", header.len() + 6)) && e.contains("X"),
        "{e}"
    );
}
