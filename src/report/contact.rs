/*!
`contact-sheet.png`: the photos of each session side by side in day order, the same crop for all of a session
(the union of their treated areas' bounding boxes, with a margin of 5% of the frame), each labelled with its day
and expected stage. One row per session, wrapping after [`PER_ROW`] photos.
*/

use image::{imageops, RgbImage};
use plotters::prelude::*;

use super::charts::{register_fonts, FONT};
use super::Report;
use crate::analyze::Thumbs;

/// Photos per row.
pub const PER_ROW: usize = 6;
/// Width of one photo cell, pixels.
const CELL_W: u32 = 300;
const CELL_H: u32 = 225;
const LABEL_H: u32 = 44;
const GAP: u32 = 12;
const TITLE_H: u32 = 40;

/// Draws the contact sheet as PNG bytes; `None` when no photo was measured.
pub fn contact_sheet(report: &Report, thumbs: &[Option<Thumbs>]) -> Result<Option<Vec<u8>>, String> {
    register_fonts();
    let mut rows: Vec<(String, Vec<(RgbImage, String)>)> = Vec::new();
    for s in &report.sessions {
        let members: Vec<usize> = (0..report.photos.len())
            .filter(|&i| report.photos[i].session == Some(s.index) && thumbs.get(i).is_some_and(|t| t.is_some()))
            .collect();
        if members.is_empty() {
            continue;
        }
        let crop = members
            .iter()
            .filter_map(|&i| thumbs[i].as_ref().and_then(|t| t.treated_box))
            .reduce(|a, b| [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])])
            .map_or([0.0, 0.0, 1.0, 1.0], |b| {
                [b[0] - 0.05, b[1] - 0.05, b[2] + 0.05, b[3] + 0.05].map(|v| v.clamp(0.0, 1.0))
            });
        let mut cells = Vec::new();
        for &i in &members {
            let Some(t) = thumbs[i].as_ref() else { continue };
            let Ok(img) = image::load_from_memory(&t.plain_jpeg) else { continue };
            let img = img.into_rgb8();
            let (w, h) = (img.width() as f64, img.height() as f64);
            let (x0, y0) = ((crop[0] * w) as u32, (crop[1] * h) as u32);
            let (cw, ch) = ((((crop[2] - crop[0]) * w) as u32).max(1), (((crop[3] - crop[1]) * h) as u32).max(1));
            let part = imageops::crop_imm(&img, x0, y0, cw.min(img.width() - x0), ch.min(img.height() - y0)).to_image();
            let p = &report.photos[i];
            let stage = p.stage.as_ref().map_or("", |s| s.expected.label());
            let label = format!("day {:.1} · {stage}", p.day.unwrap_or(0.0));
            cells.push((fit_into(&part, CELL_W, CELL_H), label));
        }
        rows.push((format!("Session {} (from {})", s.index, s.start.get(..10).unwrap_or(&s.start)), cells));
    }
    if rows.is_empty() {
        return Ok(None);
    }
    let lines: Vec<(&String, &[(RgbImage, String)])> =
        rows.iter().flat_map(|(title, cells)| cells.chunks(PER_ROW).map(move |c| (title, c))).collect();
    let cols = rows.iter().map(|(_, c)| c.len().min(PER_ROW)).max().unwrap_or(1) as u32;
    let width = GAP + cols * (CELL_W + GAP);
    let line_h = TITLE_H + CELL_H + LABEL_H;
    let height = GAP + lines.len() as u32 * (line_h + GAP);
    let mut canvas = RgbImage::from_pixel(width, height, image::Rgb([255, 255, 255]));
    for (li, (_, cells)) in lines.iter().enumerate() {
        let top = GAP + li as u32 * (line_h + GAP) + TITLE_H;
        for (ci, (img, _)) in cells.iter().enumerate() {
            let left = GAP + ci as u32 * (CELL_W + GAP);
            let (dx, dy) = ((CELL_W - img.width()) / 2, (CELL_H - img.height()) / 2);
            imageops::overlay(&mut canvas, img, (left + dx) as i64, (top + dy) as i64);
        }
    }
    let mut buf = canvas.into_raw();
    {
        let root = BitMapBackend::with_buffer(&mut buf, (width, height)).into_drawing_area();
        let text = |t: &str, x: u32, y: u32, size: u32| {
            root.draw(&Text::new(t.to_string(), (x as i32, y as i32), (FONT, size).into_font().color(&BLACK)))
                .map_err(|e| e.to_string())
        };
        for (li, (title, cells)) in lines.iter().enumerate() {
            let top = GAP + li as u32 * (line_h + GAP);
            text(title, GAP, top + 8, 22)?;
            for (ci, (_, label)) in cells.iter().enumerate() {
                text(label, GAP + ci as u32 * (CELL_W + GAP), top + TITLE_H + CELL_H + 10, 18)?;
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    let img = RgbImage::from_raw(width, height, buf).ok_or("contact sheet buffer")?;
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|e| e.to_string())?;
    Ok(Some(png))
}

/// Scales an image to fit inside `w x h`, keeping its proportions.
fn fit_into(img: &RgbImage, w: u32, h: u32) -> RgbImage {
    let s = (w as f64 / img.width() as f64).min(h as f64 / img.height() as f64);
    let (nw, nh) = (((img.width() as f64 * s) as u32).clamp(1, w), ((img.height() as f64 * s) as u32).clamp(1, h));
    imageops::resize(img, nw, nh, imageops::FilterType::Triangle)
}
