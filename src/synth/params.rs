/*!
Everything that describes one synthetic photo, so a test can render exactly the photo it needs in one call.

Presets: [`PhotoParams::flat`] (a clean, flat, noise-free close-up for known-answer tests), [`PhotoParams::close_up`]
(a realistic close-up of a domed scalp) and [`PhotoParams::whole_head`]. Change single fields with struct update
syntax: `PhotoParams { dot_contrast: 0.2, ..PhotoParams::flat(400, 300) }`.
*/

use serde::{Deserialize, Serialize};

/// What lies on the far edge of a close-up, opposite the untreated strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FarEdge {
    /// The dome curves away: its silhouette (the limb) against a dark room.
    Background,
    /// A band of dark natural hair.
    HairMass,
}

/// Layout of a close-up of a domed scalp.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CloseUp {
    /// Direction in degrees from the far edge to the untreated strip, in image axes (x right, y down):
    /// 90 puts the far edge at the top and the untreated strip at the bottom. Default: 90.
    pub axis_deg: f64,
    /// What the far edge shows. Default: [`FarEdge::Background`].
    pub far_edge: FarEdge,
    /// Share of the frame, along the axis, taken by the far edge (at the frame's centre line). Default: 0.10.
    /// A background edge is the dome's limb, so the camera looks at the scalp obliquely; with a hair edge the
    /// skin at the frame centre faces the camera.
    pub far_share: f64,
    /// Share of the frame, along the axis, taken by untreated skin (at the centre line). Default: 0.17.
    pub untreated_share: f64,
    /// Radius of the spherical scalp in units of the frame's longer side; smaller is more curved. Default: 0.8.
    pub dome_radius: f64,
}

impl Default for CloseUp {
    fn default() -> Self {
        CloseUp {
            axis_deg: 90.0,
            far_edge: FarEdge::Background,
            far_share: 0.10,
            untreated_share: 0.17,
            dome_radius: 0.8,
        }
    }
}

/// How the frame is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Framing {
    /// Flat skin filling the frame, dots everywhere except an untreated strip along the bottom edge taking
    /// `untreated_share` of the height (0 for none). No dome, no hair, no background.
    Flat {
        /// Share of the frame height left untreated at the bottom.
        untreated_share: f64,
    },
    /// A close-up of a domed scalp (see [`CloseUp`]).
    CloseUp(CloseUp),
    /// A whole head against a wall: treated scalp on top, face, ears, eyebrows, a stubble beard, clothing.
    WholeHead,
}

/// Small camera moves between photos of a series (a similarity transform about the frame centre).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Camera {
    /// Magnification relative to the nominal framing (1.05 = 5% closer). Default: 1.
    pub scale: f64,
    /// Horizontal shift of the scene in frame widths. Default: 0.
    pub shift_x: f64,
    /// Vertical shift of the scene in frame heights. Default: 0.
    pub shift_y: f64,
    /// Rotation of the scene in degrees, clockwise on screen. Default: 0.
    pub rotation_deg: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera { scale: 1.0, shift_x: 0.0, shift_y: 0.0, rotation_deg: 0.0 }
    }
}

/// A complete description of one synthetic photo. Sizes are in pixels of this photo; contrasts are Weber
/// contrasts in L*; colours are CIELAB (D65).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoParams {
    /// Image width in pixels (at least 8).
    pub width: u32,
    /// Image height in pixels (at least 8).
    pub height: u32,
    /// Layout of the frame.
    pub framing: Framing,
    /// Base skin colour as CIELAB [L*, a*, b*], before lighting. Light skin: [67, 11, 16].
    pub skin_lab: [f64; 3],
    /// Strength of the skin's mottling (about +-1 L*, +-0.7 a*) and fine texture; 0 gives uniform skin.
    pub skin_texture: f64,
    /// Post-session erythema: a* units added to the skin inside the treated zone.
    pub redness_excess_a: f64,
    /// Diameter of a settled dot where the skin faces the camera, in pixels.
    pub dot_diameter_px: f64,
    /// Dot spacing in dot diameters: the dots are about as dense as a square grid of this pitch (Poisson-disc
    /// placement with a minimum distance of 0.62 pitch, thinned to 56%; fewer near the untreated edge).
    /// 0 means no dots.
    pub dot_spacing: f64,
    /// Target Weber contrast of a typical dot, (L_bg - L_core) / L_bg.
    pub dot_contrast: f64,
    /// Relative spread of per-dot size and contrast (uniform, +-). Default: 0.12.
    pub dot_jitter: f64,
    /// Swelling of all dots relative to `dot_diameter_px` (1.25 on scab days), without moving them.
    pub dot_size_factor: f64,
    /// Scab look, 0 (fresh bluish-black pigment) to 1 (reddish-brown crusts).
    pub scab: f64,
    /// Total share of the treated zone covered by patches of lost pigment; 0 for none.
    pub patch_fraction: f64,
    /// Number of patches sharing `patch_fraction` (1 or 2 are typical).
    pub patch_count: u32,
    /// Share of the dots inside a patch that are affected (half of them missing, half at a third of the contrast).
    pub patch_dot_loss: f64,
    /// Faint pores on all skin.
    pub pores: bool,
    /// Number of moles (brown spots 4-8 dot diameters wide).
    pub moles: u32,
    /// Number of stubble hairs rooted in the treated zone.
    pub stubble_count: u32,
    /// Stubble length as a share of its full length (5-15 widths); 0..=1.
    pub stubble_growth: f64,
    /// Oily shine, 0 (matte) to 1 (bright blobs that clip).
    pub shine: f64,
    /// Peak relative change of the light across the frame (0.15 = +-15%).
    pub lighting_gradient: f64,
    /// Direction in degrees in which the light gets brighter.
    pub lighting_angle_deg: f64,
    /// Exposure multiplier (0.9-1.1 between photos).
    pub exposure: f64,
    /// White-balance gains per channel [R, G, B] (each within 0.96-1.04 in a series).
    pub cast: [f64; 3],
    /// Camera move relative to the nominal framing.
    pub camera: Camera,
    /// Gaussian sensor noise, standard deviation in 8-bit sRGB units.
    pub noise_sigma: f64,
    /// Optical blur: standard deviation of the Gaussian PSF in pixels; 0 for none.
    pub blur_sigma_px: f64,
    /// Which shot of the same scene: changes the noise and the shine blobs, never the scalp.
    pub shot: u64,
    /// A neutral 18% grey card in the bottom-left corner, lit like the scene there.
    pub grey_card: bool,
}

impl PhotoParams {
    /// A flat close-up of light skin with 6 px dots at a spacing of 3 diameters, contrast 0.35, pores, an
    /// untreated strip on the bottom 25%, no redness, and no noise, blur, shine, gradient, cast or camera move.
    pub fn flat(width: u32, height: u32) -> Self {
        PhotoParams {
            width,
            height,
            framing: Framing::Flat { untreated_share: 0.25 },
            skin_lab: [67.0, 11.0, 16.0],
            skin_texture: 1.0,
            redness_excess_a: 0.0,
            dot_diameter_px: 6.0,
            dot_spacing: 3.0,
            dot_contrast: 0.35,
            dot_jitter: 0.12,
            dot_size_factor: 1.0,
            scab: 0.0,
            patch_fraction: 0.0,
            patch_count: 1,
            patch_dot_loss: 0.8,
            pores: true,
            moles: 0,
            stubble_count: 0,
            stubble_growth: 1.0,
            shine: 0.0,
            lighting_gradient: 0.0,
            lighting_angle_deg: 0.0,
            exposure: 1.0,
            cast: [1.0; 3],
            camera: Camera::default(),
            noise_sigma: 0.0,
            blur_sigma_px: 0.0,
            shot: 0,
            grey_card: false,
        }
    }

    /// A realistic close-up of a domed scalp (default [`CloseUp`] layout) with redness 5, two moles, some shine,
    /// a 10% light gradient, noise 1.5 and blur 0.6 px.
    pub fn close_up(width: u32, height: u32) -> Self {
        PhotoParams {
            framing: Framing::CloseUp(CloseUp::default()),
            redness_excess_a: 5.0,
            moles: 2,
            shine: 0.4,
            lighting_gradient: 0.1,
            lighting_angle_deg: 30.0,
            noise_sigma: 1.5,
            blur_sigma_px: 0.6,
            dot_contrast: 0.4,
            ..PhotoParams::flat(width, height)
        }
    }

    /// A whole head against a wall, with 3 px dots on the scalp and no moles; otherwise as [`PhotoParams::close_up`].
    pub fn whole_head(width: u32, height: u32) -> Self {
        PhotoParams {
            framing: Framing::WholeHead,
            dot_diameter_px: 3.0 * px_scale(width, height),
            moles: 0,
            ..PhotoParams::close_up(width, height)
        }
    }

    /// Width and height as used by the renderer (at least 8 pixels each).
    pub(crate) fn size(&self) -> (usize, usize) {
        (self.width.max(8) as usize, self.height.max(8) as usize)
    }
}

impl Default for PhotoParams {
    fn default() -> Self {
        PhotoParams::close_up(1000, 750)
    }
}

/// Scale of a frame relative to the 1000x750 fixture size (sizes of hairs, texture grains and pores follow it).
pub(crate) fn px_scale(width: u32, height: u32) -> f64 {
    (width.max(8) as f64 / 1000.0).min(height.max(8) as f64 / 750.0)
}
