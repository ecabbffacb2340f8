mod common;
use gnss_interop::ephemeris::NavData;
#[test]
fn smoke() {
    for f in ["BRDC00IGS_R_20230010000_01D_MN.rnx","BRD400DLR_S_20230710000_01D_MN.rnx","BRDC00GOP_R_20210010000_01D_MN.rnx","BRDM00DLR_S_20230730000_01D_MN.rnx","dlf10010.21g"] {
        let Some(p) = common::data_file(&format!("nav/{f}")) else { return };
        let t = std::time::Instant::now();
        match NavData::from_file(&p) {
            Ok(d) => eprintln!("{f}: v{} ls {:?} bds {} / {} sats, glo {} / {} sats, skipped {:?} in {:?}", d.version, d.leap_seconds, d.bds_record_count(), d.bds.len(), d.glonass_record_count(), d.glonass.len(), d.skipped_records, t.elapsed()),
            Err(e) => eprintln!("{f}: ERR {e}"),
        }
    }
}
