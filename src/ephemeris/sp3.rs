//! SP3-c / SP3-d reader into [`Sp3Product`] (per-satellite arrays on the product's epoch grid).
//!
//! A focused line reader instead of the `sp3` crate (1.4): that crate slices header and
//! epoch lines by fixed byte ranges and panics on a truncated line, `from_file` panics on a
//! missing file, its errors carry no line number, and it cannot read products whose `%c`
//! time system is `GLO` or `QZS`. Here every error names the file and the 1-based line.
//!
//! Format (SP3-d, IGS 2016): line 1 `#d` + P/V flag, start epoch, number of epochs,
//! coordinate system (columns 47–51), agency (57–60); line 2 `##` GPS week, seconds of week,
//! epoch interval (columns 25–38); first `%c` line: time system (columns 10–12); `*` epoch
//! lines; `P` records: id (2–4), x, y, z in km (F14.6 in columns 5–46), clock in µs
//! (47–60); prediction flags: clock `P` in column 76, orbit `P` in column 80 (a record with
//! either is marked predicted). Bad or absent values: positions 0.000000 (all three) and
//! clocks 999999.999999. A file must end with its `EOF` line and hold the number of epochs its
//! first line declares (columns 33–39): a truncated file is refused, naming its last line.
//!
//! Structure and values are checked as the file is read, each refusal naming file and line:
//! the interval of line 2 must be positive and at most a day; every epoch must lie on the grid
//! it declares from the first epoch (within 1 ms); the body may not hold more epochs than line
//! 1 declares, and line 1's start must be the first epoch; a satellite's second `P` line in
//! one epoch is dropped when identical and refused when it disagrees (both lines named); every
//! position must lie in its constellation's orbit bands and every clock within ±10 ms
//! ([`super::limits`]), NaN and infinity included — only the two bad-value markers mean
//! "absent".
//!
//! Several files make one product through [`Sp3Product::from_files`] (see there for the
//! rules: union of the epoch grids, shared nodes must agree, mixed products refused).

use super::LineErrors;
use std::path::{Path, PathBuf};

use hifitime::{Duration, Epoch, TimeScale};
use nalgebra::Vector3;

use super::{
    EphemerisError, Sp3MergeOptions, Sp3MergeStats, Sp3Mixed, Sp3NodeConflict, Sp3Product,
    Sp3Satellite,
};
use crate::id::{Constellation, SatId};

impl Sp3Product {
    /// Read an SP3-c or SP3-d file (plain text, or gzip detected by its magic bytes).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Sp3Product, EphemerisError> {
        let path = path.as_ref();
        Self::from_str_named(&super::read_text(path)?, path)
    }

    /// Parse SP3 text; `name` is used in error messages.
    pub fn from_str_named(text: &str, name: &Path) -> Result<Sp3Product, EphemerisError> {
        Ok(Reader::new(name).parse(text)?.product)
    }
}

/// One `P` record: satellite, epoch index, position (m), clock (s), prediction flag, 1-based
/// line in its file (0 when built in code).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record {
    pub sat: SatId,
    pub k: usize,
    pub position_m: Option<Vector3<f64>>,
    pub clock_s: Option<f64>,
    pub predicted: bool,
    pub line: usize,
}

/// A parsed file with what the merge needs to name lines.
pub(crate) struct Parsed {
    pub product: Sp3Product,
    /// Per satellite of the product, per epoch: the line of its `P` record (0: none).
    pub lines: Vec<Vec<u32>>,
    /// Line of the first `%c` line (time system).
    pub time_system_line: usize,
    pub path: PathBuf,
}

struct Reader {
    path: PathBuf,
}

/// Characters `a..b` (0-based, end exclusive) of an ASCII line, trimmed; empty when short.
fn field(line: &str, a: usize, b: usize) -> &str {
    crate::text::column(line, a, b).trim()
}

impl super::LineErrors for Reader {
    fn path(&self) -> &Path {
        &self.path
    }
}

impl Reader {
    fn new(path: &Path) -> Self {
        Reader {
            path: path.to_path_buf(),
        }
    }

    fn parse(&self, text: &str) -> Result<Parsed, EphemerisError> {
        let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
        let (n1, l1) = lines
            .next()
            .ok_or_else(|| self.err(1, "empty file, expected an SP3 '#c' or '#d' line"))?;
        if !l1.is_ascii() || l1.len() < 3 || !l1.starts_with('#') {
            return Err(self.err(n1, format!("not an SP3 header line: '{l1}'")));
        }
        match &l1[1..2] {
            "c" | "d" => {}
            v => {
                return Err(EphemerisError::Unsupported {
                    path: self.path.clone(),
                    what: format!("SP3 version '{v}' (only c and d are read)"),
                })
            }
        }
        let coordinate_system = field(l1, 46, 51).to_string();
        let agency = field(l1, 56, 60).to_string();
        let declared_epochs: Option<usize> = field(l1, 32, 39).parse().ok();
        let mut time_system_line = 0;
        let mut last_line = n1;
        let mut seen_eof = false;
        let mut epoch_interval_s: f64 = 0.0;
        let mut time_scale: Option<TimeScale> = None;
        // For GLONASS time (GLO) epochs are converted to UTC by −3 h.
        let mut glo_offset = Duration::ZERO;
        let mut seen_pc = false;
        let mut epochs: Vec<Epoch> = Vec::new();
        // (sat, epoch index, position, clock)
        let mut records: Vec<Record> = Vec::new();
        // Index in `records` of the first record of the current epoch.
        let mut epoch_first_record = 0;
        for (n, line) in lines {
            last_line = n;
            if !line.is_ascii() {
                return Err(self.err(n, "non-ASCII characters"));
            }
            if line.starts_with("##") {
                let text = field(line, 24, 38);
                epoch_interval_s = self.num(text, n, "epoch interval")?;
                if !(epoch_interval_s.is_finite()
                    && epoch_interval_s > 0.0
                    && epoch_interval_s <= MAX_INTERVAL_S)
                {
                    return Err(self.err(
                        n,
                        format!(
                            "epoch interval '{text}' s: expected a positive number of seconds up \
                             to one day"
                        ),
                    ));
                }
            } else if line.starts_with("%c") {
                if !seen_pc {
                    seen_pc = true;
                    let ts = field(line, 9, 12);
                    let (scale, offset) = super::time_system(ts)
                        .ok_or_else(|| self.err(n, format!("unknown time system '{ts}'")))?;
                    time_scale = Some(scale);
                    glo_offset = offset;
                    time_system_line = n;
                }
            } else if let Some(rest) = line.strip_prefix('*') {
                let ts = time_scale
                    .ok_or_else(|| self.err(n, "epoch line before the '%c' time-system line"))?;
                let parts: Vec<&str> = rest.split_whitespace().collect();
                if parts.len() < 6 {
                    return Err(self.err(n, format!("malformed epoch line '{line}'")));
                }
                let y: i32 = self.num(parts[0], n, "year")?;
                let mo: u8 = self.num(parts[1], n, "month")?;
                let d: u8 = self.num(parts[2], n, "day")?;
                let h: u8 = self.num(parts[3], n, "hour")?;
                let mi: u8 = self.num(parts[4], n, "minute")?;
                let sec: f64 = self.num(parts[5], n, "second")?;
                if !(1..=12).contains(&mo)
                    || !(1..=31).contains(&d)
                    || h > 23
                    || mi > 59
                    || !(0.0..61.0).contains(&sec)
                {
                    return Err(self.err(n, format!("invalid date/time in '{line}'")));
                }
                let e = Epoch::maybe_from_gregorian(y, mo, d, h, mi, 0, 0, ts)
                    .map_err(|e| self.err(n, format!("invalid epoch '{line}': {e}")))?
                    + Duration::from_seconds(sec)
                    - glo_offset;
                if let Some(last) = epochs.last() {
                    if e <= *last {
                        return Err(self.err(n, format!("epoch {e} not after the previous one")));
                    }
                }
                if let Some(&first) = epochs.first() {
                    off_grid(first, e, epoch_interval_s).map_or(Ok(()), |m| Err(self.err(n, m)))?;
                }
                if let Some(d) = declared_epochs.filter(|&d| epochs.len() >= d) {
                    return Err(self.err(
                        n,
                        format!("epoch {} of a file whose line 1 declares {d} epochs", d + 1),
                    ));
                }
                epochs.push(e);
                epoch_first_record = records.len();
            } else if line.starts_with('P') {
                let Some(k) = epochs.len().checked_sub(1) else {
                    return Err(self.err(n, "position record before the first epoch line"));
                };
                let id = field(line, 1, 4);
                let letter = id.chars().next().unwrap_or(' ');
                if Constellation::from_letter(letter).is_none() {
                    continue; // systems this crate does not model (IRNSS, SBAS, LEO): skipped
                }
                let sat: SatId = id
                    .parse()
                    .map_err(|e| self.err(n, format!("satellite '{id}': {e}")))?;
                let x: f64 = self.num(field(line, 4, 18), n, "x")?;
                let y: f64 = self.num(field(line, 18, 32), n, "y")?;
                let z: f64 = self.num(field(line, 32, 46), n, "z")?;
                let c = field(line, 46, 60);
                let clock = if c.is_empty() {
                    None
                } else {
                    clock_from_us(self.num(c, n, "clock")?)
                };
                let flag = |col: usize| line.as_bytes().get(col - 1) == Some(&b'P');
                let position_m = position_from_km(x, y, z);
                if let Some(why) = implausible_node(sat, position_m, clock) {
                    return Err(self.err(n, format!("{sat} at {}: {why}", epochs[k])));
                }
                let record = Record {
                    sat,
                    k,
                    position_m,
                    clock_s: clock,
                    predicted: flag(76) || flag(80),
                    line: n,
                };
                if let Some(prev) = records[epoch_first_record..].iter().find(|r| r.sat == sat) {
                    if prev.position_m != record.position_m || prev.clock_s != record.clock_s {
                        return Err(self.err(
                            n,
                            format!(
                                "{sat} at {}: a second 'P' record that disagrees with line {}",
                                epochs[k], prev.line
                            ),
                        ));
                    }
                    continue; // the same record twice: one node
                }
                records.push(record);
            } else if line.starts_with("EOF") {
                seen_eof = true;
                break;
            }
        }
        let time_scale = time_scale.ok_or_else(|| self.err(1, "no '%c' time-system line"))?;
        if epochs.is_empty() {
            return Err(self.err(1, "no epoch lines"));
        }
        if let Some(d) = declared_epochs.filter(|&d| d > epochs.len()) {
            return Err(self.err(
                last_line,
                format!(
                    "line 1 declares {d} epochs, the file ends after {} (truncated?)",
                    epochs.len()
                ),
            ));
        }
        if !seen_eof {
            return Err(self.err(last_line, "no 'EOF' line: the file is truncated"));
        }
        if let Some(start) = header_start(l1, time_scale) {
            let start = start - glo_offset;
            if (start - epochs[0]).to_seconds().abs() > GRID_TOLERANCE_S {
                return Err(self.err(
                    1,
                    format!(
                        "line 1 declares the first epoch {start}, the first epoch line says {}",
                        epochs[0]
                    ),
                ));
            }
        }
        let (product, lines) = assemble(
            agency,
            coordinate_system,
            time_scale,
            epoch_interval_s,
            epochs,
            records,
        );
        Ok(Parsed {
            product,
            lines,
            time_system_line,
            path: self.path.clone(),
        })
    }
}

/// Longest epoch interval accepted, s (one day).
const MAX_INTERVAL_S: f64 = 86_400.0;
/// Largest distance of an epoch from the declared grid, s.
const GRID_TOLERANCE_S: f64 = 1e-3;

/// `Some(reason)` when epoch `e` is not a whole number of `interval_s` after `first`.
fn off_grid(first: Epoch, e: Epoch, interval_s: f64) -> Option<String> {
    if interval_s <= 0.0 {
        return None; // no '##' line: nothing declared
    }
    let dt = (e - first).to_seconds();
    let steps = (dt / interval_s).round();
    let miss = dt - steps * interval_s;
    (miss.abs() > GRID_TOLERANCE_S).then(|| {
        format!(
            "epoch {e} is {} s off the declared {} s grid starting {first}",
            crate::limits::brief(miss),
            crate::limits::brief(interval_s)
        )
    })
}

/// The start epoch line 1 declares (columns 4–31), in `scale`; `None` when unreadable (the
/// epoch lines then define the start).
fn header_start(l1: &str, scale: TimeScale) -> Option<Epoch> {
    let y: i32 = field(l1, 3, 7).parse().ok()?;
    let mo: u8 = field(l1, 8, 10).parse().ok()?;
    let d: u8 = field(l1, 11, 13).parse().ok()?;
    let h: u8 = field(l1, 14, 16).parse().ok()?;
    let mi: u8 = field(l1, 17, 19).parse().ok()?;
    let sec: f64 = field(l1, 20, 31).parse().ok()?;
    if !(0.0..61.0).contains(&sec) {
        return None;
    }
    let e = Epoch::maybe_from_gregorian(y, mo, d, h, mi, 0, 0, scale).ok()?;
    Some(e + Duration::from_seconds(sec))
}

/// `Some(reason)` when an SP3 node cannot belong to a satellite of its constellation: a
/// position outside the orbit bands or a clock beyond the range a satellite clock holds
/// ([`super::limits`]). Absent values (bad-value markers) pass.
pub(crate) fn implausible_node(
    sat: SatId,
    position_m: Option<Vector3<f64>>,
    clock_s: Option<f64>,
) -> Option<String> {
    if let Some(p) = position_m {
        if !p.iter().all(|v| v.is_finite()) {
            return Some(format!("position {} km is not finite", fmt_km(&p)));
        }
        if let Some(why) = super::limits::radius_outside_bands(sat.constellation(), p.norm()) {
            return Some(why);
        }
    }
    let max = super::limits::MAX_CLOCK_OFFSET_S;
    match clock_s {
        Some(c) if !c.is_finite() || c.abs() > max => Some(format!(
            "clock {} µs outside ±{} µs",
            crate::limits::brief(c * 1e6),
            crate::limits::brief(max * 1e6)
        )),
        _ => None,
    }
}

/// A position in metres written in km for messages.
fn fmt_km(p: &Vector3<f64>) -> String {
    let v: Vec<String> = p.iter().map(|v| crate::limits::brief(v / 1e3)).collect();
    format!("({})", v.join(", "))
}

/// An SP3 position in km as the product writes it, in metres; `None` for the bad-value
/// marker (0, 0, 0). Any other value, however absurd, is returned for the plausibility check
/// ([`implausible_node`]) to refuse.
pub(crate) fn position_from_km(x: f64, y: f64, z: f64) -> Option<Vector3<f64>> {
    let bad = x == 0.0 && y == 0.0 && z == 0.0;
    (!bad).then(|| Vector3::new(x, y, z) * 1e3)
}

/// An SP3 clock in µs as written, in seconds; `None` for the `999999.999999` bad-value marker
/// (any value of that integer part). Any other value is returned for [`implausible_node`].
pub(crate) fn clock_from_us(v: f64) -> Option<f64> {
    let marker = (999_999.0..1_000_000.0).contains(&v.abs());
    (!marker).then_some(v * 1e-6)
}

/// The product table from its epochs (strictly increasing) and its `P` records, with the line
/// of each record per satellite and epoch (0: none); shared by the file reader and
/// conversions from other readers' values.
pub(crate) fn assemble(
    agency: String,
    coordinate_system: String,
    time_scale: TimeScale,
    mut epoch_interval_s: f64,
    epochs: Vec<Epoch>,
    records: Vec<Record>,
) -> (Sp3Product, Vec<Vec<u32>>) {
    // Satellites from the data records (the header list is not needed).
    let mut sats: Vec<SatId> = records.iter().map(|r| r.sat).collect();
    sats.sort();
    sats.dedup();
    let mut satellites: Vec<Sp3Satellite> = sats
        .iter()
        .map(|&sat| Sp3Satellite {
            sat,
            position_m: vec![None; epochs.len()],
            clock_s: vec![None; epochs.len()],
            predicted: vec![false; epochs.len()],
        })
        .collect();
    let mut lines = vec![vec![0u32; epochs.len()]; sats.len()];
    for r in records {
        let i = sats.binary_search(&r.sat).unwrap_or_default();
        satellites[i].position_m[r.k] = r.position_m;
        satellites[i].clock_s[r.k] = r.clock_s;
        satellites[i].predicted[r.k] = r.predicted;
        lines[i][r.k] = u32::try_from(r.line).unwrap_or(u32::MAX);
    }
    if epoch_interval_s <= 0.0 && epochs.len() > 1 {
        epoch_interval_s = (epochs[1] - epochs[0]).to_seconds();
    }
    let product = Sp3Product {
        agency,
        coordinate_system,
        time_scale,
        epoch_interval_s,
        epochs,
        satellites,
        merge: Sp3MergeStats::default(),
    };
    (product, lines)
}

impl Sp3Product {
    /// One product from several SP3 files (each plain or gzip, in any order), with the
    /// default [`Sp3MergeOptions`] (same centre, time system, frame and interval; shared
    /// nodes within 1 m).
    pub fn from_files<P: AsRef<Path>>(paths: &[P]) -> Result<Sp3Product, EphemerisError> {
        Self::from_files_with(paths, &Sp3MergeOptions::default())
    }

    /// One product from several SP3 files, merged as follows.
    ///
    /// - The files are ordered by their first epoch (then by path); the epoch grid is the
    ///   union of theirs (an epoch in two files is one node), in the time scale of the first
    ///   file, so consecutive daily files make one table and an interpolation window takes
    ///   nodes from both sides of midnight. A hole between files stays a hole (the source
    ///   does not interpolate across it).
    /// - A node (satellite, epoch) with a position in two files must agree within
    ///   `options.node_tolerance_m`, else [`EphemerisError::Sp3NodeConflict`] names both
    ///   files and lines; when they agree, the file that starts later gives the value (the
    ///   day-boundary node of a daily product belongs to the day it opens), counted in
    ///   [`Sp3MergeStats::shared_nodes`].
    /// - Files of different analysis centres (agency), time systems, coordinate frames or
    ///   epoch intervals are refused with [`EphemerisError::Sp3Mixed`] unless
    ///   `options.allow_mixed`.
    ///
    /// Memory: the per-satellite arrays of the union grid (one slot per satellite and epoch,
    /// as for one file of the whole span).
    pub fn from_files_with<P: AsRef<Path>>(
        paths: &[P],
        options: &Sp3MergeOptions,
    ) -> Result<Sp3Product, EphemerisError> {
        let mut parts: Vec<Parsed> = Vec::with_capacity(paths.len());
        for p in paths {
            let path = p.as_ref();
            parts.push(Reader::new(path).parse(&super::read_text(path)?)?);
        }
        merge(parts, options)
    }
}

/// The merge of [`Sp3Product::from_files_with`].
fn merge(mut parts: Vec<Parsed>, options: &Sp3MergeOptions) -> Result<Sp3Product, EphemerisError> {
    if parts.is_empty() {
        return Err(EphemerisError::Unsupported {
            path: PathBuf::new(),
            what: "no SP3 file given".to_string(),
        });
    }
    parts.sort_by(|a, b| {
        a.product.epochs[0]
            .cmp(&b.product.epochs[0])
            .then_with(|| a.path.cmp(&b.path))
    });
    if parts.len() == 1 {
        let mut one = parts.pop().expect("one part").product;
        one.merge.files = 1;
        return Ok(one);
    }
    let first = &parts[0];
    if !options.allow_mixed {
        for p in &parts[1..] {
            let (a, b) = (&first.product, &p.product);
            let mixed = |what: &str, x: String, y: String, la: usize, lb: usize| {
                Err(EphemerisError::Sp3Mixed(Box::new(Sp3Mixed {
                    first: first.path.clone(),
                    first_line: la,
                    second: p.path.clone(),
                    second_line: lb,
                    what: what.to_string(),
                    first_value: x,
                    second_value: y,
                })))
            };
            if a.agency != b.agency {
                return mixed("analysis centre", a.agency.clone(), b.agency.clone(), 1, 1);
            }
            if a.time_scale != b.time_scale {
                return mixed(
                    "time system",
                    a.time_scale.to_string(),
                    b.time_scale.to_string(),
                    first.time_system_line,
                    p.time_system_line,
                );
            }
            if a.coordinate_system != b.coordinate_system {
                let (x, y) = (a.coordinate_system.clone(), b.coordinate_system.clone());
                return mixed("coordinate frame", x, y, 1, 1);
            }
            if a.epoch_interval_s != b.epoch_interval_s {
                let (x, y) = (
                    a.epoch_interval_s.to_string(),
                    b.epoch_interval_s.to_string(),
                );
                return mixed("epoch interval (s)", x, y, 2, 2);
            }
        }
    }
    let scale = first.product.time_scale;
    let mut epochs: Vec<Epoch> = parts
        .iter()
        .flat_map(|p| p.product.epochs.iter().map(|e| e.to_time_scale(scale)))
        .collect();
    epochs.sort();
    epochs.dedup();
    let mut sats: Vec<SatId> = parts
        .iter()
        .flat_map(|p| p.product.satellites.iter().map(|s| s.sat))
        .collect();
    sats.sort();
    sats.dedup();
    let n = epochs.len();
    let mut out: Vec<Sp3Satellite> = sats
        .iter()
        .map(|&sat| Sp3Satellite {
            sat,
            position_m: vec![None; n],
            clock_s: vec![None; n],
            predicted: vec![false; n],
        })
        .collect();
    // Provenance of each filled node: (part, line).
    let mut from: Vec<Vec<(u32, u32)>> = vec![vec![(u32::MAX, 0); n]; sats.len()];
    let mut stats = Sp3MergeStats {
        files: parts.len(),
        ..Sp3MergeStats::default()
    };
    for (pi, part) in parts.iter().enumerate() {
        let map: Vec<usize> = part
            .product
            .epochs
            .iter()
            .map(|e| {
                epochs
                    .binary_search(&e.to_time_scale(scale))
                    .unwrap_or_default()
            })
            .collect();
        for (si, s) in part.product.satellites.iter().enumerate() {
            let o = sats.binary_search(&s.sat).unwrap_or_default();
            for (k, &u) in map.iter().enumerate() {
                let Some(pos) = s.position_m[k] else {
                    if out[o].position_m[u].is_none() {
                        // A clock without a position still fills its slot.
                        out[o].clock_s[u] = out[o].clock_s[u].or(s.clock_s[k]);
                    }
                    continue;
                };
                let line = part.lines[si][k];
                if let Some(prev) = out[o].position_m[u] {
                    let d = (prev - pos).norm();
                    let (pp, pl) = from[o][u];
                    if d > options.node_tolerance_m || !d.is_finite() {
                        return Err(EphemerisError::Sp3NodeConflict(Box::new(Sp3NodeConflict {
                            first: parts[pp as usize].path.clone(),
                            first_line: pl as usize,
                            second: part.path.clone(),
                            second_line: line as usize,
                            sat: s.sat,
                            epoch: epochs[u],
                            difference_m: d,
                            tolerance_m: options.node_tolerance_m,
                        })));
                    }
                    stats.shared_nodes += 1;
                    stats.max_shared_difference_m = stats.max_shared_difference_m.max(d);
                }
                out[o].position_m[u] = Some(pos);
                out[o].clock_s[u] = s.clock_s[k].or(out[o].clock_s[u]);
                out[o].predicted[u] = s.predicted[k];
                from[o][u] = (pi as u32, line);
            }
        }
    }
    let a = &parts[0].product;
    Ok(Sp3Product {
        agency: a.agency.clone(),
        coordinate_system: a.coordinate_system.clone(),
        time_scale: scale,
        epoch_interval_s: a.epoch_interval_s,
        epochs,
        satellites: out,
        merge: stats,
    })
}
