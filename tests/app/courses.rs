//! Learning on the web: the catalog by group, lessons tailored to the learner's group,
//! progress on both backends, search with or without diacritics, teachers' previews and
//! reloading, and course pictures.

use hocvuso::accounts::Role;
use hocvuso::groups::Group;

use crate::helpers::{Backend, Client, PASSWORD, TestApp, location};
use crate::on_both_backends;

const ELDERLY_ONLY: &str = "nhờ con cháu ghi mật khẩu";
const STUDENTS_WORKERS_ONLY: &str = "trình quản lý mật khẩu";

async fn learner(app: &TestApp, group: Group) -> Client {
    let login = app.create_user(Role::Learner, group);
    let client = app.client();
    assert_eq!(client.login(&login, PASSWORD).await.status(), 303);
    client
}

async fn the_catalog_shows_the_learners_group_first(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let student = learner(&app, Group::Students).await;
    let (status, page) = student.get_text("/courses").await;
    assert_eq!(status, 200);
    assert!(page.contains("Dành cho bạn: Học sinh"));
    let news = page.find("Nhận diện tin giả").unwrap();
    let passwords = page.find("An toàn mật khẩu và xác thực hai bước").unwrap();
    assert!(news < passwords, "the students' course comes first");
    assert!(page.contains("Các khoá học khác"));

    let elder = learner(&app, Group::Elderly).await;
    let (_, page) = elder.get_text("/courses").await;
    assert!(page.find("An toàn mật khẩu").unwrap() < page.find("Nhận diện tin giả").unwrap());
    assert!(page.contains("2 bài · khoảng 40 phút"));
}

async fn a_lesson_shows_only_the_passages_for_the_learners_group(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let path = "/courses/an-toan-mat-khau/lessons/2";
    let (_, elderly) = learner(&app, Group::Elderly).await.get_text(path).await;
    assert!(elderly.contains(ELDERLY_ONLY) && !elderly.contains(STUDENTS_WORKERS_ONLY));
    let (_, worker) = learner(&app, Group::Workers).await.get_text(path).await;
    assert!(worker.contains(STUDENTS_WORKERS_ONLY) && !worker.contains(ELDERLY_ONLY));
    let (_, visitor) = app.client().get_text(path).await;
    assert!(visitor.contains(ELDERLY_ONLY) && visitor.contains(STUDENTS_WORKERS_ONLY));
    assert!(
        visitor.contains(r#"class="only-for" data-groups="elderly""#),
        "marked for visitors"
    );
    assert!(
        !visitor.contains(r#"alert("x")"#),
        "raw script from the lesson never reaches the page"
    );
    assert!(visitor.contains(r#"src="/media/an-toan-mat-khau/images/hai-buoc.svg""#));
    assert!(visitor.contains(r#"alt="Hai bước đăng nhập: mật khẩu rồi mã OTP""#));
    assert_eq!(
        app.client()
            .get("/courses/an-toan-mat-khau/lessons/9")
            .await
            .status(),
        404
    );
    assert_eq!(
        app.client()
            .get("/courses/khong-co/lessons/1")
            .await
            .status(),
        404
    );
}

async fn progress_is_saved_per_learner_and_unlocks_the_test(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let lan = learner(&app, Group::Elderly).await;
    let course = "/courses/an-toan-mat-khau";
    let (_, page) = lan.get_text(course).await;
    assert!(page.contains("Đã học 0/2 bài") && page.contains("Bắt đầu học"));
    assert!(page.contains("Bài kiểm tra mở khi bạn học xong cả 2 bài"));

    let resp = lan
        .post_form(&format!("{course}/lessons/1/done"), &[])
        .await;
    assert_eq!(
        location(&resp),
        format!("{course}/lessons/2"),
        "on to the next lesson"
    );
    let again = lan
        .post_form(&format!("{course}/lessons/1/done"), &[])
        .await;
    assert_eq!(again.status(), 303, "marking twice is harmless");
    let (_, page) = lan.get_text(course).await;
    assert!(
        page.contains("Đã học 1/2 bài") && page.contains("Học tiếp bài 2"),
        "resume"
    );
    let (_, lesson) = lan.get_text(&format!("{course}/lessons/1")).await;
    assert!(lesson.contains("Bạn đã học xong bài này"));

    let resp = lan
        .post_form(&format!("{course}/lessons/2/done"), &[])
        .await;
    assert_eq!(location(&resp), course);
    let (_, page) = lan.get_text(course).await;
    assert!(page.contains("Đã học 2/2 bài"));
    assert!(
        page.contains(&format!(r#"href="{course}/test""#)),
        "the test is unlocked"
    );

    let (_, catalog) = lan.get_text("/courses").await;
    assert!(catalog.contains("Đã học 2/2 bài"));
    let (_, other) = learner(&app, Group::Elderly).await.get_text(course).await;
    assert!(
        other.contains("Đã học 0/2 bài"),
        "progress belongs to each learner"
    );
    assert_eq!(
        app.client()
            .post_form(&format!("{course}/lessons/1/done"), &[])
            .await
            .status(),
        303
    );
}

async fn search_finds_text_with_or_without_diacritics(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let (_, plain) = client.get_text("/search?q=an+toan+mat+khau").await;
    let (_, marked) = client
        .get_text("/search?q=an+to%C3%A0n+m%E1%BA%ADt+kh%E1%BA%A9u")
        .await;
    assert!(
        plain.contains("An toàn mật khẩu và xác thực hai bước"),
        "{plain}"
    );
    assert_eq!(
        plain.matches("class=\"card\"").count(),
        marked.matches("class=\"card\"").count()
    );
    let (_, hit) = client.get_text("/search?q=CHIA+KHOA").await;
    assert!(
        hit.contains("Vì sao cần mật khẩu") && hit.contains("chìa khoá"),
        "{hit}"
    );
    let (_, none) = client.get_text("/search?q=xyzzy").await;
    assert!(none.contains("Không tìm thấy"));
}

async fn teachers_preview_a_course_as_each_group_sees_it(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (teacher, _) = app.logged_in(Role::Teacher).await;
    let path = "/teach/courses/an-toan-mat-khau/lessons/2";
    let (status, students) = teacher.get_text(&format!("{path}?as=students")).await;
    assert_eq!(status, 200);
    assert!(students.contains(STUDENTS_WORKERS_ONLY) && !students.contains(ELDERLY_ONLY));
    assert!(students.contains("Xem trước"));
    let (_, elderly) = teacher.get_text(&format!("{path}?as=elderly")).await;
    assert!(elderly.contains(ELDERLY_ONLY) && !elderly.contains(STUDENTS_WORKERS_ONLY));
    let (_, dashboard) = teacher.get_text("/teach").await;
    assert!(dashboard.contains("2 khoá học") && dashboard.contains("Không có lỗi"));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

async fn a_reload_that_finds_errors_keeps_the_last_good_course(backend: Backend) {
    let dir = std::env::temp_dir().join(format!("hvs-courses-{:x}", rand::random::<u64>()));
    copy_dir(
        &std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses/good"),
        &dir,
    );
    let app = TestApp::spawn_with(&backend, |s| s.courses_dir = dir.clone()).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let course_md = dir.join("nhan-dien-tin-gia/course.md");
    let good = std::fs::read_to_string(&course_md).unwrap();
    std::fs::write(
        &course_md,
        good.replace("groups = [\"students\"]", "groups = [\"hoc-sinh\"]"),
    )
    .unwrap();
    let lesson = dir.join("an-toan-mat-khau/01-vi-sao-can-mat-khau.md");
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, text.replace("chìa khoá", "chìa khoá vàng")).unwrap();

    let resp = admin.post_form("/teach/reload", &[]).await;
    assert_eq!(location(&resp), "/teach");
    let (_, dashboard) = admin.get_text("/teach").await;
    let problems = &dashboard[dashboard.find("Lỗi cần sửa").expect("a problem list")..];
    assert!(
        problems.contains("nhan-dien-tin-gia&#x2F;course.md:4:"),
        "{problems}"
    );
    assert!(dashboard.contains("unknown group"));
    assert!(dashboard.contains("đang dùng bản cũ"));
    let (status, _) = admin.get_text("/courses/nhan-dien-tin-gia").await;
    assert_eq!(
        status, 200,
        "the broken course is still served from its last good version"
    );
    let (_, lesson_page) = admin.get_text("/courses/an-toan-mat-khau/lessons/1").await;
    assert!(
        lesson_page.contains("chìa khoá vàng"),
        "the good course took its new text"
    );

    std::fs::write(&course_md, good).unwrap();
    admin.post_form("/teach/reload", &[]).await;
    let (_, dashboard) = admin.get_text("/teach").await;
    assert!(dashboard.contains("Không có lỗi"));
    std::fs::remove_dir_all(dir).ok();
}

async fn course_pictures_are_served_without_scripts(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let resp = app
        .client()
        .get("/media/an-toan-mat-khau/images/hai-buoc.svg")
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
    assert!(
        resp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    for bad in [
        "/media/an-toan-mat-khau/course.md",
        "/media/an-toan-mat-khau/../../Cargo.toml",
        "/media/x/y.svg",
    ] {
        assert_eq!(app.client().get(bad).await.status(), 404, "{bad}");
    }
}

on_both_backends!(
    the_catalog_shows_the_learners_group_first,
    a_lesson_shows_only_the_passages_for_the_learners_group,
    progress_is_saved_per_learner_and_unlocks_the_test,
    search_finds_text_with_or_without_diacritics,
    teachers_preview_a_course_as_each_group_sees_it,
    a_reload_that_finds_errors_keeps_the_last_good_course,
    course_pictures_are_served_without_scripts,
);
