//! Uploaded files — brand logos, evidence for standards, scores and ledger
//! entries. A file's kind is decided from its bytes, never from the name or
//! the type the browser claims, and only kinds that are safe to serve are
//! accepted: no HTML, no SVG, nothing a browser would run.

use crate::Invalid;

/// The largest file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of file Qizhi keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
    /// Word, Excel and PowerPoint documents (zip containers), told apart by extension.
    Docx,
    Xlsx,
    Pptx,
}

impl FileKind {
    pub const ALL: [FileKind; 8] = [
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
        FileKind::Webp,
        FileKind::Pdf,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Pptx,
    ];
    pub const IMAGES: [FileKind; 4] = [FileKind::Png, FileKind::Jpeg, FileKind::Gif, FileKind::Webp];

    pub fn code(self) -> &'static str {
        match self {
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Gif => "gif",
            FileKind::Webp => "webp",
            FileKind::Pdf => "pdf",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Pptx => "pptx",
        }
    }

    pub fn parse(code: &str) -> Option<FileKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        }
    }

    pub fn is_image(self) -> bool {
        Self::IMAGES.contains(&self)
    }

    /// What the bytes are, or `None` when they are none of the kinds kept.
    pub fn sniff(name: &str, bytes: &[u8]) -> Option<FileKind> {
        let starts = |magic: &[u8]| bytes.starts_with(magic);
        if starts(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if starts(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if starts(b"GIF87a") || starts(b"GIF89a") {
            Some(FileKind::Gif)
        } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
            Some(FileKind::Webp)
        } else if starts(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if starts(b"PK\x03\x04") {
            let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
            match ext.as_str() {
                "docx" => Some(FileKind::Docx),
                "xlsx" => Some(FileKind::Xlsx),
                "pptx" => Some(FileKind::Pptx),
                _ => None,
            }
        } else {
            None
        }
    }
}

/// Checks an upload: not empty, not too large, of one of the `allowed`
/// kinds. `field` names the form field in the error.
pub fn check(field: &str, name: &str, bytes: &[u8], allowed: &[FileKind]) -> Result<FileKind, Invalid> {
    if bytes.is_empty() {
        return Err(Invalid::one(field, "文件为空 (the file is empty)"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(Invalid::one(
            field,
            format!("文件不能超过 {} MB (the file is larger than {} MB)", MAX_BYTES >> 20, MAX_BYTES >> 20),
        ));
    }
    let accepted = allowed.iter().map(|k| k.code()).collect::<Vec<_>>().join("/");
    match FileKind::sniff(name, bytes) {
        Some(kind) if allowed.contains(&kind) => Ok(kind),
        _ => Err(Invalid::one(
            field,
            format!("不支持的文件类型，应为 {accepted} (unsupported file type; expected {accepted})"),
        )),
    }
}

/// A file name safe to store and show: the last path segment, without
/// control characters, at most 120 characters.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(120).collect();
    if cleaned.trim().is_empty() { "file".to_string() } else { cleaned.trim().to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_bytes_not_the_name() {
        assert_eq!(FileKind::sniff("logo.html", b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(FileKind::sniff("logo.png", b"<html><script>"), None);
        assert_eq!(FileKind::sniff("x.svg", b"<svg xmlns="), None);
        assert_eq!(FileKind::sniff("a.docx", b"PK\x03\x04rest"), Some(FileKind::Docx));
        assert_eq!(FileKind::sniff("a.zip", b"PK\x03\x04rest"), None);
        assert_eq!(FileKind::sniff("w", b"RIFF\0\0\0\0WEBPVP8 "), Some(FileKind::Webp));
        for k in FileKind::ALL {
            assert_eq!(FileKind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn uploads_are_checked() {
        let png = b"\x89PNG\r\n\x1a\nrest";
        assert_eq!(check("logo", "a.png", png, &FileKind::IMAGES), Ok(FileKind::Png));
        assert!(check("logo", "a.pdf", b"%PDF-1.7", &FileKind::IMAGES).is_err());
        assert!(check("logo", "a.png", b"", &FileKind::IMAGES).is_err());
        let big = [png.as_slice(), &vec![0u8; MAX_BYTES]].concat();
        let e = check("logo", "a.png", &big, &FileKind::IMAGES).unwrap_err();
        assert_eq!(e.errors[0].field, "logo");
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("C:\\fakepath\\党建品牌.png"), "党建品牌.png");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\nc.pdf"), "abc.pdf");
        assert_eq!(clean_name(""), "file");
    }
}
