//! Scopes: the subtrees a caller may see. Every list and count is filtered
//! by scope in SQL, never after loading.

use qizhi_core::org::{in_subtree, subtree_range};

use crate::rows::{Bind, Sql};

/// The subtrees (by root path) a caller may see, or everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Subtrees(Vec<String>),
}

impl Scope {
    /// A scope of the given subtree roots, dropping roots inside other roots.
    pub fn subtrees(mut paths: Vec<String>) -> Scope {
        paths.sort();
        let mut kept: Vec<String> = vec![];
        for p in paths {
            if !kept.iter().any(|k| in_subtree(&p, k)) {
                kept.push(p);
            }
        }
        Scope::Subtrees(kept)
    }

    pub fn contains(&self, path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Subtrees(roots) => roots.iter().any(|r| in_subtree(path, r)),
        }
    }

    /// Appends `AND (<col> in one of the subtrees)` to `sql`.
    pub fn filter(&self, sql: &mut Sql, path_col: &str) {
        match self {
            Scope::All => {}
            Scope::Subtrees(roots) if roots.is_empty() => {
                sql.push(" AND 1 = 0");
            }
            Scope::Subtrees(roots) => {
                sql.push(" AND (");
                for (i, r) in roots.iter().enumerate() {
                    if i > 0 {
                        sql.push(" OR ");
                    }
                    subtree_filter(sql, path_col, r);
                }
                sql.push(")");
            }
        }
    }
}

/// Appends `<col> >= lo AND <col> < hi`: the subtree of `path` as an index range.
pub fn subtree_filter(sql: &mut Sql, path_col: &str, path: &str) {
    let (lo, hi) = subtree_range(path);
    sql.push(&format!("({path_col} >= ")).bind(Bind::Text(lo));
    sql.push(&format!(" AND {path_col} < ")).bind(Bind::Text(hi)).push(")");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_roots_collapse() {
        let s = Scope::subtrees(vec!["/1/5/".into(), "/1/5/7/".into(), "/1/6/".into()]);
        assert_eq!(s, Scope::Subtrees(vec!["/1/5/".into(), "/1/6/".into()]));
        assert!(s.contains("/1/5/7/9/"));
        assert!(!s.contains("/1/"));
    }
}
