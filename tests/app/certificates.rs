//! Certificates: issued on a pass, verifiable by anyone (public page, JWT against the JWK
//! set), forged tokens refused, revocation and re-issue by an administrator with an audit
//! entry, printable page, PDF with Vietnamese text, bulk PDF, and mail on issue.

use diesel::prelude::*;
use hocvuso::accounts::{Role, User};
use hocvuso::certificates::Certificate;
use hocvuso::certificates::sign::CertificateClaims;
use hocvuso::db::schema::{audit_log, users};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use crate::assessment::{answer_form, ready_learner, start, submit};
use crate::helpers::{Backend, Client, TestApp, location};
use crate::on_both_backends;

/// A learner who passed; returns their client, login and certificate code.
async fn certified(app: &TestApp) -> (Client, String, String) {
    let (client, login) = ready_learner(app).await;
    let id = start(&client).await;
    submit(&client, id, answer_form(app, id, true)).await;
    let user = app.user(&login);
    let certs = Certificate::of_user(&mut app.pool.get().unwrap(), user.id).unwrap();
    (client, login, certs[0].code.clone())
}

async fn anyone_can_verify_a_certificate_without_logging_in(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, login, code) = certified(&app).await;
    let (_, mine) = client.get_text("/certificates").await;
    assert!(mine.contains(&code) && mine.contains("An toàn mật khẩu"));

    let visitor = app.client();
    let (status, page) = visitor.get_text(&format!("/verify/{code}")).await;
    assert_eq!(status, 200, "the QR code never lands on a login page");
    assert!(page.contains("Chứng nhận hợp lệ"));
    assert!(
        page.contains("Người thử Học viên")
            && page.contains("An toàn mật khẩu và xác thực hai bước")
    );
    assert!(page.contains("Xuất sắc"), "a score band, not the score");
    let user = app.user(&login);
    assert!(
        !page.contains(&login) && !page.contains(&user.birth_year.to_string()),
        "nothing more about the person"
    );
    let typed = code.to_lowercase().replace('-', " ");
    let resp = visitor
        .get(&format!("/verify?code={}", typed.replace(' ', "+")))
        .await;
    assert_eq!(
        location(&resp),
        format!("/verify/{code}"),
        "a code typed loosely is understood"
    );
    let (status, page) = visitor.get_text("/verify/HVS-0000-0000").await;
    assert_eq!(status, 200);
    assert!(page.contains("Không có chứng nhận nào"));
}

async fn the_signed_token_verifies_offline_and_forgeries_do_not(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (_, _, code) = certified(&app).await;
    let visitor = app.client();
    let jwks: serde_json::Value = visitor
        .get("/.well-known/jwks.json")
        .await
        .json()
        .await
        .unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(
        (key["kty"].as_str(), key["crv"].as_str()),
        (Some("OKP"), Some("Ed25519"))
    );
    let decoding = DecodingKey::from_ed_components(key["x"].as_str().unwrap()).unwrap();
    let token = visitor
        .get(&format!("/verify/{code}/token"))
        .await
        .text()
        .await
        .unwrap();
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.validate_exp = false;
    validation.set_required_spec_claims(&["sub"]);
    let claims = jsonwebtoken::decode::<CertificateClaims>(&token, &decoding, &validation)
        .unwrap()
        .claims;
    assert_eq!(claims.sub, code);
    assert_eq!(claims.name, "Người thử Học viên");

    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = token.split('.').collect();
    let mut edited = claims.clone();
    edited.name = "Người Khác".into();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(serde_json::to_vec(&edited).unwrap()),
        parts[2]
    );
    assert!(jsonwebtoken::decode::<CertificateClaims>(&forged, &decoding, &validation).is_err());
    let none = format!("{}.{}.", b64.encode(br#"{"alg":"none"}"#), parts[1]);
    assert!(jsonwebtoken::decode::<CertificateClaims>(&none, &decoding, &validation).is_err());

    // A certificate row whose stored token was altered shows as not to be trusted.
    diesel::update(hocvuso::db::schema::certificates::table)
        .set(hocvuso::db::schema::certificates::token.eq(forged))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    let (_, page) = visitor.get_text(&format!("/verify/{code}")).await;
    assert!(page.contains("Chữ ký của chứng nhận không khớp"));
}

async fn an_administrator_revokes_with_a_reason_and_can_reissue(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (learner, _, code) = certified(&app).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let resp = admin
        .post_form(
            &format!("/admin/certificates/{code}/revoke"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(resp.status(), 400, "a reason is required");
    let resp = admin
        .post_form(
            &format!("/admin/certificates/{code}/revoke"),
            &[("reason", "Cấp nhầm người")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let (_, page) = app.client().get_text(&format!("/verify/{code}")).await;
    assert!(page.contains("đã bị thu hồi") && page.contains("Cấp nhầm người"));
    let entries: Vec<(String, String)> = audit_log::table
        .select((audit_log::action, audit_log::subject))
        .load(&mut app.pool.get().unwrap())
        .unwrap();
    assert!(entries.contains(&("certificate.revoke".into(), code.clone())));
    let (_, mine) = learner.get_text("/certificates").await;
    assert!(mine.contains("Đã thu hồi"));

    let resp = admin
        .post_form(&format!("/admin/certificates/{code}/reissue"), &[])
        .await;
    let new_code = location(&resp).rsplit("q=").next().unwrap().to_owned();
    assert_ne!(new_code, code);
    let (_, page) = app.client().get_text(&format!("/verify/{new_code}")).await;
    assert!(page.contains("Chứng nhận hợp lệ"));
    let resp = admin
        .post_form(&format!("/admin/certificates/{code}/reissue"), &[])
        .await;
    assert_eq!(
        resp.status(),
        400,
        "one valid certificate per learner and version"
    );
}

async fn the_printable_page_and_pdf_belong_to_the_holder(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (learner, _, code) = certified(&app).await;
    let (status, page) = learner.get_text(&format!("/certificates/{code}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<svg") && page.contains(&format!("verify&#x2F;{code}")),
        "QR code to the verify page"
    );
    let resp = learner.get(&format!("/certificates/{code}/pdf")).await;
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let bytes = resp.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    if let Some(text) = pdf_text(&bytes) {
        assert!(
            text.contains("Người thử Học viên"),
            "Vietnamese diacritics survive: {text}"
        );
        assert!(text.contains("CHỨNG NHẬN") && text.contains(&code));
    }
    let (stranger, _) = app.logged_in(Role::Learner).await;
    assert_eq!(
        stranger
            .get(&format!("/certificates/{code}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        stranger
            .get(&format!("/certificates/{code}/pdf"))
            .await
            .status(),
        403
    );
}

/// The text of a PDF, when poppler's pdftotext is installed (CI installs it).
fn pdf_text(bytes: &[u8]) -> Option<String> {
    let path = std::env::temp_dir().join(format!("hvs-{:x}.pdf", rand::random::<u64>()));
    std::fs::write(&path, bytes).ok()?;
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output();
    std::fs::remove_file(&path).ok();
    match out {
        Ok(o) if o.status.success() => Some(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but pdftotext is missing"
            );
            None
        }
    }
}

async fn bulk_pdfs_cover_a_course_or_a_managers_own_unit(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let mut conn = app.pool.get().unwrap();
    diesel::sql_query("INSERT INTO units (code, name, kind, created_at) VALUES ('tdp1', 'Tổ dân phố 1', 'residential', '2026-01-01 00:00:00')")
        .execute(&mut conn)
        .unwrap();
    let unit: i64 = hocvuso::db::schema::units::table
        .select(hocvuso::db::schema::units::id)
        .first(&mut conn)
        .unwrap();
    let (_, first, _) = certified(&app).await;
    let (_, _, _) = certified(&app).await;
    let id = app.user(&first).id;
    diesel::update(users::table.find(id))
        .set(users::unit_id.eq(unit))
        .execute(&mut conn)
        .unwrap();

    let (admin, _) = app.logged_in(Role::Admin).await;
    let resp = admin
        .get("/certificates/print/bulk.pdf?course=an-toan-mat-khau")
        .await;
    assert_eq!(resp.status(), 200);
    let bytes = resp.bytes().await.unwrap();
    if let Some(text) = pdf_text(&bytes) {
        assert_eq!(
            text.matches("CHỨNG NHẬN").count(),
            2,
            "one page per certificate"
        );
    }
    let (manager, login) = app.logged_in(Role::Manager).await;
    let mid = app.user(&login).id;
    diesel::update(users::table.find(mid))
        .set(users::unit_id.eq(unit))
        .execute(&mut conn)
        .unwrap();
    let manager_client = {
        let c = app.client();
        c.login(&login, crate::helpers::PASSWORD).await;
        c
    };
    drop(manager);
    let bytes = manager_client
        .get("/certificates/print/bulk.pdf?unit=999")
        .await
        .bytes()
        .await
        .unwrap();
    if let Some(text) = pdf_text(&bytes) {
        assert_eq!(
            text.matches("CHỨNG NHẬN").count(),
            1,
            "only the manager's own unit"
        );
    }
    let (learner, _) = app.logged_in(Role::Learner).await;
    assert_eq!(
        learner
            .get("/certificates/print/bulk.pdf?course=an-toan-mat-khau")
            .await
            .status(),
        403
    );
    let _ = User::find(&mut conn, id);
}

async fn a_certificate_is_mailed_to_its_holder(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (_, _, code) = certified(&app).await;
    let dir = app.settings.data_dir.join("mail");
    let found = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|f| std::fs::read(f.path()).ok())
        .filter_map(|raw| {
            mail_parser::MessageParser::default()
                .parse(&raw)
                .and_then(|m| m.body_text(0).map(|b| b.into_owned()))
        })
        .any(|body| body.contains(&code));
    assert!(found, "a mail with the certificate code");
}

on_both_backends!(
    anyone_can_verify_a_certificate_without_logging_in,
    the_signed_token_verifies_offline_and_forgeries_do_not,
    an_administrator_revokes_with_a_reason_and_can_reissue,
    the_printable_page_and_pdf_belong_to_the_holder,
    bulk_pdfs_cover_a_course_or_a_managers_own_unit,
    a_certificate_is_mailed_to_its_holder,
);
