//! Recognition: the yearly assessments of units (`assessments`).

pub mod assessments;

pub(crate) use assessments::recount;
