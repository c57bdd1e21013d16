//! Cohort reports against the plan's goals, for administrators (every unit, or one) and unit
//! managers (only the units assigned to them): the page with its charts, a printable page,
//! XLSX/CSV/JSON exports with the same figures, and who is still missing in a unit.

use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::ReportUser;
use super::render::{page, page_with_status};
use crate::accounts::{Role, User};
use crate::error::AppError;
use crate::reports::{self, Report, Scope};

/// This module's routes (registered by `web::routes`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(print)
        .service(export)
        .service(missing);
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    unit: String,
}

#[derive(Serialize)]
struct UnitChoice {
    id: i64,
    name: String,
    kind: &'static str,
}

/// Who sees what, at which date.
struct Resolved {
    as_of: NaiveDate,
    scope: Scope,
    /// The one unit asked for, if any.
    unit: Option<i64>,
    choices: Vec<UnitChoice>,
    /// A manager with no unit assigned.
    no_units: bool,
}

/// The date in Vietnam now (UTC+7): "today" for a report.
pub fn today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

fn parse_as_of(text: &str) -> Result<NaiveDate, &'static str> {
    match text.trim() {
        "" => Ok(today()),
        t => crate::imports::parse_date(t)
            .map_err(|_| "Ngày chưa đúng. Hãy chọn ngày trên lịch, hoặc viết như 30/11/2026."),
    }
}

async fn resolve(
    state: &web::Data<AppState>,
    user: &User,
    q: &ReportQuery,
    as_of: NaiveDate,
) -> Result<Resolved, AppError> {
    let asked: Option<i64> = match q.unit.trim() {
        "" => None,
        t => Some(t.parse().map_err(|_| AppError::NotFound)?),
    };
    let admin = user.role() == Role::Admin;
    let user = user.clone();
    let (managed, units) = state
        .read(move |conn| {
            let managed = if admin {
                None
            } else {
                Some(crate::accounts::slip::managed_units(conn, &user)?)
            };
            Ok((managed, crate::accounts::Unit::all(conn)?))
        })
        .await?;
    if let (Some(u), Some(list)) = (asked, &managed) {
        if !list.contains(&u) {
            return Err(AppError::Forbidden);
        }
    }
    if asked.is_some_and(|u| !units.iter().any(|x| x.id == u)) {
        return Err(AppError::NotFound);
    }
    let choices = units
        .into_iter()
        .filter(|u| managed.as_ref().is_none_or(|m| m.contains(&u.id)))
        .map(|u| UnitChoice {
            id: u.id,
            kind: reports::kind_label(&u.kind),
            name: u.name,
        })
        .collect();
    let no_units = managed.as_ref().is_some_and(Vec::is_empty);
    let scope = match (asked, managed) {
        (Some(u), _) => Scope::Units(vec![u]),
        (None, None) => Scope::All,
        (None, Some(list)) => Scope::Units(list),
    };
    Ok(Resolved {
        as_of,
        scope,
        unit: asked,
        choices,
        no_units,
    })
}

/// Builds the report for a resolved request; `None` when no plan is loaded.
async fn build(state: &web::Data<AppState>, r: &Resolved) -> Result<Option<Report>, AppError> {
    let catalog = state.library.get();
    let Some(plan) = catalog.plan.clone() else {
        return Ok(None);
    };
    let (pool, scope, as_of) = (state.pool.clone(), r.scope.clone(), r.as_of);
    let report =
        web::block(move || reports::make_parallel(&pool, &plan, catalog.courses(), as_of, &scope))
            .await??;
    Ok(Some(report))
}

fn base_context(q: &ReportQuery, r: Option<&Resolved>) -> Context {
    let mut ctx = Context::new();
    ctx.insert("as_of_text", q.as_of.trim());
    if let Some(r) = r {
        ctx.insert("as_of", &r.as_of.to_string());
        ctx.insert("as_of_vi", &r.as_of.format("%d/%m/%Y").to_string());
        ctx.insert("unit", &r.unit);
        ctx.insert("units", &r.choices);
        ctx.insert("no_units", &r.no_units);
        let query = serde_urlencoded::to_string([
            ("as_of", r.as_of.to_string()),
            ("unit", r.unit.map(|u| u.to_string()).unwrap_or_default()),
        ])
        .unwrap_or_default();
        ctx.insert("query", &query);
    }
    ctx
}

async fn report_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: User,
    q: ReportQuery,
    template: &str,
) -> Result<HttpResponse, AppError> {
    let as_of = match parse_as_of(&q.as_of) {
        Ok(d) => d,
        Err(message) => {
            let mut ctx = base_context(&q, None);
            ctx.insert("date_error", message);
            return page_with_status(
                &req,
                "reports/index.html",
                ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let resolved = resolve(&state, &user, &q, as_of).await?;
    let mut ctx = base_context(&q, Some(&resolved));
    ctx.insert("is_admin", &(user.role() == Role::Admin));
    if !resolved.no_units {
        match build(&state, &resolved).await? {
            Some(report) => {
                ctx.insert("charts", &reports::view::charts(&report));
                ctx.insert("report", &report);
            }
            None => {
                let problems: Vec<String> = state
                    .library
                    .get()
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                ctx.insert("plan_missing", &true);
                ctx.insert("problems", &problems);
            }
        }
    }
    page(&req, template, ctx)
}

#[get("/reports")]
pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    ReportUser(user): ReportUser,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    report_page(req, state, user, q.into_inner(), "reports/index.html").await
}

#[get("/reports/print")]
pub async fn print(
    req: HttpRequest,
    state: web::Data<AppState>,
    ReportUser(user): ReportUser,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    report_page(req, state, user, q.into_inner(), "reports/print.html").await
}

#[get("/reports/export.{format}")]
pub async fn export(
    state: web::Data<AppState>,
    ReportUser(user): ReportUser,
    format: web::Path<String>,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let format = format.into_inner();
    let (mime, ext) = match format.as_str() {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        "json" => ("application/json", "json"),
        _ => return Err(AppError::NotFound),
    };
    let as_of = parse_as_of(&q.as_of).map_err(|m| AppError::BadRequest(m.to_owned()))?;
    let resolved = resolve(&state, &user, &q, as_of).await?;
    if resolved.no_units {
        return Err(AppError::BadRequest(
            "Bạn chưa được giao đơn vị nào để báo cáo.".into(),
        ));
    }
    let report = build(&state, &resolved).await?.ok_or_else(|| {
        AppError::BadRequest("Chưa có tệp kế hoạch (plan.toml) trong thư mục khoá học.".into())
    })?;
    let bytes = web::block(move || -> Result<Vec<u8>, AppError> {
        let out = match ext {
            "xlsx" => reports::xlsx::workbook(&report).map_err(|e| anyhow::anyhow!("xlsx: {e}"))?,
            "csv" => reports::table::csv(&report)?,
            _ => reports::table::json(&report)?,
        };
        Ok(out)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, mime))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"bao-cao-{as_of}.{ext}\""),
        ))
        .body(bytes))
}

#[derive(Debug, Deserialize)]
pub struct MissingQuery {
    goal: u32,
    unit: i64,
    #[serde(default)]
    as_of: String,
}

#[get("/reports/missing")]
pub async fn missing(
    req: HttpRequest,
    state: web::Data<AppState>,
    ReportUser(user): ReportUser,
    q: web::Query<MissingQuery>,
) -> Result<HttpResponse, AppError> {
    let as_of = parse_as_of(&q.as_of).map_err(|m| AppError::BadRequest(m.to_owned()))?;
    let scope_query = ReportQuery {
        as_of: q.as_of.clone(),
        unit: q.unit.to_string(),
    };
    // Checks that a manager manages this unit.
    resolve(&state, &user, &scope_query, as_of).await?;
    let plan = state.library.get().plan.clone().ok_or(AppError::NotFound)?;
    let goal = plan
        .goals
        .iter()
        .find(|g| g.number == q.goal)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let unit = q.unit;
    let standing = state
        .read(move |conn| Ok(reports::missing::build(conn, &goal, unit, as_of)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let mut ctx = Context::new();
    ctx.insert("m", &standing);
    ctx.insert("as_of", &as_of.to_string());
    ctx.insert("as_of_vi", &as_of.format("%d/%m/%Y").to_string());
    ctx.insert("max_listed", &reports::missing::MAX_LISTED);
    page(&req, "reports/missing.html", ctx)
}
