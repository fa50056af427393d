//! Uploaded files: stored with their unit, served only to callers who may
//! read that unit, with headers that keep browsers from running them.

mod common;

use axum::http::StatusCode;
use common::*;
use qizhi_core::file::FileKind;
use qizhi_core::ids::UnitId;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-not-a-real-image";

#[tokio::test]
async fn a_file_is_served_in_scope_and_hidden_outside_it() {
    each_backend(|w| async move {
        let file = w.store.put_file(UnitId(w.id("FJ01-001")), "党徽.png", FileKind::Png, PNG).await.unwrap();
        assert_eq!(w.store.file_data(file.id).await.unwrap(), PNG, "[{}] bytes round trip", w.backend);

        let uri = format!("/files/{}", file.id);
        for user in ["admin", "fjadmin", "b1admin", "viewer"] {
            let r = w.send(get(&uri).bearer(w.token(user))).await.expect(StatusCode::OK);
            assert_eq!(r.body, PNG);
            assert_eq!(r.content_type(), Some("image/png"));
            assert_eq!(r.headers["x-content-type-options"], "nosniff");
            assert!(r.headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
        }
        // Another province's admin cannot tell the file exists.
        w.send(get(&uri).bearer(w.token("nmadmin"))).await.expect(StatusCode::NOT_FOUND);
        w.send(get("/files/999999").bearer(w.token("nmadmin"))).await.expect(StatusCode::NOT_FOUND);
        // Nobody signed in: not served.
        w.send(get(&uri)).await.expect(StatusCode::UNAUTHORIZED);
    })
    .await;
}
