//! A focused reader of RINEX navigation files (versions 2.xx GLONASS, 3.0x and 4.00–4.02) that
//! keeps only what this crate studies: BeiDou and GLONASS FDMA broadcast records.
//!
//! Why our own reader rather than the `rinex` crate: we need file-and-line errors, D-exponents
//! (RINEX 2), the three layouts (v2 fixed columns, v3 records, v4 `>` frames) and a guarantee of
//! no panic on corrupted input; the `rinex` crate brings a heavy dependency graph and its
//! behaviour on mutated files is unknown. This reader works on bytes, slices fixed columns with
//! bounds checks, and turns every anomaly into [`EphemerisError::Parse`] with the line number.
//!
//! Layouts read (RINEX 2.11 Table A11 for GLONASS; RINEX 3.05 and 4.00 appendix tables for
//! BeiDou and GLONASS navigation messages):
//!
//! * BeiDou D1/D2 (RINEX 3 records and RINEX 4 `> EPH Cnn D1|D2`): SV/epoch/clock line (toc in
//!   BDT, a₀ a₁ a₂) and 7 orbit lines: AODE Crs Δn M₀ / Cuc e Cus √A / t_oe Cic Ω₀ Cis /
//!   i₀ Crc ω Ω̇ / IDOT − BDT-week − / accuracy SatH1 TGD1 TGD2 / t_tm AODC.
//! * BeiDou B-CNAV1/B-CNAV2 (RINEX 4 `CNV1|CNV2`): 9 orbit lines: Ȧ Crs Δn₀ M₀ / Cuc e Cus √A /
//!   t_oe Cic Ω₀ Cis / i₀ Crc ω Ω̇ / IDOT Δṅ₀ SatType t_op / SISAI_oe SISAI_ocb SISAI_oc1
//!   SISAI_oc2 / ISC_B1Cd ISC_B2ad TGD_B1Cp TGD_B2ap / SISMAI health integrity IODC /
//!   t_tm − − IODE. These records carry no week: the BDT week of t_oe is the one that puts
//!   t_oe nearest to toc.
//! * B-CNAV3 (`CNV3`) records are skipped knowingly and counted under `C` in
//!   [`NavData::skipped_records`].
//! * GLONASS FDMA: SV/epoch line (epoch in UTC(SU), −τn, +γn, frame time) and 3 orbit lines:
//!   X Ẋ Ẍ health / Y Ẏ Ÿ k / Z Ż Z̈ E_n (km, km/s, km/s²); RINEX 3.05 and 4 add a fourth line
//!   (status flags, Δτ, URAI, health flags) which is accepted and not kept.
//!
//! The broadcast time offsets (`TIME SYSTEM CORR`, `CORR TO SYSTEM TIME`,
//! `DELTA-UTC: A0,A1,T,W`, `LEAP SECONDS` and RINEX 4 `> STO` frames) are read in the same pass
//! into [`NavData::offsets`], by the decoders of [`crate::time::offsets`]. `> ION` and `> EOP`
//! frames are skipped.

use super::LineErrors;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use hifitime::{Epoch, TimeScale};
use nalgebra::Vector3;

use super::{limits, BdsEphemeris, BdsMessage, EphemerisError, GlonassEphemeris};
use crate::id::{Constellation, SatId};
use crate::time::BroadcastOffsets;

/// Seconds in a week.
const WEEK_S: f64 = 604_800.0;

/// Largest |toc − toe| accepted in a BeiDou D1/D2 record before the record is declared
/// inconsistent (a wrong year or week in the file). Real records have toc = toe or a few hours.
const MAX_TOC_TOE_GAP_S: f64 = 86_400.0;

/// Years accepted in record epochs.
const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1980..=2200;

/// The broadcast records of a navigation file that this crate uses.
#[derive(Debug, Clone, PartialEq)]
pub struct NavData {
    /// File read, when known.
    pub path: Option<PathBuf>,
    /// RINEX version from the header (2.11, 3.05, 4.00 …).
    pub version: f64,
    /// The broadcast time offsets and the `LEAP SECONDS` line of the file(s).
    pub offsets: BroadcastOffsets,
    /// BeiDou records per satellite, sorted by t_oe.
    pub bds: BTreeMap<SatId, Vec<BdsEphemeris>>,
    /// GLONASS records per satellite, sorted by t_b.
    pub glonass: BTreeMap<SatId, Vec<GlonassEphemeris>>,
    /// Ephemeris records not read, per system letter: other systems, and BeiDou B-CNAV3 under
    /// `C`. STO/ION/EOP frames are not counted.
    pub skipped_records: BTreeMap<char, usize>,
    /// What [`NavData::merge`] did (all zero, `files` 1, for one file read alone).
    pub merge: NavMergeStats,
    /// What was accepted only because a [`NavReadOptions`] switch allowed it (a cut last
    /// record dropped, a record far outside the file's span kept), one line each with the
    /// file and line, and what the reader resolved by rule (records of one satellite and
    /// reference time differing only in health).
    pub warnings: Vec<String>,
}

/// Switches of the navigation reader. The defaults refuse; each switch accepts one kind of
/// damaged input and records what it did in [`NavData::warnings`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NavReadOptions {
    /// A file that ends inside a record or inside a line (a cut or interrupted download) is
    /// an error naming the last complete record; with this switch the incomplete record is
    /// dropped and the rest is kept.
    pub allow_truncated: bool,
    /// A record dated more than a day outside the file's span (the span of the bulk of its
    /// records: a wrong year or month in the record) is an error; with this switch it is kept.
    pub keep_far_records: bool,
}

/// How far (s) a record may lie outside the span of the bulk of its file's records.
const FAR_RECORD_S: f64 = 86_400.0;

/// Counts of a merge of several navigation files ([`NavData::merge`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NavMergeStats {
    /// Files merged.
    pub files: usize,
    /// Records dropped because an identical record (all fields but the line number) came
    /// from another file, or because the same file repeated a record with equal orbit and
    /// clock terms (see [`NavData::resolve_same_key_records`]).
    pub duplicates_dropped: usize,
    /// Records dropped because another file held a different record for the same satellite,
    /// reference time (and, for BeiDou, message type); the merge rule keeps the record of the
    /// file that sorts last by file name.
    pub conflicts_resolved: usize,
}

impl NavData {
    /// Reads a navigation file; gzip-compressed files (`.gz`, detected by their magic bytes)
    /// are decompressed on the fly.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, EphemerisError> {
        Self::from_file_with(path, NavReadOptions::default())
    }

    /// [`NavData::from_file`] with reader switches.
    pub fn from_file_with(
        path: impl AsRef<Path>,
        options: NavReadOptions,
    ) -> Result<Self, EphemerisError> {
        let path = path.as_ref();
        Reader::new(super::open_maybe_gz(path)?, path, options).read()
    }

    /// Reads several navigation files (each optionally gzip, in any order) and merges them
    /// into one with [`NavData::merge`].
    pub fn from_files<P: AsRef<Path>>(paths: &[P]) -> Result<Self, EphemerisError> {
        let parts = paths
            .iter()
            .map(Self::from_file)
            .collect::<Result<Vec<_>, _>>()?;
        Self::merge(parts)
    }

    /// Merges navigation data read from several files into one: the parts are put in file-name
    /// order (then full path), so the order given does not matter; per satellite the records
    /// of all parts are merged and sorted by reference time. Across files, a record identical
    /// to one of another file (all fields but the line number) is dropped as a duplicate;
    /// records of different files for the same satellite and reference time (t_oe and message
    /// type for BeiDou, t_b for GLONASS) that differ are a conflict, resolved by keeping the
    /// records of the file that sorts last by name (for daily files, the later day) and
    /// counted in [`NavData::merge`]. Records repeated inside one file are kept as read.
    /// The result's `path` is the first file, `version` the highest; the offsets are
    /// concatenated in the same file order with [`BroadcastOffsets::merge`] (identical ones
    /// dropped, the last `LEAP SECONDS` line kept).
    ///
    /// An empty list is an error.
    pub fn merge(mut parts: Vec<NavData>) -> Result<Self, EphemerisError> {
        parts.sort_by(|a, b| {
            let name = |d: &NavData| {
                d.path
                    .as_ref()
                    .map(|p| (p.file_name().map(|n| n.to_os_string()), p.clone()))
            };
            name(a).cmp(&name(b))
        });
        let mut parts = parts.into_iter();
        let Some(first) = parts.next() else {
            return Err(EphemerisError::Parse {
                path: PathBuf::new(),
                line: 0,
                message: "no navigation file to merge".to_string(),
            });
        };
        let rest: Vec<NavData> = parts.collect();
        if rest.is_empty() {
            return Ok(first);
        }
        let mut stats = NavMergeStats {
            files: 1 + rest.len(),
            ..NavMergeStats::default()
        };
        let mut out = NavData {
            path: first.path.clone(),
            version: first.version,
            offsets: BroadcastOffsets::new(first.version, first.path.clone()),
            bds: BTreeMap::new(),
            glonass: BTreeMap::new(),
            skipped_records: BTreeMap::new(),
            merge: NavMergeStats::default(),
            warnings: Vec::new(),
        };
        let mut bds: BTreeMap<SatId, Vec<(usize, BdsEphemeris)>> = BTreeMap::new();
        let mut glo: BTreeMap<SatId, Vec<(usize, GlonassEphemeris)>> = BTreeMap::new();
        for (k, part) in std::iter::once(first).chain(rest).enumerate() {
            out.version = out.version.max(part.version);
            out.offsets.merge(part.offsets);
            out.warnings.extend(part.warnings);
            for (c, n) in part.skipped_records {
                *out.skipped_records.entry(c).or_default() += n;
            }
            for (sat, v) in part.bds {
                bds.entry(sat)
                    .or_default()
                    .extend(v.into_iter().map(|r| (k, r)));
            }
            for (sat, v) in part.glonass {
                glo.entry(sat)
                    .or_default()
                    .extend(v.into_iter().map(|r| (k, r)));
            }
        }
        for (sat, v) in bds {
            let merged = merge_records(
                v,
                &mut stats,
                |r| (r.toe, r.message as u8),
                |r| {
                    let mut r = r.clone();
                    r.source_line = 0;
                    r
                },
            );
            out.bds.insert(sat, merged);
        }
        for (sat, v) in glo {
            let merged = merge_records(
                v,
                &mut stats,
                |r| (r.tb, 0u8),
                |r| {
                    let mut r = r.clone();
                    r.source_line = 0;
                    r
                },
            );
            out.glonass.insert(sat, merged);
        }
        out.merge = stats;
        Ok(out)
    }

    /// Reads navigation data from any buffered reader; `name` is used in error messages and
    /// stored as [`NavData::path`] (an empty name gives `None`).
    ///
    /// ```
    /// use gnss_interop::ephemeris::NavData;
    /// use hifitime::Epoch;
    /// use std::path::Path;
    /// // First and last header lines and one GLONASS record of the IGS merged navigation
    /// // file BRDC00IGS_R_20230010000_01D_MN.rnx (R01, t_b = 2023-01-01 00:15:00 UTC(SU)).
    /// let text = concat!(
    ///     "     3.05           NAVIGATION DATA     MIXED               RINEX VERSION / TYPE\n",
    ///     "                                                            END OF HEADER\n",
    ///     "R01 2023 01 01 00 15 00 2.048350870609e-05 0.000000000000e+00 0.000000000000e+00\n",
    ///     "     1.855895410156e+04 2.283813476562e+00-0.000000000000e+00 0.000000000000e+00\n",
    ///     "    -4.860471191406e+03 3.012857437134e-01-0.000000000000e+00 1.000000000000e+00\n",
    ///     "    -1.680843750000e+04 2.435156822205e+00 2.793967723846e-09 0.000000000000e+00\n",
    ///     "                         .999999999999e+09 1.500000000000e+01                   \n",
    /// );
    /// let nav = NavData::from_reader(text.as_bytes(), Path::new("brdc.rnx"))?;
    /// assert_eq!(nav.glonass_record_count(), 1);
    /// let r01 = &nav.glonass[&"R01".parse()?][0];
    /// assert_eq!(r01.tb, Epoch::from_gregorian_utc_hms(2023, 1, 1, 0, 15, 0));
    /// // RINEX writes km, km/s and km/s²; the record holds m, m/s and m/s².
    /// assert!((r01.position_m.x - 1.855895410156e7).abs() < 1e-6);
    /// assert!((r01.velocity_m_s.z - 2.435156822205e3).abs() < 1e-9);
    /// assert_eq!(r01.channel, 1);
    /// assert_eq!(r01.minus_tau_n_s, 2.048350870609e-5);
    /// # Ok::<(), gnss_interop::Error>(())
    /// ```
    pub fn from_reader<R: BufRead>(reader: R, name: &Path) -> Result<Self, EphemerisError> {
        Reader::new(reader, name, NavReadOptions::default()).read()
    }

    /// `LEAP SECONDS` of the header (current ΔtLS), when present.
    pub fn leap_seconds(&self) -> Option<i32> {
        self.offsets.leap_seconds.as_ref().map(|l| l.current_s)
    }

    /// All BeiDou and GLONASS satellites with at least one record, sorted.
    pub fn satellites(&self) -> Vec<SatId> {
        let mut v: Vec<SatId> = self
            .bds
            .keys()
            .chain(self.glonass.keys())
            .copied()
            .collect();
        v.sort();
        v
    }

    /// Number of BeiDou records.
    pub fn bds_record_count(&self) -> usize {
        self.bds.values().map(Vec::len).sum()
    }

    /// Number of GLONASS records.
    pub fn glonass_record_count(&self) -> usize {
        self.glonass.values().map(Vec::len).sum()
    }

    /// Ephemeris records of the file(s) per system, read or skipped (other systems, BeiDou
    /// B-CNAV3 counted under BeiDou), by RINEX letter; STO/ION/EOP frames are not counted.
    pub fn records_per_system(&self) -> BTreeMap<char, usize> {
        let mut n = self.skipped_records.clone();
        *n.entry('C').or_default() += self.bds_record_count();
        *n.entry('R').or_default() += self.glonass_record_count();
        n.retain(|_, v| *v > 0);
        n
    }

    /// What the file(s) hold against what was asked, for a source that holds none of the
    /// `wanted` systems: `"BRDC….rnx holds 187 GPS records and no BeiDou or GLONASS
    /// record"` (`"… + 1 more file hold …"` for merged files; `"holds no ephemeris record"`
    /// for an empty file).
    pub fn describe_holdings(&self, wanted: &[Constellation]) -> String {
        let name = self
            .path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "navigation data".to_string());
        let (who, verb) = match self.merge.files {
            0 | 1 => (name, "holds"),
            2 => (format!("{name} + 1 more file"), "hold"),
            n => (format!("{name} + {} more files", n - 1), "hold"),
        };
        let name_of = |c: char| {
            Constellation::from_letter(c)
                .map(|k| k.name().to_string())
                .unwrap_or_else(|| format!("system '{c}'"))
        };
        let held: Vec<String> = self
            .records_per_system()
            .iter()
            .map(|(&c, &n)| format!("{n} {} record{}", name_of(c), if n == 1 { "" } else { "s" }))
            .collect();
        let missing: Vec<String> = wanted.iter().map(|c| c.name().to_string()).collect();
        let held = if held.is_empty() {
            "no ephemeris record".to_string()
        } else {
            held.join(", ")
        };
        if missing.is_empty() {
            format!("{who} {verb} {held}")
        } else {
            format!("{who} {verb} {held} and no {} record", missing.join(" or "))
        }
    }
}

/// One line of the file as bytes, with its 1-based number.
struct RawLine {
    no: usize,
    bytes: Vec<u8>,
}

impl RawLine {
    fn is_blank(&self) -> bool {
        self.bytes.iter().all(|b| b.is_ascii_whitespace())
    }

    /// Bytes of columns `[start, start + width)`, clipped to the line.
    fn cols(&self, start: usize, width: usize) -> &[u8] {
        let len = self.bytes.len();
        let a = start.min(len);
        let b = start.saturating_add(width).min(len);
        &self.bytes[a..b]
    }
}

/// Layout family of the file body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// RINEX 2: one system per file (given by the file type letter).
    V2 { system: char },
    /// RINEX 3.0x: records start with the satellite identifier.
    V3,
    /// RINEX 4.0x: records in `>` frames.
    V4,
}

struct Reader<R> {
    input: R,
    path: PathBuf,
    line_no: usize,
    buf: Vec<u8>,
    pending: Option<RawLine>,
    options: NavReadOptions,
    /// The last line read had no end-of-line: the input ends inside it.
    cut_line: bool,
    /// RINEX version of the header (set by `read_header`).
    version: f64,
}

impl<R> super::LineErrors for Reader<R> {
    fn path(&self) -> &Path {
        &self.path
    }
}

impl<R: BufRead> Reader<R> {
    fn new(input: R, name: &Path, options: NavReadOptions) -> Self {
        Reader {
            input,
            path: name.to_path_buf(),
            line_no: 0,
            buf: Vec::with_capacity(128),
            pending: None,
            options,
            cut_line: false,
            version: 0.0,
        }
    }

    /// Next line (without its end-of-line bytes), or `None` at the end of the input.
    fn next_line(&mut self) -> Result<Option<RawLine>, EphemerisError> {
        if let Some(l) = self.pending.take() {
            return Ok(Some(l));
        }
        self.buf.clear();
        let n = self
            .input
            .read_until(b'\n', &mut self.buf)
            .map_err(|source| EphemerisError::Io {
                path: self.path.clone(),
                source,
            })?;
        if n == 0 {
            return Ok(None);
        }
        self.line_no += 1;
        self.cut_line = self.buf.last() != Some(&b'\n');
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        Ok(Some(RawLine {
            no: self.line_no,
            bytes: self.buf.clone(),
        }))
    }

    fn read(mut self) -> Result<NavData, EphemerisError> {
        let (version, layout, offsets) = self.read_header()?;
        self.version = version;
        let mut data = NavData {
            path: if self.path.as_os_str().is_empty() {
                None
            } else {
                Some(self.path.clone())
            },
            version,
            offsets,
            bds: BTreeMap::new(),
            glonass: BTreeMap::new(),
            skipped_records: BTreeMap::new(),
            merge: NavMergeStats {
                files: 1,
                ..NavMergeStats::default()
            },
            warnings: Vec::new(),
        };
        // Group the body into records: a start line and its continuation lines.
        let mut record: Vec<RawLine> = Vec::with_capacity(12);
        while let Some(line) = self.next_line()? {
            if line.is_blank() {
                continue;
            }
            if is_record_start(&line, layout) {
                if !record.is_empty() {
                    self.process(&record, layout, &mut data)?;
                    record.clear();
                }
            } else if record.is_empty() {
                return Err(self.err(
                    line.no,
                    format!(
                        "continuation line outside any record: '{}'",
                        show(&line.bytes)
                    ),
                ));
            }
            record.push(line);
        }
        if !record.is_empty() {
            // The last record: complete, or cut by the end of the input.
            let short = self
                .expected_lines(&record, layout)
                .is_some_and(|n| record.len() < n);
            if self.cut_line || short {
                let last = record.last().map_or(0, |l| l.no);
                let what = if self.cut_line {
                    format!("the file ends inside line {last} (no end of line)")
                } else {
                    format!(
                        "the file ends inside the record starting at line {} ({} of {} lines)",
                        record[0].no,
                        record.len(),
                        self.expected_lines(&record, layout).unwrap_or(0)
                    )
                };
                let complete = record[0].no.saturating_sub(1);
                if !self.options.allow_truncated {
                    return Err(self.err(
                        last,
                        format!(
                            "{what}: the file is cut; the last complete record ends at line \
                             {complete} (NavReadOptions::allow_truncated keeps what was read)"
                        ),
                    ));
                }
                data.warnings.push(format!(
                    "{}:{last}: {what}; the incomplete record was dropped, records up to line \
                     {complete} kept",
                    self.path.display()
                ));
            } else {
                self.process(&record, layout, &mut data)?;
            }
        }
        self.far_records(&mut data)?;
        // Also sorts each satellite's records by reference time (and BeiDou message type).
        data.resolve_same_key_records()?;
        Ok(data)
    }

    /// Reads the header up to `END OF HEADER`: version, layout, time offsets and leap seconds.
    fn read_header(&mut self) -> Result<(f64, Layout, BroadcastOffsets), EphemerisError> {
        let first = self
            .next_line()?
            .ok_or_else(|| self.err(1, "empty file: no RINEX header"))?;
        if !label(&first).starts_with("RINEX VERSION / TYPE") {
            return Err(self.err(
                first.no,
                format!(
                    "first line is not 'RINEX VERSION / TYPE': '{}'",
                    show(&first.bytes)
                ),
            ));
        }
        let version = text(first.cols(0, 9))
            .and_then(|t| t.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                self.err(
                    first.no,
                    format!("bad RINEX version '{}'", show(first.cols(0, 9))),
                )
            })?;
        let file_type = first.cols(20, 1).first().copied().unwrap_or(b' ') as char;
        let unsupported = |what: String| EphemerisError::Unsupported {
            path: self.path.clone(),
            what: format!("line {}: {what}", first.no),
        };
        let layout = if (2.0..3.0).contains(&version) {
            // RINEX 2: the file type letter names the system.
            let system = match file_type {
                'G' => 'R',
                'N' => 'G',
                'H' => 'S',
                'E' => 'E',
                'C' => 'C',
                other => {
                    return Err(unsupported(format!(
                        "RINEX {version:.2} file type '{other}' is not a navigation file"
                    )))
                }
            };
            Layout::V2 { system }
        } else if (3.0..4.0).contains(&version) {
            if file_type != 'N' {
                return Err(unsupported(format!(
                    "RINEX {version:.2} file type '{file_type}' is not a navigation file (N)"
                )));
            }
            Layout::V3
        } else if (4.0..4.025).contains(&version) {
            // 4.01 and 4.02 keep the 4.00 EPH frame layouts for BeiDou and GLONASS FDMA.
            if file_type != 'N' {
                return Err(unsupported(format!(
                    "RINEX {version:.2} file type '{file_type}' is not a navigation file (N)"
                )));
            }
            Layout::V4
        } else {
            return Err(unsupported(format!(
                "RINEX version {version} is not supported (read: 2.xx, 3.0x, 4.00–4.02)"
            )));
        };
        let path = (!self.path.as_os_str().is_empty()).then(|| self.path.clone());
        let mut offsets = BroadcastOffsets::new(version, path);
        loop {
            let Some(line) = self.next_line()? else {
                return Err(self.err(
                    self.line_no,
                    "file ends before END OF HEADER (truncated header)",
                ));
            };
            let lab = label(&line).trim();
            if lab.starts_with("END OF HEADER") {
                break;
            }
            if let Some(t) = text(&line.bytes) {
                offsets
                    .read_header_line(lab, t, line.no)
                    .map_err(|m| self.err(line.no, m))?;
            } else if matches!(
                lab,
                "TIME SYSTEM CORR"
                    | "CORR TO SYSTEM TIME"
                    | "DELTA-UTC: A0,A1,T,W"
                    | "LEAP SECONDS"
            ) {
                return Err(self.err(
                    line.no,
                    format!("{lab} line is not valid text: '{}'", show(&line.bytes)),
                ));
            }
        }
        Ok((version, layout, offsets))
    }

    /// Lines of a record (start line included) for its system and message in this version
    /// (RINEX 2.11 Tables A4/A11/A14, 3.05 Tables A6–A16, 4.00 Tables A22–A35); `None` where
    /// the count varies or is not known here (the record's own parser checks it then).
    fn expected_lines(&self, rec: &[RawLine], layout: Layout) -> Option<usize> {
        let head = &rec[0];
        match layout {
            Layout::V2 { system } => match system {
                'G' => Some(8),
                'R' | 'S' => Some(4),
                _ => None,
            },
            Layout::V3 => match head.bytes.first().copied().map(char::from)? {
                'G' | 'E' | 'C' | 'J' | 'I' => Some(8),
                // RINEX 3.05 added a fourth GLONASS orbit line (status, Δτ, URAI, health).
                'R' if self.version >= 3.05 - 1e-9 => Some(5),
                'R' => Some(4),
                'S' => Some(4),
                _ => None,
            },
            Layout::V4 => {
                let t = text(&head.bytes)?;
                let tokens: Vec<&str> = t.get(1..)?.split_whitespace().collect();
                let letter = tokens.get(1)?.chars().next()?;
                // Frame line plus the record lines.
                let body: usize = match (*tokens.first()?, letter, *tokens.get(2)?) {
                    ("EPH", 'G' | 'J', "LNAV") => 8,
                    ("EPH", 'G' | 'J', "CNAV") => 9,
                    ("EPH", 'G' | 'J', "CNV2") => 10,
                    ("EPH", 'E', "INAV" | "FNAV") => 8,
                    ("EPH", 'C', "D1" | "D2") => 8,
                    ("EPH", 'C', "CNV1" | "CNV2") => 10,
                    ("EPH", 'I', "LNAV") => 8,
                    ("EPH", 'R', "FDMA") => 5,
                    ("EPH", 'S', "SBAS") => 4,
                    ("STO", _, _) => 2,
                    _ => return None,
                };
                Some(1 + body)
            }
        }
    }

    /// Records dated more than [`FAR_RECORD_S`] outside the span of the bulk of the file's
    /// records (a wrong year or month written in a record): an error naming the first, or,
    /// with [`NavReadOptions::keep_far_records`], kept with a warning each.
    ///
    /// The bulk's span is [q10 − (q90 − q10)/8, q90 + (q90 − q10)/8] of the records'
    /// reference epochs (t_oe / t_b): for records spread evenly over a file's span this is
    /// the span itself, and a few wild records cannot move it.
    fn far_records(&self, data: &mut NavData) -> Result<(), EphemerisError> {
        let tai = |e: &Epoch| e.to_tai_seconds();
        let mut refs: Vec<(f64, SatId, Epoch, usize)> = data
            .bds
            .values()
            .flatten()
            .map(|r| (tai(&r.toe), r.sat, r.toe, r.source_line))
            .chain(
                data.glonass
                    .values()
                    .flatten()
                    .map(|r| (tai(&r.tb), r.sat, r.tb, r.source_line)),
            )
            .collect();
        if refs.len() < 2 {
            return Ok(());
        }
        refs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let q = |f: f64| refs[((refs.len() - 1) as f64 * f).round() as usize].0;
        let (q10, q90) = (q(0.1), q(0.9));
        let pad = (q90 - q10) / 8.0;
        let (lo, hi) = (q10 - pad, q90 + pad);
        let span = |t: f64| Epoch::from_tai_seconds(t);
        for &(t, sat, epoch, line) in &refs {
            if t >= lo - FAR_RECORD_S && t <= hi + FAR_RECORD_S {
                continue;
            }
            let what = format!(
                "record of {sat} dated {epoch} lies {:.1} days outside the span of the file's \
                 records ({} – {}): a wrong year or month in the record?",
                if t < lo { lo - t } else { t - hi } / 86_400.0,
                span(lo),
                span(hi)
            );
            if !self.options.keep_far_records {
                return Err(self.err(
                    line,
                    format!("{what} (NavReadOptions::keep_far_records keeps it)"),
                ));
            }
            data.warnings
                .push(format!("{}:{line}: {what}; kept", self.path.display()));
        }
        Ok(())
    }

    fn skip(data: &mut NavData, letter: char) {
        *data.skipped_records.entry(letter).or_insert(0) += 1;
    }

    /// Dispatches one record (start line plus continuation lines).
    fn process(
        &self,
        rec: &[RawLine],
        layout: Layout,
        data: &mut NavData,
    ) -> Result<(), EphemerisError> {
        let head = &rec[0];
        if let Some(n) = self.expected_lines(rec, layout) {
            if rec.len() != n {
                let last = rec.last().map_or(head.no, |l| l.no);
                let sys = text(head.cols(0, 3)).unwrap_or("?").trim();
                return Err(self.err(
                    if rec.len() < n { head.no } else { last },
                    format!(
                        "record '{sys}' starting at line {} has {} lines; RINEX {:.2} gives \
                         this record {n} (a line is missing or extra)",
                        head.no,
                        rec.len(),
                        self.version
                    ),
                ));
            }
        }
        match layout {
            Layout::V2 { system } => {
                if system != 'R' {
                    Self::skip(data, system);
                    return Ok(());
                }
                let g = self.glonass_record(rec, RecordCols::V2)?;
                data.glonass.entry(g.sat).or_default().push(g);
                Ok(())
            }
            Layout::V3 => {
                let letter = head.bytes[0] as char;
                match letter {
                    'C' => {
                        let b = self.bds_record(rec, BdsMessage::D1D2)?;
                        data.bds.entry(b.sat).or_default().push(b);
                    }
                    'R' => {
                        let g = self.glonass_record(rec, RecordCols::V3)?;
                        data.glonass.entry(g.sat).or_default().push(g);
                    }
                    c if c.is_ascii_uppercase() => Self::skip(data, c),
                    _ => {
                        return Err(self.err(
                            head.no,
                            format!("not a record start: '{}'", show(&head.bytes)),
                        ))
                    }
                }
                Ok(())
            }
            Layout::V4 => self.process_frame(rec, data),
        }
    }

    /// A RINEX 4 `> STO` frame: the frame line and two record lines (RINEX 4.00 Table A30).
    fn sto_frame(&self, rec: &[RawLine], data: &mut NavData) -> Result<(), EphemerisError> {
        let head = &rec[0];
        if rec.len() != 3 {
            return Err(self.err(
                rec.last().map_or(head.no, |l| l.no),
                format!(
                    "STO record of {} line(s), expected 3 (frame line and two record lines)",
                    rec.len()
                ),
            ));
        }
        let mut lines = [""; 3];
        for (slot, line) in lines.iter_mut().zip(rec) {
            *slot = text(&line.bytes).ok_or_else(|| {
                self.err(line.no, format!("not valid text: '{}'", show(&line.bytes)))
            })?;
        }
        data.offsets
            .read_sto(lines, head.no)
            .map_err(|(k, m)| self.err(head.no + k, m))
    }

    /// A RINEX 4 frame: `> TYPE SV MSG` then the record lines.
    fn process_frame(&self, rec: &[RawLine], data: &mut NavData) -> Result<(), EphemerisError> {
        let head = &rec[0];
        let htext =
            text(&head.bytes).ok_or_else(|| self.err(head.no, "frame header is not valid text"))?;
        let tokens: Vec<&str> = htext[1..].split_whitespace().collect();
        let kind = tokens.first().copied().unwrap_or("");
        match kind {
            "STO" => return self.sto_frame(rec, data),
            "ION" | "EOP" => return Ok(()),
            "EPH" => {}
            other => {
                return Err(self.err(
                    head.no,
                    format!("unknown RINEX 4 frame type '{other}' (expected EPH, STO, ION, EOP)"),
                ))
            }
        }
        let (Some(sv), Some(msg)) = (tokens.get(1), tokens.get(2)) else {
            return Err(self.err(
                head.no,
                format!("EPH frame header needs a satellite and a message type: '{htext}'"),
            ));
        };
        let letter = sv.chars().next().unwrap_or(' ');
        let body = &rec[1..];
        let parse_here = match (letter, *msg) {
            ('C', "D1") => Some(BdsMessage::D1),
            ('C', "D2") => Some(BdsMessage::D2),
            ('C', "CNV1") => Some(BdsMessage::Cnav1),
            ('C', "CNV2") => Some(BdsMessage::Cnav2),
            ('C', "CNV3") => {
                Self::skip(data, 'C');
                return Ok(());
            }
            ('C', other) => {
                return Err(self.err(
                    head.no,
                    format!(
                        "unknown BeiDou message type '{other}' (expected D1, D2, CNV1, CNV2, CNV3)"
                    ),
                ))
            }
            ('R', "FDMA") => None,
            ('R', other) => {
                return Err(self.err(
                    head.no,
                    format!("unknown GLONASS message type '{other}' (expected FDMA)"),
                ))
            }
            (c, _) if c.is_ascii_uppercase() => {
                Self::skip(data, c);
                return Ok(());
            }
            _ => return Err(self.err(head.no, format!("bad satellite '{sv}' in frame header"))),
        };
        let Some(first) = body.first() else {
            return Err(self.err(head.no, "EPH frame without record lines (truncated file?)"));
        };
        // The record's own satellite must be the frame's.
        let own = text(first.cols(0, 3)).unwrap_or("");
        if own.trim() != sv.trim() {
            return Err(self.err(
                first.no,
                format!("record satellite '{own}' differs from the frame header's '{sv}'"),
            ));
        }
        match parse_here {
            Some(m) => {
                let b = self.bds_record(body, m)?;
                data.bds.entry(b.sat).or_default().push(b);
            }
            None => {
                let g = self.glonass_record(body, RecordCols::V3)?;
                data.glonass.entry(g.sat).or_default().push(g);
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- fields

    /// A number in columns `[start, start+width)`: `None` when blank.
    fn num(
        &self,
        line: &RawLine,
        start: usize,
        width: usize,
    ) -> Result<Option<f64>, EphemerisError> {
        let raw = line.cols(start, width);
        let Some(t) = text(raw) else {
            return Err(self.err(
                line.no,
                format!("columns {}–{} are not valid text", start + 1, start + width),
            ));
        };
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        crate::text::fortran_f64(t).map(Some).ok_or_else(|| {
            self.err(
                line.no,
                format!(
                    "bad number '{t}' in columns {}–{}",
                    start + 1,
                    start + width
                ),
            )
        })
    }

    /// A number that must be present.
    fn req(
        &self,
        line: &RawLine,
        start: usize,
        width: usize,
        what: &str,
    ) -> Result<f64, EphemerisError> {
        self.num(line, start, width)?.ok_or_else(|| {
            self.err(
                line.no,
                format!("missing {what} (columns {}–{})", start + 1, start + width),
            )
        })
    }

    /// A float field of `line` that must hold an integer in `range`.
    fn int_in(
        &self,
        line: &RawLine,
        v: f64,
        what: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<i64, EphemerisError> {
        int_in(0, v, what, range).map_err(|e| self.err(line.no, e.message))
    }

    /// Satellite identifier from the record's first columns.
    fn sat_of(
        &self,
        line: &RawLine,
        cols: RecordCols,
        letter: char,
    ) -> Result<SatId, EphemerisError> {
        let (start, width) = match cols {
            RecordCols::V2 => (0, 2),
            RecordCols::V3 => (1, 2),
        };
        let t = text(line.cols(start, width)).map(str::trim).unwrap_or("");
        let bad = || self.err(line.no, format!("unknown satellite '{letter}{t}'"));
        let prn: u8 = t.parse().map_err(|_| bad())?;
        let c = Constellation::from_letter(letter).ok_or_else(bad)?;
        SatId::new(c, prn).map_err(|e| self.err(line.no, format!("unknown satellite: {e}")))
    }

    /// Record epoch from the start line, in `scale`.
    fn epoch_of(
        &self,
        line: &RawLine,
        cols: RecordCols,
        scale: TimeScale,
    ) -> Result<Epoch, EphemerisError> {
        // RINEX 2: I2 yy, 4×(1X,I2) mm dd hh mi, F5.1 ss (columns 3–22).
        // RINEX 3/4: 1X,I4 yyyy, 5×(1X,I2) (columns 4–23).
        let fields: [(usize, usize); 6] = match cols {
            RecordCols::V2 => [(2, 3), (5, 3), (8, 3), (11, 3), (14, 3), (17, 5)],
            RecordCols::V3 => [(3, 5), (8, 3), (11, 3), (14, 3), (17, 3), (20, 3)],
        };
        let mut v = [0f64; 6];
        for (k, (s, w)) in fields.iter().enumerate() {
            v[k] = self.req(line, *s, *w, "epoch field")?;
        }
        let mut year = self.int_in(line, v[0], "year", 0..=9999)? as i32;
        if cols == RecordCols::V2 {
            // RINEX 2 two-digit years: 80–99 → 1980–1999, 00–79 → 2000–2079.
            if year > 99 {
                return Err(self.err(line.no, format!("two-digit year expected, found {year}")));
            }
            year += if year >= 80 { 1900 } else { 2000 };
        }
        if !YEAR_RANGE.contains(&year) {
            return Err(self.err(
                line.no,
                format!(
                    "year {year} outside {}–{}",
                    YEAR_RANGE.start(),
                    YEAR_RANGE.end()
                ),
            ));
        }
        let month = self.int_in(line, v[1], "month", 1..=12)? as u8;
        let day = self.int_in(line, v[2], "day", 1..=31)? as u8;
        let hour = self.int_in(line, v[3], "hour", 0..=23)? as u8;
        let minute = self.int_in(line, v[4], "minute", 0..=59)? as u8;
        let sec = v[5];
        if !(0.0..61.0).contains(&sec) {
            return Err(self.err(line.no, format!("second {sec} outside 0–60")));
        }
        let whole = sec.floor();
        let nanos = ((sec - whole) * 1e9).round().min(999_999_999.0) as u32;
        Epoch::maybe_from_gregorian(year, month, day, hour, minute, whole as u8, nanos, scale)
            .map_err(|e| {
                self.err(
                    line.no,
                    format!("invalid date {year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{sec}: {e}"),
                )
            })
    }

    /// The four values of an orbit line (index ≥ 1 of the record).
    fn orbit(&self, line: &RawLine, cols: RecordCols) -> Result<[Option<f64>; 4], EphemerisError> {
        let start = match cols {
            RecordCols::V2 => 3,
            RecordCols::V3 => 4,
        };
        let mut out = [None; 4];
        for (k, o) in out.iter_mut().enumerate() {
            *o = self.num(line, start + 19 * k, 19)?;
        }
        // Anything beyond the four fields is an error (a merged or damaged line).
        let tail = line.cols(start + 76, usize::MAX);
        if !tail.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(self.err(
                line.no,
                format!(
                    "unexpected text after column {}: '{}'",
                    start + 76,
                    show(tail)
                ),
            ));
        }
        Ok(out)
    }

    /// The three values after the epoch of the record's first line.
    fn clock_fields(&self, line: &RawLine, cols: RecordCols) -> Result<[f64; 3], EphemerisError> {
        let start = match cols {
            RecordCols::V2 => 22,
            RecordCols::V3 => 23,
        };
        let names = [
            "first clock field",
            "second clock field",
            "third clock field",
        ];
        let mut out = [0f64; 3];
        for k in 0..3 {
            out[k] = self.req(line, start + 19 * k, 19, names[k])?;
        }
        let tail = line.cols(start + 57, usize::MAX);
        if !tail.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(self.err(
                line.no,
                format!(
                    "unexpected text after column {}: '{}'",
                    start + 57,
                    show(tail)
                ),
            ));
        }
        Ok(out)
    }

    // ---------------------------------------------------------------- BeiDou

    fn bds_record(
        &self,
        rec: &[RawLine],
        message: BdsMessage,
    ) -> Result<BdsEphemeris, EphemerisError> {
        let head = &rec[0];
        let cnav = matches!(message, BdsMessage::Cnav1 | BdsMessage::Cnav2);
        let n_orbit = if cnav { 9 } else { 7 };
        if rec.len() != n_orbit + 1 {
            let (line, what) = if rec.len() < n_orbit + 1 {
                (head.no, "truncated")
            } else {
                (rec[n_orbit + 1].no, "has extra lines")
            };
            return Err(self.err(
                line,
                format!(
                    "BeiDou {message:?} record starting at line {} {what}: expected {} lines, found {}",
                    head.no,
                    n_orbit + 1,
                    rec.len()
                ),
            ));
        }
        let sat = self.sat_of(head, RecordCols::V3, 'C')?;
        let toc = self.epoch_of(head, RecordCols::V3, TimeScale::BDT)?;
        let [af0_s, af1_s_s, af2_s_s2] = self.clock_fields(head, RecordCols::V3)?;
        let mut o = Vec::with_capacity(n_orbit);
        for l in &rec[1..] {
            o.push(self.orbit(l, RecordCols::V3)?);
        }
        build_bds(sat, message, toc, [af0_s, af1_s_s, af2_s_s2], &o, head.no)
            .map_err(|e| self.err(rec.get(e.line).map_or(head.no, |l| l.no), e.message))
    }

    // ---------------------------------------------------------------- GLONASS

    fn glonass_record(
        &self,
        rec: &[RawLine],
        cols: RecordCols,
    ) -> Result<GlonassEphemeris, EphemerisError> {
        let head = &rec[0];
        // RINEX 2 and 3.00–3.04: 3 orbit lines; 3.05 and 4: a fourth (status, Δτ, URAI, flags).
        let max_lines = if cols == RecordCols::V2 { 4 } else { 5 };
        if rec.len() < 4 || rec.len() > max_lines {
            let (line, what) = if rec.len() < 4 {
                (head.no, "truncated")
            } else {
                (rec[max_lines].no, "has extra lines")
            };
            return Err(self.err(
                line,
                format!(
                    "GLONASS record starting at line {} {what}: expected 4{} lines, found {}",
                    head.no,
                    if max_lines == 5 { " or 5" } else { "" },
                    rec.len()
                ),
            ));
        }
        let sat = self.sat_of(head, cols, 'R')?;
        if cols == RecordCols::V3 && head.bytes.first() != Some(&b'R') {
            return Err(self.err(head.no, "GLONASS record must start with 'R'"));
        }
        // GLONASS record epochs are UTC(SU) in RINEX 2, 3 and 4.
        let tb = self.epoch_of(head, cols, TimeScale::UTC)?;
        let [minus_tau_n_s, gamma_n, frame_time_s] = self.clock_fields(head, cols)?;
        let mut o = Vec::with_capacity(4);
        for l in &rec[1..] {
            o.push(self.orbit(l, cols)?);
        }
        build_glonass(sat, tb, [minus_tau_n_s, gamma_n, frame_time_s], &o, head.no)
            .map_err(|e| self.err(rec.get(e.line).map_or(head.no, |l| l.no), e.message))
    }
}

/// A value-level problem of a record: the record line it concerns (0 = the first line with
/// the epoch and clock, i = orbit line i) and what is wrong. The file reader turns it into a
/// file:line error; conversions from other readers' values report it with the satellite and
/// epoch.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldError {
    pub line: usize,
    pub message: String,
}

impl FieldError {
    fn at(line: usize, message: impl Into<String>) -> Self {
        FieldError {
            line,
            message: message.into(),
        }
    }
}

/// Orbit value `k` of orbit line `i` (1-based), which must be present.
fn need(o: &[[Option<f64>; 4]], i: usize, k: usize, what: &str) -> Result<f64, FieldError> {
    o.get(i.wrapping_sub(1))
        .and_then(|line| line.get(k).copied().flatten())
        .ok_or_else(|| FieldError::at(i, format!("missing {what}")))
        .and_then(|v| finite(i, v, what))
}

/// `v` when finite (the file reader only ever yields finite numbers; values handed over by
/// other crates may not be).
fn finite(line: usize, v: f64, what: &str) -> Result<f64, FieldError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(FieldError::at(
            line,
            format!("{what} = {v} is not a finite number"),
        ))
    }
}

/// A float field of record line `line` that must hold an integer in `range`.
fn int_in(
    line: usize,
    v: f64,
    what: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, FieldError> {
    if v.fract() != 0.0 || v < *range.start() as f64 || v > *range.end() as f64 {
        return Err(FieldError::at(
            line,
            format!(
                "{what} = {v} is not an integer in {}..={}",
                range.start(),
                range.end()
            ),
        ));
    }
    Ok(v as i64)
}

/// A BeiDou record from the values of its lines, with every value-level rule of this crate
/// (ranges, integers, the CNAV week from toc, the toc–t_oe consistency). `clock` holds a₀ a₁ a₂;
/// `o[i − 1]` the four values of orbit line i in the RINEX layout of `message` (7 lines for
/// D1/D2, 9 for CNAV1/CNAV2); `toc` is in BDT.
pub(crate) fn build_bds(
    sat: SatId,
    message: BdsMessage,
    toc: Epoch,
    clock: [f64; 3],
    o: &[[Option<f64>; 4]],
    source_line: usize,
) -> Result<BdsEphemeris, FieldError> {
    let [af0_s, af1_s_s, af2_s_s2] = clock;
    for (v, what) in clock.iter().zip(["a0", "a1", "a2"]) {
        finite(0, *v, what)?;
    }
    let cnav = matches!(message, BdsMessage::Cnav1 | BdsMessage::Cnav2);
    let f = |i: usize, k: usize, what: &str| need(o, i, k, what);

    let crs_m = f(1, 1, "Crs")?;
    let delta_n_rad_s = f(1, 2, "Δn")?;
    let m0_rad = f(1, 3, "M0")?;
    let cuc_rad = f(2, 0, "Cuc")?;
    let e = f(2, 1, "e")?;
    let cus_rad = f(2, 2, "Cus")?;
    let sqrt_a_sqrt_m = f(2, 3, "sqrt(A)")?;
    let toe_sow_s = f(3, 0, "t_oe")?;
    let cic_rad = f(3, 1, "Cic")?;
    let omega0_rad = f(3, 2, "Omega0")?;
    let cis_rad = f(3, 3, "Cis")?;
    let i0_rad = f(4, 0, "i0")?;
    let crc_m = f(4, 1, "Crc")?;
    let omega_rad = f(4, 2, "omega")?;
    let omega_dot_rad_s = f(4, 3, "OmegaDot")?;
    let idot_rad_s = f(5, 0, "IDOT")?;

    if !(0.0..1.0).contains(&e) {
        return Err(FieldError::at(
            2,
            format!("eccentricity {e} outside [0, 1)"),
        ));
    }
    if sqrt_a_sqrt_m <= 0.0 {
        return Err(FieldError::at(
            2,
            format!("sqrt(A) = {sqrt_a_sqrt_m} is not positive"),
        ));
    }
    let (lo, hi) = limits::BDS_SQRT_A_RANGE;
    if !(lo..=hi).contains(&sqrt_a_sqrt_m) {
        return Err(FieldError::at(
            2,
            format!("sqrt(A) = {sqrt_a_sqrt_m} m^0.5 outside the ICD range {lo}–{hi} m^0.5"),
        ));
    }
    if e > limits::BDS_E_MAX {
        return Err(FieldError::at(
            2,
            format!(
                "eccentricity {e} above the ICD maximum {}",
                limits::BDS_E_MAX
            ),
        ));
    }
    if !(0.0..WEEK_S).contains(&toe_sow_s) {
        return Err(FieldError::at(
            3,
            format!("t_oe = {toe_sow_s} s outside one week"),
        ));
    }

    let (
        a_dot_m_s,
        delta_n_dot_rad_s2,
        bdt_week,
        sv_accuracy_m,
        health,
        tgd1_s,
        tgd2_s,
        aode,
        aodc,
    );
    if cnav {
        a_dot_m_s = f(1, 0, "A_DOT")?;
        delta_n_dot_rad_s2 = f(5, 1, "Δn0 rate")?;
        // SatType 1 GEO, 2 IGSO, 3 MEO (RINEX 4.00); checked, not kept (the orbit class is
        // decided from the orbit).
        let sat_type = f(5, 2, "SatType")?;
        int_in(5, sat_type, "SatType", 0..=3)?;
        let sisai_oe = f(6, 0, "SISAI_oe")?;
        let sisai_oe = int_in(6, sisai_oe, "SISAI_oe", -31..=31)?;
        sv_accuracy_m = ura_index_to_m(sisai_oe);
        // ISC fields are carried in the message-specific slot; TGD_B1Cp and TGD_B2ap.
        tgd1_s = f(7, 2, "TGD_B1Cp")?;
        tgd2_s = f(7, 3, "TGD_B2ap")?;
        let h = f(8, 1, "health")?;
        health = int_in(8, h, "health", 0..=u32::MAX as i64)? as u32;
        let iodc = f(8, 3, "IODC")?;
        aodc = int_in(8, iodc, "IODC", 0..=u32::MAX as i64)? as u32;
        let iode = f(9, 3, "IODE")?;
        aode = int_in(9, iode, "IODE", 0..=u32::MAX as i64)? as u32;
        // No week in CNAV records: the BDT week that puts t_oe nearest to toc.
        let (toc_week, toc_ns) = toc.to_time_of_week();
        let toc_sow = toc_ns as f64 * 1e-9;
        let mut w = toc_week as i64;
        if toe_sow_s - toc_sow > WEEK_S / 2.0 {
            w -= 1;
        } else if toc_sow - toe_sow_s > WEEK_S / 2.0 {
            w += 1;
        }
        if !(0..=u32::MAX as i64).contains(&w) || toc < bdt_origin() {
            return Err(FieldError::at(
                0,
                format!("toc {toc} is before the BDT origin"),
            ));
        }
        bdt_week = w as u32;
    } else {
        a_dot_m_s = 0.0;
        delta_n_dot_rad_s2 = 0.0;
        let aode_v = f(1, 0, "AODE")?;
        aode = int_in(1, aode_v, "AODE", 0..=u32::MAX as i64)? as u32;
        let week = f(5, 2, "BDT week")?;
        bdt_week = int_in(5, week, "BDT week", 0..=20_000)? as u32;
        sv_accuracy_m = f(6, 0, "SV accuracy")?;
        let h = f(6, 1, "SatH1")?;
        health = int_in(6, h, "SatH1", 0..=u32::MAX as i64)? as u32;
        tgd1_s = f(6, 2, "TGD1")?;
        tgd2_s = f(6, 3, "TGD2")?;
        let aodc_v = f(7, 1, "AODC")?;
        aodc = int_in(7, aodc_v, "AODC", 0..=u32::MAX as i64)? as u32;
    }
    // Every other field against the range its message can hold (ephemeris::limits); the
    // error names the field, and the line is the record's first (values span lines).
    limits::check_bds(
        [
            crs_m,
            crc_m,
            cuc_rad,
            cus_rad,
            cic_rad,
            cis_rad,
            delta_n_rad_s,
            omega_dot_rad_s,
            idot_rad_s,
            m0_rad,
            omega_rad,
        ],
        [omega0_rad, i0_rad],
        clock,
        [tgd1_s, tgd2_s],
        cnav.then_some([a_dot_m_s, delta_n_dot_rad_s2]),
    )
    .map_err(|m| FieldError::at(0, m))?;
    // t_oe = BDT week · 604800 s + SOW, counted from the BDT origin 2006-01-01 00:00:00 UTC
    // (BDS SIS ICD §3.3; hifitime BDT_REF_EPOCH).
    let toe_ns = (toe_sow_s * 1e9).round() as u64;
    let toe = Epoch::from_time_of_week(bdt_week, toe_ns, TimeScale::BDT);
    let gap = (toc - toe).to_seconds();
    if gap.abs() > MAX_TOC_TOE_GAP_S {
        return Err(FieldError::at(
            0,
            format!(
                "toc {toc} and t_oe (BDT week {bdt_week}, {toe_sow_s} s) are {:.0} s apart \
                     (more than {MAX_TOC_TOE_GAP_S} s): wrong year, week or t_oe",
                gap
            ),
        ));
    }
    Ok(BdsEphemeris {
        sat,
        message,
        toc,
        toe,
        toe_sow_s,
        bdt_week,
        sqrt_a_sqrt_m,
        a_dot_m_s,
        e,
        i0_rad,
        omega0_rad,
        omega_rad,
        m0_rad,
        delta_n_rad_s,
        delta_n_dot_rad_s2,
        idot_rad_s,
        omega_dot_rad_s,
        cuc_rad,
        cus_rad,
        crc_m,
        crs_m,
        cic_rad,
        cis_rad,
        af0_s,
        af1_s_s,
        af2_s_s2,
        tgd1_s,
        tgd2_s,
        aode,
        aodc,
        sv_accuracy_m,
        health,
        source_line,
    })
}

/// A GLONASS FDMA record from the values of its lines (`clock`: −τn, γn, frame time;
/// `o[i − 1]`: orbit line i, km, km/s, km/s²), with this crate's value-level rules; `tb` is
/// UTC(SU).
pub(crate) fn build_glonass(
    sat: SatId,
    tb: Epoch,
    clock: [f64; 3],
    o: &[[Option<f64>; 4]],
    source_line: usize,
) -> Result<GlonassEphemeris, FieldError> {
    let [minus_tau_n_s, gamma_n, frame_time_s] = clock;
    for (v, what) in clock.iter().zip(["-tau_n", "gamma_n", "frame time"]) {
        finite(0, *v, what)?;
    }
    let f = |i: usize, k: usize, what: &str| need(o, i, k, what);
    const KM: f64 = 1000.0;
    let position_m = Vector3::new(f(1, 0, "X")?, f(2, 0, "Y")?, f(3, 0, "Z")?) * KM;
    let velocity_m_s = Vector3::new(f(1, 1, "Vx")?, f(2, 1, "Vy")?, f(3, 1, "Vz")?) * KM;
    let acceleration_m_s2 = Vector3::new(f(1, 2, "Ax")?, f(2, 2, "Ay")?, f(3, 2, "Az")?) * KM;
    let h = f(1, 3, "health")?;
    let health = int_in(1, h, "health", 0..=u32::MAX as i64)? as u32;
    let k = f(2, 3, "frequency channel")?;
    let channel = int_in(2, k, "frequency channel", -7..=13)? as i8;
    limits::check_glonass(
        position_m.into(),
        velocity_m_s.into(),
        acceleration_m_s2.into(),
        minus_tau_n_s,
        gamma_n,
        frame_time_s,
    )
    .map_err(|m| FieldError::at(0, m))?;
    let age_days = f(3, 3, "age of operation")?;
    if !(0.0..=31.0).contains(&age_days) {
        return Err(FieldError::at(
            3,
            format!("age of operation {age_days} d outside 0–31"),
        ));
    }
    Ok(GlonassEphemeris {
        sat,
        tb,
        position_m,
        velocity_m_s,
        acceleration_m_s2,
        minus_tau_n_s,
        gamma_n,
        frame_time_s,
        channel,
        health,
        age_days,
        source_line,
    })
}

/// Column layout of a record: RINEX 2 (3-column indent) or RINEX 3/4 (4-column indent).
#[derive(Clone, Copy, PartialEq, Eq)]
enum RecordCols {
    V2,
    V3,
}

/// BDT week 0, day 0: 2006-01-01 00:00:00 BDT.
fn bdt_origin() -> Epoch {
    Epoch::from_time_of_week(0, 0, TimeScale::BDT)
}

/// Whether a body line starts a new record.
fn is_record_start(line: &RawLine, layout: Layout) -> bool {
    match layout {
        // RINEX 2: `I2` satellite number in columns 1–2; continuation lines start with 3 blanks.
        Layout::V2 { .. } => line.bytes.get(1).is_some_and(u8::is_ascii_digit),
        // RINEX 3: the satellite identifier in column 1; continuation lines start with 4 blanks.
        Layout::V3 => line.bytes.first().is_some_and(|b| !b.is_ascii_whitespace()),
        Layout::V4 => line.bytes.first() == Some(&b'>'),
    }
}

/// Header label (columns 61–80), trimmed; empty when absent or not text.
fn label(line: &RawLine) -> &str {
    text(line.cols(60, 20)).map(str::trim).unwrap_or("")
}

fn text(b: &[u8]) -> Option<&str> {
    std::str::from_utf8(b).ok()
}

/// The line for an error message: lossy, at most 100 characters.
fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(&b[..b.len().min(100)]).into_owned()
}

/// URA/SISA in metres from an accuracy index N, the rule RINEX writers apply to BDS D1/D2 URAI
/// (BDS SIS ICD B1I §5.2.4.5, same as IS-GPS-200 §20.3.3.3.1.3): N ≤ 6 → 2^(1+N/2),
/// 6 < N < 15 → 2^(N−2). N ≥ 15 or negative means "no accuracy prediction": infinity.
fn ura_index_to_m(n: i64) -> f64 {
    match n {
        0..=6 => 2f64.powf(1.0 + n as f64 / 2.0),
        7..=14 => 2f64.powi(n as i32 - 2),
        _ => f64::INFINITY,
    }
}

impl NavData {
    /// Resolves records of one satellite sharing a reference time (t_oe and message for
    /// BeiDou, t_b for GLONASS) inside one file — merged files repeat a record once per receiving
    /// station. When their orbit and clock terms are equal, the first is kept and the others
    /// dropped (they may differ in issue counters, accuracy, frame time or age). When only
    /// the health flag differs, both are kept (selection then uses the healthy one, as a
    /// receiver hearing both would) and the file gets one warning with the count. Any other
    /// difference is a corrupted record: an error naming both lines and the first field
    /// that differs ([`EphemerisError::Parse`]). The reader applies this to every file, and
    /// [`NavData::from_rinex`] to every conversion. Leaves each satellite's records sorted by
    /// reference time (BeiDou: then message type; stable, so file order within a key).
    pub fn resolve_same_key_records(&mut self) -> Result<(), EphemerisError> {
        let data = self;
        let mut health_only = 0usize;
        let mut dropped = 0usize;
        let path = data.path.clone().unwrap_or_default();
        let conflict = |(line, message): (usize, String)| EphemerisError::Parse {
            path: path.clone(),
            line,
            message,
        };
        let mut first_health: Option<String> = None;
        for v in data.bds.values_mut() {
            resolve_same_key(
                v,
                |r| (r.toe, r.message as u8),
                |r| bds_terms(r).to_vec(),
                |r| (r.health, r.sat, r.toe, r.source_line),
                &mut health_only,
                &mut first_health,
                &mut dropped,
            )
            .map_err(conflict)?;
        }
        for v in data.glonass.values_mut() {
            resolve_same_key(
                v,
                |r| (r.tb, 0u8),
                |r| glonass_terms(r).to_vec(),
                |r| (r.health, r.sat, r.tb, r.source_line),
                &mut health_only,
                &mut first_health,
                &mut dropped,
            )
            .map_err(conflict)?;
        }
        if let Some(first) = first_health {
            data.warnings.push(format!(
                "{}: {health_only} record(s) share satellite and reference time with a record \
                 of equal orbit and clock but a different health flag (first: {first}); both \
                 kept, selection uses the healthy one",
                data.path
                    .as_deref()
                    .unwrap_or(Path::new("navigation data"))
                    .display()
            ));
        }
        data.merge.duplicates_dropped += dropped;
        Ok(())
    }
}

/// The rule of [`NavData::resolve_same_key_records`] over one satellite's records sorted by
/// `key`.
#[allow(clippy::too_many_arguments)]
fn resolve_same_key<T, K: Ord + Copy>(
    v: &mut Vec<T>,
    key: impl Fn(&T) -> K,
    terms: impl Fn(&T) -> Vec<(&'static str, f64)>,
    id: impl Fn(&T) -> (u32, SatId, Epoch, usize),
    health_only: &mut usize,
    first_health: &mut Option<String>,
    dropped: &mut usize,
) -> Result<(), (usize, String)> {
    v.sort_by_key(&key);
    let mut keep = vec![true; v.len()];
    let mut start = 0;
    while start < v.len() {
        let mut end = start + 1;
        while end < v.len() && key(&v[end]) == key(&v[start]) {
            end += 1;
        }
        for j in start + 1..end {
            let (hj, sat, epoch, line_j) = id(&v[j]);
            let tj = terms(&v[j]);
            // Compared with the first kept record (every kept one has the same terms).
            for i in start..j {
                if !keep[i] {
                    continue;
                }
                let (hi, _, _, line_i) = id(&v[i]);
                let ti = terms(&v[i]);
                if let Some(((name, a), (_, b))) =
                    ti.iter().zip(&tj).find(|((_, a), (_, b))| a != b)
                {
                    return Err((
                        line_j,
                        format!(
                            "{sat} at {epoch}: this record and the one at line {line_i} share \
                             satellite and reference time but differ in {name} ({} vs {}): one \
                             of them is corrupt",
                            crate::limits::brief(*a),
                            crate::limits::brief(*b)
                        ),
                    ));
                }
                if hi == hj {
                    keep[j] = false;
                    *dropped += 1;
                } else {
                    *health_only += 1;
                    first_health.get_or_insert_with(|| {
                        format!("{sat} at {epoch}, lines {line_i} and {line_j}")
                    });
                }
                break;
            }
        }
        start = end;
    }
    let mut it = keep.iter();
    v.retain(|_| *it.next().unwrap_or(&true));
    Ok(())
}

/// The orbit and clock terms of a BeiDou record, named, for comparing records.
fn bds_terms(r: &BdsEphemeris) -> [(&'static str, f64); 23] {
    [
        ("sqrtA", r.sqrt_a_sqrt_m),
        ("Adot", r.a_dot_m_s),
        ("e", r.e),
        ("i0", r.i0_rad),
        ("Omega0", r.omega0_rad),
        ("omega", r.omega_rad),
        ("M0", r.m0_rad),
        ("Delta n", r.delta_n_rad_s),
        ("Delta n dot", r.delta_n_dot_rad_s2),
        ("IDOT", r.idot_rad_s),
        ("Omega dot", r.omega_dot_rad_s),
        ("Cuc", r.cuc_rad),
        ("Cus", r.cus_rad),
        ("Crc", r.crc_m),
        ("Crs", r.crs_m),
        ("Cic", r.cic_rad),
        ("Cis", r.cis_rad),
        ("a0", r.af0_s),
        ("a1", r.af1_s_s),
        ("a2", r.af2_s_s2),
        ("TGD1", r.tgd1_s),
        ("TGD2", r.tgd2_s),
        ("toc (TAI s)", r.toc.to_tai_seconds()),
    ]
}

/// The orbit and clock terms of a GLONASS record, named, for comparing records.
fn glonass_terms(r: &GlonassEphemeris) -> [(&'static str, f64); 11] {
    let (p, v, a) = (r.position_m, r.velocity_m_s, r.acceleration_m_s2);
    [
        ("X", p.x),
        ("Y", p.y),
        ("Z", p.z),
        ("VX", v.x),
        ("VY", v.y),
        ("VZ", v.z),
        ("AX", a.x),
        ("AY", a.y),
        ("AZ", a.z),
        ("-TauN", r.minus_tau_n_s),
        ("GammaN", r.gamma_n),
    ]
}

/// One satellite's records tagged with their file index (files in merge order), merged per
/// the rule of [`NavData::merge`]; `key` is the reference time (and message), `strip` the
/// record without its line number. Sorted stably by key, so records of one file keep order.
fn merge_records<T: PartialEq, K: Ord + Copy>(
    mut v: Vec<(usize, T)>,
    stats: &mut NavMergeStats,
    key: impl Fn(&T) -> K,
    strip: impl Fn(&T) -> T,
) -> Vec<T> {
    v.sort_by_key(|(k, r)| (key(r), *k));
    let mut out = Vec::with_capacity(v.len());
    // Each pass takes the group at the front of `v` (the tail shifts down after `drain`).
    let i = 0;
    while !v.is_empty() {
        let mut j = i + 1;
        while j < v.len() && key(&v[j].1) == key(&v[i].1) {
            j += 1;
        }
        // The group v[i..j] shares one key, its files ascending; the last file wins.
        let last_file = v[j - 1].0;
        let kept: Vec<T> = v[i..j]
            .iter()
            .filter(|(k, _)| *k == last_file)
            .map(|(_, r)| strip(r))
            .collect();
        let group: Vec<(usize, T)> = v.drain(i..j).collect();
        for (k, r) in group {
            if k == last_file {
                out.push(r);
            } else if kept.contains(&strip(&r)) {
                stats.duplicates_dropped += 1;
            } else {
                stats.conflicts_resolved += 1;
            }
        }
    }
    out.sort_by_key(|r| key(r));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ura_table() {
        // IS-GPS-200 §20.3.3.3.1.3: N = 0 → 2.0 m, 6 → 16 m, 7 → 32 m, 14 → 4096 m.
        assert_eq!(ura_index_to_m(0), 2.0);
        assert_eq!(ura_index_to_m(6), 16.0);
        assert_eq!(ura_index_to_m(7), 32.0);
        assert_eq!(ura_index_to_m(14), 4096.0);
        assert!(ura_index_to_m(15).is_infinite());
    }

    #[test]
    fn bdt_week_origin() {
        // BDT week 0 starts 2006-01-01 00:00:00 UTC (BDS SIS ICD §3.3), when TAI − UTC = 33 s.
        let utc = Epoch::from_gregorian_utc(2006, 1, 1, 0, 0, 0, 0);
        assert_eq!((bdt_origin() - utc).to_seconds(), 0.0);
    }

    /// The C19 B-CNAV1 record of line 117069 of BRD400DLR_S_20230710000_01D_MN.rnx (RINEX 4.00),
    /// with a version line and header end in front.
    fn v4_cnav1(version: &str, epoch: &str, toe: &str) -> String {
        format!(
            "{version:>9}           NAVIGATION DATA     M                   RINEX VERSION / TYPE
                                                            END OF HEADER
> EPH C19 CNV1
C19 {epoch}-8.956108940765e-04-9.041656312547e-13 0.000000000000e+00
    -2.287387847900e-03-5.843750000000e+00 3.871232680951e-09 8.650567350738e-01
    -2.142041921616e-07 1.015573448967e-03 5.141831934452e-06 5.282620728736e+03
     {toe} 1.862645149231e-09-1.163148544709e+00-3.445893526077e-08
     9.722051715392e-01 2.620468750000e+02-1.135667398911e+00-6.910823577827e-09
     1.100045821324e-10 3.232818114092e-14 3.000000000000e+00 0.000000000000e+00
     0.000000000000e+00-4.000000000000e+00-1.000000000000e+00-1.000000000000e+00
    -8.731149137020e-10                    9.487848728895e-09-5.820766091347e-09
     0.000000000000e+00 0.000000000000e+00 0.000000000000e+00 0.000000000000e+00
     0.000000000000e+00                                       0.000000000000e+00
"
        )
    }

    fn read(s: &str) -> Result<NavData, EphemerisError> {
        NavData::from_reader(s.as_bytes(), Path::new("t.rnx"))
    }

    #[test]
    fn cnav_week_from_toc() {
        // As in the file: toc 2023-03-12 00:00 BDT (start of BDT week 897), t_oe 0 s.
        let d = read(&v4_cnav1(
            "4.00",
            "2023 03 12 00 00 00",
            "0.000000000000e+00",
        ))
        .unwrap();
        let r = &d.bds[&"C19".parse().unwrap()][0];
        assert_eq!((r.bdt_week, r.toe), (897, r.toc));
        // toc one hour before the end of week 897 (Saturday 23:00 BDT) and t_oe = 0 s: the
        // t_oe nearest toc is the start of week 898, one hour later.
        let d = read(&v4_cnav1(
            "4.00",
            "2023 03 18 23 00 00",
            "0.000000000000e+00",
        ))
        .unwrap();
        let r = &d.bds[&"C19".parse().unwrap()][0];
        assert_eq!(r.bdt_week, 898);
        assert_eq!((r.toe - r.toc).to_seconds(), 3600.0);
        // toc at the start of week 898 and t_oe = 601200 s (Saturday 23:00): week 897.
        let d = read(&v4_cnav1(
            "4.00",
            "2023 03 19 00 00 00",
            "6.012000000000e+05",
        ))
        .unwrap();
        let r = &d.bds[&"C19".parse().unwrap()][0];
        assert_eq!(r.bdt_week, 897);
        assert_eq!((r.toc - r.toe).to_seconds(), 3600.0);
    }

    #[test]
    fn rinex4_minor_versions() {
        let ok = |v: &str| read(&v4_cnav1(v, "2023 03 12 00 00 00", "0.000000000000e+00"));
        assert_eq!(ok("4.01").unwrap().bds_record_count(), 1);
        assert_eq!(ok("4.02").unwrap().bds_record_count(), 1);
        let e = ok("4.03").unwrap_err();
        assert!(matches!(e, EphemerisError::Unsupported { .. }), "{e}");
        assert!(e.to_string().contains("4.03"), "{e}");
    }

    #[test]
    fn truncated_cnav_record_is_an_error_with_line() {
        let full = v4_cnav1("4.00", "2023 03 12 00 00 00", "0.000000000000e+00");
        let cut: String = full.lines().take(8).map(|l| format!("{l}\n")).collect();
        let e = read(&cut).unwrap_err();
        // The error names the last line read and the last complete record (the header).
        assert!(e.to_string().starts_with("t.rnx:8: "), "{e}");
        assert!(
            e.to_string()
                .contains("the last complete record ends at line 2"),
            "{e}"
        );
        // Opt-in: the cut record is dropped with a warning.
        let opts = NavReadOptions {
            allow_truncated: true,
            ..NavReadOptions::default()
        };
        let d = Reader::new(cut.as_bytes(), Path::new("t.rnx"), opts)
            .read()
            .unwrap();
        assert_eq!(d.bds_record_count(), 0);
        assert_eq!(d.warnings.len(), 1, "{:?}", d.warnings);
    }
}
