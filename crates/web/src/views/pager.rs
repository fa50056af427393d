//! Paging links and query-string encoding for lists.

/// Percent-encodes a query parameter value (everything but RFC 3986's
/// unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One link of a pager; `gap` marks an ellipsis.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    pub page: i64,
    pub href: String,
    pub current: bool,
    pub gap: bool,
}

#[derive(Debug, Clone)]
pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

/// Page links around `page` (1-based) out of `pages`: the first, the last and
/// two either side of the current one, with gaps (`…`) between.
pub fn pager(page: i64, pages: i64, href: impl Fn(i64) -> String) -> Pager {
    let pages = pages.max(1);
    let page = page.clamp(1, pages);
    let mut links = Vec::new();
    let mut last = 0;
    for p in 1..=pages {
        if p == 1 || p == pages || (p - page).abs() <= 2 {
            if p == last + 2 {
                // An ellipsis would hide a single page: show the page.
                links.push(PageLink { page: p - 1, href: href(p - 1), current: false, gap: false });
            } else if p > last + 2 {
                links.push(PageLink { page: 0, href: String::new(), current: false, gap: true });
            }
            links.push(PageLink { page: p, href: href(p), current: p == page, gap: false });
            last = p;
        }
    }
    Pager { prev: (page > 1).then(|| href(page - 1)), next: (page < pages).then(|| href(page + 1)), links }
}
