//! CSV, JSON and GeoJSON writers.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde::Serialize;
use serde_json::{json, Value};

use super::{GridField, ReportError};

fn create(path: &Path) -> Result<BufWriter<File>, ReportError> {
    File::create(path).map(BufWriter::new).map_err(io_err(path))
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Write rows as CSV with a header taken from the field names of `T` (serde).
pub fn write_csv<T: Serialize>(path: impl AsRef<Path>, rows: &[T]) -> Result<(), ReportError> {
    let path = path.as_ref();
    let csv_err = |source| ReportError::Csv {
        path: path.to_path_buf(),
        source,
    };
    let mut w = csv::Writer::from_writer(create(path)?);
    for row in rows {
        w.serialize(row).map_err(csv_err)?;
    }
    w.flush().map_err(io_err(path))
}

/// Write a value as pretty-printed JSON.
pub fn write_json<T: Serialize + ?Sized>(
    path: impl AsRef<Path>,
    value: &T,
) -> Result<(), ReportError> {
    json_file(path.as_ref(), value, true)
}

/// `value` as JSON (pretty-printed or compact) in a new file, ending with a newline.
fn json_file<T: Serialize + ?Sized>(
    path: &Path,
    value: &T,
    pretty: bool,
) -> Result<(), ReportError> {
    let mut w = create(path)?;
    if pretty {
        serde_json::to_writer_pretty(&mut w, value)
    } else {
        serde_json::to_writer(&mut w, value)
    }
    .map_err(|source| ReportError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    w.write_all(b"\n").map_err(io_err(path))?;
    w.flush().map_err(io_err(path))
}

/// The GeoJSON (RFC 7946) FeatureCollection of a grid: one Polygon per cell, with the cell's
/// value under `property_name` (`null` for no data) and its centre as `lat_deg`, `lon_deg`.
///
/// Rings run counter-clockwise (RFC 7946 §3.1.6); latitudes are clamped to ±90°. Longitudes
/// are written as given, so a cell straddling ±180° is not split.
pub fn geojson_cells(grid: &GridField, property_name: &str) -> Value {
    let half = grid.step_deg / 2.0;
    let mut features = Vec::with_capacity(grid.values.len());
    for (i, &lat) in grid.lats_deg.iter().enumerate() {
        let (s, n) = grid.lat_edges_deg(lat);
        for (j, &lon) in grid.lons_deg.iter().enumerate() {
            let (w, e) = (lon - half, lon + half);
            let mut props = serde_json::Map::new();
            props.insert(property_name.to_string(), json!(grid.value(i, j)));
            props.insert("lat_deg".into(), json!(lat));
            props.insert("lon_deg".into(), json!(lon));
            features.push(json!({
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
                },
                "properties": props,
            }));
        }
    }
    json!({ "type": "FeatureCollection", "features": features })
}

/// Write a grid as a GeoJSON FeatureCollection of cell polygons (see [`geojson_cells`]).
pub fn write_geojson_cells(
    path: impl AsRef<Path>,
    grid: &GridField,
    property_name: &str,
) -> Result<(), ReportError> {
    let path = path.as_ref();
    grid.check(path)?;
    json_file(path, &geojson_cells(grid, property_name), false)
}
