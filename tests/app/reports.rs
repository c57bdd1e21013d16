//! Cohort reports on both backends: every goal computed on the hand-built cohort of
//! `report_cohort` (revocations, duplicates, people in two units, a learner under 18, missing
//! population counts, an erased account); the page, its charts, the exports and the command
//! line give the same figures; a unit manager sees only their units and who is missing there.

use std::path::PathBuf;
use std::sync::Arc;

use hocvuso::accounts::Role;
use hocvuso::content::Course;
use hocvuso::groups::Group;
use hocvuso::reports::compute::{GoalReport, Status};
use hocvuso::reports::plan::Plan;
use hocvuso::reports::{Report, Scope};

use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::on_both_backends;
use crate::report_cohort::{self as cohort, day};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses/good")
}

fn plan() -> (Plan, Vec<Arc<Course>>) {
    let courses: Vec<Arc<Course>> = hocvuso::content::load_dir(&fixtures())
        .courses
        .into_iter()
        .map(Arc::new)
        .collect();
    let plan = hocvuso::reports::plan::load(&fixtures().join("plan.toml"), &courses).unwrap();
    (plan, courses)
}

fn report(app: &TestApp, as_of: &str, scope: &Scope) -> Report {
    let (plan, courses) = plan();
    let mut conn = app.pool.get().unwrap();
    hocvuso::reports::make(&mut conn, &plan, &courses, day(as_of), scope).unwrap()
}

/// (population, counted, percent to a tenth, needed, missing, outside, status)
type Line = (
    Option<i64>,
    i64,
    Option<f64>,
    Option<i64>,
    Option<i64>,
    i64,
    Status,
);

fn line(g: &GoalReport) -> Line {
    (
        g.population,
        g.counted,
        g.percent.map(|p| (p * 10.0).round() / 10.0),
        g.needed,
        g.missing,
        g.counted_outside,
        g.status,
    )
}

/// The cohort, with the account of A12 erased at their request; returns an administrator.
async fn cohort_app(backend: &Backend) -> (TestApp, cohort::Units, cohort::Named, String) {
    let app = TestApp::spawn(backend).await;
    let admin = app.create_user(Role::Admin, Group::Officials);
    let admin_id = app.user(&admin).id;
    let mut conn = app.pool.get().unwrap();
    let (units, named) = cohort::build(&mut conn);
    hocvuso::privacy::erase::erase(&mut conn, named.a12, admin_id).unwrap();
    drop(conn);
    (app, units, named, admin)
}

async fn each_goal_counts_the_hand_built_cohort_exactly(backend: Backend) {
    let (app, u, _, _) = cohort_app(&backend).await;
    let r = report(&app, "2026-06-30", &Scope::All);
    let lines: Vec<Line> = r.goals.iter().map(line).collect();
    use Status::*;
    assert_eq!(
        lines,
        vec![
            (Some(5), 1, Some(20.0), Some(5), Some(4), 0, OnTrack),
            (Some(4), 1, Some(25.0), Some(4), Some(3), 0, AtRisk),
            (Some(13), 7, Some(53.8), Some(11), Some(4), 2, OnTrack),
            (Some(13), 2, Some(15.4), Some(11), Some(9), 1, AtRisk),
            (Some(3), 1, Some(33.3), Some(3), Some(2), 0, AtRisk),
        ]
    );
    let adults = &r.goals[2];
    let units: Vec<(i64, Option<i64>, i64, Option<i64>)> = adults
        .units
        .iter()
        .map(|l| (l.unit_id, l.population, l.counted, l.missing))
        .collect();
    assert_eq!(
        units,
        vec![
            (u.tdp1, Some(8), 3, Some(4)),
            (u.tdp2, Some(5), 4, Some(0)),
            (u.tdp3, None, 1, None),
        ],
        "the latest population count before the date; a revoked certificate does not count"
    );
    let months: Vec<i64> = adults.months.iter().map(|m| m.counted).collect();
    assert_eq!(
        months,
        vec![0, 1, 4, 5, 6, 7],
        "January to June, cumulative"
    );
    assert_eq!(adults.gained_30_days, 1);
    let ages: Vec<(String, i64, i64, i64)> = adults
        .ages
        .iter()
        .map(|a| (a.band.clone(), a.male, a.female, a.unknown))
        .collect();
    assert_eq!(
        ages,
        vec![
            ("dưới 18".into(), 0, 0, 0),
            ("18–35".into(), 0, 1, 0),
            ("36–59".into(), 2, 1, 0),
            ("từ 60".into(), 1, 1, 1),
        ],
        "the student under 18 is not an adult; the erased account still counts"
    );
    let channels: Vec<i64> = adults.channels.iter().map(|c| c.counted).collect();
    assert_eq!(
        channels,
        vec![6, 1, 0],
        "self-registered, assisted, unmatched"
    );
    let vneid = &r.goals[3];
    assert_eq!(
        vneid.units[0].counted, 2,
        "a matched and an unmatched confirmation"
    );
    assert_eq!(vneid.channels[2].counted, 1);

    // At the year's end: a later population count, a later certificate, a later confirmation.
    let end = report(&app, "2026-12-31", &Scope::All);
    assert_eq!(end.goals[0].counted, 2);
    assert_eq!(end.goals[2].population, Some(105));
    assert_eq!(end.goals[3].counted, 3);
    assert_eq!(
        end.goals[2].status, AtRisk,
        "on the deadline, not reached at this pace"
    );
    let after = report(&app, "2027-01-15", &Scope::All);
    assert_eq!(after.goals[2].status, Missed);
    assert_eq!(
        after.goals[2].months.len(),
        13,
        "January 2026 to January 2027"
    );
}

async fn a_goal_without_a_population_count_says_so(backend: Backend) {
    let (app, u, _, admin) = cohort_app(&backend).await;
    let r = report(&app, "2026-06-30", &Scope::Units(vec![u.tdp3]));
    let adults = &r.goals[2];
    assert_eq!(adults.status, Status::NoDenominator);
    assert_eq!(
        (adults.population, adults.percent, adults.missing),
        (None, None, None)
    );
    assert_eq!(
        adults.counted_outside, 1,
        "the one who passed is still shown"
    );

    let client = app.client();
    client.login(&admin, PASSWORD).await;
    let (status, page) = client
        .get_text(&format!("/reports?as_of=2026-06-30&unit={}", u.tdp3))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("chưa có số dân"), "{page}");
    assert!(page.contains("Chưa có số dân cho đối tượng này"));
    assert!(!page.contains("NaN"));
}

async fn the_page_shows_the_figures_with_charts_and_a_bad_date_keeps_what_was_typed(
    backend: Backend,
) {
    let (app, _, _, admin) = cohort_app(&backend).await;
    let client = app.client();
    client.login(&admin, PASSWORD).await;
    let (status, page) = client.get_text("/reports?as_of=30/06/2026").await;
    assert_eq!(status, 200);
    for text in [
        "Tính đến hết ngày 30/06/2026",
        "53,8%",
        "có nguy cơ không đạt",
        "Còn thiếu",
        "Phường Thử Nghiệm",
        "Đầu vào",
    ] {
        assert!(page.contains(text), "{text} in {page}");
    }
    assert!(
        page.matches("<svg viewBox").count() >= 16,
        "a chart per view"
    );
    assert!(page.contains("role=\"img\"") && page.contains("<desc id=\"c-summary-d\">"));
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the site script: charts need none"
    );

    let (status, page) = client.get_text("/reports?as_of=31%2F02%2F2026").await;
    assert_eq!(status, 422);
    assert!(page.contains("Ngày chưa đúng"));
    assert!(
        page.contains("value=\"31&#x2F;02&#x2F;2026\""),
        "what was typed stays"
    );

    let (status, print) = client.get_text("/reports/print?as_of=2026-06-30").await;
    assert_eq!(status, 200);
    assert!(print.contains("53,8%") && print.contains("<details class=\"how\" open>"));
}

async fn exports_and_the_command_line_give_the_same_figures_as_the_page(backend: Backend) {
    let (app, _, _, admin) = cohort_app(&backend).await;
    let client = app.client();
    client.login(&admin, PASSWORD).await;
    let expected = serde_json::to_value(report(&app, "2026-06-30", &Scope::All)).unwrap();

    let json = client.get("/reports/export.json?as_of=2026-06-30").await;
    assert_eq!(json.status(), 200);
    let from_web: serde_json::Value = json.json().await.unwrap();
    assert_eq!(from_web, expected);

    let csv = client.get("/reports/export.csv?as_of=2026-06-30").await;
    assert!(
        csv.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("bao-cao-2026-06-30.csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("2026-06-30,3,"));
    assert!(
        csv.contains(",tong,,Phường Thử Nghiệm,,13,7,53.8,80,4,chưa đạt,2"),
        "{csv}"
    );
    assert!(csv.contains(",don_vi,TDP1,Tổ dân phố 1,Tổ dân phố,8,3,37.5,80,4,,"));

    let xlsx = client.get("/reports/export.xlsx?as_of=2026-06-30").await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    let sheets = xlsx_cells(&bytes);
    let summary = &sheets["Tổng hợp"];
    assert!(summary.iter().any(
        |row| row.starts_with(&["3".into(), sheet_title(&expected, 2)])
            && row[5] == "7"
            && row[8] == "4"
    ));
    for n in 1..=5 {
        assert!(
            sheets.contains_key(&format!("Mục tiêu {n}")),
            "a sheet per goal"
        );
    }

    // The command line on the same database.
    let out = std::env::temp_dir().join(format!("hvs-report-{:x}.json", rand::random::<u64>()));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_hocvuso"))
        .args([
            "report",
            "--as-of",
            "2026-06-30",
            "--format",
            "json",
            "--out",
        ])
        .arg(&out)
        .arg("--courses-dir")
        .arg(fixtures())
        .env("DATABASE_URL", &app.settings.database_url)
        .status()
        .unwrap();
    assert!(status.success());
    let from_cli: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    std::fs::remove_file(&out).ok();
    assert_eq!(from_cli, expected);
}

fn sheet_title(report: &serde_json::Value, goal: usize) -> String {
    report["goals"][goal]["title"].as_str().unwrap().to_owned()
}

/// Every sheet's cells as text, numbers written plainly.
fn xlsx_cells(bytes: &[u8]) -> std::collections::HashMap<String, Vec<Vec<String>>> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let mut out = std::collections::HashMap::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let rows = range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Float(f) => format!("{f}"),
                        Data::Int(i) => i.to_string(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        out.insert(name, rows);
    }
    out
}

async fn a_unit_manager_sees_only_their_units_and_who_is_missing_there(backend: Backend) {
    let (app, u, named, _) = cohort_app(&backend).await;
    let manager = app.create_user(Role::Manager, Group::Officials);
    let manager_id = app.user(&manager).id;
    {
        let mut conn = app.pool.get().unwrap();
        let user = app.user(&manager);
        hocvuso::accounts::manage::add_manager(&mut conn, u.tdp1, &user).unwrap();
    }
    let client = app.client();
    client.login(&manager, PASSWORD).await;
    let json: serde_json::Value = client
        .get("/reports/export.json?as_of=2026-06-30")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["units_in_scope"], serde_json::json!([u.tdp1]));
    assert_eq!(json["goals"][2]["population"], 8);
    assert_eq!(json["goals"][2]["counted"], 3);
    assert_eq!(
        json["goals"][0]["status"], "no_denominator",
        "no agency in their scope"
    );
    let (_, page) = client.get_text("/reports?as_of=2026-06-30").await;
    assert!(page.contains("Tổ dân phố 1") && !page.contains("Tổ dân phố 2"));

    for path in [
        format!("/reports?unit={}", u.tdp2),
        format!("/reports/export.csv?unit={}", u.tdp2),
        format!("/reports/missing?goal=3&unit={}", u.tdp2),
    ] {
        assert_eq!(client.get(&path).await.status(), 403, "{path}");
    }

    let (status, page) = client
        .get_text(&format!(
            "/reports/missing?goal=3&unit={}&as_of=2026-06-30",
            u.tdp1
        ))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Lê Văn Cường"), "the revoked one is missing");
    assert!(page.contains("Chứng nhận đã bị thu hồi: cần thi lại"));
    for counted in [
        "Nguyễn Thị An",
        "Trần Văn Bình",
        "Phạm Thị Dung",
        "Hoàng Minh Hải",
    ] {
        assert!(!page.contains(counted), "{counted} is not listed");
    }
    assert!(
        page.contains("<dt>Chưa có tài khoản</dt><dd><strong>4</strong>"),
        "8 people, 4 registered adults"
    );
    assert!(!page.contains("@example.vn"), "no contact details");
    let _ = (named.a3, manager_id);

    let (status, _) = client
        .get_text(&format!("/reports/missing?goal=9&unit={}", u.tdp1))
        .await;
    assert_eq!(status, 404);

    // A manager without a unit is told so, not shown the ward.
    let lonely = app.create_user(Role::Manager, Group::Officials);
    let other = app.client();
    other.login(&lonely, PASSWORD).await;
    let (status, page) = other.get_text("/reports").await;
    assert_eq!(status, 200);
    assert!(page.contains("chưa được giao quản lý đơn vị nào"));
    assert!(!page.contains("53,8%"));
}

async fn a_learner_who_passes_counts_in_the_report_at_once(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (tdp, admin) = {
        let mut conn = app.pool.get().unwrap();
        let tdp = cohort::unit(&mut conn, "TDP9", "Tổ dân phố 9", "residential");
        cohort::population(&mut conn, tdp, "adults", "2026-01-01", 2);
        (tdp, app.create_user(Role::Admin, Group::Officials))
    };
    // A learner takes the pre-test (all wrong), reads the lessons, then passes the final.
    let login = app.create_user(Role::Learner, Group::Elderly);
    let client = app.client();
    client.login(&login, PASSWORD).await;
    {
        use diesel::prelude::*;
        use hocvuso::db::schema::users;
        diesel::update(users::table.filter(users::id.eq(app.user(&login).id)))
            .set(users::residence_unit_id.eq(tdp))
            .execute(&mut app.pool.get().unwrap())
            .unwrap();
    }
    let resp = client
        .post_form(&format!("/courses/{}/pretest/start", cohort::SAFE), &[])
        .await;
    let pre: i64 = crate::helpers::location(&resp)
        .trim_start_matches("/attempts/")
        .parse()
        .unwrap();
    crate::assessment::submit(
        &client,
        pre,
        crate::assessment::answer_form(&app, pre, false),
    )
    .await;
    for n in 1..=2 {
        client
            .post_form(&format!("/courses/{}/lessons/{n}/done", cohort::SAFE), &[])
            .await;
    }
    let id = crate::assessment::start(&client).await;
    let form = crate::assessment::answer_form(&app, id, true);
    crate::assessment::submit(&client, id, form).await;
    let today = hocvuso::web::reports::today();
    let r = report(&app, &today.to_string(), &Scope::All);
    assert_eq!((r.goals[2].counted, r.goals[2].percent), (1, Some(50.0)));
    let pp = r.prepost.as_ref().unwrap();
    let course = pp.courses.iter().find(|c| c.slug == cohort::SAFE).unwrap();
    assert_eq!((course.pretests, course.pretest_average), (1, Some(0.0)));
    assert_eq!((course.finals, course.final_average), (1, Some(100.0)));
    assert_eq!(
        (course.both, course.average_change),
        (1, Some(100.0)),
        "the change in competence"
    );
    assert!(!pp.competences.is_empty() && !pp.competence_sampled);
    for c in &pp.competences {
        assert_eq!(
            (c.pretest_percent, c.final_percent),
            (Some(0.0), Some(100.0)),
            "{}",
            c.code
        );
    }
    let boss = app.client();
    boss.login(&admin, PASSWORD).await;
    let (_, page) = boss.get_text("/reports").await;
    assert!(
        page.contains("50%"),
        "today's page counts the new certificate"
    );
}

/// The report as JSON, without what only says when it was made.
fn figures(app: &TestApp, as_of: &str) -> serde_json::Value {
    let mut v = serde_json::to_value(report(app, as_of, &Scope::All)).unwrap();
    if let Some(o) = v.as_object_mut() {
        o.remove("generated_at");
    }
    v
}

fn run(app: &TestApp, statement: &str) {
    use diesel::RunQueryDsl;
    let mut conn = app.pool.get().unwrap();
    diesel::sql_query(statement).execute(&mut *conn).unwrap();
}

/// The report reads facts kept per learner: after every kind of change it must give what a
/// report built from nothing gives.
async fn the_report_follows_every_change_as_a_rebuild_would(backend: Backend) {
    let (app, u, named, _) = cohort_app(&backend).await;
    let before = (figures(&app, "2026-06-30"), figures(&app, "2026-12-31"));
    {
        let mut conn = app.pool.get().unwrap();
        // A new certificate, a new confirmation, a second learner's confirmation removed.
        let newcomer = cohort::person(
            &mut conn,
            cohort::Person {
                name: "Người Mới",
                born: 1980,
                sex: Some("nam"),
                group: "adults",
                unit: Some(u.tdp2),
                residence: Some(u.tdp2),
                channel: "self",
            },
        );
        cohort::cert(&mut conn, newcomer, cohort::SAFE, "2026-05-05", None);
        cohort::vneid(&mut conn, Some(newcomer), None, "2026-05-06", None);
    }
    // A revocation, a move to another tổ dân phố, a tổ dân phố that becomes a school, an
    // assisted attempt, a birth year corrected, a confirmation withdrawn.
    run(
        &app,
        "UPDATE certificates SET revoked_at = '2026-05-10 08:00:00' WHERE id = (SELECT MIN(id) FROM certificates WHERE revoked_at IS NULL)",
    );
    run(
        &app,
        &format!(
            "UPDATE users SET residence_unit_id = {} WHERE id = {}",
            u.tdp2, named.a3
        ),
    );
    run(
        &app,
        &format!("UPDATE units SET kind = 'school' WHERE id = {}", u.tdp3),
    );
    run(
        &app,
        "UPDATE attempts SET assisted_by = (SELECT MIN(id) FROM users) WHERE id = (SELECT MAX(id) FROM attempts)",
    );
    run(
        &app,
        "UPDATE users SET birth_year = 2015 WHERE id = (SELECT MIN(user_id) FROM certificates)",
    );
    run(
        &app,
        "DELETE FROM confirmations WHERE id = (SELECT MIN(id) FROM confirmations WHERE user_id IS NOT NULL)",
    );
    let after = (figures(&app, "2026-06-30"), figures(&app, "2026-12-31"));
    assert_ne!(before, after, "the changes change the report");
    run(&app, "DELETE FROM report_state");
    let rebuilt = (figures(&app, "2026-06-30"), figures(&app, "2026-12-31"));
    assert_eq!(after, rebuilt, "kept facts give what rebuilt facts give");
}

on_both_backends!(
    each_goal_counts_the_hand_built_cohort_exactly,
    a_goal_without_a_population_count_says_so,
    the_page_shows_the_figures_with_charts_and_a_bad_date_keeps_what_was_typed,
    exports_and_the_command_line_give_the_same_figures_as_the_page,
    a_unit_manager_sees_only_their_units_and_who_is_missing_there,
    a_learner_who_passes_counts_in_the_report_at_once,
    the_report_follows_every_change_as_a_rebuild_would,
);
