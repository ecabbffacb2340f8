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
//! (47–60). Bad or absent values: positions 0.000000 (all three) and clocks ≥ 999999.

use std::path::{Path, PathBuf};

use hifitime::{Duration, Epoch, TimeScale};
use nalgebra::Vector3;

use super::{EphemerisError, Sp3Product, Sp3Satellite};
use crate::id::{Constellation, SatId};

impl Sp3Product {
    /// Read an SP3-c or SP3-d file (plain text, or gzip detected by its magic bytes).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Sp3Product, EphemerisError> {
        let path = path.as_ref();
        Self::from_str_named(&super::read_text(path)?, path)
    }

    /// Parse SP3 text; `name` is used in error messages.
    pub fn from_str_named(text: &str, name: &Path) -> Result<Sp3Product, EphemerisError> {
        Reader::new(name).parse(text)
    }
}

/// One `P` record: satellite, epoch index, position (m), clock (s).
pub(crate) type Record = (SatId, usize, Option<Vector3<f64>>, Option<f64>);

struct Reader {
    path: PathBuf,
}

/// Characters `a..b` (0-based, end exclusive) of an ASCII line, trimmed; empty when short.
fn field(line: &str, a: usize, b: usize) -> &str {
    let b = b.min(line.len());
    if a >= b {
        return "";
    }
    line.get(a..b).unwrap_or("").trim()
}

impl Reader {
    fn new(path: &Path) -> Self {
        Reader {
            path: path.to_path_buf(),
        }
    }

    fn err(&self, line: usize, message: impl Into<String>) -> EphemerisError {
        EphemerisError::Parse {
            path: self.path.clone(),
            line,
            message: message.into(),
        }
    }

    fn num<T: std::str::FromStr>(
        &self,
        s: &str,
        line: usize,
        what: &str,
    ) -> Result<T, EphemerisError> {
        s.parse::<T>()
            .map_err(|_| self.err(line, format!("{what}: cannot parse '{s}'")))
    }

    fn parse(&self, text: &str) -> Result<Sp3Product, EphemerisError> {
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
        let mut epoch_interval_s = 0.0;
        let mut time_scale: Option<TimeScale> = None;
        // For GLONASS time (GLO) epochs are converted to UTC by −3 h.
        let mut glo_offset = Duration::ZERO;
        let mut seen_pc = false;
        let mut epochs: Vec<Epoch> = Vec::new();
        // (sat, epoch index, position, clock)
        let mut records: Vec<Record> = Vec::new();
        for (n, line) in lines {
            if !line.is_ascii() {
                return Err(self.err(n, "non-ASCII characters"));
            }
            if line.starts_with("##") {
                epoch_interval_s = self.num(field(line, 24, 38), n, "epoch interval")?;
            } else if line.starts_with("%c") {
                if !seen_pc {
                    seen_pc = true;
                    let ts = field(line, 9, 12);
                    let (scale, offset) = super::time_system(ts)
                        .ok_or_else(|| self.err(n, format!("unknown time system '{ts}'")))?;
                    time_scale = Some(scale);
                    glo_offset = offset;
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
                epochs.push(e);
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
                records.push((sat, k, position_from_km(x, y, z), clock));
            } else if line.starts_with("EOF") {
                break;
            }
        }
        let time_scale = time_scale.ok_or_else(|| self.err(1, "no '%c' time-system line"))?;
        if epochs.is_empty() {
            return Err(self.err(1, "no epoch lines"));
        }
        Ok(assemble(
            agency,
            coordinate_system,
            time_scale,
            epoch_interval_s,
            epochs,
            records,
        ))
    }
}

/// An SP3 position in km as the product writes it, in metres; `None` for the bad-value
/// marker (0, 0, 0), a non-finite value or a magnitude of 999999 km or more.
pub(crate) fn position_from_km(x: f64, y: f64, z: f64) -> Option<Vector3<f64>> {
    let bad = (x == 0.0 && y == 0.0 && z == 0.0)
        || [x, y, z]
            .iter()
            .any(|v| !v.is_finite() || v.abs() >= 999_999.0);
    (!bad).then(|| Vector3::new(x, y, z) * 1e3)
}

/// An SP3 clock in µs as written, in seconds; `None` for the `999999.999999` marker (any
/// magnitude of 999999 µs or more) or a non-finite value.
pub(crate) fn clock_from_us(v: f64) -> Option<f64> {
    (v.is_finite() && v.abs() < 999_999.0).then_some(v * 1e-6)
}

/// The product table from its epochs (strictly increasing) and its `P` records (satellite,
/// epoch index, position, clock); shared by the file reader and conversions from other
/// readers' values.
pub(crate) fn assemble(
    agency: String,
    coordinate_system: String,
    time_scale: TimeScale,
    mut epoch_interval_s: f64,
    epochs: Vec<Epoch>,
    records: Vec<Record>,
) -> Sp3Product {
    // Satellites from the data records (the header list is not needed).
    let mut sats: Vec<SatId> = records.iter().map(|r| r.0).collect();
    sats.sort();
    sats.dedup();
    let mut satellites: Vec<Sp3Satellite> = sats
        .iter()
        .map(|&sat| Sp3Satellite {
            sat,
            position_m: vec![None; epochs.len()],
            clock_s: vec![None; epochs.len()],
        })
        .collect();
    for (sat, k, pos, clock) in records {
        let i = sats.binary_search(&sat).unwrap_or_default();
        satellites[i].position_m[k] = pos;
        satellites[i].clock_s[k] = clock;
    }
    if epoch_interval_s <= 0.0 && epochs.len() > 1 {
        epoch_interval_s = (epochs[1] - epochs[0]).to_seconds();
    }
    Sp3Product {
        agency,
        coordinate_system,
        time_scale,
        epoch_interval_s,
        epochs,
        satellites,
    }
}
