//! Values of the file that name files: paths resolved against the scenario's directory (or
//! `${GNSS_INTEROP_DATA}`), lists and patterns expanded, candidate CSV files read row by row
//! into the scenario's checked types.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{join, Validator};
use crate::scenario::config::CandidateSite;
use crate::scenario::raw::RawPaths;
use crate::scenario::types::{LatDeg, LonDeg, StationId};
use crate::scenario::DATA_DIR_VAR;

impl Validator<'_> {
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
    pub(super) fn file(&mut self, key: &str, raw: &str) -> Option<PathBuf> {
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
    pub(super) fn files(&mut self, key: &str, raw: &RawPaths) -> Option<Vec<PathBuf>> {
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

    /// The rows of a candidates CSV file, each read into the scenario's checked types,
    /// filtered by country.
    pub(super) fn candidates_csv(
        &mut self,
        key: &str,
        path: &Path,
        countries: Option<&[String]>,
    ) -> Option<Vec<CandidateSite>> {
        #[derive(serde::Deserialize)]
        struct Row {
            id: StationId,
            name: Option<String>,
            country: Option<String>,
            lat_deg: LatDeg,
            lon_deg: LonDeg,
            height_m: Option<f64>,
        }
        let at = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let mut rdr = match csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_path(path)
        {
            Ok(r) => r,
            Err(e) => {
                self.bad(key, at(&e));
                return None;
            }
        };
        let headers = match rdr.headers() {
            Ok(h) => h.clone(),
            Err(e) => {
                self.bad(key, at(&e));
                return None;
            }
        };
        if !["id", "lat_deg", "lon_deg"]
            .iter()
            .all(|c| headers.iter().any(|h| h == *c))
        {
            let found = headers.iter().collect::<Vec<_>>().join(", ");
            let what = format!("expected columns id, lat_deg, lon_deg (and optionally name, country, height_m); found {found}");
            self.bad(key, at(&what));
            return None;
        }
        if countries.is_some() && !headers.iter().any(|h| h == "country") {
            let k = join(key.trim_end_matches(".candidates"), "countries");
            self.bad(k, at(&"has no country column to filter on"));
            return None;
        }
        let (mut sites, mut seen, mut ok) = (Vec::new(), HashSet::new(), true);
        for rec in rdr.records() {
            let line = match &rec {
                Ok(r) => r.position(),
                Err(e) => e.position(),
            }
            .map_or(0, |p| p.line());
            let row = match rec.and_then(|r| r.deserialize::<Row>(Some(&headers))) {
                Ok(r) => r,
                Err(e) => {
                    let what = match e.kind() {
                        csv::ErrorKind::Deserialize { err, .. } => {
                            let column = err.field().and_then(|f| headers.get(f as usize));
                            format!("{}: {}", column.unwrap_or("?"), err.kind())
                        }
                        _ => e.to_string(),
                    };
                    self.bad(key, at(&format!("line {line}: {what}")));
                    ok = false;
                    continue;
                }
            };
            let id = row.id.as_str().to_string();
            if !seen.insert(id.clone()) {
                self.bad(key, at(&format!("line {line}: duplicate id \"{id}\"")));
                ok = false;
                continue;
            }
            let country = row.country.unwrap_or_default();
            if countries.is_some_and(|cs| !cs.iter().any(|c| c.eq_ignore_ascii_case(&country))) {
                continue;
            }
            sites.push(CandidateSite {
                name: row
                    .name
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| id.clone()),
                id,
                country,
                lat_deg: row.lat_deg.get(),
                lon_deg: row.lon_deg.get(),
                height_m: row.height_m.unwrap_or(0.0),
            });
        }
        ok.then_some(sites)
    }
}
