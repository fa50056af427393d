//! Any bytes, read as an .xlsx and as a .csv people ledger: the reader
//! returns rows or errors, within its limits, and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qizhi_sheet::{Format, PEOPLE, read_bytes};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Xlsx, Format::Csv] {
        match read_bytes(data, format, &PEOPLE) {
            Ok(rows) => {
                assert!(rows.windows(2).all(|w| w[0].line < w[1].line), "rows come in file order");
                for row in &rows {
                    assert!(row.line >= 2, "the header is above every row");
                    for column in PEOPLE.columns {
                        let _ = row.get(column.key);
                    }
                    let _ = qizhi_sheet::people(std::slice::from_ref(row));
                }
            }
            Err(e) => assert!(e.total() > 0, "a refusal says why"),
        }
    }
});
