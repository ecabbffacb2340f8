//! Precise satellite clocks: RINEX clock files (3.00–3.04, `AS` records) and the clock columns of
//! SP3 products, as one [`ClockProduct`] (per-satellite arrays on the product's epoch grid).
//!
//! RINEX clock 3.0x data records (RINEX Clock 3.04, IGS/RTCM 2017, §5 and Table A5): record
//! type (`AR`, `AS`, `CR`, `DR`, `MS`), receiver or satellite name, epoch in the file's
//! `TIME SYSTEM ID` (default GPS), the number of values (1–6) and the values, at most two on the
//! first line and the rest on one continuation line. Only `AS` (satellite clock) records are
//! kept; the first value is the clock bias in seconds. Satellite names are whitespace-separated,
//! so the 4-character (3.00–3.02) and 9-character (3.04) name fields are both read.
//!
//! Every anomaly is an [`EphemerisError::Parse`] naming the file and the 1-based line: a
//! truncated record, a number that does not parse or is not finite (NaN, inf), the same
//! satellite and epoch twice with different values, an unknown record type. Records of the other
//! types, and `AS` records of systems this crate does not model, are counted in
//! [`ClockProduct::skipped_records`].

use super::LineErrors;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hifitime::{Duration, Epoch, TimeScale};
use serde::{Deserialize, Serialize};

use super::{EphemerisError, Sp3Product};
use crate::id::{Constellation, SatId};

/// Where a [`ClockProduct`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ClockOrigin {
    /// A RINEX clock file of this version.
    RinexClock {
        /// Version from the header (3.00 … 3.04).
        version: f64,
    },
    /// The clock columns of an SP3 product.
    Sp3,
}

/// Precise satellite clocks on an epoch grid.
///
/// The values are the products' satellite clock offsets against the analysis centre's
/// reference (for IGS/MGEX products: ionosphere-free clocks, the periodic relativistic term
/// −2 r·v/c² *excluded*, IGS convention).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockProduct {
    /// File read, when known.
    pub path: Option<PathBuf>,
    /// RINEX clock file or SP3.
    pub origin: ClockOrigin,
    /// Analysis centre: RINEX clock `ANALYSIS CENTER` (first 3 characters) or SP3 agency.
    pub agency: String,
    /// Time scale of the epochs (`TIME SYSTEM ID`, GPST when absent; SP3 `%c`).
    pub time_scale: TimeScale,
    /// Epochs of the table, strictly increasing.
    pub epochs: Vec<Epoch>,
    /// One entry per satellite, sorted by `SatId`.
    pub satellites: Vec<ClockSatellite>,
    /// Records not kept, by record type (`AR`, `CR`, `DR`, `MS`; `AS` of other systems under
    /// `AS-other`).
    pub skipped_records: BTreeMap<String, usize>,
}

/// One satellite's clocks on the product's epoch grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClockSatellite {
    /// Satellite.
    pub sat: SatId,
    /// Clock offset, s, at each epoch of the grid; `None` where the product has no value.
    pub clock_s: Vec<Option<f64>>,
}

impl ClockProduct {
    /// Reads a RINEX clock file (plain text, or gzip detected by its magic bytes).
    pub fn from_rinex_clock_file(path: impl AsRef<Path>) -> Result<ClockProduct, EphemerisError> {
        let path = path.as_ref();
        Self::from_rinex_clock_str(&super::read_text(path)?, path)
    }

    /// Parses RINEX clock text; `name` is used in error messages and kept as [`Self::path`].
    ///
    /// ```
    /// use gnss_interop::ephemeris::ClockProduct;
    /// use std::path::Path;
    /// // Header essentials and two records of WUM0MGXFIN_20230010000_01D_30S_CLK.CLK.
    /// let text = concat!(
    ///     "     3.00           C                   M                   RINEX VERSION / TYPE\n",
    ///     "   GPS                                                      TIME SYSTEM ID\n",
    ///     "WHU  GNSS RESEARCH CENTER, WUHAN UNIVERSITY, P.R.CHINA      ANALYSIS CENTER\n",
    ///     "                                                            END OF HEADER\n",
    ///     "AS C01  2023  1  1  0  0  0.000000  1    0.923712107060E-03\n",
    ///     "AS R01  2023  1  1  0  0  0.000000  1    0.204528084893E-04\n",
    /// );
    /// let clk = ClockProduct::from_rinex_clock_str(text, Path::new("wum.clk"))?;
    /// assert_eq!(clk.agency, "WHU");
    /// let c01 = clk.clock_at("C01".parse()?, clk.epochs[0]).unwrap();
    /// assert!((c01 - 0.923712107060e-3).abs() < 1e-18);
    /// # Ok::<(), gnss_interop::Error>(())
    /// ```
    pub fn from_rinex_clock_str(text: &str, name: &Path) -> Result<ClockProduct, EphemerisError> {
        ClkReader { path: name }.parse(text)
    }

    /// The clock columns of an SP3 product (no second SP3 parser: see [`Sp3Product`]).
    pub fn from_sp3(product: &Sp3Product, path: Option<PathBuf>) -> ClockProduct {
        ClockProduct {
            path,
            origin: ClockOrigin::Sp3,
            agency: product.agency.clone(),
            time_scale: product.time_scale,
            epochs: product.epochs.clone(),
            satellites: product
                .satellites
                .iter()
                .map(|s| ClockSatellite {
                    sat: s.sat,
                    clock_s: s.clock_s.clone(),
                })
                .collect(),
            skipped_records: BTreeMap::new(),
        }
    }

    /// Reads the clock columns of an SP3 file (through [`Sp3Product::from_file`]).
    pub fn from_sp3_file(path: impl AsRef<Path>) -> Result<ClockProduct, EphemerisError> {
        let path = path.as_ref();
        Ok(Self::from_sp3(
            &Sp3Product::from_file(path)?,
            Some(path.to_path_buf()),
        ))
    }

    /// A short label: agency and file name.
    pub fn label(&self) -> String {
        match &self.path {
            Some(p) => format!(
                "{} ({})",
                self.agency,
                p.file_name().unwrap_or_default().to_string_lossy()
            ),
            None => self.agency.clone(),
        }
    }

    /// Index of `epoch` in [`Self::epochs`] when it is a node of the grid (within 1 µs).
    pub fn epoch_index(&self, epoch: Epoch) -> Option<usize> {
        let tol = Duration::from_microseconds(1.0);
        let i = self.epochs.partition_point(|e| *e < epoch - tol);
        self.epochs
            .get(i)
            .filter(|e| (**e - epoch).abs() <= tol)
            .map(|_| i)
    }

    /// The clock of `sat` at a node of the grid, s; `None` when `epoch` is not a node or the
    /// product has no value there. No interpolation: products are used at their own epochs.
    pub fn clock_at(&self, sat: SatId, epoch: Epoch) -> Option<f64> {
        let k = self.epoch_index(epoch)?;
        let i = self.satellites.binary_search_by_key(&sat, |s| s.sat).ok()?;
        self.satellites[i].clock_s[k]
    }
}

/// One kept `AS` record: satellite, epoch key (TAI ns), epoch, value (s), line.
type AsRecord = (SatId, i128, Epoch, f64, usize);

struct ClkReader<'a> {
    path: &'a Path,
}

impl super::LineErrors for ClkReader<'_> {
    fn path(&self) -> &Path {
        self.path
    }
}

impl ClkReader<'_> {
    fn number(&self, s: &str, line: usize, what: &str) -> Result<f64, EphemerisError> {
        crate::text::fortran_f64(s)
            .ok_or_else(|| self.err(line, format!("{what}: '{s}' is not a finite number")))
    }

    fn parse(&self, text: &str) -> Result<ClockProduct, EphemerisError> {
        let lines: Vec<&str> = text.lines().collect();
        let label = |l: &str| l.get(60..).unwrap_or("").trim().to_string();
        // Header.
        let first = lines
            .first()
            .ok_or_else(|| self.err(1, "empty file, expected 'RINEX VERSION / TYPE'"))?;
        if !first.is_ascii() || label(first) != "RINEX VERSION / TYPE" {
            return Err(self.err(1, format!("not a RINEX clock header line: '{first}'")));
        }
        let version: f64 = first
            .get(0..9)
            .unwrap_or("")
            .trim()
            .parse()
            .map_err(|_| self.err(1, format!("RINEX version: cannot parse '{first}'")))?;
        if first.get(20..21) != Some("C") {
            return Err(EphemerisError::Unsupported {
                path: self.path.to_path_buf(),
                what: format!(
                    "file type '{}' (a clock file has 'C')",
                    first.get(20..21).unwrap_or("")
                ),
            });
        }
        if !(3.0..3.045).contains(&version) {
            return Err(EphemerisError::Unsupported {
                path: self.path.to_path_buf(),
                what: format!("RINEX clock version {version} (3.00–3.04 are read)"),
            });
        }
        let mut time_scale = TimeScale::GPST;
        let mut shift = Duration::ZERO;
        let mut agency = String::new();
        let mut body = None;
        for (i, l) in lines.iter().enumerate().skip(1) {
            let n = i + 1;
            if !l.is_ascii() {
                return Err(self.err(n, "non-ASCII characters"));
            }
            match label(l).as_str() {
                "TIME SYSTEM ID" => {
                    let ts = l.get(0..60).unwrap_or("").trim();
                    (time_scale, shift) = super::time_system(ts)
                        .ok_or_else(|| self.err(n, format!("unknown time system '{ts}'")))?;
                }
                "ANALYSIS CENTER" => {
                    agency = l.get(0..3).unwrap_or("").trim().to_string();
                }
                "END OF HEADER" => {
                    body = Some(i + 1);
                    break;
                }
                _ => {}
            }
        }
        let body = body.ok_or_else(|| self.err(lines.len(), "no 'END OF HEADER' line"))?;

        let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
        let mut records: Vec<AsRecord> = Vec::new();
        let mut seen: HashMap<(SatId, i128), (f64, usize)> = HashMap::new();
        let mut i = body;
        while i < lines.len() {
            let n = i + 1;
            let l = lines[i];
            i += 1;
            if !l.is_ascii() {
                return Err(self.err(n, "non-ASCII characters"));
            }
            if l.trim().is_empty() {
                continue;
            }
            let kind = l.get(0..2).unwrap_or(l);
            if !matches!(kind, "AS" | "AR" | "CR" | "DR" | "MS") {
                return Err(self.err(
                    n,
                    format!("unknown record type '{kind}' (expected AS, AR, CR, DR or MS)"),
                ));
            }
            let parts: Vec<&str> = l[2..].split_whitespace().collect();
            if parts.len() < 8 {
                return Err(self.err(n, format!("truncated {kind} record: '{l}'")));
            }
            let count: usize = self.num(parts[7], n, "number of values")?;
            if !(1..=6).contains(&count) {
                return Err(self.err(n, format!("number of values {count} not in 1–6")));
            }
            let on_first = parts.len() - 8;
            if on_first < count.min(2) {
                return Err(self.err(
                    n,
                    format!(
                        "truncated {kind} record: {count} value(s) announced, {on_first} given"
                    ),
                ));
            }
            if count > 2 {
                // Continuation line with the remaining values.
                let more = lines
                    .get(i)
                    .map(|c| c.split_whitespace().count())
                    .unwrap_or(0);
                if more < count - 2 {
                    return Err(self.err(
                        n + 1,
                        format!("truncated continuation of the {kind} record on line {n}"),
                    ));
                }
                i += 1;
            }
            let name = parts[0];
            let letter = name.chars().next().unwrap_or(' ');
            if kind != "AS" {
                *skipped.entry(kind.to_string()).or_default() += 1;
                continue;
            }
            if Constellation::from_letter(letter).is_none() {
                *skipped.entry("AS-other".to_string()).or_default() += 1;
                continue;
            }
            let sat: SatId = name
                .parse()
                .map_err(|e| self.err(n, format!("satellite '{name}': {e}")))?;
            let y: i32 = self.num(parts[1], n, "year")?;
            let mo: u8 = self.num(parts[2], n, "month")?;
            let d: u8 = self.num(parts[3], n, "day")?;
            let h: u8 = self.num(parts[4], n, "hour")?;
            let mi: u8 = self.num(parts[5], n, "minute")?;
            let sec = self.number(parts[6], n, "second")?;
            if !(1980..=2200).contains(&y)
                || !(1..=12).contains(&mo)
                || !(1..=31).contains(&d)
                || h > 23
                || mi > 59
                || !(0.0..61.0).contains(&sec)
            {
                return Err(self.err(n, format!("invalid date/time in '{l}'")));
            }
            let epoch = Epoch::maybe_from_gregorian(y, mo, d, h, mi, 0, 0, time_scale)
                .map_err(|e| self.err(n, format!("invalid epoch in '{l}': {e}")))?
                + Duration::from_seconds(sec)
                - shift;
            let value = self.number(parts[8], n, "clock bias")?;
            let max = super::limits::MAX_CLOCK_OFFSET_S;
            if value.abs() > max {
                return Err(self.err(
                    n,
                    format!(
                        "{sat} at {epoch}: clock bias {} s outside ±{max} s",
                        crate::limits::brief(value)
                    ),
                ));
            }
            let key = crate::time::tai_ns(epoch);
            match seen.get(&(sat, key)) {
                Some(&(v, first_line)) if v != value => {
                    return Err(self.err(
                        n,
                        format!(
                            "{sat} at {epoch}: clock {value:e} s differs from {v:e} s given on \
                             line {first_line} for the same epoch"
                        ),
                    ));
                }
                Some(_) => continue, // exact repetition: harmless
                None => {
                    seen.insert((sat, key), (value, n));
                }
            }
            records.push((sat, key, epoch, value, n));
        }
        if records.is_empty() {
            return Err(self.err(lines.len().max(1), "no satellite clock (AS) records"));
        }
        let grid: BTreeMap<i128, Epoch> = records.iter().map(|r| (r.1, r.2)).collect();
        let keys: Vec<i128> = grid.keys().copied().collect();
        let epochs: Vec<Epoch> = grid.values().copied().collect();
        let mut sats: Vec<SatId> = records.iter().map(|r| r.0).collect();
        sats.sort();
        sats.dedup();
        let mut satellites: Vec<ClockSatellite> = sats
            .iter()
            .map(|&sat| ClockSatellite {
                sat,
                clock_s: vec![None; epochs.len()],
            })
            .collect();
        for (sat, key, _, value, _) in records {
            if let (Ok(s), Ok(k)) = (sats.binary_search(&sat), keys.binary_search(&key)) {
                satellites[s].clock_s[k] = Some(value);
            }
        }
        Ok(ClockProduct {
            path: (!self.path.as_os_str().is_empty()).then(|| self.path.to_path_buf()),
            origin: ClockOrigin::RinexClock { version },
            agency,
            time_scale,
            epochs,
            satellites,
            skipped_records: skipped,
        })
    }
}
