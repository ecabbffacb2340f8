//! The figures of a baseline-versus-augmented study, drawn one way at every door
//! (`compare-layouts` and a scenario's `[networks]`): the stations as map markers, the six
//! user-side maps (monitored availability and predicted error before, after and their
//! difference) and the per-satellite tracked-fraction bars.

use std::path::Path;

use super::{
    LayoutOutcome, Network, NetworkTracking, OrbitSamples, SatTracking, SatelliteRow, Station,
    StudyResult,
};
use crate::coverage::output::{difference_field, grid_field, mean_of};
use crate::coverage::{CoverageResult, DopKind, PointStats};
use crate::frames::Ellipsoid;
use crate::id::Constellation;
use crate::report::plot::{
    bar_chart_pairs, ground_tracks, world_map, ColorScale, GroundTrack, MapStyle, Marker, Rgb,
};
use crate::report::GridField;

/// Map markers of a study's stations: every station of `augmented` tracking one of `systems`;
/// the stations it adds to `baseline` in red with their ids, the others unlabelled, orange for
/// BeiDou-only stations and blue for the rest.
pub fn study_markers(
    baseline: &Network,
    augmented: &Network,
    systems: &[Constellation],
) -> Vec<Marker> {
    augmented
        .stations()
        .iter()
        .filter(|st| systems.iter().any(|&c| st.tracks(c)))
        .map(|st| {
            let added = baseline.station(&st.id).is_err();
            Marker {
                lat_deg: st.position.lat_deg,
                lon_deg: st.position.lon_deg,
                label: if added { st.id.clone() } else { String::new() },
                color: if added {
                    Rgb::RED
                } else if st.tracks(Constellation::BeiDou) && !st.tracks(Constellation::Glonass) {
                    Rgb::ORANGE
                } else {
                    Rgb::BLUE
                },
            }
        })
        .collect()
}

/// The map of a layout search's best layout: the base network's stations blue, the other
/// candidates grey, the chosen sites red with their ids; titled with k, the candidate count,
/// the objective and the base network.
pub fn draw_layout(
    path: &Path,
    base: Option<&Network>,
    candidates: &[Station],
    outcome: &LayoutOutcome,
) -> crate::Result<()> {
    let chosen: &[usize] = outcome.best().map_or(&[], |b| &b.sites);
    let mut markers: Vec<Marker> = base
        .into_iter()
        .flat_map(|b| b.stations())
        .map(|st| Marker {
            lat_deg: st.position.lat_deg,
            lon_deg: st.position.lon_deg,
            label: String::new(),
            color: Rgb::BLUE,
        })
        .collect();
    for (i, c) in candidates.iter().enumerate() {
        let picked = chosen.contains(&i);
        markers.push(Marker {
            lat_deg: c.position.lat_deg,
            lon_deg: c.position.lon_deg,
            label: if picked { c.id.clone() } else { String::new() },
            color: if picked { Rgb::RED } else { Rgb(150, 150, 150) },
        });
    }
    let title = format!(
        "Best {} of {} candidate sites ({}){}: chosen red, others grey, base blue",
        chosen.len(),
        candidates.len(),
        outcome.objective,
        base.map_or(String::new(), |b| format!(", added to '{}'", b.name()))
    );
    ground_tracks(path, &title, &[], &markers)?;
    Ok(())
}

/// The tracking bar chart of a monitoring study: per satellite, the time seen by at least 1
/// and at least 4 stations of `net`, %.
pub fn draw_tracking_bars(
    path: &Path,
    net: &Network,
    result: &NetworkTracking,
) -> crate::Result<()> {
    let sats = &result.tracking.satellites;
    let pct =
        |f: fn(&SatTracking) -> f64| -> Vec<f64> { sats.iter().map(|t| 100.0 * f(t)).collect() };
    bar_chart_pairs(
        path,
        &format!("Tracking by '{}' ({} stations)", net.name(), net.len()),
        "time tracked, %",
        &sats.iter().map(|t| t.sat.to_string()).collect::<Vec<_>>(),
        &pct(|t| t.fraction_ge1),
        &pct(|t| t.fraction_ge4),
        ("seen by >= 1 station", "seen by >= 4 stations"),
    )?;
    Ok(())
}

/// Ground tracks (sub-satellite points on WGS84) of the `n` least-tracked satellites of a
/// monitoring study over its span, with the stations of `net` in red with their ids.
pub fn draw_least_tracked(
    path: &Path,
    net: &Network,
    samples: &OrbitSamples,
    result: &NetworkTracking,
    n: usize,
) -> crate::Result<()> {
    let span = samples.span();
    let tracks: Vec<GroundTrack> = result
        .least_tracked(n)
        .iter()
        .filter_map(|sat| samples.satellites().iter().position(|s| s == sat))
        .map(|s| GroundTrack {
            label: samples.satellites()[s].to_string(),
            points: (0..span.n_epochs)
                .filter_map(|i| samples.position_m(s, i))
                .map(|p| {
                    let g = Ellipsoid::WGS84.to_geodetic(&p);
                    (g.lat_deg, g.lon_deg)
                })
                .collect(),
        })
        .filter(|t| !t.points.is_empty())
        .collect();
    let markers: Vec<Marker> = net
        .stations()
        .iter()
        .map(|s| Marker {
            lat_deg: s.position.lat_deg,
            lon_deg: s.position.lon_deg,
            label: s.id.clone(),
            color: Rgb(200, 30, 30),
        })
        .collect();
    ground_tracks(
        path,
        &format!(
            "Least-tracked satellites and '{}' stations, {:.0} h",
            net.name(),
            span.n_epochs as f64 * span.step_s() / 3600.0
        ),
        &tracks,
        &markers,
    )?;
    Ok(())
}

impl StudyResult {
    /// Directory of the study's files: its label's slug, lower case (`beidou`, `glonass`,
    /// `beidou-glonass`).
    pub fn dir_name(&self) -> String {
        crate::outdir::slug(&self.label).to_ascii_lowercase()
    }

    /// Write the files of one baseline-versus-augmented study of `case`, each at the path
    /// `file(name)` gives (`compare-layouts --out DIR/<case>/`, a scenario's
    /// `networks/<case>/`): `study.json` (the result), `table.txt` (its text form),
    /// `per_satellite.csv` ([`StudyResult::satellite_rows`]), `cells.csv`
    /// ([`StudyResult::cell_rows`]), `tracked_fraction.png` ([`draw_tracked_fraction`]) and the
    /// user-side maps of [`study_maps`] as `KEY.png`, the case's stations marked
    /// ([`study_markers`]). Returns each map's file name and title, in order.
    pub fn write_outputs(
        &self,
        file: &mut crate::outdir::FileFor<'_>,
        case: &super::StudyCase,
    ) -> crate::Result<Vec<(String, String)>> {
        use crate::report::write::{write_csv, write_json};
        write_json(file("study.json")?, self)?;
        let table = file("table.txt")?;
        std::fs::write(&table, self.to_string()).map_err(|source| {
            crate::outdir::OutputError::Io {
                path: table.clone(),
                source,
            }
        })?;
        let sats = self.satellite_rows();
        write_csv(file("per_satellite.csv")?, &sats)?;
        write_csv(file("cells.csv")?, &self.cell_rows())?;
        draw_tracked_fraction(
            &file("tracked_fraction.png")?,
            &format!("{}: time tracked per satellite", self.label),
            &sats,
            (&self.baseline.network, &self.augmented.network),
        )?;
        let markers = study_markers(&case.baseline, &case.augmented, &case.systems);
        let mut maps = Vec::new();
        for map in study_maps(self)? {
            let name = format!("{}.png", map.key);
            map.draw(&file(&name)?, &markers)?;
            maps.push((name, map.title));
        }
        Ok(maps)
    }
}

/// One user-side map of a study.
#[derive(Debug, Clone)]
pub struct StudyMap {
    /// File key, e.g. `monitored_availability_difference`.
    pub key: &'static str,
    /// Title (the case's label and what is shown).
    pub title: String,
    /// Colour-bar label.
    pub units: &'static str,
    /// The values, one per grid cell.
    pub field: GridField,
    /// Colour scale: before and after share one sequential range, so the two compare;
    /// differences are diverging around zero.
    pub scale: ColorScale,
}

impl StudyMap {
    /// Draw the map to `path` (PNG) with `markers`.
    pub fn draw(&self, path: &Path, markers: &[Marker]) -> crate::Result<()> {
        let style = MapStyle {
            title: self.title.clone(),
            units_label: self.units.to_string(),
            color_scale: self.scale,
            markers: markers.to_vec(),
        };
        Ok(world_map(path, &self.field, &style)?)
    }
}

/// The six user-side maps of a study, in this order: monitored availability (% of time)
/// baseline, augmented, difference; mean predicted 3-D error (m) baseline, augmented,
/// difference.
pub fn study_maps(r: &StudyResult) -> crate::Result<Vec<StudyMap>> {
    let avail_pct = |p: &PointStats| Some(100.0 * p.availability);
    let (mb, ma) = (&r.baseline.monitored, &r.augmented.monitored);
    let (wb, wa) = (&r.baseline.weighted, &r.augmented.weighted);
    let err = |w: &CoverageResult| mean_of(w, DopKind::PositionErrorM);
    let fields: [(&str, &str, &str, GridField); 6] = [
        (
            "monitored_availability_baseline",
            "monitored availability, baseline",
            "% of time",
            grid_field(mb, avail_pct)?,
        ),
        (
            "monitored_availability_augmented",
            "monitored availability, augmented",
            "% of time",
            grid_field(ma, avail_pct)?,
        ),
        (
            "monitored_availability_difference",
            "monitored availability, augmented − baseline",
            "percentage points",
            difference_field(ma, mb, avail_pct)?,
        ),
        (
            "position_error_baseline",
            "predicted 3-D error (mean), baseline",
            "m",
            grid_field(wb, err(wb))?,
        ),
        (
            "position_error_augmented",
            "predicted 3-D error (mean), augmented",
            "m",
            grid_field(wa, err(wa))?,
        ),
        (
            "position_error_difference",
            "predicted 3-D error, augmented − baseline",
            "m",
            difference_field(wa, wb, err(wb))?,
        ),
    ];
    // Common colour ranges for before/after so the two maps compare.
    let both = |i: usize| -> Vec<Option<f64>> {
        fields[i]
            .3
            .values
            .iter()
            .chain(&fields[i + 1].3.values)
            .copied()
            .collect()
    };
    let (av_scale, pe_scale) = (
        ColorScale::sequential_over(&both(0)),
        ColorScale::sequential_over(&both(3)),
    );
    Ok(fields
        .into_iter()
        .enumerate()
        .map(|(i, (key, what, units, field))| StudyMap {
            key,
            title: format!("{}: {what}", r.label),
            units,
            scale: match i {
                0 | 1 => av_scale,
                3 | 4 => pe_scale,
                _ => ColorScale::diverging_over(&field.values),
            },
            field,
        })
        .collect())
}

/// Bars of the fraction of the span each satellite of `rows` is tracked, baseline beside
/// augmented (legend: the two networks' names), drawn to `path` (PNG).
pub fn draw_tracked_fraction(
    path: &Path,
    title: &str,
    rows: &[SatelliteRow],
    networks: (&str, &str),
) -> crate::Result<()> {
    bar_chart_pairs(
        path,
        title,
        "% of the span",
        &rows.iter().map(|s| s.sat.clone()).collect::<Vec<_>>(),
        &rows
            .iter()
            .map(|s| 100.0 * s.tracked_baseline)
            .collect::<Vec<_>>(),
        &rows
            .iter()
            .map(|s| 100.0 * s.tracked_augmented)
            .collect::<Vec<_>>(),
        networks,
    )?;
    Ok(())
}
