//! Small helpers shared by the numbered examples: where the real data are, and where figures go.
#![allow(dead_code)] // each example uses a subset

use std::path::PathBuf;

/// The directory of the real public data set (see the project's data notes): the environment
/// variable `GNSS_INTEROP_DATA` if set, else `../shared/data` next to the crate. `None` when it
/// does not exist; the examples then fall back to data typed in, or say what they need.
pub fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GNSS_INTEROP_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    dir.is_dir().then_some(dir)
}

/// A file below the data directory, when the directory exists and holds it.
pub fn data_file(rel: &str) -> Option<PathBuf> {
    let p = data_dir()?.join(rel);
    p.is_file().then_some(p)
}

/// `out/examples/` under the crate (created if needed); `out/` is not versioned.
pub fn out_dir() -> std::io::Result<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("out/examples");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// How to get the data, printed by examples that cannot run without it.
pub const HOW_TO_GET_DATA: &str = "\
The real data set (IGS broadcast navigation file and WUM/COD MGEX SP3 of 2023-01-01) is not
part of the crate. Put the files in a directory with the layout nav/, sp3/, clk/, stations/
(file names as in the project's data notes, e.g. nav/BRDC00IGS_R_20230010000_01D_MN.rnx and
sp3/WUM0MGXFIN_20230010000_01D_05M_ORB.SP3, from the IGS/MGEX archives) and point
GNSS_INTEROP_DATA at it, or place it at ../shared/data next to the crate.";
