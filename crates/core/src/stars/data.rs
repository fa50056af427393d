//! Schemes and campaigns as plain data, with units named by code: what the
//! seed world generates and the store's bulk load writes. Stars are not
//! part of it: the store runs every branch's final scores through the
//! engine when it loads them.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::stars::campaign::{CampaignFields, Declaration, EntryStatus, Stage};
use crate::stars::points::Points;
use crate::stars::scheme::SchemeFields;

/// Everything of the star evaluation to load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StarsData {
    pub schemes: Vec<SchemeData>,
    /// Each campaign names its scheme by [`SchemeData::key`].
    pub campaigns: Vec<CampaignData>,
}

impl StarsData {
    /// Rows to write: schemes, campaigns and entries.
    pub fn len(&self) -> usize {
        self.schemes.len() + self.campaigns.iter().map(|c| 1 + c.entries.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeData {
    /// How campaigns and copies refer to it within the data (`FJ-2023`).
    pub key: String,
    /// The issuing unit.
    pub unit_code: String,
    /// The key of the scheme it was copied from.
    pub copied_from: Option<String>,
    pub fields: SchemeFields,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignData {
    pub scheme: String,
    /// The unit whose subtree's branches take part.
    pub unit_code: String,
    pub fields: CampaignFields,
    pub stage: Stage,
    /// When stars were fixed (campaigns at the award stage or later).
    pub awarded_on: Option<Date>,
    pub entries: Vec<EntryData>,
}

/// One branch in a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryData {
    pub unit_code: String,
    pub status: EntryStatus,
    pub declaration: Option<Declaration>,
    pub self_scores: Vec<ScoreData>,
    pub review1: Vec<ScoreData>,
    pub review2: Vec<ScoreData>,
    pub review1_comment: Option<String>,
    pub review2_comment: Option<String>,
    /// Codes of the scheme's vetoes found.
    pub vetoes: Vec<String>,
    pub withdrawn: Option<Withdrawal>,
}

/// An indicator's score, with the evidence (self) or comment (review).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreData {
    pub indicator: String,
    pub points: Points,
    pub note: Option<String>,
}

/// A star taken back after the award (dynamic management, 动态管理).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub on: Date,
    pub reason: String,
}
