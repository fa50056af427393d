//! The file formats a ledger can be read from and written to.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// A spreadsheet file format, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Excel 2007+ workbook; the first worksheet holds the ledger.
    Xlsx,
    /// Comma-separated values in UTF-8.
    Csv,
}

impl Format {
    /// The format of a file name or path by its extension (case-insensitive).
    pub fn from_name(name: &str) -> Result<Format, UnsupportedFormat> {
        let ext = Path::new(name.trim()).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" => Ok(Format::Xlsx),
            "csv" => Ok(Format::Csv),
            _ => Err(UnsupportedFormat { extension: ext }),
        }
    }

    pub fn from_path(path: &Path) -> Result<Format, UnsupportedFormat> {
        Self::from_name(&path.to_string_lossy())
    }

    /// The extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    /// The MIME type for a download.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// A file whose extension is neither `.xlsx` nor `.csv`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct UnsupportedFormat {
    /// The extension found, lowercase, without the dot; empty when none.
    pub extension: String,
}

impl std::fmt::Display for UnsupportedFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.extension.as_str() {
            "xls" | "et" => f.write_str(
                "不支持旧版 .xls/.et 文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入 \
                 (old .xls files are not supported: save as .xlsx)",
            ),
            "" => f.write_str("文件没有扩展名，请使用 .xlsx 或 .csv 文件 (use an .xlsx or .csv file)"),
            ext => write!(f, "不支持 .{ext} 文件，请使用 .xlsx 或 .csv 文件 (use an .xlsx or .csv file)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_name("人员台账.XLSX"), Ok(Format::Xlsx));
        assert_eq!(Format::from_path(Path::new("/tmp/a.b/units.csv")), Ok(Format::Csv));
        let old = Format::from_name("units.xls").unwrap_err();
        assert!(old.to_string().contains(".xlsx"));
        assert_eq!(Format::from_name("units").unwrap_err().extension, "");
    }
}
