//! Generates a people ledger of many rows, or reads one, so the memory a large
//! import takes can be measured:
//!
//! ```text
//! cargo build --release -p qizhi-sheet --example read_ledger
//! target/release/examples/read_ledger gen people.xlsx 1000000
//! /usr/bin/time -v target/release/examples/read_ledger read people.xlsx
//! ```
//!
//! `read` prints the rows read and the peak resident memory the kernel saw.

use std::path::Path;
use std::process::ExitCode;

use qizhi_core::person::id_number_with_check;
use qizhi_sheet::{PEOPLE, Writer, read_path};

fn person(i: usize) -> [String; 9] {
    [
        format!("FJ{:04}", i % 179),
        format!("党员{i}"),
        if i.is_multiple_of(2) { "男" } else { "女" }.into(),
        "正式党员".into(),
        format!("20{:02}-07-01", i % 25),
        "支部委员".into(),
        format!("19{:02}-03-12", 50 + i % 50),
        format!("138{:08}", i % 100_000_000),
        id_number_with_check(&format!("{:017}", 11010519491231002u64 + i as u64)),
    ]
}

/// The peak resident set of this process in KiB, as `/proc` reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["gen", path, rows] => {
            let rows: usize = rows.parse().expect("a number of rows");
            let mut w = Writer::create(path, &PEOPLE).expect("create the file");
            for i in 0..rows {
                w.row(&person(i)).expect("write a row");
            }
            w.finish().expect("finish the file");
            println!("{rows} rows written to {path}");
            ExitCode::SUCCESS
        }
        ["read", path] => {
            let result = read_path(Path::new(path), &PEOPLE);
            let peak = peak_rss_kib().map(|k| format!("{} MiB", k / 1024)).unwrap_or_else(|| "unknown".into());
            match result {
                Ok(rows) => {
                    println!("{} rows read; peak RSS {peak}", rows.len());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    println!("refused: {e}\npeak RSS {peak}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: read_ledger gen FILE ROWS | read_ledger read FILE");
            ExitCode::from(2)
        }
    }
}
