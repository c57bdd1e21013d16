//! QR codes of verify links, as SVG for pages and as a module grid for PDFs.

use qrcode::{EcLevel, QrCode, render::svg};

/// An SVG QR code (no scripts, no style attributes: safe to inline under our CSP).
pub fn svg(url: &str) -> String {
    match QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// The dark modules of the QR code, row by row, and its width in modules.
pub fn modules(url: &str) -> Option<(Vec<bool>, usize)> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((dark, width))
}
