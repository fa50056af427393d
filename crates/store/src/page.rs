//! Paged lists, one rule for all: a page holds 1 to [`MAX_PER_PAGE`] rows,
//! pages count from 1, and the answer says how many rows the whole list has.
//! Whatever needs more rows (an export) streams them instead.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::rows::{Bind, Sql};
use crate::{Store, StoreResult};

/// The most rows one page holds.
pub const MAX_PER_PAGE: i64 = 1000;

/// One page of a list and the length of the whole list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub total: i64,
    pub items: Vec<T>,
}

impl<T> Page<T> {
    /// How many pages of `per_page` rows the whole list fills.
    pub fn pages(&self, per_page: i64) -> i64 {
        pages(self.total, per_page)
    }
}

/// How many pages of `per_page` rows (under the one size rule) `total` rows fill.
pub fn pages(total: i64, per_page: i64) -> i64 {
    let per_page = per_page.clamp(1, MAX_PER_PAGE);
    (total.max(0) + per_page - 1) / per_page
}

/// The rows to skip before a 1-based page: pages before the first are the
/// first, and a page far past the end skips everything instead of overflowing.
pub fn offset(page: i64, per_page: i64) -> i64 {
    (page.max(1) - 1).saturating_mul(per_page.max(0))
}

impl Store {
    /// Page `page` of the rows of `from` (a `FROM … WHERE …` with its binds),
    /// read with `select` and sorted by `order` (which must make the order
    /// total, so that pages neither repeat nor skip a row), and their count.
    pub(crate) async fn page<T>(
        &self,
        from: &Sql,
        select: &str,
        order: &str,
        page: i64,
        per_page: i64,
        row: impl Fn(&AnyRow) -> StoreResult<T>,
    ) -> StoreResult<Page<T>> {
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let total: i64 =
            from.prefixed("SELECT COUNT(*)").query(self.backend).fetch_one(&self.pool).await?.try_get(0)?;
        let mut list = from.prefixed(select);
        list.push(" ORDER BY ").push(order).push(" LIMIT ").bind(Bind::Int(per_page));
        list.push(" OFFSET ").bind(Bind::Int(offset(page, per_page)));
        let rows = list.query(self.backend).fetch_all(&self.pool).await?;
        Ok(Page { total, items: rows.iter().map(row).collect::<StoreResult<_>>()? })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_offset_never_overflows() {
        assert_eq!(super::offset(1, 50), 0);
        assert_eq!(super::offset(0, 50), 0);
        assert_eq!(super::offset(3, 50), 100);
        assert_eq!(super::offset(i64::MAX, 500), i64::MAX);
    }

    #[test]
    fn pages_round_up_under_the_one_size_rule() {
        let page = super::Page::<()> { total: 101, items: vec![] };
        assert_eq!(page.pages(50), 3);
        assert_eq!(page.pages(0), 101);
        assert_eq!(super::Page::<()> { total: 0, items: vec![] }.pages(50), 0);
    }
}
