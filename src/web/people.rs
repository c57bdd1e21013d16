//! Administrators at work on accounts: find people with filters (also the administrator's
//! home, `/admin`), and one person's page. Editing is in `people_edit`, the actions on an
//! account (role, deactivation, password reset) in `people_actions`, unit managers in
//! `people_units` and the CSV export in `people_export`.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::AdminUser;
use super::render::page;
use crate::accounts::listing::{group_label, status_code, status_label};
use crate::accounts::manage::{self, Filter, Status};
use crate::accounts::{Role, Unit, User, phone::Phone};
use crate::error::AppError;
use crate::groups::Group;

#[path = "people_actions.rs"]
pub mod people_actions;
#[path = "people_edit.rs"]
pub mod people_edit;
#[path = "people_export.rs"]
pub mod people_export;
#[path = "people_units.rs"]
pub mod people_units;
#[path = "people_view.rs"]
pub mod people_view;

/// This module's routes (registered by `web::routes`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(find)
        .service(people_export::people_csv)
        .service(person)
        .service(people_edit::edit_form)
        .service(people_edit::edit_save)
        .service(people_actions::role_post)
        .service(people_actions::active_post)
        .service(people_actions::password_post)
        .service(people_units::units_list)
        .service(people_units::manager_add)
        .service(people_units::manager_remove);
}

const PAGE_SIZE: i64 = 50;

/// A search as typed in the address: text and filters, all optional.
#[derive(Debug, Default, Deserialize)]
pub struct FindQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub page: String,
    /// Only for the export: `yes` to include contacts.
    #[serde(default)]
    pub contacts: String,
}

impl FindQuery {
    pub fn filter(&self) -> Filter {
        Filter {
            text: self.q.trim().chars().take(100).collect(),
            role: Role::parse(&self.role),
            group: Group::parse(&self.group).ok(),
            unit: self.unit.trim().parse().ok(),
            status: Status::parse(&self.status),
        }
    }

    /// The filters as a query string (for the pager links).
    fn query_string(&self) -> String {
        let f = self.filter();
        let pairs = [
            ("q", f.text.clone()),
            (
                "role",
                f.role.map(|r| r.as_str().to_owned()).unwrap_or_default(),
            ),
            (
                "group",
                f.group.map(|g| g.as_str().to_owned()).unwrap_or_default(),
            ),
            ("unit", f.unit.map(|u| u.to_string()).unwrap_or_default()),
            ("status", f.status.as_str().to_owned()),
        ];
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// A choice in a select: its value and its label.
#[derive(Serialize)]
pub struct Choice {
    pub code: String,
    pub label: String,
}

pub fn role_choices() -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            code: r.as_str().into(),
            label: r.label_vi().into(),
        })
        .collect()
}

pub fn group_choices() -> Vec<Choice> {
    Group::ALL
        .iter()
        .map(|g| Choice {
            code: g.as_str().into(),
            label: g.label_vi().into(),
        })
        .collect()
}

#[derive(Serialize)]
struct Row {
    id: i64,
    name: String,
    contact: String,
    role: &'static str,
    group: &'static str,
    unit: String,
    status: &'static str,
    status_label: &'static str,
}

fn row(u: &User, units: &[Unit]) -> Row {
    let status = status_code(u);
    Row {
        id: u.id,
        name: crate::privacy::display_name(u).to_owned(),
        contact: crate::accounts::actions::login_of(u),
        role: u.role().label_vi(),
        group: group_label(u),
        unit: u
            .unit_id
            .and_then(|id| units.iter().find(|x| x.id == id))
            .map(|x| x.name.clone())
            .unwrap_or_default(),
        status,
        status_label: status_label(status),
    }
}

#[derive(Serialize)]
struct RoleCount {
    label: &'static str,
    count: i64,
}

/// The search page; `home` adds the counts of the administrator's home.
pub async fn find_page(
    req: &HttpRequest,
    state: &AppState,
    query: &FindQuery,
    home: bool,
) -> Result<HttpResponse, AppError> {
    let page_no = query.page.trim().parse::<i64>().unwrap_or(1).max(1);
    let filter = query.filter();
    let (found, units, counts) = state
        .read(move |conn| {
            let found = manage::search(conn, &filter, (page_no - 1) * PAGE_SIZE, PAGE_SIZE + 1)?;
            let counts = if home {
                Some((manage::count_by_role(conn)?, manage::count_units(conn)?))
            } else {
                None
            };
            Ok((found, Unit::all(conn)?, counts))
        })
        .await?;
    let has_more = found.len() as i64 > PAGE_SIZE;
    let rows: Vec<Row> = found
        .iter()
        .take(PAGE_SIZE as usize)
        .map(|u| row(u, &units))
        .collect();
    let f = query.filter();
    let mut ctx = Context::new();
    if let Some((by_role, units_count)) = counts {
        let by_role: Vec<RoleCount> = by_role
            .into_iter()
            .map(|(r, count)| RoleCount {
                label: r.label_vi(),
                count,
            })
            .collect();
        ctx.insert("by_role", &by_role);
        ctx.insert("units_count", &units_count);
    }
    ctx.insert("home", &home);
    ctx.insert("rows", &rows);
    ctx.insert("q", &f.text);
    ctx.insert("role", f.role.map(|r| r.as_str()).unwrap_or(""));
    ctx.insert("group", f.group.map(|g| g.as_str()).unwrap_or(""));
    ctx.insert("unit", &f.unit.map(|u| u.to_string()).unwrap_or_default());
    ctx.insert("status", f.status.as_str());
    ctx.insert("roles", &role_choices());
    ctx.insert("groups", &group_choices());
    ctx.insert("units", &units);
    ctx.insert("page", &page_no);
    ctx.insert("has_more", &has_more);
    ctx.insert("filters", &query.query_string());
    page(req, "people/find.html", ctx)
}

/// `GET /admin/people` (and the older address `/admin/users`): find accounts by name, phone,
/// e-mail or login name, with filters.
#[actix_web::routes]
#[get("/admin/people")]
#[get("/admin/users")]
pub async fn find(
    req: HttpRequest,
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, AppError> {
    find_page(&req, &state, &query, false).await
}

/// `GET /admin/people/{id}`: one person's details, role, status, units, progress and history.
#[get("/admin/people/{id}")]
pub async fn person(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let view = state
        .read(move |conn| people_view::load(conn, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut ctx = Context::new();
    ctx.insert("p", &view);
    ctx.insert("roles", &role_choices());
    ctx.insert("is_self", &(admin.id == id));
    page(&req, "people/person.html", ctx)
}

/// A phone number as people read it, or empty.
pub fn local_phone(stored: Option<&str>) -> String {
    stored.map(Phone::display_local).unwrap_or_default()
}
