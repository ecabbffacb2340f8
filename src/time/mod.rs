//! Time systems and their reconciliation: TAI, UTC, GPST, BDT and GLONASS time
//! (UTC(SU) + 3 h), GNSS week/second-of-week, GLONASS N4/N_T, and the broadcast
//! inter-system offsets (RINEX 3 `TIME SYSTEM CORR`, RINEX 4 `STO`).
