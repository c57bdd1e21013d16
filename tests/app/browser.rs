//! A real browser (Debian's headless Chromium through chromedriver) on a 360 px wide phone
//! screen: a resident registers, logs out and logs in again; an elderly learner goes through
//! a lesson; a community helper registers a resident and learns with them.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

use crate::helpers::{Backend, PASSWORD, TestApp};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// Starts chromedriver and a headless Chromium, or says why not (a failure under CI).
async fn browser() -> Option<(Driver, Client)> {
    let missing = ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        .into_iter()
        .find(|p| !std::path::Path::new(p).exists());
    if let Some(path) = missing {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {path} is missing"
        );
        eprintln!("skipping the browser test: {path} is not installed");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let profile = std::env::temp_dir().join(format!("hvs-chrome-{:x}", rand::random::<u64>()));
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=360,740",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps = caps.as_object().unwrap().clone();
    let mut last_error = None;
    for _ in 0..50 {
        match ClientBuilder::native()
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return Some((driver, client)),
            Err(e) => last_error = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not start Chromium: {last_error:?}");
}

async fn click(client: &Client, locator: Locator<'_>) {
    client.find(locator).await.unwrap().click().await.unwrap();
}

async fn fill(client: &Client, name: &str, value: &str) {
    let field = client
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .unwrap();
    field.clear().await.ok();
    field.send_keys(value).await.unwrap();
}

/// Waits until the page's main text contains `expected` (pages load after a click), and
/// returns that text.
async fn wait_for_text(client: &Client, expected: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(main) = client.find(Locator::Css("main")).await {
            if let Ok(text) = main.text().await {
                if text.contains(expected) {
                    return text;
                }
                last = text;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{expected:?} never appeared at {:?}; the page said: {last}",
        client.current_url().await
    );
}

async fn fits_the_screen(client: &Client) -> bool {
    let fits = client
        .execute(
            "return document.documentElement.scrollWidth <= window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    fits.as_bool().unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_registers_logs_out_and_logs_in_with_a_phone_browser() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let app = TestApp::spawn(&Backend::Sqlite).await;
    client.goto(&app.url("/")).await.unwrap();
    assert!(fits_the_screen(&client).await, "home fits a 360 px screen");
    click(&client, Locator::LinkText("Đăng ký học miễn phí")).await;

    assert!(
        fits_the_screen(&client).await,
        "the registration form fits a 360 px screen"
    );
    fill(&client, "full_name", "Phạm Thị Hoa").await;
    fill(&client, "contact", "0903 111 222").await;
    fill(&client, "birth_year", "1956").await;
    click(&client, Locator::Css("input[value='elderly']")).await;
    fill(&client, "password", PASSWORD).await;
    fill(&client, "password_confirm", "gõ nhầm mật khẩu rồi").await;
    click(&client, Locator::Css("[name='consent_learning']")).await;
    click(&client, Locator::Css("[name='consent_reports']")).await;
    click(&client, Locator::Css("main form button[type='submit']")).await;

    wait_for_text(&client, "Hai mật khẩu chưa giống nhau").await;
    let kept = client
        .find(Locator::Css("[name='full_name']"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("Phạm Thị Hoa"),
        "what was typed is kept"
    );
    fill(&client, "password", PASSWORD).await;
    fill(&client, "password_confirm", PASSWORD).await;
    click(&client, Locator::Css("main form button[type='submit']")).await;

    let text = wait_for_text(&client, "Đăng ký thành công").await;
    assert!(text.contains("0903 111 222"));
    click(
        &client,
        Locator::XPath("//button[contains(., 'Đăng xuất')]"),
    )
    .await;
    wait_for_text(&client, "Bạn đã đăng xuất").await;

    click(&client, Locator::LinkText("Đăng nhập")).await;
    fill(&client, "contact", "+84903111222").await;
    fill(&client, "password", PASSWORD).await;
    click(&client, Locator::Css("main form button[type='submit']")).await;
    let text = wait_for_text(&client, "Tài khoản của tôi").await;
    assert!(text.contains("Phạm Thị Hoa"));
    client.close().await.ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_elderly_learner_goes_through_a_lesson_on_a_phone() {
    let Some((_driver, client)) = browser().await else {
        return;
    };
    let app = TestApp::spawn(&Backend::Sqlite).await;
    let login = app.create_user(
        hocvuso::accounts::Role::Learner,
        hocvuso::groups::Group::Elderly,
    );
    client.goto(&app.url("/login?next=/courses")).await.unwrap();
    fill(&client, "contact", &login).await;
    fill(&client, "password", PASSWORD).await;
    click(&client, Locator::Css("main form button[type='submit']")).await;
    wait_for_text(&client, "Dành cho bạn: Người dân, người cao tuổi").await;
    assert!(
        fits_the_screen(&client).await,
        "the catalog fits a 360 px screen"
    );

    click(
        &client,
        Locator::LinkText("An toàn mật khẩu và xác thực hai bước"),
    )
    .await;
    wait_for_text(&client, "Đã học 0/2 bài").await;
    click(&client, Locator::LinkText("Bắt đầu học")).await;
    wait_for_text(&client, "chìa khoá").await;
    assert!(
        fits_the_screen(&client).await,
        "a lesson with a table fits a 360 px screen"
    );

    // The reader tools appear only with JavaScript, and work.
    let listen = client
        .find(Locator::XPath("//button[contains(., 'Nghe bài')]"))
        .await;
    assert!(
        listen.is_ok(),
        "the listen button is shown where the browser can speak"
    );
    click(
        &client,
        Locator::XPath("//button[contains(., 'Chữ to hơn')]"),
    )
    .await;
    let large = client
        .execute(
            "return document.documentElement.classList.contains('large-text');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(large.as_bool(), Some(true), "larger text switched on");

    click(
        &client,
        Locator::XPath("//button[contains(., 'Đánh dấu đã học xong')]"),
    )
    .await;
    let text = wait_for_text(&client, "Tạo mật khẩu mạnh").await;
    assert!(
        text.contains("nhờ con cháu ghi mật khẩu"),
        "the elderly passage is shown"
    );
    assert!(
        !text.contains("trình quản lý mật khẩu"),
        "the students' passage is not"
    );
    let still_large = client
        .execute(
            "return document.documentElement.classList.contains('large-text');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        still_large.as_bool(),
        Some(true),
        "larger text is remembered"
    );

    click(
        &client,
        Locator::XPath("//button[contains(., 'Đánh dấu đã học xong')]"),
    )
    .await;
    let text = wait_for_text(&client, "Đã học 2/2 bài").await;
    assert!(text.contains("Làm bài kiểm tra"));
    client.close().await.ok();
}

/// The texts of the slip's login name and one-time password.
async fn slip_codes(client: &Client) -> (String, String) {
    let codes = client
        .find_all(Locator::Css(".slip .slip-code"))
        .await
        .unwrap();
    assert_eq!(codes.len(), 2, "a slip with a login and a password");
    (
        codes[0].text().await.unwrap(),
        codes[1].text().await.unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_helper_registers_a_resident_and_learns_with_them_on_a_phone() {
    use diesel::prelude::*;
    use hocvuso::db::schema::{lesson_progress, users};

    let Some((_driver, client)) = browser().await else {
        return;
    };
    let app = TestApp::spawn(&Backend::Sqlite).await;
    let csv = "code,name,kind\nTDP-05,Tổ dân phố số 5,residential\n";
    hocvuso::imports::units::import(
        &mut app.pool.get().unwrap(),
        csv.as_bytes(),
        false,
        &mut |_| {},
    )
    .unwrap();
    let helper_login = app.create_user(
        hocvuso::accounts::Role::Helper,
        hocvuso::groups::Group::Officials,
    );
    let helper_id = app.user(&helper_login).id;

    client.goto(&app.url("/login")).await.unwrap();
    fill(&client, "contact", &helper_login).await;
    fill(&client, "password", PASSWORD).await;
    click(&client, Locator::Css("main form button[type='submit']")).await;
    wait_for_text(&client, "Tài khoản của tôi").await;
    click(&client, Locator::LinkText("Hỗ trợ người dân")).await;
    wait_for_text(&client, "Bạn chưa đăng ký người dân nào").await;
    assert!(fits_the_screen(&client).await, "the helper's list fits");

    click(&client, Locator::LinkText("Đăng ký người dân mới")).await;
    wait_for_text(&client, "Đọc to cho người dân nghe").await;
    assert!(fits_the_screen(&client).await, "the registration form fits");
    fill(&client, "full_name", "Vũ Thị Tư").await;
    fill(&client, "birth_year", "1948").await;
    client
        .find(Locator::Css("[name='residence_unit_id']"))
        .await
        .unwrap()
        .select_by_label("Tổ dân phố số 5")
        .await
        .unwrap();
    click(&client, Locator::Css("[name='consent_learning']")).await;
    click(&client, Locator::Css("[name='consent_reports']")).await;
    click(
        &client,
        Locator::Css("main form.team-register button[type='submit']"),
    )
    .await;

    wait_for_text(&client, "Phiếu đăng nhập Học Vụ Số").await;
    assert!(fits_the_screen(&client).await, "the slip fits");
    let (login, one_time) = slip_codes(&client).await;
    assert!(
        login.starts_with("hv"),
        "a login name for a resident without phone: {login}"
    );
    assert!(!one_time.is_empty());

    click(
        &client,
        Locator::XPath("//button[contains(., 'Học cùng người này')]"),
    )
    .await;
    wait_for_text(&client, "Bạn đang hỗ trợ Vũ Thị Tư học").await;
    assert!(
        fits_the_screen(&client).await,
        "the catalog with the banner fits"
    );
    click(
        &client,
        Locator::LinkText("An toàn mật khẩu và xác thực hai bước"),
    )
    .await;
    click(&client, Locator::LinkText("Bắt đầu học")).await;
    wait_for_text(&client, "chìa khoá").await;
    let text = wait_for_text(&client, "Bạn đang hỗ trợ Vũ Thị Tư học").await;
    assert!(text.contains("Kết thúc hỗ trợ"), "the banner on the lesson");
    assert!(
        fits_the_screen(&client).await,
        "a lesson with the banner fits"
    );
    click(
        &client,
        Locator::XPath("//button[contains(., 'Đánh dấu đã học xong')]"),
    )
    .await;
    wait_for_text(&client, "Tạo mật khẩu mạnh").await;
    wait_for_text(&client, "Bạn đang hỗ trợ Vũ Thị Tư học").await;

    click(
        &client,
        Locator::XPath("//button[contains(., 'Kết thúc hỗ trợ')]"),
    )
    .await;
    let text = wait_for_text(&client, "Đã học 1/2 bài (1 bài có người hỗ trợ)").await;
    assert!(!text.contains("Bạn đang hỗ trợ"), "assisted mode has ended");
    assert!(fits_the_screen(&client).await, "the resident's page fits");
    click(&client, Locator::LinkText("← Hỗ trợ người dân")).await;
    let text = wait_for_text(&client, "Vũ Thị Tư").await;
    assert!(
        text.contains("đã học 1/2 bài"),
        "the lesson done, on the list: {text}"
    );
    assert!(fits_the_screen(&client).await, "the list fits");

    // The resident, later, with the slip: first of all, their own password.
    click(&client, Locator::LinkText("Tài khoản")).await;
    click(
        &client,
        Locator::XPath("//button[contains(., 'Đăng xuất')]"),
    )
    .await;
    wait_for_text(&client, "Bạn đã đăng xuất").await;
    click(&client, Locator::LinkText("Đăng nhập")).await;
    fill(&client, "contact", &login).await;
    fill(&client, "password", &one_time).await;
    click(&client, Locator::Css("main form button[type='submit']")).await;
    let text = wait_for_text(&client, "Hãy đặt mật khẩu mới của riêng bạn").await;
    assert!(
        !text.contains("Bạn đang hỗ trợ"),
        "the resident's own login is not assisted"
    );
    assert!(fits_the_screen(&client).await, "choosing a password fits");

    let mut conn = app.pool.get().unwrap();
    let recorded: Vec<(String, Option<i64>)> = lesson_progress::table
        .inner_join(users::table.on(users::id.eq(lesson_progress::user_id)))
        .filter(users::username.eq(&login))
        .select((lesson_progress::lesson_slug, lesson_progress::assisted_by))
        .load(&mut conn)
        .unwrap();
    assert_eq!(recorded.len(), 1, "one lesson done");
    assert_eq!(
        recorded[0].1,
        Some(helper_id),
        "recorded as assisted by the helper"
    );
    client.close().await.ok();
}
