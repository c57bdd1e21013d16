//! CSV imports on both backends: a dry run writes nothing, bad rows are named and good rows
//! kept, and importing the same file again changes nothing.

use hocvuso::imports::units;

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

const UNITS: &str = "mã,tên,loại\nTDP1,Tổ dân phố 1,tổ dân phố\nTHCS,Trường THCS Dương Kinh,trường\n,Không mã,trường\nX,Nhà máy,nhà máy\n";

async fn units_import_with_dry_run_row_errors_and_no_duplicates(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let mut conn = app.pool.get().unwrap();
    let mut ticks = 0;
    let dry = units::import(&mut conn, UNITS.as_bytes(), true, &mut |_| ticks += 1).unwrap();
    assert_eq!((dry.created, dry.errors.len()), (2, 2));
    assert_eq!(ticks, 2, "progress for each good row");
    let (_, page) = app.client().get_text("/register").await;
    assert!(
        !page.contains("Trường THCS Dương Kinh"),
        "a dry run writes nothing"
    );

    let done = units::import(&mut conn, UNITS.as_bytes(), false, &mut |_| {}).unwrap();
    assert_eq!((done.created, done.updated, done.unchanged), (2, 0, 0));
    assert_eq!(done.errors[0].to_string(), "dòng 4: thiếu mã đơn vị");
    let again = units::import(&mut conn, UNITS.as_bytes(), false, &mut |_| {}).unwrap();
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 2),
        "the same file changes nothing"
    );
    let renamed = UNITS.replace("Tổ dân phố 1", "Tổ dân phố số 1");
    let changed = units::import(&mut conn, renamed.as_bytes(), false, &mut |_| {}).unwrap();
    assert_eq!((changed.created, changed.updated), (0, 1));

    let (_, page) = app.client().get_text("/register").await;
    assert!(
        page.contains("Trường THCS Dương Kinh") && page.contains("Tổ dân phố số 1"),
        "people can choose their unit"
    );
}

on_both_backends!(units_import_with_dry_run_row_errors_and_no_duplicates);

use diesel::prelude::*;
use hocvuso::accounts::Role;
use hocvuso::db::schema::{confirmations, population_counts, users};
use hocvuso::imports::{learners, population, vneid};

use crate::helpers::Client;

const UNIT_LIST: &str = "mã,tên,loại\nTDP1,Tổ dân phố 1,tổ dân phố\nTHCS,Trường THCS Dương Kinh,trường\nUB,UBND phường,cơ quan\n";

fn with_units(app: &TestApp) {
    let mut conn = app.pool.get().unwrap();
    units::import(&mut conn, UNIT_LIST.as_bytes(), false, &mut |_| {}).unwrap();
}

fn key(app: &TestApp) -> [u8; 32] {
    hocvuso::keys::Keys::load(app.settings.signing_key.as_deref(), &app.settings.data_dir)
        .unwrap()
        .derive("citizen-id")
}

const POPULATION: &str = "mã đơn vị,đối tượng,số người,tính đến ngày\n\
    TDP1,người dân trưởng thành,1.234,30/06/2026\n\
    THCS,học sinh,812,\n\
    TDP9,người dân,5,30/06/2026\n\
    UB,cán bộ công chức viên chức,mười,30/06/2026\n";

async fn population_counts_import_by_unit_and_date(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    with_units(&app);
    let mut conn = app.pool.get().unwrap();
    let june = chrono::NaiveDate::from_ymd_opt(2026, 6, 1);
    let dry =
        population::import(&mut conn, POPULATION.as_bytes(), june, true, &mut |_| {}).unwrap();
    assert_eq!((dry.created, dry.errors.len()), (2, 2));
    let stored: i64 = population_counts::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(stored, 0, "a dry run writes nothing");
    let reasons: Vec<String> = dry.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        reasons[0],
        "dòng 4: chưa có đơn vị mã \"TDP9\": hãy nhập danh sách đơn vị trước"
    );
    assert!(reasons[1].starts_with("dòng 5: số người \"mười\" chưa đúng"));

    let done =
        population::import(&mut conn, POPULATION.as_bytes(), june, false, &mut |_| {}).unwrap();
    assert_eq!(
        (done.created, done.updated, done.errors.len()),
        (2, 0, 2),
        "good rows kept"
    );
    let again =
        population::import(&mut conn, POPULATION.as_bytes(), june, false, &mut |_| {}).unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    let corrected = POPULATION.replace("1.234", "1.240");
    let fixed =
        population::import(&mut conn, corrected.as_bytes(), june, false, &mut |_| {}).unwrap();
    assert_eq!(
        (fixed.created, fixed.updated),
        (0, 1),
        "a corrected count replaces the old one"
    );
    let rows: Vec<(String, chrono::NaiveDate, i32)> = population_counts::table
        .select((
            population_counts::population,
            population_counts::as_of,
            population_counts::count,
        ))
        .order(population_counts::count)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ("students".into(), june.unwrap(), 812),
            (
                "adults".into(),
                chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
                1240
            ),
        ],
        "a row without a date takes the date given for the file"
    );
    let refused = population::import(&mut conn, POPULATION.as_bytes(), None, false, &mut |_| {});
    assert!(refused.is_ok(), "rows with their own date need no default");
}

async fn vneid_confirmations_match_people_and_keep_no_citizen_id_in_clear(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    with_units(&app);
    let key = key(&app);
    let mut conn = app.pool.get().unwrap();
    let roster = "họ và tên,năm sinh,nhóm,mã đơn vị,số điện thoại,số định danh,tổ dân phố\n\
        Nguyễn Văn An,1960,người dân,,0912000001,031060000001,TDP1\n\
        Trần Thị Bình,1975,người dân,,0912000002,,TDP1\n\
        Lê Văn Cường,1980,cán bộ,UB,,,\n";
    let (made, slips) =
        learners::import(&mut conn, roster.as_bytes(), &key, None, false, &mut |_| {}).unwrap();
    assert_eq!(made.created, 3);
    let cuong = slips
        .iter()
        .find(|s| s.full_name == "Lê Văn Cường")
        .unwrap()
        .login
        .clone();
    let file = format!(
        "số định danh,số điện thoại,tên đăng nhập,ngày xác nhận,tổ dân phố\n\
         031060000001,,,01/03/2026,\n\
         ,0912 000 002,,2026-03-02,\n\
         ,,{cuong},03/03/2026,\n\
         031099000009,,,04/03/2026,TDP1\n\
         031099000008,,,05/03/2026,\n\
         ,0912000002,,06/03/2026,\n\
         ,,,07/03/2026,TDP1\n"
    );
    let dry = vneid::import(&mut conn, file.as_bytes(), &key, true, &mut |_| {}).unwrap();
    assert_eq!((dry.created, dry.errors.len()), (4, 3));
    let none: i64 = confirmations::table.count().get_result(&mut conn).unwrap();
    assert_eq!(none, 0);
    let done = vneid::import(&mut conn, file.as_bytes(), &key, false, &mut |_| {}).unwrap();
    let reasons: Vec<String> = done.errors.iter().map(ToString::to_string).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons[0].starts_with("dòng 6: không có học viên nào có số định danh •••••••••008"),
        "{}",
        reasons[0]
    );
    assert!(
        reasons[1].starts_with("dòng 7: số điện thoại +84912000002 trùng với người ở dòng 3"),
        "{}",
        reasons[1]
    );
    assert!(reasons[2].starts_with("dòng 8: dòng này không có số định danh"));
    let matched: Vec<(Option<i64>, Option<i64>)> = confirmations::table
        .select((confirmations::user_id, confirmations::unit_id))
        .order(confirmations::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        matched.iter().filter(|(u, _)| u.is_some()).count(),
        3,
        "by ID, phone and login"
    );
    assert!(
        matched[3].0.is_none() && matched[3].1.is_some(),
        "no account yet: kept by unit"
    );
    let again = vneid::import(&mut conn, file.as_bytes(), &key, false, &mut |_| {}).unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));

    let hashes: Vec<Option<String>> = confirmations::table
        .select(confirmations::citizen_id_hash)
        .load(&mut conn)
        .unwrap();
    let stored_ids: Vec<Option<String>> = users::table
        .select(users::citizen_id_hash)
        .load(&mut conn)
        .unwrap();
    for h in hashes.iter().chain(&stored_ids).flatten() {
        assert!(
            !h.contains("031060000001") && !h.contains("031099000009"),
            "only keyed hashes"
        );
    }
}

async fn a_roster_creates_accounts_with_one_time_passwords_once(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    with_units(&app);
    let key = key(&app);
    let mut conn = app.pool.get().unwrap();
    let roster = "họ và tên,năm sinh,nhóm,mã đơn vị,giới tính\n\
        Phạm Minh Đức,2012,học sinh,THCS,nam\n\
        Vũ Thu Hà,2012,Học sinh,THCS,nữ\n\
        Đỗ Văn Khoa,2011,học sinh,,nam\n\
        Phạm Minh Đức,2012,học sinh,THCS,nam\n\
        Bùi Thị Lan,1890,học sinh,THCS,nữ\n";
    let (dry, none) =
        learners::import(&mut conn, roster.as_bytes(), &key, None, true, &mut |_| {}).unwrap();
    assert_eq!((dry.created, dry.errors.len(), none.len()), (2, 3, 0));
    let (done, slips) =
        learners::import(&mut conn, roster.as_bytes(), &key, None, false, &mut |_| {}).unwrap();
    let reasons: Vec<String> = done.errors.iter().map(ToString::to_string).collect();
    assert!(
        reasons[0].starts_with("dòng 4: thiếu mã đơn vị"),
        "{reasons:?}"
    );
    assert!(reasons[1].starts_with("dòng 5: Phạm Minh Đức trùng với người ở dòng 2"));
    assert!(reasons[2].starts_with("dòng 6: năm sinh \"1890\""));
    assert_eq!(slips.len(), 2);
    assert!(
        slips
            .iter()
            .all(|s| s.login.starts_with("hv")
                && s.unit.as_deref() == Some("Trường THCS Dương Kinh"))
    );
    let (again, more) =
        learners::import(&mut conn, roster.as_bytes(), &key, None, false, &mut |_| {}).unwrap();
    assert_eq!(
        (again.created, again.unchanged, more.len()),
        (0, 2, 0),
        "nobody twice"
    );
    drop(conn);

    // The slip logs in once, and the person must choose their own password.
    let client = app.client();
    let resp = client
        .login(&slips[0].login, &slips[0].one_time_password)
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(crate::helpers::location(&resp), "/account/password");
}

async fn an_administrator_uploads_a_roster_and_prints_the_slips(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    with_units(&app);
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (status, page) = admin.get_text("/admin/imports").await;
    assert_eq!(status, 200);
    assert!(page.contains("Danh sách học viên") && page.contains("Chạy thử"));
    let roster = "họ và tên,năm sinh,nhóm,mã đơn vị\nPhạm Minh Đức,2012,học sinh,THCS\nAi Đó,2012,học sinh,XYZ\n";

    let dry = upload(&admin, "learners", roster.as_bytes(), true).await;
    assert_eq!(dry.status(), 200);
    let page = dry.text().await.unwrap();
    assert!(page.contains("Chạy thử") && page.contains("chưa có đơn vị mã"));
    assert!(
        !page.contains("Mật khẩu dùng một lần"),
        "no slips in a dry run"
    );

    let done = upload(&admin, "learners", roster.as_bytes(), false).await;
    let page = done.text().await.unwrap();
    assert!(
        page.contains("Phiếu đăng nhập của 1 tài khoản mới"),
        "{page}"
    );
    assert!(page.contains("Phạm Minh Đức"));
    assert!(
        page.contains("<td>3</td>") || page.contains(">3<"),
        "the bad row is named"
    );

    let latin1 = b"h\xe1\xbb\x8d t\xean\n\xff\xfe";
    let refused = upload(&admin, "learners", latin1, false).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("CSV UTF-8"));

    // Without the form's token the upload is refused.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(roster.as_bytes().to_vec()).file_name("a.csv"),
    );
    let forged = admin
        .http
        .post(admin.url("/admin/imports/units"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);

    let (learner, _) = app.logged_in(Role::Learner).await;
    let token = learner.csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(UNIT_LIST.as_bytes().to_vec()).file_name("a.csv"),
        );
    let resp = learner
        .http
        .post(learner.url("/admin/imports/units"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403, "administrators only");
}

async fn upload(client: &Client, kind: &str, data: &[u8], dry_run: bool) -> reqwest::Response {
    let token = client.csrf().await;
    let mut form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .part(
            "file",
            reqwest::multipart::Part::bytes(data.to_vec()).file_name("tep.csv"),
        );
    if dry_run {
        form = form.text("dry_run", "yes");
    }
    client
        .http
        .post(client.url(&format!("/admin/imports/{kind}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

on_both_backends!(
    population_counts_import_by_unit_and_date,
    vneid_confirmations_match_people_and_keep_no_citizen_id_in_clear,
    a_roster_creates_accounts_with_one_time_passwords_once,
    an_administrator_uploads_a_roster_and_prints_the_slips,
);
