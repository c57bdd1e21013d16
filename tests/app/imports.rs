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
    assert_eq!(done.errors[0].to_string(), "row 4: the code is empty");
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
