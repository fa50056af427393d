//! Typed ids, so a person's id is never passed where a unit's is expected.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(/// An org unit (组织).
    UnitId);
id!(/// A person (人员).
    PersonId);
id!(/// A grid (网格).
    GridId);
id!(/// A production scenario (生产场景).
    ScenarioId);
id!(/// A login account.
    UserId);
id!(/// A party-building brand (党建品牌).
    BrandId);
id!(/// An honor (荣誉).
    HonorId);

id!(/// A fortress (堡垒) set up on a production scenario or a grid.
    FortressId);
id!(/// A task (任务) of a ledger.
    TaskId);
id!(/// A dated progress entry (进展) of a task's ledger.
    EntryId);
id!(/// A team (突击队、先锋队、服务队 …).
    TeamId);
id!(/// A member's commitment (承诺).
    CommitmentId);
