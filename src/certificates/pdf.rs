//! Certificates as PDF (A4 landscape), with an embedded font that has every Vietnamese letter
//! (DejaVu Sans, subset by krilla) and the QR code of the verify page. Several certificates
//! make one PDF, a page each, for printing in bulk.

use std::sync::{Arc, LazyLock};

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use unicode_normalization::UnicodeNormalization;

use crate::web::render::Assets;

const WIDTH: f32 = 842.0;
const HEIGHT: f32 = 595.0;
const GREEN: (u8, u8, u8) = (11, 107, 58);

/// What one printed certificate shows.
#[derive(Debug, Clone)]
pub struct PrintData {
    pub ward: String,
    pub name: String,
    pub course_title: String,
    pub band: String,
    pub date: String,
    pub code: String,
    pub fingerprint: String,
    pub verify_url: String,
    pub revoked: bool,
}

struct Face {
    font: Font,
    data: Arc<Vec<u8>>,
}

fn load(name: &str) -> Option<Face> {
    let data = Arc::new(Assets::get(&format!("fonts/{name}"))?.data.into_owned());
    let font = Font::new(data.clone().into(), 0)?;
    Some(Face { font, data })
}

static REGULAR: LazyLock<Option<Face>> = LazyLock::new(|| load("DejaVuSans.ttf"));
static BOLD: LazyLock<Option<Face>> = LazyLock::new(|| load("DejaVuSans-Bold.ttf"));

impl Face {
    /// The width of a line of text at a size, from the font's advances.
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(face) = ttf_parser::Face::parse(&self.data, 0) else {
            return 0.0;
        };
        let units: f32 = text
            .chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map(f32::from)
                    .unwrap_or(f32::from(face.units_per_em()) / 2.0)
            })
            .sum();
        units * size / f32::from(face.units_per_em())
    }
}

fn fill(r: u8, g: u8, b: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

/// Draws a line centred on `cx`, shrinking the size until it fits `max_width`.
fn centred(
    surface: &mut Surface,
    face: &Face,
    text: &str,
    cx: f32,
    y: f32,
    size: f32,
    max_width: f32,
) {
    let text: String = text.nfc().collect();
    let mut size = size;
    while size > 8.0 && face.width(&text, size) > max_width {
        size -= 1.0;
    }
    let x = cx - face.width(&text, size) / 2.0;
    surface.draw_text(
        Point::from_xy(x, y),
        face.font.clone(),
        size,
        &text,
        false,
        TextDirection::Auto,
    );
}

fn frame(surface: &mut Surface) {
    let mut pb = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(24.0, 24.0, WIDTH - 48.0, HEIGHT - 48.0) {
        pb.push_rect(rect);
    }
    if let Some(path) = pb.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: rgb::Color::new(GREEN.0, GREEN.1, GREEN.2).into(),
            width: 4.0,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
}

fn qr(surface: &mut Surface, url: &str, x: f32, y: f32, size: f32) {
    let Some((dark, width)) = super::qr::modules(url) else {
        return;
    };
    let cell = size / width as f32;
    let mut pb = PathBuilder::new();
    for (i, is_dark) in dark.iter().enumerate() {
        if *is_dark {
            let (col, row) = ((i % width) as f32, (i / width) as f32);
            if let Some(rect) = Rect::from_xywh(x + col * cell, y + row * cell, cell, cell) {
                pb.push_rect(rect);
            }
        }
    }
    if let Some(path) = pb.finish() {
        surface.set_fill(Some(fill(0, 0, 0)));
        surface.draw_path(&path);
    }
}

fn page(surface: &mut Surface, regular: &Face, bold: &Face, c: &PrintData) {
    let cx = WIDTH / 2.0;
    frame(surface);
    surface.set_fill(Some(fill(GREEN.0, GREEN.1, GREEN.2)));
    centred(surface, bold, &c.ward.to_uppercase(), cx, 80.0, 16.0, 700.0);
    centred(
        surface,
        regular,
        "Phong trào “Bình dân học vụ số”",
        cx,
        104.0,
        13.0,
        700.0,
    );
    centred(surface, bold, "CHỨNG NHẬN", cx, 170.0, 40.0, 700.0);
    surface.set_fill(Some(fill(30, 30, 30)));
    centred(surface, regular, "Chứng nhận", cx, 215.0, 15.0, 700.0);
    centred(surface, bold, &c.name, cx, 262.0, 32.0, 700.0);
    centred(
        surface,
        regular,
        "đã hoàn thành khoá học và đạt bài kiểm tra",
        cx,
        300.0,
        15.0,
        700.0,
    );
    centred(surface, bold, &c.course_title, cx, 338.0, 22.0, 720.0);
    centred(
        surface,
        regular,
        &format!("Xếp loại: {}   ·   Ngày cấp: {}", c.band, c.date),
        cx,
        376.0,
        15.0,
        700.0,
    );
    let left = 70.0;
    let small = |s: &mut Surface, text: &str, y: f32| {
        s.draw_text(
            Point::from_xy(left, y),
            regular.font.clone(),
            12.0,
            text,
            false,
            TextDirection::Auto,
        );
    };
    small(surface, &format!("Mã chứng nhận: {}", c.code), 470.0);
    small(surface, &format!("Dấu kiểm tra: {}", c.fingerprint), 490.0);
    small(surface, "Kiểm tra chứng nhận này tại:", 510.0);
    small(surface, &c.verify_url, 528.0);
    qr(surface, &c.verify_url, WIDTH - 70.0 - 110.0, 430.0, 110.0);
    if c.revoked {
        surface.set_fill(Some(fill(176, 0, 32)));
        centred(surface, bold, "ĐÃ THU HỒI", cx, 440.0, 36.0, 500.0);
    }
}

/// One PDF with a page per certificate.
pub fn render(certificates: &[PrintData]) -> anyhow::Result<Vec<u8>> {
    let (Some(regular), Some(bold)) = (REGULAR.as_ref(), BOLD.as_ref()) else {
        anyhow::bail!("the certificate fonts are missing from the binary");
    };
    let mut document = Document::new();
    for c in certificates {
        let settings =
            PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut p = document.start_page_with(settings);
        let mut surface = p.surface();
        page(&mut surface, regular, bold, c);
        surface.finish();
        p.finish();
    }
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("Failed to write the PDF: {e:?}"))
}
